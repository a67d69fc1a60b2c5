using System.Collections.Immutable;
using demo;
using demo.Module1;
using Zeze.Serialize;
using Zeze.Transaction;

namespace Zeze.Generator.Tests;

/// <summary>The generated code of Schemas/solution.xml: ids as Zeze computes them, and encode/decode round-trips.</summary>
public class KitchenSinkTests
{
    [Fact]
    public void IdsAreComputedAsZezeDoes()
    {
        Assert.Equal(-1219587236, Protocol1.ProtocolId_);
        Assert.Equal(1, Protocol1.ModuleId_);
        Assert.Equal((1L << 32) | unchecked((uint)-1219587236), Protocol1.TypeId_);
        Assert.Equal(100, Explicit.ProtocolId_);
        Assert.Equal(777, Key.TYPEID);
        Assert.Equal(Value.TYPEID, Hashes.Hash64("demo.Module1.Value"));
        Assert.Equal(Table1.TableId, Hashes.Hash32("demo.Module1.Table1"));
        Assert.Equal("demo_Module1_Table1", Table1.TableName);
        Assert.Equal(12345, TablePoint.TableId);
        Assert.Equal("demo_Module1_Module11_TableDeep", demo.Module1.Module11.TableDeep.TableName);
        Assert.Equal(3, demo.Module1.Module11.ModuleModule11.ModuleId);
        Assert.Equal(1, Value.DynamicTypeId_Dynamic14_Food);
        Assert.Equal(Value.DynamicTypeId_ListDynamic_Food, Hashes.Hash64("demo.Module1.Food"));
    }

    [Fact]
    public void ZezeHashVectors()
    {
        Assert.Equal(-1194800685, Hashes.Hash32("Zeze.Builtin.Game.Bag.Destroy"));
        Assert.Equal(-6855697390328479333, Hashes.Hash64("Zeze.Builtin.Provider.BKick"));
        Assert.Equal(3074457345618258791, Hashes.Hash64(""));
        Assert.Equal(-9185494755353500202, Hashes.Hash64("demo.Module1.BValue"));
        Assert.Equal(-1219587236, Hashes.Hash32("demo.Module1.Protocol1"));
    }

    [Fact]
    public void DefaultsComeFromTheSchema()
    {
        var v = new Value();
        Assert.Equal(5, v.Int1);
        Assert.Equal("hello", v.String3);
        Assert.True(v.Bool4);
        Assert.Equal(1.5f, v.Float6);
        Assert.Equal(2.5m, v.Decimal26);
        Assert.Equal((short)3, new Key().S);
        Assert.Equal(10, Bean1.Limit);
        Assert.Equal(1, Value.Red);
    }

    [Fact]
    public void AbsentFieldWithDefaultDecodesAsNaturalZero()
    {
        // The writer omits natural zeros, not defaults: an all-zero bean is just the END byte.
        var zero = new Value { Int1 = 0, String3 = "", Bool4 = false, Float6 = 0, Decimal26 = 0 };
        var bb = ByteBuffer.Allocate();
        zero.Encode(bb);
        var back = new Value();
        back.Decode(bb);
        Assert.Equal(0, back.Int1);
        Assert.Equal("", back.String3);
        Assert.False(back.Bool4);
        Assert.Equal(0f, back.Float6);
        Assert.Equal(zero, back);
    }

    public static Value Sample()
    {
        var v = new Value
        {
            Int1 = -7, Long2 = long.MaxValue, String3 = "中文 text", Bool4 = false, Short5 = -300, Float6 = float.NaN,
            Double7 = -0.1, Bytes8 = Binary.Wrap([1, 2, 3]), Byte13 = 200,
            Vector2 = new(1, 2), Vector2Int = new(-1, 1), Vector3 = new(1, 2, 3), Vector3Int = new(4, 5, 6),
            Vector4 = new(1, 2, 3, 4), Quaternion = new(0, 0, 0, 1), Decimal26 = -12.345m, FarAway = "far", Last = 42,
            KeyField = new Key(9, "k"), ArrayByte = Binary.Wrap([9, 9]), Transient34 = 99,
        };
        v.List9.Add(new Bean1 { V1 = 3 });
        v.List9.Add(new Bean1());
        v.Set10.Add(1);
        v.Set10.Add(-5);
        v.Map11.Put(7, new demo.Module2.Value2 { Text = "seven" });
        v.Bean12.Int1 = 12;
        v.Bean12.Children.Add(new Simple { String3 = "child" });
        v.Dynamic14.Bean = new Item { Count = 3 };
        v.Map15.Put(1, 100);
        v.Map16.Put(new Key(1, "a"), new Simple { Long2 = 5 });
        v.ListVector2Int.Add(new(7, 8));
        var dyn = Value.NewDynamicBean_MapDynamic();
        dyn.Bean = new Simple { Int1 = 1 };
        v.MapDynamic.Put(new Key(2, "b"), dyn);
        v.DynamicSimple.Bean = new Simple { Int1 = 77 };
        v.ListString.Add("x");
        v.MapLongForm.Put("bean", new Bean1 { V1 = 8 });
        v.ArrayInt.Add(3);
        v.SetString.Add("s");
        var ld = Value.NewDynamicBean_ListDynamic();
        ld.Bean = new Food { Calories = 500 };
        v.ListDynamic.Add(ld);
        return v;
    }

