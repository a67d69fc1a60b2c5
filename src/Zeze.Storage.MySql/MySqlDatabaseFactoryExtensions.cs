namespace Zeze.Storage.MySql;

public static class MySqlDatabaseFactoryExtensions
{
    /// <summary>Registers the MySQL/MariaDB provider.</summary>
    public static DatabaseFactory AddMySql(this DatabaseFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.Register(new MySqlDatabaseProvider());
    }
}
