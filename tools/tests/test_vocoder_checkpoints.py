"""MelGAN (SpecVQGAN) and HiFi-GAN generators: published names and shapes, strict loading, the mel mapping, export.

Paper-size exports of both vocoders run in the default run (about a minute on 2 cores) and are compared with
PyTorch in the engine's ONNX Runtime (onnxruntime_native, through the C API).
"""
import math

import numpy as np
import onnx
import pytest
import torch
from torch import nn

import onnxruntime_native
from echo_tools.checkpoints import vocoders
from echo_tools.export import graph_signature
from echo_tools.manifest import Tensor

# Written out by hand from the published modules (melgan-neurips Generator(80, 32, 3) as SpecVQGAN builds it;
# hifi-gan Generator with config_v1.json). weight_norm: weight_v has the conv's weight shape, weight_g is
# (dim 0 of the weight, 1, 1); ConvTranspose1d weights are (in, out, kernel).
MELGAN_SHAPES = {
    "model.1.weight_v": (512, 80, 7), "model.1.weight_g": (512, 1, 1), "model.1.bias": (512,),
    "model.3.weight_v": (512, 256, 16), "model.3.weight_g": (512, 1, 1),
    "model.4.block.2.weight_v": (256, 256, 3), "model.4.block.4.weight_v": (256, 256, 1),
    "model.4.shortcut.weight_v": (256, 256, 1), "model.6.block.2.weight_v": (256, 256, 3),
    "model.8.weight_v": (256, 128, 16), "model.13.weight_v": (128, 64, 4), "model.18.weight_v": (64, 32, 4),
    "model.21.shortcut.bias": (32,), "model.24.weight_v": (1, 32, 7), "model.24.bias": (1,),
}
HIFIGAN_SHAPES = {
    "conv_pre.weight_v": (512, 80, 7), "conv_pre.weight_g": (512, 1, 1),
    "ups.0.weight_v": (512, 256, 16), "ups.0.weight_g": (512, 1, 1), "ups.1.weight_v": (256, 128, 16),
    "ups.2.weight_v": (128, 64, 4), "ups.3.weight_v": (64, 32, 4), "ups.3.bias": (32,),
    "resblocks.0.convs1.0.weight_v": (256, 256, 3), "resblocks.1.convs1.2.weight_v": (256, 256, 7),
    "resblocks.2.convs2.2.weight_v": (256, 256, 11), "resblocks.11.convs1.2.weight_v": (32, 32, 11),
    "conv_post.weight_v": (1, 32, 7), "conv_post.bias": (1,),
}
# Key counts: MelGAN 14 weight-normed convs (2 + 4 up + 4*3 blocks of 3) x 3 tensors; HiFi-GAN 2 + 4 + 12*6 convs.
# Parameter counts as the papers state them: MelGAN 4.26 M (Kumar et al. 2019), HiFi-GAN V1 13.92 M (Kong et al.).
PUBLISHED = {"melgan": (MELGAN_SHAPES, 14 * 3 * 3, 4.26), "hifigan": (HIFIGAN_SHAPES, (2 + 4 + 72) * 3, 13.92)}
# Agreement of ONNX Runtime with PyTorch at paper size (float32; waveform in [-1, 1]).
ABS_TOLERANCE = 1e-4


@pytest.fixture(autouse=True)
def two_threads():
    torch.set_num_threads(2)


@pytest.mark.parametrize("kind", list(PUBLISHED))
def test_state_dict_has_the_published_names_shapes_and_size(kind):
    shapes, keys, millions = PUBLISHED[kind]
    state = vocoders.build(kind).state_dict()
    assert {k: tuple(state[k].shape) for k in shapes} == shapes
    assert len(state) == keys
    assert all(k.endswith(("weight_g", "weight_v", "bias")) for k in state)
    inference = sum(v.numel() for k, v in state.items() if not k.endswith("weight_g"))  # after remove_weight_norm
    assert inference / 1e6 == pytest.approx(millions, abs=0.01)


