using System.Net;
using System.Text.Json;
using EchoPipeline.Functions.Hosting;
using EchoPipeline.Ingest;
using EchoPipeline.Jobs;
using EchoPipeline.Jobs.Outbound;

namespace EchoPipeline.Functions.Functions;

/// <summary>A SubmitJob body read and checked: exactly one source, parameters in range; every problem names its field.</summary>
public sealed record SubmitJobRequest(string? Blob, Uri? Url, JobParameters Parameters)
{
    public static (SubmitJobRequest? Request, IReadOnlyList<ValidationError> Errors) Parse(string? body, bool allowPrivateCallbacks)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, [new("body", "is empty; send a JSON object with a source and optional parameters.")]);
        }

        SubmitJobBody? dto;
        try
        {
            dto = JsonSerializer.Deserialize(body, FunctionsJsonContext.Default.SubmitJobBody);
        }
        catch (JsonException ex)
        {
            return (null, [new(FieldOf(ex), ex.Message)]);
        }

        if (dto is null)
        {
            return (null, [new("body", "must be a JSON object.")]);
        }

        var errors = new List<ValidationError>();
        var (blob, url) = CheckSource(dto.Source, errors);
        Uri? callback = null;
        if (dto.CallbackUrl is { } text && !Uri.TryCreate(text, UriKind.Absolute, out callback))
        {
            errors.Add(new("callbackUrl", $"'{text}' is not an absolute URL."));
        }

        var parameters = new JobParameters
        {
            Steps = dto.Steps, Temperature = dto.Temperature, Guidance = dto.Guidance, Seed = dto.Seed,
            Variations = dto.Variations, Outputs = dto.Outputs, CallbackUrl = callback,
        };
        errors.AddRange(parameters.Validate());
        if (callback is not null && !allowPrivateCallbacks && IsPrivateHost(callback))
        {
            errors.Add(new("callbackUrl", $"{callback.Host} is a private, loopback or link-local address; webhooks go to public endpoints only (Ingest:AllowPrivateNetworkSources)."));
        }

        return errors.Count > 0 ? (null, errors) : (new SubmitJobRequest(blob, url, parameters), errors);
    }

    private static (string? Blob, Uri? Url) CheckSource(SubmitJobSource? source, List<ValidationError> errors)
    {
        if (source is null || (source.Blob is null && source.Url is null))
        {
            errors.Add(new("source", "is required: give source.blob (a blob in the 'videos' container) or source.url (an https URL)."));
            return (null, null);
        }

        if (source.Blob is not null && source.Url is not null)
        {
            errors.Add(new("source", "give either source.blob or source.url, not both."));
            return (null, null);
        }

        if (source.Blob is { } blob)
        {
            if (BlobNameRules.Check(blob) is { } problem)
            {
                errors.Add(new("source.blob", problem));
            }

            return (blob, null);
        }

        if (!Uri.TryCreate(source.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add(new("source.url", $"'{source.Url}' is not an absolute https URL."));
            return (null, null);
        }

        return (null, url);
    }

    /// <summary>Only literal addresses and localhost are judged here; names are checked again when the worker connects.</summary>
    internal static bool IsPrivateHost(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var address) && !NetworkRules.IsPublic(address));

    private static string FieldOf(JsonException ex)
    {
        var path = ex.Path ?? "$";
        return path is "$" or "" ? "body" : path.TrimStart('$', '.');
    }
}
