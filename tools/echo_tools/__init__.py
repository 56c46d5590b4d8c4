"""Visual Echoes toolkit: PyTorch modules, ONNX export and model bundle writing (docs/bundle-format.md)."""

FORMAT_VERSION = 1
TOOLKIT = "tools/echo_tools 1"
