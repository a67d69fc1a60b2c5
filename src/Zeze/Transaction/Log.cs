using System.ComponentModel;

namespace Zeze.Transaction;

/// <summary>
/// A pending change made inside a transaction. Nothing shared changes until commit, when
/// <see cref="Commit"/> applies the change to its bean. Logs are keyed by <see cref="LogKey"/>; a newer
/// log for the same key replaces the older one.
/// </summary>
public abstract class Log
{
    protected Log(Bean? belong, int variableId)
    {
        Belong = belong;
        VariableId = variableId;
    }

    /// <summary>The bean whose field changes (for collections: the collection).</summary>
    public Bean? Belong { get; }

    public int VariableId { get; }

    /// <summary><c>Belong.ObjectId + VariableId</c>: names one field of one bean instance.</summary>
    public virtual long LogKey => Belong!.ObjectId + VariableId;

    /// <summary>The record this log dirties (null when the bean is not managed: tests only).</summary>
    internal virtual Record? OwnerRecord => Belong?.RootRecord;

    /// <summary>Applies the change to the shared object. Runs under the record's write lock; must not fail.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public abstract void Commit();

    /// <summary>The log a nested savepoint starts from when it first changes this field. Immutable logs return themselves.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public virtual Log BeginSavepoint() => this;

    /// <summary>Merges this log (from a nested savepoint that committed) into <paramref name="parent"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public virtual void EndSavepoint(Savepoint parent) => parent.PutLog(this);

    public override string ToString() => $"{GetType().Name}(var={VariableId})";
}

/// <summary>A field write: the new value of one field.</summary>
public abstract class Log<T>(Bean belong, int variableId, T value) : Log(belong, variableId)
{
    public T Value { get; } = value;

    public override string ToString() => $"{VariableId}={Value}";
}
