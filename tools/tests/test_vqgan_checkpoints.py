"""taming VQGAN f16-1024 and SpecVQGAN VGGSound codebook: published state-dict names, strict checkpoint loading,
block semantics against independent references, and ONNX exports that ONNX Runtime runs like PyTorch.

The paper-size exports (random weights, about 40 s each on 2 cores) run in the default run, as the vocoders' do;
only the ~1.2 GB paper-size transformer is opt-in (`-m full_size_export`, see conftest.py).
"""
import pathlib
import shutil
import sys
import tempfile
import types

import numpy as np
import onnx
import pytest
import torch

import onnxruntime_native
from echo_tools.checkpoints import taming_blocks, vqgan
from echo_tools.export import graph_signature
from echo_tools.manifest import Tensor

B = "batch"
# The bundle contract (docs/bundle-format.md), written out by hand.
CONTRACT = {
    "imageEncoder": ([Tensor("image", "float32", (B, 3, 256, 256))], [Tensor("image_tokens", "int64", (B, 256))]),
    "imageDecoder": ([Tensor("image_tokens", "int64", (B, 256))], [Tensor("image", "float32", (B, 3, 256, 256))]),
    "audioEncoder": ([Tensor("mel", "float32", (B, 80, 848))], [Tensor("audio_tokens", "int64", (B, 265))]),
    "audioDecoder": ([Tensor("audio_tokens", "int64", (B, 265))], [Tensor("mel", "float32", (B, 80, 848))]),
}
# ONNX Runtime vs PyTorch, float32: decoders within DECODER_ABS (measured about 3e-5 at full size). Encoders: argmin
# over 1024 squared distances; a pair of entries closer than TOKEN_MARGIN (relative to the largest distance) may
# swap under float32 rounding of a different summation order, so tokens must agree wherever the margin is wider,
# and on at least TOKEN_AGREEMENT of all positions (in practice all of them).
DECODER_ABS = 1e-4
TOKEN_MARGIN = 1e-4
TOKEN_AGREEMENT = 0.99

# Keys and shapes of the published checkpoints (taming configs/model.yaml of vqgan_imagenet_f16_1024 and SpecVQGAN
# configs/vggsound_codebook.yaml applied to their Encoder/Decoder/VQModel; the attention keys agree with the
# listings of converters for that model family): widths 128,128,256,256,512, attention only at the coarsest level,
# 2 res blocks per encoder level and 3 per decoder level, decoder up.{i} numbered like encoder down.{i}.
PUBLISHED = {
    "encoder.conv_in.weight": (128, 3, 3, 3),
    "encoder.down.0.block.0.norm1.weight": (128,),
    "encoder.down.0.downsample.conv.weight": (128, 128, 3, 3),
    "encoder.down.2.block.0.nin_shortcut.weight": (256, 128, 1, 1),
    "encoder.down.3.downsample.conv.bias": (256,),
    "encoder.down.4.block.0.nin_shortcut.weight": (512, 256, 1, 1),
    "encoder.down.4.attn.0.norm.weight": (512,),
    "encoder.down.4.attn.1.q.weight": (512, 512, 1, 1),
    "encoder.down.4.attn.1.proj_out.bias": (512,),
    "encoder.mid.block_1.conv1.weight": (512, 512, 3, 3),
    "encoder.mid.attn_1.k.weight": (512, 512, 1, 1),
    "encoder.mid.block_2.norm2.bias": (512,),
    "encoder.norm_out.weight": (512,),
    "encoder.conv_out.weight": (256, 512, 3, 3),
    "quant_conv.weight": (256, 256, 1, 1),
    "quantize.embedding.weight": (1024, 256),
    "post_quant_conv.weight": (256, 256, 1, 1),
    "decoder.conv_in.weight": (512, 256, 3, 3),
    "decoder.mid.attn_1.v.weight": (512, 512, 1, 1),
    "decoder.up.4.block.2.conv2.weight": (512, 512, 3, 3),
    "decoder.up.4.attn.2.proj_out.weight": (512, 512, 1, 1),
    "decoder.up.4.upsample.conv.weight": (512, 512, 3, 3),
    "decoder.up.3.block.0.nin_shortcut.weight": (256, 512, 1, 1),
    "decoder.up.1.block.0.nin_shortcut.weight": (128, 256, 1, 1),
    "decoder.up.1.upsample.conv.weight": (128, 128, 3, 3),
    "decoder.up.0.block.2.conv1.weight": (128, 128, 3, 3),
    "decoder.norm_out.bias": (128,),
    "decoder.conv_out.weight": (3, 128, 3, 3),
}
NOT_PUBLISHED = ["encoder.down.4.downsample.conv.weight", "decoder.up.0.upsample.conv.weight",
                 "encoder.down.0.block.0.nin_shortcut.weight", "decoder.up.3.attn.0.q.weight",
                 "encoder.down.0.block.0.temb_proj.weight", "decoder.up.0.block.0.conv_shortcut.weight"]
