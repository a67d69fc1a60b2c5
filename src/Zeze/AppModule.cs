using Zeze.Net;

namespace Zeze;

/// <summary>
/// Base of generated module classes (<c>Module{Name}</c>): the module's tables are registered with the
/// application when it is constructed, and its protocol handlers are partial methods you implement.
/// </summary>
public abstract class AppModule
{
    protected AppModule(Application app)
    {
        ArgumentNullException.ThrowIfNull(app);
        App = app;
    }

    public Application App { get; }

    /// <summary>The module id from the schema (1 and up; 0 is the framework's).</summary>
    public abstract int Id { get; }

    /// <summary><c>solution.Module[.Sub]</c>.</summary>
    public abstract string FullName { get; }

    /// <summary>An application result code of this module: <c>moduleId &lt;&lt; 32 | code</c>.</summary>
    public long ErrorCode(int code) => ResultCode.Module(Id, code);

    /// <summary>The protocols this module creates and handles, by type id, for registration with a service.</summary>
    public abstract IReadOnlyList<KeyValuePair<long, ProtocolFactoryHandle>> GetProtocolHandles();

    public override string ToString() => $"{FullName}({Id})";
}
