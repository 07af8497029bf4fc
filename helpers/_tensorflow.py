"""Load TensorFlow and Keras without TensorFlow's native start-up chatter.

The standard ``tensorflow`` wheel probes for CUDA when it loads and, on a
machine without a GPU, writes lines such as "Could not find cuda drivers"
straight to the process's standard error, below Python, where neither
``TF_CPP_MIN_LOG_LEVEL`` nor ``warnings`` can stop them. In a notebook
those lines land in the committed output and look like errors. This module
captures the native standard error only while TensorFlow loads and probes
its devices: if that succeeds the capture is dropped; if it raises, the
capture is written to ``sys.stderr`` before the exception propagates, so a
real failure keeps its native explanation. (A crash that kills the process
outright, with no Python exception, still loses the capture.)

The helpers need Keras' TensorFlow backend (their models and training loops
use TensorFlow). :func:`load_keras` selects it when nothing else is chosen
and refuses, with instructions, when another backend is.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile

#: The only Keras backend the helpers support.
BACKEND = "tensorflow"


def _backend_error(backend, *, already_imported):
    if already_imported:
        how = (
            f"Keras was already imported with the {backend!r} backend, and a backend cannot be "
            "changed after Keras is imported. Restart the kernel (or the Python process), then set "
            "os.environ['KERAS_BACKEND'] = 'tensorflow' before the first `import keras`."
        )
    else:
        how = (
            "Set KERAS_BACKEND=tensorflow (or unset it) before Keras is imported: in a shell, "
            "`export KERAS_BACKEND=tensorflow`; in a notebook, restart the kernel and run "
            "`import os; os.environ['KERAS_BACKEND'] = 'tensorflow'` before importing keras or helpers."
        )
    return ImportError(
        f"The helpers need Keras' TensorFlow backend, but the Keras backend is {backend!r}. {how}"
    )


@contextlib.contextmanager
def _native_stderr_silenced():
    """Send file descriptor 2 to a temporary file; replay it if the block raises.

    On success what was written there (TensorFlow's CUDA chatter) is
    discarded. On an exception it is written to ``sys.stderr`` first, so a
    failing native import is not left without its message. If descriptor 2
    cannot be redirected (rare embedded setups), nothing is hidden.
    """
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no usable file descriptor 2
        saved = None
    if saved is None:
        yield
        return
    try:
        with tempfile.TemporaryFile() as capture:
            os.dup2(capture.fileno(), 2)
            try:
                yield
            except BaseException:
                os.dup2(saved, 2)
                capture.seek(0)
                _replay(capture.read())
                raise
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _replay(data):
    """Write captured native output to ``sys.stderr`` (the notebook, in Jupyter)."""
    text = data.decode("utf-8", errors="replace")
    if not text.strip():
        return
    with contextlib.suppress(Exception):
        sys.stderr.write("--- native output while TensorFlow was loading ---\n")
        sys.stderr.write(text if text.endswith("\n") else text + "\n")
        sys.stderr.write("--- end of native output ---\n")
        sys.stderr.flush()


def load_keras():
    """Import TensorFlow quietly and return the ``keras`` module.

    Raises
    ------
    ImportError
        If Keras is set to (or already imported with) a backend other than
        TensorFlow; the message says how to switch. Also if TensorFlow or
        Keras fail to import, after replaying TensorFlow's native output.
    """
    if not os.environ.get("KERAS_BACKEND"):  # unset or empty: Keras would read ~/.keras/keras.json
        os.environ["KERAS_BACKEND"] = BACKEND
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    keras = sys.modules.get("keras")
    if keras is not None:  # already imported: its backend is fixed, whatever the variable says now
        backend = keras.backend.backend()
        if backend != BACKEND:
            raise _backend_error(backend, already_imported=True)
    elif os.environ["KERAS_BACKEND"] != BACKEND:  # check before spending seconds importing TensorFlow
        raise _backend_error(os.environ["KERAS_BACKEND"], already_imported=False)
    if "tensorflow" not in sys.modules:
        with _native_stderr_silenced():
            import tensorflow as tf

            tf.config.list_physical_devices()  # probe CUDA now, while captured
    import keras

    if keras.backend.backend() != BACKEND:  # e.g. the variable changed while keras was importing
        raise _backend_error(keras.backend.backend(), already_imported=True)
    tensorflow_logger = logging.getLogger("tensorflow")
    if not any(isinstance(f, _NoRetracingAdvice) for f in tensorflow_logger.filters):
        tensorflow_logger.addFilter(_NoRetracingAdvice())
    return keras


class _NoRetracingAdvice(logging.Filter):
    """Drop TensorFlow's "N out of the last M calls to <function ...> triggered tf.function retracing" advice.

    Each new Keras model traces its own training and prediction steps once, and TensorFlow counts those
    traces together: once five fresh models have traced a kind of step, as when a learner runs notebook 04's
    network again, it prints a paragraph (up to twice per kind of step in TensorFlow 2.21) advising to move
    a ``tf.function`` out of a loop that is not the learner's. Every other TensorFlow message passes.
    """

    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()
