"""The demo's neural vocoder (issue 16 g): target alignment, loss, deterministic training and its bundle export."""
import numpy as np
import onnx
import pytest
import torch

import onnxruntime_native
from dsp_reference import mel_filterbank
from echo_tools import patch_vq, vocoder_training, world
from echo_tools.checkpoints.vocoders import BundleVocoder, export_vocoder
from echo_tools.export import graph_signature
from echo_tools.manifest import Tensor

TINY = vocoder_training.VocoderConfig(ngf=2, residual_layers=1, segment_frames=8, batch=4, steps=40, lr=3e-3)


def tones(count: int = 3) -> np.ndarray:
    t = np.arange(world.CLIP_SAMPLES) / world.SAMPLE_RATE
    return np.stack([0.5 * np.sin(2 * np.pi * (300 + 900 * k) * t) * (1 + np.sin(2 * np.pi * 3 * t)) / 2
                     for k in range(count)]).astype(np.float32)


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


def test_the_stft_loss_is_zero_for_the_target_and_grows_with_the_error():
    g = torch.Generator().manual_seed(1)
    target = torch.randn(2, 4096, generator=g)
    noise = torch.randn(2, 4096, generator=g)
    assert vocoder_training.stft_loss(target, target).item() < 1e-5
    small, large = (vocoder_training.stft_loss(target + a * noise, target).item() for a in (0.05, 0.5))
    assert 0 < small < large


def train_tiny(seed: int):
    filterbank, _ = mel_filterbank()
    audio = tones()
    mels = torch.from_numpy(np.stack([patch_vq.mel_frontend(a, filterbank) for a in audio]))
    waves = torch.from_numpy(np.ascontiguousarray(vocoder_training.targets(audio, 848 * 256)))
    losses = []
    model = vocoder_training.train(mels, mels, waves, TINY, seed, log=lambda line: losses.append(float(line.split()[-1])))
    return model, losses


def test_training_lowers_the_loss_and_is_deterministic():
    torch.set_num_threads(1)
    first, losses = train_tiny(3)
    second, _ = train_tiny(3)
    assert losses[-1] < 0.8 * losses[0], losses
    for (name, a), (_, b) in zip(first.state_dict().items(), second.state_dict().items()):
        assert torch.equal(a, b), name


def test_the_trained_generator_exports_as_the_bundle_vocoder_and_runs_like_pytorch(tmp_path):
    torch.manual_seed(0)
    model = vocoder_training.generator(TINY).eval()
    entry = export_vocoder(BundleVocoder(model, "melgan"), tmp_path)["vocoder"]
    graph = onnx.load(str(tmp_path / entry["file"]))
    assert graph_signature(graph) == ([Tensor("mel", "float32", ("batch", 80, 848))],
                                      [Tensor("waveform", "float32", ("batch", 217088))])
    mel = torch.rand(2, 80, 848, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        expected = model(mel).squeeze(1).clamp(-1, 1).numpy()
    with onnxruntime_native.Session(tmp_path / entry["file"], threads=2) as session:
        actual = session.run({"mel": mel.numpy()}, {"waveform": ((2, 217088), np.float32)})["waveform"]
    assert np.abs(actual - expected).max() < 1e-4
    assert np.abs(expected).max() > 1e-3  # not a constant


@pytest.mark.parametrize("field", ["ngf", "residual_layers"])
def test_the_generator_follows_the_config(field):
    wider = vocoder_training.generator(TINY.__class__(**{**TINY.__dict__, field: getattr(TINY, field) * 2}))
    assert sum(p.numel() for p in wider.parameters()) > sum(
        p.numel() for p in vocoder_training.generator(TINY).parameters())
