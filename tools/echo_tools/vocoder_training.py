"""Training the demo's source-filter vocoder (source_filter.py) on the synthetic world (issue 16 g).

Targets are read off the clean clips, per mel column: the frequency of the strongest STFT peak (2048-sample Hann
window, 8x zero padding, parabolic interpolation) and the amplitude sqrt(2) * RMS over the 512 samples around the
column's centre; the noise gate's target is 1 for the world's noise clips and 0 otherwise. The network sees the
clip's mel or, with probability `codec_share`, the audio codec's reconstruction of it with `corrupt` of its tokens
swapped for one of their `neighbours` nearest codes: the engine hands the vocoder decoded generated tokens, which
are rarely the clip's own. Losses: L1 on the amplitude, amplitude-weighted L1 on log frequency (tone clips only),
binary cross-entropy on the gate.
"""
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from . import patch_vq
from .source_filter import FRAMES, HOP, SAMPLE_RATE, FrameNetwork, SourceFilterVocoder

# The bundle's mel column i is STFT frame i + 6 (patch_vq.mel_frontend crops 860 -> 848), centred on clip sample
# (i + 6) * 256; the vocoder's sample i*256 + 128 is that centre.
OFFSET = 6 * HOP - HOP // 2
PEAK_WINDOW = 2048
PEAK_PADDING = 8


@dataclass(frozen=True)
class VocoderConfig:
    width: int = 128  # ~0.45 M parameters
    steps: int = 1500
    batch: int = 16
    lr: float = 2e-3
    codec_share: float = 0.7
    corrupt: float = 0.2
    neighbours: int = 8


def targets(audio: np.ndarray, samples: int) -> np.ndarray:
    """[N, CLIP_SAMPLES] world clips -> [N, samples] aligned with the bundle mel's columns."""
    return audio[:, OFFSET:OFFSET + samples]


def frame_targets(audio: np.ndarray, frames: int = FRAMES) -> tuple:
    """[N, CLIP_SAMPLES] -> (frequency Hz, amplitude), each [N, frames] float32, one per bundle mel column."""
    centres = (np.arange(frames) + 6) * HOP
    window = np.hanning(PEAK_WINDOW + 1)[:-1]
    padded = np.pad(audio.astype(np.float64), ((0, 0), (PEAK_WINDOW, PEAK_WINDOW)))
    around = centres[:, None] + PEAK_WINDOW // 2 + np.arange(PEAK_WINDOW)[None, :]
    near = centres[:, None] + PEAK_WINDOW - HOP + np.arange(2 * HOP)[None, :]
    rows = np.arange(frames)
    frequency = np.zeros((len(audio), frames), np.float32)
    amplitude = np.zeros((len(audio), frames), np.float32)
    for n, clip in enumerate(padded):
        spectrum = np.abs(np.fft.rfft(clip[around] * window, PEAK_PADDING * PEAK_WINDOW, axis=1))
        k = np.clip(spectrum.argmax(1), 1, spectrum.shape[1] - 2)
        left, mid, right = (np.log(spectrum[rows, k + d] + 1e-12) for d in (-1, 0, 1))
        bend = left - 2 * mid + right
        offset = np.where(bend < 0, 0.5 * (left - right) / np.where(bend < 0, bend, -1), 0.0)
        frequency[n] = (k + offset) * SAMPLE_RATE / (PEAK_PADDING * PEAK_WINDOW)
        amplitude[n] = np.sqrt(2 * (clip[near] ** 2).mean(1))
    return frequency, amplitude


def noise_gain(vocoder: SourceFilterVocoder, mels: torch.Tensor, filterbank: np.ndarray) -> float:
    """The factor that makes the noise branch's output measure (bundle front end) as loud as the mel it was given."""
    with torch.no_grad():
        played = vocoder.noise(mels, torch.ones(mels.shape[0], mels.shape[2])) / vocoder.noise_gain
    ratios = []
    for mel, wave in zip(mels.numpy(), played.numpy()):
        clip = np.zeros(OFFSET + len(wave) + 4096, np.float32)
        clip[OFFSET:OFFSET + len(wave)] = wave
        heard = patch_vq.mel_frontend(clip, filterbank)
        inner = slice(20, mel.shape[1] - 20)
        power = [np.sum(10 ** ((m[:, inner] * 100 - 80) / 10)) for m in (mel, heard)]
        ratios.append(np.sqrt(power[0] / power[1]))
    return float(np.mean(ratios))


def train(mels: torch.Tensor, tokens: torch.Tensor, codebook: torch.Tensor, frequency: torch.Tensor,
          amplitude: torch.Tensor, noise: torch.Tensor, c: VocoderConfig, seed: int, log=print) -> FrameNetwork:
    """mels [N, 80, F] in [0, 1]; tokens [N, 265] their audio codes; frequency, amplitude [N, F] (frame_targets);
    noise [N] bool. Deterministic for a seed (at a fixed thread count)."""
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    decoder = patch_vq.AudioDecoder(codebook)
    nearest = torch.cdist(codebook, codebook).argsort(1)[:, 1:1 + c.neighbours]
    network = FrameNetwork(c.width).train()
    optimizer = torch.optim.Adam(network.parameters(), lr=c.lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 0.5 * (1 + np.cos(np.pi * s / c.steps)))
    log_frequency = frequency.clamp(50, 10000).log()
    running = None
    for step in range(c.steps):
        rows = torch.randint(0, mels.shape[0], (c.batch,), generator=g)
        codes = tokens[rows]
        swap = torch.rand(codes.shape, generator=g) < c.corrupt
        codes = torch.where(swap, nearest[codes, torch.randint(0, c.neighbours, codes.shape, generator=g)], codes)
        with torch.no_grad():
            codec = ((decoder(codes) + 1) / 2).clamp(0, 1)
        use_codec = torch.rand(c.batch, generator=g) < c.codec_share
        predicted_frequency, predicted_amplitude, gate = network(torch.where(use_codec[:, None, None], codec, mels[rows]))
        tone = (~noise[rows]).float()[:, None]
        weight = amplitude[rows] * tone
        loss = (5 * (predicted_amplitude - weight).abs().mean()
                + (weight * (predicted_frequency.log() - log_frequency[rows]).abs()).sum() / weight.sum().clamp(min=1e-6)
                + 0.3 * F.binary_cross_entropy(gate, (1 - tone).expand_as(gate)))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
        if step % 100 == 0 or step == c.steps - 1:
            log(f"vocoder step {step}/{c.steps} loss {running:.4f}")
    return network.eval()
