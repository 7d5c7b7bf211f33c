namespace GridGov.Realtime.Grains.Live;

/// <summary>
/// Hears every alert a worker raises or clears, besides the live feed (which is for command centres'
/// screens and may drop under load). Register any number in DI; the worker grain calls each from its turn,
/// so implementations must return at once (send one-way grain messages, never wait).
/// </summary>
public interface IAlertListener
{
    void AlertChanged(AlertUpdate update);
}
