"""A small MelGAN-style neural vocoder trained on the synthetic world (issue 16 g).

Generator: checkpoints.vocoders.MelGANGenerator (melgan-neurips layout, ratios 8,8,2,2 = 256 samples per mel
frame) at a narrow width, so its ONNX export is the bundle's `vocoder` component (contract: mel [B, 80, 848] in
[0, 1] -> waveform [B, 217088]). Loss: multi-resolution STFT (spectral convergence + log magnitude, Parallel
WaveGAN's auxiliary loss) on random segments; no discriminator, which keeps CPU training to minutes. Inputs are
the clip's mel or, with probability `codec_share`, the audio codec's reconstruction of it (what the engine
hands the vocoder), both with the clip itself as target, so the vocoder learns to turn patch-blurred mels
into the world's sounds.
"""
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .checkpoints.vocoders import MelGANGenerator

HOP = 256
# The bundle's mel column i is STFT frame i + 6 (patch_vq.mel_frontend crops 860 -> 848), centred on sample
# (i + 6) * 256; the generator's samples i*256 .. i*256+255 are centred half a hop later.
OFFSET = 6 * HOP - HOP // 2
RESOLUTIONS = ((1024, 256), (512, 128), (256, 64))


@dataclass(frozen=True)
class VocoderConfig:
    ngf: int = 8  # 8-16-32-64-128 channels: ~0.2 M parameters, ~5 GFLOP per 10 s clip
    residual_layers: int = 2
    segment_frames: int = 16
    batch: int = 8
    steps: int = 600
    lr: float = 2e-3
    codec_share: float = 0.5


def generator(c: VocoderConfig) -> MelGANGenerator:
    return MelGANGenerator(80, c.ngf, c.residual_layers)


def targets(audio: np.ndarray, samples: int) -> np.ndarray:
    """[N, CLIP_SAMPLES] world clips -> [N, samples] aligned with the bundle mel's columns."""
    return audio[:, OFFSET:OFFSET + samples]


def stft_magnitude(x: torch.Tensor, n_fft: int, hop: int) -> torch.Tensor:
    window = torch.hann_window(n_fft, device=x.device)
    spec = torch.stft(x, n_fft, hop, window=window, return_complex=True)
    return spec.abs().clamp(min=1e-7)


def stft_loss(predicted: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean over RESOLUTIONS of spectral convergence plus L1 of log magnitudes.

    Convergence is taken over the whole batch: a segment from a pulsed clip's silent gap has almost no energy, and
    its own ratio would explode.
    """
    total = predicted.new_zeros(())
    for n_fft, hop in RESOLUTIONS:
        p, t = stft_magnitude(predicted, n_fft, hop), stft_magnitude(target, n_fft, hop)
        convergence = torch.linalg.norm(t - p) / torch.linalg.norm(t)
        total = total + convergence + (p.log() - t.log()).abs().mean()
    return total / len(RESOLUTIONS)


def train(mels: torch.Tensor, codec_mels: torch.Tensor, waves: torch.Tensor, c: VocoderConfig, seed: int,
          log=print) -> MelGANGenerator:
    """mels, codec_mels [N, 80, F] in [0, 1]; waves [N, F * 256] aligned (targets()). Deterministic for a seed."""
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    model = generator(c).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=c.lr, betas=(0.8, 0.99))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 0.5 * (1 + np.cos(np.pi * s / c.steps)))
    frames = mels.shape[2]
    running = None
    for step in range(c.steps):
        rows = torch.randint(0, mels.shape[0], (c.batch,), generator=g)
        starts = torch.randint(0, frames - c.segment_frames + 1, (c.batch,), generator=g)
        codec = torch.rand(c.batch, generator=g) < c.codec_share
        x = torch.stack([(codec_mels if use else mels)[r, :, s:s + c.segment_frames]
                         for r, s, use in zip(rows.tolist(), starts.tolist(), codec.tolist())])
        y = torch.stack([waves[r, s * HOP:(s + c.segment_frames) * HOP] for r, s in zip(rows.tolist(), starts.tolist())])
        loss = stft_loss(model(x).squeeze(1), y)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        optimizer.step()
        schedule.step()
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
        if step % 50 == 0 or step == c.steps - 1:
            log(f"vocoder step {step}/{c.steps} loss {running:.3f}")
    return model.eval()
