namespace Zeze.Transaction.Tests;

internal static class Extensions
{
    /// <summary><see cref="Application.ExecuteAsync(Func{ValueTask{long}}, string, TransactionLevel)"/> as a Task (awaitable many times, composable).</summary>
    public static Task<long> ExecuteTask(this Application app, Func<ValueTask<long>> action, string name = "") => app.ExecuteAsync(action, name).AsTask();
}
