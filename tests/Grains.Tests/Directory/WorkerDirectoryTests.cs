using GridGov.Realtime.Grains.Directory;

namespace GridGov.Realtime.Grains.Tests.Directory;

public sealed class WorkerDirectoryTests
{
    [Fact]
    public void Workers_assigned_to_a_grid_are_listed_by_id_and_an_install_replaces_the_index()
    {
        var directory = new WorkerDirectory();
        directory.InstallWorkers([
            new WorkerProfile("w2", "B", "grid_worker", "310101001", ["g1", "g2"], true),
            new WorkerProfile("w1", "A", "grid_worker", "310101001", ["g1", "g1"], true),
            new WorkerProfile("w3", "C", "responder", "310101", [], true),
        ]);
        Assert.Equal(["w1", "w2"], directory.WorkersAssignedTo("g1").Select(w => w.WorkerId));
        Assert.Equal(["w2"], directory.WorkersAssignedTo("g2").Select(w => w.WorkerId));
        Assert.Empty(directory.WorkersAssignedTo("g9"));

        directory.InstallWorkers([new WorkerProfile("w4", "D", "grid_worker", "310101001", ["g2"], true)]);
        Assert.Empty(directory.WorkersAssignedTo("g1"));
        Assert.Equal(["w4"], directory.WorkersAssignedTo("g2").Select(w => w.WorkerId));
    }
}