SPEC_DIFFERENCES = {"encoder.conv_in.weight": (128, 1, 3, 3), "decoder.conv_out.weight": (1, 128, 3, 3)}


@pytest.fixture(autouse=True, scope="module")
def _threads():
    torch.set_num_threads(2)


def seeded(factory, seed=0, **kwargs) -> vqgan.VQModel:
    torch.manual_seed(seed)
    return factory(**kwargs).eval()


# --- published structure -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("factory, expected", [
    (vqgan.image_vqgan, PUBLISHED),
    (vqgan.spec_vqgan, {**PUBLISHED, **SPEC_DIFFERENCES}),
])
def test_state_dict_has_the_published_names_and_shapes(factory, expected):
    shapes = {k: tuple(v.shape) for k, v in factory().state_dict().items()}
    assert {k: shapes.get(k) for k in expected} == expected
    assert [k for k in NOT_PUBLISHED if k in shapes] == []
    assert not [k for k in shapes if k.startswith("loss.")]


def published_parameter_count(in_ch: int, ch=128, mult=(1, 1, 2, 2, 4), blocks=2, z=256, embed=256, codes=1024):
    """Closed form over the architecture description (not the modules): convs k*k*ci*co + co, norms 2c."""
    def conv(ci, co, k=3):
        return k * k * ci * co + co

    def res(ci, co):
        return 2 * ci + conv(ci, co) + 2 * co + conv(co, co) + (conv(ci, co, 1) if ci != co else 0)

    def attn(c):
        return 2 * c + 4 * conv(c, c, 1)

    widths = [ch * m for m in mult]
    top = widths[-1]
    middle = res(top, top) + attn(top) + res(top, top)
    encoder, c = conv(in_ch, ch), ch
    for i, w in enumerate(widths):
        encoder += res(c, w) + res(w, w) * (blocks - 1) + (blocks * attn(w) if i == len(widths) - 1 else 0)
        encoder += conv(w, w) if i < len(widths) - 1 else 0
        c = w
    encoder += middle + 2 * top + conv(top, z)
    decoder, c = conv(z, top) + middle, top
    for i, w in reversed(list(enumerate(widths))):
        decoder += res(c, w) + res(w, w) * blocks + ((blocks + 1) * attn(w) if i == len(widths) - 1 else 0)
        decoder += conv(w, w) if i > 0 else 0
        c = w
    decoder += 2 * ch + conv(ch, in_ch)
    return encoder + decoder + conv(z, embed, 1) + conv(embed, z, 1) + codes * embed


@pytest.mark.parametrize("factory, in_ch, total", [(vqgan.image_vqgan, 3, 72_141_699), (vqgan.spec_vqgan, 1, 72_137_089)])
def test_parameter_count_follows_the_published_architecture(factory, in_ch, total):
    assert published_parameter_count(in_ch) == total
    assert sum(p.numel() for p in factory().parameters()) == total


def test_norms_are_groupnorm_32_eps_1e6_and_grids_are_the_papers():
    model = vqgan.image_vqgan()
    norms = [m for m in model.modules() if isinstance(m, torch.nn.GroupNorm)]
    assert norms and {(n.num_groups, n.eps) for n in norms} == {(32, 1e-6)}
    assert model.config.grid == (16, 16) and vqgan.spec_vqgan().config.grid == (5, 53)
    with torch.no_grad():
        z = vqgan.spec_vqgan(small=True).encoder(torch.zeros(1, 1, 80, 848))
    assert z.shape == (1, 8, 5, 53)


# --- block semantics against independent references -------------------------------------------------------------

