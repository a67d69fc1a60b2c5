using System.Buffers.Binary;
using Zeze.Serialize;
using Zeze.Transaction;

namespace Zeze.Net;

/// <summary>
/// A message: a module id, a protocol id and a payload (wire-and-schema.md B1/B2). Generated classes
/// derive from <see cref="Protocol{TArgument}"/> or <see cref="Rpc{TArgument,TResult}"/>.
/// </summary>
public abstract partial class Protocol : ISerializable
{
    public abstract int ModuleId { get; }
    public abstract int ProtocolId { get; }

    /// <summary><c>moduleId &lt;&lt; 32 | (uint)protocolId</c>: the key of the protocol in a service.</summary>
    public long TypeId => MakeTypeId(ModuleId, ProtocolId);

    public static long MakeTypeId(int moduleId, int protocolId) => ((long)moduleId << 32) | (uint)protocolId;

    /// <summary>0 for success, negative for framework codes, positive for application codes.</summary>
    public long ResultCode { get; set; }

    /// <summary>Transaction level of the handler, from the schema (overridable per registration).</summary>
    public virtual TransactionLevel TransactionLevel => TransactionLevel.Serializable;

    /// <summary>The connection this message arrived on (set before its handler runs); null for one built locally.</summary>
    public AsyncSocket? Sender { get; set; }

    /// <summary>
    /// Encodes this message and queues it on <paramref name="socket"/>. False when the socket is null or
    /// closed, or when its output buffer overflowed (which closes it, see <see cref="ServiceOptions.OutputBufferMaxSize"/>).
    /// </summary>
    public virtual bool Send(AsyncSocket? socket) => socket != null && socket.Send(this);

    /// <summary>The family class this message is written with (see <see cref="FamilyClass"/>).</summary>
    public abstract int FamilyClassValue { get; }

    /// <summary>Writes the payload (without the 12-byte frame header).</summary>
    public abstract void Encode(ByteBuffer bb);

    /// <summary>Reads the payload; throws <see cref="DecodeException"/> on a wrong family or bad bytes.</summary>
    public abstract void Decode(ByteBuffer bb);

    /// <summary>Appends a whole frame: module id, protocol id, size, payload.</summary>
    public void EncodeFrame(ByteBuffer bb)
    {
        bb.EnsureWrite(FrameHeaderSize);
        int at = bb.WriteIndex;
        var header = bb.Bytes.AsSpan(at, FrameHeaderSize);
        BinaryPrimitives.WriteInt32LittleEndian(header, ModuleId);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], ProtocolId);
        bb.WriteIndex = at + FrameHeaderSize;
        int fromRead = at - bb.ReadIndex; // where the header is, counted from ReadIndex: growing keeps that
        Encode(bb);
        int headerAt = bb.ReadIndex + fromRead;
        BinaryPrimitives.WriteInt32LittleEndian(bb.Bytes.AsSpan(headerAt + 8, 4), bb.WriteIndex - headerAt - FrameHeaderSize);
    }

    private const int FrameHeaderSize = 12;

    /// <summary>Encodes a whole frame into a new array.</summary>
    public byte[] EncodeFrame()
    {
        var bb = ByteBuffer.Rent();
        try
        {
            EncodeFrame(bb);
            return bb.ToArray();
        }
        finally
        {
            ByteBuffer.Return(bb);
        }
    }

    protected void WriteHeader(ByteBuffer bb, int family)
    {
        long rc = ResultCode;
        if (rc == 0)
        {
            if ((uint)family < 0x80) bb.WriteByte((byte)family); // the compact form of a small value is the byte itself
            else bb.WriteUInt(family);
        }
        else
        {
            bb.WriteUInt(family | FamilyClass.BitResultCode);
            bb.WriteLong(rc);
        }
    }

    /// <summary>Reads the header and returns its family class; sets <see cref="ResultCode"/>.</summary>
    protected int ReadHeader(ByteBuffer bb)
    {
        int header = bb.ReadUInt();
        ResultCode = (header & FamilyClass.BitResultCode) != 0 ? bb.ReadLong() : 0;
        return header & FamilyClass.FamilyMask;
    }

    public override string ToString() => $"{GetType().Name}(module={ModuleId}, id={ProtocolId}, rc={ResultCode})";
}

/// <summary>A one-way message carrying an argument bean.</summary>
public abstract class Protocol<TArgument> : Protocol where TArgument : ISerializable, new()
{
    /// <summary>A protocol with a new, empty argument.</summary>
    protected Protocol() => Argument = new TArgument();

    /// <summary>A protocol carrying <paramref name="argument"/> (generated classes pass a new bean: see
    /// <see cref="Rpc{TArgument,TResult}(TArgument)"/>).</summary>
    protected Protocol(TArgument argument) => Argument = argument;

    public TArgument Argument { get; set; }

    public override int FamilyClassValue => FamilyClass.Protocol;

    public override void Encode(ByteBuffer bb)
    {
        WriteHeader(bb, FamilyClass.Protocol);
        Argument.Encode(bb);
    }

    public override void Decode(ByteBuffer bb)
    {
        int family = ReadHeader(bb);
        if (family != FamilyClass.Protocol)
            throw new DecodeException($"{GetType().Name}: family class {family} is not a protocol (2)");
        Argument.Decode(bb);
    }

    public override string ToString() => $"{GetType().Name}(rc={ResultCode}, {Argument})";
}
