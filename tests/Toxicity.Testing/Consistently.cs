namespace Toxicity.Testing;

/// <summary>
/// The other half of <see cref="Eventually"/>: a condition that must hold for a whole window, for claims that
/// something does NOT happen (a duplicate effect). The window bounds the claim; it is not a sleep.
/// </summary>
public static class Consistently
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    public static async Task That<T>(Func<Task<T>> probe, Func<T, bool> holds, TimeSpan window, string what)
    {
        var until = DateTime.UtcNow + window;
        do
        {
            var value = await probe();
            if (!holds(value))
            {
                throw new InvalidOperationException($"No longer true: {what}. Value: {value}");
            }

            await Task.Delay(Interval);
        }
        while (DateTime.UtcNow < until);
    }
}
