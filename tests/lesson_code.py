"""The code a notebook teaches, loaded for unit tests: the notebook is its only source.

A lesson writes the model, loss, training step or rule it teaches in its own cells, where a reader
can change a line and run it again. Those cells carry the tag ``lesson-code`` and hold definitions
only (imports, constants, functions, classes): nothing trains, plots or prints there.
:func:`load` executes a notebook's ``lesson-code`` cells, in order, into a fresh module, so a test
calls the notebook's own functions and Keras classes directly: edit the cell, and the tests test
the edit.

Why this and not testbook: testbook runs the cells in a separate kernel and passes values back as
JSON, which carries neither NumPy arrays nor Keras models, so every test would become a string of
code injected into the kernel. Why not an nbdev-style export into ``helpers``: that would put a
second copy of each lesson in the package. Here the tagged cells run unchanged in the test's own
process, and ``SERIES_LESSON_SOURCE`` lets the mutation-testing script substitute an edited copy.
"""

from __future__ import annotations

import functools
import os
import types
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
TAG = "lesson-code"


def cells(name, folder=NOTEBOOKS, tag=TAG):
    """The sources of the cells tagged ``tag`` (``lesson-code``) of ``notebooks/<name>``, in order."""
    notebook = nbformat.read(Path(folder) / name, as_version=4)
    sources = [c.source for c in notebook.cells if c.cell_type == "code" and tag in c.metadata.get("tags", [])]
    if not sources:
        raise LookupError(f"{name} has no cell tagged {tag!r}")
    for source in sources:
        magic = [line for line in source.splitlines() if line.lstrip().startswith(("%", "!"))]
        if magic:
            raise ValueError(f"{name}: a {tag!r} cell must be plain Python, found {magic[0]!r}")
    return sources


def source(name, folder=NOTEBOOKS, tag=TAG):
    """The cells tagged ``tag`` (``lesson-code``) of ``notebooks/<name>`` as one Python module's text."""
    header = f'"""Exported from notebooks/{name} (cells tagged {tag!r}); edit the notebook, not this."""\n'
    return header + "\n\n".join(s.rstrip() + "\n" for s in cells(name, folder, tag))


def module_name(name):
    """``02_vae_kmeans.ipynb`` -> ``lesson_02_vae_kmeans``."""
    return "lesson_" + Path(name).stem


@functools.lru_cache(maxsize=None)
def load(name, tag=TAG):
    """Execute the cells tagged ``tag`` of ``notebooks/<name>`` into a fresh module and return it.

    ``tag`` is ``lesson-code`` by default; notebooks 01 and 03 tag the seed article's code, which
    their pitfall sections run, ``article-code`` (it imports Keras, which their rules do not need).
    If the environment variable ``SERIES_LESSON_SOURCE`` names a folder holding
    ``lesson_<stem>.py``, that file is executed instead of the ``lesson-code`` cells (the mutation
    script's edited copy).
    """
    override = os.environ.get("SERIES_LESSON_SOURCE") if tag == TAG else None
    path = Path(override) / f"{module_name(name)}.py" if override else None
    if path is not None and path.exists():
        text, filename = path.read_text(encoding="utf-8"), str(path)
    else:
        text, filename = source(name, tag=tag), str(NOTEBOOKS / name)
    module = types.ModuleType(module_name(name))
    module.__file__ = filename
    exec(compile(text, filename, "exec"), module.__dict__)  # noqa: S102 - the notebook's own code
    return module
