using Zeze.Net;

namespace Zeze.Serialize.Tests.Beans;

// Hand-written protocols and rpcs in the shape of generated ones, for the frame examples of B13.

/// <summary>demo.Module1.Protocol1: module 1, id Hash32("demo.Module1.Protocol1"), argument {1:int, 2:string}.</summary>
public sealed class Protocol1 : Protocol<BIntString>
{
    public override int ModuleId => 1;
    public override int ProtocolId => -1219587236;
}

/// <summary>A protocol with an empty argument: module 1, id 100 (F2).</summary>
public sealed class Protocol100 : Protocol<EmptyBean>
{
    public override int ModuleId => 1;
    public override int ProtocolId => 100;
}

/// <summary>An rpc of empty beans: module 7, id 200 (F5).</summary>
public sealed class Rpc200 : Rpc<EmptyBean, EmptyBean>
{
    public override int ModuleId => 7;
    public override int ProtocolId => 200;
}

/// <summary>The framework's KeepAlive rpc (module 0, B5).</summary>
public sealed class KeepAlive : Rpc<EmptyBean, EmptyBean>
{
    public override int ModuleId => 0;
    public override int ProtocolId => -183352608;
}

/// <summary>CHandshakeDone (module 0, B5).</summary>
public sealed class CHandshakeDone : Protocol<EmptyBean>
{
    public override int ModuleId => 0;
    public override int ProtocolId => 1896283174;
}

/// <summary>SHandshake0's argument: plain sequential fields, not a tagged bean (B5).</summary>
public sealed class SHandshake0Argument : ISerializable
{
    public int EncryptType;
    public List<int> SupportedEncrypt = [];
    public int CompressS2c;
    public int CompressC2s;
    public List<int> SupportedCompress = [];

    public void Encode(ByteBuffer bb)
    {
        bb.WriteInt(EncryptType);
        WriteInts(bb, SupportedEncrypt);
        bb.WriteInt(CompressS2c);
        bb.WriteInt(CompressC2s);
        WriteInts(bb, SupportedCompress);
    }

    public void Decode(ByteBuffer bb)
    {
        EncryptType = bb.ReadInt();
        ReadInts(bb, SupportedEncrypt);
        CompressS2c = bb.ReadInt();
        CompressC2s = bb.ReadInt();
        ReadInts(bb, SupportedCompress);
    }

    private static void WriteInts(ByteBuffer bb, List<int> list)
    {
        bb.WriteInt(list.Count);
        foreach (int x in list) bb.WriteInt(x);
    }

    private static void ReadInts(ByteBuffer bb, List<int> list)
    {
        list.Clear();
        int n = bb.ReadInt();
        if (n < 0 || n > bb.Size) throw new DecodeException($"invalid count {n}");
        for (; n > 0; n--) list.Add(bb.ReadInt());
    }
}

public sealed class SHandshake0 : Protocol<SHandshake0Argument>
{
    public override int ModuleId => 0;
    public override int ProtocolId => -2018202792;
}

/// <summary>CHandshake's argument: encryptType, encryptParam, compressS2c, compressC2s.</summary>
public sealed class CHandshakeArgument : ISerializable
{
    public int EncryptType;
    public byte[] EncryptParam = [];
    public int CompressS2c;
    public int CompressC2s;

    public void Encode(ByteBuffer bb)
    {
        bb.WriteInt(EncryptType);
        bb.WriteBytes(EncryptParam);
        bb.WriteInt(CompressS2c);
        bb.WriteInt(CompressC2s);
    }

    public void Decode(ByteBuffer bb)
    {
        EncryptType = bb.ReadInt();
        EncryptParam = bb.ReadBytes();
        CompressS2c = bb.ReadInt();
        CompressC2s = bb.ReadInt();
    }
}

public sealed class CHandshake : Protocol<CHandshakeArgument>
{
    public override int ModuleId => 0;
    public override int ProtocolId => -554021601;
}

/// <summary>SHandshake's argument: encryptParam, compressS2c, compressC2s, encryptType.</summary>
public sealed class SHandshakeArgument : ISerializable
{
    public byte[] EncryptParam = [];
    public int CompressS2c;
    public int CompressC2s;
    public int EncryptType;

    public void Encode(ByteBuffer bb)
    {
        bb.WriteBytes(EncryptParam);
        bb.WriteInt(CompressS2c);
        bb.WriteInt(CompressC2s);
        bb.WriteInt(EncryptType);
    }

    public void Decode(ByteBuffer bb)
    {
        EncryptParam = bb.ReadBytes();
        CompressS2c = bb.ReadInt();
        CompressC2s = bb.ReadInt();
        EncryptType = bb.ReadInt();
    }
}

public sealed class SHandshake : Protocol<SHandshakeArgument>
{
    public override int ModuleId => 0;
    public override int ProtocolId => -723986006;
}
