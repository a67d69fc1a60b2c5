namespace Zeze.Storage.Postgres;

public static class PostgresDatabaseFactoryExtensions
{
    /// <summary>Registers the PostgreSQL provider.</summary>
    public static DatabaseFactory AddPostgres(this DatabaseFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.Register(new PostgresDatabaseProvider());
    }
}