def test_downsample_pads_only_right_and_bottom():
    torch.manual_seed(1)
    block, x = taming_blocks.Downsample(2), torch.randn(1, 2, 5, 7)
    with torch.no_grad():
        out = block(x)
    w, b = block.conv.weight, block.conv.bias
    assert out.shape == (1, 2, 2, 3)
    # Output (i, j) sees input rows 2i..2i+2 and columns 2j..2j+2; past the last row/column there are zeros.
    padded = torch.zeros(1, 2, 6, 8)
    padded[..., :5, :7] = x
    for i in range(2):
        for j in range(3):
            window = padded[0, :, 2 * i:2 * i + 3, 2 * j:2 * j + 3]
            expected = torch.einsum("oikl,ikl->o", w, window) + b
            assert torch.allclose(out[0, :, i, j], expected, atol=1e-5)


def test_upsample_is_nearest_then_conv():
    torch.manual_seed(2)
    block, x = taming_blocks.Upsample(2), torch.randn(1, 2, 3, 4)
    with torch.no_grad():
        expected = block.conv(x.repeat_interleave(2, dim=2).repeat_interleave(2, dim=3))
        assert torch.allclose(block(x), expected, atol=1e-6)


def test_attention_is_single_head_softmax_over_positions():
    """Same as torch's MultiheadAttention with one head (scale channels^-0.5) on the normalised positions."""
    torch.manual_seed(3)
    c = 8
    block, x = taming_blocks.AttnBlock(c, groups=4), torch.randn(2, c, 3, 5)
    mha = torch.nn.MultiheadAttention(c, 1, batch_first=True)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([m.weight[:, :, 0, 0] for m in (block.q, block.k, block.v)]))
        mha.in_proj_bias.copy_(torch.cat([m.bias for m in (block.q, block.k, block.v)]))
        mha.out_proj.weight.copy_(block.proj_out.weight[:, :, 0, 0])
        mha.out_proj.bias.copy_(block.proj_out.bias)
        seq = torch.nn.functional.group_norm(x, 4, block.norm.weight, block.norm.bias, eps=1e-6).flatten(2).transpose(1, 2)
        expected = x + mha(seq, seq, seq, need_weights=False)[0].transpose(1, 2).reshape(x.shape)
        assert torch.allclose(block(x), expected, atol=1e-5)


def test_resnet_block_is_norm_swish_conv_twice_with_a_1x1_shortcut():
    torch.manual_seed(4)
    block, x = taming_blocks.ResnetBlock(4, 8, groups=2), torch.randn(1, 4, 6, 6)
    f = torch.nn.functional
    with torch.no_grad():
        h = f.conv2d(f.silu(f.group_norm(x, 2, block.norm1.weight, block.norm1.bias, 1e-6)), block.conv1.weight,
                     block.conv1.bias, padding=1)
        h = f.conv2d(f.silu(f.group_norm(h, 2, block.norm2.weight, block.norm2.bias, 1e-6)), block.conv2.weight,
                     block.conv2.bias, padding=1)
        expected = f.conv2d(x, block.nin_shortcut.weight, block.nin_shortcut.bias) + h
        assert torch.allclose(block(x), expected, atol=1e-5)


def test_encoder_tokens_are_the_nearest_codebook_rows():
    model = seeded(vqgan.image_vqgan, small=True)
    x = torch.rand(2, 3, 256, 256) * 2 - 1
    with torch.no_grad():
        z = model.quant_conv(model.encoder(x))  # [2, D, 16, 16]
        tokens = vqgan.TokenEncoder(model)(x)
    vectors = z.permute(0, 2, 3, 1).reshape(2, 256, -1)  # row-major positions
    nearest = torch.cdist(vectors, model.quantize.embedding.weight.unsqueeze(0).expand(2, -1, -1)).argmin(-1)
    assert tokens.dtype == torch.int64 and tokens.shape == (2, 256)
    assert (tokens == nearest).float().mean() >= TOKEN_AGREEMENT


# --- checkpoint loading ------------------------------------------------------------------------------------------

