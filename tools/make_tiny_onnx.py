#!/usr/bin/env python3
"""Writes tests/fixtures/onnx/tiny_affine.onnx: y = relu(x @ W + b) with fixed, hand-checkable weights.

The C# smoke test and tools/tests/test_onnxruntime_native.py compute the same values by hand, so they check that
ONNX Runtime (the NuGet package's) loads a model and runs it. Uses Debian's python3-onnx (no torch needed).
"""
import pathlib
import sys

import onnx
from onnx import TensorProto, helper, numpy_helper
import numpy as np

W = np.array([[1.0, -1.0, 0.5], [2.0, 0.0, -0.25]], dtype=np.float32)  # [2, 3]
B = np.array([0.5, 1.0, -1.0], dtype=np.float32)


def build() -> onnx.ModelProto:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 2])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3])
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["xw"]),
        helper.make_node("Add", ["xw", "B"], ["z"]),
        helper.make_node("Relu", ["z"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, "tiny_affine", [x], [y],
        initializer=[numpy_helper.from_array(W, "W"), numpy_helper.from_array(B, "B")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="echopipeline-tools")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main() -> int:
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                       pathlib.Path(__file__).resolve().parents[1] / "tests/fixtures/onnx/tiny_affine.onnx")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(build().SerializeToString())
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
