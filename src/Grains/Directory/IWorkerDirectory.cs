namespace GridGov.Realtime.Grains.Directory;

/// <summary>Registered grid workers and sensors (imported from CSV), read by their grains on activation.</summary>
public interface IWorkerDirectory
{
    WorkerProfile? FindWorker(string workerId);

    SensorProfile? FindSensor(string sensorId);

    /// <summary>Workers whose assigned grids include <paramref name="gridCode"/>, ordered by id (none unless the directory indexes them).</summary>
    IReadOnlyList<WorkerProfile> WorkersAssignedTo(string gridCode) => [];
}

/// <summary>A grid worker: the region it belongs to and the grids it patrols.</summary>
public sealed record WorkerProfile(string WorkerId, string Name, string Role, string RegionCode, IReadOnlyList<string> AssignedGrids, bool Active);

/// <summary>An IoT or video sensor registered at a grid and position.</summary>
public sealed record SensorProfile(string SensorId, string Type, string GridCode, double? Lat, double? Lon, bool Active);