def lightning_checkpoint(model, path: pathlib.Path) -> pathlib.Path:
    """A .ckpt shaped like the published ones: state_dict with loss.* weights, plus pickled training objects of a
    package that will not be importable when it is loaded."""
    parent, package = (types.ModuleType(n) for n in ("not_installed_training_stack",
                                                      "not_installed_training_stack.callbacks"))

    class HyperParameters(dict):
        pass

    HyperParameters.__module__, HyperParameters.__qualname__ = package.__name__, "HyperParameters"
    package.HyperParameters, parent.callbacks = HyperParameters, package
    sys.modules.update({parent.__name__: parent, package.__name__: package})
    try:
        state = {**model.state_dict(), "loss.discriminator.main.0.weight": torch.zeros(64, 3, 4, 4),
                 "loss.perceptual_loss.net.slice1.0.weight": torch.zeros(64, 3, 3, 3)}
        torch.save({"epoch": 3, "global_step": 10, "state_dict": state,
                    "hyper_parameters": HyperParameters(embed_dim=8)}, str(path))
    finally:
        del sys.modules[parent.__name__], sys.modules[package.__name__]
    assert not [m for m in sys.modules if m.startswith("not_installed_training_stack")]
    return path


def test_lightning_checkpoint_round_trip_drops_loss_keys(tmp_path):
    source, target = seeded(vqgan.spec_vqgan, 1, small=True), seeded(vqgan.spec_vqgan, 2, small=True)
    vqgan.load_state(target, lightning_checkpoint(source, tmp_path / "last.ckpt"))
    loaded = target.state_dict()
    assert all(torch.equal(v, loaded[k]) for k, v in source.state_dict().items())
    assert not [m for m in sys.modules if m.startswith("not_installed_training_stack")], "stand-ins are removed"
    mel = torch.rand(1, 80, 848) * 2 - 1
    with torch.no_grad():
        assert torch.equal(vqgan.MelTokenEncoder(source)(mel), vqgan.MelTokenEncoder(target)(mel))


def test_plain_state_dict_loads(tmp_path):
    source, target = seeded(vqgan.image_vqgan, 1, small=True), seeded(vqgan.image_vqgan, 2, small=True)
    torch.save(source.state_dict(), str(tmp_path / "weights.pt"))
    vqgan.load_state(target, tmp_path / "weights.pt")
    assert torch.equal(target.quantize.embedding.weight, source.quantize.embedding.weight)


def test_missing_unexpected_and_misshaped_keys_are_named_with_the_file(tmp_path):
    model = seeded(vqgan.image_vqgan, small=True)
    state = model.state_dict()
    del state["quantize.embedding.weight"]
    state["encoder.down.4.downsample.conv.weight"] = torch.zeros(1)
    state["decoder.conv_out.weight"] = torch.zeros(1, 4, 3, 3)
    torch.save(state, str(tmp_path / "broken.pt"))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(ValueError) as error:
        vqgan.load_state(model, tmp_path / "broken.pt")
    message = str(error.value)
    assert str(tmp_path / "broken.pt") in message
    assert "missing keys (1): quantize.embedding.weight" in message
    assert "unexpected keys (1): encoder.down.4.downsample.conv.weight" in message
    assert "decoder.conv_out.weight (1, 4, 3, 3) (model (3, 4, 3, 3))" in message
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in before.items()), "a refused load changes nothing"


def test_audio_checkpoint_into_the_image_model_is_refused(tmp_path):
    path = lightning_checkpoint(seeded(vqgan.spec_vqgan, small=True), tmp_path / "spec.ckpt")
    with pytest.raises(ValueError, match=r"spec\.ckpt.*encoder\.conv_in\.weight \(4, 1, 3, 3\) \(model \(4, 3, 3, 3\)\)"):
        vqgan.load_state(seeded(vqgan.image_vqgan, small=True), path)


@pytest.mark.parametrize("content, reason", [(None, "not found"), (b"not a checkpoint", "not a PyTorch checkpoint"),
                                             ({"epoch": 1}, "holds no state dict")])
def test_unreadable_checkpoints_are_named(tmp_path, content, reason):
    path = tmp_path / "model.ckpt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        torch.save(content, str(path))
    with pytest.raises(ValueError, match=rf"{path}.*{reason}"):
        vqgan.load_state(vqgan.image_vqgan(small=True), path)


