"""helpers._tensorflow: the TensorFlow backend is required, and loading it hides only harmless chatter.

Most of these run a fresh Python, because a Keras backend is fixed at Keras' first import and
the test session has already imported Keras with TensorFlow.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from helpers import _tensorflow

ROOT = Path(__file__).resolve().parents[1]


def _start(code, *, backend=None, pythonpath=(), keras_home=None):
    """A fresh Python running ``code``, started (not waited for), with its output captured."""
    env = {k: v for k, v in os.environ.items() if k not in ("KERAS_BACKEND", "PYTHONPATH")}
    if backend is not None:
        env["KERAS_BACKEND"] = backend
    if keras_home is not None:
        env["KERAS_HOME"] = str(keras_home)
    env["PYTHONPATH"] = os.pathsep.join([*map(str, pythonpath), str(ROOT)])
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process):
    stdout, stderr = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _python(code, **kwargs):
    return _finish(_start(code, **kwargs))


# --------------------------------------------------------------------------- the backend


@pytest.mark.parametrize("backend", ["jax", "torch", "numpy"])
def test_importing_the_helpers_with_another_backend_says_how_to_fix_it(backend):
    # jax and torch are not installed here: without the check, a learner gets
    # "No module named 'jax'" from deep inside Keras, after TensorFlow has loaded for seconds.
    result = _python(
        """
        import sys
        try:
            import helpers.models
        except ImportError as error:
            print("ERROR:", type(error).__name__, error)
            print("tensorflow loaded:", "tensorflow" in sys.modules)
        else:
            print("NO ERROR")
        """,
        backend=backend,
    )
    assert result.returncode == 0, result.stderr
    assert "NO ERROR" not in result.stdout
    message = result.stdout
    assert "ERROR: ImportError" in message
    assert "need Keras' TensorFlow backend" in message and repr(backend) in message
    assert "KERAS_BACKEND=tensorflow" in message and "restart the kernel" in message
    assert "No module named" not in message
    assert "tensorflow loaded: False" in message  # refused before the slow import


def test_a_clear_error_reaches_the_user_when_the_import_is_not_caught():
    result = _python("import helpers.models", backend="jax")
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: The helpers need Keras' TensorFlow backend, but the Keras backend is 'jax'")


def test_tensorflow_backend_is_chosen_when_none_is_set_or_it_is_empty(tmp_path):
    # Keras would fall back on keras.json, which here names another backend
    (tmp_path / "keras.json").write_text('{"backend": "jax"}', encoding="utf-8")
    code = """
        import helpers.models
        print("backend:", helpers.models.keras.backend.backend())
        """
    # Both at once: each fresh Python spends seconds importing TensorFlow.
    running = {backend: _start(code, backend=backend, keras_home=tmp_path) for backend in (None, "")}
    for backend, process in running.items():
        result = _finish(process)
        assert result.returncode == 0, (backend, result.stderr)
        assert result.stdout.strip() == "backend: tensorflow", backend
        # TensorFlow's CUDA probe writes "Could not find cuda drivers" on a CPU machine: hidden
        assert "cuda" not in result.stderr.lower(), (backend, result.stderr)


def test_keras_already_imported_with_another_backend_is_refused(monkeypatch):
    fake = types.ModuleType("keras")
    fake.backend = types.SimpleNamespace(backend=lambda: "jax")
    monkeypatch.setitem(sys.modules, "keras", fake)
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")  # too late: Keras is already on jax
    with pytest.raises(ImportError, match=r"already imported with the 'jax' backend.*Restart the kernel"):
        _tensorflow.load_keras()


def test_keras_already_imported_with_tensorflow_is_returned(monkeypatch):
    import keras

    monkeypatch.setenv("KERAS_BACKEND", "jax")  # changed after the import: Keras stays on TensorFlow
    assert _tensorflow.load_keras() is keras


# --------------------------------------------------------------------------- native standard error


def test_native_stderr_is_hidden_when_the_block_succeeds():
    result = _python(
        """
        import os
        from helpers._tensorflow import _native_stderr_silenced
        with _native_stderr_silenced():
            os.write(2, b"Could not find cuda drivers\\n")
        os.write(2, b"after\\n")
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "after\n"


def test_native_stderr_is_shown_when_the_block_raises():
    result = _python(
        """
        import os
        from helpers._tensorflow import _native_stderr_silenced
        try:
            with _native_stderr_silenced():
                os.write(2, b"F0000 native.cc:42] Check failed: the real reason\\n")
                raise RuntimeError("import failed")
        except RuntimeError:
            os.write(2, b"descriptor 2 restored\\n")
        """
    )
    assert result.returncode == 0, result.stderr
    assert "Check failed: the real reason" in result.stderr
    assert result.stderr.endswith("descriptor 2 restored\n")


def test_a_failing_tensorflow_import_keeps_its_native_message(tmp_path):
    # a stand-in TensorFlow that dies the way a broken install does: native text, then ImportError
    (tmp_path / "tensorflow").mkdir()
    (tmp_path / "tensorflow" / "__init__.py").write_text(
        "import os\n"
        "os.write(2, b'F0000 pywrap.cc:1] Check failed: protobuf version mismatch\\n')\n"
        "raise ImportError('DLL load failed while importing _pywrap_tensorflow_internal')\n",
        encoding="utf-8",
    )
    result = _python("import helpers.models", backend="tensorflow", pythonpath=[tmp_path])
    assert result.returncode == 1
    assert "Check failed: protobuf version mismatch" in result.stderr
    assert "ImportError: DLL load failed" in result.stderr


def test_tensorflows_retracing_advice_is_dropped_and_its_other_warnings_pass():
    """A learner's probe of notebook 04: running its network again printed, per model after the fifth, a
    paragraph of TensorFlow's advice to move a tf.function out of a loop (each new Keras model traces its own
    steps). The helpers drop that one message; TensorFlow's other log messages still reach stderr."""
    result = _python("""
        import numpy as np
        import helpers
        from helpers import training
        import tensorflow as tf
        keras = training.keras
        X = np.zeros((8, 3), dtype="float32")
        for _ in range(10):  # ten fresh models: TensorFlow would warn from the sixth on
            inputs = keras.Input(shape=(3,))
            keras.Model(inputs, keras.layers.Dense(2)(inputs)).predict(X, verbose=0)
        tf.get_logger().warning("another TensorFlow warning")
        from helpers import _tensorflow
        _tensorflow.load_keras()  # a second load adds no second filter
        import logging
        print(sum(isinstance(f, _tensorflow._NoRetracingAdvice) for f in logging.getLogger("tensorflow").filters))
    """)
    assert result.returncode == 0, result.stderr
    assert "retracing" not in result.stderr
    assert "another TensorFlow warning" in result.stderr
    assert result.stdout.strip() == "1"
