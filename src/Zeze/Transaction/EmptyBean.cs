using System.Text;
using Zeze.Serialize;

namespace Zeze.Transaction;

/// <summary>A bean without fields (type id 0): the argument or result of messages that carry nothing.</summary>
public sealed class EmptyBean : Bean
{
    public const long TYPEID = 0;

    /// <summary>A shared instance for reading only (never put it into a record).</summary>
    public static readonly EmptyBean Instance = new();

    public override long TypeId => TYPEID;

    public override void Encode(ByteBuffer bb) => bb.WriteByte(0);

    /// <summary>Skips a whole bean, so that a non-empty bean on the wire is tolerated.</summary>
    public override void Decode(ByteBuffer bb) => bb.SkipBean();

    public override Bean CopyBean() => new EmptyBean();

    public override void BuildString(StringBuilder sb, int level) => sb.Append("{}");

    protected override void InitChildrenRootInfo(Record root) { }

    protected override void ResetChildrenRootInfo() { }

    public override void FollowerApply(Log log) { }

    public override bool Equals(object? obj) => obj is EmptyBean;

    public override int GetHashCode() => 0;
}
