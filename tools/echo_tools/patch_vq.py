"""Patch k-means tokenizers of the demo bundle: image 256x256 <-> 16x16 tokens, mel 80x848 <-> 5x53 tokens.

Each token is one 16x16 patch. Encoders compare a patch feature with the codebook and take the argmin
(int64 in the exported graph); decoders paste the codebook's mean patch back. The image feature is the
patch average-pooled to 8x8 (192 values), so clustering is cheap, while the decoder keeps full 16x16 patches.
The mel front end is DESIGN §3 (same formulas as tools/dsp_reference.py, in float32 for speed).
"""
import numpy as np
import torch
from torch import nn

from .codecs import code_distances

PATCH = 16


def mel_frontend(audio: np.ndarray, filterbank: np.ndarray) -> np.ndarray:
    """[220500] float waveform -> [80, 848] SpecVQGAN mel in [0, 1] (n_fft 1024, hop 256, centred Hann)."""
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(1024) / 1024)).astype(np.float32)
    padded = np.pad(audio.astype(np.float32), 512, mode="reflect")
    frames = 1 + len(audio) // 256
    idx = np.arange(frames)[:, None] * 256 + np.arange(1024)[None, :]
    magnitude = np.abs(np.fft.rfft(padded[idx] * window, axis=1)).astype(np.float32)
    mel = filterbank.astype(np.float32) @ magnitude.T
    norm = np.clip((20 * np.log10(np.maximum(mel, 1e-5)) - 20 + 100) / 100, 0, 1)
    return norm[:, 6:6 + 848]


def image_features(images: torch.Tensor) -> torch.Tensor:
    """[B, 3, 256, 256] in [-1,1] -> [B, 3*8*8, 16, 16] pooled patch features."""
    pooled = nn.functional.avg_pool2d(images, 2)  # [B, 3, 128, 128]
    b = pooled.shape[0]
    patches = pooled.reshape(b, 3, 16, 8, 16, 8).permute(0, 1, 3, 5, 2, 4)
    return patches.reshape(b, 3 * 64, 16, 16)


def image_patches(images: torch.Tensor) -> torch.Tensor:
    """[B, 3, 256, 256] -> [B, 256, 768] full patches, row-major."""
    b = images.shape[0]
    return images.reshape(b, 3, 16, PATCH, 16, PATCH).permute(0, 2, 4, 1, 3, 5).reshape(b, 256, 3 * PATCH * PATCH)


def mel_features(mel: torch.Tensor) -> torch.Tensor:
    """[B, 80, 848] in [-1,1] -> [B, 256, 5, 53]: one 16x16 patch per column (5 mel rows x 53 frame columns)."""
    b = mel.shape[0]
    patches = mel.reshape(b, 5, PATCH, 53, PATCH).permute(0, 2, 4, 1, 3)
    return patches.reshape(b, PATCH * PATCH, 5, 53)


class ImageEncoder(nn.Module):
    def __init__(self, codebook: torch.Tensor):
        super().__init__()
        self.codebook = nn.Parameter(codebook.clone(), requires_grad=False)  # [C, 192]

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return code_distances(image_features(image), self.codebook).argmin(-1)


class ImageDecoder(nn.Module):
    def __init__(self, patches: torch.Tensor):
        super().__init__()
        self.patches = nn.Parameter(patches.clone(), requires_grad=False)  # [C, 768] = 3 x 16 x 16

    def forward(self, image_tokens: torch.Tensor) -> torch.Tensor:
        b = image_tokens.shape[0]
        p = self.patches[image_tokens].reshape(b, 16, 16, 3, PATCH, PATCH)
        return p.permute(0, 3, 1, 4, 2, 5).reshape(b, 3, 256, 256)


class AudioEncoder(nn.Module):
    def __init__(self, codebook: torch.Tensor):
        super().__init__()
        self.codebook = nn.Parameter(codebook.clone(), requires_grad=False)  # [C, 256]

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        return code_distances(mel_features(mel), self.codebook).argmin(-1)


class AudioDecoder(nn.Module):
    def __init__(self, codebook: torch.Tensor):
        super().__init__()
        self.patches = nn.Parameter(codebook.clone(), requires_grad=False)  # [C, 256] = 16 mel x 16 frames

    def forward(self, audio_tokens: torch.Tensor) -> torch.Tensor:
        b = audio_tokens.shape[0]
        p = self.patches[audio_tokens].reshape(b, 5, 53, PATCH, PATCH)
        return p.permute(0, 1, 3, 2, 4).reshape(b, 80, 848)


def kmeans(points: torch.Tensor, k: int, iterations: int, generator: torch.Generator) -> torch.Tensor:
    """Lloyd's k-means from k distinct random points; empty clusters are re-seeded with the worst-fit points."""
    centres = points[torch.randperm(points.shape[0], generator=generator)[:k]].clone()
    for _ in range(iterations):
        assign, distance = nearest(points, centres)
        sums = torch.zeros_like(centres).index_add_(0, assign, points)
        counts = torch.bincount(assign, minlength=k).float()
        empty = counts == 0
        centres = torch.where(empty[:, None], centres, sums / counts.clamp(min=1)[:, None])
        if empty.any():
            worst = distance.topk(int(empty.sum())).indices
            centres[empty] = points[worst]
    return centres


def nearest(points: torch.Tensor, centres: torch.Tensor, chunk: int = 16384) -> tuple:
    assign, distance = [], []
    c2 = (centres * centres).sum(-1)
    for start in range(0, points.shape[0], chunk):
        p = points[start:start + chunk]
        d = (p * p).sum(-1, keepdim=True) - 2 * p @ centres.t() + c2
        value, index = d.min(-1)
        assign.append(index)
        distance.append(value)
    return torch.cat(assign), torch.cat(distance)
