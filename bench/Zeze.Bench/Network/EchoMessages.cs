using Zeze.Net;
using Zeze.Serialize;

namespace Zeze.Bench.Network;

/// <summary>The benchmark's 100-byte bean: {1: long Id, 2: binary Data (90 bytes)}, written as generated code writes it.</summary>
public sealed class BEcho : ISerializable
{
    public const int DataSize = 90;

    public long Id { get; set; }
    public byte[] Data { get; set; } = [];

    public void Encode(ByteBuffer bb)
    {
        int last = 0;
        if (Id != 0)
        {
            last = bb.WriteTag(last, 1, ByteBuffer.INTEGER);
            bb.WriteLong(Id);
        }
        if (Data.Length != 0)
        {
            bb.WriteTag(last, 2, ByteBuffer.BYTES);
            bb.WriteBytes(Data);
        }
        bb.WriteByte(0);
    }

    public void Decode(ByteBuffer bb)
    {
        int t = bb.ReadByte();
        int i = bb.ReadTagSize(t);
        if (i == 1)
        {
            Id = bb.ReadLong(t);
            i += bb.ReadTagSize(t = bb.ReadByte());
        }
        if (i == 2)
        {
            Data = bb.ReadBytes(t);
            bb.ReadTagSize(t = bb.ReadByte());
        }
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary>A hand-written rpc (until the schema compiler generates one): echo of a <see cref="BEcho"/>.</summary>
public sealed class EchoRpc : Rpc<BEcho, BEcho>
{
    public const int ModuleId_ = 1;
    public const int ProtocolId_ = 0x0ECC0;
    public static readonly long TypeId_ = MakeTypeId(ModuleId_, ProtocolId_);
    public override int ModuleId => ModuleId_;
    public override int ProtocolId => ProtocolId_;

    // As generated classes do: beans created where their type is known (see Rpc's constructors).
    public EchoRpc() : base(new BEcho()) { }
    protected override BEcho NewResult() => new();

    public static ProtocolFactoryHandle ServerHandle { get; } = new(() => new EchoRpc(), Handle, Transaction.TransactionLevel.None, "bench.EchoRpc");
    public static ProtocolFactoryHandle ClientHandle { get; } = new(() => new EchoRpc(), null, Transaction.TransactionLevel.None, "bench.EchoRpc");

    private static ValueTask<long> Handle(Protocol p)
    {
        var rpc = (EchoRpc)p;
        rpc.Result = rpc.Argument;
        rpc.SendResult();
        return new ValueTask<long>(0L);
    }
}
