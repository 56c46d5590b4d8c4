"""Tiny stand-ins for the VQGAN image codec, the SpecVQGAN mel codec and the vocoder.

They have the real tensor contracts (image 256x256 <-> 16x16 tokens, mel 80x848 <-> 5x53 tokens,
mel -> 217088 samples) so bundles made from them exercise every path of the engine.
Encoders quantise to the nearest codebook vector; argmin yields int64 in the exported graph.
"""
import torch
from torch import nn


def code_distances(features: torch.Tensor, codebook: torch.Tensor) -> torch.Tensor:
    """[B, D, H, W] features -> [B, H*W, C] squared distances to the codebook rows (positions row-major)."""
    z = features.flatten(2).transpose(1, 2)  # [B, H*W, D]
    return (z * z).sum(-1, keepdim=True) - 2 * z @ codebook.t() + (codebook * codebook).sum(-1)


class ConvEncoder(nn.Module):
    """Two stride-4 convolutions (x16 down) then nearest-codebook quantisation."""

    def __init__(self, channels: int, hidden: int, code_dim: int, codebook_size: int):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(channels, hidden, 4, stride=4), nn.GELU(),
                                 nn.Conv2d(hidden, code_dim, 4, stride=4))
        self.codebook = nn.Parameter(torch.randn(codebook_size, code_dim))

    def prepare(self, x: torch.Tensor) -> torch.Tensor:
        return x

    def distances(self, x: torch.Tensor) -> torch.Tensor:
        return code_distances(self.net(self.prepare(x)), self.codebook)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.distances(x).argmin(-1)  # int64 indices of the nearest codebook rows


class ConvDecoder(nn.Module):
    """Codebook lookup, grid reshape, two stride-4 transposed convolutions (x16 up), tanh to [-1,1]."""

    def __init__(self, grid: tuple, code_dim: int, codebook_size: int, hidden: int, channels: int):
        super().__init__()
        self.grid = grid
        self.codebook = nn.Embedding(codebook_size, code_dim)
        self.net = nn.Sequential(nn.ConvTranspose2d(code_dim, hidden, 4, stride=4), nn.GELU(),
                                 nn.ConvTranspose2d(hidden, channels, 4, stride=4), nn.Tanh())

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        z = self.codebook(tokens).transpose(1, 2)
        z = z.reshape(z.shape[0], z.shape[1], *self.grid)  # [B, D, rows, cols]
        return self.net(z)


class ImageEncoder(ConvEncoder):
    def __init__(self, codebook_size: int, code_dim: int = 8, hidden: int = 16):
        super().__init__(3, hidden, code_dim, codebook_size)


class ImageDecoder(ConvDecoder):
    def __init__(self, codebook_size: int, code_dim: int = 8, hidden: int = 16):
        super().__init__((16, 16), code_dim, codebook_size, hidden, 3)


class AudioEncoder(ConvEncoder):
    """Mel [B, 80, 848] in [-1,1] -> [B, 265] tokens (5 mel rows x 53 frame columns)."""

    def __init__(self, codebook_size: int, code_dim: int = 8, hidden: int = 16):
        super().__init__(1, hidden, code_dim, codebook_size)

    def prepare(self, mel: torch.Tensor) -> torch.Tensor:
        return mel.unsqueeze(1)


class AudioDecoder(ConvDecoder):
    """[B, 265] tokens -> mel [B, 80, 848] in [-1,1]."""

    def __init__(self, codebook_size: int, code_dim: int = 8, hidden: int = 16):
        super().__init__((5, 53), code_dim, codebook_size, hidden, 1)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        return super().forward(tokens).squeeze(1)


class Vocoder(nn.Module):
    """Mel [B, 80, frames] in [0,1] -> waveform [B, frames*256] in (-1,1): two x16 transposed 1-D convolutions."""

    def __init__(self, mel_bins: int = 80, hidden: int = 16):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(mel_bins, hidden, 3, padding=1), nn.GELU(),
                                 nn.ConvTranspose1d(hidden, hidden // 2, 16, stride=16), nn.GELU(),
                                 nn.ConvTranspose1d(hidden // 2, 1, 16, stride=16), nn.Tanh())

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        return self.net(mel).squeeze(1)
