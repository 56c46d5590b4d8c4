"""Fixtures computed with the PyTorch modules of the tiny bundle, for the C# tests.

tiny-forward.json: each component's outputs for fixed inputs (ONNX Runtime must agree).
unmask/reference.json: guided unmasking runs with injected randomness (the engine must agree exactly).
"""
import math

import numpy as np
import torch

from .tiny import TOKENS, example_inputs
from .unmask import unmask

# ONNX Runtime's float32 logits differ from PyTorch's in the last bits (at most 3.4e-6 on the tiny bundle's
# transformer, tests/EchoPipeline.Engine.Tests/Bundles/TinyBundleForwardTests). Draws with a decision that a logit
# error of RAW_LOGIT_ERROR, amplified by guidance, could flip are redrawn, so the expected tokens hold for any
# faithful implementation running the exported model.
RAW_LOGIT_ERROR = 2.5e-5
FORMULAS = {
    "imageEncoder": "image[b,c,y,x] = (float)(sin(0.05*x + 0.9*c + 0.3*b) * cos(0.07*y)), computed in float64",
    "audioEncoder": "mel[b,f,t] = (float)sin(0.11*f + 0.013*t + 0.5*b), computed in float64",
    "vocoder": "mel[b,f,t] = (float)(0.5 + 0.5*sin(0.11*f + 0.013*t + 0.5*b)), computed in float64",
}


def _summary(values: torch.Tensor, samples: int, seed: int) -> dict:
    """Sampled elements (flat index, value) plus sum and sum of |x| of a float tensor."""
    flat = values.detach().double().flatten()
    index = np.sort(np.random.default_rng(seed).choice(flat.numel(), size=samples, replace=False))
    return {"shape": list(values.shape), "sum": float(flat.sum()), "abs_sum": float(flat.abs().sum()),
            "index": index.tolist(), "values": [float(flat[i]) for i in index]}


def forward_fixture(modules: dict) -> dict:
    out = {"description": "PyTorch outputs of the tiny bundle's components for fixed inputs (batch 2).",
           "tolerance": {"abs": 1e-4, "sum_rel": 1e-4}, "components": {}}
    with torch.no_grad():
        for key, module in modules.items():
            inputs = example_inputs(key)
            result = module(*inputs)
            entry = {}
            if key in FORMULAS:
                entry["input_formula"] = FORMULAS[key]
            else:
                names = ["audio_tokens", "image_tokens"] if key == "transformer" else [
                    "audio_tokens" if key == "audioDecoder" else "image_tokens"]
                entry["inputs"] = {n: t.tolist() for n, t in zip(names, inputs)}
            if key in ("imageEncoder", "audioEncoder"):
                nearest_two = module.distances(*inputs).topk(2, dim=-1, largest=False).values
                entry["min_margin"] = float((nearest_two[..., 1] - nearest_two[..., 0]).min())
                entry["outputs"] = {"image_tokens" if key == "imageEncoder" else "audio_tokens": result.tolist()}
            elif key == "transformer":
                entry["outputs"] = {"audio_logits": _summary(result[0], 1024, 1),
                                    "image_logits": _summary(result[1], 1024, 2)}
            else:
                name = {"audioDecoder": "mel", "imageDecoder": "image", "vocoder": "waveform"}[key]
                entry["outputs"] = {name: _summary(result, 256, 3)}
            out["components"][key] = entry
    return out


def transformer_logits(model, direction: str):
    def logits(target: np.ndarray, guide: np.ndarray) -> np.ndarray:
        audio, image = (target, guide) if direction == "image_to_audio" else (guide, target)
        with torch.no_grad():
            a, i = model(torch.from_numpy(audio), torch.from_numpy(image))
        return (a if direction == "image_to_audio" else i).numpy()

    return logits


