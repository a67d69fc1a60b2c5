namespace Zeze.Serialize.Tests.Beans;

/// <summary>The example bean of docs/wire-format.md, copied verbatim so that the page stays correct.</summary>
public sealed class Player : ISerializable
{
    public int Level;                 // id 1
    public string Name = "";          // id 2
    public List<long> Friends = [];   // id 5

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (Level != 0) { i = bb.WriteTag(i, 1, ByteBuffer.INTEGER); bb.WriteInt(Level); }
        if (Name.Length != 0) { i = bb.WriteTag(i, 2, ByteBuffer.BYTES); bb.WriteString(Name); }
        if (Friends.Count != 0)
        {
            i = bb.WriteTag(i, 5, ByteBuffer.LIST);
            bb.WriteListType(Friends.Count, ByteBuffer.INTEGER);
            foreach (long f in Friends) bb.WriteLong(f);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        int t = bb.ReadByte(), i = bb.ReadTagSize(t);           // current tag and its field id
        while (t > 1 && i < 1) { bb.SkipUnknownField(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        if (i == 1) { Level = bb.ReadInt(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        while (t > 1 && i < 2) { bb.SkipUnknownField(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        if (i == 2) { Name = bb.ReadString(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        Friends.Clear();
        while (t > 1 && i < 5) { bb.SkipUnknownField(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        if (i == 5)
        {
            for (int n = bb.ReadListHeader(t, out int et); n > 0; n--) Friends.Add(bb.ReadLong(et));
            i += bb.ReadTagSize(t = bb.ReadByte());
        }
        bb.SkipAllUnknownFields(t);                              // fields added by newer peers, then 00
    }
}
