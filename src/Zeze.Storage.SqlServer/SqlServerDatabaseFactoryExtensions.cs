namespace Zeze.Storage.SqlServer;

public static class SqlServerDatabaseFactoryExtensions
{
    /// <summary>Registers the SQL Server provider.</summary>
    public static DatabaseFactory AddSqlServer(this DatabaseFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.Register(new SqlServerDatabaseProvider());
    }
}
