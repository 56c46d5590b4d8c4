"""GPU variants of transformer.onnx (issue 17 item 1): fused attention, fp16 weights, audio logits alone.

- Fused attention: every block's attention is one com.microsoft MultiHeadAttention node (q, k, v [B, N, W] with
  the heads side by side, num_heads, the default scale 1/sqrt(head size)), which ONNX Runtime's CUDA provider runs
  with its flash / memory-efficient kernels and its CPU provider runs too (so CPU tests can check it). The ONNX
  Attention op (opset 23) would need an opset the rest of the bundle (17) and the exporter do not use.
- fp16: weights and activations in float16, token inputs int64 and logits float32 as in the contract (a Cast at
  each output), so the engine's sampling code is unchanged; LayerNormalization keeps its float32 stash.
- Image->audio (`image_logits=False`): only `audio_logits`; the head and the 256 x C image logits, which
  image->audio sampling throws away, are not computed.

A variant is described in bundle.json under "variants" (docs/models.md): the default components.transformer
stays the plain float32 graph every provider runs.
"""
import pathlib

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from .export import OPSET, graph_signature, sha256
from .manifest import Tokens, contracts
from .transformer import VisualEchoesTransformer

MS_DOMAIN = "com.microsoft"


class _MultiHeadAttention(torch.autograd.Function):
    """Plain attention in PyTorch; one com.microsoft MultiHeadAttention node in the ONNX graph."""

    @staticmethod
    def forward(ctx, q, k, v, heads: int):
        b, n, w = q.shape
        split = [t.reshape(b, n, heads, w // heads).transpose(1, 2) for t in (q, k, v)]
        attention = torch.softmax(split[0] @ split[1].transpose(-2, -1) * (w // heads) ** -0.5, dim=-1)
        return (attention @ split[2]).transpose(1, 2).reshape(b, n, w)

    @staticmethod
    def symbolic(g, q, k, v, heads: int):
        out = g.op(f"{MS_DOMAIN}::MultiHeadAttention", q, k, v, num_heads_i=heads)
        out.setType(q.type())
        return out


def fused_attention(block, q, k, v):
    return _MultiHeadAttention.apply(q, k, v, block.heads)


class GpuTransformer(torch.nn.Module):
    def __init__(self, model: VisualEchoesTransformer, fused: bool = True, image_logits: bool = True):
        super().__init__()
        self.model, self.fused, self.image_logits = model, fused, image_logits

    def forward(self, audio_tokens: torch.Tensor, image_tokens: torch.Tensor):
        return self.model(audio_tokens, image_tokens, attend=fused_attention if self.fused else None,
                          image_logits=self.image_logits)


def to_float16(model: onnx.ModelProto) -> onnx.ModelProto:
    """Float tensors of the graph -> float16; float outputs get a Cast back to float32 under their own names."""
    graph = model.graph
    for i, tensor in enumerate(graph.initializer):
        if tensor.data_type == TensorProto.FLOAT:
            graph.initializer[i].CopyFrom(numpy_helper.from_array(numpy_helper.to_array(tensor).astype(np.float16),
                                                                  tensor.name))
    for node in graph.node:
        for attribute in node.attribute:
            if attribute.type == onnx.AttributeProto.TENSOR and attribute.t.data_type == TensorProto.FLOAT:
                attribute.t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(attribute.t).astype(np.float16),
                                                             attribute.t.name))
            elif node.op_type == "Cast" and attribute.name == "to" and attribute.i == TensorProto.FLOAT:
                attribute.i = TensorProto.FLOAT16
    casts = []
    for output in graph.output:
        if output.type.tensor_type.elem_type != TensorProto.FLOAT:
            continue
        inner = f"{output.name}_float16"
        for node in graph.node:
            node.output[:] = [inner if name == output.name else name for name in node.output]
            node.input[:] = [inner if name == output.name else name for name in node.input]
        casts.append(helper.make_node("Cast", [inner], [output.name], to=TensorProto.FLOAT, name=f"{output.name}_cast"))
    graph.node.extend(casts)
    del graph.value_info[:]  # stale float32 types of intermediate values; ONNX Runtime infers them again
    return model


def export_variant(model: VisualEchoesTransformer, path: pathlib.Path, tokens: Tokens, *, fused: bool = True,
                   float16: bool = False, image_logits: bool = True) -> dict:
    """Writes one variant to `path` and returns its manifest entry (without name and providers)."""
    c = model.config
    inputs, outputs = contracts(tokens)["transformer"]
    outputs = outputs if image_logits else outputs[:1]
    names = [t.name for t in inputs + outputs]
    example = (torch.full((1, c.audio_tokens), c.audio_codebook), torch.zeros(1, c.image_tokens, dtype=torch.long))
    module = GpuTransformer(model.eval(), fused, image_logits).eval()
    with torch.no_grad():
        torch.onnx.export(module, example, str(path), opset_version=OPSET, do_constant_folding=True,
                          input_names=[t.name for t in inputs], output_names=[t.name for t in outputs],
                          dynamic_axes={n: {0: "batch"} for n in names},
                          custom_opsets={MS_DOMAIN: 1} if fused else None)
    graph = onnx.load(str(path))
    for value in graph.graph.output:
        spec = next(t for t in outputs if t.name == value.name)
        for dim, size in zip(value.type.tensor_type.shape.dim, spec.shape):
            if isinstance(size, int):
                dim.dim_value = size
            else:
                dim.dim_param = size
    if float16:
        graph = to_float16(graph)
    onnx.checker.check_model(graph)  # not full_check: ONNX's shape inference has no schema for com.microsoft ops
    path.write_bytes(graph.SerializeToString())
    actual = graph_signature(graph)
    if actual != (list(inputs), list(outputs)):
        raise ValueError(f"{path.name}: exported signature {actual} differs from {(inputs, outputs)}")
    return {"file": path.name, "sha256": sha256(path),
            "attention": f"{MS_DOMAIN}.MultiHeadAttention" if fused else "plain",
            "weights": "float16" if float16 else "float32",
            "inputs": [t.to_json() for t in inputs], "outputs": [t.to_json() for t in outputs]}


# The variants a GPU bundle carries, in the engine's order of preference for the CUDA provider.
CUDA_VARIANTS = (
    {"name": "cuda-fp16-fused", "file": "transformer.cuda-fp16.onnx", "float16": True, "image_logits": True,
     "modes": ["imageToAudio", "audioToImage", "coGeneration"]},
    {"name": "cuda-fp16-fused-audio", "file": "transformer.cuda-fp16-audio.onnx", "float16": True,
     "image_logits": False, "modes": ["imageToAudio"]},
)


def export_cuda_variants(model: VisualEchoesTransformer, folder: pathlib.Path, tokens: Tokens) -> dict:
    """{"transformer": [variant entries]} for bundle.json's "variants" (docs/models.md)."""
    entries = []
    for v in CUDA_VARIANTS:
        entry = export_variant(model, pathlib.Path(folder) / v["file"], tokens, float16=v["float16"],
                               image_logits=v["image_logits"])
        entries.append({"name": v["name"], "executionProviders": ["CUDAExecutionProvider"], "modes": v["modes"],
                        **entry})
    return {"transformer": entries}


def describe(path: pathlib.Path) -> dict:
    """Op types, attention nodes and initializer dtypes of an exported variant (for tests and reports)."""
    model = onnx.load(str(path))
    graph = model.graph
    return {"ops": sorted({n.op_type for n in graph.node}),
            "attention": sum(n.op_type == "MultiHeadAttention" and n.domain == MS_DOMAIN for n in graph.node),
            "initializer_types": sorted({TensorProto.DataType.Name(t.data_type) for t in graph.initializer}),
            "outputs": graph_signature(model)[1]}