    [Fact]
    public void EveryFieldRoundTrips()
    {
        var v = Sample();
        var bb = ByteBuffer.Allocate();
        v.Encode(bb);
        var back = new Value();
        back.Decode(bb);
        Assert.Equal(0, bb.Size);
        Assert.Equal(0, back.Transient34); // transient: never written
        back.Transient34 = v.Transient34;
        Assert.Equal(v, back);
        Assert.Equal(3, ((Item)back.Dynamic14.Bean).Count);
        Assert.Equal(2, back.Dynamic14.DynamicTypeId);
        Assert.Equal(500, ((Food)back.ListDynamic[0].Bean).Calories);
        Assert.Equal("child", back.Bean12.Children[0].String3);
        // Copy is deep and equal.
        var copy = v.Copy();
        Assert.Equal(v, copy);
        copy.Bean12.Int1 = 1;
        Assert.Equal(12, v.Bean12.Int1);
        Assert.Contains("String3=中文 text", v.ToString());
    }

    [Fact]
    public void BeanKeyHasValueSemanticsAndOrder()
    {
        var a = new Key(1, "a");
        Assert.Equal(a, new Key(1, "a"));
        Assert.Equal(a.GetHashCode(), new Key(1, "a").GetHashCode());
        Assert.True(a.CompareTo(new Key(1, "b")) < 0);
        Assert.True(a.CompareTo(new Key(0, "z")) > 0);
        var bb = ByteBuffer.Allocate();
        new Point(1, -2, true, Binary.Wrap([5]), 1.25m, new(3, 4), a).Encode(bb);
        var p = BeanKeys.Decode<Point>(bb);
        Assert.Equal(new Point(1, -2, true, Binary.Wrap([5]), 1.25m, new(3, 4), a), p);
    }

    [Fact]
    public void ProtocolAndRpcRoundTrip()
    {
        var p = new Protocol1(Sample());
        var frame = p.EncodeFrame();
        var bb = ByteBuffer.Wrap(frame);
        Assert.Equal(1, bb.ReadInt4());
        Assert.Equal(Protocol1.ProtocolId_, bb.ReadInt4());
        Assert.Equal(frame.Length - 12, bb.ReadInt4());
        var back = new Protocol1();
        back.Decode(bb);
        back.Argument.Transient34 = p.Argument.Transient34;
        Assert.Equal(p.Argument, back.Argument);

        var rpc = new Rpc1(new Bean1 { V1 = 4 }) { SessionId = 300 };
        var rb = ByteBuffer.Allocate();
        rpc.Encode(rb);
        var req = new Rpc1();
        req.Decode(rb);
        Assert.True(req.IsRequest);
        Assert.Equal(300, req.SessionId);
        Assert.Equal(4, req.Argument.V1);

        // The generated constructors hand their beans to the base (no second, discarded argument).
        var argument = new Bean1 { V1 = 7 };
        Assert.Same(argument, new Rpc1(argument).Argument);
        Assert.NotNull(new Rpc1().Argument);
        Assert.NotNull(new Protocol1().Argument);

        rpc.IsRequest = false;
        rpc.Result.V1 = 9;
        var response = ByteBuffer.Allocate();
        rpc.Encode(response);
        var res = new Rpc1();
        res.Decode(response);
        Assert.False(res.IsRequest);
        Assert.Equal(9, res.Result.V1);
    }

    [Fact]
    public void ModulesRegisterTablesAndHandlers()
    {
        var app = new Application(new ZezeOptions());
        var m1 = new ModuleModule1(app);
        var m2 = new demo.Module2.ModuleModule2(app);
        Assert.Same(m1.Table1, app.GetTable("demo_Module1_Table1"));
        Assert.True(m1.Table1.IsAutoKey);
        Assert.True(m1.Table4.IsMemory);
        var handles = m1.GetProtocolHandles().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.NotNull(handles[Protocol1.TypeId_].Handle);
        Assert.Null(handles[Rpc2.TypeId_].Handle); // clientscript only: factory for responses
        Assert.False(handles.ContainsKey(ToClient.TypeId_)); // handled by clients
        Assert.Equal(TransactionLevel.None, handles[ProtocolNoProcedure.TypeId_].Level);
        // protocolref: Module2 handles Module1's Protocol3 with Module1's ids.
        Assert.Contains(m2.GetProtocolHandles(), kv => kv.Key == Protocol3.TypeId_ && kv.Value.Handle != null);
        Assert.Equal(ResultCode.Module(1, 5), m1.ErrorCode(5));
    }

    [Fact]
    public void SchemaCatalogDescribesBeans()
    {
        var schema = new Table1().Schema!;
        Assert.Equal("long", schema.KeyType);
        Assert.Equal("demo.Module1.Value", schema.ValueType);
        var value = schema.Beans["demo.Module1.Value"];
        Assert.Contains(value.Variables, v => v.Id == 9 && v.Type == "list[demo.Bean1]");
        Assert.Contains(value.Variables, v => v.Id == 16 && v.Type == "map[demo.Module1.Key,demo.Module1.Simple]");
        Assert.DoesNotContain(value.Variables, v => v.Id == 34); // transient
        Assert.True(schema.Beans["demo.Module1.Key"].IsKey);
    }
}
