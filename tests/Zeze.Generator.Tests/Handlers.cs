namespace demo.Module1
{
    // The generated Value bean declares interface="demo.Module1.IHasInt1".
    public interface IHasInt1
    {
        int Int1 { get; }
    }

    public sealed partial class ModuleModule1
    {
        public int Handled;

        private partial ValueTask<long> ProcessProtocol1Async(Protocol1 p) { Handled++; return ValueTask.FromResult(0L); }
        private partial ValueTask<long> ProcessProtocol3Async(Protocol3 p) => ValueTask.FromResult(0L);
        private partial ValueTask<long> ProcessProtocolNoProcedureAsync(ProtocolNoProcedure p) => ValueTask.FromResult(0L);
        private partial ValueTask<long> ProcessExplicitAsync(Explicit p) => ValueTask.FromResult(0L);
        private partial ValueTask<long> ProcessRpc1RequestAsync(Rpc1 rpc)
        {
            rpc.Result.V1 = rpc.Argument.V1 + 1;
            return ValueTask.FromResult(0L);
        }
        private partial ValueTask<long> ProcessRpcEmptyRequestAsync(RpcEmpty rpc) => ValueTask.FromResult(0L);
    }
}

namespace demo.Module1.Module11
{
    public sealed partial class ModuleModule11
    {
        private partial ValueTask<long> ProcessDeepAsync(Deep p) => ValueTask.FromResult(0L);
    }
}

namespace demo.Module2
{
    public sealed partial class ModuleModule2
    {
        private partial ValueTask<long> ProcessProtocol3Async(demo.Module1.Protocol3 p) => ValueTask.FromResult(0L);
    }
}

namespace other.Shop
{
    public sealed partial class ModuleShop
    {
        private partial ValueTask<long> ProcessBuyRequestAsync(Buy rpc) => ValueTask.FromResult(0L);
    }
}
