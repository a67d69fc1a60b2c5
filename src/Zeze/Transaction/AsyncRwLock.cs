using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Zeze.Transaction;

/// <summary>
/// A fair reader/writer lock that can be held across <c>await</c> (it has no owner thread) and waits without
/// blocking a thread. Acquiring an uncontended lock is one compare-and-swap and allocates nothing. Waiters
/// are granted in arrival order; a writer waiting blocks later readers. Records derive from it so that each
/// record is its own lock ("lockey").
/// </summary>
public class AsyncRwLock
{
    // _state: >0 number of readers, -1 writer, 0 free. Bit 30 set = there are queued waiters (slow path).
    private const int WaitersBit = 1 << 30;
    private const int CountMask = WaitersBit - 1;
    private const int WriterHeld = CountMask; // all count bits set means "one writer"

    private int _state;
    private WaitNode? _head, _tail; // guarded by lock(this) only while waiters exist

    /// <summary>True when a writer holds the lock.</summary>
    public bool IsWriteLocked => (Volatile.Read(ref _state) & CountMask) == WriterHeld;

    /// <summary>True while a writer holds the lock or others are queued for it: a commit of the record is under way.</summary>
    public bool IsBusy
    {
        get
        {
            int s = Volatile.Read(ref _state);
            return (s & WaitersBit) != 0 || (s & CountMask) == WriterHeld;
        }
    }

