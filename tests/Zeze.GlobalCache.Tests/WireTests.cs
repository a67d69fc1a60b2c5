using Zeze.Net;
using Zeze.Serialize;
using Zeze.Services.GlobalCache;

namespace Zeze.GlobalCache.Tests;

public class WireTests
{
    private static T RoundTrip<T>(T bean) where T : ISerializable, new()
    {
        var bb = ByteBuffer.Allocate();
        bean.Encode(bb);
        var copy = new T();
        copy.Decode(bb);
        Assert.Equal(0, bb.Size);
        return copy;
    }

    [Fact]
    public void GlobalKeyStateRoundTrips()
    {
        var key = Keys.Of(42, table: -7);
        var copy = RoundTrip(new GlobalKeyState { GlobalKey = new Binary(key), State = GlobalState.Modify, Fresh = true });
        Assert.Equal(key, copy.GlobalKey.ToArray());
        Assert.Equal(GlobalState.Modify, copy.State);
        Assert.True(copy.Fresh);
        Assert.False(RoundTrip(new GlobalKeyState { State = GlobalState.Share }).Fresh);
    }

    [Fact]
    public void GlobalKeyStateBytesKeepTheFieldOrderOfZeze()
    {
        var bb = ByteBuffer.Allocate();
        new GlobalKeyState { GlobalKey = new Binary([0xAB, 0xCD]), State = 2, Fresh = true }.Encode(bb);
        // binary (count 2, bytes), int state 2, reducedTid as 16 zero bytes, then our fresh flag.
        Assert.Equal("02ABCD02" + new string('0', 32) + "01", Convert.ToHexString(bb.ToArray()));
    }

    [Fact]
    public void GlobalKeyStateWithoutFreshDecodesAsNotFresh()
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteBinary(new Binary([1]));
        bb.WriteInt(1);
        bb.WriteLong8(0);
        bb.WriteLong8(0);
        var s = new GlobalKeyState();
        s.Decode(bb);
        Assert.False(s.Fresh);
        Assert.Equal(1, s.State);
    }

    [Fact]
    public void LoginParamRoundTrips()
    {
        var copy = RoundTrip(new LoginParam { ServerId = 12, GlobalCacheManagerHashIndex = 2, DebugMode = true });
        Assert.Equal(12, copy.ServerId);
        Assert.Equal(2, copy.GlobalCacheManagerHashIndex);
        Assert.True(copy.DebugMode);
    }

    [Fact]
    public void AchillesHeelConfigRoundTripsAndOldFormatGetsDefaults()
    {
        var copy = RoundTrip(new AchillesHeelConfig { MaxNetPing = 100, ServerProcessTime = 400, ServerReleaseTimeout = 1500, ReconnectTimer = 200, DaemonSlack = 50 });
        Assert.Equal((100, 400, 1500, 200, 50), (copy.MaxNetPing, copy.ServerProcessTime, copy.ServerReleaseTimeout, copy.ReconnectTimer, copy.DaemonSlack));

        var bb = ByteBuffer.Allocate();
        bb.WriteInt(3000);
        bb.WriteInt(14000);
        bb.WriteInt(60000);
        var old = new AchillesHeelConfig();
        old.Decode(bb);
        Assert.Equal(1000, old.ReconnectTimer);
        Assert.Equal(1000, old.DaemonSlack);
    }

    [Fact]
    public void StatusInfoRoundTrips()
    {
        var s = new GlobalStatusInfo
        {
            InstanceIndex = 1, UptimeMs = 5, QuarantineRemainingMs = 7, Timing = "t", Keys = 3, BusyKeys = 2, QueuedRequests = 1,
            Counters = [new("a", 1), new("b", 2)],
            Sessions = [new GlobalSessionInfo { ServerId = 4, Connected = true, Remote = "x", LoggedIn = true, KeysHeld = 9, IdleMs = 3, LastErrorAgoMs = 11 }],
            HotKeys = [new GlobalHotKey(new Binary(Keys.Of(1)), 17)],
        };
        var c = RoundTrip(s);
        Assert.Equal(s.Format(), c.Format());
        Assert.Equal(2, c.Counter("b"));
        Assert.Contains("server 4: connected x", c.Format());
    }

    [Theory]
    [InlineData("Acquire", Acquire.ProtocolId_)]
    [InlineData("Reduce", Reduce.ProtocolId_)]
    [InlineData("Login", Login.ProtocolId_)]
    [InlineData("ReLogin", ReLogin.ProtocolId_)]
    [InlineData("NormalClose", NormalClose.ProtocolId_)]
    [InlineData("KeepAlive", GlobalKeepAlive.ProtocolId_)]
    [InlineData("Status", GlobalStatus.ProtocolId_)]
    public void ProtocolIdsAreHash32OfZezeClassNames(string name, int id)
    {
        Assert.Equal(id, Hash32("Zeze.Services.GlobalCacheManager." + name));
        Protocol p = name switch
        {
            "Acquire" => new Acquire(), "Reduce" => new Reduce(), "Login" => new Login(), "ReLogin" => new ReLogin(),
            "NormalClose" => new NormalClose(), "KeepAlive" => new GlobalKeepAlive(), _ => new GlobalStatus(),
        };
        Assert.Equal(0, p.ModuleId);
        Assert.Equal(Protocol.MakeTypeId(0, id), p.TypeId);
    }

    [Fact]
    public void AcquireFrameRoundTripsWithResultCode()
    {
        var rpc = new Acquire { SessionId = 99 };
        rpc.Argument.GlobalKey = new Binary(Keys.Of(5));
        rpc.Argument.State = GlobalState.Share;
        rpc.IsRequest = false;
        rpc.ResultCode = GlobalResultCode.AcquireShareAlreadyIsModify;
        rpc.Result = new GlobalKeyState { GlobalKey = rpc.Argument.GlobalKey, State = GlobalState.Modify };
        var frame = ByteBuffer.Wrap(rpc.EncodeFrame());
        Assert.Equal(0, frame.ReadInt4());
        Assert.Equal(Acquire.ProtocolId_, frame.ReadInt4());
        Assert.Equal(frame.Size - 4, frame.ReadInt4());
        var back = new Acquire();
        back.Decode(frame);
        Assert.False(back.IsRequest);
        Assert.Equal(99, back.SessionId);
        Assert.Equal(22, back.ResultCode);
        Assert.Equal(GlobalState.Modify, back.Result.State);
    }

    [Fact]
    public void RedoCodesAreTheRetryableOnes()
    {
        foreach (long c in new long[] { 16, 21, 23, 28, 30 }) Assert.True(GlobalResultCode.IsRedo(c));
        foreach (long c in new long[] { 0, 22, 24, 25, 26, 27, 201, 202, 203, 204, -10, -14 }) Assert.False(GlobalResultCode.IsRedo(c));
        Assert.Equal("AcquireModifyDeadLockFound", GlobalResultCodeNames.NameOf(23));
        Assert.Equal("Timeout", GlobalResultCodeNames.NameOf(-10));
    }

    /// <summary>Zeze's id hash (wire-and-schema.md C4), written from the spec.</summary>
    private static int Hash32(string s)
    {
        ulong h = 0x2AAAAAAAAAAAAB67;
        foreach (char c in s) h = unchecked((h + c) * 0x2AAAAAAAAAAAAB6F);
        return (int)((uint)h ^ (uint)(h >> 32));
    }
}
