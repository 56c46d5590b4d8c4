namespace EchoPipeline.Media;

/// <summary>Feeds a tool's stdin and drains its stdout, so neither side blocks the other.</summary>
internal static class ProcessPipes
{
    public static async Task WriteInputAsync(Stream stdin, ReadOnlyMemory<byte> input)
    {
        try
        {
            if (!input.IsEmpty)
            {
                await stdin.WriteAsync(input);
            }

            await stdin.DisposeAsync();
        }
        catch (IOException)
        {
            // The tool stopped reading early; its exit code and stderr say why.
        }
    }

    public static async Task CopyOutputAsync(Stream stdout, Stream destination, long limit, CancellationTokenSource abort)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await stdout.ReadAsync(buffer)) > 0)
        {
            total += read;
            if (total > limit)
            {
                await abort.CancelAsync();
                throw new MediaException(MediaErrorCode.OutputTooLarge,
                    $"The tool wrote more than {limit} bytes to stdout; stream it to a file instead.");
            }

            await destination.WriteAsync(buffer.AsMemory(0, read));
        }
    }
}