def test_dilations_and_activations_follow_the_published_blocks():
    melgan, hifigan = vocoders.build("melgan"), vocoders.build("hifigan")
    assert [melgan.model[i].block[2].dilation[0] for i in (4, 5, 6)] == [1, 3, 9]  # 3**j, j < 3
    assert [type(m).__name__ for m in melgan.model[:4]] == ["ReflectionPad1d", "Conv1d", "LeakyReLU", "ConvTranspose1d"]
    assert melgan.model[2].negative_slope == 0.2 and type(melgan.model[-1]).__name__ == "Tanh"
    assert [c.dilation[0] for c in hifigan.resblocks[0].convs1] == [1, 3, 5]
    assert [c.dilation[0] for c in hifigan.resblocks[0].convs2] == [1, 1, 1]
    assert [hifigan.resblocks[i].convs1[0].kernel_size[0] for i in range(3)] == [3, 7, 11]
    assert [(u.stride[0], u.kernel_size[0], u.padding[0]) for u in hifigan.ups] == [(8, 16, 4), (8, 16, 4),
                                                                                     (2, 4, 1), (2, 4, 1)]


@pytest.mark.parametrize("kind", list(PUBLISHED))
@pytest.mark.parametrize("small", [True, False])
def test_every_variant_gives_256_samples_per_frame(kind, small):
    generator = vocoders.build(kind, small)
    with torch.no_grad():
        assert generator(torch.zeros(1, 80, 10)).shape == (1, 1, 2560)


class Probe(nn.Module):
    """Records what the wrapper feeds the generator and returns a waveform scaled beyond [-1, 1]."""

    def forward(self, mel):
        self.seen = mel.clone()
        return mel[:, :1].repeat_interleave(256, dim=2) * 10


def test_melgan_gets_the_unit_mel_and_hifigan_its_natural_log():
    mel = torch.tensor([0.0, 0.8, 1.0, 0.5]).reshape(1, 1, 4).expand(1, 80, 4)
    melgan, hifigan = Probe(), Probe()
    vocoders.BundleVocoder(melgan, "melgan")(mel)
    vocoders.BundleVocoder(hifigan, "hifigan")(mel)
    assert torch.equal(melgan.seen, mel)
    # x = 0 is -80 dB: magnitude 1e-4; x = 0.8 is 0 dB: 1; x = 1 is +20 dB: 10; x = 0.5 is -30 dB.
    expected = torch.tensor([math.log(1e-4), 0.0, math.log(10.0), math.log(10 ** -1.5)])
    assert torch.allclose(hifigan.seen[0, 0], expected, atol=1e-5)


def test_waveform_is_the_generator_output_squeezed_and_clamped():
    out = vocoders.BundleVocoder(Probe(), "melgan")(torch.tensor([[[0.05, 0.5]]]).expand(1, 80, 2))
    assert out.shape == (1, 512)
    assert float(out[0, 0]) == pytest.approx(0.5) and float(out[0, 511]) == 1.0


def save(kind, generator, path):
    state = generator.state_dict()
    torch.save(state if kind == "melgan" else {"generator": state, "steps": 1}, str(path))
    return path


@pytest.mark.parametrize("kind", list(PUBLISHED))
def test_checkpoint_round_trip_is_strict_and_infers_the_width(kind, tmp_path):
    torch.manual_seed(1)
    original = vocoders.build(kind, small=True).eval()
    path = save(kind, original, tmp_path / "checkpoint.pt")
    torch.manual_seed(2)
    fresh = vocoders.build(kind, small=True)
    vocoders.load_vocoder_state(fresh, path, kind)
    loaded = vocoders.load_vocoder(path, kind)  # builds the small width from the weights
    mel = torch.rand(1, 80, 6)
    with torch.no_grad():
        assert torch.equal(fresh.eval()(mel), original(mel)) and torch.equal(loaded(mel), original(mel))


