namespace EchoPipeline.Engine.Generation;

/// <summary>
/// Wall time of each stage of the batch a request ran in (stages run batched, so they are shared by its requests),
/// and the part of it spent inside ONNX Runtime's Run.
/// </summary>
public sealed record StageTimings
{
    public TimeSpan ImageTokenize { get; init; }

    public TimeSpan AudioTokenize { get; init; }

    public TimeSpan Unmask { get; init; }

    public TimeSpan AudioDecode { get; init; }

    public TimeSpan Vocode { get; init; }

    public TimeSpan ImageDecode { get; init; }

    /// <summary>Embedding the output watermark into the batch's waveforms (zero when it is off).</summary>
    public TimeSpan Watermark { get; init; }

    public TimeSpan Total { get; init; }

    public TimeSpan InferenceRun { get; init; }

    public int BatchSize { get; init; }

    public IEnumerable<KeyValuePair<string, TimeSpan>> Stages() =>
    [
        new("image_tokenize", ImageTokenize), new("audio_tokenize", AudioTokenize), new("unmask", Unmask),
        new("audio_decode", AudioDecode), new("vocode", Vocode), new("watermark", Watermark), new("image_decode", ImageDecode), new("total", Total),
    ];
}
