namespace EchoPipeline.Engine.Audio;

/// <summary>Settings of <see cref="GriffinLim"/>; the defaults follow librosa.griffinlim as SpecVQGAN calls it.</summary>
public sealed record GriffinLimOptions
{
    public static GriffinLimOptions Default { get; } = new();

    /// <summary>Phase-reconstruction iterations (each one inverse and one forward STFT).</summary>
    public int Iterations { get; init; } = 32;

    /// <summary>Fast Griffin-Lim momentum α (Perraudin et al. 2013); 0 is plain Griffin-Lim.</summary>
    public double Momentum { get; init; } = 0.99;

    /// <summary>Multiplicative updates of the mel-to-linear inversion (<see cref="MelInverter"/>).</summary>
    public int MelInversionIterations { get; init; } = 30;

    /// <summary>Seed of the initial random phase, so the same mel always gives the same audio.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// Threads one clip's frames may use (-1: as many as the thread pool gives). The samples are the same for every
    /// value; 1 suits callers that already run clips in parallel on few cores.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        if (Iterations < 0)
        {
            throw new ArgumentException($"Griffin-Lim Iterations must be >= 0, got {Iterations}.", nameof(Iterations));
        }

        if (!(Momentum >= 0 && Momentum <= 1))
        {
            throw new ArgumentException($"Griffin-Lim Momentum must be in [0, 1], got {Momentum}.", nameof(Momentum));
        }

        if (MaxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentException($"Griffin-Lim MaxDegreeOfParallelism must be -1 or >= 1, got {MaxDegreeOfParallelism}.", nameof(MaxDegreeOfParallelism));
        }

        if (MelInversionIterations < 0)
        {
            throw new ArgumentException($"MelInversionIterations must be >= 0, got {MelInversionIterations}.", nameof(MelInversionIterations));
        }
    }
}
