"""Load TensorFlow and Keras without TensorFlow's native start-up chatter.

The standard ``tensorflow`` wheel probes for CUDA when it loads and, on a
machine without a GPU, writes lines such as "Could not find cuda drivers"
straight to the process's standard error, below Python, where neither
``TF_CPP_MIN_LOG_LEVEL`` nor ``warnings`` can stop them. In a notebook
those lines land in the committed output and look like errors. This module
silences the native standard error only while TensorFlow loads and probes
its devices. Python exceptions are unaffected.
"""

from __future__ import annotations

import contextlib
import os
import sys


@contextlib.contextmanager
def _native_stderr_silenced():
    """Point file descriptor 2 at the null device, then restore it."""
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def load_keras():
    """Import TensorFlow quietly and return the ``keras`` module."""
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if "tensorflow" not in sys.modules:
        try:
            with _native_stderr_silenced():
                import tensorflow as tf

                tf.config.list_physical_devices()  # probe CUDA now, while silenced
        except OSError:  # no usable file descriptor 2 (rare embedded setups)
            import tensorflow  # noqa: F401
    import keras

    return keras
