using System.Text;
using TestTx;
using TestTx.Demo;

namespace Zeze.Transaction.Tests;

/// <summary>Scenarios T1–T7, T11, T12, T14–T18 of transactions.md section 9: savepoints, nesting, actions, control flow.</summary>
public class NestingTests
{
    [Fact]
    public async Task T1_LogsAreVisibleInTheTransactionOnlyAndRollbackLeavesTheFieldUntouched()
    {
        await using var t = await TestApp.StartAsync();
        Assert.Equal(0, await t.Run(async () => { await t.Demo.T1.RemoveAsync(1); return 0; }));
        long rc = await t.Run(async () =>
        {
            var v = await t.Demo.T1.GetOrAddAsync(1);
            v.I1 = 1;
            Assert.Equal(1, v.I1);
            return ResultCode.LogicError; // roll back
        });
        Assert.Equal(ResultCode.LogicError, rc);
        Assert.Null(await t.Read(1));
        Assert.Equal(0, await t.Run(async () => { (await t.Demo.T1.GetOrAddAsync(1)).I1 = 1; return 0; }));
        Assert.Equal(1, (await t.Read(1))!.I1);
    }

    [Fact]
    public async Task T2_T3_NestedSavepointRollbackAndCommit()
    {
        await using var t = await TestApp.StartAsync();
        Assert.Equal(0, await t.Run(async () =>
        {
            var v = await t.Demo.T1.GetOrAddAsync(2);
            var txn = Transaction.Current!;
            v.I1 = 1;
            txn.BeginSavepoint();
            v.I1 = 2;
            Assert.Equal(2, v.I1);
            txn.RollbackSavepoint();
            Assert.Equal(1, v.I1);
            txn.BeginSavepoint();
            v.I1 = 3;
            txn.CommitSavepoint();
            Assert.Equal(3, v.I1);
            return 0;
        }));
        Assert.Equal(3, (await t.Read(2))!.I1);
    }

    [Fact]
    public async Task T4_NestedProceduresRollBackAlone()
    {
        await using var t = await TestApp.StartAsync();
        long inner1 = 0;
        Assert.Equal(0, await t.Run(async () =>
        {
            var v = await t.Demo.T1.GetOrAddAsync(4);
            v.I1 = 1;
            inner1 = await t.App.RunAsync(() => { v.I1 = 456; return ResultCode.Unknown; }, "inner1");
            Assert.Equal(1, v.I1);
            Assert.Equal(0, await t.App.RunAsync(() => { v.I1 = 123; return 0L; }, "inner2"));
            Assert.Equal(123, v.I1);
            return 0;
        }));
        Assert.Equal(ResultCode.Unknown, inner1);
        Assert.Equal(123, (await t.Read(4))!.I1);
    }

    [Fact]
    public async Task T5_NestedExceptionBecomesAResultCodeAndIsNotPropagated()
    {
        await using var t = await TestApp.StartAsync();
        long inner = 0;
        Assert.Equal(0, await t.Run(async () =>
        {
            var v = await t.Demo.T1.GetOrAddAsync(5);
            v.L2 = 7;
            inner = await t.App.RunAsync(new Func<long>(() => { v.L2 = 8; v.S3 = "inner"; throw new InvalidOperationException("boom"); }), "thrower");
            Assert.Equal(7, v.L2);
            Assert.Equal("", v.S3);
            return 0;
        }));
        Assert.Equal(ResultCode.Exception, inner);
        var stored = await t.Read(5);
        Assert.Equal(7, stored!.L2);
        Assert.Equal("", stored.S3);
    }

    [Fact]
    public async Task T6_NestedPutRollbackKeepsTheOuterInstance()
    {
        await using var t = await TestApp.StartAsync();
        Assert.Equal(0, await t.Run(async () =>
        {
            var v1 = await t.Demo.T1.GetOrAddAsync(4321);
            long rc = await t.App.RunAsync(async () => { await t.Demo.T1.PutAsync(4321, new Value()); return ResultCode.Unknown; }, "put");
            Assert.Equal(ResultCode.Unknown, rc);
            Assert.Same(v1, await t.Demo.T1.GetAsync(4321));
            return 0;
        }));
    }

    [Fact]
    public async Task T7_NestedMapAndSetRollback()
    {
        await using var t = await TestApp.StartAsync();
        Assert.Equal(0, await t.Run(async () =>
        {
            var v = await t.Demo.T1.GetOrAddAsync(7);
            v.Map15[1] = 1;
            v.Set10.Add(1);
            long rc = await t.App.RunAsync(() =>
            {
                Assert.Equal(1, v.Map15[1]);
                v.Map15[1] = 2;
                Assert.Equal(2, v.Map15[1]);
                Assert.True(v.Set10.Remove(1));
                Assert.False(v.Set10.Contains(1));
                return ResultCode.LogicError;
            }, "inner");
            Assert.Equal(ResultCode.LogicError, rc);
            Assert.Equal(1, v.Map15[1]);
            Assert.True(v.Set10.Contains(1));
            return 0;
        }));
        var stored = (await t.Read(7))!;
        Assert.Equal(1, stored.Map15[1]);
        Assert.Contains(1, stored.Set10);
    }

