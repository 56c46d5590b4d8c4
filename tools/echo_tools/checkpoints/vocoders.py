"""Vocoder generators with the parameter names of their published checkpoints, and the bundle's vocoder wrapper.

MelGAN as SpecVQGAN ships it (v-iashin/SpecVQGAN vocoder/logs/vggsound/best_netG.pt, the descriptinc/melgan-neurips
Generator with input_size 80, ngf 32, n_residual_layers 3, ratios 8,8,2,2): a plain state dict, keys `model.N.*`.
HiFi-GAN as jik876/hifi-gan (generator_v1 files, config_v1.json: upsample rates 8,8,2,2, kernels 16,16,4,4,
upsample_initial_channel 512, resblock "1" with kernels 3,7,11 and dilations 1,3,5): `{"generator": state dict}`,
keys conv_pre / ups.i / resblocks.i.convs{1,2}.j / conv_post. Both keep weight_norm (weight_g, weight_v), so the
released files load with strict key matching; ONNX export folds the norm into plain weights.

    generator = melgan(); load_vocoder_state(generator, pathlib.Path("best_netG.pt"), "melgan")
    export_vocoder(BundleVocoder(generator, "melgan"), out_dir)
"""
import math
import pathlib
from dataclasses import dataclass, replace

import torch
from torch import nn

from ..export import export_component
from ..manifest import PAPER_AUDIO, Tokens, contracts
from .state import SHOWN, load_file, strict_load

KINDS = ("melgan", "hifigan")


def _weight_norm(layer: nn.Module) -> nn.Module:
    return nn.utils.weight_norm(layer)