CASES = [
    # name, direction, steps, temperature, guidance, batch, known audio columns (inpainting), guidance space
    ("image_to_audio_cfg3", "image_to_audio", 8, 9.0, 3.0, 1, 0, "logits"),
    ("image_to_audio_no_guidance", "image_to_audio", 8, 9.0, 1.0, 1, 0, "logits"),
    ("image_to_audio_greedy_t0", "image_to_audio", 8, 0.0, 3.0, 1, 0, "logits"),
    ("audio_inpainting_first_20_frames", "image_to_audio", 8, 9.0, 3.0, 1, 20, "logits"),
    ("audio_to_image_cfg3", "audio_to_image", 8, 9.0, 3.0, 1, 0, "logits"),
    ("image_to_audio_batch2", "image_to_audio", 8, 9.0, 3.0, 2, 0, "logits"),
    ("image_to_audio_paper_n30", "image_to_audio", 30, 9.0, 3.0, 1, 0, "logits"),
    ("image_to_audio_cfg3_probabilities", "image_to_audio", 8, 9.0, 3.0, 1, 0, "probabilities"),
]


def guided_error(guidance: float, space: str = "logits") -> float:
    """Bound on the error of what guidance mixes: u + s*(c - u) in logit space when c and u are each off by
    RAW_LOGIT_ERROR; in probability space the two branches' logits themselves (unmask.guided_probabilities)."""
    if space == "probabilities" or guidance == 1:
        return RAW_LOGIT_ERROR
    return RAW_LOGIT_ERROR * (1 + 2 * abs(guidance))


def reference_case(model, name, direction, steps, temperature, guidance, batch, known_columns, space, seed) -> dict:
    to_audio = direction == "image_to_audio"
    length, codebook = (TOKENS.audio_length, TOKENS.audio_codebook) if to_audio else (TOKENS.image_length, TOKENS.image_codebook)
    guide_length, guide_codebook = (TOKENS.image_length, TOKENS.image_codebook) if to_audio else (TOKENS.audio_length, TOKENS.audio_codebook)
    for attempt in range(1000):
        rng = np.random.default_rng([seed, attempt])
        guide = rng.integers(0, guide_codebook, (batch, guide_length))
        known = np.full((batch, length), -1, dtype=np.int64)
        if known_columns:
            grid = known.reshape(batch, *TOKENS.audio_grid)
            grid[:, :, :known_columns] = rng.integers(0, codebook, (batch, TOKENS.audio_grid[0], known_columns))
        # Six decimals, floored so a uniform never reaches 1; the reference uses exactly these values.
        uniforms = np.floor(rng.random((batch, steps, length)) * 1e6) / 1e6
        gumbels = np.round(-np.log(-np.log(np.clip(rng.random((batch, steps, length)), 1e-9, 1 - 1e-9))), 6)
        result = unmask(transformer_logits(model, direction), guide, known,
                        mask_id=codebook, guide_mask_id=guide_codebook, steps=steps, temperature=temperature,
                        guidance=guidance, uniforms=uniforms, gumbels=gumbels, logit_error=guided_error(guidance, space),
                        guidance_space=space)
        if result.robustness >= 1:
            break
    else:
        raise RuntimeError(f"{name}: every draw has a decision that a logit error of {guided_error(guidance, space)} could flip")
    counts = result.masked_count_per_step
    assert (counts == counts[0]).all(), "rows of one case must share the masked-count schedule"
    return {"name": name, "direction": direction, "steps": steps, "temperature": temperature, "guidance": guidance,
            "guidance_space": space,
            "guide_tokens": guide.tolist(), "known_target": known.tolist(),
            "uniforms": uniforms.tolist(), "gumbels": gumbels.tolist(),
            "expected_tokens": result.tokens.tolist(), "expected_masked_count_per_step": counts[0].tolist(),
            "logit_error": guided_error(guidance, space), "robustness": result.robustness, "draw_attempt": attempt}


def reference_fixture(model, bundle_path: str) -> dict:
    return {"bundle": bundle_path,
            "description": "Guided unmasking with injected randomness (docs/bundle-format.md), computed with PyTorch.",
            "cases": [reference_case(model, *case, seed=100 + i) for i, case in enumerate(CASES)]}
