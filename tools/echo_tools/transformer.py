"""The Visual Echoes masked transformer: one bidirectional sequence [audio tokens, image tokens].

Per-modality token embeddings with C+1 rows (the last is MASK), learned positional and modality
embeddings, a MAGE-like encoder/decoder split and logits tied to the first C embedding rows.
Attention is written with plain ops so torch.onnx.export (opset 17) never meets a fused kernel.
"""
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class TransformerConfig:
    audio_tokens: int = 265
    image_tokens: int = 256
    audio_codebook: int = 1024
    image_codebook: int = 1024
    width: int = 1024
    decoder_width: int = 512
    heads: int = 16
    decoder_heads: int = 16
    depth: int = 24
    decoder_depth: int = 8
    init_std: float = 0.02  # MAGE's init of token, position and modality embeddings; sets the logit scale (tied head)


class Block(nn.Module):
    """Pre-norm transformer block with full (unmasked) self-attention."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.norm2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n, w = x.shape
        q, k, v = self.qkv(self.norm1(x)).reshape(b, n, 3, self.heads, w // self.heads).permute(2, 0, 3, 1, 4).unbind(0)
        attention = torch.softmax(q @ k.transpose(-2, -1) * (w // self.heads) ** -0.5, dim=-1)
        x = x + self.proj((attention @ v).transpose(1, 2).reshape(b, n, w))
        return x + self.mlp(self.norm2(x))


class VisualEchoesTransformer(nn.Module):
    def __init__(self, config: TransformerConfig):
        super().__init__()
        c = config
        self.config = c
        self.audio_embedding = nn.Embedding(c.audio_codebook + 1, c.width)
        self.image_embedding = nn.Embedding(c.image_codebook + 1, c.width)
        for embedding in (self.audio_embedding, self.image_embedding):
            nn.init.normal_(embedding.weight, std=c.init_std)
        self.position = nn.Parameter(torch.randn(1, c.audio_tokens + c.image_tokens, c.width) * c.init_std)
        self.modality = nn.Parameter(torch.randn(2, c.width) * c.init_std)
        self.encoder = nn.Sequential(*[Block(c.width, c.heads) for _ in range(c.depth)])
        self.encoder_norm = nn.LayerNorm(c.width)
        self.to_decoder = nn.Linear(c.width, c.decoder_width)
        self.decoder_position = nn.Parameter(torch.randn(1, c.audio_tokens + c.image_tokens, c.decoder_width) * c.init_std)
        self.decoder = nn.Sequential(*[Block(c.decoder_width, c.decoder_heads) for _ in range(c.decoder_depth)])
        self.decoder_norm = nn.LayerNorm(c.decoder_width)
        # MAGE's MLM head: back to embedding width, then dot products with the token embeddings.
        self.head = nn.Sequential(nn.Linear(c.decoder_width, c.width), nn.GELU(), nn.LayerNorm(c.width))
        self.audio_bias = nn.Parameter(torch.zeros(c.audio_codebook))
        self.image_bias = nn.Parameter(torch.zeros(c.image_codebook))

    def forward(self, audio_tokens: torch.Tensor, image_tokens: torch.Tensor):
        c = self.config
        x = torch.cat([self.audio_embedding(audio_tokens) + self.modality[0],
                       self.image_embedding(image_tokens) + self.modality[1]], dim=1) + self.position
        x = self.encoder_norm(self.encoder(x))
        x = self.decoder_norm(self.decoder(self.to_decoder(x) + self.decoder_position))
        h = self.head(x)
        audio_logits = h[:, :c.audio_tokens] @ self.audio_embedding.weight[:c.audio_codebook].t() + self.audio_bias
        image_logits = h[:, c.audio_tokens:] @ self.image_embedding.weight[:c.image_codebook].t() + self.image_bias
        return audio_logits, image_logits
