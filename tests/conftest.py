"""Shared fixtures for the helpers' unit tests."""

from __future__ import annotations

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
    """Wrap one nbval cell's ``runtest`` so the outputs it produced are kept for the claims tests."""
    import notebook_outputs

    def run_and_record():
        try:
            runtest()
        finally:
            if item.test_outputs is not None:
                notebook_outputs.FRESH_OUTPUTS.setdefault(item.path.name, {})[item.cell_num] = list(item.test_outputs)

    return run_and_record


def pytest_collection_modifyitems(session, config, items):
    """Run the notebooks (nbval) before every other test and record each cell's fresh outputs.

    The claims tests then check each notebook's prose against an execution made in this run, not
    only against the outputs committed with it: a change in ``helpers`` or in a notebook's code that
    breaks a claim fails here, before anyone re-executes and commits the notebook.
    """
    import notebook_outputs

    cells = [item for item in items if type(item).__name__ == "IPyNbCell"]
    for item in cells:
        notebook_outputs.COLLECTED[item.path.name] = notebook_outputs.COLLECTED.get(item.path.name, 0) + 1
        item.runtest = _record_outputs(item, item.runtest)
    others = [item for item in items if type(item).__name__ != "IPyNbCell"]
    items[:] = cells + others
