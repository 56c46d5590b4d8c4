namespace EchoPipeline.Engine.Audio;

/// <summary>SpecVQGAN's map between linear mel magnitudes and [0, 1]: decibels, shifted and scaled, clipped.</summary>
public static class MelNormalization
{
    public static float Normalize(double magnitude, MelParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var db = 20.0 * Math.Log10(Math.Max(magnitude, parameters.MinMagnitude));
        var x = (db - parameters.ReferenceDb + parameters.DynamicRangeDb) / parameters.DynamicRangeDb;
        return (float)Math.Clamp(x, 0.0, 1.0);
    }

    /// <summary>The inverse on [0, 1] (inputs are clamped there first); 0 and 1 give -80 dB and +20 dB by default.</summary>
    public static double Denormalize(float normalized, MelParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var db = (Math.Clamp(normalized, 0f, 1f) * parameters.DynamicRangeDb) - parameters.DynamicRangeDb + parameters.ReferenceDb;
        return Math.Pow(10.0, db / 20.0);
    }
}
