"""eng/gpu/bench_torch.py: the GPU host's throughput check, run here in its --smoke form on the CPU."""
import importlib.util
import math
import subprocess
import sys

import torch

from conftest import REPO
from echo_tools.transformer import Block

SCRIPT = REPO / "eng" / "gpu" / "bench_torch.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("bench_torch", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fused_attention_block_matches_the_toolkit_block():
    bench = _load_script()
    torch.manual_seed(3)
    block = Block(64, 4).eval()
    x = torch.randn(2, 37, 64)
    with torch.no_grad():
        plain = block(x)
        fused = block(x, bench.fused_attend)
    assert torch.allclose(fused, plain, rtol=1e-5, atol=1e-5), (fused - plain).abs().max()
    assert not torch.equal(plain, x)  # the block did something, so the comparison means something


def test_only_the_fused_modules_pass_the_fused_attention():
    bench = _load_script()
    cpu = torch.device("cpu")
    assert bench.Modules(smoke=True, fused=True, device=cpu, dtype=torch.float32).attend is bench.fused_attend
    assert bench.Modules(smoke=True, fused=False, device=cpu, dtype=torch.float32).attend is None


def test_smoke_run_prints_throughput_and_memory_for_both_attention_forms():
    run = subprocess.run([sys.executable, str(SCRIPT), "--smoke", "--batches", "1,2", "--steps", "2"],
                         capture_output=True, text=True, timeout=600, check=True)
    figures = dict(line.split(": ", 1) for line in run.stdout.splitlines() if ": " in line)
    assert figures["config"] == "smoke" and figures["device"] == "cpu"
    for attention in ("plain", "fused"):
        for batch in (1, 2):
            clips = float(figures[f"clips_per_s_{attention}_b{batch}"])
            seconds = float(figures[f"s_per_clip_{attention}_b{batch}"])
            assert clips > 0 and math.isclose(clips * seconds, 1, rel_tol=1e-2)
            assert float(figures[f"peak_mem_mib_{attention}_b{batch}"]) > 0
    assert figures["engine_bench"].startswith("skipped")


def test_a_bad_batch_list_is_refused_before_anything_runs():
    run = subprocess.run([sys.executable, str(SCRIPT), "--smoke", "--batches", "1,x"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "--batches" in run.stderr
