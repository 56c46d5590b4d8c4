using EchoPipeline.Worker.Webhooks;

namespace EchoPipeline.Worker.Tests.Webhooks;

public sealed class TargetBackoffTests
{
    private const string Dead = "https://dead.example:443";
    private const string Alive = "https://alive.example:443";
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void After_a_failed_attempt_the_targets_other_entries_wait_until_the_failed_one_is_due_again()
    {
        var targets = new TargetBackoff();
        targets.Begin(Dead);
        targets.End(Dead, answered: false, failedUntil: Now.AddSeconds(30));

        Assert.True(targets.IsHeld(Dead, Now.AddSeconds(29), out var until));
        Assert.Equal(Now.AddSeconds(30), until);
        Assert.False(targets.IsHeld(Dead, Now.AddSeconds(30), out _));
    }

    [Fact]
    public void A_failed_target_is_probed_by_one_entry_at_a_time_until_it_answers()
    {
        var targets = new TargetBackoff();
        targets.End(Dead, answered: false, failedUntil: Now);

        targets.Begin(Dead);
        Assert.True(targets.IsHeld(Dead, Now.AddMinutes(1), out var until));
        Assert.Null(until);

        Assert.True(targets.End(Dead, answered: true, failedUntil: null));
        Assert.False(targets.IsHeld(Dead, Now, out _));
    }

    [Fact]
    public void A_probe_that_was_not_tried_lets_the_next_entry_probe()
    {
        var targets = new TargetBackoff();
        targets.End(Dead, answered: false, failedUntil: Now);
        targets.Begin(Dead);

        Assert.False(targets.End(Dead, answered: false, failedUntil: null));

        Assert.False(targets.IsHeld(Dead, Now, out _));
    }

    [Fact]
    public void A_failing_target_never_holds_another_one()
    {
        var targets = new TargetBackoff();
        targets.End(Dead, answered: false, failedUntil: Now.AddHours(1));
        targets.Begin(Alive);

        Assert.False(targets.IsHeld(Alive, Now, out _));
        Assert.False(targets.End(Alive, answered: true, failedUntil: null));
    }
}
