"""Modules reproducing published checkpoints (parameter names as in their state dicts) and their bundle export."""
from .state import load_state as load_checkpoint_state, read_state_dict
from .vqgan import (VQGANConfig, VQModel, export_audio_codec, export_image_codec, image_vqgan, load_state,
                    spec_vqgan)

__all__ = ["VQGANConfig", "VQModel", "export_audio_codec", "export_image_codec", "image_vqgan", "load_state",
           "load_checkpoint_state", "read_state_dict", "spec_vqgan"]
