"""VQGAN codecs with the published checkpoints' parameter names, their token wrappers and ONNX export.

Image: taming-transformers `vqgan_imagenet_f16_1024` (its model.yaml: embed_dim 256, n_embed 1024, double_z false,
z_channels 256, resolution 256, in/out_ch 3, ch 128, ch_mult [1,1,2,2,4], num_res_blocks 2, attn_resolutions [16]).
Audio: SpecVQGAN's VGGSound codebook, configs/vggsound_codebook.yaml of v-iashin/SpecVQGAN: the same VQModel
(specvqgan.models.vqgan.VQModel with the 2-D Encoder/Decoder) with embed_dim 256, n_embed 1024, double_z false,
z_channels 256, resolution 848, in_channels 1, out_ch 1, ch 128, ch_mult [1,1,2,2,4], num_res_blocks 2,
attn_resolutions [53]. Its input is the [B,80,848] mel as [B,1,80,848] (mel rows are the height), so the four
halvings give 5x53 tokens and attention runs at the 53-frame level, as in the image model's 16x16 level.

    model = image_vqgan(); load_state(model, pathlib.Path("last.ckpt")); export_image_codec(model, out_dir)
"""
import pathlib
from dataclasses import dataclass, replace

import torch
from torch import nn

from ..codecs import code_distances
from ..export import export_component
from ..manifest import Tokens, contracts
from . import state
from .taming_blocks import Decoder, Encoder

TRAINING_ONLY = ("loss.",)  # discriminator and LPIPS/LPAPS weights saved with the Lightning module