class MelGANResidual(nn.Module):
    """melgan-neurips ResnetBlock: block = (lrelu, reflect pad, dilated conv 3, lrelu, conv 1) plus a 1x1 shortcut."""

    def __init__(self, channels: int, dilation: int):
        super().__init__()
        self.block = nn.Sequential(
            nn.LeakyReLU(0.2), nn.ReflectionPad1d(dilation),
            _weight_norm(nn.Conv1d(channels, channels, 3, dilation=dilation)),
            nn.LeakyReLU(0.2), _weight_norm(nn.Conv1d(channels, channels, 1)))
        self.shortcut = _weight_norm(nn.Conv1d(channels, channels, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.shortcut(x) + self.block(x)


class MelGANGenerator(nn.Module):
    """mel [B, bins, T] -> waveform [B, 1, T * prod(ratios)]; the `model` indices are those of the checkpoint."""

    def __init__(self, mel_bins: int = 80, ngf: int = 32, residual_layers: int = 3, ratios: tuple = (8, 8, 2, 2)):
        super().__init__()
        channels = ngf * 2 ** len(ratios)
        layers = [nn.ReflectionPad1d(3), _weight_norm(nn.Conv1d(mel_bins, channels, 7))]
        for r in ratios:
            layers += [nn.LeakyReLU(0.2),
                       _weight_norm(nn.ConvTranspose1d(channels, channels // 2, 2 * r, stride=r,
                                                       padding=r // 2 + r % 2, output_padding=r % 2))]
            channels //= 2
            layers += [MelGANResidual(channels, 3 ** j) for j in range(residual_layers)]
        layers += [nn.LeakyReLU(0.2), nn.ReflectionPad1d(3), _weight_norm(nn.Conv1d(channels, 1, 7)), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        return self.model(mel)


@dataclass(frozen=True)
class HiFiGANConfig:
    upsample_rates: tuple = (8, 8, 2, 2)
    upsample_kernel_sizes: tuple = (16, 16, 4, 4)
    upsample_initial_channel: int = 512
    resblock_kernel_sizes: tuple = (3, 7, 11)
    resblock_dilation_sizes: tuple = ((1, 3, 5), (1, 3, 5), (1, 3, 5))
    mel_bins: int = 80


HIFIGAN_V1 = HiFiGANConfig()
LEAKY = 0.1  # hifi-gan's LRELU_SLOPE; the last activation before conv_post uses torch's default 0.01


class HiFiGANResBlock1(nn.Module):
    """Three (dilated conv, conv) pairs, each added back: convs1.j dilated by d_j, convs2.j undilated."""

    def __init__(self, channels: int, kernel: int, dilations: tuple):
        super().__init__()
        self.convs1 = nn.ModuleList(_weight_norm(nn.Conv1d(channels, channels, kernel, dilation=d,
                                                           padding=(kernel * d - d) // 2)) for d in dilations)
        self.convs2 = nn.ModuleList(_weight_norm(nn.Conv1d(channels, channels, kernel, padding=(kernel - 1) // 2))
                                    for _ in dilations)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for c1, c2 in zip(self.convs1, self.convs2):
            x = x + c2(nn.functional.leaky_relu(c1(nn.functional.leaky_relu(x, LEAKY)), LEAKY))
        return x


class HiFiGANGenerator(nn.Module):
    """mel [B, bins, T] (natural log of magnitude) -> waveform [B, 1, T * prod(upsample_rates)]."""

    def __init__(self, config: HiFiGANConfig = HIFIGAN_V1):
        super().__init__()
        c = config
        self.kernels = len(c.resblock_kernel_sizes)
        self.conv_pre = _weight_norm(nn.Conv1d(c.mel_bins, c.upsample_initial_channel, 7, padding=3))
        self.ups = nn.ModuleList(
            _weight_norm(nn.ConvTranspose1d(c.upsample_initial_channel // 2 ** i, c.upsample_initial_channel // 2 ** (i + 1),
                                            k, u, padding=(k - u) // 2))
            for i, (u, k) in enumerate(zip(c.upsample_rates, c.upsample_kernel_sizes)))
        channels = [c.upsample_initial_channel // 2 ** (i + 1) for i in range(len(self.ups))]
        self.resblocks = nn.ModuleList(HiFiGANResBlock1(ch, k, d) for ch in channels
                                       for k, d in zip(c.resblock_kernel_sizes, c.resblock_dilation_sizes))
        self.conv_post = _weight_norm(nn.Conv1d(channels[-1], 1, 7, padding=3))

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        x = self.conv_pre(mel)
        for i, up in enumerate(self.ups):
            x = up(nn.functional.leaky_relu(x, LEAKY))
            blocks = self.resblocks[i * self.kernels:(i + 1) * self.kernels]
            x = sum(block(x) for block in blocks) / self.kernels
        return torch.tanh(self.conv_post(nn.functional.leaky_relu(x)))


def melgan(small: bool = False, ngf: int = 32) -> MelGANGenerator:
    """SpecVQGAN's MelGAN (ngf 32); small: ngf 2, same ratios, so the same 256 samples per frame."""
    return MelGANGenerator(PAPER_AUDIO["melBins"], 2 if small else ngf)


def hifigan(small: bool = False, initial_channel: int = 512) -> HiFiGANGenerator:
    """HiFi-GAN V1 (V2 is the same with initial_channel 128); small: 16 channels, same rates and kernels."""
    return HiFiGANGenerator(replace(HIFIGAN_V1, upsample_initial_channel=16 if small else initial_channel))


def build(kind: str, small: bool = False, width: int | None = None) -> nn.Module:
    """The generator of `kind`; `width` is MelGAN's ngf or HiFi-GAN's upsample_initial_channel."""
    if kind not in KINDS:
        raise ValueError(f"unknown vocoder kind {kind!r}; expected one of {KINDS}")
    if kind == "melgan":
        return melgan(small, width or 32)
    return hifigan(small, width or HIFIGAN_V1.upsample_initial_channel)


def random_generator(kind: str, small: bool = False) -> nn.Module:
    """A random-weight generator for tests: random filter directions, unit norms (weight_g = 1) and zero biases.

    With PyTorch's default init the signal shrinks layer by layer and the output is the biases' near-constant
    offset; unit-norm filters keep its scale, so the waveform follows the mel and a wrong export shows.
    """
    generator = build(kind, small).eval()
    with torch.no_grad():
        for name, parameter in generator.named_parameters():
            if name.endswith("weight_g"):
                parameter.fill_(1.0)
            elif name.endswith("bias"):
                parameter.zero_()
    return generator


class BundleVocoder(nn.Module):
    """The bundle's vocoder contract: mel [B, 80, 848] in [0, 1] -> waveform [B, 217088] clamped to [-1, 1].

    The bundle mel is x = (20*log10(max(m, 1e-5)) - dbMin) / (dbMax - dbMin) clipped to [0, 1] (SpecVQGAN's
    extract_mel_spectrogram.py: 20*log10, -20, +100, /100, clip; m = magnitude mel). MelGAN: SpecVQGAN trains and
    calls its vocoder on exactly this x (sample_visualization.py spec_to_audio_to_st feeds (decoder+1)/2), so the
    input passes unchanged. HiFi-GAN: trained on ln(max(m, 1e-5)) (hifi-gan meldataset.py
    dynamic_range_compression_torch), so x is mapped back: ln m = ln(10)/20 * (dbMin + x*(dbMax - dbMin)).
    """

    def __init__(self, generator: nn.Module, kind: str, audio: dict = PAPER_AUDIO):
        super().__init__()
        if kind not in KINDS:
            raise ValueError(f"unknown vocoder kind {kind!r}; expected one of {KINDS}")
        self.generator = generator
        self.kind = kind
        self.db_min, self.db_range = float(audio["dbMin"]), float(audio["dbMax"] - audio["dbMin"])

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        if self.kind == "hifigan":
            mel = (self.db_min + mel * self.db_range) * (math.log(10) / 20)
        return self.generator(mel).squeeze(1).clamp(-1, 1)


def describe_keys(state: dict) -> str:
    """The top-level key prefixes, to say what a checkpoint holds when it is not what was expected."""
    prefixes = sorted({k.split(".")[0] for k in state})
    return f"keys {', '.join(prefixes[:SHOWN])}{', ...' if len(prefixes) > SHOWN else ''}"


def read_vocoder_state(checkpoint: pathlib.Path, kind: str) -> dict:
    """The generator's state dict from a MelGAN best_netG.pt (plain state dict) or a HiFi-GAN g_* file
    ({"generator": state dict}); ValueError naming the file when it is unreadable or of the other kind."""
    data = load_file(checkpoint)
    if not isinstance(data, dict):
        raise ValueError(f"{checkpoint}: holds a {type(data).__name__}, not a state dict")
    if kind == "hifigan":
        if "generator" not in data:
            hint = " (a MelGAN generator? use the melgan kind)" if any(k.startswith("model.") for k in data) else ""
            raise ValueError(f"{checkpoint}: not a HiFi-GAN generator checkpoint: no 'generator' entry, "
                             f"{describe_keys(data)}{hint}")
        data = data["generator"]
    elif "generator" in data or any(k.startswith(("conv_pre.", "ups.")) for k in data):
        raise ValueError(f"{checkpoint}: a HiFi-GAN checkpoint, not a MelGAN generator (use the hifigan kind)")
    elif "state_dict" in data:
        raise ValueError(f"{checkpoint}: a Lightning checkpoint ('state_dict'), not a MelGAN generator "
                         "(best_netG.pt is a plain state dict)")
    if not isinstance(data, dict) or not data or not all(isinstance(v, torch.Tensor) for v in data.values()):
        raise ValueError(f"{checkpoint}: the {kind} generator entry is not a dict of tensors")
    return data


def checkpoint_width(state: dict, kind: str) -> int:
    """MelGAN's ngf (first conv outputs 16*ngf) or HiFi-GAN's upsample_initial_channel, read off the weights."""
    key = "model.1.weight_v" if kind == "melgan" else "conv_pre.weight_v"
    if key not in state:
        raise ValueError(f"no {key} among the checkpoint's {describe_keys(state)}")
    channels = state[key].shape[0]
    return channels // 16 if kind == "melgan" else channels


def load_vocoder_state(generator: nn.Module, checkpoint: pathlib.Path, kind: str) -> None:
    """Strictly loads a published vocoder checkpoint; ValueError naming the file and the mismatched keys."""
    strict_load(generator, read_vocoder_state(checkpoint, kind), checkpoint)


def load_vocoder(checkpoint: pathlib.Path, kind: str) -> nn.Module:
    """The generator at the checkpoint's width (MelGAN ngf, HiFi-GAN V1/V2 initial channels), strictly loaded."""
    state = read_vocoder_state(checkpoint, kind)
    try:
        generator = build(kind, width=checkpoint_width(state, kind))
    except ValueError as error:
        raise ValueError(f"{checkpoint}: {error}") from error
    strict_load(generator, state, checkpoint)
    return generator.eval()


def export_vocoder(vocoder: BundleVocoder, out_dir: pathlib.Path, batch: int = 1) -> dict:
    """{"vocoder": entry} for vocoder.onnx in out_dir."""
    mel = torch.rand(batch, PAPER_AUDIO["melBins"], PAPER_AUDIO["frames"], generator=torch.Generator().manual_seed(0))
    spec = contracts(Tokens())["vocoder"]
    return {"vocoder": export_component(vocoder, (mel,), pathlib.Path(out_dir) / "vocoder.onnx", *spec)}
