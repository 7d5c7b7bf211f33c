using System.Runtime.InteropServices;

namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// Code → grid index for <see cref="GridIndex"/>'s last-grid hint. A <see cref="Dictionary{TKey, TValue}"/>
/// lookup (~20 ns: hashing all 14–15 chars, then the entry) cost as much as the whole bucket lookup
/// it was meant to skip, so the hint bought nothing. Grid codes share long prefixes and differ in
/// their tail, so hashing the last 8 chars as two 64-bit words is enough; probing is linear over a
/// power-of-two int table, and the usual hint is the very string instance the index returned, so
/// the first comparison is a reference check.
/// </summary>
internal sealed class GridCodeTable
{
    private readonly string[] _codes;
    private readonly int[] _slots;   // index + 1 of the code hashed here; 0 = empty
    private readonly int _mask;

    public GridCodeTable(string[] codes)
    {
        _codes = codes;
        var size = 16;
        while (size < codes.Length * 2) size <<= 1;   // load factor ≤ 0.5: short probe runs
        _slots = new int[size];
        _mask = size - 1;
        for (var i = 0; i < codes.Length; i++)
        {
            var slot = (int)Hash(codes[i]) & _mask;
            while (_slots[slot] != 0) slot = (slot + 1) & _mask;
            _slots[slot] = i + 1;
        }
    }

    public bool TryGetIndex(string code, out int index)
    {
        var slot = (int)Hash(code) & _mask;
        while (true)
        {
            var v = _slots[slot];
            if (v == 0)
            {
                index = -1;
                return false;
            }
            var candidate = _codes[v - 1];
            if (ReferenceEquals(candidate, code) || string.Equals(candidate, code, StringComparison.Ordinal))
            {
                index = v - 1;
                return true;
            }
            slot = (slot + 1) & _mask;
        }
    }

    private static uint Hash(string code)
    {
        ulong h;
        if (code.Length >= 8)
        {
            var tail = MemoryMarshal.AsBytes(code.AsSpan(code.Length - 8));
            var a = MemoryMarshal.Read<ulong>(tail);
            var b = MemoryMarshal.Read<ulong>(tail[8..]);
            h = (a * 0x9E3779B97F4A7C15UL) ^ (b * 0xC2B2AE3D27D4EB4FUL) ^ (ulong)code.Length;
        }
        else
        {
            h = 0xCBF29CE484222325UL;
            foreach (var c in code) h = (h ^ c) * 0x100000001B3UL;
        }
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        return (uint)(h >> 32);
    }
}