@dataclass(frozen=True)
class VQGANConfig:
    """taming's ddconfig plus the codebook and the input size the bundle feeds the model."""
    in_channels: int
    input_size: tuple  # (height, width)
    resolution: int  # taming's `resolution`: where its attention schedule starts counting
    attn_resolutions: tuple
    ch: int = 128
    ch_mult: tuple = (1, 1, 2, 2, 4)
    num_res_blocks: int = 2
    z_channels: int = 256
    embed_dim: int = 256
    n_embed: int = 1024
    groups: int = 32  # GroupNorm groups; 32 in every published checkpoint

    @property
    def grid(self) -> tuple:
        factor = 2 ** (len(self.ch_mult) - 1)
        return tuple(side // factor for side in self.input_size)


IMAGE_F16_1024 = VQGANConfig(in_channels=3, input_size=(256, 256), resolution=256, attn_resolutions=(16,))
SPEC_VGGSOUND = VQGANConfig(in_channels=1, input_size=(80, 848), resolution=848, attn_resolutions=(53,))
# CI variants: same levels, grids, attention placement and codebook size, 32x narrower (ONNX files ~0.3 MB).
SMALL = {"ch": 4, "z_channels": 8, "embed_dim": 8, "groups": 2}


class VectorQuantizer(nn.Module):
    """Only the codebook (`quantize.embedding`); nearest-entry search lives in the token wrappers."""

    def __init__(self, n_embed: int, embed_dim: int):
        super().__init__()
        self.embedding = nn.Embedding(n_embed, embed_dim)


class VQModel(nn.Module):
    """taming's VQModel without its loss: encoder, quant_conv, quantize, post_quant_conv, decoder."""

    def __init__(self, config: VQGANConfig):
        super().__init__()
        for side in config.input_size:
            if side % 2 ** (len(config.ch_mult) - 1):
                raise ValueError(f"input side {side} is not a multiple of {2 ** (len(config.ch_mult) - 1)}")
        self.config = config
        shared = {"ch": config.ch, "ch_mult": config.ch_mult, "num_res_blocks": config.num_res_blocks,
                  "resolution": config.resolution, "attn_resolutions": config.attn_resolutions,
                  "z_channels": config.z_channels, "groups": config.groups}
        self.encoder = Encoder(in_channels=config.in_channels, **shared)
        self.decoder = Decoder(out_ch=config.in_channels, **shared)
        self.quantize = VectorQuantizer(config.n_embed, config.embed_dim)
        self.quant_conv = nn.Conv2d(config.z_channels, config.embed_dim, 1)
        self.post_quant_conv = nn.Conv2d(config.embed_dim, config.z_channels, 1)


def image_vqgan(small: bool = False) -> VQModel:
    return VQModel(replace(IMAGE_F16_1024, **SMALL) if small else IMAGE_F16_1024)


def spec_vqgan(small: bool = False) -> VQModel:
    return VQModel(replace(SPEC_VGGSOUND, **SMALL) if small else SPEC_VGGSOUND)


def load_state(model: VQModel, checkpoint: pathlib.Path) -> None:
    """Loads a taming/SpecVQGAN Lightning .ckpt or plain state dict; loss.* keys are dropped, the rest must match."""
    state.load_state(model, checkpoint, drop_prefixes=TRAINING_ONLY)


class TokenEncoder(nn.Module):
    """[B, C, H, W] in [-1,1] -> int64 [B, rows*cols], row-major indices of the nearest codebook entries
    (squared distance, as taming's quantizer; argmin keeps the first of tied entries)."""

    def __init__(self, model: VQModel):
        super().__init__()
        self.model = model

    def distances(self, x: torch.Tensor) -> torch.Tensor:
        z = self.model.quant_conv(self.model.encoder(x))
        return code_distances(z, self.model.quantize.embedding.weight)  # [B, rows*cols, n_embed]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.distances(x).argmin(-1)


class TokenDecoder(nn.Module):
    """int64 [B, rows*cols] -> [B, C, H, W] clamped to [-1,1]: codebook lookup, post_quant_conv, decoder."""

    def __init__(self, model: VQModel):
        super().__init__()
        self.model = model

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        z = self.model.quantize.embedding(tokens).transpose(1, 2)  # [B, embed_dim, rows*cols]
        z = z.reshape(z.shape[0], z.shape[1], *self.model.config.grid)
        return self.model.decoder(self.model.post_quant_conv(z)).clamp(-1.0, 1.0)


class MelTokenEncoder(TokenEncoder):
    """mel [B, 80, 848] -> [B, 265]: the mel is a one-channel image of 80 rows."""

    def distances(self, mel: torch.Tensor) -> torch.Tensor:
        return super().distances(mel.unsqueeze(1))


class MelTokenDecoder(TokenDecoder):
    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        return super().forward(tokens).squeeze(1)


def codec_tokens(image: VQModel = None, audio: VQModel = None) -> Tokens:
    """Token geometry of the bundle the codecs belong to (the other modality keeps the paper's)."""
    fields = {}
    if image is not None:
        fields.update(image_grid=image.config.grid, image_codebook=image.config.n_embed)
    if audio is not None:
        fields.update(audio_grid=audio.config.grid, audio_codebook=audio.config.n_embed)
    return Tokens(**fields)


def _examples(model: VQModel, channels_axis: bool) -> tuple:
    g = torch.Generator().manual_seed(0)
    shape = (1, model.config.in_channels, *model.config.input_size) if channels_axis else (1, *model.config.input_size)
    tokens = torch.randint(0, model.config.n_embed, (1, model.config.grid[0] * model.config.grid[1]), generator=g)
    return torch.rand(shape, generator=g) * 2 - 1, tokens


def export_image_codec(model: VQModel, out_dir: pathlib.Path) -> dict:
    """image_encoder.onnx and image_decoder.onnx; returns {"imageEncoder": entry, "imageDecoder": entry}."""
    if model.config.in_channels != 3 or tuple(model.config.input_size) != (256, 256):
        raise ValueError(f"the image codec must take 3x256x256 images, this model takes "
                         f"{model.config.in_channels}x{model.config.input_size}")
    spec = contracts(codec_tokens(image=model))
    image, tokens = _examples(model, channels_axis=True)
    return {"imageEncoder": export_component(TokenEncoder(model), (image,), out_dir / "image_encoder.onnx",
                                             *spec["imageEncoder"]),
            "imageDecoder": export_component(TokenDecoder(model), (tokens,), out_dir / "image_decoder.onnx",
                                             *spec["imageDecoder"])}


def export_audio_codec(model: VQModel, out_dir: pathlib.Path) -> dict:
    """audio_encoder.onnx and audio_decoder.onnx; returns {"audioEncoder": entry, "audioDecoder": entry}."""
    if model.config.in_channels != 1 or tuple(model.config.input_size) != (80, 848):
        raise ValueError(f"the audio codec must take 1x80x848 mels, this model takes "
                         f"{model.config.in_channels}x{model.config.input_size}")
    spec = contracts(codec_tokens(audio=model))
    mel, tokens = _examples(model, channels_axis=False)
    return {"audioEncoder": export_component(MelTokenEncoder(model), (mel,), out_dir / "audio_encoder.onnx",
                                             *spec["audioEncoder"]),
            "audioDecoder": export_component(MelTokenDecoder(model), (tokens,), out_dir / "audio_decoder.onnx",
                                             *spec["audioDecoder"])}
