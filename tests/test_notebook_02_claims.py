"""Notebook 02's prose, checked against the outputs committed with it.

The notebook prints its results and never says whether they meet any bar;
these tests read the committed outputs (no kernel, no training) and assert
each claim the prose makes about them. Bounds are two-sided where the prose
says two things match, so a claim fails when the effect disappears *or*
inverts; numbers the prose quotes must be the numbers the cells printed.
Re-execute the notebook, and these tests say whether its text still holds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from notebook_outputs import BOOKKEEPING, output_text, output_with, read, table

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02_vae_kmeans.ipynb"
NUMBER = r"(-?\d+(?:\.\d+)?)"


@pytest.fixture(scope="module")
def cells():
    return read(NOTEBOOK.name).cells


_text, _output_with, _table = output_text, output_with, table


def _source_with(cells, marker, cell_type="code"):
    """The source of the one cell of ``cell_type`` whose source contains ``marker``."""
    hits = [c.source for c in cells if c.cell_type == cell_type and marker in c.source]
    assert len(hits) == 1, f"expected one {cell_type} cell containing {marker!r}, found {len(hits)}"
    return hits[0]


def _prose(cells):
    return "\n".join(c.source for c in cells if c.cell_type == "markdown")


def _rows(text, header, n_values):
    """Rows under a printed ``header`` line: first number (beta) -> the following numbers."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(header))
    rows = {}
    for line in lines[start + 1 :]:
        values = re.findall(NUMBER, line)
        if len(values) != n_values + 1:
            break
        rows[float(values[0])] = [float(v) for v in values[1:]]
    assert rows, f"no rows under {header!r}"
    return rows


@pytest.fixture(scope="module")
def results(cells):
    return _table(_output_with(cells, "pipeline  "))


@pytest.fixture(scope="module")
def betas(cells):
    """beta -> {reconstruction, kl, spread, gap, ratio} as printed in section 8."""
    text = _output_with(cells, "beta  reconstruction")
    keys = ("reconstruction", "kl", "spread", "gap", "ratio")
    return {beta: dict(zip(keys, values)) for beta, values in _rows(text, "beta  reconstruction", 5).items()}


@pytest.fixture(scope="module")
def sampling(cells):
    """beta -> {z_mean, z_mean_of_5, z_worst, ratio}: ARIs of KMeans on z_mean and on sampled z."""
    text = _output_with(cells, "ARI on z (mean of 5)")
    keys = ("z_mean", "z_mean_of_5", "z_worst", "ratio")
    # the header itself holds a number ("mean of 5"): rows start after it
    return {beta: dict(zip(keys, values)) for beta, values in _rows(text, "beta  ARI on z_mean", 4).items()}


def _fmt(value, digits=2):
    return f"{value:.{digits}f}"


# --------------------------------------------------------------------------
# What the learner sees: Keras training, scikit-learn estimators, no bookkeeping


def test_no_output_contains_bookkeeping(cells):
    for index, cell in enumerate(cells):
        if cell.cell_type == "code":
            found = BOOKKEEPING.search(_text(cell))
            assert found is None, f"cell {index} prints {found.group(0)!r}"


def test_no_prose_contains_bookkeeping(cells):
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown":
            found = re.search(r"\b(targets?|stretch|pass/fail|acceptance|bars?)\b", cell.source, re.IGNORECASE)
            assert found is None, f"markdown cell {index} says {found.group(0)!r}"


def test_every_network_trains_with_compile_and_fit_on_screen(cells):
    sources = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert "training.train(" not in sources and "clustering.cluster(" not in sources
    assert "vae.compile(optimizer=" in sources and "vae.fit(X, epochs=" in sources
    assert "beta_vae.compile(optimizer=" in sources and "beta_vae.fit(X, epochs=" in sources
    assert 'autoencoder.compile(optimizer=' in sources and "autoencoder.fit(X, X, epochs=" in sources
    assert sources.count("callbacks=[training.CompactProgress()]") == 3
    assert "KMeans(n_clusters=k, n_init=10, random_state=SEED).fit_predict(z_mean)" in sources


def test_the_loss_inside_the_model_is_shown(cells):
    shown = _output_with(cells, "def compute_loss")
    for piece in ("class Sampling", "def kl_divergence", "def call(self, inputs, training=None)",
                  "self.add_loss(kl_divergence(z_mean, z_log_var))", "def metrics(self)"):
        assert piece in shown
    assert "check_" not in shown.replace("check_seed(seed", "").replace("check_float(beta", "")


