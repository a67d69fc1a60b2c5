using System.Net.Sockets;
using Npgsql;

namespace Zeze.Storage.Postgres;

/// <summary>Which PostgreSQL errors pass (retry) and which are the configuration's fault.</summary>
internal static class PostgresErrors
{
    private static readonly HashSet<string> Refusals =
    [
        PostgresErrorCodes.InvalidPassword,                 // 28P01
        PostgresErrorCodes.InvalidAuthorizationSpecification, // 28000 (no pg_hba entry, unknown role)
        PostgresErrorCodes.InvalidCatalogName,              // 3D000 unknown database
        PostgresErrorCodes.InvalidSchemaName,               // 3F000
        PostgresErrorCodes.InsufficientPrivilege,           // 42501
    ];

    private static readonly HashSet<string> Transients =
    [
        PostgresErrorCodes.AdminShutdown,        // 57P01: the server is stopping
        PostgresErrorCodes.CrashShutdown,        // 57P02
        PostgresErrorCodes.CannotConnectNow,     // 57P03: starting up or recovering
        PostgresErrorCodes.TooManyConnections,   // 53300
        PostgresErrorCodes.SerializationFailure, // 40001
        PostgresErrorCodes.DeadlockDetected,     // 40P01
        PostgresErrorCodes.LockNotAvailable,     // 55P03
    ];

    public static DatabaseErrorKind Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg when Refusals.Contains(pg.SqlState):
                    return DatabaseErrorKind.Refused;
                case PostgresException pg when Transients.Contains(pg.SqlState) || pg.SqlState.StartsWith("08", StringComparison.Ordinal):
                    return DatabaseErrorKind.Transient;
                case PostgresException:
                    return DatabaseErrorKind.Failure;
                case NpgsqlException { IsTransient: true }:
                case SocketException or IOException or TimeoutException:
                    return DatabaseErrorKind.Transient;
            }
        }
        return DatabaseErrorKind.Failure;
    }
}
