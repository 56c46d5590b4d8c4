#!/usr/bin/env python3
"""Exports one checkpoint into bundle components plus a sidecar (export.json) for tools/assemble_bundle.py.

  /usr/bin/python3 tools/export_checkpoint.py KIND --checkpoint PATH --license TEXT --out DIR
  /usr/bin/python3 tools/export_checkpoint.py KIND --random-weights [--small] [--seed N] --out DIR

KIND             checkpoint                                    writes
image-vqgan      taming vqgan_imagenet_f16_1024 last.ckpt      image_encoder.onnx, image_decoder.onnx
audio-vqgan      SpecVQGAN VGGSound codebook last.ckpt         audio_encoder.onnx, audio_decoder.onnx
melgan           SpecVQGAN vocoder best_netG.pt                vocoder.onnx
hifigan          HiFi-GAN generator g_* ({"generator": ...})   vocoder.onnx
transformer      Visual Echoes transformer.pt (echo_tools)     transformer.onnx [+ --variants cuda: fused fp16 graphs]

The sidecar states the components' manifest entries, token grids and codebooks, the license statement and where
the weights came from (checkpoint file name and SHA-256, or the seed of random weights). See docs/models.md.
"""
import argparse
import json
import pathlib
import shlex
import sys
from dataclasses import asdict, replace

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import torch  # noqa: E402

from echo_tools import gpu_export  # noqa: E402
from echo_tools.checkpoints import paper_transformer, vocoders, vqgan  # noqa: E402
from echo_tools.export import sha256  # noqa: E402
from echo_tools.manifest import PAPER_AUDIO  # noqa: E402
from echo_tools.transformer import VisualEchoesTransformer  # noqa: E402

SIDECAR = "export.json"
KINDS = ("image-vqgan", "audio-vqgan", "melgan", "hifigan", "transformer")
RANDOM_LICENSE = "MIT (random weights made by tools/export_checkpoint.py)"


def grid(text: str) -> tuple:
    rows, _, cols = text.partition("x")
    try:
        return int(rows), int(cols)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not ROWSxCOLS (e.g. 5x53)") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="export_checkpoint.py", description=__doc__.split("\n\n")[0])
    kinds = p.add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind in KINDS:
        k = kinds.add_parser(kind)
        source = k.add_mutually_exclusive_group(required=True)
        source.add_argument("--checkpoint", type=pathlib.Path, help="the checkpoint file")
        source.add_argument("--random-weights", action="store_true", help="seeded random weights (tests, fixtures)")
        k.add_argument("--small", action="store_true", help="the narrow test variant (same grids and lengths); a VQGAN checkpoint of it needs the flag too, "
                       "vocoder and transformer widths are read off the checkpoint")
        k.add_argument("--seed", type=int, default=0, help="seed of --random-weights")
        k.add_argument("--license", help="the checkpoint's own license statement (required with --checkpoint)")
        k.add_argument("--out", type=pathlib.Path, required=True, help="folder for the ONNX file(s) and export.json")
        if kind == "transformer":
            k.add_argument("--audio-grid", type=grid, default=(5, 53), help="ROWSxCOLS of the audio tokens")
            k.add_argument("--image-grid", type=grid, default=(16, 16), help="ROWSxCOLS of the image tokens")
            k.add_argument("--heads", type=int, help="encoder heads when the checkpoint stores no config")
            k.add_argument("--decoder-heads", type=int, help="decoder heads when the checkpoint stores no config")
            k.add_argument("--variants", choices=("cuda",), help="also write the CUDA variants: fused attention "
                           "(com.microsoft MultiHeadAttention), fp16 weights, float32 logits, and an image->audio "
                           "graph without image logits (docs/models.md, Variants)")
    return p


def export_vqgan(args) -> tuple:
    model = (vqgan.image_vqgan if args.kind == "image-vqgan" else vqgan.spec_vqgan)(args.small)
    if args.checkpoint:
        vqgan.load_state(model, args.checkpoint)
    model.eval()
    export = vqgan.export_image_codec if args.kind == "image-vqgan" else vqgan.export_audio_codec
    modality = "image" if args.kind == "image-vqgan" else "audio"
    facts = {"tokens": {modality: {"grid": list(model.config.grid), "codebookSize": model.config.n_embed}}}
    return export(model, args.out), facts


