"""Shared fixtures for the helpers' unit tests."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported anywhere: no windows, no display needed

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402

#: Centres of three blobs far apart compared with their spread.
BLOB_CENTRES = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every Matplotlib figure a test opened."""
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def three_blobs():
    """Three well-separated 2-D Gaussian blobs: ``(X, y)`` with 150 points."""
    X, y = make_blobs(n_samples=150, centers=BLOB_CENTRES, cluster_std=0.5, random_state=0)
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


@pytest.fixture(scope="session")
def single_blob():
    """One 2-D standard-normal blob of 200 points (no cluster structure)."""
    X = np.random.default_rng(0).normal(size=(200, 2))
    X.setflags(write=False)
    return X


@pytest.fixture(scope="session")
def tiny_features():
    """A tiny float32 dataset for fast Keras tests: 32 samples x 4 features."""
    X = np.random.default_rng(0).normal(size=(32, 4)).astype(np.float32)
    X.setflags(write=False)
    return X


# --- fresh notebook outputs for the claims tests --------------------------------------------------


def _record_outputs(item, runtest):
    """Wrap one nbval cell's ``runtest`` so the outputs it produced are kept for the claims tests.

    nbval keeps the first version of a display that a cell later updates (``update_display_data``,
    as ``training.CompactProgress`` does after every epoch); Jupyter saves the last. The wrapper
    watches the kernel's messages and applies the updates, so fresh outputs read as saved ones do.
    """
    import notebook_outputs

    parent = item.parent

    def run_and_record():
        displays, updates = [], []
        original = parent.get_kernel_message

        def watch(*args, **kwargs):
            message = original(*args, **kwargs)
            kind = message.get("msg_type")
            if kind in ("display_data", "update_display_data"):
                display_id = message["content"].get("transient", {}).get("display_id")
                (displays if kind == "display_data" else updates).append((display_id, message["content"]))
            return message

        parent.get_kernel_message = watch
        try:
            runtest()
        finally:
            del parent.get_kernel_message  # the class's method again
            if item.test_outputs is not None:
                outputs = [nbformat_node(o) for o in item.test_outputs]
                shown = [o for o in outputs if o.get("output_type") == "display_data"]
                for display_id, content in updates:
                    for (shown_id, _), output in zip(displays, shown):
                        if display_id is not None and shown_id == display_id:
                            output["data"], output["metadata"] = content.get("data", {}), content.get("metadata", {})
                notebook_outputs.FRESH_OUTPUTS.setdefault(item.path.name, {})[item.cell_num] = outputs

    return run_and_record


def worker_scope(nodeid):
    """The share of the test run one pytest-xdist worker runs whole and in order.

    ``"notebook 04"`` for notebook 04's nbval cells and its claims tests (they read the outputs that
    worker recorded); otherwise the test's file (its module fixtures are built once).
    """
    path = nodeid.split("::", 1)[0]
    number = re.search(r"(?:^notebooks/|/test_notebook_)(\d\d)[_.]", path)
    return f"notebook {number.group(1)}" if number else path


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: without pytest-xdist, never called
def pytest_xdist_make_scheduler(config, log):
    """With ``-n 2`` (pytest-xdist, the default options): hand out the tests by ``worker_scope``.

    Not ``--dist loadgroup`` with ``xdist_group`` marks: under pytest 9.2 the marks' groups are lost
    and a notebook's cells spread over both workers (pytest-xdist issue #1386).
    """
    from xdist.scheduler import LoadFileScheduling

    class NotebookWithItsClaims(LoadFileScheduling):
        def _split_scope(self, nodeid):
            return worker_scope(nodeid)

    return NotebookWithItsClaims(config, log)


def nbformat_node(output):
    """A copy of one nbval output as a plain nbformat node."""
    import nbformat

    return nbformat.from_dict(dict(output))


def pytest_collection_modifyitems(session, config, items):
    """Run the notebooks (nbval) before every other test and record each cell's fresh outputs.

    The claims tests then check each notebook's prose against an execution made in this run, not
    only against the outputs committed with it: a change in ``helpers`` or in a notebook's code that
    breaks a claim fails here, before anyone re-executes and commits the notebook.
    """
    cells = [item for item in items if type(item).__name__ == "IPyNbCell"]
    if not cells:
        return  # unit tests only: nothing to record (and no need for nbformat's slow import)
    import notebook_outputs

    for item in cells:
        notebook_outputs.COLLECTED[item.path.name] = notebook_outputs.COLLECTED.get(item.path.name, 0) + 1
        item.runtest = _record_outputs(item, item.runtest)
    others = [item for item in items if type(item).__name__ != "IPyNbCell"]
    items[:] = cells + others
