"""Reference guided iterative unmasking (MaskGIT/MAGE schedule with classifier-free guidance).

Guidance mixes the conditional and unconditional predictions either as logits, u + s(c - u) (MUSE-style), or as
the paper's equation 2 over probabilities, s*p_c + (1 - s)*p_u with negative mass clipped and the rest renormalized
(bundle.json sampling.guidanceSpace: "logits" or "probabilities").

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
    cond, uncond = conditional_and_unconditional(model, target, guide, guide_mask_id)
    return uncond + np.float32(guidance) * (cond - uncond)


def conditional_and_unconditional(model, target: np.ndarray, guide: np.ndarray, guide_mask_id: int) -> tuple:
    """Both branches' logits from one batch of 2b rows: the guide, then an all-MASK guide."""
    b = target.shape[0]
    both = model(np.concatenate([target, target]), np.concatenate([guide, np.full_like(guide, guide_mask_id)]))
    return both[:b], both[b:]


GUIDANCE_SPACES = ("logits", "probabilities")


def combine_probabilities(cond: np.ndarray, uncond: np.ndarray, guidance: float) -> np.ndarray:
    """max(0, s*p_c + (1-s)*p_u) times the reciprocal of its sum over the last axis, from two float64 distributions
    (the engine multiplies by the reciprocal too: a vector division costs more than the rest of the mix)."""
    mixed, total = _clipped_mix(cond, uncond, guidance)
    return mixed * (1 / total)


def _clipped_mix(cond: np.ndarray, uncond: np.ndarray, guidance: float) -> tuple:
    """(max(0, s*p_c + (1-s)*p_u), its sum over the last axis)."""
    mixed = np.maximum(guidance * cond + (1 - guidance) * uncond, 0.0)
    return mixed, mixed.sum(axis=-1, keepdims=True)


def guided_probabilities(model, target: np.ndarray, guide: np.ndarray, guide_mask_id: int, guidance: float,
                         space: str, logit_error: float) -> tuple:
    """(probs [b,L,C] float64, cdf_shift [b,L,C], log_error [b,L,C]): the guided distribution and bounds on how far
    logit errors of size `logit_error` can move its cdf and its log-probabilities.

    Logits: the error is on u + s(c - u); a shift of every logit by at most e moves cdf_j by at most
    2e*cdf_j*(1-cdf_j) and log p_i by at most 2e*(1-p_i). Probabilities: the error is on c and on u, so each softmax
    probability moves by at most r*p with r = exp(2e) - 1; the mix q_j by r*a_j with a_j = |s|p_c,j + |1-s|p_u,j
    (clipping only shrinks a change); the total S >= 1 by r*A, A = sum of a. cdf_j = C_j/S moves by
    (dC_j*(S - C_j) - C_j*dR_j) / (S*(S + dS)), R_j the mass after j, so by at most
    r*(A_j*(1 - cdf_j) + cdf_j*(A - A_j))/(S - r*A), A_j = cumsum(a)_j; log p_i by at most
    -log(1 - r*a_i/q_i) - log(1 - r*A/S).
    """
    if space not in GUIDANCE_SPACES:
        raise ValueError(f"guidance space must be one of {GUIDANCE_SPACES}, got {space!r}")
    if space == "logits" or guidance == 1:
        probs = softmax64(guided_logits(model, target, guide, guide_mask_id, guidance))
        cdf = np.cumsum(probs, axis=-1)
        return probs, 2 * logit_error * cdf * (1 - cdf), 2 * logit_error * (1 - probs)
    cond, uncond = (softmax64(x) for x in conditional_and_unconditional(model, target, guide, guide_mask_id))
    mixed, total = _clipped_mix(cond, uncond, guidance)
    probs = mixed * (1 / total)
    r = math.expm1(2 * logit_error)
    a = abs(guidance) * cond + abs(1 - guidance) * uncond
    spread = abs(guidance) + abs(1 - guidance)
    cdf = np.cumsum(probs, axis=-1)
    below = np.cumsum(a, axis=-1)
    cdf_shift = r * (below * (1 - cdf) + cdf * (spread - below)) / (total - r * spread)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(mixed > 0, r * a / mixed, np.inf)
        log_error = -np.log1p(-np.minimum(relative, 1.0)) - np.log1p(-r * spread / total)
    return probs, cdf_shift, log_error


def unmask(model, guide: np.ndarray, known: np.ndarray, *, mask_id: int, guide_mask_id: int, steps: int,
           temperature: float, guidance: float, uniforms: np.ndarray, gumbels: np.ndarray,
           logit_error: float = 0.0, guidance_space: str = "logits") -> UnmaskResult:
    """guide [B,Lg] int64; known [B,L] with -1 for unknown; uniforms/gumbels [B,N,L] float64.

    logit_error: an assumed bound on |logits - logits'| of another runtime (on the guided logits in logit space, on
    each branch's in probability space); `robustness` compares each decision's distance to flipping with how far
    such errors can move it (guided_probabilities).
    """
    batch, length = known.shape
    tokens = np.where(known >= 0, known, mask_id).astype(np.int64)
    unknown = (known < 0).sum(axis=1)
    counts = np.zeros((batch, steps), dtype=np.int64)
    result = UnmaskResult(tokens, counts)
    for t in range(steps):
        masked = tokens == mask_id
        probs, cdf_shift, log_error = guided_probabilities(model, tokens, guide, guide_mask_id, guidance,
                                                           guidance_space, logit_error)
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
                shift = cdf_shift[b, rows] + 1e-12
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
                e_of = dict(zip(rows, log_error[b, rows, sampled]))
                e_dropped = np.array([e_of[i] for i in dropped]) + 1e-9
                e_kept = np.array([e_of[i] for i in kept]) + 1e-9
                gaps = confidence[kept][None, :] - confidence[dropped][:, None]
                result.robustness = min(result.robustness, float((gaps / (e_dropped[:, None] + e_kept[None, :])).min()))
            counts[b, t] = n_mask
        tokens = next_tokens
        result.steps.append({"masked_before": masked, "tokens": tokens.copy()})
    result.tokens = tokens
    return result
