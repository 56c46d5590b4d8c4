"""The exported tiny bundle follows the component contract of docs/bundle-format.md and is reproducible."""
import hashlib
import json

import onnx
import pytest

from conftest import REPO
from echo_tools import tiny
from echo_tools.export import graph_signature
from echo_tools.manifest import Tensor

B = "batch"
# Written out by hand from the contract (not from echo_tools.manifest.contracts), codebooks 64 (audio) / 48 (image).
CONTRACT = {
    "imageEncoder": ([("image", "float32", (B, 3, 256, 256))], [("image_tokens", "int64", (B, 256))]),
    "transformer": ([("audio_tokens", "int64", (B, 265)), ("image_tokens", "int64", (B, 256))],
                    [("audio_logits", "float32", (B, 265, 64)), ("image_logits", "float32", (B, 256, 48))]),
    "audioDecoder": ([("audio_tokens", "int64", (B, 265))], [("mel", "float32", (B, 80, 848))]),
    "audioEncoder": ([("mel", "float32", (B, 80, 848))], [("audio_tokens", "int64", (B, 265))]),
    "imageDecoder": ([("image_tokens", "int64", (B, 256))], [("image", "float32", (B, 3, 256, 256))]),
    "vocoder": ([("mel", "float32", (B, 80, 848))], [("waveform", "float32", (B, 217088))]),
}


def manifest(path):
    return json.loads(path.read_text())


@pytest.mark.parametrize("key", list(CONTRACT))
def test_component_graph_has_the_contract_signature(exported, key):
    entry = manifest(exported)["components"][key]
    model = onnx.load(str(exported.parent / entry["file"]))
    onnx.checker.check_model(model, full_check=True)
    assert [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")] == [17]
    inputs, outputs = CONTRACT[key]
    assert graph_signature(model) == ([Tensor(*t) for t in inputs], [Tensor(*t) for t in outputs])
    assert [t["name"] for t in entry["inputs"]] == [t[0] for t in inputs]
    assert [t["shape"] for t in entry["outputs"]] == [list(t[2]) for t in outputs]


def test_manifest_hashes_match_the_files(exported):
    for entry in manifest(exported)["components"].values():
        assert entry["sha256"] == hashlib.sha256((exported.parent / entry["file"]).read_bytes()).hexdigest()


def test_manifest_states_the_paper_front_end_and_tokens(exported):
    m = manifest(exported)
    assert m["formatVersion"] == 1
    assert m["tokens"] == {"audio": {"grid": [5, 53], "codebookSize": 64, "maskId": 64},
                           "image": {"grid": [16, 16], "codebookSize": 48, "maskId": 48}, "order": ["audio", "image"]}
    assert m["audio"]["samples"] == m["audio"]["frames"] * m["audio"]["hopLength"] == 217088
    assert (m["audio"]["dbMin"], m["audio"]["dbMax"], m["audio"]["fMin"], m["audio"]["fMax"]) == (-80, 20, 125, 7600)
    assert m["sampling"] == {"steps": 30, "temperature": 9, "guidance": 3,
                             "modes": {"audioToImage": {"guidance": 1}, "coGeneration": {"guidance": 1}}}
    assert "createdAt" not in m["provenance"] and m["provenance"]["seed"] == tiny.SEED


def test_committed_bundle_is_what_the_tools_export(exported):
    """Seeded, single-threaded export is byte-for-byte reproducible, so the committed fixture must be current."""
    committed = REPO / "tests/fixtures/bundles/tiny"
    assert exported.read_bytes() == (committed / "bundle.json").read_bytes(), "run tools/make_test_bundle.py"
    for entry in manifest(exported)["components"].values():
        assert (exported.parent / entry["file"]).read_bytes() == (committed / entry["file"]).read_bytes()


def test_bad_transformers_break_the_contract_as_named(tmp_path):
    wrong_length, float_tokens = (graph_signature(onnx.load(str(p))) for p in tiny.write_bad_transformers(tmp_path))
    assert wrong_length[0][0] == Tensor("audio_tokens", "int64", (B, 264))
    assert float_tokens[0][0] == Tensor("audio_tokens", "float32", (B, 265))
    assert wrong_length[0][1] == float_tokens[0][1] == Tensor("image_tokens", "int64", (B, 256))


def test_encoders_emit_int64_tokens_in_the_codebook_range(modules):
    for key, codebook in (("imageEncoder", 48), ("audioEncoder", 64)):
        tokens = modules[key](*tiny.example_inputs(key))
        assert tokens.dtype.is_floating_point is False and str(tokens.dtype) == "torch.int64"
        assert int(tokens.min()) >= 0 and int(tokens.max()) < codebook
