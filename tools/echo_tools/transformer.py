"""The Visual Echoes masked transformer: one bidirectional sequence [audio tokens, image tokens].

Per-modality token embeddings with C+1 rows (the last is MASK), learned positional and modality
embeddings, a MAGE-like encoder/decoder split and logits tied to the first C embedding rows.
Before the decoder (paper §3.3, Fig. 1; MAGE): every masked position's encoder output is replaced by one
learnable, modality-shared mask embedding m (training also pads dropped positions with it), then decoder
positional and modality embeddings are added. Classifier-free guidance's unconditional input is a fully
masked guide, i.e. m at every guide position, which training shows the decoder often.
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
    decoder_width: int = 1024  # MAGE-large's decoder: with both VQGANs the paper's 551 M (Table 1)
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

    def forward(self, x: torch.Tensor, attend=None) -> torch.Tensor:
        """attend(block, q, k, v) -> [B, N, W], q, k, v [B, N, W] with the heads side by side; default Block.attend."""
        q, k, v = self.qkv(self.norm1(x)).chunk(3, dim=-1)
        x = x + self.proj((attend or Block.attend)(self, q, k, v))
        return x + self.mlp(self.norm2(x))

    def attend(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        b, n, w = q.shape
        q, k, v = (t.reshape(b, n, self.heads, w // self.heads).transpose(1, 2) for t in (q, k, v))
        attention = torch.softmax(q @ k.transpose(-2, -1) * (w // self.heads) ** -0.5, dim=-1)
        return (attention @ v).transpose(1, 2).reshape(b, n, w)


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
        self.encoder = nn.ModuleList(Block(c.width, c.heads) for _ in range(c.depth))
        self.encoder_norm = nn.LayerNorm(c.width)
        self.to_decoder = nn.Linear(c.width, c.decoder_width)
        # m and the decoder modalities start at zero (learned from there): drawing them would shift the random
        # stream of every module built after the transformer, e.g. the test bundles' random weights.
        self.mask_embedding = nn.Parameter(torch.zeros(1, 1, c.decoder_width))
        self.decoder_position = nn.Parameter(torch.randn(1, c.audio_tokens + c.image_tokens, c.decoder_width) * c.init_std)
        self.decoder_modality = nn.Parameter(torch.zeros(2, c.decoder_width))
        self.decoder = nn.ModuleList(Block(c.decoder_width, c.decoder_heads) for _ in range(c.decoder_depth))
        self.decoder_norm = nn.LayerNorm(c.decoder_width)
        # MAGE's MLM head: back to embedding width, then dot products with the token embeddings.
        self.head = nn.Sequential(nn.Linear(c.decoder_width, c.width), nn.GELU(), nn.LayerNorm(c.width))
        self.audio_bias = nn.Parameter(torch.zeros(c.audio_codebook))
        self.image_bias = nn.Parameter(torch.zeros(c.image_codebook))

    def masked(self, audio_tokens: torch.Tensor, image_tokens: torch.Tensor) -> torch.Tensor:
        """[B, L] bool: the positions holding a modality's MASK id."""
        c = self.config
        return torch.cat([audio_tokens == c.audio_codebook, image_tokens == c.image_codebook], dim=1)

    def embed(self, audio_tokens: torch.Tensor, image_tokens: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.audio_embedding(audio_tokens) + self.modality[0],
                          self.image_embedding(image_tokens) + self.modality[1]], dim=1) + self.position

    def decoder_input(self, x: torch.Tensor, masked: torch.Tensor) -> torch.Tensor:
        """x [B, L, decoder_width] from to_decoder: m at masked positions, plus decoder position and modality."""
        c = self.config
        modality = torch.cat([self.decoder_modality[:1].expand(c.audio_tokens, -1),
                              self.decoder_modality[1:].expand(c.image_tokens, -1)])
        return torch.where(masked[..., None], self.mask_embedding, x) + self.decoder_position + modality

    def forward(self, audio_tokens: torch.Tensor, image_tokens: torch.Tensor, attend=None, image_logits: bool = True):
        """(audio_logits, image_logits); attend: Block.forward's; image_logits False: audio logits alone."""
        x = self.embed(audio_tokens, image_tokens)
        for block in self.encoder:
            x = block(x, attend)
        x = self.decoder_input(self.to_decoder(self.encoder_norm(x)), self.masked(audio_tokens, image_tokens))
        for block in self.decoder:
            x = block(x, attend)
        x = self.decoder_norm(x)
        c = self.config
        audio = self.head(x[:, :c.audio_tokens]) @ self.audio_embedding.weight[:c.audio_codebook].t() + self.audio_bias
        if not image_logits:
            return (audio,)
        image = self.head(x[:, c.audio_tokens:]) @ self.image_embedding.weight[:c.image_codebook].t() + self.image_bias
        return audio, image
