"""Reference guided iterative unmasking (MaskGIT/MAGE schedule with classifier-free guidance).

Randomness is injected (uniforms for inverse-CDF sampling, Gumbel values for confidence noise) so
another implementation fed the same numbers must produce the same tokens. docs/bundle-format.md
states the loop; this is its executable form.
"""
import math
from dataclasses import dataclass, field

import numpy as np


@dataclass
class UnmaskResult:
    tokens: np.ndarray  # [B, L] int64
    masked_count_per_step: np.ndarray  # [B, N] positions still masked after each step
    # min over all sampling and re-mask decisions of (distance to flipping) / (largest shift that logit errors of
    # size `logit_error` can cause); >= 1 means no such error changes the output.
    robustness: float = math.inf
    steps: list = field(default_factory=list)  # per-step snapshots for tests


def masked_target_count(unknown: int, masked_now: int, step: int, steps: int) -> int:
    """How many positions stay masked after `step` (0-based) of `steps`."""
    if step == steps - 1 or masked_now == 0:
        return 0
    n = math.floor(unknown * math.cos(math.pi / 2 * (step + 1) / steps))
    return max(1, min(n, masked_now - 1))


def softmax64(logits: np.ndarray) -> np.ndarray:
    x = logits.astype(np.float64)
    x = np.exp(x - x.max(axis=-1, keepdims=True))
    return x / x.sum(axis=-1, keepdims=True)


def guided_logits(model, target: np.ndarray, guide: np.ndarray, guide_mask_id: int, guidance: float) -> np.ndarray:
    """model(target [b,L], guide [b,Lg]) -> float32 [b,L,C]; with guidance != 1, cond and uncond share one batch."""
    if guidance == 1:
        return model(target, guide)
    b = target.shape[0]
    both = model(np.concatenate([target, target]), np.concatenate([guide, np.full_like(guide, guide_mask_id)]))
    cond, uncond = both[:b], both[b:]
    return uncond + np.float32(guidance) * (cond - uncond)


def unmask(model, guide: np.ndarray, known: np.ndarray, *, mask_id: int, guide_mask_id: int, steps: int,
           temperature: float, guidance: float, uniforms: np.ndarray, gumbels: np.ndarray,
           logit_error: float = 0.0) -> UnmaskResult:
    """guide [B,Lg] int64; known [B,L] with -1 for unknown; uniforms/gumbels [B,N,L] float64.

    logit_error: an assumed bound on |logits - logits'| of another runtime. A shift of every logit by at most e
    moves cdf_j by at most 2e*cdf_j*(1-cdf_j) and log p_i by at most 2e*(1-p_i); `robustness` compares each
    decision's distance to flipping with that bound.
    """
    batch, length = known.shape
    tokens = np.where(known >= 0, known, mask_id).astype(np.int64)
    unknown = (known < 0).sum(axis=1)
    counts = np.zeros((batch, steps), dtype=np.int64)
    result = UnmaskResult(tokens, counts)
    for t in range(steps):
        masked = tokens == mask_id
        probs = softmax64(guided_logits(model, tokens, guide, guide_mask_id, guidance))
        codebook = probs.shape[-1]
        cdf = np.cumsum(probs, axis=-1)
        ratio = (t + 1) / steps
        next_tokens = tokens.copy()
        for b in range(batch):
            rows = np.flatnonzero(masked[b])
            u = uniforms[b, t, rows]
            sampled = np.minimum([np.searchsorted(cdf[b, r], x, side="right") for r, x in zip(rows, u)], codebook - 1)
            if rows.size:
                c = cdf[b, rows]
                shift = 2 * logit_error * c * (1 - c) + 1e-12
                result.robustness = min(result.robustness, float((np.abs(c - u[:, None]) / shift).min()))
            confidence = np.full(length, np.inf)
            confidence[rows] = np.log(probs[b, rows, sampled]) + temperature * (1 - ratio) * gumbels[b, t, rows]
            next_tokens[b, rows] = sampled
            n_mask = masked_target_count(int(unknown[b]), rows.size, t, steps)
            order = np.argsort(confidence, kind="stable")
            next_tokens[b, order[:n_mask]] = mask_id
            if n_mask:
                # Every (re-masked, kept) pair must stay ordered under the error bound, not only the adjacent pair.
                dropped, kept = order[:n_mask], order[n_mask:rows.size]
                p_of = dict(zip(rows, probs[b, rows, sampled]))
                e_dropped = 2 * logit_error * (1 - np.array([p_of[i] for i in dropped])) + 1e-9
                e_kept = 2 * logit_error * (1 - np.array([p_of[i] for i in kept])) + 1e-9
                gaps = confidence[kept][None, :] - confidence[dropped][:, None]
                result.robustness = min(result.robustness, float((gaps / (e_dropped[:, None] + e_kept[None, :])).min()))
            counts[b, t] = n_mask
        tokens = next_tokens
        result.steps.append({"masked_before": masked, "tokens": tokens.copy()})
    result.tokens = tokens
    return result
