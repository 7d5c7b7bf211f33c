using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace GridGov.Realtime.Edge.Topics;

/// <summary>
/// Children of a trie node keyed by topic level. Lock-free for readers, single writer (callers
/// serialize writes with their own lock). Small maps are an immutable array replaced on every
/// write (copy-on-write, ~no memory overhead); past <see cref="SmallLimit"/> children the map is
/// promoted once to a <see cref="ConcurrentDictionary{TKey,TValue}"/> searched by
/// <see cref="ReadOnlySpan{T}"/> through an alternate lookup, so a level never has to be
/// allocated as a string to be found.
/// </summary>
/// <remarks>A mutable struct: only ever use it as a field, by reference, never copy it.</remarks>
internal struct LevelMap<T>
    where T : class
{
    internal const int SmallLimit = 8;

    private KeyValuePair<string, T>[] _small;
    private Large? _large;
    private int _count;

    public readonly int Count => Volatile.Read(ref Unsafe.AsRef(in _count));

    public readonly bool TryGet(ReadOnlySpan<char> level, [MaybeNullWhen(false)] out T value)
    {
        // Read _large first: the writer publishes it before it stops updating _small, so a reader
        // that sees null here still finds a complete (possibly slightly stale) small array.
        var large = Volatile.Read(ref Unsafe.AsRef(in _large));
        if (large is not null)
        {
            return large.Lookup.TryGetValue(level, out value);
        }

        var small = Volatile.Read(ref Unsafe.AsRef(in _small));
        if (small is not null)
        {
            foreach (var entry in small)
            {
                if (level.SequenceEqual(entry.Key))
                {
                    value = entry.Value;
                    return true;
                }
            }
        }

        value = null;
        return false;
    }

    /// <summary>Writer only. Adds a child that is known to be absent.</summary>
    public void Add(string level, T value)
    {
        if (_large is not null)
        {
            _large.Map[level] = value;
        }
        else
        {
            var old = _small ?? [];
            if (old.Length < SmallLimit)
            {
                var next = new KeyValuePair<string, T>[old.Length + 1];
                old.CopyTo(next, 0);
                next[^1] = new(level, value);
                Volatile.Write(ref _small, next);
            }
            else
            {
                var map = new ConcurrentDictionary<string, T>(StringComparer.Ordinal);
                foreach (var entry in old)
                {
                    map[entry.Key] = entry.Value;
                }

                map[level] = value;
                Volatile.Write(ref _large, new Large(map));
                // _small is left as the last snapshot for readers that raced the promotion.
            }
        }

        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Writer only.</summary>
    public void Remove(string level)
    {
        if (_large is not null)
        {
            if (!_large.Map.TryRemove(level, out _))
            {
                return;
            }
        }
        else
        {
            var old = _small ?? [];
            var index = Array.FindIndex(old, e => string.Equals(e.Key, level, StringComparison.Ordinal));
            if (index < 0)
            {
                return;
            }

            var next = new KeyValuePair<string, T>[old.Length - 1];
            Array.Copy(old, 0, next, 0, index);
            Array.Copy(old, index + 1, next, index, old.Length - index - 1);
            Volatile.Write(ref _small, next);
        }

        Volatile.Write(ref _count, _count - 1);
    }

    /// <summary>Snapshot-ish enumeration, safe concurrently with the writer. Allocates for large maps.</summary>
    public readonly IEnumerable<KeyValuePair<string, T>> Entries()
    {
        var large = Volatile.Read(ref Unsafe.AsRef(in _large));
        if (large is not null)
        {
            return large.Map;
        }

        return Volatile.Read(ref Unsafe.AsRef(in _small)) ?? [];
    }

    private sealed class Large(ConcurrentDictionary<string, T> map)
    {
        public ConcurrentDictionary<string, T> Map { get; } = map;

        public ConcurrentDictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; } =
            map.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
