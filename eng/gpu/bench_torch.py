#!/usr/bin/env python3
"""Visual Echoes throughput on a GPU host that has only PyTorch (no .NET, no ONNX Runtime CUDA provider).

Runs the toolkit's own modules (tools/echo_tools, imported read-only) at paper size with random weights: the image
VQGAN encoder, N unmasking steps of the transformer with classifier-free guidance as one 2B-row batch (softmax,
categorical sampling and confidence re-masking in torch), the SpecVQGAN decoder and MelGAN. Two attention forms:
`plain` (the softmax(QK^T)V of today's ONNX export, float32 with TF32 matmuls on CUDA) and `fused`
(torch.nn.functional.scaled_dot_product_attention, bf16 weights on CUDA). Batches 1, 8 and 64 by default.
Prints `name: value` lines: clips_per_s_<attention>_b<B>, s_per_clip_..., peak_mem_mib_... and, where the ONNX
Runtime GPU package and the .NET SDK are both present and --bundle names a fused export, the engine's own
`echopipe bench --provider Cuda` on it.

    python3 eng/gpu/bench_torch.py                 # GPU host, paper size, under 5 minutes on an H200
    python3 eng/gpu/bench_torch.py --smoke         # tiny modules on the CPU, seconds (tools/tests runs this)
"""
import argparse
import math
import pathlib
import resource
import shutil
import subprocess
import sys
import time

import torch
import torch.nn.functional as F

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))

from echo_tools.checkpoints import vocoders, vqgan  # noqa: E402
from echo_tools.transformer import TransformerConfig, VisualEchoesTransformer  # noqa: E402

# Tiny but the same grids (5x53 audio, 16x16 image tokens) and codebooks: the smoke run takes every code path.
SMOKE_TRANSFORMER = TransformerConfig(width=32, decoder_width=16, heads=4,
                                      decoder_heads=2, depth=1, decoder_depth=1)


def has_fused_kernel() -> bool:
    return hasattr(F, "scaled_dot_product_attention")


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """[B, heads, N, d] -> [B, heads, N, d] through torch's fused kernel; the same formula where torch lacks it
    (torch < 2.0, e.g. Debian's), so the fused variant's wiring is still checked against the plain one."""
    if has_fused_kernel():
        return F.scaled_dot_product_attention(q, k, v)
    return torch.softmax(q @ k.transpose(-2, -1) * q.shape[-1] ** -0.5, dim=-1) @ v


