namespace Bank.Accounts;

// The generated half of this class holds the tables (tAccount, tTransfer); this half holds the procedures.
public sealed partial class ModuleAccounts
{
    /// <summary>Opens the accounts once. Returns how many exist.</summary>
    public async ValueTask<int> OpenAccountsAsync(int count, long initial)
    {
        int existing = 0;
        await App.RunAsync(async () =>
        {
            for (long id = 0; id < count; id++)
            {
                var account = await tAccount.GetOrAddAsync(id);
                if (account.Owner.Length == 0)
                {
                    account.Owner = $"customer-{id}";
                    account.Balance = initial;
                }
                else
                {
                    existing++;
                }
            }
            return 0;
        }, "open-accounts");
        return existing;
    }

    /// <summary>
    /// Moves money between two accounts: a serializable transaction. Returning a non-zero code rolls it back;
    /// so does an exception. The transfer log entry and both balances commit together, or not at all.
    /// </summary>
    public ValueTask<long> TransferAsync(long from, long to, long amount) => App.RunAsync(async () =>
    {
        var source = await tAccount.GetAsync(from) ?? throw new InvalidOperationException($"no account {from}");
        var target = await tAccount.GetAsync(to) ?? throw new InvalidOperationException($"no account {to}");
        if (source.Balance < amount) return ErrorCode(InsufficientFunds);
        source.Balance -= amount;
        target.Balance += amount;
        await tTransfer.InsertAsync(new BTransfer { From = from, To = to, Amount = amount });
        return 0;
    }, "transfer");

    /// <summary>The sum of all balances, read in one transaction (a consistent snapshot).</summary>
    public async ValueTask<long> TotalAsync(int count)
    {
        long total = 0;
        await App.RunAsync(async () =>
        {
            total = 0;
            for (long id = 0; id < count; id++) total += (await tAccount.GetAsync(id))?.Balance ?? 0;
            return 0;
        }, "total");
        return total;
    }
}
