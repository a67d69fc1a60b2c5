using System.ComponentModel;
using System.Text;
using Zeze.Serialize;

namespace Zeze.Transaction;

/// <summary>
/// A field that holds a bean of one of several declared types (schema <c>dynamic</c>): the bean and its type id
/// (the bean's <see cref="Bean.TypeId"/>, or a small "special" id declared in the schema). Unknown type ids on
/// the wire decode as <see cref="EmptyBean"/>.
/// </summary>
public sealed class DynamicBean : Bean
{
    private readonly Func<Bean, long> _getSpecialTypeId;
    private readonly Func<long, Bean?> _createBean;
    private Bean _bean = EmptyBean.Instance;
    private long _typeId;

    /// <param name="getSpecialTypeId">The type id to write for a bean; throws for a type the field does not accept.</param>
    /// <param name="createBean">A new bean for a type id read from the wire, or null when unknown.</param>
    public DynamicBean(Func<Bean, long> getSpecialTypeId, Func<long, Bean?> createBean)
    {
        _getSpecialTypeId = getSpecialTypeId;
        _createBean = createBean;
    }

    public override long TypeId => 0;

    /// <summary>The type id of the current bean as written on the wire (0 when empty).</summary>
    public long DynamicTypeId => Current(out long typeId) is { } ? typeId : 0;

    /// <summary>The bean held (an <see cref="EmptyBean"/> when nothing is set).</summary>
    public Bean Bean
    {
        get => Current(out _);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            long typeId = value is EmptyBean ? 0 : _getSpecialTypeId(value);
            if (!IsManaged)
            {
                _bean = value;
                _typeId = typeId;
                return;
            }
            if (value is not EmptyBean) value.InitRootInfoWithRedo(RootRecord!, this, 1);
            Transaction.RequireForWrite(this).PutLog(new LogDynamic(this, value, typeId));
        }
    }

    public bool IsEmpty => Bean is EmptyBean;

    /// <summary>Empties the field.</summary>
    public void Reset() => Bean = EmptyBean.Instance;

    private Bean Current(out long typeId)
    {
        if (IsManaged && Transaction.Current is { } txn && txn.GetFieldLog(this, 1) is LogDynamic log)
        {
            typeId = log.TypeId;
            return log.Value;
        }
        typeId = _typeId;
        return _bean;
    }

    public override void Encode(ByteBuffer bb)
    {
        var bean = Current(out long typeId);
        bb.WriteLong(typeId);
        bean.Encode(bb);
    }

    public override void Decode(ByteBuffer bb)
    {
        ThrowIfManagedForDecode();
        long typeId = bb.ReadLong();
        var bean = typeId == 0 ? null : _createBean(typeId);
        if (bean == null)
        {
            bb.SkipBean(); // unknown type: keep the field empty, as Zeze does
            _bean = EmptyBean.Instance;
            _typeId = 0;
            return;
        }
        bb.EnterNested();
        bean.Decode(bb);
        bb.LeaveNested();
        _bean = bean;
        _typeId = typeId;
    }

    /// <summary>Decodes a dynamic field whose tag is <paramref name="tag"/>; a plain bean on the wire is type id 0.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Decode(ByteBuffer bb, int tag)
    {
        switch (tag & 0xF)
        {
            case ByteBuffer.DYNAMIC:
                Decode(bb);
                return;
            case ByteBuffer.BEAN:
                ThrowIfManagedForDecode();
                var bean = _createBean(0) ?? throw new DecodeException("a bean on the wire cannot be read into this dynamic field (no type for id 0)");
                bb.EnterNested();
                bean.Decode(bb);
                bb.LeaveNested();
                _bean = bean;
                _typeId = 0;
                return;
            default:
                bb.ThrowIncompatible(tag, "dynamic");
                return;
        }
    }

    public override Bean CopyBean()
    {
        var copy = new DynamicBean(_getSpecialTypeId, _createBean);
        copy.CopyFrom(this);
        return copy;
    }

    /// <summary>Sets this (unmanaged or managed) field to a copy of <paramref name="other"/>'s bean.</summary>
    public void CopyFrom(DynamicBean other)
    {
        var bean = other.Current(out _);
        Bean = bean is EmptyBean ? EmptyBean.Instance : bean.CopyBean();
    }

    public override void BuildString(StringBuilder sb, int level)
    {
        var bean = Current(out long typeId);
        sb.Append("dynamic(").Append(typeId).Append(") ");
        bean.BuildString(sb, level);
    }

    protected override void InitChildrenRootInfo(Record root)
    {
        if (_bean is not EmptyBean) _bean.InitRootInfo(root, this, 1);
    }

    protected override void ResetChildrenRootInfo()
    {
        if (_bean is not EmptyBean) _bean.ResetRootInfo();
    }

    public override void FollowerApply(Log log)
    {
        var inner = log is BeanChanges changes ? changes.GetVariableLog(1) : log;
        switch (inner)
        {
            case LogDynamic replaced:
                _bean = replaced.Value is EmptyBean ? EmptyBean.Instance : replaced.Value.CopyBean();
                _typeId = replaced.TypeId;
                break;
            case BeanChanges beanChanges:
                _bean.FollowerApply(beanChanges);
                break;
        }
    }

    public override bool Equals(object? obj) =>
        obj is DynamicBean d && DynamicTypeId == d.DynamicTypeId && Bean.Equals(d.Bean);

    public override int GetHashCode() => HashCode.Combine(DynamicTypeId, Bean);

    /// <summary>The replacement of a dynamic field's bean.</summary>
    public sealed class LogDynamic(DynamicBean belong, Bean value, long typeId) : Log<Bean>(belong, 1, value)
    {
        public long TypeId { get; } = typeId;

        public override void Commit()
        {
            var d = (DynamicBean)Belong!;
            d._bean = Value;
            d._typeId = TypeId;
        }
    }
}