def test_clusters_beside_the_truth_use_matched_colours(cells):
    source = _source_with(cells, "fit_predict(z_mean)\n\nfig")
    assert "truth=y" in source and "sharex=True, sharey=True" in source


def test_the_beta_grid_shares_its_axes(cells):
    source = _source_with(cells, "One scale for all six panels")
    assert "sharex=True, sharey=True" in source
    assert "All six panels share one scale" in _prose(cells)
    assert "each panel has its own scale" not in _prose(cells)


def test_time_estimate_is_within_the_budget(cells):
    seconds = int(re.search(r"\*\*Time:\*\* about (\d+) s to run", cells[1].source).group(1))
    assert 10 <= seconds <= 30


# --------------------------------------------------------------------------
# Sections 5-7: k from the data, and the comparison table


def test_silhouette_and_bic_both_choose_the_three_blobs(cells):
    text = _output_with(cells, "silhouette picks k =")
    assert re.search(r"silhouette picks k = 3; BIC picks k = 3; the data has 3 blobs", text)


def test_every_pipeline_recovers_the_blobs_and_they_score_the_same(results):
    assert set(results) == {
        "VAE z_mean + KMeans (k=3)",
        "autoencoder + KMeans (k=3)",
        "KMeans on scaled data (k=3)",
    }
    for row in results.values():
        assert row["ari"] >= 0.99 and row["accuracy"] >= 0.99 and row["clusters"] == 3 and row["noise"] == 0.0
    vae = results["VAE z_mean + KMeans (k=3)"]["ari"]
    # "The VAE does not cluster these blobs better": equal, both ways
    assert abs(vae - results["KMeans on scaled data (k=3)"]["ari"]) <= 0.02
    assert abs(vae - results["autoencoder + KMeans (k=3)"]["ari"]) <= 0.02


def test_reloaded_vae_gives_the_same_codes(cells):
    assert "same z_mean for every sample: True" in _output_with(cells, "reloaded a VAE")


# --------------------------------------------------------------------------
# Section 8: what beta does


def test_beta_trades_reconstruction_for_kl_and_spread(betas):
    assert sorted(betas) == [0.1, 1.0, 10.0]
    small, classic, large = betas[0.1], betas[1.0], betas[10.0]
    # small beta reconstructs best and pays the most KL; large beta the reverse
    assert small["reconstruction"] < classic["reconstruction"] < large["reconstruction"]
    assert small["kl"] > classic["kl"] > large["kl"]
    # the clouds widen with beta, from far below the prior's 1 to about 1
    assert small["spread"] < 0.3 and 0.3 <= classic["spread"] <= 0.6 and 0.9 <= large["spread"] <= 1.1
    # "a little closer together": the gap shrinks, but not by half
    assert 0.5 * small["gap"] < classic["gap"] < small["gap"]
    # large beta: a speck near 0, the edge of posterior collapse, reconstruction close to 10
    assert large["gap"] < 0.2 and large["kl"] < 0.1 and 9.0 <= large["reconstruction"] <= 10.5
    # noise widths between the closest blobs: many, a few, less than one
    assert small["ratio"] > 10 and 3 <= classic["ratio"] <= 8 and large["ratio"] < 1


def test_beta_prose_quotes_the_printed_numbers(cells, betas):
    prose = _source_with(cells, "All six panels share one scale", "markdown")
    small, classic, large = betas[0.1], betas[1.0], betas[10.0]
    assert f"spread {_fmt(small['spread'])}" in prose
    assert f"{round(small['ratio']):d}\n  noise widths apart" in prose or f"{round(small['ratio']):d} noise widths" in prose
    assert f"gap {_fmt(classic['gap'])}\n  instead of {_fmt(small['gap'])}" in prose
    assert f"wider ({_fmt(classic['spread'])})" in prose
    assert f"about {round(classic['ratio']):d} noise widths apart" in prose
    assert f"prior's spread ({_fmt(large['spread'])})" in prose
    assert f"only {_fmt(large['gap'])} apart" in prose
    assert f"almost 0 ({_fmt(large['kl'])})" in prose
    assert f"reconstruction error, {_fmt(large['reconstruction'])}" in prose


# --------------------------------------------------------------------------
# Section 9: the article's error, and clustering z instead of z_mean


