namespace GridGov.Realtime.Actors;

internal static class AssemblyMarker;
