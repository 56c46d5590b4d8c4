namespace EchoPipeline.Jobs;

/// <summary>Range checks for <see cref="JobParameters"/>; limits are generous but keep one job bounded.</summary>
internal static class JobParametersValidator
{
    public const int MaxSteps = 256;
    public const double MaxTemperature = 100;
    public const double MaxGuidance = 30;
    public const int MaxVariations = 8;
    public const long MaxSeed = uint.MaxValue;
    public const int MaxCallbackLength = 2048;

    public static List<ValidationError> Validate(JobParameters p)
    {
        var errors = new List<ValidationError>();
        if (p.Steps is < 1 or > MaxSteps)
        {
            errors.Add(new("steps", $"must be between 1 and {MaxSteps}, got {p.Steps}."));
        }

        CheckReal(errors, "temperature", p.Temperature, 0, MaxTemperature);
        CheckReal(errors, "guidance", p.Guidance, 0, MaxGuidance);
        if (p.Seed is < 0 or > MaxSeed)
        {
            errors.Add(new("seed", $"must be between 0 and {MaxSeed}, got {p.Seed}."));
        }

        if (p.Variations is < 1 or > MaxVariations)
        {
            errors.Add(new("variations", $"must be between 1 and {MaxVariations}, got {p.Variations}."));
        }

        foreach (var output in p.Outputs ?? [])
        {
            if (!JobOutputs.All.Contains(output, StringComparer.Ordinal))
            {
                errors.Add(new("outputs", $"unknown output '{output}'; allowed: {string.Join(", ", JobOutputs.All)}."));
            }
        }

        if (p.CallbackUrl is { } url)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add(new("callbackUrl", "must be an absolute http or https URL."));
            }
            else if (!string.IsNullOrEmpty(url.UserInfo))
            {
                errors.Add(new("callbackUrl", "must not carry credentials (user:password@); webhooks are signed instead."));
            }
            else if (url.AbsoluteUri.Length > MaxCallbackLength)
            {
                errors.Add(new("callbackUrl", $"must be at most {MaxCallbackLength} characters."));
            }
        }

        return errors;
    }

    private static void CheckReal(List<ValidationError> errors, string field, double? value, double min, double max)
    {
        if (value is { } v && (!double.IsFinite(v) || v < min || v > max))
        {
            errors.Add(new(field, $"must be a number between {min} and {max}, got {v}."));
        }
    }
}
