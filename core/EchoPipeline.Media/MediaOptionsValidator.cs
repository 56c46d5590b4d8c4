using Microsoft.Extensions.Options;

namespace EchoPipeline.Media;

/// <summary>Refuses <see cref="MediaOptions"/> that could not work, when the host starts rather than on the first upload.</summary>
public sealed class MediaOptionsValidator : IValidateOptions<MediaOptions>
{
    public ValidateOptionsResult Validate(string? name, MediaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (ToolLocation.Problem(options) is { } tools)
        {
            failures.Add(tools);
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add($"Media:Timeout must be positive (is {options.Timeout}).");
        }

        if (options.JobTimeout < options.Timeout)
        {
            failures.Add($"Media:JobTimeout ({options.JobTimeout}) must be at least Media:Timeout ({options.Timeout}).");
        }

        if (options.MaxBytes <= 0 || options.MaxPixels <= 0)
        {
            failures.Add("Media:MaxBytes and Media:MaxPixels must be positive.");
        }

        // Both bound what FFmpeg allocates: -max_pixels takes an int.
        if (options.MaxPixels > int.MaxValue)
        {
            failures.Add($"Media:MaxPixels is at most {int.MaxValue} (is {options.MaxPixels}).");
        }

        if (!(options.MaxDurationSeconds > 0) || !(options.MaxAspectRatio >= 1))
        {
            failures.Add("Media:MaxDurationSeconds must be positive and Media:MaxAspectRatio at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
