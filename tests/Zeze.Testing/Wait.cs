using System.Diagnostics;

namespace Zeze.Testing;

/// <summary>Bounded waits for tests: poll a condition or await a task, and fail with what was awaited when it takes too long.</summary>
public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until it holds; throws <see cref="TimeoutException"/> after <paramref name="timeoutMs"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.ElapsedMilliseconds > timeoutMs) throw new TimeoutException($"timed out after {timeoutMs} ms waiting for: {what}");
            await Task.Delay(5);
        }
    }

    /// <summary>Polls an asynchronous <paramref name="condition"/> until it holds; throws <see cref="TimeoutException"/> after <paramref name="timeoutMs"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int timeoutMs = 10_000)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.ElapsedMilliseconds > timeoutMs) throw new TimeoutException($"timed out after {timeoutMs} ms waiting for: {what}");
            await Task.Delay(5);
        }
    }

    /// <summary>Awaits <paramref name="task"/> with a bound; throws <see cref="TimeoutException"/> when it takes longer.</summary>
    public static async Task<T> BoundedAsync<T>(Task<T> task, string what, int timeoutMs = 10_000)
    {
        var done = await Task.WhenAny(task, Task.Delay(timeoutMs));
        if (done != task) throw new TimeoutException($"timed out after {timeoutMs} ms waiting for: {what}");
        return await task;
    }

    public static async Task BoundedAsync(Task task, string what, int timeoutMs = 10_000)
    {
        var done = await Task.WhenAny(task, Task.Delay(timeoutMs));
        if (done != task) throw new TimeoutException($"timed out after {timeoutMs} ms waiting for: {what}");
        await task;
    }
}
