using System.Net;
using System.Net.Sockets;

namespace Zeze.Testing;

/// <summary>
/// For test assemblies that assert on timings of a few hundred milliseconds (the GCM's test profile): the process's
/// first asynchronous socket operation stalls the thread pool for about a second on this runtime (measured: a
/// Task.Delay(20) took 1025 ms right after the first AcceptAsync), which <see cref="Run"/> takes up front; and the
/// thread pool starts with a few more threads than the 2 cores give, so that a loaded machine does not delay
/// continuations by the pool's thread-injection steps (500 ms each). Call it from a module initializer.
/// </summary>
public static class LoopbackWarmUp
{
    public static void Run()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 8), Math.Max(io, 8));
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var accept = listener.AcceptAsync();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = accept.GetAwaiter().GetResult();
    }
}
