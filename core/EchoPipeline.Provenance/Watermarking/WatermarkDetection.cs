namespace EchoPipeline.Provenance.Watermarking;

/// <summary>
/// The verdict on one waveform. <see cref="Statistic"/> is the pilot's normalised correlation at the best of the
/// <see cref="WatermarkScheme.Period"/> lags; the mark is <see cref="Present"/> when it reaches
/// <see cref="Threshold"/>, at which unmarked audio does so with probability at most <see cref="FalseAlarmBound"/>.
/// </summary>
public sealed record WatermarkDetection
{
    public required bool Present { get; init; }

    public required double Statistic { get; init; }

    public double Threshold { get; init; } = WatermarkScheme.DetectionThreshold;

    /// <summary>The bound at <see cref="Threshold"/>: the most often unmarked audio is called marked (with every key tried).</summary>
    public double FalseAlarmBound => Math.Min(1, KeysTried * WatermarkScheme.FalseAlarmBound(Threshold));

    /// <summary>How many keys were tried (the current and retired ones); <see cref="KeyId"/> names the best.</summary>
    public int KeysTried { get; init; } = 1;

    /// <summary>Where the pilot's period starts, in samples from the start of the analysed audio (mod the period).</summary>
    public required int Lag { get; init; }

    /// <summary>The payload, when the mark is present and its symbols pass the CRC.</summary>
    public WatermarkPayload? Payload { get; init; }

    /// <summary>Each payload symbol's normalised correlation at its chosen shift (empty when the mark is absent).</summary>
    public IReadOnlyList<double> SymbolStatistics { get; init; } = [];

    /// <summary>One entry per second of the audio (a last part shorter than half a second is left out); empty when absent.</summary>
    public IReadOnlyList<SecondScore> Seconds { get; init; } = [];

    public required double DurationSeconds { get; init; }

    public required string KeyId { get; init; }
}

/// <summary>Second <see cref="Second"/> (from 0) carries the mark when its statistic reaches <see cref="WatermarkScheme.SecondThreshold"/>.</summary>
public sealed record SecondScore(int Second, double Statistic, bool Marked);
