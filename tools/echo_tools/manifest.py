"""bundle.json: the component tensor contracts and the manifest writer (docs/bundle-format.md)."""
import json
import pathlib
from dataclasses import dataclass

from . import FORMAT_VERSION, TOOLKIT

REQUIRED = ("imageEncoder", "transformer", "audioDecoder")
OPTIONAL = ("audioEncoder", "imageDecoder", "vocoder")

# The paper's audio front end (DESIGN §3); bundles state it so the engine never assumes it.
PAPER_AUDIO = {
    "sampleRate": 22050, "nFft": 1024, "hopLength": 256, "winLength": 1024,
    "melBins": 80, "fMin": 125, "fMax": 7600,
    "clipSeconds": 10, "framesBeforeCrop": 860, "frames": 848,
    "dbMin": -80, "dbMax": 20, "samples": 848 * 256,
    "griffinLim": {"iterations": 32, "momentum": 0.99},
}
MODES = ("imageToAudio", "audioToImage", "coGeneration")
# Where guidance mixes the two predictions: "logits" (u + s(c - u), MUSE-style; the engine's default when absent)
# or "probabilities" (the paper's equation 2, s*p_c + (1 - s)*p_u, clipped and renormalized). Top level only.
GUIDANCE_SPACES = ("logits", "probabilities")
# Top-level values are every mode's defaults; "modes" overrides them per mode (any of steps, temperature,
# guidance). The paper guides image->audio with s = 3 and uses no CFG for image generation or co-generation.
PAPER_SAMPLING = {"steps": 30, "temperature": 9, "guidance": 3,
                  "modes": {"audioToImage": {"guidance": 1}, "coGeneration": {"guidance": 1}}}


def check_sampling(sampling: dict) -> dict:
    """ValueError naming the field when a default is out of range or a mode is unknown; returns sampling."""
    def check(values: dict, where: str) -> None:
        unknown = set(values) - {"steps", "temperature", "guidance"}
        if unknown:
            raise ValueError(f"{where}: unknown sampling field(s) {sorted(unknown)}")
        if "steps" in values and (not isinstance(values["steps"], int) or values["steps"] < 1):
            raise ValueError(f"{where}.steps: must be an integer >= 1, got {values['steps']}")
        for key in ("temperature", "guidance"):
            if key in values and not values[key] >= 0:
                raise ValueError(f"{where}.{key}: must be >= 0, got {values[key]}")

    space = sampling.get("guidanceSpace", "logits")
    if space not in GUIDANCE_SPACES:
        raise ValueError(f"sampling.guidanceSpace: must be one of {', '.join(GUIDANCE_SPACES)}, got {space!r}")
    defaults = {k: v for k, v in sampling.items() if k not in ("modes", "guidanceSpace")}
    missing = [k for k in ("steps", "temperature", "guidance") if k not in defaults]
    if missing:
        raise ValueError(f"sampling: missing default(s) {missing}")
    check(defaults, "sampling")
    for mode, values in sampling.get("modes", {}).items():
        if mode not in MODES:
            raise ValueError(f"sampling.modes.{mode}: unknown mode; expected one of {', '.join(MODES)}")
        check(values, f"sampling.modes.{mode}")
    return sampling


@dataclass(frozen=True)
class Tensor:
    name: str
    dtype: str  # "float32" | "int64"
    shape: tuple  # "batch" first, then ints

    def to_json(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "shape": list(self.shape)}


@dataclass(frozen=True)
class Tokens:
    audio_grid: tuple = (5, 53)
    image_grid: tuple = (16, 16)
    audio_codebook: int = 1024
    image_codebook: int = 1024

    @property
    def audio_length(self) -> int:
        return self.audio_grid[0] * self.audio_grid[1]

    @property
    def image_length(self) -> int:
        return self.image_grid[0] * self.image_grid[1]

    def to_json(self) -> dict:
        return {
            "audio": {"grid": list(self.audio_grid), "codebookSize": self.audio_codebook, "maskId": self.audio_codebook},
            "image": {"grid": list(self.image_grid), "codebookSize": self.image_codebook, "maskId": self.image_codebook},
            "order": ["audio", "image"],
        }


def contracts(tokens: Tokens, audio: dict = PAPER_AUDIO) -> dict:
    """Component key -> (inputs, outputs) as the engine expects them."""
    b = "batch"
    mel = (b, audio["melBins"], audio["frames"])
    image = (b, 3, 256, 256)
    audio_tokens = Tensor("audio_tokens", "int64", (b, tokens.audio_length))
    image_tokens = Tensor("image_tokens", "int64", (b, tokens.image_length))
    return {
        "imageEncoder": ([Tensor("image", "float32", image)], [image_tokens]),
        "transformer": ([audio_tokens, image_tokens],
                        [Tensor("audio_logits", "float32", (b, tokens.audio_length, tokens.audio_codebook)),
                         Tensor("image_logits", "float32", (b, tokens.image_length, tokens.image_codebook))]),
        "audioDecoder": ([audio_tokens], [Tensor("mel", "float32", mel)]),
        "audioEncoder": ([Tensor("mel", "float32", mel)], [audio_tokens]),
        "imageDecoder": ([image_tokens], [Tensor("image", "float32", image)]),
        "vocoder": ([Tensor("mel", "float32", mel)], [Tensor("waveform", "float32", (b, audio["samples"]))]),
    }


def write_manifest(folder: pathlib.Path, *, bundle_id: str, description: str, license: str, provenance: dict,
                   tokens: Tokens, components: dict, audio: dict = PAPER_AUDIO,
                   sampling: dict = PAPER_SAMPLING, variants: dict | None = None) -> pathlib.Path:
    missing = [k for k in REQUIRED if k not in components]
    if missing:
        raise ValueError(f"bundle {bundle_id} lacks required components {missing}")
    ordered = {k: components[k] for k in REQUIRED + OPTIONAL if k in components}
    manifest = {
        "formatVersion": FORMAT_VERSION,
        "id": bundle_id,
        "description": description,
        "license": license,
        "provenance": {"createdBy": TOOLKIT, **provenance},
        "tokens": tokens.to_json(),
        "audio": audio,
        "sampling": check_sampling(sampling),
        "components": ordered,
        # Alternative graphs of a component for one execution provider (docs/models.md, "Variants"); an engine
        # that does not know them uses "components".
        **({"variants": variants} if variants else {}),
    }
    path = folder / "bundle.json"
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path