def test_mismatched_keys_are_named_with_the_file(tmp_path):
    state = vocoders.build("melgan", small=True).state_dict()
    state["model.1.weight"] = state.pop("model.1.weight_v")
    path = tmp_path / "best_netG.pt"
    torch.save(state, str(path))
    with pytest.raises(ValueError) as error:
        vocoders.load_vocoder_state(vocoders.build("melgan", small=True), path, "melgan")
    assert str(path) in str(error.value)
    assert "missing keys (1): model.1.weight_v" in str(error.value)
    assert "unexpected keys (1): model.1.weight" in str(error.value)


def test_a_v2_width_checkpoint_in_a_v1_generator_names_the_shapes(tmp_path):
    path = save("hifigan", vocoders.hifigan(initial_channel=128), tmp_path / "g_02500000")
    with pytest.raises(ValueError, match=r"g_02500000: does not fit HiFiGANGenerator; shape mismatches \(232\): conv_pre.bias \(128,\) \(model \(512,\)\)"):
        vocoders.load_vocoder_state(vocoders.hifigan(), path, "hifigan")
    assert vocoders.load_vocoder(path, "hifigan").conv_pre.out_channels == 128  # V2 loads at its own width


def test_the_other_vocoders_checkpoint_is_refused_by_kind(tmp_path):
    melgan = save("melgan", vocoders.build("melgan", small=True), tmp_path / "best_netG.pt")
    hifigan = save("hifigan", vocoders.build("hifigan", small=True), tmp_path / "g_00100000")
    with pytest.raises(ValueError, match=r"best_netG.pt: not a HiFi-GAN generator checkpoint.*use the melgan kind"):
        vocoders.load_vocoder(melgan, "hifigan")
    with pytest.raises(ValueError, match=r"g_00100000: a HiFi-GAN checkpoint, not a MelGAN generator"):
        vocoders.load_vocoder(hifigan, "melgan")


@pytest.mark.parametrize("content, reason", [(b"not a checkpoint", "not a PyTorch checkpoint"), (None, "checkpoint file not found")])
def test_unreadable_checkpoints_are_named(tmp_path, content, reason):
    path = tmp_path / "best_netG.pt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ValueError, match=f"{path}: {reason}"):
        vocoders.load_vocoder(path, "melgan")


@pytest.mark.parametrize("kind", list(PUBLISHED))
def test_paper_size_vocoder_exports_the_contract_and_runs_like_pytorch(kind, tmp_path):
    onnxruntime_native.library()  # fails here, before the slow part, when the package is not restored
    torch.manual_seed(3)
    vocoder = vocoders.BundleVocoder(vocoders.random_generator(kind), kind)
    entry = vocoders.export_vocoder(vocoder, tmp_path)["vocoder"]
    model = onnx.load(str(tmp_path / entry["file"]))
    assert graph_signature(model) == ([Tensor("mel", "float32", ("batch", 80, 848))],
                                      [Tensor("waveform", "float32", ("batch", 217088))])
    assert [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")] == [17]
    assert not any(n.op_type in ("ReduceL2", "Norm") for n in model.graph.node)  # weight norm folded into weights

    mel = torch.rand(1, 80, 848, generator=torch.Generator().manual_seed(4))
    with torch.no_grad():
        expected = vocoder(mel).numpy()
    with onnxruntime_native.Session(tmp_path / entry["file"], threads=2) as session:
        actual = session.run({"mel": mel.numpy()}, {"waveform": ((1, 217088), np.float32)})["waveform"]
    difference = float(np.abs(actual - expected).max())
    print(f"{kind}: max |ORT - PyTorch| {difference:.2e}, waveform std {expected.std():.3f}")
    assert difference <= ABS_TOLERANCE
    assert expected.std() > 0.01 and (np.abs(expected) < 1).mean() > 0.9, "a flat or clipped waveform proves little"