def test_article_error_is_keras_complete_message(cells):
    text = _output_with(cells, "KerasTensor")
    assert text.startswith("ValueError: A KerasTensor cannot be used as input to a TensorFlow function.")
    # the whole message: the likely mistake and the fix, not cut after "like:"
    assert "You are likely doing something like:" in text
    assert "What you should do instead is wrap `tf_fn` in a layer:" in text
    assert "x = MyLayer()(x)" in text and text.rstrip().endswith("```")
    assert "(no message)" not in text and "Traceback" not in text
    # and no bare NotImplementedError printed anywhere
    for cell in cells:
        if cell.cell_type == "code":
            assert not re.search(r"NotImplementedError:\s*(\(no message\))?\s*$", _text(cell), re.MULTILINE)


def test_sampled_z_costs_nothing_at_small_beta(sampling):
    row = sampling[0.1]
    assert row["z_mean"] >= 0.99 and row["z_mean_of_5"] >= 0.99 and row["z_worst"] >= 0.99


def test_sampled_z_costs_a_little_at_beta_1(sampling):
    row = sampling[1.0]
    assert row["z_mean"] >= 0.99
    # "real but small": a cost that must neither vanish nor grow large
    assert 0.01 <= row["z_mean"] - row["z_mean_of_5"] <= 0.10
    assert row["z_worst"] <= row["z_mean_of_5"]


def test_sampled_z_is_guessing_at_beta_10_while_z_mean_still_clusters(sampling):
    row = sampling[10.0]
    assert abs(row["z_mean_of_5"]) <= 0.1 and abs(row["z_worst"]) <= 0.1
    assert row["z_mean"] >= 0.6 and row["z_mean"] - row["z_mean_of_5"] >= 0.5


def test_sampling_prose_quotes_the_printed_numbers(cells, sampling):
    prose = _source_with(cells, "How much sampling costs depends on one ratio", "markdown")
    classic, large = sampling[1.0], sampling[10.0]
    assert f"from {_fmt(classic['z_mean'])} to {_fmt(classic['z_mean_of_5'])} on average" in prose
    assert f"({_fmt(classic['z_worst'])} for the worst one)" in prose
    assert f"guessing (ARI {_fmt(large['z_mean_of_5'])})" in prose
    assert f"still gives {_fmt(large['z_mean'])}" in prose


def test_the_gap_over_spread_ratio_is_the_same_in_both_tables(betas, sampling):
    for beta in betas:
        assert betas[beta]["ratio"] == sampling[beta]["ratio"]


# --------------------------------------------------------------------------
# Worked solutions


def test_averaging_draws_climbs_towards_z_mean_but_stays_short(cells, sampling):
    text = _output_with(cells, "average of 1000 draws")
    aris = [float(a) for a in re.findall(r"average of\s+\d+ draws: ARI " + NUMBER, text)]
    z_mean = float(re.search(r"z_mean itself:\s+ARI " + NUMBER, text).group(1))
    assert len(aris) == 4 and aris == sorted(aris)
    assert aris[0] <= 0.1 and aris[-1] < z_mean
    assert z_mean == sampling[10.0]["z_mean"]
    prose = _source_with(cells, "Averaging m draws", "markdown")
    assert f"ARI {_fmt(aris[-1])} against {_fmt(z_mean)}" in prose


def test_decoded_centres_sit_much_closer_to_blob_means_than_points_do(cells):
    text = _output_with(cells, "decoded centre is")
    pairs = re.findall(r"decoded centre is " + NUMBER + r" from the blob mean \(a typical point: " + NUMBER, text)
    assert len(pairs) == 3
    blobs = sorted(int(b) for b in re.findall(r"-> blob (\d)", text))
    assert blobs == [0, 1, 2]  # one cluster per blob
    for centre, typical in pairs:
        assert float(centre) < float(typical) / 3


def test_criteria_disagree_where_the_prose_says(cells):
    text = _output_with(cells, "sampled z, β = 10")
    chosen = {
        name.strip(): (int(s), int(b))
        for name, s, b in re.findall(r"^(.*?)\s+silhouette k = (\d+)\s+BIC k = (\d+)", text, re.MULTILINE)
    }
    assert chosen["z_mean, β = 0.1"] == (3, 3) and chosen["z_mean, β = 1"] == (3, 3)
    assert chosen["z_mean, β = 10"] == (2, 3)  # the silhouette merges the two closest blobs, the BIC keeps 3
    silhouette, bic = chosen["sampled z, β = 10"]
    assert bic == 2  # the fewest components allowed
    prose = _source_with(cells, "The BIC fits Gaussians", "markdown")
    assert "here it answers k = 2" in prose and f"(2), and the silhouette's \"best\" k ({silhouette} here)" in prose
