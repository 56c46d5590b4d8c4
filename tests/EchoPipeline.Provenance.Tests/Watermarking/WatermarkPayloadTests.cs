using EchoPipeline.Provenance.Watermarking;

namespace EchoPipeline.Provenance.Tests.Watermarking;

public sealed class WatermarkPayloadTests
{
    [Fact]
    public void A_job_payload_is_the_job_ids_first_seven_hex_digits_and_the_variation()
    {
        var payload = WatermarkPayload.ForJob("3f2a91c0d4e5f60718293a4b5c6d7e8f", 5);

        Assert.Equal(0x3f2a91c5u, payload.Value);
        Assert.Equal("3f2a91c5", payload.ToString());
        Assert.Equal(payload, WatermarkPayload.Parse("3f2a91c5"));
    }

    [Fact]
    public void A_text_payload_is_the_first_32_bits_of_its_sha256() =>
        // SHA-256("abc") = ba7816bf 8f01cfea ... (FIPS 180-2 test vector).
        Assert.Equal(0xba7816bfu, WatermarkPayload.FromText("abc").Value);

    [Theory]
    [InlineData("3f2a91", 0)]
    [InlineData("zzzzzzzz0000", 0)]
    [InlineData("3f2a91c0d4e5", 16)]
    public void Job_ids_and_variations_it_cannot_carry_are_refused(string jobId, int variation) =>
        Assert.ThrowsAny<ArgumentException>(() => WatermarkPayload.ForJob(jobId, variation));
}
