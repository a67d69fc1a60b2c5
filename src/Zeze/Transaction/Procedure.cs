namespace Zeze.Transaction;

/// <summary>A procedure bound to an application: call it any number of times.</summary>
public sealed class Procedure(Application app, Func<ValueTask<long>> action, string name, TransactionLevel level)
{
    public Application Application { get; } = app;
    public string Name { get; } = name;
    public TransactionLevel Level { get; } = level;

    /// <summary>Runs the procedure (nested when called inside another). A stopped application returns <see cref="ResultCode.Closed"/>.</summary>
    public ValueTask<long> CallAsync() => Application.RunAsync(action, Name, Level);

    public override string ToString() => Name;
}