    [Fact]
    public async Task T11_ActionOrderingOfANestedTree()
    {
        await using var t = await TestApp.StartAsync();
        var sb = new StringBuilder();
        var app = t.App;
        void Mark(char commit, char rollback)
        {
            Transaction.Current!.WhileCommit(() => sb.Append(commit));
            Transaction.Current!.WhileRollback(() => sb.Append(rollback));
        }
        async ValueTask<long> Nested(char c, char r, long rc, params Func<ValueTask<long>>[] children)
        {
            Mark(c, r);
            foreach (var child in children) await app.RunAsync(child, "nested");
            return rc;
        }
        await app.RunAsync(async () =>
        {
            Mark('0', '1');
            await app.RunAsync(async () =>
            {
                Mark('2', '3');
                await app.RunAsync(() => Nested('4', '5', 0), "n11");
                await app.RunAsync(() => Nested('6', '7', ResultCode.Exception), "n12");
                Mark('8', '9');
                return 0;
            }, "n1");
            await app.RunAsync(async () =>
            {
                Mark('A', 'B');
                await app.RunAsync(async () =>
                {
                    Mark('C', 'D');
                    await app.RunAsync(() => Nested('E', 'F', 0), "n211");
                    Mark('G', 'H');
                    return ResultCode.Exception;
                }, "n21");
                await app.RunAsync(async () =>
                {
                    Mark('I', 'J');
                    await app.RunAsync(() => Nested('K', 'L', ResultCode.Exception), "n221");
                    Mark('M', 'N');
                    return 0;
                }, "n22");
                Mark('O', 'P');
                return ResultCode.Exception;
            }, "n2");
            Mark('Q', 'R');
            return 0;
        }, "nest procedure");
        await app.RunAsync(async () =>
        {
            Mark('S', 'T');
            await app.RunAsync(() => Nested('U', 'V', ResultCode.Exception), "n1");
            await app.RunAsync(() => Nested('W', 'X', 0), "n2");
            Mark('Y', 'Z');
            return ResultCode.Exception;
        }, "nest procedure");
        Assert.Equal("02478BDFHJLNPQTVXZ", sb.ToString());
    }

    [Fact]
    public async Task T12_ActionsOfARedoneAttemptNeverRun()
    {
        await using var t = await TestApp.StartAsync();
        int commits = 0, rollbacks = 0, attempts = 0;
        Assert.Equal(0, await t.Run(async () =>
        {
            attempts++;
            var txn = Transaction.Current!;
            txn.WhileCommit(() => commits++);
            txn.WhileRollback(() => rollbacks++);
            (await t.Demo.T1.GetOrAddAsync(12)).I1 += 1;
            if (attempts == 1) txn.ThrowRedo();
            return 0;
        }));
        Assert.Equal(2, attempts);
        Assert.Equal(1, commits);
        Assert.Equal(0, rollbacks);
    }

    [Fact]
    public async Task T14_ExceptionAtTopLevelRollsBackAndRunsRollbackActions()
    {
        await using var t = await TestApp.StartAsync();
        int rollbacks = 0;
        long rc = await t.Run(async () =>
        {
            Transaction.Current!.WhileRollback(() => rollbacks++);
            (await t.Demo.T1.GetOrAddAsync(14)).I1 = 5;
            throw new InvalidOperationException("top");
        });
        Assert.Equal(ResultCode.Exception, rc);
        Assert.Equal(1, rollbacks);
        Assert.Null(await t.Read(14));
    }

    [Fact]
    public async Task T15_AbortIsOneAttemptWithoutWritesAndRunsRollbackActions()
    {
        await using var t = await TestApp.StartAsync();
        int attempts = 0, rollbacks = 0;
        long rc = await t.Run(async () =>
        {
            attempts++;
            Transaction.Current!.WhileRollback(() => rollbacks++);
            (await t.Demo.T1.GetOrAddAsync(15)).I1 = 5;
            Transaction.Current!.ThrowAbort("x");
            return 0;
        });
        Assert.Equal(ResultCode.AbortException, rc);
        Assert.Equal(1, attempts);
        Assert.Equal(1, rollbacks);
        Assert.Null(await t.Read(15));
    }

    [Fact]
    public async Task T16_AlwaysRedoingGivesTooManyTry()
    {
        await using var t = await TestApp.StartAsync(configure: o => o.MaxAttempts = 256);
        int attempts = 0, rollbacks = 0;
        long rc = await t.Run(() =>
        {
            attempts++;
            Transaction.Current!.WhileRollback(() => rollbacks++);
            Transaction.Current!.ThrowRedo();
            return ValueTask.FromResult(0L);
        });
        Assert.Equal(ResultCode.TooManyTry, rc);
        Assert.Equal(256, attempts);
        Assert.Equal(1, rollbacks); // earlier attempts' actions were discarded; the last attempt's rollback action ran
    }

    [Fact]
    public async Task T17_SwallowedRedoIsStillRedone()
    {
        await using var t = await TestApp.StartAsync();
        int attempts = 0;
        Assert.Equal(0, await t.Run(async () =>
        {
            attempts++;
            (await t.Demo.T1.GetOrAddAsync(17)).I1 = attempts;
            if (attempts == 1)
            {
                try
                {
                    Transaction.Current!.ThrowRedo();
                }
                catch (TransactionControlException)
                {
                    // swallowed: the framework must still redo
                }
            }
            return 0;
        }));
        Assert.Equal(2, attempts);
        Assert.Equal(2, (await t.Read(17))!.I1);
    }

    [Fact]
    public async Task T18_UnbalancedSavepointIsErrorSavepoint()
    {
        await using var t = await TestApp.StartAsync();
        int attempts = 0;
        long rc = await t.Run(async () =>
        {
            attempts++;
            (await t.Demo.T1.GetOrAddAsync(18)).I1 = 1;
            Transaction.Current!.BeginSavepoint(); // never committed
            return 0;
        });
        Assert.Equal(ResultCode.ErrorSavepoint, rc);
        Assert.Equal(1, attempts);
        Assert.Null(await t.Read(18));
    }
}