def fused_attend(block, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """echo_tools.transformer.Block.attend through the fused kernel: same weights, same result within rounding."""
    b, n, w = q.shape
    q, k, v = (t.reshape(b, n, block.heads, w // block.heads).transpose(1, 2) for t in (q, k, v))
    return attention(q, k, v).transpose(1, 2).reshape(b, n, w)


class Modules:
    """The four networks of an image-to-audio clip, random weights, in eval mode on one device and dtype."""

    def __init__(self, smoke: bool, fused: bool, device: torch.device, dtype: torch.dtype):
        torch.manual_seed(0)
        self.image_encoder = vqgan.TokenEncoder(vqgan.image_vqgan(small=smoke))
        self.audio_decoder = vqgan.MelTokenDecoder(vqgan.spec_vqgan(small=smoke))
        self.vocoder = vocoders.BundleVocoder(vocoders.random_generator("melgan", small=smoke), "melgan")
        self.transformer = VisualEchoesTransformer(SMOKE_TRANSFORMER if smoke else TransformerConfig())
        # The toolkit's blocks take their attention as an argument: the fused form is chosen per call, not patched in.
        self.attend = fused_attend if fused else None
        for module in self.all():
            module.to(device=device, dtype=dtype).eval()
        self.device, self.dtype = device, dtype

    def all(self):
        return (self.image_encoder, self.audio_decoder, self.vocoder, self.transformer)


def unmask(model: VisualEchoesTransformer, image_tokens: torch.Tensor, steps: int, guidance: float,
           generator: torch.Generator, attend=None) -> torch.Tensor:
    """Image-to-audio guided unmasking: each step one run of 2B rows (conditional, then an all-MASK guide)."""
    c = model.config
    b = image_tokens.shape[0]
    mask_audio, mask_image = c.audio_codebook, c.image_codebook
    audio = torch.full((b, c.audio_tokens), mask_audio, dtype=torch.long, device=image_tokens.device)
    guides = torch.cat([image_tokens, torch.full_like(image_tokens, mask_image)])
    for t in range(steps):
        # Image->audio needs no image logits (the export's audio-only variant does the same).
        logits = model(torch.cat([audio, audio]), guides, attend=attend, image_logits=False)[0]
        logits = logits.float()
        guided = logits[b:] + guidance * (logits[:b] - logits[b:])
        probabilities = torch.softmax(guided, dim=-1)
        sampled = torch.multinomial(probabilities.reshape(-1, c.audio_codebook), 1, generator=generator).reshape(b, -1)
        masked = audio == mask_audio
        sampled = torch.where(masked, sampled, audio)
        ratio = (t + 1) / steps
        uniform = torch.rand(sampled.shape, generator=generator, device=sampled.device).clamp_min(1e-12)
        gumbel = -torch.log(-torch.log(uniform))
        confidence = torch.log(probabilities.gather(-1, sampled.unsqueeze(-1)).squeeze(-1)) + 4.5 * (1 - ratio) * gumbel
        confidence = torch.where(masked, confidence, torch.full_like(confidence, math.inf))
        keep_masked = 0 if t == steps - 1 else max(1, int(c.audio_tokens * math.cos(math.pi / 2 * ratio)))
        audio = sampled
        if keep_masked:
            lowest = confidence.topk(keep_masked, dim=-1, largest=False).indices
            audio = audio.scatter(-1, lowest, mask_audio)
    return audio


@torch.no_grad()
def clip_batch(modules: Modules, batch: int, steps: int, generator: torch.Generator) -> torch.Tensor:
    images = torch.rand((batch, 3, 256, 256), generator=generator, device=modules.device) * 2 - 1
    image_tokens = modules.image_encoder(images.to(modules.dtype))
    audio_tokens = unmask(modules.transformer, image_tokens, steps, 3.0, generator, modules.attend)
    mel = (modules.audio_decoder(audio_tokens) + 1) / 2
    return modules.vocoder(mel)


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def measure(modules: Modules, batch: int, steps: int, repeat: int) -> dict:
    generator = torch.Generator(device=modules.device).manual_seed(batch)
    if modules.device.type == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(modules.device)
    waveform = clip_batch(modules, batch, steps, generator)  # warm-up: kernels, allocator
    if not torch.isfinite(waveform.float()).all():
        raise RuntimeError(f"batch {batch}: the waveform is not finite")
    synchronize(modules.device)
    started = time.perf_counter()
    for _ in range(repeat):
        clip_batch(modules, batch, steps, generator)
    synchronize(modules.device)
    seconds = (time.perf_counter() - started) / repeat
    peak = (torch.cuda.max_memory_allocated(modules.device) if modules.device.type == "cuda"
            else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    return {"clips_per_s": batch / seconds, "s_per_clip": seconds / batch, "peak_mem_mib": peak / 2**20}


def engine_bench(bundle: pathlib.Path | None) -> None:
    """The engine's own bench on a fused export, only where ORT's CUDA provider and .NET are both installed."""
    try:
        import onnxruntime
        providers = onnxruntime.get_available_providers()
    except ImportError:
        providers = []
    if "CUDAExecutionProvider" not in providers:
        print("engine_bench: skipped (no onnxruntime-gpu with CUDAExecutionProvider)")
    elif shutil.which("dotnet") is None:
        print("engine_bench: skipped (no .NET SDK)")
    elif bundle is None:
        print("engine_bench: skipped (no --bundle with a fused export)")
    else:
        subprocess.run([str(REPO / "eng" / "echopipe"), "bench", "--bundle", str(bundle), "--provider", "Cuda"], check=True)


def batch_list(text: str) -> list:
    """'1,8,64' -> [1, 8, 64]; anything else is a usage error (argparse names the option and exits with 2)."""
    try:
        batches = [int(b) for b in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated batch sizes such as 1,8,64, got {text!r}") from None
    if not batches or min(batches) < 1:
        raise argparse.ArgumentTypeError(f"batch sizes must be at least 1, got {text!r}")
    return batches


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny modules, 2 steps, batches 1 and 2, on the CPU")
    parser.add_argument("--batches", type=batch_list, default=None, help="comma-separated batch sizes (default 1,8,64; smoke 1,2)")
    parser.add_argument("--steps", type=int, default=None, help="unmasking steps (default 30; smoke 2)")
    parser.add_argument("--repeat", type=int, default=None, help="timed repetitions after one warm-up (default 2; smoke 1)")
    parser.add_argument("--device", default=None, help="cuda or cpu (default: cuda when available; smoke: cpu)")
    parser.add_argument("--bundle", type=pathlib.Path, default=None, help="a bundle with a fused export for the engine's bench")
    args = parser.parse_args(argv)

    device = torch.device(args.device or ("cuda" if torch.cuda.is_available() and not args.smoke else "cpu"))
    batches = args.batches or ([1, 2] if args.smoke else [1, 8, 64])
    steps = args.steps or (2 if args.smoke else 30)
    repeat = args.repeat or (1 if args.smoke else 2)
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True  # plain attention as the float32 export runs on a GPU
        torch.backends.cudnn.allow_tf32 = True
    print(f"device: {torch.cuda.get_device_name(device) if device.type == 'cuda' else 'cpu'}")
    print(f"torch: {torch.__version__}")
    print(f"config: {'smoke' if args.smoke else 'paper'}")
    print(f"steps: {steps}")
    print(f"fused_attention_kernel: {'scaled_dot_product_attention' if has_fused_kernel() else 'absent (math fallback)'}")
    # bf16 only where a GPU runs it natively; on the CPU both forms stay float32.
    fused_dtype = torch.bfloat16 if device.type == "cuda" else torch.float32
    for name, fused, dtype in (("plain", False, torch.float32), ("fused", True, fused_dtype)):
        modules = Modules(args.smoke, fused, device, dtype)
        print(f"dtype_{name}: {str(dtype).removeprefix('torch.')}")
        for batch in batches:
            for key, value in measure(modules, batch, steps, repeat).items():
                print(f"{key}_{name}_b{batch}: {value:.4g}", flush=True)
        del modules
    engine_bench(args.bundle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
