"""tools/export_checkpoint.py and tools/assemble_bundle.py: checkpoints of every kind to a bundle, and their errors.

Small variants keep this fast; the paper-size transformer export (~1.2 GB) is marked full_size_export:
    /usr/bin/python3 -m pytest tools/tests -m full_size_export
"""
import hashlib
import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import onnx
import pytest
import torch

import assemble_bundle
import export_checkpoint
import make_exported_fixture
import onnxruntime_native
from conftest import REPO, TOOLS
from echo_tools.checkpoints import paper_transformer, vocoders, vqgan
from echo_tools.export import graph_signature
from echo_tools.manifest import Tensor, check_sampling
from echo_tools.masked_training import TrainableTransformer
from echo_tools.transformer import VisualEchoesTransformer

LICENSES = {"image-vqgan": "MIT (taming-transformers)", "audio-vqgan": "MIT (SpecVQGAN)",
            "melgan": "MIT (SpecVQGAN vocoder)", "transformer": "CC-BY-4.0 (my lab)"}


@pytest.fixture(autouse=True)
def two_threads():
    torch.set_num_threads(2)


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export(capsys, *argv):
    """(exit code, stderr) of export_checkpoint.py run in-process."""
    code = export_checkpoint.main([str(a) for a in argv])
    return code, capsys.readouterr().err


def assemble(capsys, out, *dirs, extra=(), **options):
    argv = ["--id", options.get("id", "mine"), "--out", str(out), "--description", "test bundle",
            "--data", "my paired clips", *extra, *map(str, dirs)]
    return assemble_bundle.main(argv), capsys.readouterr().err


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    """Checkpoint files in each published format, small widths: taming/SpecVQGAN Lightning .ckpt with loss.*
    keys, MelGAN best_netG.pt (plain state dict), HiFi-GAN g_* ({"generator": ...}), the transformer as
    save_checkpoint writes it and as demo.py saves a TrainableTransformer (no config)."""
    folder = tmp_path_factory.mktemp("checkpoints")
    torch.manual_seed(11)
    files = {}
    for kind, factory in (("image-vqgan", vqgan.image_vqgan), ("audio-vqgan", vqgan.spec_vqgan)):
        state = factory(small=True).state_dict()
        state["loss.discriminator.main.0.weight"] = torch.zeros(1)
        files[kind] = folder / f"{kind}-last.ckpt"
        torch.save({"state_dict": state, "global_step": 5}, str(files[kind]))
    files["melgan"] = folder / "best_netG.pt"
    torch.save(vocoders.build("melgan", small=True).state_dict(), str(files["melgan"]))
    files["hifigan"] = folder / "g_00100000"
    torch.save({"generator": vocoders.build("hifigan", small=True).state_dict()}, str(files["hifigan"]))
    files["transformer"] = folder / "transformer.pt"
    paper_transformer.save_checkpoint(VisualEchoesTransformer(paper_transformer.SMALL), files["transformer"])
    files["demo-transformer"] = folder / "demo-transformer.pt"
    torch.save(TrainableTransformer(paper_transformer.SMALL).state_dict(), str(files["demo-transformer"]))
    files["image-512"] = folder / "transformer-512.pt"
    paper_transformer.save_checkpoint(VisualEchoesTransformer(replace(paper_transformer.SMALL, image_codebook=512)),
                                      files["image-512"])
    return files


@pytest.fixture(scope="module")
def exports(checkpoints, tmp_path_factory):
    """export_checkpoint.py run on each checkpoint (small widths need --small for the VQGAN configs)."""
    folder = tmp_path_factory.mktemp("exports")
    for kind in LICENSES:
        small = ["--small"] if kind.endswith("vqgan") else []
        assert export_checkpoint.main([kind, "--checkpoint", str(checkpoints[kind]), *small, "--license",
                                       LICENSES[kind], "--out", str(folder / kind)]) == 0
    return folder


