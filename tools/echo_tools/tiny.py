"""The tiny random-weight test bundle: its modules, its export and the fixtures made from it.

Everything is seeded and single-threaded, so running tools/make_test_bundle.py twice gives the
same bytes. Codebooks are small (audio 64, image 48: different on purpose, so code that mixes up
the modalities fails) to keep the fixtures small.
"""
import json
import pathlib

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper

from .codecs import AudioDecoder, AudioEncoder, ImageDecoder, ImageEncoder, Vocoder
from .export import export_component
from .manifest import PAPER_AUDIO, Tokens, contracts, write_manifest
from .transformer import TransformerConfig, VisualEchoesTransformer

SEED = 1234
TOKENS = Tokens(audio_codebook=64, image_codebook=48)
CONFIG = TransformerConfig(audio_codebook=TOKENS.audio_codebook, image_codebook=TOKENS.image_codebook,
                           width=32, decoder_width=16, heads=2, decoder_heads=2, depth=2, decoder_depth=1,
                           init_std=1.0)  # peaked logits and distinct positions, like a trained model's
FILES = {"imageEncoder": "image_encoder.onnx", "transformer": "transformer.onnx", "audioDecoder": "audio_decoder.onnx",
         "audioEncoder": "audio_encoder.onnx", "imageDecoder": "image_decoder.onnx", "vocoder": "vocoder.onnx"}
COMMAND = "/usr/bin/python3 tools/make_test_bundle.py"


def build_modules(seed: int = SEED) -> dict:
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    modules = {
        "imageEncoder": ImageEncoder(TOKENS.image_codebook),
        "transformer": VisualEchoesTransformer(CONFIG),
        "audioDecoder": AudioDecoder(TOKENS.audio_codebook),
        "audioEncoder": AudioEncoder(TOKENS.audio_codebook),
        "imageDecoder": ImageDecoder(TOKENS.image_codebook),
        "vocoder": Vocoder(PAPER_AUDIO["melBins"]),
    }
    for m in modules.values():
        m.eval()
    return modules


def example_inputs(key: str, batch: int = 2) -> tuple:
    """Deterministic inputs of each component, computable from the formulas in tiny-forward.json."""
    def grid(*sizes):
        return torch.meshgrid(*[torch.arange(n, dtype=torch.float64) for n in sizes], indexing="ij")

    if key == "imageEncoder":
        b, c, y, x = grid(batch, 3, 256, 256)
        return ((torch.sin(0.05 * x + 0.9 * c + 0.3 * b) * torch.cos(0.07 * y)).float(),)
    if key in ("audioEncoder", "vocoder"):
        b, f, t = grid(batch, 80, 848)
        mel = torch.sin(0.11 * f + 0.013 * t + 0.5 * b)
        return ((mel if key == "audioEncoder" else 0.5 + 0.5 * mel).float(),)
    g = torch.Generator().manual_seed(7)
    audio = torch.randint(0, TOKENS.audio_codebook + 1, (batch, TOKENS.audio_length), generator=g)
    image = torch.randint(0, TOKENS.image_codebook + 1, (batch, TOKENS.image_length), generator=g)
    return {"transformer": (audio, image), "audioDecoder": (audio.clamp(max=TOKENS.audio_codebook - 1),),
            "imageDecoder": (image.clamp(max=TOKENS.image_codebook - 1),)}[key]


def export_bundle(folder: pathlib.Path, modules: dict) -> pathlib.Path:
    folder.mkdir(parents=True, exist_ok=True)
    specs = contracts(TOKENS)
    components = {key: export_component(module, example_inputs(key), folder / FILES[key], *specs[key])
                  for key, module in modules.items()}
    return write_manifest(
        folder, bundle_id="tiny-test", license="MIT",
        description="Random-weight Visual Echoes stand-in with the paper's grids and small codebooks, for tests only.",
        provenance={"command": COMMAND, "seed": SEED, "data": "none (random weights)"},
        tokens=TOKENS, components=components)


def write_bad_transformers(folder: pathlib.Path) -> list:
    """Transformers that break the contract on purpose (loader tests): wrong token length, float token input."""
    folder.mkdir(parents=True, exist_ok=True)

    def transformer(path: pathlib.Path, audio_length: int, token_type: int) -> pathlib.Path:
        def logits(prefix: str, length: int, codebook: int, dtype: int):
            tokens = helper.make_tensor_value_info(f"{prefix}_tokens", dtype, ["batch", length])
            out = helper.make_tensor_value_info(f"{prefix}_logits", TensorProto.FLOAT, ["batch", length, codebook])
            ones = helper.make_tensor(f"{prefix}_ones", TensorProto.FLOAT, [1, 1, codebook], [1.0] * codebook)
            axes = helper.make_tensor(f"{prefix}_axes", TensorProto.INT64, [1], [2])
            nodes = [helper.make_node("Cast", [f"{prefix}_tokens"], [f"{prefix}_f"], to=TensorProto.FLOAT),
                     helper.make_node("Unsqueeze", [f"{prefix}_f", f"{prefix}_axes"], [f"{prefix}_u"]),
                     helper.make_node("Mul", [f"{prefix}_u", f"{prefix}_ones"], [f"{prefix}_logits"])]
            return tokens, out, nodes, [ones, axes]

        a = logits("audio", audio_length, TOKENS.audio_codebook, token_type)
        i = logits("image", TOKENS.image_length, TOKENS.image_codebook, TensorProto.INT64)
        graph = helper.make_graph(a[2] + i[2], path.stem, [a[0], i[0]], [a[1], i[1]], initializer=a[3] + i[3])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="echo_tools")
        model.ir_version = 8
        onnx.checker.check_model(model, full_check=True)
        path.write_bytes(model.SerializeToString())
        return path

    return [transformer(folder / "transformer_wrong_length.onnx", TOKENS.audio_length - 1, TensorProto.INT64),
            transformer(folder / "transformer_float_tokens.onnx", TOKENS.audio_length, TensorProto.FLOAT)]


def write_json(path: pathlib.Path, value) -> pathlib.Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, separators=(",", ":")).replace(',"', ',\n"') + "\n", encoding="utf-8")
    return path
