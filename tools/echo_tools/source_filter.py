"""The demo bundle's neural vocoder: a small network reads the mel, a fixed synthesizer makes the sound (issue 16 g).

Per mel frame the network (dilated 1-D convolutions over the frames, 127 frames of context) gives a tone's frequency
and amplitude and a noise gate. The synthesizer, fixed and part of the same ONNX graph, then plays
- a sine whose frequency and amplitude move linearly between frame centres, with its phase carried across frames,
- plus noise shaped like the input mel (the mel's bands spread back onto the STFT bins, a fixed random phase per bin
  and frame, an inverse STFT by transposed convolution), scaled by the gate.
That is the sound the synthetic world is made of (tools/echo_tools/world.py: one tone or chirp, gated or not, or one
narrow band of noise). A MelGAN-style generator trained here (earlier revisions of vocoder_training.py) came out 36-65 dB too
quiet: its output depends on a steady mel only through stride-256 convolutions, so it can only make harmonics of
86 Hz, and without a discriminator a quiet output was its nearest minimum (docs/models.md). The synthesizer carries
the phase instead, so the network is trained on per-frame targets read off the clean clips, in minutes on a CPU.

Contract (the bundle's `vocoder`): mel [B, 80, 848] in [0, 1] -> waveform [B, 217088] in [-1, 1]. Output sample
i*256 + 128 is the centre of mel column i, as for every vocoder of the bundle format.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .manifest import PAPER_AUDIO

# The bundle's audio front end (manifest.PAPER_AUDIO), stated once.
SAMPLE_RATE, HOP, N_FFT, FRAMES = (PAPER_AUDIO[k] for k in ("sampleRate", "hopLength", "nFft", "frames"))
LOWEST_HZ, HIGHEST_HZ = 100.0, 8000.0
DB_MIN, DB_RANGE = float(PAPER_AUDIO["dbMin"]), float(PAPER_AUDIO["dbMax"] - PAPER_AUDIO["dbMin"])  # x = (dB - dbMin) / range
PHASE_SEED = 7
# Output sample i*256 + 128 is mel column i's centre; a transposed convolution puts frame i's centre at i*256 + 512.
CROP = N_FFT // 2 - HOP // 2


class FrameNetwork(nn.Module):
    """mel [B, 80, T] -> (frequency Hz, amplitude, noise gate), each [B, T]."""

    def __init__(self, width: int = 128):
        super().__init__()
        layers, channels = [], 80
        for kernel, dilation in ((5, 1), (5, 2), (5, 4), (5, 8), (5, 16), (3, 1)):
            layers += [nn.Conv1d(channels, width, kernel, padding=dilation * (kernel // 2), dilation=dilation),
                       nn.LeakyReLU(0.2)]
            channels = width
        self.body = nn.Sequential(*layers, nn.Conv1d(width, 3, 1))

    def forward(self, mel: torch.Tensor) -> tuple:
        z = self.body(mel)
        frequency = LOWEST_HZ * (HIGHEST_HZ / LOWEST_HZ) ** torch.sigmoid(z[:, 0])
        return frequency, F.softplus(z[:, 1] - 2), torch.sigmoid(z[:, 2])


def mel_to_bins(filterbank: np.ndarray) -> np.ndarray:
    """[513, 80]: a flat spectrum of level c gives mel band j the value c * sum(filter j); each bin takes the
    filter-weighted mean of c_j = mel_j / sum(filter j) over the bands covering it (0 outside 125-7600 Hz)."""
    cover = filterbank.sum(0)
    weights = np.where(cover > 0, filterbank / np.maximum(cover, 1e-12), 0.0)
    return (weights / filterbank.sum(1)[:, None]).T


def inverse_stft_basis() -> np.ndarray:
    """[1026, 1, 1024]: real then imaginary parts of the inverse real DFT, times the Hann synthesis window, over the
    window-square sum of 4 overlapping frames (1.5), so overlap-add of unmodified frames gives the signal back."""
    n, k = np.arange(N_FFT), np.arange(N_FFT // 2 + 1)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * n / N_FFT)
    scale = np.where((k == 0) | (k == N_FFT // 2), 1.0, 2.0)[:, None] / N_FFT * window[None, :] / 1.5
    angle = 2 * np.pi * k[:, None] * n[None, :] / N_FFT
    return np.concatenate([scale * np.cos(angle), -scale * np.sin(angle)])[:, None, :]


class SourceFilterVocoder(nn.Module):
    """The bundle vocoder: FrameNetwork plus the fixed synthesizer (buffers, exported as initializers)."""

    def __init__(self, network: FrameNetwork, filterbank: np.ndarray, noise_gain: float, frames: int = FRAMES):
        super().__init__()
        self.network = network
        phase = np.random.default_rng(PHASE_SEED).uniform(0, 2 * np.pi, (N_FFT // 2 + 1, frames))
        self.register_buffer("spread", torch.tensor(mel_to_bins(filterbank), dtype=torch.float32))
        self.register_buffer("basis", torch.tensor(inverse_stft_basis(), dtype=torch.float32))
        self.register_buffer("noise_cos", torch.tensor(np.cos(phase), dtype=torch.float32))
        self.register_buffer("noise_sin", torch.tensor(np.sin(phase), dtype=torch.float32))
        triangle = 1 - np.abs(np.arange(2 * HOP) - HOP) / HOP
        self.register_buffer("triangle", torch.tensor(triangle, dtype=torch.float32)[None, None, :])
        self.noise_gain = float(noise_gain)

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        frequency, amplitude, gate = self.network(mel)
        return (self.tone(frequency, amplitude) + self.noise(mel, gate)).clamp(-1, 1)

    def upsample(self, per_frame: torch.Tensor) -> torch.Tensor:
        """[B, T] -> [B, T * 256]: linear between frame centres (sample i*256 + 128), constant beyond the ends."""
        frames = per_frame.shape[1]
        padded = torch.cat([per_frame[:, :1], per_frame, per_frame[:, -1:]], 1)[:, None, :]
        # Frame j of `padded` peaks at output sample 256 j + 256, so frame i (j = i + 1) at 256 i + 512.
        return F.conv_transpose1d(padded, self.triangle, stride=HOP)[:, 0, 3 * HOP // 2:3 * HOP // 2 + frames * HOP]

    def tone(self, frequency: torch.Tensor, amplitude: torch.Tensor) -> torch.Tensor:
        """A sine with the phase summed sample by sample; summed per frame first and wrapped, so float32 holds it."""
        batch, frames = frequency.shape
        step = self.upsample(frequency) * (2 * math.pi / SAMPLE_RATE)
        within = torch.cumsum(step.reshape(batch, frames, HOP), 2)
        advance = _wrap(within[:, :, -1])
        start = _wrap(torch.cumsum(advance, 1) - advance)
        return self.upsample(amplitude) * torch.sin((start[:, :, None] + within).reshape(batch, frames * HOP))

    def noise(self, mel: torch.Tensor, gate: torch.Tensor) -> torch.Tensor:
        magnitude = torch.pow(10.0, (DB_MIN + DB_RANGE * mel) / 20)
        bins = torch.matmul(self.spread, magnitude) * (gate * self.noise_gain)[:, None, :]
        spectrum = torch.cat([bins * self.noise_cos, bins * self.noise_sin], 1)
        return F.conv_transpose1d(spectrum, self.basis, stride=HOP)[:, 0, CROP:CROP + mel.shape[2] * HOP]


def _wrap(phase: torch.Tensor) -> torch.Tensor:
    return phase - 2 * math.pi * torch.floor(phase / (2 * math.pi))
