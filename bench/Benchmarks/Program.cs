using GridGov.Realtime.Benchmarks.Actors;

// BenchmarkDotNet suites by default; whole-process measurements by name (see bench/README.md).
switch (args.FirstOrDefault())
{
    case "memory":
        await MemoryFootprint.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
        break;
    case "restart":
        await RestartTime.RunAsync(
            args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 100_000);
        break;
    case "city":
        // The 17,350-grid synthetic city as GeoJSON, for load runs against a real server (bench/run-mqtt-bench.sh --silo).
        await using (var file = File.Create(args.Length > 1 ? args[1] : "city.geojson"))
        {
            GridGov.Realtime.Grains.Geo.GeoJsonRegionExporter.Write(
                GridGov.Realtime.Grains.Geo.SyntheticCity.Generate(GridGov.Realtime.Grains.Geo.SyntheticCityOptions.Benchmark).Tree, file);
        }
        break;
    case "deadlines":
        await Deadlines.RunAsync(args);
        break;
    case "transitions":
        await GridGov.Realtime.Benchmarks.Cases.Transitions.RunAsync(args);
        break;
    case "casestats":
        await GridGov.Realtime.Benchmarks.Cases.CaseStatisticsBench.RunAsync(
            args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 9,
            args.Length > 3 ? args[3] : null);
        break;
    default:
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        break;
}
