"""Demo bundle modules: the mel front end, the patch tokenizers and the masked-training forward."""
import numpy as np
import torch

import dsp_reference
from echo_tools import masked_training, patch_vq, world
from echo_tools.transformer import TransformerConfig


def test_mel_frontend_matches_the_float64_reference():
    audio = world.sample(1, "train", 3).audio
    fb, _ = dsp_reference.mel_filterbank()
    assert np.abs(patch_vq.mel_frontend(audio, fb) - dsp_reference.mel_frontend(audio)).max() < 1e-4


def test_patch_codecs_round_trip_their_own_patches():
    g = torch.Generator().manual_seed(0)
    image_codes, audio_codes = torch.randn(32, 192, generator=g), torch.randn(40, 256, generator=g)
    full = image_codes.reshape(32, 3, 8, 8).repeat_interleave(2, 2).repeat_interleave(2, 3).reshape(32, 768)
    tokens = torch.randint(0, 32, (2, 256), generator=g)
    image = patch_vq.ImageDecoder(full)(tokens)
    assert image.shape == (2, 3, 256, 256)
    assert torch.equal(patch_vq.ImageEncoder(image_codes)(image), tokens)
    audio_tokens = torch.randint(0, 40, (2, 265), generator=g)
    mel = patch_vq.AudioDecoder(audio_codes)(audio_tokens)
    assert mel.shape == (2, 80, 848)
    assert torch.equal(patch_vq.AudioEncoder(audio_codes)(mel), audio_tokens)
    # Token 53 is mel row 1 (bins 16..31), frame column 0 (frames 0..15).
    assert torch.equal(mel[0, 16:32, 0:16].reshape(-1), audio_codes[audio_tokens[0, 53]])


def test_kmeans_converges_to_the_means_of_its_clusters():
    # Lloyd from random points finds a local optimum: each centre the mean of the points nearest to it, none empty.
    g = torch.Generator().manual_seed(1)
    points = torch.cat([torch.randn(200, 2, generator=g) * 0.3 + torch.tensor(c) for c in ([0.0, 0], [4, 0], [0, 4], [4, 4])])
    found = patch_vq.kmeans(points, 6, 30, g)
    assign, _ = patch_vq.nearest(points, found)
    assert torch.bincount(assign, minlength=6).min() > 0
    means = torch.stack([points[assign == j].mean(0) for j in range(6)])
    assert torch.allclose(means, found, atol=1e-5)


def test_training_forward_equals_the_exported_forward_and_masks_as_the_paper():
    torch.manual_seed(0)
    config = TransformerConfig(audio_codebook=16, image_codebook=12, width=32, decoder_width=16, heads=2,
                               decoder_heads=2, depth=2, decoder_depth=1)
    model = masked_training.TrainableTransformer(config)
    audio, image = torch.randint(0, 17, (2, 265)), torch.randint(0, 13, (2, 256))
    with torch.no_grad():
        for a, b in zip(model(audio, image), model.forward_dropped(audio, image, None)):
            assert torch.allclose(a, b, atol=1e-5)
    g = torch.Generator().manual_seed(2)
    m = masked_training.MaskingConfig()
    draws = masked_training.truncated_gaussian(20000, m, g)
    assert draws.min() >= 0.2 and draws.max() <= 1.0 and abs(draws.mean().item() - 0.66) < 0.02
    ratios = masked_training.mask_ratios(10000, m, g)
    assert ((ratios >= 0.9).any(1).float().mean().item()) > 0.15  # a mostly masked guide: the CFG branch is trained
    mask = masked_training.random_mask(3, 265, torch.tensor([0.2, 0.7, 1.0]), g)
    assert mask.sum(1).tolist() == [53, 186, 265]
    loss = masked_training.training_loss(model, audio.clamp(max=15), image.clamp(max=11), m, g, drop=True)
    loss.backward()
    assert torch.isfinite(loss) and model.mask_embedding.grad is not None and model.decoder_modality.grad is not None
