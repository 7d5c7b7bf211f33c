using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Edge.Transport;

/// <summary>A token bucket per source address: <see cref="EdgeOptions.ConnectionsPerSecondPerAddress"/>, burst twice that.</summary>
internal sealed class ConnectionRateLimiter(IOptions<EdgeOptions> options, TimeProvider time)
{
    private const int MaxTrackedAddresses = 100_000;
    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();
    private readonly int _rate = options.Value.ConnectionsPerSecondPerAddress;

    public bool TryAcquire(EndPoint? remote)
    {
        if (_rate == 0 || remote is not IPEndPoint ip) return true;
        if (_buckets.Count > MaxTrackedAddresses) _buckets.Clear(); // crude, but bounded under a spoofing flood
        var bucket = _buckets.GetOrAdd(ip.Address, static (_, s) => new Bucket(s.Rate * 2.0, s.Now), (Rate: _rate, Now: time.GetTimestamp()));
        lock (bucket)
        {
            var now = time.GetTimestamp();
            bucket.Tokens = Math.Min(_rate * 2.0, bucket.Tokens + time.GetElapsedTime(bucket.Last, now).TotalSeconds * _rate);
            bucket.Last = now;
            if (bucket.Tokens < 1) return false;
            bucket.Tokens -= 1;
            return true;
        }
    }

    private sealed class Bucket(double tokens, long last)
    {
        public double Tokens = tokens;
        public long Last = last;
    }
}
