using EchoPipeline.Engine.Audio;
using EchoPipeline.Engine.Components;
using EchoPipeline.Engine.Generation.Continuation;
using EchoPipeline.Engine.Generation.Noise;
using EchoPipeline.Engine.Generation.Unmasking;
using EchoPipeline.Engine.Generation.Watermarking;
using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Engine.Generation;

/// <summary>
/// The one generation API: B requests of any modes run as one model batch per stage (tokenize, unmask with 2B rows
/// under guidance, decode, vocode, watermark). A request's outputs depend only on the request (its seed drives its own
/// noise, its payload or provenance the mark). Every waveform is watermarked unless <paramref name="watermark"/> or the
/// bundle turns the mark off (default: on, with the public key).
/// </summary>
public sealed partial class EchoGenerator(EchoModel model, TimeProvider? timeProvider = null, WatermarkPolicy? watermark = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly OutputWatermark _watermark = new(model, watermark ?? WatermarkPolicy.PublicDefault);
    private readonly MelFrontEnd _melFrontEnd = new(model.Mel);

    public EchoModel Model => model;

    /// <summary>Whether waveforms get the watermark (false when the deployment or the bundle turned it off).</summary>
    public bool MarksOutputs => _watermark.Applies;

    public Task<IReadOnlyList<EchoResult>> GenerateAsync(IReadOnlyList<EchoRequest> requests, CancellationToken cancellationToken = default) =>
        Task.Run(() => Generate(requests, cancellationToken), cancellationToken);

    public IReadOnlyList<EchoResult> Generate(IReadOnlyList<EchoRequest> requests, CancellationToken cancellationToken = default) =>
        Generate(requests, markWaveforms: true, cancellationToken);

    private EchoResult[] Generate(IReadOnlyList<EchoRequest> requests, bool markWaveforms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfZero(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            EchoRequestValidator.Validate(requests[i], i, model);
        }

        var started = _time.GetTimestamp();
        var runBefore = InferenceRunTime();
        var timings = new StageTimings { BatchSize = requests.Count };
        var imageGuides = Stage(() => TokenizeImages(requests, cancellationToken), out var imageTokenize);
        var audioTokens = Stage(() => TokenizeAudio(requests, cancellationToken), out var audioTokenize);
        var settings = requests.Select(r => model.DefaultsFor(r.Mode).For(r)).ToArray();
        var unmaskRequests = requests.Select((r, i) => UnmaskRequestFor(r, settings[i], imageGuides[i], audioTokens[i])).ToArray();
        var transformer = model.TransformerFor(requests.Select(r => r.Mode));
        var tokens = Stage(() => new GuidedUnmasker(transformer, model.GuidanceSpace, model.CpuThreads).Run(unmaskRequests, cancellationToken), out var unmask);
        var mels = Stage(() => DecodeAudio(requests, tokens, cancellationToken), out var audioDecode);
        var waveforms = Stage(() => Vocode(mels, cancellationToken), out var vocode);
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i].LengthSamples is { } length && waveforms[i] is { } waveform)
            {
                waveforms[i] = SoundtrackEnds.Trim(waveform, length);
            }
        }

        var provenances = requests.Select((r, i) =>
            new GenerationProvenance(model.BundleId, model.BundleSha256, r.Mode, r.Seed, settings[i].Steps, settings[i].Temperature, settings[i].Guidance)
            {
                Asked = AskedSampling.Of(r),
                Transformer = transformer.Graph,
            }).ToArray();
        var mark = TimeSpan.Zero;
        var stamps = !markWaveforms ? new WatermarkStamp?[requests.Count]
            : _watermark.Applies ? Stage(() => Mark(requests, provenances, waveforms, cancellationToken), out mark)
            : Mark(requests, provenances, waveforms, cancellationToken);
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i].LengthSamples is not null && waveforms[i] is { } waveform)
            {
                SoundtrackEnds.FadeOut(waveform, model.Mel.SampleRate);
            }
        }

        var images = Stage(() => DecodeImages(requests, tokens, cancellationToken), out var imageDecode);
        timings = timings with
        {
            ImageTokenize = imageTokenize, AudioTokenize = audioTokenize, Unmask = unmask, AudioDecode = audioDecode,
            Vocode = vocode, Watermark = mark, ImageDecode = imageDecode, Total = _time.GetElapsedTime(started), InferenceRun = InferenceRunTime() - runBefore,
        };

        return requests.Select((r, i) => new EchoResult(
            tokens[i].AudioTokens, tokens[i].ImageTokens, mels[i], waveforms[i], model.Mel.SampleRate, images[i], timings,
            provenances[i] with { Watermark = stamps[i] }))
            .ToArray();
    }

    /// <summary>Marks each waveform in place (each from its own request: the batch does not matter) and returns the stamps.</summary>
    private WatermarkStamp?[] Mark(IReadOnlyList<EchoRequest> requests, GenerationProvenance[] provenances, float[]?[] waveforms, CancellationToken cancellationToken)
    {
        var stamps = new WatermarkStamp?[requests.Count];
        Parallel.For(0, requests.Count, new ParallelOptions { MaxDegreeOfParallelism = model.CpuThreads, CancellationToken = cancellationToken }, i =>
        {
            if (waveforms[i] is { } waveform)
            {
                stamps[i] = _watermark.Apply(waveform, requests[i], provenances[i]);
            }
        });
        return stamps;
    }

    /// <summary>Time inside ONNX Runtime's Run across the model's components (the rest is the engine's overhead).</summary>
    public TimeSpan InferenceRunTime() =>
        model.ImageTokenizer.RunTime + model.TransformerGraphs.Aggregate(TimeSpan.Zero, (sum, graph) => sum + graph.RunTime) + model.AudioDetokenizer.RunTime
        + ((model.Vocoder as OnnxComponent)?.RunTime ?? TimeSpan.Zero)
        + (model.AudioTokenizer?.RunTime ?? TimeSpan.Zero) + (model.ImageDetokenizer?.RunTime ?? TimeSpan.Zero);

    private UnmaskRequest UnmaskRequestFor(EchoRequest request, SamplingSettings settings, long[]? imageGuide, long[]? audioTokens)
    {
        var (audioLength, imageLength) = (model.Transformer.Audio.Length, model.Transformer.Image.Length);
        var (audio, image) = request.Mode switch
        {
            GenerationMode.ImageToAudio => (KnownAudio(request, audioTokens), ModalityTokens.Guide(imageGuide!)),
            GenerationMode.AudioToImage => (ModalityTokens.Guide(audioTokens!), ModalityTokens.Generate(imageLength)),
            _ => (ModalityTokens.Generate(audioLength), ModalityTokens.Generate(imageLength)),
        };
        return new UnmaskRequest(audio, image, settings.Steps, settings.Temperature, settings.Guidance, new SeededUnmaskNoise(request.Seed));
    }

    /// <summary>Inpainting/outpainting: the known tokens as given, or the clip's tokens in the flagged time columns.</summary>
    private ModalityTokens KnownAudio(EchoRequest request, long[]? clipTokens)
    {
        if (request.KnownAudioTokens is { } known)
        {
            return ModalityTokens.Complete([.. known]);
        }

        if (request.KnownAudioColumns is { } columns)
        {
            return ModalityTokens.Complete(clipTokens!.Select((t, p) => columns[p % model.AudioColumns] ? t : ModalityTokens.Unknown).ToArray());
        }

        return ModalityTokens.Generate(model.Transformer.Audio.Length);
    }

    private T Stage<T>(Func<T> run, out TimeSpan elapsed)
    {
        var started = _time.GetTimestamp();
        var result = run();
        elapsed = _time.GetElapsedTime(started);
        return result;
    }
}
