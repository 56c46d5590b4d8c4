#!/usr/bin/env python3
"""Assembles a model bundle from folders written by tools/export_checkpoint.py (docs/models.md).

  /usr/bin/python3 tools/assemble_bundle.py --id ID --out BUNDLE --description TEXT --data TEXT
      [--steps N] [--temperature T] [--guidance S] [--guidance-space SPACE] [--mode MODE.FIELD=VALUE ...] DIR...

Reads each DIR/export.json, checks that the ONNX files are the exported ones (SHA-256), that every required
component (imageEncoder, transformer, audioDecoder) comes from exactly one folder and that the codecs' grids and
codebooks are the transformer's, then copies the files into BUNDLE and writes bundle.json with the provenance of
every part (command, checkpoint hash or seed, license). Without a vocoder the engine uses Griffin-Lim with the
manifest's parameters. Sampling defaults (N, T, s) are the paper's unless given: s = 3 for image->audio and, per
mode, no guidance for audio->image and co-generation (sampling.modes); --mode overrides one mode's field, e.g.
--mode imageToAudio.guidance=2. Guidance mixes probabilities as the paper's equation 2 writes it unless
--guidance-space logits asks for u + s(c - u) on logits. Measure your model on held-out pairs (e.g. `echopipe eval
--guidance ...` on a world-style set) before changing them.
"""
import argparse
import json
import pathlib
import re
import shlex
import shutil
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from echo_tools.export import sha256  # noqa: E402
from echo_tools.manifest import GUIDANCE_SPACES, MODES, PAPER_AUDIO, PAPER_SAMPLING, REQUIRED, Tokens, check_sampling, write_manifest  # noqa: E402

SIDECAR = "export.json"
EXPORTED_BY = {"imageEncoder": "image-vqgan", "imageDecoder": "image-vqgan", "audioEncoder": "audio-vqgan",
               "audioDecoder": "audio-vqgan", "transformer": "transformer", "vocoder": "melgan or hifigan"}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assemble_bundle.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--id", required=True, help="bundle id ([A-Za-z0-9._-]+)")
    p.add_argument("--out", type=pathlib.Path, required=True, help="bundle folder to write")
    p.add_argument("--description", required=True)
    p.add_argument("--data", required=True, help="what the models were trained on (provenance.data)")
    p.add_argument("--command", help="provenance.command to record (default: this command line)")
    p.add_argument("--steps", type=int, default=PAPER_SAMPLING["steps"], help="default unmasking steps N (paper: 30)")
    p.add_argument("--temperature", type=float, default=PAPER_SAMPLING["temperature"],
                   help="default choice temperature T (paper: 9)")
    p.add_argument("--guidance", type=float, default=PAPER_SAMPLING["guidance"],
                   help="default classifier-free guidance scale s (paper: 3; 1 = none)")
    p.add_argument("--guidance-space", choices=GUIDANCE_SPACES, default="probabilities",
                   help="where guidance mixes the conditional and unconditional predictions (paper: probabilities)")
    p.add_argument("--mode", action="append", default=[], type=mode_override, metavar="MODE.FIELD=VALUE",
                   help=f"a per-mode sampling default; MODE one of {', '.join(MODES)}, FIELD steps, temperature or "
                        "guidance (paper: audioToImage.guidance=1, coGeneration.guidance=1)")
    p.add_argument("exports", nargs="+", type=pathlib.Path, metavar="DIR", help="export_checkpoint.py --out folders")
    return p


def mode_override(text: str) -> tuple:
    """'audioToImage.guidance=1' -> ('audioToImage', 'guidance', 1.0); steps stay integers."""
    target, _, value = text.partition("=")
    mode, _, field = target.partition(".")
    if mode not in MODES or field not in ("steps", "temperature", "guidance") or not value:
        raise argparse.ArgumentTypeError(f"{text!r} is not MODE.FIELD=VALUE with MODE one of {', '.join(MODES)} "
                                         "and FIELD steps, temperature or guidance")
    try:
        return mode, field, int(value) if field == "steps" else float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: {value!r} is not a number") from None


def sampling_of(args) -> dict:
    modes = {mode: dict(values) for mode, values in PAPER_SAMPLING["modes"].items()}
    for mode, field, value in args.mode:
        modes.setdefault(mode, {})[field] = value
    return check_sampling({"steps": args.steps, "temperature": args.temperature, "guidance": args.guidance,
                           "modes": {m: modes[m] for m in MODES if m in modes}, "guidanceSpace": args.guidance_space})


