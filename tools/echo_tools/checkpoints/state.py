"""Loading a published checkpoint into a module with strict key matching and errors that name the file.

A .ckpt is a pickle (torch.load runs its reducers): load only checkpoints from sources you trust.
"""
import importlib.abc
import importlib.util
import pathlib
import sys
import types

import torch

SHOWN = 5  # keys listed per kind of mismatch


class _Missing(dict):
    """Stands in for a class of a package that is not installed (Lightning's callbacks and hyper-parameter dicts
    in a .ckpt): only the tensors are needed, so reading a checkpoint must not require the training stack."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def __setstate__(self, state):
        self.state = state


class _StandInLoader(importlib.abc.Loader):
    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []  # a package, so that its submodules resolve too
        module.__getattr__ = lambda name: _Missing
        return module

    def exec_module(self, module):
        pass


class _StandInFinder(importlib.abc.MetaPathFinder):
    """Consulted after every real finder, so only modules that cannot be imported get a stand-in."""

    def find_spec(self, fullname, path, target=None):
        return importlib.util.spec_from_loader(fullname, _StandInLoader())


def _load_without_missing_packages(checkpoint: pathlib.Path):
    """torch.load with stand-ins for unimportable modules; they are removed from sys.modules afterwards.
    (torch 1.13 ignores a custom pickle_module unless weights_only, which refuses such classes.)"""
    finder = _StandInFinder()
    sys.meta_path.append(finder)
    try:
        return torch.load(str(checkpoint), map_location="cpu")
    finally:
        sys.meta_path.remove(finder)
        for name in [n for n, m in sys.modules.items() if isinstance(getattr(m, "__loader__", None), _StandInLoader)]:
            del sys.modules[name]


def load_file(checkpoint: pathlib.Path):
    """torch.load on the CPU, also for Lightning files whose training packages are not installed; ValueError naming
    the file when it is missing or not a PyTorch checkpoint."""
    checkpoint = pathlib.Path(checkpoint)
    if not checkpoint.is_file():
        raise ValueError(f"{checkpoint}: checkpoint file not found")
    try:
        try:
            return torch.load(str(checkpoint), map_location="cpu")
        except ModuleNotFoundError:
            return _load_without_missing_packages(checkpoint)
    except Exception as error:  # noqa: BLE001 - torch raises many kinds for a file that is not a checkpoint
        raise ValueError(f"{checkpoint}: not a PyTorch checkpoint ({type(error).__name__}: {error})") from error


def read_state_dict(checkpoint: pathlib.Path, drop_prefixes: tuple = ()) -> dict:
    """Tensors of a Lightning .ckpt ({"state_dict": ...}) or of a plain state dict, without `drop_prefixes`."""
    data = load_file(checkpoint)
    state = data.get("state_dict", data) if isinstance(data, dict) else None
    if not isinstance(state, dict) or not state or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ValueError(f"{checkpoint}: holds no state dict (expected a dict of tensors or a Lightning "
                         "checkpoint with 'state_dict')")
    return {k: v for k, v in state.items() if not k.startswith(tuple(drop_prefixes))}


def load_state(model: torch.nn.Module, checkpoint: pathlib.Path, drop_prefixes: tuple = ()) -> None:
    """Strictly loads `checkpoint` into `model` after dropping training-only keys."""
    strict_load(model, read_state_dict(checkpoint, drop_prefixes), checkpoint)


def strict_load(module: torch.nn.Module, state: dict, source: pathlib.Path) -> None:
    """load_state_dict(strict=True), first checked so the ValueError names `source` and the first missing,
    unexpected and mis-shaped keys (a refused load leaves the module unchanged)."""
    expected = module.state_dict()
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    shapes = [f"{k} {tuple(state[k].shape)} (model {tuple(v.shape)})"
              for k, v in expected.items() if k in state and state[k].shape != v.shape]
    problems = [f"{label} ({len(keys)}): {', '.join(keys[:SHOWN])}{', ...' if len(keys) > SHOWN else ''}"
                for label, keys in (("missing keys", missing), ("unexpected keys", unexpected),
                                    ("shape mismatches", shapes)) if keys]
    if problems:
        raise ValueError(f"{source}: does not fit {type(module).__name__}; " + "; ".join(problems))
    module.load_state_dict(state, strict=True)
