"""GPU variants of the transformer export (issue 17 item 1): fused attention, fp16 weights, audio logits alone.

Tolerances (ONNX Runtime's CPU provider, the engine's native library, against PyTorch float32 on the tiny
transformer, logits up to ~20): fused float32 1e-4 absolute; float16 weights and activations 2e-3 of the largest
logit, and the same top token at 99% of positions.
"""
import json
import shutil

import numpy as np
import onnx
import pytest
import torch

import assemble_bundle
import export_checkpoint
import onnxruntime_native
from echo_tools import gpu_export, tiny
from echo_tools.transformer import VisualEchoesTransformer

C = tiny.CONFIG
LAYERS = C.depth + C.decoder_depth


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(5)
    return VisualEchoesTransformer(C).eval()


@pytest.fixture(scope="module")
def inputs():
    g = torch.Generator().manual_seed(6)
    audio = torch.randint(0, C.audio_codebook, (3, 265), generator=g)
    image = torch.randint(0, C.image_codebook, (3, 256), generator=g)
    audio[0], image[1, ::2], image[2] = C.audio_codebook, C.image_codebook, C.image_codebook  # MASK: i2a, CFG branch
    return audio, image


@pytest.fixture(scope="module")
def expected(model, inputs):
    with torch.no_grad():
        return [t.numpy() for t in model(*inputs)]


def run(path, inputs, image_logits=True):
    outputs = {"audio_logits": ((3, 265, C.audio_codebook), np.float32)}
    if image_logits:
        outputs["image_logits"] = ((3, 256, C.image_codebook), np.float32)
    with onnxruntime_native.Session(path, threads=2) as session:
        return session.run({"audio_tokens": inputs[0].numpy(), "image_tokens": inputs[1].numpy()}, outputs)


def test_the_fused_graph_has_one_multi_head_attention_per_block_and_matches_pytorch(model, inputs, expected, tmp_path):
    entry = gpu_export.export_variant(model, tmp_path / "fused.onnx", tiny.TOKENS)
    facts = gpu_export.describe(tmp_path / "fused.onnx")
    assert facts["attention"] == LAYERS and "Softmax" not in facts["ops"]
    assert entry["attention"] == "com.microsoft.MultiHeadAttention" and entry["weights"] == "float32"
    actual = run(tmp_path / "fused.onnx", inputs)
    assert np.abs(actual["audio_logits"] - expected[0]).max() < 1e-4
    assert np.abs(actual["image_logits"] - expected[1]).max() < 1e-4


def test_the_fp16_graph_has_half_weights_float32_logits_and_stays_close(model, inputs, expected, tmp_path):
    gpu_export.export_variant(model, tmp_path / "half.onnx", tiny.TOKENS, float16=True)
    facts = gpu_export.describe(tmp_path / "half.onnx")
    assert facts["initializer_types"] == ["FLOAT16"] and facts["attention"] == LAYERS
    assert [(t.name, t.dtype) for t in facts["outputs"]] == [("audio_logits", "float32"), ("image_logits", "float32")]
    actual = run(tmp_path / "half.onnx", inputs)  # the CPU provider runs float16 MatMul, LayerNorm and attention
    for got, want in zip((actual["audio_logits"], actual["image_logits"]), expected):
        assert np.abs(got - want).max() < 2e-3 * np.abs(want).max()
        assert (got.argmax(-1) == want.argmax(-1)).mean() > 0.99
        assert np.abs(got - want).max() > 0  # it really ran in half precision


def test_the_image_to_audio_graph_returns_audio_logits_alone_without_computing_image_logits(
        model, inputs, expected, tmp_path):
    gpu_export.export_variant(model, tmp_path / "full.onnx", tiny.TOKENS)
    gpu_export.export_variant(model, tmp_path / "audio.onnx", tiny.TOKENS, image_logits=False)
    facts = gpu_export.describe(tmp_path / "audio.onnx")
    assert [t.name for t in facts["outputs"]] == ["audio_logits"]
    matmuls = [sum(n.op_type == "MatMul" for n in onnx.load(str(tmp_path / f)).graph.node)
               for f in ("full.onnx", "audio.onnx")]
    assert matmuls[0] - matmuls[1] == 2  # the head's projection and the tied logits of the image positions
    actual = run(tmp_path / "audio.onnx", inputs, image_logits=False)
    assert np.abs(actual["audio_logits"] - expected[0]).max() < 1e-4


@pytest.fixture(scope="module")
def cli_exports(tmp_path_factory):
    """export_checkpoint.py: small random codecs, and the small transformer with --variants cuda."""
    folder = tmp_path_factory.mktemp("gpu-exports")
    torch.set_num_threads(2)
    for kind in ("image-vqgan", "audio-vqgan"):
        assert export_checkpoint.main([kind, "--random-weights", "--small", "--out", str(folder / kind)]) == 0
    assert export_checkpoint.main(["transformer", "--random-weights", "--small", "--variants", "cuda",
                                   "--out", str(folder / "transformer")]) == 0
    return folder


def assemble(out, folders):
    return assemble_bundle.main(["--id", "gpu", "--out", str(out), "--description", "d", "--data", "x",
                                 *map(str, folders)])


def test_the_cli_writes_cuda_variants_and_the_assembler_lists_them(cli_exports, tmp_path, capsys):
    sidecar = json.loads((cli_exports / "transformer" / "export.json").read_text())
    assert [v["name"] for v in sidecar["variants"]["transformer"]] == ["cuda-fp16-fused", "cuda-fp16-fused-audio"]
    assert gpu_export.describe(cli_exports / "transformer" / "transformer.onnx")["attention"] == 0  # default: plain
    code = assemble(tmp_path / "bundle", [cli_exports / k for k in ("image-vqgan", "audio-vqgan", "transformer")])
    assert code == 0, capsys.readouterr().err
    manifest = json.loads((tmp_path / "bundle" / "bundle.json").read_text())
    variants = manifest["variants"]["transformer"]
    assert [(v["name"], v["executionProviders"], v["weights"], [o["name"] for o in v["outputs"]], v["modes"])
            for v in variants] == [
        ("cuda-fp16-fused", ["CUDAExecutionProvider"], "float16", ["audio_logits", "image_logits"],
         ["imageToAudio", "audioToImage", "coGeneration"]),
        ("cuda-fp16-fused-audio", ["CUDAExecutionProvider"], "float16", ["audio_logits"], ["imageToAudio"])]
    for v in variants:
        assert gpu_export.sha256(tmp_path / "bundle" / v["file"]) == v["sha256"]
        assert gpu_export.describe(tmp_path / "bundle" / v["file"])["attention"] == 3


def test_the_assembler_refuses_a_variant_changed_after_export(cli_exports, tmp_path, capsys):
    shutil.copytree(cli_exports / "transformer", tmp_path / "transformer")
    with (tmp_path / "transformer" / "transformer.cuda-fp16-audio.onnx").open("ab") as f:
        f.write(b"\0")
    code = assemble(tmp_path / "bundle", [cli_exports / "image-vqgan", cli_exports / "audio-vqgan",
                                          tmp_path / "transformer"])
    err = capsys.readouterr().err
    assert code == 1 and "transformer.cuda-fp16-audio.onnx: SHA-256" in err and "changed after export" in err
    assert not (tmp_path / "bundle").exists()
