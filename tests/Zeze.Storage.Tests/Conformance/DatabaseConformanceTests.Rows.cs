namespace Zeze.Storage.Tests.Conformance;

/// <summary>Put, find, delete, walk.</summary>
public abstract partial class DatabaseConformanceTests
{
    // Keys where byte order, trailing zeros and the empty key matter.
    private static readonly byte[][] AwkwardKeys =
    [
        [], [0], [0, 0], [1], [1, 0], [1, 0, 0], [1, 1], [0x7F], [0x80], [0x80, 0], [0xFF], [0xFF, 0xFF], [0x20], [0x20, 0x20],
    ];

    [Fact]
    public async Task FindReturnsTheExactBytesPut()
    {
        var db = await OpenAsync();
        var table = await db.OpenTableAsync("demo_Module1_Table1", Ct);
        byte[][] values = [[], [0], [0, 0, 0], [0x20, 0x20], [0xFF, 0, 0xFF, 0], RandomBytes(1000, 1)];
        await using (var batch = db.BeginBatch())
        {
            for (int i = 0; i < values.Length; i++)
                batch.Put(table, [(byte)i, 0], values[i]);
            Assert.Equal(values.Length, batch.Count);
            await batch.CommitAsync(Ct);
        }

        for (int i = 0; i < values.Length; i++)
            Assert.Equal(values[i], await table.FindAsync(B((byte)i, 0), Ct));
        Assert.Null(await table.FindAsync(B(0), Ct));
        Assert.Null(await table.FindAsync(B(99), Ct));

        // The array returned is the caller's: changing it changes nothing stored.
        var found = (await table.FindAsync(B(5, 0), Ct))!;
        found[0] ^= 0xFF;
        Assert.Equal(values[5], await table.FindAsync(B(5, 0), Ct));
    }

    [Fact]
    public async Task KeysDifferingOnlyByTrailingZerosOrSpacesAreDistinct()
    {
        var db = await OpenAsync();
        var table = await db.OpenTableAsync("keys", Ct);
        await using (var batch = db.BeginBatch())
        {
            for (int i = 0; i < AwkwardKeys.Length; i++)
                batch.Put(table, AwkwardKeys[i], [(byte)i]);
            await batch.CommitAsync(Ct);
        }
        for (int i = 0; i < AwkwardKeys.Length; i++)
            Assert.Equal(B((byte)i), await table.FindAsync(AwkwardKeys[i], Ct));
    }

    [Fact]
    public async Task WalkReturnsEveryRowInUnsignedByteOrder()
    {
        var db = await OpenAsync();
        var table = await db.OpenTableAsync("walked", Ct);
        Assert.Empty(await WalkAsync(table));
        await using (var batch = db.BeginBatch())
        {
            // Put in reverse so that insertion order cannot pass for key order.
            for (int i = AwkwardKeys.Length - 1; i >= 0; i--)
                batch.Put(table, AwkwardKeys[i], [(byte)i]);
            await batch.CommitAsync(Ct);
        }

        var rows = await WalkAsync(table);
        var expected = AwkwardKeys.Select((k, i) => (Key: k, Value: B((byte)i))).OrderBy(r => r.Key, ByteArrayComparer.Instance).ToList();
        Assert.Equal(expected.Select(r => r.Key), rows.Select(r => r.Key));
        Assert.Equal(expected.Select(r => r.Value), rows.Select(r => r.Value));
    }

    [Fact]
    public async Task DeleteRemovesARowAndDeletingAMissingRowIsHarmless()
    {
        var db = await OpenAsync();
        var table = await db.OpenTableAsync("deleted", Ct);
        await PutAsync(db, table, B(1), B(10));
        await PutAsync(db, table, B(2), B(20));
        await using (var batch = db.BeginBatch())
        {
            batch.Delete(table, B(1));
            batch.Delete(table, B(3));
            await batch.CommitAsync(Ct);
        }
        Assert.Null(await table.FindAsync(B(1), Ct));
        Assert.Equal(B(20), await table.FindAsync(B(2), Ct));
        Assert.Single(await WalkAsync(table));
    }

    [Fact]
    public async Task PutReplacesAndTheLastWriteToAKeyInABatchWins()
    {
        var db = await OpenAsync();
        var table = await db.OpenTableAsync("replaced", Ct);
        await PutAsync(db, table, B(1), B(1));
        await using (var batch = db.BeginBatch())
        {
            batch.Put(table, B(1), B(2));
            batch.Put(table, B(1), B(3));
            batch.Put(table, B(2), B(1));
            batch.Delete(table, B(2));
            batch.Delete(table, B(3));
            batch.Put(table, B(3), B(33));
            await batch.CommitAsync(Ct);
        }
        Assert.Equal(B(3), await table.FindAsync(B(1), Ct));
        Assert.Null(await table.FindAsync(B(2), Ct));
        Assert.Equal(B(33), await table.FindAsync(B(3), Ct));
    }

    [Fact]
    public async Task LargeValuesRoundTrip()
    {
        var db = await OpenAsync();
        var table = await db.OpenTableAsync("large", Ct);
        byte[] mebibyte = RandomBytes(1 << 20, 7);
        await using (var batch = db.BeginBatch())
        {
            batch.Put(table, B(1), mebibyte);
            for (byte i = 2; i < 6; i++)
                batch.Put(table, B(i), RandomBytes(300_000, i));
            await batch.CommitAsync(Ct);
        }
        Assert.Equal(mebibyte, await table.FindAsync(B(1), Ct));
        var rows = await WalkAsync(table);
        Assert.Equal(5, rows.Count);
        Assert.Equal(mebibyte, rows[0].Value);
        Assert.Equal(RandomBytes(300_000, 5), rows[4].Value);
    }

    [Fact]
    public async Task KeysUpToTheMaximumLengthRoundTripAndLongerOnesAreRefused()
    {
        var db = await OpenAsync();
        var table = await db.OpenTableAsync("long_keys", Ct);
        byte[] longest = RandomBytes(db.MaxKeyLength, 3);
        byte[] tooLong = RandomBytes(db.MaxKeyLength + 1, 3);
        await PutAsync(db, table, longest, B(1));
        Assert.Equal(B(1), await table.FindAsync(longest, Ct));
        Assert.Equal(longest, Assert.Single(await WalkAsync(table)).Key);

        await using var batch = db.BeginBatch();
        var refused = Assert.Throws<ArgumentException>(() => batch.Put(table, tooLong, B(1)));
        Assert.Contains(db.MaxKeyLength.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, batch.Count);
    }
}
