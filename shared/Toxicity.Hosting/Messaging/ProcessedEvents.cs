namespace Toxicity.Hosting;

/// <summary>
/// Runs an effect at most once per event id and scope (a consumer's endpoint) within this process: a redelivered
/// or duplicated event whose effect already succeeded is dropped, and a duplicate that arrives while the first copy is still running
/// waits for it (and fails with it, so the broker retries it). A failed effect is forgotten, so a retry runs
/// it again. Remembers the most recent <c>capacity</c> ids. This is the in-process guard only: rebuilding the
/// seen ids from the event log after a restart belongs to the stateful services (issues 6 and 8).
/// </summary>
public sealed class ProcessedEvents(int capacity = 100_000)
{
    private readonly Lock _gate = new();
    private readonly HashSet<(string, Guid)> _done = [];
    private readonly Queue<(string, Guid)> _order = new();
    private readonly Dictionary<(string, Guid), Task> _running = [];

    /// <summary>Runs <paramref name="effect"/> unless <paramref name="eventId"/> was already handled in <paramref name="scope"/>; true when this call ran it.</summary>
    public async Task<bool> RunOnceAsync(string scope, Guid eventId, Func<Task> effect)
    {
        var key = (scope, eventId);
        TaskCompletionSource? owner = null;
        Task? inFlight;
        lock (_gate)
        {
            if (_done.Contains(key))
            {
                return false;
            }

            if (!_running.TryGetValue(key, out inFlight))
            {
                owner = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _running[key] = owner.Task;
            }
        }

        if (owner is null)
        {
            await inFlight!;
            return false;
        }

        try
        {
            await effect();
        }
        catch (Exception error)
        {
            lock (_gate)
            {
                _running.Remove(key);
            }

            owner.SetException(error);
            throw;
        }

        lock (_gate)
        {
            _running.Remove(key);
            _done.Add(key);
            _order.Enqueue(key);
            while (_order.Count > capacity)
            {
                _done.Remove(_order.Dequeue());
            }
        }

        owner.SetResult();
        return true;
    }
}
