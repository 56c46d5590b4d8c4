namespace EchoPipeline.Worker.Tests.Support;

/// <summary>Polls a condition until it holds; the timeout is a bound on a broken implementation, never the assertion itself.</summary>
internal static class Waiting
{
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetTimestamp() < deadline, $"Waited {timeout} for {what}.");
            await Task.Delay(50);
        }
    }
}
