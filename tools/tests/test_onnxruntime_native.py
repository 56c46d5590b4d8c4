"""The Python tests' ONNX Runtime is the engine's: the native library of the NuGet package the solution restores."""
import numpy as np
import pytest

import onnxruntime_native
from conftest import REPO


def test_the_library_is_the_version_directory_packages_props_pins():
    library = onnxruntime_native.library()

    assert onnxruntime_native._Api(library).version == onnxruntime_native.pinned_version()
    assert library.parts[-6:-4] == ("microsoft.ml.onnxruntime", onnxruntime_native.pinned_version())


def test_the_global_packages_folder_follows_nuget_packages(tmp_path, monkeypatch):
    monkeypatch.setenv("NUGET_PACKAGES", str(tmp_path))

    assert onnxruntime_native.global_packages_folder().resolve() == tmp_path.resolve()


def test_a_package_that_is_not_restored_fails_naming_the_path_and_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("NUGET_PACKAGES", str(tmp_path))
    expected = tmp_path / "microsoft.ml.onnxruntime" / onnxruntime_native.pinned_version()

    with pytest.raises(FileNotFoundError, match="is not restored. Build the solution first") as error:
        onnxruntime_native.find_library()
    assert str(expected) in str(error.value)


def test_a_session_computes_relu_of_the_tiny_affine_map_like_the_hand_computation():
    # The weights tools/make_tiny_onnx.py writes into tiny_affine.onnx.
    w = np.array([[1, -1, 0.5], [2, 0, -0.25]], np.float32)
    b = np.array([0.5, 1, -1], np.float32)
    x = np.array([[3, -2], [0.25, 4]], np.float32)

    with onnxruntime_native.Session(REPO / "tests" / "fixtures" / "onnx" / "tiny_affine.onnx") as session:
        y = session.run({"x": x}, {"y": ((2, 3), np.float32)})["y"]

    np.testing.assert_allclose(y, np.maximum(x @ w + b, 0), rtol=1e-6)
