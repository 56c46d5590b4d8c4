"""ONNX export of one bundle component: opset 17, dynamic "batch", names and types checked against its contract."""
import hashlib
import pathlib

import onnx
import torch

from .manifest import Tensor

OPSET = 17
_DTYPES = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.INT64: "int64"}


def sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def graph_signature(model: onnx.ModelProto) -> tuple:
    """(inputs, outputs) of the graph as Tensor values; symbolic dimensions keep their names."""

    def describe(value) -> Tensor:
        t = value.type.tensor_type
        shape = tuple(d.dim_param if d.dim_param else d.dim_value for d in t.shape.dim)
        return Tensor(value.name, _DTYPES.get(t.elem_type, str(t.elem_type)), shape)

    initializers = {i.name for i in model.graph.initializer}
    inputs = [describe(v) for v in model.graph.input if v.name not in initializers]
    return inputs, [describe(v) for v in model.graph.output]


def _stamp_shapes(model: onnx.ModelProto, outputs: list) -> None:
    """The exporter leaves some output dimensions symbolic (e.g. after ArgMin); state the contract's sizes."""
    by_name = {t.name: t for t in outputs}
    for value in model.graph.output:
        dims = value.type.tensor_type.shape.dim
        for dim, size in zip(dims, by_name[value.name].shape):
            if isinstance(size, int):
                dim.dim_value = size
            else:
                dim.dim_param = size


def export_component(module: torch.nn.Module, example: tuple, path: pathlib.Path,
                     inputs: list, outputs: list) -> dict:
    """Exports `module` to `path` and returns its manifest entry; raises if the graph breaks the contract."""
    module.eval()
    names = [t.name for t in inputs + outputs]
    with torch.no_grad():
        torch.onnx.export(module, example, str(path), opset_version=OPSET, do_constant_folding=True,
                          input_names=[t.name for t in inputs], output_names=[t.name for t in outputs],
                          dynamic_axes={n: {0: "batch"} for n in names})
    model = onnx.load(str(path))
    _stamp_shapes(model, outputs)
    onnx.checker.check_model(model, full_check=True)  # strict shape inference: the stamp must agree with the graph
    path.write_bytes(model.SerializeToString())
    actual = graph_signature(model)
    if actual != (list(inputs), list(outputs)):
        raise ValueError(f"{path.name}: exported signature {actual} differs from contract {(inputs, outputs)}")
    return {"file": path.name, "sha256": sha256(path),
            "inputs": [t.to_json() for t in inputs], "outputs": [t.to_json() for t in outputs]}
