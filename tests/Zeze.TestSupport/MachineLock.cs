namespace Zeze.TestSupport;

/// <summary>
/// A lock shared by every process on the machine (an exclusively opened file: .NET takes an advisory flock on it):
/// tests that stop or kill a server hold it, so that two test runs at once never pull a server from under each other.
/// </summary>
public static class MachineLock
{
    public static async Task<IDisposable> AcquireAsync(string name, TimeSpan timeout)
    {
        Directory.CreateDirectory(TestServers.Directory);
        string path = Path.Combine(TestServers.Directory, name + ".lock");
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (!cts.IsCancellationRequested)
            {
                // Held by another process: poll, up to the timeout.
            }
            catch (IOException e)
            {
                throw new TimeoutException($"{path} is still held by another process after {timeout}", e);
            }
            await Task.Delay(100);
        }
    }
}
