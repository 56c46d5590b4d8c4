using EchoPipeline.Cli.Batch;

namespace EchoPipeline.Cli.Tests.Batch;

/// <summary>A manifest from someone else must not make the run read files outside its folder.</summary>
public sealed class InputResolverTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("echopipe-inputs-").FullName;

    private string Folder => Path.Combine(_root, "manifest");

    public InputResolverTests()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "clips"));
        File.WriteAllText(Path.Combine(Folder, "clips", "abc.png"), "abc");
        File.WriteAllText(Path.Combine(_root, "secret.txt"), "secret");
        File.CreateSymbolicLink(Path.Combine(Folder, "link.png"), Path.Combine(_root, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(Folder, "outdir"), _root);
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("clips/../../secret.txt")]
    [InlineData("link.png")]
    [InlineData("outdir/secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData(".")]
    public async Task Paths_that_lead_out_of_the_manifest_folder_are_refused(string input)
    {
        var (resolved, code, message) = await new InputResolver(Folder).ResolveAsync(input, CancellationToken.None);

        Assert.Null(resolved);
        Assert.Equal(BatchErrorCodes.InputOutsideManifest, code);
        Assert.Contains(input, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_and_a_control_character_are_failures_with_their_own_codes()
    {
        var resolver = new InputResolver(Folder);

        Assert.Equal(BatchErrorCodes.InputMissing, (await resolver.ResolveAsync("clips/none.png", CancellationToken.None)).Code);
        Assert.Equal(BatchErrorCodes.InputMissing, (await resolver.ResolveAsync("clips", CancellationToken.None)).Code);
        Assert.Equal(BatchErrorCodes.InvalidRow, (await resolver.ResolveAsync("a\u0001.png", CancellationToken.None)).Code);
    }

    [Fact]
    public async Task A_file_inside_resolves_to_its_full_path_and_the_sha256_of_its_bytes()
    {
        var (resolved, code, _) = await new InputResolver(Folder).ResolveAsync("clips/./abc.png", CancellationToken.None);

        Assert.Null(code);
        Assert.Equal(Path.Combine(Folder, "clips", "abc.png"), resolved!.FullPath);
        // FIPS 180-2 test vector for "abc".
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", resolved.Sha256);
        Assert.Equal(3, resolved.Length);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
