"""Encoder and decoder of taming-transformers' VQGAN (Esser et al. 2021), written anew.

Attribute names follow the published state dicts (taming `vqgan_imagenet_f16_1024`, SpecVQGAN
`vggsound_codebook`), so their weights load with strict key matching: `conv_in`,
`down.{i}.block.{j}.{norm1,conv1,norm2,conv2,nin_shortcut}`, `down.{i}.attn.{j}.{norm,q,k,v,proj_out}`,
`down.{i}.downsample.conv`, `mid.{block_1,attn_1,block_2}`, `up.{i}.block/attn/upsample.conv`,
`norm_out`, `conv_out`. Behaviour that the weights were trained with, and so must be kept:
GroupNorm (32 groups, eps 1e-6) then swish before every convolution of a block; stride-2 downsampling
pads only right and bottom (one zero column/row) before an unpadded 3x3 convolution; upsampling is
nearest-neighbour x2 then a 3x3 convolution; attention uses 1x1 convolutions for q, k, v and the output
projection, one head over all positions, scaled by channels^-0.5. `groups` is a parameter only so
that narrow test variants (fewer than 32 channels) can exist; real checkpoints use 32.
"""
import torch
from torch import nn


def swish(x: torch.Tensor) -> torch.Tensor:
    return x * torch.sigmoid(x)


def group_norm(channels: int, groups: int) -> nn.GroupNorm:
    return nn.GroupNorm(groups, channels, eps=1e-6, affine=True)


def conv3x3(c_in: int, c_out: int, stride: int = 1, padding: int = 1) -> nn.Conv2d:
    return nn.Conv2d(c_in, c_out, 3, stride=stride, padding=padding)


def conv1x1(c_in: int, c_out: int) -> nn.Conv2d:
    return nn.Conv2d(c_in, c_out, 1)


class ResnetBlock(nn.Module):
    """norm-swish-conv twice plus a skip; a 1x1 `nin_shortcut` when the width changes (no time embedding)."""

    def __init__(self, c_in: int, c_out: int, groups: int):
        super().__init__()
        self.norm1 = group_norm(c_in, groups)
        self.conv1 = conv3x3(c_in, c_out)
        self.norm2 = group_norm(c_out, groups)
        self.conv2 = conv3x3(c_out, c_out)
        if c_in != c_out:
            self.nin_shortcut = conv1x1(c_in, c_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(swish(self.norm1(x)))
        h = self.conv2(swish(self.norm2(h)))  # dropout is 0 in both published configs
        skip = self.nin_shortcut(x) if hasattr(self, "nin_shortcut") else x
        return skip + h


class AttnBlock(nn.Module):
    """Single-head self-attention over all H*W positions, residual."""

    def __init__(self, channels: int, groups: int):
        super().__init__()
        self.norm = group_norm(channels, groups)
        self.q, self.k, self.v, self.proj_out = (conv1x1(channels, channels) for _ in range(4))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.norm(x)
        q, k, v = (f(h).flatten(2) for f in (self.q, self.k, self.v))  # [B, C, N]
        weights = torch.softmax(q.transpose(1, 2) @ k * q.shape[1] ** -0.5, dim=-1)  # [B, N_query, N_key]
        out = (v @ weights.transpose(1, 2)).reshape(x.shape)  # [B, C, N_query] -> [B, C, H, W]
        return x + self.proj_out(out)


class Downsample(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv = conv3x3(channels, channels, stride=2, padding=0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(nn.functional.pad(x, (0, 1, 0, 1)))  # right and bottom only: H -> floor(H/2)


class Upsample(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv = conv3x3(channels, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(nn.functional.interpolate(x, scale_factor=2.0, mode="nearest"))


class Level(nn.Module):
    """One resolution of the encoder (`down.{i}`) or decoder (`up.{i}`): res blocks, optional attention, resampler."""

    def __init__(self, c_in: int, c_out: int, blocks: int, attention: bool, groups: int):
        super().__init__()
        self.block = nn.ModuleList(ResnetBlock(c_in if j == 0 else c_out, c_out, groups) for j in range(blocks))
        self.attn = nn.ModuleList(AttnBlock(c_out, groups) for _ in range(blocks if attention else 0))

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        for j, block in enumerate(self.block):
            h = block(h)
            if len(self.attn):
                h = self.attn[j](h)
        return h


class Middle(nn.Module):
    def __init__(self, channels: int, groups: int):
        super().__init__()
        self.block_1 = ResnetBlock(channels, channels, groups)
        self.attn_1 = AttnBlock(channels, groups)
        self.block_2 = ResnetBlock(channels, channels, groups)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return self.block_2(self.attn_1(self.block_1(h)))


class Encoder(nn.Module):
    """x -> z (z_channels at 1/2^(levels-1) of the input size). Attention at levels whose running
    resolution (taming's `curr_res`, starting at `resolution` and halved per level) is in `attn_resolutions`."""

    def __init__(self, *, in_channels: int, ch: int, ch_mult: tuple, num_res_blocks: int, resolution: int,
                 attn_resolutions: tuple, z_channels: int, groups: int = 32):
        super().__init__()
        self.conv_in = conv3x3(in_channels, ch)
        widths = [ch * m for m in (1,) + tuple(ch_mult)]
        self.down = nn.ModuleList()
        res = resolution
        for i in range(len(ch_mult)):
            level = Level(widths[i], widths[i + 1], num_res_blocks, res in attn_resolutions, groups)
            if i != len(ch_mult) - 1:
                level.downsample = Downsample(widths[i + 1])
                res //= 2
            self.down.append(level)
        self.mid = Middle(widths[-1], groups)
        self.norm_out = group_norm(widths[-1], groups)
        self.conv_out = conv3x3(widths[-1], z_channels)  # double_z is false for VQGANs

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv_in(x)
        for level in self.down:
            h = level(h)
            if hasattr(level, "downsample"):
                h = level.downsample(h)
        h = self.mid(h)
        return self.conv_out(swish(self.norm_out(h)))


class Decoder(nn.Module):
    """z -> x. `up[i]` is the level at the encoder's `down[i]` resolution (stored finest first, run coarsest
    first), with num_res_blocks + 1 res blocks each."""

    def __init__(self, *, out_ch: int, ch: int, ch_mult: tuple, num_res_blocks: int, resolution: int,
                 attn_resolutions: tuple, z_channels: int, groups: int = 32):
        super().__init__()
        levels = len(ch_mult)
        c_in = ch * ch_mult[-1]
        self.conv_in = conv3x3(z_channels, c_in)
        self.mid = Middle(c_in, groups)
        res = resolution // 2 ** (levels - 1)
        up = []
        for i in reversed(range(levels)):
            level = Level(c_in, ch * ch_mult[i], num_res_blocks + 1, res in attn_resolutions, groups)
            c_in = ch * ch_mult[i]
            if i != 0:
                level.upsample = Upsample(c_in)
                res *= 2
            up.insert(0, level)
        self.up = nn.ModuleList(up)
        self.norm_out = group_norm(c_in, groups)
        self.conv_out = conv3x3(c_in, out_ch)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        h = self.mid(self.conv_in(z))
        for level in reversed(self.up):
            h = level(h)
            if hasattr(level, "upsample"):
                h = level.upsample(h)
        return self.conv_out(swish(self.norm_out(h)))
