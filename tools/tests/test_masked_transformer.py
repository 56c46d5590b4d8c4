"""The paper's architecture and recipe (issue 16 a-c): mask embedding before the decoder, 551 M, 50% dropping."""
import numpy as np
import pytest
import torch

import onnxruntime_native
from echo_tools import masked_training, tiny
from echo_tools.checkpoints import paper_transformer, vqgan
from echo_tools.transformer import TransformerConfig, VisualEchoesTransformer

SMALL = TransformerConfig(audio_codebook=16, image_codebook=12, width=32, decoder_width=24, heads=2,
                          decoder_heads=2, depth=2, decoder_depth=1)


def trained_like(model):
    """m and the decoder modalities start at zero; give them values, as training does, so they can be told apart."""
    with torch.no_grad():
        model.mask_embedding.normal_()
        model.decoder_modality.normal_()
    return model.eval()


def decoder_inputs(model, run) -> torch.Tensor:
    """What enters the first decoder block while `run()` executes (the output of decoder_input)."""
    seen, original = [], model.decoder_input
    model.decoder_input = lambda x, masked: seen.append(original(x, masked)) or seen[-1]
    try:
        with torch.no_grad():
            run()
    finally:
        del model.decoder_input
    return seen[0]


def expected_padding(model) -> torch.Tensor:
    """m plus decoder position plus the modality's decoder embedding, per position [L, decoder_width]."""
    c = model.config
    modality = torch.stack([model.decoder_modality[0]] * c.audio_tokens + [model.decoder_modality[1]] * c.image_tokens)
    return (model.mask_embedding[0, 0] + model.decoder_position[0] + modality).detach()


def test_every_masked_position_enters_the_decoder_as_the_shared_mask_embedding():
    torch.manual_seed(0)
    model = trained_like(VisualEchoesTransformer(SMALL))
    g = torch.Generator().manual_seed(1)
    audio, image = torch.randint(0, 16, (2, 265), generator=g), torch.randint(0, 12, (2, 256), generator=g)
    audio[0, ::3], image[1, :] = 16, 12  # every third audio position of row 0, the whole image of row 1
    x = decoder_inputs(model, lambda: model(audio, image))
    masked = torch.cat([audio == 16, image == 12], 1)
    padding = expected_padding(model)
    assert torch.allclose(x[masked], padding.expand(2, -1, -1)[masked], atol=1e-6)
    # Visible positions carry the encoder's output, which differs per row and position.
    visible = x[~masked] - padding.expand(2, -1, -1)[~masked]
    assert visible.abs().amax(-1).min() > 1e-3


def test_a_masked_position_predicts_the_same_whatever_mask_token_embedding_the_encoder_saw_elsewhere():
    """m replaces the encoder output, so the unconditional branch (guide fully masked) sees only m at the guide."""
    torch.manual_seed(0)
    model = trained_like(VisualEchoesTransformer(SMALL))
    audio, image = torch.full((1, 265), 16), torch.full((1, 256), 12)
    with torch.no_grad():
        before = model(audio, image)
        model.image_embedding.weight[12] += 5.0  # the image MASK token's encoder embedding
        after = model(audio, image)
    # With everything masked the decoder input is m plus embeddings alone; the logits must not move.
    assert torch.allclose(before[0], after[0], atol=1e-5) and torch.allclose(before[1], after[1], atol=1e-5)


def test_training_pads_dropped_positions_with_the_mask_embedding_masked_or_not():
    torch.manual_seed(0)
    model = trained_like(masked_training.TrainableTransformer(SMALL))
    g = torch.Generator().manual_seed(2)
    audio, image = torch.randint(0, 16, (2, 265), generator=g), torch.randint(0, 12, (2, 256), generator=g)
    audio[:, :100] = 16
    masked = model.masked(audio, image)
    keep = masked_training.dropped_positions(masked, 265, masked_training.PAPER_RECIPE, g)
    x = decoder_inputs(model, lambda: model.forward_dropped(audio, image, keep))
    held = torch.zeros_like(masked).scatter(1, keep, True)
    padded = masked | ~held
    padding = expected_padding(model).expand(2, -1, -1)
    assert (~held & ~masked).any()  # some dropped positions were not masked (the paper's recipe)
    assert torch.allclose(x[padded], padding[padded], atol=1e-6)
    assert (x[~padded] - padding[~padded]).abs().amax(-1).min() > 1e-3


def test_the_training_forward_without_dropping_is_the_exported_forward():
    torch.manual_seed(0)
    model = trained_like(masked_training.TrainableTransformer(SMALL))
    g = torch.Generator().manual_seed(3)
    audio, image = torch.randint(0, 17, (2, 265), generator=g), torch.randint(0, 13, (2, 256), generator=g)
    with torch.no_grad():
        for a, b in zip(model(audio, image), model.forward_dropped(audio, image, None)):
            assert torch.allclose(a, b, atol=1e-5)


def test_the_onnx_export_applies_the_mask_embedding_like_pytorch(modules, exported):
    """Half the tokens MASK: ONNX Runtime (the engine's native library) against the tiny bundle's PyTorch module."""
    c = tiny.CONFIG
    g = torch.Generator().manual_seed(4)
    audio = torch.randint(0, c.audio_codebook, (2, 265), generator=g)
    image = torch.randint(0, c.image_codebook, (2, 256), generator=g)
    audio[:, ::2], image[1] = c.audio_codebook, c.image_codebook
    with torch.no_grad():
        expected = [t.numpy() for t in modules["transformer"](audio, image)]
    with onnxruntime_native.Session(exported.parent / "transformer.onnx", threads=2) as session:
        actual = session.run({"audio_tokens": audio.numpy(), "image_tokens": image.numpy()},
                             {"audio_logits": ((2, 265, c.audio_codebook), np.float32),
                              "image_logits": ((2, 256, c.image_codebook), np.float32)})
    assert np.abs(actual["audio_logits"] - expected[0]).max() < 1e-3
    assert np.abs(actual["image_logits"] - expected[1]).max() < 1e-3