# --- ONNX export, run by ONNX Runtime ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def export_dir():
    path = pathlib.Path(tempfile.mkdtemp(prefix="vqgan-export-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)  # paper-size files are ~0.3 GB per codec


def exported(kind: str, small: bool, folder: pathlib.Path) -> tuple:
    model = seeded(vqgan.image_vqgan if kind == "image" else vqgan.spec_vqgan, small=small)
    folder = folder / f"{kind}-{'small' if small else 'full'}"
    folder.mkdir()
    export = vqgan.export_image_codec if kind == "image" else vqgan.export_audio_codec
    return model, folder, export(model, folder)


def check_signatures(folder: pathlib.Path, entries: dict) -> None:
    for key, entry in entries.items():
        model = onnx.load(str(folder / entry["file"]), load_external_data=False)
        assert [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")] == [17]
        assert graph_signature(model) == CONTRACT[key], key
        assert entry["inputs"] == [t.to_json() for t in CONTRACT[key][0]]
        assert entry["outputs"] == [t.to_json() for t in CONTRACT[key][1]]


def check_runtime_matches_pytorch(kind: str, model, folder: pathlib.Path, batch: int) -> dict:
    """Runs both exported graphs with ONNX Runtime and PyTorch on the same input; returns the measured agreement."""
    onnxruntime_native.library()  # fails here, before the slow part, when the package is not restored
    g = torch.Generator().manual_seed(5)
    image = kind == "image"
    encoder = (vqgan.TokenEncoder if image else vqgan.MelTokenEncoder)(model)
    decoder = (vqgan.TokenDecoder if image else vqgan.MelTokenDecoder)(model)
    signal = torch.rand((batch, 3, 256, 256) if image else (batch, 80, 848), generator=g) * 2 - 1
    codes = torch.randint(0, 1024, (batch, 256 if image else 265), generator=g)
    with torch.no_grad():
        distances = encoder.distances(signal)
        tokens, decoded = distances.argmin(-1).numpy(), decoder(codes).numpy()
    names = ("image", "image_tokens") if image else ("mel", "audio_tokens")
    with onnxruntime_native.Session(folder / f"{kind}_encoder.onnx", threads=2) as session:
        ort_tokens = session.run({names[0]: signal.numpy()}, {names[1]: (tokens.shape, np.int64)})[names[1]]
    with onnxruntime_native.Session(folder / f"{kind}_decoder.onnx", threads=2) as session:
        ort_decoded = session.run({names[1]: codes.numpy()}, {names[0]: (decoded.shape, np.float32)})[names[0]]

    nearest_two = distances.topk(2, dim=-1, largest=False).values
    clear = ((nearest_two[..., 1] - nearest_two[..., 0]) > TOKEN_MARGIN * float(distances.abs().max())).numpy()
    figures = {"token_agreement": float((ort_tokens == tokens).mean()),
               "max_abs_diff": float(np.abs(ort_decoded - decoded).max()),
               "unsaturated": float((np.abs(decoded) < 1).mean())}
    print(f"{kind} {'x'.join(map(str, decoded.shape))}: {figures}")
    assert (ort_tokens[clear] == tokens[clear]).all()
    assert figures["token_agreement"] >= TOKEN_AGREEMENT
    assert figures["max_abs_diff"] <= DECODER_ABS
    assert figures["unsaturated"] > 0.5, "random decoder saturates the clamp: the comparison would prove little"
    return figures


@pytest.mark.parametrize("kind", ["image", "audio"])
def test_small_codec_exports_under_1mb_and_runs_like_pytorch(kind, export_dir):
    model, folder, entries = exported(kind, True, export_dir)
    check_signatures(folder, entries)
    assert all((folder / e["file"]).stat().st_size < 1_000_000 for e in entries.values())
    assert sorted(e["file"] for e in entries.values()) == [f"{kind}_decoder.onnx", f"{kind}_encoder.onnx"]
    check_runtime_matches_pytorch(kind, model, folder, batch=2)  # batch 2: the traced batch of 1 stays dynamic


@pytest.mark.parametrize("kind", ["image", "audio"])
def test_paper_size_codec_exports_and_runs_like_pytorch(kind, export_dir):
    model, folder, entries = exported(kind, False, export_dir)
    check_signatures(folder, entries)
    check_runtime_matches_pytorch(kind, model, folder, batch=1)


def test_codec_of_the_wrong_modality_is_refused(tmp_path):
    with pytest.raises(ValueError, match="3x256x256"):
        vqgan.export_image_codec(vqgan.spec_vqgan(small=True), tmp_path)
    with pytest.raises(ValueError, match="1x80x848"):
        vqgan.export_audio_codec(vqgan.image_vqgan(small=True), tmp_path)
