#!/usr/bin/env python3
"""Writes the tiny test bundle and the fixtures made from it (docs/bundle-format.md, "Making bundles").

  tests/fixtures/bundles/tiny/           bundle.json + six ONNX components (random weights, seeded)
  tests/fixtures/bundles/bad/            transformers that break the contract (loader tests)
  tests/fixtures/bundles/tiny-forward.json   PyTorch outputs for fixed inputs (ONNX Runtime must match)
  tests/fixtures/unmask/reference.json   reference guided-unmasking runs

Run with Debian's python (torch 1.13, onnx 1.12): /usr/bin/python3 tools/make_test_bundle.py [repo-root]
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from echo_tools import fixtures, tiny  # noqa: E402


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[1])
    bundles = root / "tests/fixtures/bundles"
    modules = tiny.build_modules()
    written = [tiny.export_bundle(bundles / "tiny", modules), *tiny.write_bad_transformers(bundles / "bad"),
               tiny.write_json(bundles / "tiny-forward.json", fixtures.forward_fixture(modules)),
               tiny.write_json(root / "tests/fixtures/unmask/reference.json",
                               fixtures.reference_fixture(modules["transformer"], "tests/fixtures/bundles/tiny"))]
    for path in written:
        print(f"{path.stat().st_size:>9}  {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