def transformer_parameters(c: TransformerConfig) -> int:
    """Counted from the architecture as the paper and MAGE describe it, not from the module."""
    w, d, length = c.width, c.decoder_width, c.audio_tokens + c.image_tokens

    def block(x):  # 2 LayerNorms, qkv, proj, 4x MLP
        return 2 * 2 * x + (3 * x * x + 3 * x) + (x * x + x) + (4 * x * x + 4 * x) + (4 * x * x + x)

    embeddings = (c.audio_codebook + 1 + c.image_codebook + 1) * w + length * w + 2 * w
    encoder = c.depth * block(w) + 2 * w
    bridge = w * d + d + d + length * d + 2 * d  # to_decoder, m, decoder positions, decoder modalities
    decoder = c.decoder_depth * block(d) + 2 * d
    head = d * w + w + 2 * w + c.audio_codebook + c.image_codebook
    return embeddings + encoder + bridge + decoder + head


@pytest.mark.parametrize("config", [SMALL, tiny.CONFIG, paper_transformer.SMALL])
def test_the_parameter_count_formula_is_the_modules(config):
    assert transformer_parameters(config) == sum(p.numel() for p in VisualEchoesTransformer(config).parameters())


def test_the_paper_config_with_both_vqgans_has_the_papers_551_m_parameters():
    codecs = sum(p.numel() for factory in (vqgan.image_vqgan, vqgan.spec_vqgan) for p in factory().parameters())
    total = transformer_parameters(paper_transformer.PAPER) + codecs
    assert abs(total - 551e6) / 551e6 < 0.01, total
    assert (paper_transformer.PAPER.decoder_width, paper_transformer.PAPER.decoder_depth) == (1024, 8)


def test_the_papers_recipe_drops_half_of_each_modality_masked_or_not():
    g = torch.Generator().manual_seed(5)
    m = masked_training.PAPER_RECIPE
    ratios = masked_training.mask_ratios(4000, m, g)
    assert ratios.min() >= 0.2 and ratios.max() <= 1.0 and abs(ratios.mean().item() - 0.66) < 0.02
    masked = torch.cat([masked_training.random_mask(4000, 265, ratios[:, 0], g),
                        masked_training.random_mask(4000, 256, ratios[:, 1], g)], 1)
    keep = masked_training.dropped_positions(masked, 265, m, g)
    assert keep.shape == (4000, 133 + 128)
    assert ((keep < 265).sum(1) == 133).all() and ((keep >= 265).sum(1) == 128).all()
    dropped = torch.ones_like(masked).scatter(1, keep, False)
    # Independent of masking: the share of dropped positions among the unmasked ones is one half too.
    assert abs(dropped[~masked].float().mean().item() - 0.5) < 0.01
    assert abs(dropped[masked].float().mean().item() - 0.5) < 0.01
    assert m.drops(3) and m.drops(4)


def test_the_guided_recipe_drops_only_masked_positions_and_skips_every_fourth_batch():
    g = torch.Generator().manual_seed(6)
    m = masked_training.GUIDED
    masked = masked_training.random_mask(64, 521, torch.full((64,), 0.8), g)
    keep = masked_training.dropped_positions(masked, 265, m, g)
    dropped = torch.ones_like(masked).scatter(1, keep, False)
    assert not (dropped & ~masked).any() and dropped.sum(1).eq(260).all()
    assert [m.drops(s) for s in range(8)] == [True, True, True, False] * 2


def test_the_loss_is_the_mean_cross_entropy_over_masked_positions_only():
    torch.manual_seed(0)
    model = masked_training.TrainableTransformer(SMALL)
    recipe = masked_training.PAPER_RECIPE
    g = torch.Generator().manual_seed(7)
    audio, image = torch.randint(0, 16, (4, 265), generator=g), torch.randint(0, 12, (4, 256), generator=g)
    state = g.get_state()
    loss = masked_training.training_loss(model, audio, image, recipe, g, drop=True)
    g.set_state(state)  # replay the same draws by hand
    ratios = masked_training.mask_ratios(4, recipe, g)
    masked = torch.cat([masked_training.random_mask(4, 265, ratios[:, 0], g),
                        masked_training.random_mask(4, 256, ratios[:, 1], g)], 1)
    keep = masked_training.dropped_positions(masked, 265, recipe, g)
    tokens = torch.cat([audio, image], 1)
    inputs = torch.where(masked, torch.cat([torch.full_like(audio, 16), torch.full_like(image, 12)], 1), tokens)
    audio_logits, image_logits = model.forward_dropped(inputs[:, :265], inputs[:, 265:], keep)
    per_position = torch.cat([torch.nn.functional.cross_entropy(audio_logits.transpose(1, 2), audio, reduction="none"),
                              torch.nn.functional.cross_entropy(image_logits.transpose(1, 2), image, reduction="none")], 1)
    assert torch.allclose(loss, per_position[masked].mean(), atol=1e-6)
    assert not torch.allclose(loss, per_position.mean(), atol=1e-3)
