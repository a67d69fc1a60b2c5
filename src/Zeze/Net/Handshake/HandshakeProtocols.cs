using Zeze.Serialize;
using Zeze.Transaction;

namespace Zeze.Net.Handshake;

// The handshake messages of module 0 (wire-and-schema.md B5). Their payloads are plain sequential fields,
// not tagged beans, and their ids are the Hash32 of Zeze's class names: neither may ever change.

/// <summary>Server to client, first message: what the server recommends and supports.</summary>
public sealed class SHandshake0 : Protocol<SHandshake0Argument>
{
    public const int ModuleId_ = 0;
    public const int ProtocolId_ = -2018202792;
    public const long TypeId_ = 2276764504;
    public override int ModuleId => ModuleId_;
    public override int ProtocolId => ProtocolId_;
}

public sealed class SHandshake0Argument : ISerializable
{
    public int EncryptType { get; set; }
    public int[] SupportedEncrypt { get; set; } = [];
    public int CompressS2c { get; set; }
    public int CompressC2s { get; set; }
    public int[] SupportedCompress { get; set; } = [];

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
        if (bb.Size > 0) SupportedEncrypt = ReadInts(bb);
        if (bb.Size > 0)
        {
            CompressS2c = bb.ReadInt();
            CompressC2s = bb.ReadInt();
            SupportedCompress = ReadInts(bb);
        }
        else
        {
            // Older servers did not send compression: they compressed whenever they encrypted.
            CompressS2c = CompressC2s = EncryptType != 0 ? CompressType.Mppc : CompressType.Disable;
        }
    }

    internal static void WriteInts(ByteBuffer bb, int[] values)
    {
        bb.WriteInt(values.Length);
        foreach (int v in values) bb.WriteInt(v);
    }

    internal static int[] ReadInts(ByteBuffer bb)
    {
        int n = bb.ReadInt();
        if (n < 0 || n > bb.Size) throw new DecodeException($"invalid count {n} in a handshake message");
        var values = new int[n];
        for (int i = 0; i < n; i++) values[i] = bb.ReadInt();
        return values;
    }

    public override string ToString() =>
        $"{{encrypt {EncryptType} of [{string.Join(",", SupportedEncrypt)}], s2c {CompressS2c}, c2s {CompressC2s} of [{string.Join(",", SupportedCompress)}]}}";
}

/// <summary>Client to server: the chosen encryption with its key-exchange parameter, and the compressions.</summary>
public sealed class CHandshake : Protocol<CHandshakeArgument>
{
    public const int ModuleId_ = 0;
    public const int ProtocolId_ = -554021601;
    public const long TypeId_ = 3740945695;
    public override int ModuleId => ModuleId_;
    public override int ProtocolId => ProtocolId_;
}

public sealed class CHandshakeArgument : ISerializable
{
    public int EncryptType { get; set; }
    public byte[] EncryptParam { get; set; } = [];
    public int CompressS2c { get; set; }
    public int CompressC2s { get; set; }

    public void Encode(ByteBuffer bb)
    {
        // Zeze's C# client writes a raw byte here and the others a compact int: the same bytes for 0..63.
        bb.WriteInt(EncryptType);
        bb.WriteBytes(EncryptParam);
        bb.WriteInt(CompressS2c);
        bb.WriteInt(CompressC2s);
    }

    public void Decode(ByteBuffer bb)
    {
        EncryptType = bb.ReadInt();
        EncryptParam = bb.ReadBytes();
        if (bb.Size > 0)
        {
            CompressS2c = bb.ReadInt();
            CompressC2s = bb.ReadInt();
        }
        else
        {
            CompressS2c = CompressC2s = EncryptType != 0 ? CompressType.Mppc : CompressType.Disable;
        }
    }

    public override string ToString() => $"{{encrypt {EncryptType}, param {EncryptParam.Length} bytes, s2c {CompressS2c}, c2s {CompressC2s}}}";
}

/// <summary>Server to client: the server's key-exchange parameter and the final choices.</summary>
public sealed class SHandshake : Protocol<SHandshakeArgument>
{
    public const int ModuleId_ = 0;
    public const int ProtocolId_ = -723986006;
    public const long TypeId_ = 3570981290;
    public override int ModuleId => ModuleId_;
    public override int ProtocolId => ProtocolId_;
}

public sealed class SHandshakeArgument : ISerializable
{
    public byte[] EncryptParam { get; set; } = [];
    public int CompressS2c { get; set; }
    public int CompressC2s { get; set; }
    public int EncryptType { get; set; }

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
        if (bb.Size > 0)
        {
            CompressS2c = bb.ReadInt();
            CompressC2s = bb.ReadInt();
        }
        // Older servers did not echo the type: a parameter meant Diffie-Hellman with the IP.
        EncryptType = bb.Size > 0 ? bb.ReadInt() : EncryptParam.Length != 0 ? Handshake.EncryptType.Aes : Handshake.EncryptType.Disable;
    }

    public override string ToString() => $"{{param {EncryptParam.Length} bytes, s2c {CompressS2c}, c2s {CompressC2s}, encrypt {EncryptType}}}";
}

/// <summary>Client to server, last message, already under the new codecs.</summary>
public sealed class CHandshakeDone : Protocol<EmptyBean>
{
    public const int ModuleId_ = 0;
    public const int ProtocolId_ = 1896283174;
    public const long TypeId_ = 1896283174;
    public override int ModuleId => ModuleId_;
    public override int ProtocolId => ProtocolId_;
}

/// <summary>The keep-alive ping (B9); the response only refreshes the sender's receive time.</summary>
public sealed class KeepAlive : Rpc<EmptyBean, EmptyBean>
{
    public const int ModuleId_ = 0;
    public const int ProtocolId_ = -183352608;
    public const long TypeId_ = 4111614688;
    public override int ModuleId => ModuleId_;
    public override int ProtocolId => ProtocolId_;
}
