using Zeze.Transaction;

namespace Zeze.Net.Tests;

/// <summary>Messages sent from a procedure leave only when it commits (or, if asked, when it rolls back).</summary>
public class SendWhenCommitTests
{
    [Fact]
    public async Task ResponsesFollowTheProcedureOutcome()
    {
        await using var app = new Application(new ZezeOptions { CheckpointPeriod = TimeSpan.Zero });
        await app.StartAsync();
        await using var server = new Service("server", Echo.Options(), procedureRunner: app);
        int sentInsideBeforeCommit = -1;
        server.AddFactoryHandle(EchoRpc.TypeId_, new ProtocolFactoryHandle(() => new EchoRpc(), p =>
        {
            var rpc = (EchoRpc)p;
            Assert.NotNull(Transaction.Transaction.Current);
            rpc.Result = rpc.Argument;
            if (rpc.Argument.Id == 1)
            {
                rpc.SendResultWhenCommit();
                sentInsideBeforeCommit = rpc.IsResponseSent ? 1 : 0;
                return ValueTask.FromResult(0L);
            }
            // Roll back: the rollback reply goes out, the commit one never does.
            rpc.SendResultCodeWhenCommit(99);
            rpc.SendResultCodeWhenRollback(77);
            return ValueTask.FromResult(5L);
        }, TransactionLevel.Serializable, "test.EchoRpc"));
        await server.StartAsync();
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        var so = await client.ConnectReadyAsync(server);

        Assert.Equal(0, await Echo.EchoAsync(so, 1, [1]));
        Assert.Equal(0, sentInsideBeforeCommit);
        Assert.Equal(77, await Echo.EchoAsync(so, 2, [2]));
    }
}
