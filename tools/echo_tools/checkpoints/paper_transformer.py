"""A trained Visual Echoes transformer (echo_tools.transformer) from its checkpoint to transformer.onnx, at any size.

The checkpoint format is the module's own state dict: what tools/echo_tools/demo.py saves as transformer.pt
(a TrainableTransformer state dict: the same keys, mask embedding included), or {"config": TransformerConfig
fields, "model": state dict} as save_checkpoint writes it. Widths, depths and
codebooks are read off the weights; the split of the positions into audio and image tokens and the head counts
are not in the weights, so they come from the stored config, from the caller, or from the paper (grids 5x53 and
16x16; 16 heads for the MAGE-large widths 1024/1024).
"""
import pathlib
from dataclasses import asdict, fields

import torch

from ..export import export_component
from ..manifest import Tokens, contracts
from ..transformer import TransformerConfig, VisualEchoesTransformer
from .state import load_file, strict_load
from .vocoders import describe_keys

PAPER = TransformerConfig()
SMALL = TransformerConfig(width=32, decoder_width=16, heads=2, decoder_heads=2, depth=2, decoder_depth=1)


def save_checkpoint(model: VisualEchoesTransformer, path: pathlib.Path) -> None:
    """Weights plus the config, so nothing has to be inferred or passed when exporting."""
    torch.save({"config": asdict(model.config), "model": model.state_dict()}, str(path))


def read_checkpoint(checkpoint: pathlib.Path) -> tuple:
    """(state dict, stored config dict or None); ValueError naming the file."""
    data = load_file(checkpoint)
    if not isinstance(data, dict):
        raise ValueError(f"{checkpoint}: holds a {type(data).__name__}, not a state dict")
    config = data.get("config") if "model" in data else None
    state = data["model"] if "model" in data else data
    if not isinstance(state, dict) or "audio_embedding.weight" not in state:
        raise ValueError(f"{checkpoint}: not a Visual Echoes transformer (no audio_embedding.weight; "
                         f"{describe_keys(state) if isinstance(state, dict) else type(state).__name__})")
    return state, config


def infer_config(state: dict, audio_grid: tuple = (5, 53), image_grid: tuple = (16, 16),
                 heads: int | None = None, decoder_heads: int | None = None) -> TransformerConfig:
    """The config the weights were trained with; raises when the grids or heads cannot fit them."""
    audio_rows, width = state["audio_embedding.weight"].shape
    positions = state["position"].shape[1]
    decoder_width = state["to_decoder.weight"].shape[0]
    if audio_grid[0] * audio_grid[1] + image_grid[0] * image_grid[1] != positions:
        raise ValueError(f"the checkpoint has {positions} positions; audio grid {audio_grid} and image grid "
                         f"{image_grid} give {audio_grid[0] * audio_grid[1] + image_grid[0] * image_grid[1]}")
    if heads is None or decoder_heads is None:
        if (width, decoder_width) != (PAPER.width, PAPER.decoder_width):
            raise ValueError(f"head counts cannot be read off the weights (width {width}, decoder width "
                             f"{decoder_width}); pass --heads and --decoder-heads")
        heads, decoder_heads = heads or PAPER.heads, decoder_heads or PAPER.decoder_heads
    return TransformerConfig(
        audio_tokens=audio_grid[0] * audio_grid[1], image_tokens=image_grid[0] * image_grid[1],
        audio_codebook=audio_rows - 1, image_codebook=state["image_embedding.weight"].shape[0] - 1,
        width=width, decoder_width=decoder_width, heads=heads, decoder_heads=decoder_heads,
        depth=len({k.split(".")[1] for k in state if k.startswith("encoder.")}),
        decoder_depth=len({k.split(".")[1] for k in state if k.startswith("decoder.")}))


def load_transformer(checkpoint: pathlib.Path, audio_grid: tuple = (5, 53), image_grid: tuple = (16, 16),
                     heads: int | None = None, decoder_heads: int | None = None) -> VisualEchoesTransformer:
    """The checkpoint's transformer, strictly loaded (a stored config wins over the arguments)."""
    state, stored = read_checkpoint(checkpoint)
    try:
        if stored is not None:
            known = {f.name for f in fields(TransformerConfig)}
            config = TransformerConfig(**{k: tuple(v) if isinstance(v, list) else v
                                          for k, v in stored.items() if k in known})
        else:
            config = infer_config(state, audio_grid, image_grid, heads, decoder_heads)
        if config.width % config.heads or config.decoder_width % config.decoder_heads:
            raise ValueError(f"heads {config.heads}/{config.decoder_heads} do not divide widths "
                             f"{config.width}/{config.decoder_width}")
    except ValueError as error:
        raise ValueError(f"{checkpoint}: {error}") from error
    model = VisualEchoesTransformer(config)
    strict_load(model, state, checkpoint)
    return model.eval()


def tokens_of(config: TransformerConfig, audio_grid: tuple, image_grid: tuple) -> Tokens:
    return Tokens(audio_grid=tuple(audio_grid), image_grid=tuple(image_grid),
                  audio_codebook=config.audio_codebook, image_codebook=config.image_codebook)


def export_transformer(model: VisualEchoesTransformer, out_dir: pathlib.Path, audio_grid: tuple = (5, 53),
                       image_grid: tuple = (16, 16)) -> dict:
    """{"transformer": entry} for transformer.onnx in out_dir (ONNX's 2 GB protobuf limit: fine up to ~500M params)."""
    c = model.config
    example = (torch.full((1, c.audio_tokens), c.audio_codebook), torch.zeros(1, c.image_tokens, dtype=torch.long))
    spec = contracts(tokens_of(c, audio_grid, image_grid))["transformer"]
    return {"transformer": export_component(model, example, pathlib.Path(out_dir) / "transformer.onnx", *spec)}
