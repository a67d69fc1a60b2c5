using Zeze.Services.GlobalCache;
using static Zeze.Services.GlobalCache.GlobalState;

namespace Zeze.GlobalCache.Tests;

/// <summary>
/// The GCM against a small model of A5 (TESTING.md L0): seeded random acquires and releases from a few servers on
/// a few keys, one at a time, holders always giving keys up. After each step the answer equals the model's, the
/// GCM's record of every server and key equals the model, and I1 holds (a Modify holder excludes sharers).
/// </summary>
public class GcmModelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RandomSequencesFollowTheModel(int seed)
    {
        await using var gcm = await Gcm.StartAsync();
        var servers = new List<FakeServer>();
        for (int s = 1; s <= 3; s++) servers.Add(await FakeServer.ConnectAsync(gcm.Port, s));
        var keys = Enumerable.Range(0, 4).Select(i => Keys.Of(i)).ToArray();
        var modify = new int[keys.Length]; // server id or 0
        var share = keys.Select(_ => new HashSet<int>()).ToArray();
        var random = new Random(seed);
        for (int step = 0; step < 300; step++)
        {
            var x = servers[random.Next(servers.Count)];
            int id = x.ServerId;
            int k = random.Next(keys.Length);
            int op = random.Next(3);
            (int, long) expected;
            switch (op)
            {
                case Share:
                    if (modify[k] == id) expected = (Modify, GlobalResultCode.AcquireShareAlreadyIsModify);
                    else
                    {
                        modify[k] = 0;
                        share[k].Add(id);
                        expected = (Share, 0);
                    }
                    break;
                case Modify:
                    expected = modify[k] == id ? (Modify, GlobalResultCode.AcquireModifyAlreadyIsModify) : (Modify, 0);
                    modify[k] = id;
                    share[k].Clear();
                    break;
                default:
                    if (modify[k] == id) modify[k] = 0;
                    share[k].Remove(id);
                    expected = (Invalid, 0);
                    break;
            }
            var got = await x.AcquireAsync(keys[k], op);
            Assert.True(expected == got, $"seed {seed} step {step}: server {id} op {op} key {k}: expected {expected}, got {got}");
            for (int kk = 0; kk < keys.Length; kk++)
            {
                int modifiers = 0;
                foreach (var s in servers)
                {
                    int state = gcm.StateOf(s.ServerId, keys[kk]);
                    int model = modify[kk] == s.ServerId ? Modify : share[kk].Contains(s.ServerId) ? Share : Invalid;
                    Assert.True(model == state, $"seed {seed} step {step}: server {s.ServerId} key {kk}: model {model}, GCM {state}");
                    if (state == Modify) modifiers++;
                }
                Assert.True(modifiers == 0 || (modifiers == 1 && share[kk].Count == 0), "I1");
            }
        }
        int held = Enumerable.Range(0, keys.Length).Count(k => modify[k] != 0 || share[k].Count > 0);
        Assert.Equal(held, gcm.KeyCount);
        foreach (var s in servers) await s.DisposeAsync();
    }
}
