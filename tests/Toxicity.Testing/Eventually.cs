namespace Toxicity.Testing;

/// <summary>Polling with a deadline instead of sleeping (STYLE.md "Never sleep; poll with a deadline").</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls <paramref name="probe"/> until it returns a value that <paramref name="done"/> accepts; fails with <paramref name="what"/> at the deadline.</summary>
    public static async Task<T> That<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        T last;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                last = await probe();
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception error) when (error is HttpRequestException or IOException or TaskCanceledException)
            {
                last = default!;
                lastError = error;
            }

            if (DateTime.UtcNow >= until)
            {
                throw new TimeoutException($"Not within {deadline.TotalSeconds:0.#} s: {what}. Last value: {last}", lastError);
            }

            await Task.Delay(Interval);
        }
    }
}
