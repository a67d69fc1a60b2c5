using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace Zeze.Storage.SqlServer;

/// <summary>SqlClient has no <see cref="DbDataSource"/>; its pool is keyed by the connection string, so a thin one suffices.</summary>
internal sealed class SqlServerDataSource(string connectionString) : DbDataSource
{
    public override string ConnectionString => connectionString;

    protected override DbConnection CreateDbConnection() => new SqlConnection(connectionString);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Closes this connection string's idle pooled connections.
            using var connection = new SqlConnection(connectionString);
            SqlConnection.ClearPool(connection);
        }
        base.Dispose(disposing);
    }
}