def test_exports_write_the_onnx_files_and_a_sidecar_with_provenance(exports, checkpoints):
    files = {"image-vqgan": ["image_decoder.onnx", "image_encoder.onnx"],
             "audio-vqgan": ["audio_decoder.onnx", "audio_encoder.onnx"],
             "melgan": ["vocoder.onnx"], "transformer": ["transformer.onnx"]}
    for kind, names in files.items():
        sidecar = json.loads((exports / kind / "export.json").read_text())
        assert sorted(p.name for p in (exports / kind).glob("*.onnx")) == names
        assert sidecar["kind"] == kind and sidecar["license"] == LICENSES[kind]
        assert sidecar["source"] == {"checkpoint": checkpoints[kind].name, "sha256": sha(checkpoints[kind])}
        assert sidecar["command"].startswith(f"tools/export_checkpoint.py {kind} --checkpoint {checkpoints[kind].name}")
        assert str(exports) not in sidecar["command"]  # path-independent
        for entry in sidecar["components"].values():
            assert entry["sha256"] == sha(exports / kind / entry["file"])
    transformer = json.loads((exports / "transformer" / "export.json").read_text())
    assert transformer["tokens"] == {"audio": {"grid": [5, 53], "codebookSize": 1024},
                                     "image": {"grid": [16, 16], "codebookSize": 1024}}
    assert json.loads((exports / "melgan" / "export.json").read_text())["vocoder"]["width"] == 2  # ngf of the file


def test_assembled_bundle_has_every_component_and_complete_provenance(exports, checkpoints, tmp_path, capsys):
    code, err = assemble(capsys, tmp_path / "bundle", *(exports / k for k in LICENSES))
    assert (code, err) == (0, "")
    manifest = json.loads((tmp_path / "bundle" / "bundle.json").read_text())
    assert list(manifest["components"]) == ["imageEncoder", "transformer", "audioDecoder", "audioEncoder",
                                            "imageDecoder", "vocoder"]
    for entry in manifest["components"].values():
        assert entry["sha256"] == sha(tmp_path / "bundle" / entry["file"])
    assert manifest["tokens"]["audio"] == {"grid": [5, 53], "codebookSize": 1024, "maskId": 1024}
    assert manifest["license"] == ("imageEncoder, imageDecoder: MIT (taming-transformers); audioEncoder, "
                                   "audioDecoder: MIT (SpecVQGAN); vocoder: MIT (SpecVQGAN vocoder); "
                                   "transformer: CC-BY-4.0 (my lab)")
    provenance = manifest["provenance"]
    assert provenance["data"] == "my paired clips" and "seed" not in provenance
    assert provenance["command"].startswith("tools/assemble_bundle.py --id mine")
    assert [(p["kind"], p["source"]["sha256"], p["license"]) for p in provenance["parts"]] == [
        (k, sha(checkpoints[k]), LICENSES[k]) for k in LICENSES]
    assert manifest["audio"]["griffinLim"] == {"iterations": 32, "momentum": 0.99}
    # The paper's, by default: s = 3 for image->audio, no classifier-free guidance when generating images.
    assert manifest["sampling"] == {"steps": 30, "temperature": 9, "guidance": 3,
                                    "modes": {"audioToImage": {"guidance": 1}, "coGeneration": {"guidance": 1}},
                                    "guidanceSpace": "probabilities"}


def test_sampling_defaults_can_be_set_and_are_checked(exports, tmp_path, capsys):
    dirs = [exports / k for k in ("image-vqgan", "audio-vqgan", "transformer")]
    code, err = assemble(capsys, tmp_path / "tuned", *dirs, extra=("--steps", "12", "--temperature", "4.5",
                                                                   "--guidance", "1.5", "--guidance-space", "logits"))
    assert (code, err) == (0, "")
    manifest = json.loads((tmp_path / "tuned" / "bundle.json").read_text())
    assert manifest["sampling"] == {"steps": 12, "temperature": 4.5, "guidance": 1.5,
                                    "modes": {"audioToImage": {"guidance": 1}, "coGeneration": {"guidance": 1}},
                                    "guidanceSpace": "logits"}

    code, err = assemble(capsys, tmp_path / "bad", *dirs, extra=("--guidance", "-1"))
    assert code == 1 and "--guidance -1.0" in err and "at least 0" in err


