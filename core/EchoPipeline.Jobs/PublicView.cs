namespace EchoPipeline.Jobs;

/// <summary>
/// What anyone holding a function key may read of a job. The job id derives from the content and parameters, so
/// another submitter of the same bytes can ask for it: URLs lose their user info, query and fragment (SAS tokens,
/// signed-URL signatures, receiver tokens), keeping scheme, host and path.
/// </summary>
public static class PublicView
{
    public static JobRecord Of(JobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record with
        {
            Source = record.Source with { Url = Redact(record.Source.Url) },
            Parameters = record.Parameters with { CallbackUrl = Redact(record.Parameters.CallbackUrl) },
        };
    }

    public static Uri? Redact(Uri? url) =>
        url is { IsAbsoluteUri: true } ? new Uri(url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)) : url;
}
