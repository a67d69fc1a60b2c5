using System.Net.Sockets;
using Microsoft.Data.SqlClient;

namespace Zeze.Storage.SqlServer;

/// <summary>Which SQL Server errors pass (retry) and which are the configuration's fault.</summary>
internal static class SqlServerErrors
{
    private static readonly HashSet<int> Refusals =
    [
        18456, // login failed
        18452, // login from an untrusted domain
        4060,  // cannot open the database requested by the login
        916,   // the login cannot access the database
        229, 230, 262, 300, 1088, // permission denied (object, column, statement)
    ];

    private static readonly HashSet<int> Transients =
    [
        -2,    // client timeout
        -1, 2, 53, 64, 233, 121, // cannot reach the server, connection broken
        10053, 10054, 10060, 10061, // socket aborted, reset, timed out, refused
        1205,  // chosen as deadlock victim
        1222,  // lock request timeout
        6005,  // shutdown in progress
        18401, // server in script upgrade mode
        40143, 40197, 40501, 40613, 49918, 49919, 49920, 10928, 10929, // Azure SQL throttling and failover
    ];

    public static DatabaseErrorKind Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqlException sql when Refusals.Contains(sql.Number):
                    return DatabaseErrorKind.Refused;
                case SqlException sql when Transients.Contains(sql.Number) || sql.IsTransient:
                    return DatabaseErrorKind.Transient;
                case SocketException or IOException or TimeoutException:
                    return DatabaseErrorKind.Transient;
            }
        }
        return DatabaseErrorKind.Failure;
    }
}
