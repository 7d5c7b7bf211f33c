namespace GridGov.Realtime.Edge;

internal static class AssemblyMarker;
