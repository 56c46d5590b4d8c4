using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EchoPipeline.Cli.Tests.LocalPipeline;

namespace EchoPipeline.Cli.Tests.Report;

/// <summary>The demo run's index.html in headless Chromium: every input shown, every audio and image actually loads.</summary>
[Collection(DemoRunTests.Name)]
public sealed partial class HtmlReportRenderingTests(DemoRunFixture run)
{
    [Fact]
    public async Task Every_input_has_a_card_with_its_status_and_succeeded_ones_have_loaded_audio_and_images()
    {
        var dom = await HeadlessChromium.DumpDomAsync(Path.Combine(run.OutFolder, "index.html"));
        var cards = CardPattern().Matches(dom).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["input"].Value), m => m.Groups["body"].Value, StringComparer.Ordinal);
        using var summary = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(run.OutFolder, "summary.json")));

        var entries = summary.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(entries.Count, cards.Count);
        foreach (var entry in entries)
        {
            var card = cards[entry.GetProperty("input").GetString()!];
            var status = entry.GetProperty("status").GetString();
            Assert.Contains($"<span class=\"badge\">{status}</span>", card, StringComparison.Ordinal);
            if (status == "succeeded")
            {
                var audio = AudioPattern().Match(card);
                Assert.True(audio.Success, "no audio element");
                Assert.Equal("loaded", audio.Groups["state"].Value);
                // The 4 s video's soundtrack is 4 s; a picture's is one 9.845 s window.
                var expected = entry.GetProperty("input").GetString() == DemoRunFixture.Video ? 4.0 : 9.845;
                Assert.InRange(double.Parse(audio.Groups["duration"].Value, System.Globalization.CultureInfo.InvariantCulture), expected - 0.05, expected + 0.05);
                var images = ImagePattern().Matches(card).Select(m => m.Groups["state"].Value).ToList();
                Assert.Equal(["loaded", "loaded"], images); // frame and spectrogram
            }
            else
            {
                Assert.Contains(WebUtility.HtmlEncode(entry.GetProperty("errorCode").GetString()!), card, StringComparison.Ordinal);
                Assert.DoesNotContain("<audio", card, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task The_hostile_name_is_shown_as_text_not_markup()
    {
        var dom = await HeadlessChromium.DumpDomAsync(Path.Combine(run.OutFolder, "index.html"), virtualTimeMs: 500);

        Assert.Contains("&lt;b&gt;ü.png", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>ü", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_screenshot_renders()
    {
        var png = Path.Combine(run.OutFolder, "..", "report.png");
        await HeadlessChromium.ScreenshotAsync(Path.Combine(run.OutFolder, "index.html"), png);

        Assert.True(new FileInfo(png).Length > 20_000, "the screenshot is nearly empty");
    }

    [GeneratedRegex("<section class=\"card [^\"]*\" data-input=\"(?<input>[^\"]*)\"[^>]*>(?<body>.*?)</section>", RegexOptions.Singleline)]
    private static partial Regex CardPattern();

    [GeneratedRegex("<audio[^>]*data-state=\"(?<state>[^\"]*)\" data-duration=\"(?<duration>[^\"]*)\"")]
    private static partial Regex AudioPattern();

    [GeneratedRegex("<img[^>]*data-state=\"(?<state>[^\"]*)\"")]
    private static partial Regex ImagePattern();
}