def test_per_mode_sampling_defaults_override_the_top_level_ones(exports, tmp_path, capsys):
    dirs = [exports / k for k in ("image-vqgan", "audio-vqgan", "transformer")]
    code, err = assemble(capsys, tmp_path / "modes", *dirs, extra=(
        "--mode", "imageToAudio.guidance=2", "--mode", "imageToAudio.steps=20", "--mode", "audioToImage.guidance=1.5"))
    assert (code, err) == (0, "")
    sampling = json.loads((tmp_path / "modes" / "bundle.json").read_text())["sampling"]
    assert sampling["modes"] == {"imageToAudio": {"guidance": 2.0, "steps": 20}, "audioToImage": {"guidance": 1.5},
                                 "coGeneration": {"guidance": 1}}
    assert isinstance(sampling["modes"]["imageToAudio"]["steps"], int)


@pytest.mark.parametrize("override, message", [
    ("videoToAudio.guidance=1", "MODE one of imageToAudio, audioToImage, coGeneration"),
    ("audioToImage.seed=1", "FIELD steps, temperature or guidance"),
    ("audioToImage.guidance=high", "'high' is not a number"),
])
def test_a_malformed_per_mode_default_is_a_usage_error(exports, tmp_path, capsys, override, message):
    dirs = [exports / k for k in ("image-vqgan", "audio-vqgan", "transformer")]
    with pytest.raises(SystemExit) as exit_info:
        assemble(capsys, tmp_path / "bad", *dirs, extra=("--mode", override))
    assert exit_info.value.code == 2 and message in capsys.readouterr().err
    assert not (tmp_path / "bad").exists()


@pytest.mark.parametrize("override, message", [
    ("audioToImage.steps=0", "sampling.modes.audioToImage.steps: must be an integer >= 1, got 0"),
    ("coGeneration.guidance=-2", "sampling.modes.coGeneration.guidance: must be >= 0, got -2.0"),
])
def test_an_out_of_range_per_mode_default_is_refused_naming_the_field(exports, tmp_path, capsys, override, message):
    dirs = [exports / k for k in ("image-vqgan", "audio-vqgan", "transformer")]
    code, err = assemble(capsys, tmp_path / "bad", *dirs, extra=("--mode", override))
    assert code == 1 and message in err
    assert not (tmp_path / "bad").exists()
    assert not (tmp_path / "bad").exists()


def test_the_exported_transformer_runs_like_the_checkpoint(exports, checkpoints):
    model = paper_transformer.load_transformer(checkpoints["transformer"])
    g = torch.Generator().manual_seed(3)
    audio, image = torch.randint(0, 1025, (2, 265), generator=g), torch.randint(0, 1025, (2, 256), generator=g)
    with torch.no_grad():
        expected = [t.numpy() for t in model(audio, image)]
    with onnxruntime_native.Session(exports / "transformer" / "transformer.onnx", threads=2) as session:
        actual = session.run({"audio_tokens": audio.numpy(), "image_tokens": image.numpy()},
                             {"audio_logits": ((2, 265, 1024), np.float32), "image_logits": ((2, 256, 1024), np.float32)})
    assert np.abs(actual["audio_logits"] - expected[0]).max() < 1e-4
    assert np.abs(actual["image_logits"] - expected[1]).max() < 1e-4


def test_a_demo_style_checkpoint_needs_heads_to_export(checkpoints, tmp_path, capsys):
    code, err = export(capsys, "transformer", "--checkpoint", checkpoints["demo-transformer"], "--license", "MIT",
                       "--out", tmp_path)
    assert code == 1
    assert err.strip() == (f"export_checkpoint.py: error: {checkpoints['demo-transformer']}: head counts cannot be "
                           "read off the weights (width 32, decoder width 16); pass --heads and --decoder-heads")
    code, _ = export(capsys, "transformer", "--checkpoint", checkpoints["demo-transformer"], "--license", "MIT",
                     "--heads", "2", "--decoder-heads", "2", "--out", tmp_path)
    assert code == 0
    config = json.loads((tmp_path / "export.json").read_text())["config"]
    assert (config["width"], config["depth"], config["decoder_depth"], config["heads"]) == (32, 2, 1, 2)


