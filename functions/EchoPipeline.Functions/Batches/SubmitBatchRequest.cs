using System.Text.Json;
using EchoPipeline.Functions.Functions;
using EchoPipeline.Functions.Hosting;
using EchoPipeline.Jobs;

namespace EchoPipeline.Functions.Batches;

/// <summary>A jobs:batch body read and checked: every item as POST jobs checks it, each problem named <c>items[i].field</c>.</summary>
public sealed record SubmitBatchRequest(IReadOnlyList<SubmitJobRequest> Items, Uri? CallbackUrl)
{
    public static (SubmitBatchRequest? Request, IReadOnlyList<ValidationError> Errors) Parse(string? body, int maxItems, bool allowPrivateCallbacks)
    {
        SubmitBatchBody? dto;
        try
        {
            dto = string.IsNullOrWhiteSpace(body) ? null : JsonSerializer.Deserialize(body, FunctionsJsonContext.Default.SubmitBatchBody);
        }
        catch (JsonException ex)
        {
            return (null, [new("body", ex.Message)]);
        }

        if (dto?.Items is not { Count: > 0 } items)
        {
            return (null, [new("items", $"is required: send {{\"items\": [...]}} with 1 to {maxItems} POST jobs bodies.")]);
        }

        if (items.Count > maxItems)
        {
            return (null, [new("items", $"holds {items.Count} items; at most {maxItems} per batch (Batch:MaxItems). Send several batches.")]);
        }

        var errors = new List<ValidationError>();
        var parsed = new List<SubmitJobRequest>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var (item, itemErrors) = SubmitJobRequest.Parse(items[i].GetRawText(), allowPrivateCallbacks);
            errors.AddRange(itemErrors.Select(e => e with { Field = $"items[{i}].{e.Field}" }));
            if (item?.Parameters.CallbackUrl is not null)
            {
                errors.Add(new($"items[{i}].callbackUrl", "items have no callback of their own; give the batch's callbackUrl."));
            }

            if (item is not null)
            {
                parsed.Add(item);
            }
        }

        Uri? callback = null;
        if (dto.CallbackUrl is { } text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out callback))
            {
                errors.Add(new("callbackUrl", $"'{text}' is not an absolute URL."));
            }
            else
            {
                errors.AddRange(new JobParameters { CallbackUrl = callback }.Validate());
                if (!allowPrivateCallbacks && SubmitJobRequest.IsPrivateHost(callback))
                {
                    errors.Add(new("callbackUrl", $"{callback.Host} is a private, loopback or link-local address; webhooks go to public endpoints only (Ingest:AllowPrivateNetworkSources)."));
                }
            }
        }

        return errors.Count > 0 ? (null, errors) : (new SubmitBatchRequest(parsed, callback), errors);
    }
}
