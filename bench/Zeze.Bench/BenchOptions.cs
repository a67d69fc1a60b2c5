namespace Zeze.Bench;

/// <summary>The command line of the runner: <c>--workload ID [--count N] [--concurrency C] [--db DB] [--raw] [--flush]</c>.</summary>
public sealed class BenchOptions
{
    public string Workload { get; set; } = "all";
    public long? Count { get; set; }
    public int? Concurrency { get; set; }

    /// <summary>memory | rocksdb | rocksdb:PATH | postgres:CONN | mysql:CONN | sqlserver:CONN.</summary>
    public string Db { get; set; } = "rocksdb";

    public bool Raw { get; set; }

    /// <summary>Include the final checkpoint in the measured time.</summary>
    public bool Flush { get; set; }

    /// <summary>Skip the discarded warm-up run that precedes each measured run.</summary>
    public bool NoWarmup { get; set; }

    /// <summary>A copy with another operation count (for warm-up runs).</summary>
    public BenchOptions WithCount(long count)
    {
        var copy = (BenchOptions)MemberwiseClone();
        copy.Count = count;
        return copy;
    }

    /// <summary>A copy that runs the <c>--raw</c> variant (for a reference measured in the same run).</summary>
    public BenchOptions AsRaw()
    {
        var copy = (BenchOptions)MemberwiseClone();
        copy.Raw = true;
        return copy;
    }

    /// <summary>How many times to run each workload (the report gives each run's RESULT line).</summary>
    public int Runs { get; set; } = 1;

    public long CountOr(long fallback) => Count ?? fallback;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            switch (a)
            {
                case "--workload": case "-w": o.Workload = Next(); break;
                case "--count": case "-n": o.Count = long.Parse(Next().Replace("_", ""), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--concurrency": case "-c": o.Concurrency = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--db": o.Db = Next(); break;
                case "--raw": o.Raw = true; break;
                case "--flush": o.Flush = true; break;
                case "--no-warmup": o.NoWarmup = true; break;
                case "--runs": o.Runs = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown argument '{a}'");
            }
        }
        return o;
    }
}
