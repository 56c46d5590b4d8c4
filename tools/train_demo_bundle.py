#!/usr/bin/python3
"""Rebuilds models/echo-demo from scratch: synthetic world -> tokenizers -> vocoder, transformer -> ONNX bundle + eval set.

  /usr/bin/python3 tools/train_demo_bundle.py [--work /tmp/echo-demo-build] [--out models/echo-demo]

Stages cache their results in --work (tokens.npz, codecs.pt, vocoder.pt, transformer.pt); a rerun resumes from the
first missing one (--fresh starts over). Runs on 2 CPU threads; see docs in tools/echo_tools/demo.py.

  /usr/bin/python3 tools/train_demo_bundle.py --vocoder-only [--out models/echo-demo]

trains only the vocoder, against the audio codec of the bundle already in --out, and writes it into that bundle
(vocoder.onnx, the manifest's components.vocoder, description and provenance); the rest of the bundle is unchanged.
"""
import argparse
import pathlib
import shutil
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import torch  # noqa: E402

from echo_tools import demo  # noqa: E402

COMMAND = "/usr/bin/python3 tools/train_demo_bundle.py"


def main() -> int:
    root = pathlib.Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=pathlib.Path, default=pathlib.Path("/tmp/echo-demo-build"))
    parser.add_argument("--out", type=pathlib.Path, default=root / "models" / "echo-demo")
    parser.add_argument("--samples", type=int, default=2000, help="training pairs")
    parser.add_argument("--fit", type=int, default=500, help="pairs the codebooks are fitted on")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--eval-per-cell", type=int, default=2, help="held-out samples per (class, pattern)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--vocoder-only", action="store_true", help="train a vocoder into the bundle in --out")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    started = time.time()
    if args.fresh and args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.vocoder_only:
        demo.add_vocoder(args.work, args.out, COMMAND + " --vocoder-only", args.samples, demo.SEED)
        demo.log(f"vocoder written into {args.out} in {(time.time() - started) / 60:.1f} min")
        return 0
    if not (args.work / "tokens.npz").exists():
        demo.build_tokens(args.work, args.samples, args.fit, demo.SEED)
    if not (args.work / "vocoder.pt").exists():
        demo.train_vocoder(args.work, demo.VOCODER_CLIPS, args.samples, demo.SEED)
    if not (args.work / "transformer.pt").exists():
        demo.train_transformer(args.work, demo.PHASES, args.batch, demo.SEED)
    # Written next to --out and then swapped in, so the CLI (which defaults to models/echo-demo) never sees half a bundle.
    staging = args.out.with_name(args.out.name + ".staging")
    if staging.exists():
        shutil.rmtree(staging)
    demo.export(args.work, staging, COMMAND, demo.SEED, args.samples, demo.PHASES)
    demo.write_eval_set(staging / "eval", demo.SEED, args.eval_per_cell)
    if args.out.exists():
        shutil.rmtree(args.out)
    staging.rename(args.out)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    demo.log(f"bundle {args.out} ({size / 1e6:.1f} MB) in {(time.time() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
