namespace GridGov.Realtime.Grains;

internal static class AssemblyMarker;
