namespace Zeze.Transaction;

/// <summary>What a committed transaction did to one record.</summary>
public enum ChangeKind
{
    /// <summary>The record was removed; <see cref="ChangeRecord.Value"/> is the value before.</summary>
    Remove = 0,

    /// <summary>The record was created or its whole value replaced; <see cref="ChangeRecord.Value"/> is the new value.</summary>
    Put = 1,

    /// <summary>Fields changed; <see cref="ChangeRecord.Changes"/> holds the change tree of the value.</summary>
    Edit = 2,
}

/// <summary>A change listener: called after a commit that changed a record of the table, once per record.</summary>
public delegate void ChangeListener(ChangeRecord change);

/// <summary>The listeners of one table. Registration is copy-on-write; notification reads a snapshot.</summary>
public sealed class ChangeListeners
{
    private ChangeListener[] _listeners = [];

    public bool HasListeners => Volatile.Read(ref _listeners).Length > 0;

    public void Add(ChangeListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (this) _listeners = [.. _listeners, listener];
    }

    public bool Remove(ChangeListener listener)
    {
        lock (this)
        {
            int i = Array.IndexOf(_listeners, listener);
            if (i < 0) return false;
            _listeners = [.. _listeners[..i], .. _listeners[(i + 1)..]];
            return true;
        }
    }

    internal ChangeListener[] Snapshot => Volatile.Read(ref _listeners);
}
