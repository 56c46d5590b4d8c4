"""Mask-denoising training of the Visual Echoes transformer (paper §3, MAGE-style).

The paper's recipe (MaskingConfig(), the default): per sample and modality a mask ratio is drawn from a
Gaussian (mean 0.7, std 0.25) truncated to [0.2, 1]; that many random positions become MASK. Then 50% of
each modality's positions, masked or not, are dropped from the encoder. Before the decoder, dropped and masked
positions alike hold the mask embedding m (transformer.VisualEchoesTransformer.decoder_input). Loss:
cross-entropy on the masked positions of both modalities (logits tied to the embeddings).

GUIDED is the toolkit's earlier recipe, kept as an option: dropped positions are a subset of the masked ones
(MAGE), with probability `guide_visible` one modality is fully visible and with `guide_masked` fully masked,
and every `full_every`-th batch drops nothing, so the encoder also sees the inference regime.
"""
from dataclasses import dataclass

import torch
from torch import nn

from .transformer import VisualEchoesTransformer


@dataclass(frozen=True)
class MaskingConfig:
    mean: float = 0.7
    std: float = 0.25
    low: float = 0.2
    drop: float = 0.5
    drop_unmasked: bool = True  # paper: drop from all positions; False: only masked ones (MAGE)
    guide_visible: float = 0.0
    guide_masked: float = 0.0
    full_every: int = 0  # every n-th step drops nothing (0: never)

    def drops(self, step: int) -> bool:
        return not (self.full_every and step % self.full_every == self.full_every - 1)


PAPER_RECIPE = MaskingConfig()
GUIDED = MaskingConfig(drop_unmasked=False, guide_visible=0.3, guide_masked=0.2, full_every=4)
RECIPES = {"paper": PAPER_RECIPE, "guided": GUIDED}


class TrainableTransformer(VisualEchoesTransformer):
    """The exported transformer plus a training forward that leaves dropped positions out of the encoder."""

    def forward_dropped(self, audio_tokens: torch.Tensor, image_tokens: torch.Tensor, keep):
        """keep: [B, K] sorted positions that enter the encoder (the rest are dropped and hold m), or None for all.

        Same function as forward() (which is what gets exported), computed with 1x1 and grouped
        convolutions: on CPU they run on oneDNN, many times faster than the reference BLAS matmul.
        """
        c = self.config
        x = self.embed(audio_tokens, image_tokens)
        if keep is not None:
            x = torch.gather(x, 1, keep[..., None].expand(-1, -1, x.shape[-1]))
        for block in self.encoder:
            x = block_forward(block, x)
        x = channels_last(linear(channels_first(self.encoder_norm(x)), self.to_decoder))
        masked = self.masked(audio_tokens, image_tokens)
        if keep is not None:
            full = self.mask_embedding.expand(x.shape[0], c.audio_tokens + c.image_tokens, -1).clone()
            x = full.scatter(1, keep[..., None].expand(-1, -1, x.shape[-1]), x)
        x = self.decoder_input(x, masked)
        for block in self.decoder:
            x = block_forward(block, x)
        h = channels_first(self.head[2](self.head[1](channels_last(linear(channels_first(self.decoder_norm(x)),
                                                                          self.head[0])))))
        audio_logits = nn.functional.conv1d(h[..., :c.audio_tokens],
                                            self.audio_embedding.weight[:c.audio_codebook, :, None], self.audio_bias)
        image_logits = nn.functional.conv1d(h[..., c.audio_tokens:],
                                            self.image_embedding.weight[:c.image_codebook, :, None], self.image_bias)
        return channels_last(audio_logits), channels_last(image_logits)


def channels_first(x: torch.Tensor) -> torch.Tensor:
    return x.transpose(1, 2)


def channels_last(x: torch.Tensor) -> torch.Tensor:
    return x.transpose(1, 2)


def linear(x: torch.Tensor, layer: nn.Linear) -> torch.Tensor:
    """[B, in, n] -> [B, out, n], nn.Linear as a 1x1 convolution."""
    return nn.functional.conv1d(x, layer.weight[:, :, None], layer.bias)