    /// <summary>Number of readers holding the lock.</summary>
    public int ReaderCount
    {
        get
        {
            int c = Volatile.Read(ref _state) & CountMask;
            return c == WriterHeld ? 0 : c;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEnterRead()
    {
        int s = Volatile.Read(ref _state);
        while ((s & WaitersBit) == 0 && (s & CountMask) < WriterHeld - 1)
        {
            int prev = Interlocked.CompareExchange(ref _state, s + 1, s);
            if (prev == s) return true;
            s = prev;
        }
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEnterWrite() => Interlocked.CompareExchange(ref _state, WriterHeld, 0) == 0;

    public bool TryEnter(bool write) => write ? TryEnterWrite() : TryEnterRead();

    /// <summary>Acquires the lock, waiting asynchronously (in arrival order) when it is not free.</summary>
    public ValueTask EnterAsync(bool write)
    {
        if (write ? TryEnterWrite() : TryEnterRead())
            return ValueTask.CompletedTask;
        if (SpinEnter(write))
            return ValueTask.CompletedTask;
        return EnterSlow(write);
    }

    /// <summary>
    /// Acquires the lock unless <paramref name="timeout"/> passes first (then false, and the lock is not held).
    /// </summary>
    public async ValueTask<bool> TryEnterAsync(bool write, TimeSpan timeout, TimeProvider timeProvider)
    {
        if (write ? TryEnterWrite() : TryEnterRead()) return true;
        if (SpinEnter(write)) return true;
        WaitNode node;
        WaitNode? granted;
        lock (this)
        {
            while (true)
            {
                int s = Volatile.Read(ref _state);
                if ((s & WaitersBit) != 0) break;
                int count = s & CountMask;
                if (write ? count == 0 : count < WriterHeld - 1)
                {
                    if (Interlocked.CompareExchange(ref _state, write ? WriterHeld : s + 1, s) == s) return true;
                    continue;
                }
                if (Interlocked.CompareExchange(ref _state, s | WaitersBit, s) == s) break;
            }
            node = new WaitNode { Write = write, TimedWait = true };
            if (_tail == null) _head = node;
            else _tail.Next = node;
            _tail = node;
            granted = GrantLocked();
        }
        var task = node.BoolTask;
        Complete(granted);
        using var timer = timeProvider.CreateTimer(static o =>
        {
            var (owner, waiter) = ((AsyncRwLock, WaitNode))o!;
            owner.ExpireWaiter(waiter);
        }, (this, node), timeout, Timeout.InfiniteTimeSpan);
        return await task.ConfigureAwait(false);
    }

    /// <summary>Removes a waiter whose time ran out, unless it was granted meanwhile.</summary>
    private bool ExpireWaiter(WaitNode node)
    {
        WaitNode? granted;
        lock (this)
        {
            WaitNode? prev = null;
            var cur = _head;
            while (cur != null && !ReferenceEquals(cur, node))
            {
                prev = cur;
                cur = cur.Next;
            }
            if (cur == null) return false; // already granted
            if (prev == null) _head = node.Next;
            else prev.Next = node.Next;
            if (ReferenceEquals(_tail, node)) _tail = prev;
            node.Next = null;
            if (_head == null)
            {
                // No waiters left: clear the bit (only code under this monitor changes the state while it is set).
                _state &= ~WaitersBit;
                granted = null;
            }
            else
            {
                granted = GrantLocked(); // a waiter behind a removed writer may be grantable now
            }
        }
        node.Expire();
        Complete(granted);
        return true;
    }

    /// <summary>
    /// Spins a little (a few microseconds at most) for a lock that nobody is queued for: a commit holds a record's
    /// lock for far less than the cost of suspending and resuming the waiting procedure.
    /// </summary>
    private bool SpinEnter(bool write)
    {
        if (Environment.ProcessorCount == 1) return false;
        var spinner = new SpinWait();
        for (int i = 0; i < 12; i++)
        {
            if ((Volatile.Read(ref _state) & WaitersBit) != 0) return false; // queued waiters go first
            spinner.SpinOnce(sleep1Threshold: -1);
            if (write ? TryEnterWrite() : TryEnterRead()) return true;
        }
        return false;
    }

    private ValueTask EnterSlow(bool write)
    {
        WaitNode node;
        WaitNode? granted;
        lock (this)
        {
            // Until the waiters bit is set, fast paths may change the state concurrently: use CAS only.
            while (true)
            {
                int s = Volatile.Read(ref _state);
                if ((s & WaitersBit) != 0) break;
                int count = s & CountMask;
                if (write ? count == 0 : count < WriterHeld - 1)
                {
                    if (Interlocked.CompareExchange(ref _state, write ? WriterHeld : s + 1, s) == s)
                        return ValueTask.CompletedTask;
                    continue;
                }
                if (Interlocked.CompareExchange(ref _state, s | WaitersBit, s) == s) break;
            }
            // From here on only code holding lock(this) changes the state.
            node = WaitNode.Rent(write);
            if (_tail == null) _head = node;
            else _tail.Next = node;
            _tail = node;
            granted = GrantLocked(); // the holder may have left meanwhile
        }
        var task = node.Task;
        Complete(granted);
        return task;
    }

    public void ExitRead()
    {
        while (true)
        {
            int s = Volatile.Read(ref _state);
            Debug.Assert((s & CountMask) > 0 && (s & CountMask) != WriterHeld, "ExitRead without a read lock");
            if ((s & WaitersBit) != 0)
            {
                WaitNode? granted;
                lock (this)
                {
                    Interlocked.Decrement(ref _state);
                    granted = GrantLocked();
                }
                Complete(granted);
                return;
            }
            if (Interlocked.CompareExchange(ref _state, s - 1, s) == s) return;
        }
    }

    public void ExitWrite()
    {
        if (Interlocked.CompareExchange(ref _state, 0, WriterHeld) == WriterHeld) return;
        WaitNode? granted;
        lock (this)
        {
            Debug.Assert((_state & CountMask) == WriterHeld, "ExitWrite without the write lock");
            _state &= ~CountMask; // keeps the waiters bit
            granted = GrantLocked();
        }
        Complete(granted);
    }

    public void Exit(bool write)
    {
        if (write) ExitWrite();
        else ExitRead();
    }

    // Grants the lock to waiters at the head of the queue while compatible. Caller holds lock(this). Returns the
    // granted nodes (chained through Next): the caller completes them after leaving the monitor.
    private WaitNode? GrantLocked()
    {
        WaitNode? first = null, last = null;
        while (_head != null)
        {
            var node = _head;
            int s = _state;
            int count = s & CountMask;
            if (node.Write ? count != 0 : count >= WriterHeld - 1)
                break;
            int next = node.Write ? WriterHeld : count + 1;
            _head = node.Next;
            if (_head == null)
            {
                _tail = null;
                _state = next; // no more waiters: clear the bit
            }
            else
            {
                _state = next | WaitersBit;
            }
            node.Next = null;
            if (last == null) first = node;
            else last.Next = node;
            last = node;
        }
        return first;
    }

    // Completes granted waiters after the monitor is left. Their continuations run asynchronously: a waiter's
    // continuation is arbitrary code (it may loop without yielding), so it must never run on the releaser's stack.
    private static void Complete(WaitNode? granted)
    {
        while (granted != null)
        {
            var node = granted;
            granted = node.Next;
            node.Next = null;
            node.Grant();
        }
    }

    /// <summary>A queued waiter.</summary>
    private sealed class WaitNode : IValueTaskSource, IValueTaskSource<bool>
    {
        [ThreadStatic] private static WaitNode? t_free;

        private ManualResetValueTaskSourceCore<bool> _core;
        public WaitNode? Next;
        public bool Write;

        internal WaitNode() => _core.RunContinuationsAsynchronously = true;

        public static WaitNode Rent(bool write)
        {
            var node = t_free;
            if (node != null) t_free = null;
            else node = new WaitNode();
            node.Write = write;
            return node;
        }

        public ValueTask Task => new(this, _core.Version);

        public ValueTask<bool> BoolTask => new(this, _core.Version);

        public void Grant() => _core.SetResult(true);

        /// <summary>Completes a timed-out wait (the node was removed from the queue).</summary>
        public void Expire() => _core.SetResult(false);

        void IValueTaskSource.GetResult(short token) => ((IValueTaskSource<bool>)this).GetResult(token);

        bool IValueTaskSource<bool>.GetResult(short token)
        {
            try
            {
                return _core.GetResult(token);
            }
            finally
            {
                _core.Reset();
                if (!TimedWait) t_free = this; // a node with a timer is not reused (the timer may still fire)
            }
        }

        public bool TimedWait;

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
            => _core.OnCompleted(continuation, state, token, flags);
    }
}
