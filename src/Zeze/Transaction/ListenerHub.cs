using Zeze.Transaction.Collections;

namespace Zeze.Transaction;

/// <summary>
/// Builds the change records of a committing transaction and hands them to the tables' listeners. Runs in the
/// committing task while the record locks are held, so every listener sees exactly this commit's values.
/// </summary>
internal sealed class ListenerHub(Application app)
{
    internal void Notify(Transaction txn, RecordAccessed[] accessed, int count, Savepoint sp)
    {
        bool any = false;
        for (int i = 0; i < count; i++)
        {
            if (accessed[i].Dirty && accessed[i].Record.Table.Listeners.HasListeners)
            {
                any = true;
                break;
            }
        }
        if (!any) return;
        var trees = BuildChangeTrees(sp);
        for (int i = 0; i < count; i++)
        {
            var ra = accessed[i];
            if (!ra.Dirty) continue;
            var table = ra.Record.Table;
            var listeners = table.Listeners.Snapshot;
            if (listeners.Length == 0) continue;
            ChangeRecord change;
            if (sp.GetLog(ra.PutLogKey) is PutLog put)
            {
                change = put.Value == null
                    ? new ChangeRecord(table, ra.Record.KeyObject, ChangeKind.Remove, ra.Value, null)
                    : new ChangeRecord(table, ra.Record.KeyObject, ChangeKind.Put, put.Value, null);
            }
            else
            {
                var value = ra.Record.Value;
                var tree = value != null && trees.TryGetValue(value, out var t) ? (BeanChanges)t : null;
                if (value != null)
                {
                    tree ??= new BeanChanges(value);
                    // The version is set directly at commit (not logged): report it like a field write.
                    int versionId = value.VersionVariableId;
                    if (versionId != 0) tree.Set(versionId, new VersionLog(value, versionId, value.GetVersionOnCommit()));
                }
                change = new ChangeRecord(table, ra.Record.KeyObject, ChangeKind.Edit, value, tree);
            }
            foreach (var listener in listeners)
            {
                try
                {
                    listener(change);
                }
                catch (Exception e)
                {
                    app.Log.ListenerException(table.Name, e);
                }
            }
        }
    }

    private sealed class VersionLog(Bean bean, int variableId, long version) : Log<long>(bean, variableId, version)
    {
        public override void Commit() { }
    }

    /// <summary>
    /// Turns the flat logs of the transaction into one change tree per root bean: each log is attached to its
    /// bean's changes, and each changed bean to its parent's, up to the record's root value.
    /// </summary>
    private static Dictionary<Bean, Log> BuildChangeTrees(Savepoint sp)
    {
        var byBean = new Dictionary<Bean, Log>(ReferenceEqualityComparer.Instance);
        var roots = new Dictionary<Bean, Log>(ReferenceEqualityComparer.Instance);
        foreach (var log in sp.Logs.Values)
        {
            if (log is PutLog) continue;
            var bean = log.Belong;
            if (bean?.RootRecord == null) continue;
            if (bean is CollectionBean)
            {
                if (byBean.TryGetValue(bean, out var existing))
                {
                    if (!ReferenceEquals(existing, log)) { } // created while propagating a child: that one carries the notes
                    continue;
                }
                byBean[bean] = log;
                Propagate(bean, log, byBean, roots, sp);
            }
            else
            {
                bool existed = byBean.TryGetValue(bean, out var changes);
                if (!existed)
                {
                    changes = new BeanChanges(bean);
                    byBean[bean] = changes;
                }
                ((BeanChanges)changes!).Set(log.VariableId, log);
                if (!existed) Propagate(bean, changes, byBean, roots, sp);
            }
        }
        return roots;
    }

    private static void Propagate(Bean bean, Log beanLog, Dictionary<Bean, Log> byBean, Dictionary<Bean, Log> roots, Savepoint sp)
    {
        while (true)
        {
            var parent = bean.Parent;
            if (parent == null)
            {
                roots[bean] = beanLog;
                return;
            }
            bool existed = byBean.TryGetValue(parent, out var parentLog);
            if (!existed)
            {
                parentLog = parent is CollectionBean coll
                    ? sp.GetLog(coll.ObjectId) ?? coll.CreateChangesLog()
                    : new BeanChanges(parent);
                byBean[parent] = parentLog;
            }
            if (parent is CollectionBean c) c.AddChildChanges(parentLog!, bean, beanLog);
            else ((BeanChanges)parentLog!).Set(bean.VariableId, beanLog);
            if (existed) return;
            bean = parent;
            beanLog = parentLog!;
        }
    }
}
