using System.Net.Sockets;
using MySqlConnector;

namespace Zeze.Storage.MySql;

/// <summary>Which MySQL/MariaDB errors pass (retry) and which are the configuration's fault.</summary>
internal static class MySqlErrors
{
    private static readonly HashSet<int> Refusals =
    [
        1044, // access denied to the database
        1045, // access denied for the user (password)
        1049, // unknown database
        1130, // host not allowed to connect
        1142, // command denied on a table (no CREATE, INSERT...)
        1143, // column access denied
        1227, // needs a privilege the user lacks
        1251, // authentication method the client does not support
        1698, // access denied (socket/plugin authentication)
        1046, // no database selected
    ];

    private static readonly HashSet<int> Transients =
    [
        -1,   // command timeout expired (client side)
        1040, // too many connections
        1042, // unable to connect to host (connection refused, DNS)
        1047, // Galera: the node is not yet ready for application use (WSREP not prepared)
        1053, // server shutdown in progress
        1077, 1079, // normal shutdown, shutdown complete
        1152, 1184, // connection aborted
        1158, 1159, 1160, 1161, // network read/write errors
        1203, // user has too many connections
        1205, // lock wait timeout
        1213, // deadlock (and Galera certification failures)
        1614, // XA deadlock
        1927, // connection killed
        2002, 2003, 2006, 2013, // cannot connect, server gone away, lost connection
        4031, // disconnected by the server for inactivity
    ];

    public static DatabaseErrorKind Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case MySqlException mysql when Refusals.Contains(mysql.Number):
                    return DatabaseErrorKind.Refused;
                case MySqlException mysql when Transients.Contains(mysql.Number) || mysql.IsTransient:
                    return DatabaseErrorKind.Transient;
                case MySqlEndOfStreamException or SocketException or IOException or TimeoutException:
                    return DatabaseErrorKind.Transient;
            }
        }
        return DatabaseErrorKind.Failure;
    }
}
