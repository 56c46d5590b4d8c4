using EchoPipeline.Infra.Tests.Support;

namespace EchoPipeline.Infra.Tests;

/// <summary>
/// The worker images build from a clean clone and nothing else (no Docker engine here, so the Dockerfiles are read, not
/// built): every COPY source is tracked and inside the context, no step needs .deps/, the projects they publish have all
/// their files in the context, and the GPU image publishes ONNX Runtime's CUDA flavour.
/// </summary>
public sealed class DockerfileTests
{
    private const string GpuDockerfile = "workers/Dockerfile";

    /// <summary>Every Dockerfile in the repository, so a new one is held to the same rules.</summary>
    public static TheoryData<string> Dockerfiles => new(TrackedDockerfiles());

    private static IEnumerable<string> TrackedDockerfiles() => BuildContext.TrackedFiles.Value
        .Where(f => Path.GetFileName(f) is var name
            && (name == "Dockerfile" || (name.StartsWith("Dockerfile.", StringComparison.Ordinal) && !name.EndsWith(".dockerignore", StringComparison.Ordinal))));

    [Fact]
    public void Azd_builds_the_gpu_dockerfile_from_the_repository_root()
    {
        var yaml = AzureYaml.Parse(InfraFiles.AzureYaml);
        var project = InfraFiles.Path(yaml["services.worker.project"]);

        Assert.Equal(InfraFiles.Path(GpuDockerfile), Path.GetFullPath(Path.Combine(project, yaml["services.worker.docker.path"])));
        Assert.Equal(Path.GetFullPath(InfraFiles.Path(".")), Path.GetFullPath(Path.Combine(project, yaml["services.worker.docker.context"])));
        Assert.Equal([GpuDockerfile, "workers/Dockerfile.cpu"], TrackedDockerfiles().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Every_copy_source_is_in_the_build_context_of_a_clean_clone(string dockerfile)
    {
        var text = InfraFiles.Read(dockerfile);

        var problems = DockerChecks.MissingCopySources(text, BuildContext.RepositoryRoot(InfraFiles.Path(dockerfile)));

        Assert.NotEmpty(DockerfileText.ContextSources(DockerfileText.Parse(text)));
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void No_step_reads_deps_and_the_context_leaves_it_out(string dockerfile)
    {
        Assert.Empty(DockerChecks.DepsReferences(InfraFiles.Read(dockerfile)));
        Assert.True(BuildContext.RepositoryRoot(InfraFiles.Path(dockerfile)).Excluded(".deps/node_modules/.bin/azurite"));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void The_published_projects_have_every_file_and_build_setting_in_the_context(string dockerfile)
    {
        var text = InfraFiles.Read(dockerfile);

        var problems = DockerChecks.BuildInputsOutsideContext(text, BuildContext.RepositoryRoot(InfraFiles.Path(dockerfile)), BuildContext.TrackedFiles.Value);

        Assert.Contains(DockerfileText.DotnetCommands(DockerfileText.Parse(text)), c => c.Verb == "publish" && c.Project == "workers/EchoPipeline.Worker");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void The_gpu_image_restores_and_publishes_the_gpu_flavour_and_the_others_the_cpu_one(string dockerfile)
    {
        var commands = DockerfileText.DotnetCommands(DockerfileText.Parse(InfraFiles.Read(dockerfile)));
        var expected = dockerfile == GpuDockerfile ? "Gpu" : "Cpu";

        Assert.Contains(commands, c => c.Verb == "restore");
        Assert.All(commands, c => Assert.Equal(expected, c.Flavour));
    }

    [Fact]
    public void The_gpu_image_runs_on_a_cuda_13_and_cudnn_runtime_base()
    {
        var instructions = DockerfileText.Parse(InfraFiles.Read(GpuDockerfile));

        Assert.Equal("${CUDA_IMAGE}", instructions.Last(i => i.Keyword == "FROM").Arguments);
        Assert.Matches(@"^CUDA_IMAGE=nvidia/cuda:13\.\d+\.\d+-cudnn-runtime-", instructions.First(i => i.Keyword == "ARG").Arguments);
    }

    [Theory]
    [InlineData("COPY .deps/onnxruntime-gpu /deps", ".deps/onnxruntime-gpu")]
    [InlineData("COPY tests/fixtures /fixtures", "tests/fixtures")]
    [InlineData("COPY no/such/folder /x", "no/such/folder")]
    [InlineData("COPY [\"workers/*.md\", \"nowhere/*.txt\", \"/docs/\"]", "nowhere/*.txt")]
    public void A_copy_of_an_untracked_or_ignored_path_is_reported(string copy, string reported)
    {
        var mutated = InfraFiles.Read(GpuDockerfile).Replace("COPY . .", "COPY . .\n" + copy, StringComparison.Ordinal);

        var problems = DockerChecks.MissingCopySources(mutated, BuildContext.RepositoryRoot(InfraFiles.Path(GpuDockerfile)));

        Assert.Contains($"COPY source '{reported}' is not in the build context", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_that_reads_deps_is_reported_with_its_line()
    {
        var mutated = InfraFiles.Read(GpuDockerfile).Replace(
            "RUN dotnet restore", "RUN test -f .deps/onnxruntime-gpu/package.json \\\n && dotnet restore", StringComparison.Ordinal);
        var line = mutated.Split('\n').TakeWhile(l => !l.Contains(".deps/onnxruntime-gpu", StringComparison.Ordinal)).Count() + 1;

        Assert.Equal($"line {line}: RUN reads .deps/, which a clean clone does not have", Assert.Single(DockerChecks.DepsReferences(mutated)));
    }

    [Fact]
    public void A_publish_without_the_gpu_property_is_read_as_the_cpu_flavour()
    {
        var mutated = InfraFiles.Read(GpuDockerfile).Replace("-p:OnnxRuntimeFlavor=Gpu -o /app", "-o /app", StringComparison.Ordinal);

        var publish = Assert.Single(DockerfileText.DotnetCommands(DockerfileText.Parse(mutated)), c => c.Verb == "publish");

        Assert.Equal("Cpu", publish.Flavour);
    }

    [Fact]
    public void A_context_that_leaves_out_a_referenced_project_or_a_build_setting_is_reported()
    {
        var dockerfile = InfraFiles.Path(GpuDockerfile);
        var tracked = BuildContext.TrackedFiles.Value;
        var withoutCore = new BuildContext(tracked, ["**/bin", "**/obj", "core", "Directory.Packages.props"]);

        var problems = DockerChecks.BuildInputsOutsideContext(InfraFiles.Read(GpuDockerfile), withoutCore, tracked);

        Assert.Contains("Directory.Packages.props is needed by the build but left out of the context", problems);
        Assert.Contains(problems, p => p.StartsWith("core/EchoPipeline.Jobs/", StringComparison.Ordinal));
        Assert.Empty(DockerChecks.BuildInputsOutsideContext(InfraFiles.Read(GpuDockerfile), BuildContext.RepositoryRoot(dockerfile), tracked));
    }

    [Theory]
    [InlineData("**/bin", "core/EchoPipeline.Jobs/bin/Release/x.dll", true)]
    [InlineData("**/bin", "bin/x", true)]
    [InlineData("**/bin", "core/binary.txt", false)]
    [InlineData("tests", "tests/fixtures/onnx/tiny_affine.onnx", true)]
    [InlineData("tests", "testsuite/a", false)]
    [InlineData(".deps", ".deps/node_modules/x", true)]
    [InlineData("models/*.md", "models/README.md", true)]
    [InlineData("models/*.md", "models/echo-demo/README.md", false)]
    public void The_ignore_rules_match_like_dockers(string rule, string path, bool excluded)
    {
        Assert.Equal(excluded, new BuildContext([], [rule]).Excluded(path));
    }

    [Fact]
    public void A_negated_ignore_rule_brings_a_path_back()
    {
        var context = new BuildContext(["tests/a.txt", "tests/keep.txt"], ["tests", "!tests/keep.txt"]);

        Assert.True(context.Excluded("tests/a.txt"));
        Assert.False(context.Excluded("tests/keep.txt"));
        Assert.True(context.Provides("tests"));
    }
}
