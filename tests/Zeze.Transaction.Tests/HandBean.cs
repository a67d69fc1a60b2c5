using System.Text;
using Zeze.Serialize;

namespace Zeze.Transaction.Tests;

// The shape of a generated bean: { long Value = 1; string Name = 2; }
public sealed class BCounter : Bean
{
    public const long TYPEID = 1234;
    public override long TypeId => TYPEID;

    private long _Value;
    private string _Name = "";

    public long Value
    {
        get => IsManaged ? GetField(1, _Value) : _Value;
        set { if (IsManaged) PutField(new Log_Value(this, value)); else _Value = value; }
    }

    public string Name
    {
        get => IsManaged ? GetField(2, _Name) : _Name;
        set { NotNull(value); if (IsManaged) PutField(new Log_Name(this, value)); else _Name = value; }
    }

    public override void Encode(ByteBuffer bb)
    {
        int _i_ = 0;
        { long _x_ = Value; if (_x_ != 0) { _i_ = bb.WriteTag(_i_, 1, ByteBuffer.INTEGER); bb.WriteLong(_x_); } }
        { string _x_ = Name; if (_x_.Length != 0) { _i_ = bb.WriteTag(_i_, 2, ByteBuffer.BYTES); bb.WriteString(_x_); } }
        bb.WriteByte(0);
    }

    public override void Decode(ByteBuffer bb)
    {
        ThrowIfManagedForDecode();
        int _t_ = bb.ReadByte();
        int _i_ = bb.ReadTagSize(_t_);
        if (_i_ == 1) { _Value = bb.ReadLong(_t_); _i_ += bb.ReadTagSize(_t_ = bb.ReadByte()); }
        while ((_t_ & 0xff) > 1 && _i_ < 2) { bb.SkipUnknownField(_t_); _i_ += bb.ReadTagSize(_t_ = bb.ReadByte()); }
        if (_i_ == 2) { _Name = bb.ReadString(_t_); _i_ += bb.ReadTagSize(_t_ = bb.ReadByte()); }
        bb.SkipAllUnknownFields(_t_);
    }

    public override Bean CopyBean() => new BCounter { _Value = Value, _Name = Name };
    public override void BuildString(StringBuilder sb, int level) => sb.Append($"BCounter(Value={Value}, Name={Name})");
    protected override void InitChildrenRootInfo(Record root) { }
    protected override void ResetChildrenRootInfo() { }

    private sealed class Log_Value(BCounter b, long v) : Log<long>(b, 1, v) { public override void Commit() => ((BCounter)Belong!)._Value = Value; }
    private sealed class Log_Name(BCounter b, string v) : Log<string>(b, 2, v) { public override void Commit() => ((BCounter)Belong!)._Name = Value; }
}

public sealed class TCounter(int id = 1, string name = "test_counter") : Table<long, BCounter>(id, name)
{
    public override void EncodeKey(ByteBuffer bb, long key) => bb.WriteLong(key);
    public override long DecodeKey(ByteBuffer bb) => bb.ReadLong();
}
