using System.Runtime.CompilerServices;

namespace Zeze.ScaleOut.Tests;

/// <summary>Runs once before any test: see <see cref="LoopbackWarmUp"/>.</summary>
internal static class TestAssemblySetup
{
    [ModuleInitializer]
    internal static void WarmUp() => LoopbackWarmUp.Run();
}
