using System.Diagnostics;

namespace GridGov.Realtime.LoadGen;

/// <summary>
/// HDR-style log-bucketed histogram of non-negative values (Stopwatch ticks here). Values below 128 are exact; above,
/// each power-of-two range is split into 64 linear sub-buckets, so any recorded value is reported within 1/64 (1.6%).
/// Recording is one array increment (Interlocked, so several connections may share one instance); no allocation.
/// </summary>
public sealed class Histogram
{
    private const int SubBits = 6;                // 64 sub-buckets per power of two
    private const int Sub = 1 << SubBits;
    private const int Linear = Sub * 2;           // 0..127 exact
    private const int Buckets = Linear + (63 - SubBits) * Sub;

    private readonly long[] _counts = new long[Buckets];
    private long _max;

    public static int IndexOf(long value)
    {
        if (value < Linear)
        {
            return value < 0 ? 0 : (int)value;
        }

        var msb = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value);
        var shift = msb - SubBits;                // >= 1
        var top = (int)(value >> shift);          // in [64, 128)
        return Linear + ((shift - 1) << SubBits) + (top - Sub);
    }

    /// <summary>Highest value that falls into bucket <paramref name="index"/> (what percentiles report: never optimistic).</summary>
    public static long HighestOf(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var shift = ((index - Linear) >> SubBits) + 1;
        var top = (long)((index - Linear) & (Sub - 1)) + Sub;
        return ((top + 1) << shift) - 1;
    }

    public void Record(long value)
    {
        Interlocked.Increment(ref _counts[IndexOf(value)]);
        var max = Volatile.Read(ref _max);
        while (value > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public long Count
    {
        get
        {
            long n = 0;
            foreach (var c in _counts)
            {
                n += c;
            }

            return n;
        }
    }

    public long Max => Volatile.Read(ref _max);

    public void Add(Histogram other)
    {
        for (var i = 0; i < Buckets; i++)
        {
            _counts[i] += other._counts[i];
        }

        _max = Math.Max(_max, other._max);
    }

    /// <summary>Value at percentile <paramref name="p"/> (0-100), as the top of its bucket, capped at the exact maximum.</summary>
    public long Percentile(double p)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(p / 100.0 * total);
        rank = Math.Clamp(rank, 1, total);
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(HighestOf(i), Max);
            }
        }

        return Max;
    }

    public static double TicksToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
