namespace GridGov.Realtime.Dashboard;

internal static class AssemblyMarker;
