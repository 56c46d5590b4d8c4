using EchoPipeline.Engine.Generation.Sampling;

namespace EchoPipeline.Engine.Bundles;

/// <summary>The manifest's internal consistency: ranges, the token/audio facts, and each component against its contract.</summary>
internal static class ManifestValidator
{
    public static List<string> Problems(BundleManifest m)
    {
        var problems = new List<string>();
        void Require(bool ok, string field, string problem)
        {
            if (!ok)
            {
                problems.Add($"{field} {problem}.");
            }
        }

        Require(!string.IsNullOrWhiteSpace(m.Id) && m.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'), "id", $"must be non-empty [A-Za-z0-9._-], got \"{m.Id}\"");
        Require(!string.IsNullOrWhiteSpace(m.License), "license", "must be non-empty");
        Require(!string.IsNullOrWhiteSpace(m.Provenance.Command), "provenance.command", "must be non-empty");
        CheckTokens(m.Tokens.Audio, "tokens.audio", Require);
        CheckTokens(m.Tokens.Image, "tokens.image", Require);
        Require(m.Tokens.Order.SequenceEqual(["audio", "image"]), "tokens.order", $"must be [\"audio\",\"image\"], got [{string.Join(",", m.Tokens.Order)}]");

        var a = m.Audio;
        Require(a.SampleRate > 0 && a.NFft > 0 && a.HopLength > 0 && a.WinLength > 0 && a.MelBins > 0, "audio", "sampleRate, nFft, hopLength, winLength and melBins must be positive");
        Require(a.Frames > 0 && a.Frames <= a.FramesBeforeCrop, "audio.frames", $"must be in 1..framesBeforeCrop ({a.FramesBeforeCrop}), got {a.Frames}");
        Require(a.Samples == (long)a.Frames * a.HopLength, "audio.samples", $"must be frames * hopLength = {(long)a.Frames * a.HopLength}, got {a.Samples}");
        Require(a.FMin >= 0 && a.FMin < a.FMax && a.FMax <= a.SampleRate / 2.0, "audio.fMin/fMax", $"must satisfy 0 <= fMin < fMax <= sampleRate/2, got {a.FMin}, {a.FMax}");
        Require(a.DbMin < a.DbMax, "audio.dbMin", $"must be below dbMax ({a.DbMax}), got {a.DbMin}");
        Require(a.ClipSeconds > 0, "audio.clipSeconds", $"must be positive, got {a.ClipSeconds}");
        Require(a.GriffinLim.Iterations >= 0 && a.GriffinLim.Momentum is >= 0 and <= 1, "audio.griffinLim", "needs iterations >= 0 and momentum in [0,1]");

        if (problems.Count == 0)
        {
            try
            {
                BundleMel.ToMelParameters(a).Validate();
            }
            catch (ArgumentException e)
            {
                problems.Add($"audio: {e.Message}");
            }
        }

        var s = m.Sampling;
        CheckSampling("sampling", s.Steps, s.Temperature, s.Guidance, Require);
        Require(Enum.IsDefined(s.GuidanceSpace), "sampling.guidanceSpace", $"must be one of {string.Join(", ", Enum.GetNames<GuidanceSpace>())}, got {(int)s.GuidanceSpace}");
        foreach (var (mode, values) in s.Modes ?? new Dictionary<string, ModeSamplingDefaults>())
        {
            var known = ModeDefaults.Keys.Contains(mode, StringComparer.Ordinal);
            Require(known, $"sampling.modes.{mode}", $"is not a generation mode; the modes are {string.Join(", ", ModeDefaults.Keys)}");
            if (known)
            {
                CheckSampling($"sampling.modes.{mode}", values.Steps, values.Temperature, values.Guidance, Require);
            }
        }

        if (problems.Count == 0)
        {
            foreach (var kind in Enum.GetValues<ComponentKind>())
            {
                CheckComponent(m, kind, problems);
            }

            CheckTransformerVariants(m, problems);
        }

        return problems;
    }

    /// <summary>
    /// Each variant against the transformer's contract, so a wrong one fails the load, not a batch: the same inputs,
    /// the same outputs or their prefix (audio logits alone, then only for image->audio, the one mode that never reads
    /// image logits), known modes, a provider name, a file inside the bundle.
    /// </summary>
    private static void CheckTransformerVariants(BundleManifest m, List<string> problems)
    {
        var variants = m.Variants?.Transformer ?? [];
        var (inputs, outputs) = ComponentContracts.For(ComponentKind.Transformer, m.Tokens, m.Audio);
        var imageToAudio = ModeDefaults.Key(Generation.GenerationMode.ImageToAudio);
        for (var i = 0; i < variants.Count; i++)
        {
            var v = variants[i];
            var field = $"variants.transformer[{i}]";
            if (string.IsNullOrWhiteSpace(v.Name) || !v.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') || v.Name == TransformerGraphs.Plain)
            {
                problems.Add($"{field}.name must be non-empty [A-Za-z0-9._-] and not \"{TransformerGraphs.Plain}\" (the name of components.transformer), got \"{v.Name}\".");
            }
            else if (variants.Take(i).Any(earlier => earlier.Name == v.Name))
            {
                problems.Add($"{field}.name \"{v.Name}\" is used by an earlier variant; names must be unique.");
            }

            if (v.ExecutionProviders.Count == 0 || v.ExecutionProviders.Any(p => !p.EndsWith("ExecutionProvider", StringComparison.Ordinal)))
            {
                problems.Add($"{field}.executionProviders must list ONNX Runtime provider names such as {TransformerGraphs.ProviderName(BundleExecutionProvider.Cuda)}, got [{string.Join(",", v.ExecutionProviders)}].");
            }

            var unknown = v.Modes.Where(mode => !ModeDefaults.Keys.Contains(mode, StringComparer.Ordinal)).ToArray();
            if (v.Modes.Count == 0 || unknown.Length > 0)
            {
                problems.Add($"{field}.modes must list generation modes ({string.Join(", ", ModeDefaults.Keys)}), got [{string.Join(",", v.Modes)}].");
            }

            if (string.IsNullOrWhiteSpace(v.File) || Path.IsPathRooted(v.File) || v.File.Split('/', '\\').Contains(".."))
            {
                problems.Add($"{field}.file must be a path inside the bundle folder, got \"{v.File}\".");
            }

            if (v.Sha256.Length != 64 || !v.Sha256.All(char.IsAsciiHexDigit))
            {
                problems.Add($"{field}.sha256 must be 64 hex digits, got \"{v.Sha256}\".");
            }

            CompareTensors($"{field}.inputs", v.Inputs, inputs, problems);
            if (v.Outputs.Count is 0 or > 2)
            {
                problems.Add($"{field}.outputs lists {v.Outputs.Count} tensors; a variant has the transformer's outputs ({string.Join("; ", outputs.AsEnumerable())}) or the first alone.");
            }
            else
            {
                CompareTensors($"{field}.outputs", v.Outputs, outputs[..v.Outputs.Count], problems);
                if (v.Outputs.Count == 1 && v.Modes.Any(mode => mode != imageToAudio))
                {
                    problems.Add($"{field} has no image_logits, so it can serve only {imageToAudio}; its modes are [{string.Join(",", v.Modes)}].");
                }
            }
        }
    }

    private static void CheckSampling(string field, int? steps, double? temperature, double? guidance, Action<bool, string, string> require)
    {
        require(steps is null or (>= 1 and <= ModeDefaults.MaxSteps), $"{field}.steps", $"must be in 1..{ModeDefaults.MaxSteps}, got {steps}");
        require(temperature is null || (temperature >= 0 && temperature <= ModeDefaults.MaxTemperature), $"{field}.temperature", $"must be in 0..{ModeDefaults.MaxTemperature}, got {temperature}");
        require(guidance is null || (guidance >= 0 && guidance <= ModeDefaults.MaxGuidance), $"{field}.guidance", $"must be in 0..{ModeDefaults.MaxGuidance}, got {guidance}");
    }

    private static void CheckTokens(ModalityTokenLayout t, string field, Action<bool, string, string> require)
    {
        require(t.Grid.Count == 2 && t.Grid.All(d => d > 0), $"{field}.grid", $"must be two positive ints, got [{string.Join(",", t.Grid)}]");
        require(t.CodebookSize > 0, $"{field}.codebookSize", $"must be positive, got {t.CodebookSize}");
        require(t.MaskId == t.CodebookSize, $"{field}.maskId", $"must equal codebookSize ({t.CodebookSize}), got {t.MaskId}");
    }

    private static void CheckComponent(BundleManifest m, ComponentKind kind, List<string> problems)
    {
        var field = $"components.{ComponentContracts.Key(kind)}";
        var spec = m.Components[kind];
        if (spec is null)
        {
            // Nullable annotations already reject a missing required component; optional ones may be absent.
            return;
        }

        if (string.IsNullOrWhiteSpace(spec.File) || Path.IsPathRooted(spec.File) || spec.File.Split('/', '\\').Contains(".."))
        {
            problems.Add($"{field}.file must be a path inside the bundle folder, got \"{spec.File}\".");
        }

        if (spec.Sha256.Length != 64 || !spec.Sha256.All(char.IsAsciiHexDigit))
        {
            problems.Add($"{field}.sha256 must be 64 hex digits, got \"{spec.Sha256}\".");
        }

        var (inputs, outputs) = ComponentContracts.For(kind, m.Tokens, m.Audio);
        CompareTensors($"{field}.inputs", spec.Inputs, inputs, problems);
        CompareTensors($"{field}.outputs", spec.Outputs, outputs, problems);
    }

    private static void CompareTensors(string field, IReadOnlyList<TensorSpec> declared, TensorSpec[] contract, List<string> problems)
    {
        if (declared.Count != contract.Length)
        {
            problems.Add($"{field} lists {declared.Count} tensors, the contract has {contract.Length}: {string.Join("; ", contract.AsEnumerable())}.");
            return;
        }

        for (var i = 0; i < contract.Length; i++)
        {
            var d = declared[i];
            var c = contract[i];
            if (d.Name != c.Name || d.Dtype != c.Dtype || !d.Shape.SequenceEqual(c.Shape))
            {
                problems.Add($"{field}[{i}] is {d}, the contract (from tokens/audio) needs {c}.");
            }
        }
    }
}
