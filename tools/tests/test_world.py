"""The synthetic world's contract (issue 4): hue class <-> band, texture <-> time pattern, seeded splits."""
import numpy as np
import pytest

from echo_tools import world


def band_share(audio: np.ndarray, k: int) -> float:
    power = np.abs(np.fft.rfft(audio.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(audio), 1 / world.SAMPLE_RATE)
    lo, hi = world.band_edges(k)
    return power[(freqs >= lo) & (freqs <= hi)].sum() / power.sum()


def hsv(image: np.ndarray) -> tuple:
    x = image.astype(np.float64) / 255
    mx, mn = x.max(-1), x.min(-1)
    return (mx - mn) / np.maximum(mx, 1e-9), mx


def test_band_edges_are_log_spaced_from_150_to_6000_hz():
    assert world.band_edges(0) == pytest.approx((150, 150 * 40 ** (1 / 8)))
    assert world.band_edges(7)[1] == pytest.approx(6000)
    assert world.band_edges(3)[1] == pytest.approx(world.band_edges(4)[0])


@pytest.mark.parametrize("index", range(0, 48, 5))
def test_a_sample_keeps_the_contract(index):
    s = world.sample(11, "train", index)
    assert s.label == index % 8
    assert s.texture in world.TEXTURES[s.pattern]
    assert abs((s.hue - 45 * s.label + 180) % 360 - 180) <= 10
    assert world.dominant_hue_class(s.image) == s.label
    saturation, value = hsv(s.image)
    assert np.mean(saturation >= 0.49) > 0.9 and np.mean(value >= 0.39) > 0.9
    assert s.image.shape == (256, 256, 3) and s.audio.shape == (220500,)
    assert band_share(s.audio, s.label) > 0.97


def test_patterns_follow_the_texture_in_time():
    frame = 441  # 20 ms
    for index in (0, 8, 16):  # steady, pulsed, noise for class 0
        s = world.sample(3, "train", index)
        rms = np.sqrt((s.audio[:len(s.audio) // frame * frame].reshape(-1, frame).astype(np.float64) ** 2).mean(1))
        quiet = np.mean(rms < 0.05 * rms.max())
        if s.pattern == "pulsed":
            assert 0.2 < quiet < 0.8  # off between pulses
        else:
            assert quiet < 0.02
    assert [world.sample(3, "train", i).pattern for i in (0, 8, 16, 24)] == ["steady", "pulsed", "noise", "steady"]


def test_samples_are_seeded_and_splits_differ():
    a, b = world.sample(5, "train", 7), world.sample(5, "train", 7)
    assert np.array_equal(a.image, b.image) and np.array_equal(a.audio, b.audio)
    held = world.sample(5, "heldout", 7)
    assert held.label == a.label and not np.array_equal(held.image, a.image)


def test_dominant_hue_class_of_flat_colours():
    for k in range(8):
        rgb = world.hsv_to_rgb(np.full((4, 4), 45.0 * k + 9), np.ones((4, 4)), np.ones((4, 4)))
        assert world.dominant_hue_class(np.round(rgb * 255).astype(np.uint8)) == k
