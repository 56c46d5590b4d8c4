"""The reference guided-unmasking loop: schedule, sampling, ranking, guidance, and the committed fixture."""
import json
import math

import numpy as np
import pytest

from conftest import REPO
from echo_tools import fixtures
from echo_tools.unmask import combine_probabilities, guided_logits, guided_probabilities, masked_target_count, softmax64, unmask

REFERENCE = json.loads((REPO / "tests/fixtures/unmask/reference.json").read_text())


def random_model(codebook, seed=0):
    """Logits that depend on target, guide and position, without torch."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(4, codebook)).astype(np.float32)

    def model(target, guide):
        pos = np.arange(target.shape[1])[None, :, None]
        feature = (target[:, :, None] * 0.37 + guide.sum(1)[:, None, None] * 0.01 + pos * 0.11) % 7
        return (np.sin(feature * w[0] + w[1]) * 3 + w[2] * np.cos(pos * w[3])).astype(np.float32)

    return model


def run(model, known, steps=8, temperature=9.0, guidance=3.0, codebook=64, seed=1, space="logits"):
    rng = np.random.default_rng(seed)
    b, length = known.shape
    guide = rng.integers(0, 48, (b, 16))
    return unmask(model, guide, known, mask_id=codebook, guide_mask_id=48, steps=steps, temperature=temperature,
                  guidance=guidance, uniforms=rng.random((b, steps, length)),
                  gumbels=-np.log(-np.log(rng.random((b, steps, length)))), guidance_space=space)


def test_schedule_for_the_paper_defaults_follows_the_cosine():
    # Independent of the loop: masked after step t = floor(265*cos(pi/2*(t+1)/30)), revealed = previous - that.
    masked = [math.floor(265 * math.cos(math.pi / 2 * (t + 1) / 30)) for t in range(29)] + [0]
    assert masked[:6] == [264, 263, 261, 259, 255, 252] and masked[-3:] == [27, 13, 0]
    revealed = np.diff([265] + masked) * -1
    assert list(revealed[:4]) == [1, 1, 2, 2] and list(revealed[-3:]) == [14, 14, 13]
    now = 265
    for t in range(30):
        now_after = masked_target_count(265, now, t, 30)
        assert now_after == masked[t]
        now = now_after


def test_schedule_clamps_to_keep_one_masked_until_the_last_step():
    assert masked_target_count(3, 3, 1, 2) == 0  # the last step reveals everything
    assert masked_target_count(3, 3, 0, 2) == 2  # floor(3*cos(pi/4)) = 2 <= 3 - 1
    assert masked_target_count(10, 1, 0, 8) == 1  # never fewer than 1 before the last step...
    assert masked_target_count(10, 5, 0, 8) == 4  # ...and always at least one revealed
    assert masked_target_count(0, 0, 0, 8) == 0  # nothing unknown: nothing to re-mask


def test_inverse_cdf_sampling_and_confidence_ranking_by_hand():
    logits = np.log(np.array([[[0.1, 0.2, 0.3, 0.4]] * 3], dtype=np.float32))  # B=1, L=3, C=4
    # cdf = .1 .3 .6 1.0 -> U .05 -> 0, U .29 -> 1, U .95 -> 3 (the first j with cdf[j] > U).
    uniforms = np.array([[[0.05, 0.29, 0.95], [0.5, 0.5, 0.5]]])
    result = unmask(lambda t, g: logits, np.zeros((1, 1), dtype=np.int64), np.full((1, 3), -1), mask_id=4,
                    guide_mask_id=9, steps=2, temperature=0.0, guidance=1.0, uniforms=uniforms,
                    gumbels=np.zeros((1, 2, 3)))
    # Step 0: n_mask = max(1, min(floor(3*cos(pi/4))=2, 2)) = 2; confidences log .1, log .2, log .4 -> keep position 2.
    assert result.steps[0]["tokens"].tolist() == [[4, 4, 3]]
    # Step 1 samples the rest with U=.5 -> id 2.
    assert result.tokens.tolist() == [[2, 2, 3]]
    assert result.masked_count_per_step.tolist() == [[2, 0]]


def test_ties_re_mask_the_lower_position_first():
    logits = np.zeros((1, 4, 2), dtype=np.float32)  # every position: p = .5 for both ids
    result = unmask(lambda t, g: logits, np.zeros((1, 1), dtype=np.int64), np.full((1, 4), -1), mask_id=2,
                    guide_mask_id=9, steps=2, temperature=0.0, guidance=1.0, uniforms=np.full((1, 2, 4), 0.25),
                    gumbels=np.zeros((1, 2, 4)))
    assert result.steps[0]["tokens"].tolist() == [[2, 2, 0, 0]]  # n_mask = floor(4*cos(pi/4)) = 2


def test_guidance_combines_cond_and_uncond_rows_of_one_batch():
    calls = []

    def model(target, guide):
        calls.append(guide.copy())
        return np.where(guide[:, :1, None] == 7, 2.0, 0.5).astype(np.float32) * np.ones((target.shape[0], 3, 2), np.float32)

    out = guided_logits(model, np.zeros((2, 3), np.int64), np.full((2, 5), 7), guide_mask_id=9, guidance=3.0)
    assert len(calls) == 1 and calls[0].shape == (4, 5)
    assert (calls[0][:2] == 7).all() and (calls[0][2:] == 9).all()
    np.testing.assert_array_equal(out, np.float32(0.5) + np.float32(3.0) * (np.float32(2.0) - np.float32(0.5)))


def test_probability_space_guidance_by_hand():
    cond, uncond = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
    # 3c - 2u = [1.1, 0.3, -0.4]: the negative mass is clipped and the rest renormalized.
    np.testing.assert_allclose(combine_probabilities(cond, uncond, 3.0), [1.1 / 1.4, 0.3 / 1.4, 0.0], rtol=1e-15)
    np.testing.assert_array_equal(combine_probabilities(cond, uncond, 1.0), cond)


def test_probability_space_bounds_hold_for_nudged_logits():
    """No nudge of both branches' logits within e moves a cdf or a log-probability further than the stated bound."""
    model = random_model(64)
    rng = np.random.default_rng(3)
    target, guide = rng.integers(0, 65, (2, 40)), rng.integers(0, 48, (2, 16))
    e = 1e-3
    probs, cdf_shift, log_error = guided_probabilities(model, target, guide, 48, 3.0, "probabilities", e)
    for _ in range(20):
        noise = rng.uniform(-e, e, (4, 40, 64)).astype(np.float64)

        def nudged(t, g):
            return model(t, g).astype(np.float64) + noise

        moved, _, _ = guided_probabilities(nudged, target, guide, 48, 3.0, "probabilities", 0.0)
        assert (np.abs(np.cumsum(moved, -1) - np.cumsum(probs, -1)) <= cdf_shift + 1e-15).all()
        live = (probs > 0) & (moved > 0)
        assert (np.abs(np.log(moved[live]) - np.log(probs[live])) <= log_error[live] + 1e-12).all()
    assert (probs == 0).any(), "scale 3 should clip some tokens, or the clipping bound is untested"


