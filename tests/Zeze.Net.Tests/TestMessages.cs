using Zeze.Net;
using Zeze.Serialize;
using Zeze.Transaction;

namespace Zeze.Net.Tests;

/// <summary>A bean {1: long Id, 2: binary Data, 3: int Delay} written as generated code writes it.</summary>
public sealed class BEcho : ISerializable
{
    public long Id { get; set; }
    public byte[] Data { get; set; } = [];
    public int DelayMs { get; set; }

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
            last = bb.WriteTag(last, 2, ByteBuffer.BYTES);
            bb.WriteBytes(Data);
        }
        if (DelayMs != 0)
        {
            bb.WriteTag(last, 3, ByteBuffer.INTEGER);
            bb.WriteInt(DelayMs);
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
            i += bb.ReadTagSize(t = bb.ReadByte());
        }
        if (i == 3)
        {
            DelayMs = bb.ReadInt(t);
            bb.ReadTagSize(t = bb.ReadByte());
        }
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary>A bean {1: int V}.</summary>
public sealed class BInt : ISerializable
{
    public int V { get; set; }

    public void Encode(ByteBuffer bb)
    {
        if (V != 0)
        {
            bb.WriteTag(0, 1, ByteBuffer.INTEGER);
            bb.WriteInt(V);
        }
        bb.WriteByte(0);
    }

    public void Decode(ByteBuffer bb)
    {
        int t = bb.ReadByte();
        if (bb.ReadTagSize(t) == 1)
        {
            V = bb.ReadInt(t);
            bb.ReadTagSize(t = bb.ReadByte());
        }
        bb.SkipAllUnknownFields(t);
    }
}

public sealed class EchoRpc : Rpc<BEcho, BEcho>
{
    public const int ModuleId_ = 1;
    public const int ProtocolId_ = 1;
    public static readonly long TypeId_ = MakeTypeId(ModuleId_, ProtocolId_);
    public override int ModuleId => ModuleId_;
    public override int ProtocolId => ProtocolId_;
}

public sealed class Protocol1 : Protocol<BInt>
{
    public override int ModuleId => 1;
    public override int ProtocolId => -1219587236; // Hash32("demo.Module1.Protocol1")
}

public sealed class Protocol100 : Protocol<EmptyBean>
{
    public override int ModuleId => 1;
    public override int ProtocolId => 100;
}

public sealed class Rpc7 : Rpc<EmptyBean, EmptyBean>
{
    public override int ModuleId => 7;
    public override int ProtocolId => 200;
}

/// <summary>A bean that writes part of itself and then fails (as a bean with a bug in a getter would).</summary>
public sealed class FailingEncodeBean : ISerializable
{
    public void Encode(ByteBuffer bb)
    {
        bb.WriteTag(0, 1, ByteBuffer.BYTES);
        bb.WriteBytes(new byte[50]);
        throw new InvalidOperationException("this bean fails to encode on purpose");
    }

    public void Decode(ByteBuffer bb) => bb.SkipAllUnknownFields(bb.ReadByte());
}

public sealed class FailingEncodeProtocol : Protocol<FailingEncodeBean>
{
    public override int ModuleId => 1;
    public override int ProtocolId => 999;
}