def block_forward(block, x: torch.Tensor) -> torch.Tensor:
    """transformer.Block.forward with its matmuls as (grouped) convolutions; x [B, n, w]."""
    b, n, w = x.shape
    h = block.heads
    dh = w // h
    g = b * h
    qkv = linear(channels_first(block.norm1(x)), block.qkv).reshape(b, 3, h, dh, n)
    q = (qkv[:, 0] * dh ** -0.5).reshape(1, g * dh, n)
    k = qkv[:, 1].transpose(2, 3).reshape(g * n, dh, 1)
    v = qkv[:, 2].reshape(g * dh, n, 1)
    scores = nn.functional.conv1d(q, k, groups=g).reshape(g, n, n)  # [g, key, query]
    attention = torch.softmax(scores, dim=1).reshape(1, g * n, n)
    out = nn.functional.conv1d(attention, v, groups=g).reshape(b, w, n)  # [b, head*dh, query]
    x = x + channels_last(linear(out, block.proj))
    y = linear(channels_first(block.norm2(x)), block.mlp[0])
    return x + channels_last(linear(block.mlp[1](y), block.mlp[2]))


def truncated_gaussian(n: int, m: MaskingConfig, generator: torch.Generator) -> torch.Tensor:
    """Rejection sampling of N(mean, std) restricted to [low, 1]."""
    out = torch.empty(0)
    while out.numel() < n:
        draw = m.mean + m.std * torch.randn(4 * n, generator=generator)
        out = torch.cat([out, draw[(draw >= m.low) & (draw <= 1.0)]])
    return out[:n]


def mask_ratios(batch: int, m: MaskingConfig, generator: torch.Generator) -> torch.Tensor:
    """[B, 2] mask ratios (audio, image)."""
    ratios = truncated_gaussian(2 * batch, m, generator).reshape(batch, 2)
    special = torch.rand(batch, generator=generator)
    which = torch.randint(0, 2, (batch,), generator=generator)
    rows = torch.arange(batch)
    visible = special < m.guide_visible
    masked = (special >= m.guide_visible) & (special < m.guide_visible + m.guide_masked)
    ratios[rows[visible], which[visible]] = 0.0
    ratios[rows[masked], which[masked]] = 1.0
    return ratios


def random_mask(batch: int, length: int, ratio: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """[B, L] bool: round(ratio*L) random positions per row."""
    counts = torch.round(ratio * length).long()
    order = torch.rand(batch, length, generator=generator).argsort(-1).argsort(-1)  # random rank per position
    return order < counts[:, None]


def dropped_positions(masked: torch.Tensor, audio_length: int, m: MaskingConfig, generator: torch.Generator):
    """[B, K] sorted positions that enter the encoder, or None when nothing is dropped.

    Paper: int(drop * length) random positions of each modality, masked or not, so every row keeps the same
    count. Otherwise (MAGE): the same number of masked positions in every row, at most drop * length.
    """
    b, length = masked.shape
    score = torch.rand(b, length, generator=generator)
    if m.drop_unmasked:
        spans = ((0, audio_length), (audio_length, length))
        keep = [score[:, s:e].argsort(-1)[:, int(m.drop * (e - s)):] + s for s, e in spans]
        return torch.cat(keep, 1).sort(-1).values
    n_drop = min(int(masked.sum(1).min()), int(m.drop * length))
    if n_drop == 0:
        return None
    return (score + (~masked).float() * 2).argsort(-1)[:, n_drop:].sort(-1).values


def training_loss(model: TrainableTransformer, audio: torch.Tensor, image: torch.Tensor, m: MaskingConfig,
                  generator: torch.Generator, drop: bool) -> torch.Tensor:
    c = model.config
    b = audio.shape[0]
    ratios = mask_ratios(b, m, generator)
    audio_mask = random_mask(b, c.audio_tokens, ratios[:, 0], generator)
    image_mask = random_mask(b, c.image_tokens, ratios[:, 1], generator)
    audio_in = torch.where(audio_mask, torch.full_like(audio, c.audio_codebook), audio)
    image_in = torch.where(image_mask, torch.full_like(image, c.image_codebook), image)
    masked = torch.cat([audio_mask, image_mask], 1)
    keep = dropped_positions(masked, c.audio_tokens, m, generator) if drop else None
    audio_logits, image_logits = model.forward_dropped(audio_in, image_in, keep)
    losses = torch.cat([
        nn.functional.cross_entropy(audio_logits.transpose(1, 2), audio, reduction="none"),
        nn.functional.cross_entropy(image_logits.transpose(1, 2), image, reduction="none")], 1)
    return (losses * masked).sum() / masked.sum()
