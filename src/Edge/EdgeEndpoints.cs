using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace GridGov.Realtime.Edge;

/// <summary>The listeners the edge added to Kestrel; after start-up their endpoints carry the bound ports (port 0 in tests).</summary>
public sealed class EdgeEndpoints
{
    private readonly List<(string Transport, ListenOptions Listen)> _listeners = [];

    internal void Add(string transport, ListenOptions listen)
    {
        lock (_listeners) _listeners.Add((transport, listen));
    }

    /// <summary>The bound endpoint of "tcp" or "tls", or null when that transport is off.</summary>
    public IPEndPoint? Get(string transport)
    {
        lock (_listeners) return _listeners.FirstOrDefault(l => l.Transport == transport).Listen?.IPEndPoint;
    }
}
