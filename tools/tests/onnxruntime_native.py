"""Runs an ONNX file with the engine's own ONNX Runtime (the native library of the Microsoft.ML.OnnxRuntime NuGet
package the .NET build restores), through its C API with ctypes, so Python tests compare exported graphs with PyTorch
without an onnxruntime wheel.

Only what a forward pass needs: an environment, a session, tensors over numpy buffers and Run with outputs
pre-allocated to the shapes the caller states (ONNX Runtime refuses a buffer of the wrong shape).
"""
import ctypes
import functools
import os
import pathlib
import platform
import subprocess
from xml.etree import ElementTree

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = "Microsoft.ML.OnnxRuntime"  # the CPU package: what the engine, the CLI and the tests run on
API_VERSION = 14  # any version up to the library's; the entries below exist since 1.x and never move
# Positions in the OrtApi table of function pointers (onnxruntime_c_api.h; the table only grows at the end).
_CREATE_ENV, _CREATE_SESSION, _RUN, _CREATE_SESSION_OPTIONS = 3, 7, 9, 10
_GET_ERROR_MESSAGE, _SET_INTRA_OP_THREADS, _CREATE_TENSOR_WITH_DATA, _CREATE_CPU_MEMORY_INFO = 2, 24, 49, 69
_RELEASE = {"env": 92, "status": 93, "memory_info": 94, "session": 95, "value": 96, "session_options": 100}
_ELEMENT_TYPES = {np.dtype(np.float32): 1, np.dtype(np.int64): 7}  # ONNXTensorElementDataType
_P = ctypes.c_void_p


def pinned_version() -> str:
    """The version of the package that Directory.Packages.props pins, so the tests run what the engine runs."""
    props = REPO / "Directory.Packages.props"
    for item in ElementTree.parse(props).getroot().iter("PackageVersion"):
        if item.get("Include") == PACKAGE:
            return item.get("Version")
    raise LookupError(f"{props} pins no version of {PACKAGE}")


def global_packages_folder() -> pathlib.Path:
    """Where NuGet restores packages, as dotnet itself resolves it (NUGET_PACKAGES, NuGet.Config, ~/.nuget/packages)."""
    try:
        listed = subprocess.run(["dotnet", "nuget", "locals", "global-packages", "--list"], cwd=REPO, check=True,
                                capture_output=True, text=True, timeout=120).stdout
        folder = listed.strip().partition("global-packages:")[2].strip()
        if folder:
            return pathlib.Path(folder)
    except (OSError, subprocess.SubprocessError):
        pass  # no usable dotnet: NuGet's own defaults, which is where a restore would have put the package anyway
    return pathlib.Path(os.environ.get("NUGET_PACKAGES") or pathlib.Path.home() / ".nuget" / "packages")


def find_library() -> pathlib.Path:
    """libonnxruntime.so of the pinned package in the global packages folder; fails naming the path and the fix."""
    rid = {"x86_64": "linux-x64", "aarch64": "linux-arm64"}.get(platform.machine(), f"linux-{platform.machine()}")
    version = pinned_version()
    library = (global_packages_folder() / PACKAGE.lower() / version / "runtimes" / rid / "native" / "libonnxruntime.so")
    if not library.is_file():
        raise FileNotFoundError(f"{library} is missing: {PACKAGE} {version} is not restored. "
                                "Build the solution first (dotnet build EchoPipeline.sln, as eng/test.sh does).")
    return library


@functools.cache
def library() -> pathlib.Path:
    return find_library()


class _Api:
    def __init__(self, library: pathlib.Path):
        lib = ctypes.CDLL(str(library))
        lib.OrtGetApiBase.restype = ctypes.POINTER(_P * 2)  # {GetApi, GetVersionString}
        base = lib.OrtGetApiBase().contents
        self.version = ctypes.CFUNCTYPE(ctypes.c_char_p)(base[1])().decode()
        table = ctypes.CFUNCTYPE(_P, ctypes.c_uint32)(base[0])(API_VERSION)
        if not table:
            raise RuntimeError(f"{library}: ONNX Runtime {self.version} does not offer C API version {API_VERSION}")
        self._table = ctypes.cast(table, ctypes.POINTER(_P * 128)).contents

    def function(self, index: int, restype, *argtypes):
        return ctypes.CFUNCTYPE(restype, *argtypes)(self._table[index])

    def check(self, status) -> None:
        if status:
            message = self.function(_GET_ERROR_MESSAGE, ctypes.c_char_p, _P)(status).decode()
            self.release("status", status)
            raise RuntimeError(f"ONNX Runtime: {message}")

    def release(self, kind: str, handle) -> None:
        self.function(_RELEASE[kind], None, _P)(handle)


class Session:
    """One model on the CPU provider, single-threaded; use as a context manager."""

    def __init__(self, model: pathlib.Path, threads: int = 1):
        self.api = api = _Api(library())
        self.env, options, self.session, self.memory = _P(), _P(), _P(), _P()
        api.check(api.function(_CREATE_ENV, _P, ctypes.c_int, ctypes.c_char_p, _P)(3, b"tests", ctypes.byref(self.env)))
        api.check(api.function(_CREATE_SESSION_OPTIONS, _P, _P)(ctypes.byref(options)))
        try:
            api.check(api.function(_SET_INTRA_OP_THREADS, _P, _P, ctypes.c_int)(options, threads))
            api.check(api.function(_CREATE_SESSION, _P, _P, ctypes.c_char_p, _P, _P)(
                self.env, str(model).encode(), options, ctypes.byref(self.session)))
        finally:
            api.release("session_options", options)
        # OrtArenaAllocator (1), OrtMemTypeDefault (0)
        api.check(api.function(_CREATE_CPU_MEMORY_INFO, _P, ctypes.c_int, ctypes.c_int, _P)(1, 0, ctypes.byref(self.memory)))

    def _tensor(self, array: np.ndarray):
        value = _P()
        shape = (ctypes.c_int64 * array.ndim)(*array.shape)
        self.api.check(self.api.function(_CREATE_TENSOR_WITH_DATA, _P, _P, _P, ctypes.c_size_t, _P, ctypes.c_size_t,
                                         ctypes.c_int, _P)(
            self.memory, array.ctypes.data, array.nbytes, shape, array.ndim, _ELEMENT_TYPES[array.dtype],
            ctypes.byref(value)))
        return value

    def run(self, inputs: dict, outputs: dict) -> dict:
        """inputs: name -> array; outputs: name -> (shape, dtype). Returns name -> array."""
        arrays = {n: np.ascontiguousarray(a) for n, a in inputs.items()}
        results = {n: np.empty(shape, dtype) for n, (shape, dtype) in outputs.items()}
        values = [self._tensor(a) for a in list(arrays.values()) + list(results.values())]
        try:
            names_in = (ctypes.c_char_p * len(arrays))(*[n.encode() for n in arrays])
            names_out = (ctypes.c_char_p * len(results))(*[n.encode() for n in results])
            values_in = (_P * len(arrays))(*values[:len(arrays)])
            values_out = (_P * len(results))(*values[len(arrays):])
            self.api.check(self.api.function(_RUN, _P, _P, _P, _P, _P, ctypes.c_size_t, _P, ctypes.c_size_t, _P)(
                self.session, None, names_in, values_in, len(arrays), names_out, len(results), values_out))
        finally:
            for value in values:
                self.api.release("value", value)
        return results

    def close(self) -> None:
        for kind in ("memory_info", "session", "env"):
            handle = getattr(self, {"memory_info": "memory"}.get(kind, kind))
            if handle:
                self.api.release(kind, handle)
        self.memory = self.session = self.env = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