def test_an_unknown_guidance_space_is_refused():
    with pytest.raises(ValueError, match="guidance space"):
        guided_probabilities(random_model(8), np.zeros((1, 4), np.int64), np.zeros((1, 16), np.int64), 48, 3.0,
                             "softmax", 0.0)


@pytest.mark.parametrize("temperature,guidance,space", [(9.0, 3.0, "logits"), (0.0, 1.0, "logits"), (4.5, 2.0, "logits"),
                                                        (9.0, 3.0, "probabilities"), (0.0, 5.0, "probabilities")])
def test_invariants_no_mask_left_known_tokens_kept(temperature, guidance, space):
    rng = np.random.default_rng(5)
    known = np.full((2, 40), -1)
    known[:, ::3] = rng.integers(0, 64, (2, 14))
    result = run(random_model(64), known, temperature=temperature, guidance=guidance, space=space)
    assert (result.tokens != 64).all() and (result.tokens >= 0).all()
    assert (result.tokens[known >= 0] == known[known >= 0]).all()
    unknown = int((known[0] < 0).sum())
    expected, now = [], unknown
    for t in range(8):
        now = masked_target_count(unknown, now, t, 8)
        expected.append(now)
    assert result.masked_count_per_step.tolist() == [expected, expected]
    for step in result.steps:  # revealed tokens never change again
        revealed = step["tokens"] != 64
        assert (result.tokens[revealed] == step["tokens"][revealed]).all()


def test_softmax_is_float64_and_normalised():
    p = softmax64(np.array([[1000.0, 1000.0, 0.0]], dtype=np.float32))
    assert p.dtype == np.float64 and p[0, 0] == p[0, 1] == 0.5


def test_reference_fixture_has_the_required_cases():
    cases = {c["name"]: c for c in REFERENCE["cases"]}
    assert REFERENCE["bundle"] == "tests/fixtures/bundles/tiny"
    assert {(c["direction"], c["guidance"], c["temperature"]) for c in cases.values()} >= {
        ("image_to_audio", 3.0, 9.0), ("image_to_audio", 1.0, 9.0), ("image_to_audio", 3.0, 0.0),
        ("audio_to_image", 3.0, 9.0)}
    assert any(np.array(c["known_target"]).max() >= 0 for c in cases.values())
    batch2 = [c for c in cases.values() if len(c["guide_tokens"]) == 2]
    assert batch2 and batch2[0]["guide_tokens"][0] != batch2[0]["guide_tokens"][1]
    assert sorted({c["steps"] for c in cases.values()}) == [8, 30]
    assert (REPO / "tests/fixtures/unmask/reference.json").stat().st_size < 1_500_000
    for c in cases.values():
        b, n, length = np.array(c["uniforms"]).shape
        assert np.array(c["gumbels"]).shape == (b, n, length) == (len(c["guide_tokens"]), c["steps"], len(c["known_target"][0]))
        assert len(c["expected_masked_count_per_step"]) == n and c["expected_masked_count_per_step"][-1] == 0
        assert c["robustness"] >= 1


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda c: c["name"])
def test_reference_fixture_replays_and_survives_logit_errors(modules, case):
    """The committed expectations come out of the loop, also with logits nudged within the stated error bound."""
    to_audio = case["direction"] == "image_to_audio"
    mask_id, guide_mask_id = (64, 48) if to_audio else (48, 64)
    model = fixtures.transformer_logits(modules["transformer"], case["direction"])
    rng = np.random.default_rng(0)

    def nudged(target, guide):
        logits = model(target, guide)
        return logits + rng.uniform(-1, 1, logits.shape).astype(np.float32) * np.float32(fixtures.RAW_LOGIT_ERROR)

    for f in (model, nudged):
        result = unmask(f, np.array(case["guide_tokens"]), np.array(case["known_target"]), mask_id=mask_id,
                        guide_mask_id=guide_mask_id, steps=case["steps"], temperature=case["temperature"],
                        guidance=case["guidance"], uniforms=np.array(case["uniforms"]), gumbels=np.array(case["gumbels"]),
                        guidance_space=case["guidance_space"])
        assert result.tokens.tolist() == case["expected_tokens"]
        assert result.masked_count_per_step[0].tolist() == case["expected_masked_count_per_step"]
