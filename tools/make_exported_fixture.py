#!/usr/bin/env python3
"""Writes tests/fixtures/bundles/exported-small with the checkpoint CLIs, and the vocoder reference outputs.

  /usr/bin/python3 tools/make_exported_fixture.py [repo-root]

The bundle is what a user gets from tools/export_checkpoint.py and tools/assemble_bundle.py, made from the small
random-weight variants of every kind (image VQGAN, SpecVQGAN codebook, MelGAN as vocoder, transformer with its CUDA
graphs: fused attention, float16, audio-only), seeded and single-threaded, so a rerun gives the same bytes. tests/fixtures/vocoders/ holds a small HiFi-GAN export and
reference.json: PyTorch outputs of both vocoders for a fixed mel, which the C# tests compare ONNX Runtime against.
"""
import pathlib
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import torch  # noqa: E402

import assemble_bundle  # noqa: E402
import export_checkpoint  # noqa: E402
from echo_tools.checkpoints import vocoders  # noqa: E402
from echo_tools.tiny import write_json  # noqa: E402

SEED = 9
COMMAND = "/usr/bin/python3 tools/make_exported_fixture.py"
KINDS = ("image-vqgan", "audio-vqgan", "melgan", "transformer")
REFERENCE_SAMPLES = 64  # waveform positions stored per row (plus sum and sum of |x| over the whole row)


def reference_mel(batch: int = 2) -> torch.Tensor:
    """0.5 + 0.5 sin(0.11 f + 0.013 t + 0.5 b): the formula the C# test recomputes."""
    b, f, t = torch.meshgrid(torch.arange(batch, dtype=torch.float64), torch.arange(80, dtype=torch.float64),
                             torch.arange(848, dtype=torch.float64), indexing="ij")
    return (0.5 + 0.5 * torch.sin(0.11 * f + 0.013 * t + 0.5 * b)).float()


def export(kind: str, out: pathlib.Path) -> pathlib.Path:
    extra = ["--variants", "cuda"] if kind == "transformer" else []  # the engine's variant tests load them on the CPU
    if export_checkpoint.main([kind, "--random-weights", "--small", "--seed", str(SEED), *extra, "--out", str(out)]) != 0:
        raise SystemExit(f"export of {kind} failed")
    return out


def vocoder_reference(kind: str, file: str) -> dict:
    """Rebuilds the vocoder exactly as export_checkpoint.py did (same seed) and records its output."""
    torch.manual_seed(SEED)
    vocoder = vocoders.BundleVocoder(vocoders.random_generator(kind, small=True), kind)
    with torch.no_grad():
        waveform = vocoder(reference_mel()).double()
    index = torch.linspace(0, waveform.shape[1] - 1, REFERENCE_SAMPLES).round().long()
    return {"file": file, "kind": kind, "index": index.tolist(),
            "values": [[round(float(v), 7) for v in row[index]] for row in waveform],
            "sum": [round(float(row.sum()), 5) for row in waveform],
            "abs_sum": [round(float(row.abs().sum()), 5) for row in waveform]}


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[1])
    torch.set_num_threads(1)
    bundle = root / "tests/fixtures/bundles/exported-small"
    vocoder_dir = root / "tests/fixtures/vocoders"
    with tempfile.TemporaryDirectory() as work:
        dirs = [str(export(kind, pathlib.Path(work) / kind)) for kind in KINDS]
        hifigan = export("hifigan", pathlib.Path(work) / "hifigan")
        if assemble_bundle.main([
                "--id", "exported-small", "--out", str(bundle), "--command", COMMAND,
                "--description", "Small random-weight variants of the taming VQGAN, the SpecVQGAN codebook, "
                                 "SpecVQGAN's MelGAN and the Visual Echoes transformer, exported and assembled by "
                                 "tools/export_checkpoint.py and tools/assemble_bundle.py (tests only).",
                "--data", "none (random weights)", *dirs]) != 0:
            raise SystemExit("assembling failed")
        vocoder_dir.mkdir(parents=True, exist_ok=True)
        (vocoder_dir / "hifigan-small.onnx").write_bytes((hifigan / "vocoder.onnx").read_bytes())
    reference = {
        "mel": "0.5 + 0.5*sin(0.11*f + 0.013*t + 0.5*b), b < 2, f < 80, t < 848 (float64, then float32)",
        "tolerance": {"abs": 1e-4, "sum_rel": 1e-4},
        "vocoders": [vocoder_reference("melgan", "bundles/exported-small/vocoder.onnx"),
                     vocoder_reference("hifigan", "vocoders/hifigan-small.onnx")],
    }
    write_json(vocoder_dir / "reference.json", reference)
    for path in sorted([*bundle.iterdir(), *vocoder_dir.iterdir()]):
        print(f"{path.stat().st_size:>9}  {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