def test_random_weights_need_no_license_and_record_the_seed(tmp_path, capsys):
    code, _ = export(capsys, "hifigan", "--random-weights", "--small", "--seed", "4", "--out", tmp_path)
    sidecar = json.loads((tmp_path / "export.json").read_text())
    assert code == 0 and sidecar["source"] == {"randomWeights": True, "seed": 4, "small": True}
    assert sidecar["vocoder"]["input"].startswith("ln(mel)")
    assert graph_signature(onnx.load(str(tmp_path / "vocoder.onnx")))[1] == [Tensor("waveform", "float32",
                                                                                      ("batch", 217088))]


def test_a_checkpoint_without_its_license_is_a_usage_error(checkpoints, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        export_checkpoint.main(["melgan", "--checkpoint", str(checkpoints["melgan"]), "--out", str(tmp_path)])
    assert exit_.value.code == 2
    assert "--license is required with --checkpoint" in capsys.readouterr().err


def test_unreadable_and_wrong_kind_checkpoints_are_one_line_errors(checkpoints, tmp_path, capsys):
    garbage = tmp_path / "last.ckpt"
    garbage.write_bytes(b"\x00garbage")
    cases = [("image-vqgan", garbage, f"{garbage}: not a PyTorch checkpoint"),
             ("hifigan", checkpoints["melgan"], f"{checkpoints['melgan']}: not a HiFi-GAN generator checkpoint"),
             ("melgan", checkpoints["hifigan"], f"{checkpoints['hifigan']}: a HiFi-GAN checkpoint, not a MelGAN"),
             ("transformer", checkpoints["melgan"], f"{checkpoints['melgan']}: not a Visual Echoes transformer"),
             ("audio-vqgan", checkpoints["image-vqgan"], f"{checkpoints['image-vqgan']}: does not fit VQModel")]
    for kind, checkpoint, message in cases:
        small = ["--small"] if kind.endswith("vqgan") else []
        code, err = export(capsys, kind, "--checkpoint", checkpoint, *small, "--license", "MIT", "--out", tmp_path / kind)
        assert code == 1, kind
        assert err.startswith(f"export_checkpoint.py: error: {message}"), err
        assert err.count("\n") == 1, err


def test_missing_required_component_is_named(exports, tmp_path, capsys):
    code, err = assemble(capsys, tmp_path / "b", exports / "image-vqgan", exports / "transformer")
    assert code == 1
    assert err == ("assemble_bundle.py: error: missing required component audioDecoder "
                   "(export_checkpoint.py audio-vqgan)\n")
    assert not (tmp_path / "b").exists()


def test_inconsistent_codebooks_are_refused(exports, checkpoints, tmp_path, capsys):
    export(capsys, "transformer", "--checkpoint", checkpoints["image-512"], "--license", "MIT", "--out", tmp_path / "t")
    code, err = assemble(capsys, tmp_path / "b", exports / "image-vqgan", exports / "audio-vqgan", tmp_path / "t")
    assert code == 1
    assert err == (f"assemble_bundle.py: error: inconsistent codebooks: image-vqgan in {exports / 'image-vqgan'} has "
                   f"image grid [16, 16], codebook 1024; the transformer in {tmp_path / 't'} expects grid [16, 16], "
                   "codebook 512\n")


def test_a_component_from_two_folders_or_a_changed_file_is_refused(exports, tmp_path, capsys):
    dirs = [exports / k for k in LICENSES]
    code, err = assemble(capsys, tmp_path / "b", *dirs, exports / "melgan")
    assert code == 1 and "component vocoder comes from both" in err
    changed = tmp_path / "melgan"
    changed.mkdir()
    for name in ("export.json", "vocoder.onnx"):
        (changed / name).write_bytes((exports / "melgan" / name).read_bytes())
    with (changed / "vocoder.onnx").open("ab") as f:
        f.write(b"\x00")
    code, err = assemble(capsys, tmp_path / "b", *dirs[:2], dirs[3], changed)
    assert code == 1 and err.startswith(f"assemble_bundle.py: error: {changed / 'vocoder.onnx'}: SHA-256 ")
    code, err = assemble(capsys, tmp_path / "b", *dirs, tmp_path)
    assert (code, err) == (1, f"assemble_bundle.py: error: {tmp_path / 'export.json'}: not found ({tmp_path} is not "
                              "an export_checkpoint.py --out folder)\n")


def test_the_command_line_runs_as_documented(checkpoints, tmp_path):
    """One real process: exit code and a single stderr line for a MelGAN file given as HiFi-GAN."""
    run = subprocess.run([sys.executable, str(TOOLS / "export_checkpoint.py"), "hifigan", "--checkpoint",
                          str(checkpoints["melgan"]), "--license", "MIT", "--out", str(tmp_path)],
                         capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [f"export_checkpoint.py: error: {checkpoints['melgan']}: not a HiFi-GAN "
                                       "generator checkpoint: no 'generator' entry, keys model (a MelGAN generator? "
                                       "use the melgan kind)"]


def test_committed_fixture_is_what_the_cli_writes(tmp_path, monkeypatch):
    """Seeded, single-threaded export is byte-for-byte reproducible, so the committed fixture must be current."""
    monkeypatch.setattr(sys, "argv", ["make_exported_fixture.py", str(tmp_path)])
    assert make_exported_fixture.main() == 0
    for folder in ("bundles/exported-small", "vocoders"):
        committed = sorted(p.name for p in (REPO / "tests/fixtures" / folder).iterdir())
        assert sorted(p.name for p in (tmp_path / "tests/fixtures" / folder).iterdir()) == committed
        for name in committed:
            assert (tmp_path / "tests/fixtures" / folder / name).read_bytes() == \
                (REPO / "tests/fixtures" / folder / name).read_bytes(), f"{folder}/{name}: run tools/make_exported_fixture.py"


@pytest.mark.full_size_export
def test_paper_size_transformer_exports_the_contract(tmp_path, capsys):
    """MAE-large encoder (1024 wide, 24 blocks, 16 heads) and 512 x 8 decoder: ~1.2 GB of ONNX."""
    code, _ = export(capsys, "transformer", "--random-weights", "--out", tmp_path)
    sidecar = json.loads((tmp_path / "export.json").read_text())
    model = onnx.load(str(tmp_path / "transformer.onnx"), load_external_data=False)
    assert code == 0 and sidecar["config"]["width"] == 1024 and sidecar["config"]["depth"] == 24
    assert graph_signature(model) == (
        [Tensor("audio_tokens", "int64", ("batch", 265)), Tensor("image_tokens", "int64", ("batch", 256))],
        [Tensor("audio_logits", "float32", ("batch", 265, 1024)), Tensor("image_logits", "float32", ("batch", 256, 1024))])
    assert (tmp_path / "transformer.onnx").stat().st_size > 1.1e9


@pytest.mark.parametrize("sampling, message", [
    ({"steps": 30, "temperature": 9, "guidance": 3, "guidanceSpace": "softmax"},
     "sampling.guidanceSpace: must be one of logits, probabilities, got 'softmax'"),
    ({"steps": 30, "temperature": 9, "guidance": 3, "modes": {"imageToAudio": {"guidanceSpace": "logits"}}},
     "sampling.modes.imageToAudio: unknown sampling field(s) ['guidanceSpace']"),
])
def test_a_guidance_space_is_one_of_two_and_set_for_the_whole_bundle(sampling, message):
    with pytest.raises(ValueError) as error:
        check_sampling(sampling)
    assert str(error.value) == message
