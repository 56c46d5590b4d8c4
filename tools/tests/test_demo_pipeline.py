"""The demo rebuild's stages end to end on a tiny budget: tokens -> vocoder -> transformer -> bundle (issue 16)."""
import json
import shutil
from dataclasses import replace

import numpy as np
import pytest
import torch

import onnxruntime_native
from echo_tools import demo
from echo_tools.export import sha256


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    torch.set_num_threads(2)
    work, out = tmp_path_factory.mktemp("work"), tmp_path_factory.mktemp("bundle")
    demo.build_tokens(work, samples=24, fit=16, seed=demo.SEED)
    demo.train_vocoder(work, clips=3, first=24, seed=demo.SEED, config=replace(demo.VOCODER, steps=4, batch=2))
    demo.train_transformer(work, ((3, 1e-3),), batch=4, seed=demo.SEED)
    demo.export(work, out, "test", demo.SEED, 24, ((3, 1e-3),))
    return out


def test_the_bundle_carries_the_trained_vocoder_the_guided_recipe_and_no_guidance_by_default(bundle):
    manifest = json.loads((bundle / "bundle.json").read_text())
    assert list(manifest["components"]) == ["imageEncoder", "transformer", "audioDecoder", "audioEncoder",
                                            "imageDecoder", "vocoder"]
    for entry in manifest["components"].values():
        assert sha256(bundle / entry["file"]) == entry["sha256"]
    assert manifest["sampling"] == {"steps": 30, "temperature": 9, "guidance": 1, "guidanceSpace": "probabilities"}
    assert "vocoder: source-filter" in manifest["provenance"]["data"]
    assert "drop_unmasked=False" in manifest["provenance"]["data"]  # GUIDED, which measured better at this size
    assert "96d 2+2 layers" in manifest["provenance"]["data"]


def test_the_exported_vocoder_turns_a_mel_into_a_bounded_waveform(bundle):
    mel = np.full((1, 80, 848), 0.5, np.float32)
    mel[:, 30:40] = 0.9
    with onnxruntime_native.Session(bundle / "vocoder.onnx", threads=2) as session:
        wave = session.run({"mel": mel}, {"waveform": ((1, 217088), np.float32)})["waveform"]
    assert np.isfinite(wave).all() and np.abs(wave).max() <= 1.0 and wave.std() > 0


def test_a_vocoder_trained_into_an_earlier_bundle_is_listed_as_a_part_and_the_rest_is_unchanged(bundle, tmp_path):
    earlier = tmp_path / "earlier"
    shutil.copytree(bundle, earlier)
    manifest = json.loads((earlier / "bundle.json").read_text())
    del manifest["components"]["vocoder"]
    manifest["description"] = "A bundle with no vocoder (Griffin-Lim)."
    (earlier / "vocoder.onnx").unlink()
    (earlier / "bundle.json").write_text(json.dumps(manifest, indent=2) + "\n")

    demo.add_vocoder(tmp_path, earlier, "test --vocoder-only", first=24, seed=demo.SEED,
                     config=replace(demo.VOCODER, steps=4, batch=2), clips=3)

    added = json.loads((earlier / "bundle.json").read_text())
    assert sha256(earlier / "vocoder.onnx") == added["components"]["vocoder"]["sha256"]
    assert added["description"] == "A bundle with a small source-filter vocoder trained on the world."
    assert added["provenance"]["parts"][0]["components"] == ["vocoder"]
    assert "from 3" in added["provenance"]["parts"][0]["source"]
    assert {k: v for k, v in added["components"].items() if k != "vocoder"} == manifest["components"]


def test_only_a_patch_k_means_audio_codec_can_take_a_trained_vocoder(exported, tmp_path):
    with pytest.raises(ValueError, match="not a patch k-means decoder"):
        demo.add_vocoder(tmp_path, exported.parent, "test", first=24, seed=demo.SEED)
