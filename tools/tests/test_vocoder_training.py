"""Training the demo's source-filter vocoder (issue 16 g): alignment, per-frame targets, deterministic training."""
from dataclasses import replace

import numpy as np
import torch

from dsp_reference import mel_filterbank
from echo_tools import patch_vq, vocoder_training, world
from echo_tools.source_filter import FrameNetwork

TINY = replace(vocoder_training.VocoderConfig(), width=16, steps=600, batch=3, lr=3e-3, codec_share=0.0)


def test_target_sample_i_times_256_plus_128_is_the_centre_of_mel_column_i():
    """Recomputes mel columns with numpy from Hann frames centred on the target's samples."""
    filterbank, _ = mel_filterbank()
    rng = np.random.default_rng(0)
    audio = (rng.standard_normal(world.CLIP_SAMPLES) * np.linspace(0.1, 0.9, world.CLIP_SAMPLES)).astype(np.float32)
    mel = patch_vq.mel_frontend(audio, filterbank)
    target = vocoder_training.targets(audio[None], 848 * 256)[0]
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(1024) / 1024)
    for i in (10, 400, 830):
        centre = i * 256 + 128
        frame = target[centre - 512:centre + 512] * window
        m = filterbank @ np.abs(np.fft.rfft(frame))
        column = np.clip((20 * np.log10(np.maximum(m, 1e-5)) - 20 + 100) / 100, 0, 1)
        assert np.abs(column - mel[:, i]).max() < 1e-3
    assert target.shape == (848 * 256,)


def tone(hz: float, amplitude: float, gate_hz: float = 0.0) -> np.ndarray:
    t = np.arange(world.CLIP_SAMPLES) / world.SAMPLE_RATE
    gate = (np.sin(2 * np.pi * gate_hz * t) > 0) if gate_hz else 1.0
    return (amplitude * np.sin(2 * np.pi * hz * t + 0.3) * gate).astype(np.float32)


def test_frame_targets_read_a_tone_s_frequency_and_amplitude_at_each_column():
    frequency, amplitude = vocoder_training.frame_targets(np.stack([tone(1000.0, 0.4), tone(4321.0, 0.2)]))
    inner = slice(10, 838)
    assert np.abs(frequency[0, inner] - 1000.0).max() < 0.5
    assert np.abs(frequency[1, inner] - 4321.0).max() < 0.5
    assert np.abs(amplitude[0, inner] - 0.4).max() < 0.01
    assert np.abs(amplitude[1, inner] - 0.2).max() < 0.005


def test_frame_targets_follow_a_gate_with_silence_in_its_gaps():
    _, amplitude = vocoder_training.frame_targets(tone(700.0, 0.5, gate_hz=2.0)[None])
    # Column i is centred on clip second (i + 6) * 256 / 22050; the gate is on in the first half of each 0.5 s.
    seconds = (np.arange(848) + 6) * 256 / world.SAMPLE_RATE
    phase = (seconds * 2.0) % 1.0
    assert np.all(amplitude[0, (phase > 0.1) & (phase < 0.4)] > 0.45)
    assert np.all(amplitude[0, (phase > 0.6) & (phase < 0.9)] < 0.01)


def train_tiny(seed: int):
    """Three clips: a steady tone, a gated tone and world noise; clean mels only (codec_share 0)."""
    filterbank, _ = mel_filterbank()
    audio = np.stack([tone(400.0, 0.5), tone(2500.0, 0.3, gate_hz=3.0), world.sample(5, "train", 16).audio])
    mels = torch.from_numpy(np.stack([patch_vq.mel_frontend(a, filterbank) for a in audio]))
    codebook = torch.rand(16, 256, generator=torch.Generator().manual_seed(0)) * 2 - 1
    tokens = patch_vq.AudioEncoder(codebook)(mels * 2 - 1)
    frequency, amplitude = (torch.from_numpy(t) for t in vocoder_training.frame_targets(audio))
    noise = torch.tensor([False, False, True])
    network = vocoder_training.train(mels, tokens, codebook, frequency, amplitude, noise, TINY, seed, log=lambda _: None)
    torch.manual_seed(seed)
    untrained = FrameNetwork(TINY.width).eval()  # what train() started from

    def errors(model):
        with torch.no_grad():
            f, a, gate = model(mels)
        tones = slice(0, 2)
        return ((a[tones] - amplitude[tones]).abs().mean().item(),
                (f[0, 20:-20].log() - np.log(400.0)).abs().mean().item(),
                (gate[:2].mean() - gate[2].mean()).item())

    return network, errors(untrained), errors(network)


def test_training_learns_the_targets_and_is_deterministic():
    torch.set_num_threads(1)
    first, before, after = train_tiny(3)
    second, _, _ = train_tiny(3)
    assert after[0] < 0.5 * before[0], (before, after)  # amplitude error
    assert after[1] < 0.5 * before[1], (before, after)  # log-frequency error of the steady tone
    assert after[2] < before[2] - 0.2, (before, after)  # the gate opens for the noise more than for the tones
    for (name, a), (_, b) in zip(first.state_dict().items(), second.state_dict().items()):
        assert torch.equal(a, b), name
