namespace GridGov.Realtime.Grains.Assessment;

/// <summary>One weighted term of a composite score; <see cref="Score"/> is null when not applicable.</summary>
public sealed record ScoreComponent(string Name, decimal Weight, decimal? Score);