def export_vocoder(args) -> tuple:
    if args.checkpoint:
        generator = vocoders.load_vocoder(args.checkpoint, args.kind)
    else:
        generator = vocoders.random_generator(args.kind, args.small)
    width = vocoders.checkpoint_width(generator.state_dict(), args.kind)
    facts = {"vocoder": {"kind": args.kind, "width": width, "melBins": PAPER_AUDIO["melBins"],
                         "frames": PAPER_AUDIO["frames"], "samples": PAPER_AUDIO["samples"],
                         "input": ("bundle mel x in [0,1] as is" if args.kind == "melgan"
                                   else "ln(mel) = ln(10)/20 * (dbMin + x*(dbMax-dbMin))")}}
    return vocoders.export_vocoder(vocoders.BundleVocoder(generator, args.kind), args.out), facts


def export_transformer(args) -> tuple:
    if args.checkpoint:
        model = paper_transformer.load_transformer(args.checkpoint, args.audio_grid, args.image_grid,
                                                   args.heads, args.decoder_heads)
    else:
        base = paper_transformer.SMALL if args.small else paper_transformer.PAPER
        model = VisualEchoesTransformer(replace(base, audio_tokens=args.audio_grid[0] * args.audio_grid[1],
                                                image_tokens=args.image_grid[0] * args.image_grid[1])).eval()
    c = model.config
    for name, g, length in (("audio", args.audio_grid, c.audio_tokens), ("image", args.image_grid, c.image_tokens)):
        if g[0] * g[1] != length:
            raise ValueError(f"--{name}-grid {g[0]}x{g[1]} has {g[0] * g[1]} positions; the transformer has {length}")
    tokens = paper_transformer.tokens_of(c, args.audio_grid, args.image_grid).to_json()
    facts = {"tokens": {m: {"grid": tokens[m]["grid"], "codebookSize": tokens[m]["codebookSize"]}
                        for m in ("audio", "image")},
             "config": asdict(c)}
    components = paper_transformer.export_transformer(model, args.out, args.audio_grid, args.image_grid)
    if args.variants == "cuda":
        facts["variants"] = gpu_export.export_cuda_variants(
            model, args.out, paper_transformer.tokens_of(c, args.audio_grid, args.image_grid))
    return components, facts


def recorded_command(argv: list) -> str:
    """The command without --out and with the checkpoint's file name only, so provenance is path-independent."""
    words, skip = [], False
    for i, word in enumerate(argv):
        if skip:
            skip = False
            continue
        if word == "--out":
            skip = True
        elif word.startswith("--out="):
            continue
        elif i > 0 and argv[i - 1] == "--checkpoint":
            words.append(pathlib.Path(word).name)
        else:
            words.append(word)
    return shlex.join(["tools/export_checkpoint.py", *words])


def run(argv: list) -> pathlib.Path:
    args = parser().parse_args(argv)
    if args.checkpoint and not args.license:
        parser().error("--license is required with --checkpoint (the checkpoint's own license statement)")
    torch.set_num_threads(min(2, torch.get_num_threads()))
    torch.manual_seed(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    export = {"image-vqgan": export_vqgan, "audio-vqgan": export_vqgan, "melgan": export_vocoder,
              "hifigan": export_vocoder, "transformer": export_transformer}[args.kind]
    components, facts = export(args)
    source = ({"checkpoint": args.checkpoint.name, "sha256": sha256(args.checkpoint)} if args.checkpoint
              else {"randomWeights": True, "seed": args.seed, "small": args.small})
    sidecar = {"kind": args.kind, "components": components, **facts,
               "license": args.license or RANDOM_LICENSE, "source": source, "command": recorded_command(argv)}
    path = args.out / SIDECAR
    path.write_text(json.dumps(sidecar, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: list | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        path = run(argv)
    except ValueError as error:
        print(f"export_checkpoint.py: error: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
