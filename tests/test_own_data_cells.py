"""The cells a lesson invites a learner to rerun on their own data run there, even where its rule falls back.

Notebooks 01 and 03 choose DBSCAN's ``eps`` with a rule that warns and falls back when the data give it
nothing to choose (one Gaussian cloud, in 2 or 10 dimensions: no clustering into two or more clusters
lasts; no peak of the reachability plot splits off two large clusters). The cells that print the
choice then met ``None`` and stopped with a ``TypeError`` after the warning; these tests run those
cells, unchanged, on such data.
"""

from __future__ import annotations

import lesson_code
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from sklearn.cluster import OPTICS

from helpers import evaluation, plotting

ONE_CLOUD = np.random.default_rng(0).normal(size=(300, 2))  # no clusters at all
CLOUD_10D = np.random.default_rng(0).normal(size=(300, 10))


def _cell(name, first_line):
    """The source of the one code cell of ``notebooks/<name>`` that starts with ``first_line``."""
    notebook = nbformat.read(lesson_code.NOTEBOOKS / name, as_version=4)
    found = [c.source for c in notebook.cells if c.cell_type == "code" and c.source.startswith(first_line)]
    assert len(found) == 1, f"{name}: expected one cell starting {first_line!r}, found {len(found)}"
    return found[0]


def _run(name, first_line, capsys, **values):
    """Run one cell in the namespace of the notebook's lesson code, with ``values`` as its data."""
    namespace = {**vars(lesson_code.load(name)), "plt": plt, "plotting": plotting, "evaluation": evaluation, **values}
    try:
        exec(_cell(name, first_line), namespace)  # noqa: S102 - the notebook's own cell
    finally:
        plt.close("all")
    return namespace, capsys.readouterr().out


def test_notebook_01_choice_cell_runs_when_no_clustering_lasts(capsys):
    with pytest.warns(UserWarning, match="no clustering into two or more clusters"):
        namespace, printed = _run("01_autoencoder_dbscan.ipynb", "choice = choose_eps(Z)", capsys, Z=ONE_CLOUD)
    assert namespace["choice"].stable_range is None
    assert "no clustering into two or more clusters lasts" in printed
    assert f"chosen eps = {namespace['choice'].eps:.3f}" in printed  # the rest of the cell ran


def test_notebook_03_cut_cell_runs_when_no_peak_splits(capsys):
    with pytest.warns(UserWarning, match="no reachability peak splits the data"):
        namespace, printed = _run("03_deep_autoencoder_optics.ipynb", "latent_cut = choose_reachability_eps(",
                                  capsys, latent_optics=OPTICS(min_samples=10).fit(CLOUD_10D), y=np.zeros(300, dtype=int))
    assert np.isnan(namespace["latent_cut"].peak)
    assert f"splitting peak: nan  ->  eps = {namespace['latent_cut'].eps:.3f}" in printed
    assert "large clusters at that eps: 1," in printed