def read_export(folder: pathlib.Path) -> dict:
    path = folder / SIDECAR
    if not path.is_file():
        raise ValueError(f"{path}: not found ({folder} is not an export_checkpoint.py --out folder)")
    try:
        part = json.loads(path.read_text(encoding="utf-8"))
        kind, components = part["kind"], part["components"]
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not an export sidecar ({type(error).__name__}: {error})") from error
    variants = [(f"variant {v.get('name')}", v) for entries in part.get("variants", {}).values() for v in entries]
    for key, entry in [*components.items(), *variants]:
        file = folder / entry["file"]
        if not file.is_file():
            raise ValueError(f"{path}: component {key} names {entry['file']}, which is not in {folder}")
        if sha256(file) != entry["sha256"]:
            raise ValueError(f"{file}: SHA-256 {sha256(file)} differs from {entry['sha256']} in {path} "
                             "(changed after export)")
    return {**part, "folder": folder, "kind": kind}


def check_tokens(parts: list) -> Tokens:
    """The transformer's token layout; every codec must have the same grid and codebook for its modality."""
    transformer = next(p for p in parts if "transformer" in p["components"])
    expected = transformer["tokens"]
    for part in parts:
        for modality, facts in part.get("tokens", {}).items():
            if part is not transformer and facts != expected[modality]:
                raise ValueError(
                    f"inconsistent codebooks: {part['kind']} in {part['folder']} has {modality} grid "
                    f"{facts['grid']}, codebook {facts['codebookSize']}; the transformer in {transformer['folder']} "
                    f"expects grid {expected[modality]['grid']}, codebook {expected[modality]['codebookSize']}")
    vocoder = next((p["vocoder"] for p in parts if "vocoder" in p), None)
    if vocoder and (vocoder["melBins"], vocoder["frames"], vocoder["samples"]) != (
            PAPER_AUDIO["melBins"], PAPER_AUDIO["frames"], PAPER_AUDIO["samples"]):
        raise ValueError(f"the vocoder takes {vocoder['melBins']}x{vocoder['frames']} mels to {vocoder['samples']} "
                         f"samples; the bundle's audio is {PAPER_AUDIO['melBins']}x{PAPER_AUDIO['frames']}")
    return Tokens(audio_grid=tuple(expected["audio"]["grid"]), image_grid=tuple(expected["image"]["grid"]),
                  audio_codebook=expected["audio"]["codebookSize"], image_codebook=expected["image"]["codebookSize"])


def combined_license(parts: list) -> str:
    """One statement when all parts share it, else each part's statement after the components it covers."""
    licenses = {}
    for part in parts:
        licenses.setdefault(part["license"], []).extend(part["components"])
    if len(licenses) == 1:
        return next(iter(licenses))
    return "; ".join(f"{', '.join(keys)}: {text}" for text, keys in licenses.items())


def assemble(args) -> pathlib.Path:
    if not re.fullmatch(r"[A-Za-z0-9._-]+", args.id):
        raise ValueError(f"--id {args.id!r}: only letters, digits, '.', '_' and '-'")
    if args.steps < 1 or not args.temperature >= 0 or not args.guidance >= 0:
        raise ValueError(f"sampling defaults --steps {args.steps} --temperature {args.temperature} --guidance "
                         f"{args.guidance}: steps must be at least 1, temperature and guidance at least 0")
    sampling = sampling_of(args)
    parts = [read_export(folder) for folder in args.exports]
    components, origin = {}, {}
    for part in parts:
        for key, entry in part["components"].items():
            if key in components:
                raise ValueError(f"component {key} comes from both {origin[key]} and {part['folder']}")
            components[key], origin[key] = entry, part["folder"]
    missing = [k for k in REQUIRED if k not in components]
    if missing:
        raise ValueError("missing required component " + ", ".join(
            f"{k} (export_checkpoint.py {EXPORTED_BY[k]})" for k in missing))
    tokens = check_tokens(parts)
    args.out.mkdir(parents=True, exist_ok=True)
    for key, entry in components.items():
        shutil.copyfile(origin[key] / entry["file"], args.out / entry["file"])
    variants = {}
    for part in parts:
        for key, entries in part.get("variants", {}).items():
            for entry in entries:
                shutil.copyfile(part["folder"] / entry["file"], args.out / entry["file"])
            variants.setdefault(key, []).extend(entries)
    seeds = {p["source"].get("seed") for p in parts}
    provenance = {
        "command": args.command or shlex.join(["tools/assemble_bundle.py", *args.argv]),
        **({"seed": seeds.pop()} if len(seeds) == 1 and None not in seeds else {}),
        "data": args.data,
        "parts": [{"kind": p["kind"], "components": list(p["components"]), "license": p["license"],
                   "source": p["source"], "command": p["command"]} for p in parts],
    }
    return write_manifest(args.out, bundle_id=args.id, description=args.description, license=combined_license(parts),
                          provenance=provenance, tokens=tokens, components=components,
                          sampling=sampling, variants=variants)


def main(argv: list | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv)
    args.argv = argv
    try:
        path = assemble(args)
    except ValueError as error:
        print(f"assemble_bundle.py: error: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
