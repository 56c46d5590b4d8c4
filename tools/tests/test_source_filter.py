"""The demo's source-filter vocoder (issue 16 g): its synthesizer against closed forms and numpy, and its export."""
import functools

import numpy as np
import onnx
import torch

import onnxruntime_native
from dsp_reference import mel_filterbank
from echo_tools import patch_vq, vocoder_training, world
from echo_tools.export import export_component, graph_signature
from echo_tools.manifest import Tensor, Tokens, contracts
from echo_tools.source_filter import HOP, SAMPLE_RATE, FrameNetwork, SourceFilterVocoder, mel_to_bins

FILTERBANK = mel_filterbank()[0]


def vocoder(frames: int = 848, noise_gain: float = 1.0) -> SourceFilterVocoder:
    torch.manual_seed(0)
    return SourceFilterVocoder(FrameNetwork(8), FILTERBANK, noise_gain, frames).eval()


def test_upsampling_is_linear_between_frame_centres_and_flat_beyond_them():
    values = torch.rand(1, 20, generator=torch.Generator().manual_seed(1), dtype=torch.float64).float()
    played = vocoder(20).upsample(values)[0].numpy()
    expected = np.interp(np.arange(20 * HOP), np.arange(20) * HOP + HOP // 2, values[0].numpy())
    assert played.shape == (20 * HOP,)
    assert np.abs(played - expected).max() < 1e-5


def test_a_steady_tone_is_the_closed_form_sine():
    frames, hz, amplitude = 848, 1234.5, 0.5
    with torch.no_grad():
        played = vocoder().tone(torch.full((1, frames), hz), torch.full((1, frames), amplitude))[0].numpy()
    n = np.arange(frames * HOP) + 1  # the phase sums the steps up to and including sample n
    expected = amplitude * np.sin(2 * np.pi * hz * n / SAMPLE_RATE)
    second = SAMPLE_RATE
    assert np.abs(played[:second] - expected[:second]).max() < 1e-3
    # float32 steps drift the phase by under 0.02 rad over the whole 9.85 s (a pitch error of about 3e-4 Hz)
    assert np.abs(played - expected).max() < 0.01


def test_a_glide_changes_pitch_without_clicks_at_frame_boundaries():
    frames = 848
    hz = torch.linspace(300, 5000, frames)[None, :]
    with torch.no_grad():
        played = vocoder().tone(hz, torch.full((1, frames), 0.8))[0].numpy()
    # A sine's sample-to-sample change is at most amplitude * 2 pi f / rate; a phase jump would exceed it.
    bound = 0.8 * 2 * np.pi * np.repeat(hz[0].numpy(), HOP) / SAMPLE_RATE
    assert np.all(np.abs(np.diff(played)) <= bound[1:] * 1.01 + 1e-4)
    crossings = np.count_nonzero(np.diff(np.signbit(played[:HOP * 100])))
    expected = 2 * np.mean(hz[0, :100].numpy()) * 100 * HOP / SAMPLE_RATE
    assert abs(crossings - expected) < 0.02 * expected


def test_mel_to_bins_turns_a_flat_spectrum_s_mel_back_into_that_spectrum():
    level = 0.37
    mel = FILTERBANK @ np.full(513, level)
    bins = mel_to_bins(FILTERBANK) @ mel
    covered = FILTERBANK.sum(0) > 0
    assert np.allclose(bins[covered], level, rtol=1e-6)
    assert np.all(bins[~covered] == 0)


@functools.lru_cache
def world_mel(index: int, pattern: str) -> torch.Tensor:
    """Sample `index` of the world (the pattern cycles every 8 samples: 0-7 steady, 8-15 pulsed, 16-23 noise)."""
    sample = world.sample(5, "train", index)
    assert sample.pattern == pattern
    return torch.from_numpy(patch_vq.mel_frontend(sample.audio, FILTERBANK))


def test_noise_shaped_by_a_mel_measures_as_that_mel_once_calibrated():
    mels = torch.stack([world_mel(i, "noise") for i in (16, 17, 18)])
    calibrate = vocoder()
    gain = vocoder_training.noise_gain(calibrate, mels[:2], FILTERBANK)
    with torch.no_grad():
        played = vocoder(noise_gain=gain).noise(mels[2:], torch.ones(1, 848))[0].numpy()
    clip = np.zeros(world.CLIP_SAMPLES, np.float32)
    clip[vocoder_training.OFFSET:vocoder_training.OFFSET + len(played)] = played
    heard = patch_vq.mel_frontend(clip, FILTERBANK)[:, 20:-20]
    given = mels[2].numpy()[:, 20:-20]
    loud = given > given.max() - 0.1  # within 10 dB of the loudest cell
    assert loud.sum() > 100
    power = [np.mean(10 ** ((m[loud] * 100 - 80) / 10)) for m in (heard, given)]
    assert abs(10 * np.log10(power[0] / power[1])) < 1.0  # dB: the level is right
    assert np.mean(np.abs(heard[loud] - given[loud])) * 100 < 6  # and the shape close (random phase)


def test_the_vocoder_exports_to_the_bundle_contract_and_runs_in_onnx_runtime_like_pytorch(tmp_path):
    model = vocoder(noise_gain=2.0)
    entry = export_component(model, (torch.full((2, 80, 848), 0.5),), tmp_path / "vocoder.onnx",
                             *contracts(Tokens(audio_codebook=256, image_codebook=256))["vocoder"])
    assert graph_signature(onnx.load(str(tmp_path / entry["file"]))) == (
        [Tensor("mel", "float32", ("batch", 80, 848))], [Tensor("waveform", "float32", ("batch", 217088))])
    mel = torch.stack([world_mel(3, "steady"), world_mel(16, "noise")])
    with torch.no_grad():
        expected = model(mel).numpy()
    with onnxruntime_native.Session(tmp_path / entry["file"], threads=2) as session:
        actual = session.run({"mel": mel.numpy()}, {"waveform": ((2, 217088), np.float32)})["waveform"]
    assert np.abs(actual - expected).max() < 2e-3
    assert np.abs(expected).max() > 1e-3 and np.abs(expected).max() <= 1.0
