using Zeze.Serialize.Tests.Beans;

namespace Zeze.Serialize.Tests;

/// <summary>The examples of docs/wire-format.md.</summary>
public class DocExampleTests
{
    [Fact]
    public void PlayerEncodesAndDecodes()
    {
        var p = new Player { Level = 3, Name = "hi", Friends = [7, 300] };
        Assert.Equal(Hex.Norm("10 03 13 02 68 69 34 20 07 41 2C 00"), Hex.Encode(p));
        var back = Hex.Decode("10 03 13 02 68 69 34 20 07 41 2C 00", new Player());
        Assert.Equal((3, "hi"), (back.Level, back.Name));
        Assert.Equal([7L, 300L], back.Friends);
    }

    [Fact]
    public void PlayerSkipsFieldsItDoesNotKnow()
    {
        // {1:int=3, 3:double, 4:bean, 5:list<long>=[7], 28:string}: fields 3, 4 and 28 are unknown to Player.
        var p = Hex.Decode("10 03 22 00 00 00 00 00 00 F0 3F 16 10 01 00 14 10 07 F3 08 01 78 00", new Player());
        Assert.Equal(3, p.Level);
        Assert.Equal([7L], p.Friends);
    }

    [Fact]
    public void MapExample() => Assert.Equal(Hex.Norm("25 03 01 01 01 61 00"), Hex.Encode(new BMapIntString { V2 = { [1] = "a" } }));
}
