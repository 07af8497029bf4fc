"""Notebook 04's prose, checked against the outputs committed with it.

The notebook prints its results and never says whether they meet any bar;
these tests read the committed outputs (no kernel, no training) and assert
each claim the prose makes about them. Bounds are two-sided where the prose
says two things match, so a claim fails when the effect disappears *or*
inverts. Re-execute the notebook, and these tests say whether its text
still holds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from notebook_outputs import BOOKKEEPING, output_text, output_with, read
from notebook_outputs import table as table_rows

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "04_deep_embedded_clustering_digits.ipynb"
NO_NETWORK = ("KMeans, raw pixels", "PCA-20 + KMeans", "PCA-20 + GMM")
ROUND1, ROUND2, FINAL = "Round 1 (views + pixel nbrs) + KMeans", "Round 2 (embedding nbrs) + KMeans", "Round 2 + SCAN head"
NETWORKS = ("AE + KMeans", "AE + GMM", "DEC (on the AE)", ROUND1, ROUND2, FINAL)


@pytest.fixture(scope="module")
def cells():
    return read(NOTEBOOK.name).cells


_text, _output_with = output_text, output_with


def _number(text, pattern):
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not found in:\n{text}"
    return float(match.group(1))


_table = table_rows


@pytest.fixture(scope="module")
def table(cells):
    """The full results table of section 7 (the one cell whose table has every pipeline)."""
    tables = [_table(_text(c)) for c in cells if c.cell_type == "code" and "KMeans, raw pixels" in _text(c)
              and FINAL in _text(c) and "pipeline" in _text(c)]
    assert len(tables) == 1, f"expected one full results table, found {len(tables)}"
    rows = tables[0]
    assert set(rows) == {*NO_NETWORK, "t-SNE + GMM (no network)", *NETWORKS}
    return {name: row["ari"] for name, row in rows.items()} | {"_rows": rows}


def _markdown(cells):
    return "\n".join(c.source for c in cells if c.cell_type == "markdown")


# --- the lesson as a learner sees it -------------------------------------------------------------


def test_notebook_is_executed_without_errors(cells):
    code = [c for c in cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code), "every code cell must be executed"
    assert not [c for c in code if any(o.output_type == "error" for o in c.get("outputs", []))]
    stderr = [o for c in code for o in c.get("outputs", []) if o.get("name") == "stderr"]
    assert not stderr, f"stderr in committed outputs: {stderr[0].text[:200]!r}"


def test_no_bookkeeping_in_any_output(cells):
    # Printed source code (show_source) may name variables ``targets``; everything else may not.
    for cell in cells:
        if cell.cell_type == "code" and not all(
            line.startswith("notebook.show_source(") for line in cell.source.splitlines() if line.strip()
        ):
            found = BOOKKEEPING.search(_text(cell))
            assert found is None, f"bookkeeping word {found.group(0)!r} in output of:\n{cell.source[:200]}"


def test_no_bookkeeping_in_the_prose(cells):
    text = _markdown(cells)
    for phrase in ("stretch goal", "series' research", "check_bars", "the tests check", "bars", "IDEC variant",
                   "reconstruction_weight"):
        assert phrase not in text, phrase


def test_bookkeeping_regex_catches_what_it_should():
    assert BOOKKEEPING.search("ARI >= 0.90: passed")
    assert BOOKKEEPING.search("target met")
    assert not BOOKKEEPING.search("metric parameters barrier passage")


def test_training_is_keras_compile_and_fit_on_screen(cells):
    source = "\n".join(c.source for c in cells if c.cell_type == "code")
    for snippet in (
        "autoencoder.compile(", "autoencoder.fit(X, X", "encoder.predict(X, verbose=0)",
        "model = dec.DEC(encoder, kmeans.cluster_centers_)", 'loss="kld"',
        "model.fit(X, dec.target_distribution(q)", "nce.compile(", "nce.fit(X, positives",
        "scan.compile(", "scan.fit(X, positives", "augment.augment_images(X, n_views=5",
        "selflabel.positive_sets(X, neighbours, views)", "contrastive.nearest_neighbours(Z_round1, k=10)", "training.CompactProgress()",
        "KMeans(n_clusters=10", "GaussianMixture(n_components=10", "TSNE(",
    ):
        assert snippet in source, snippet
    for gone in ("training.train(", "clustering.cluster(", "check_bars", "fit_scan_head", "train_neighbour_contrastive"):
        assert gone not in source, gone


def test_training_steps_are_shown_in_full(cells):
    shown = "\n".join(_text(c) for c in cells if c.cell_type == "code" and "show_source" in c.source)
    for definition in ("def soft_assign", "def target_distribution", "class ClusteringLayer", "class DEC(",
                       "def random_neighbour", "def info_nce_loss", "class NeighbourContrastive(", "class SCAN("):
        assert definition in shown, definition
    assert shown.count("def compute_loss") == 2  # NeighbourContrastive's and SCAN's losses, in full


def test_pretrained_weights_are_kept_before_dec_and_restored(cells):
    source = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert source.index("pretrained = encoder.get_weights()") < source.index("model = dec.DEC(")
    assert "encoder.set_weights(pretrained)" in source
    text = _output_with(cells, "mean change of the encoder's output")
    assert _number(text, r"since pretraining: ([\d.]+)") > 0.05  # DEC really changed it in place
    assert "equals Z_ae again: True" in text


def test_figures_are_matched_to_the_truth(cells):
    source = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert "best = scan_labels" in source
    assert "plot_clusters(X_tsne, best, truth=y" in source
    assert re.search(r"plot_digit_grid\(X, best, .*truth=y", source)
    assert "plot_cluster_means(X, raw_kmeans.labels_, truth=y" in source
    assert "plot_cluster_means(X, dec_labels, truth=y" in source
    assert "plot_cluster_means(X, best, truth=y" in source


def test_section_references_point_to_the_right_sections(cells):
    text = _markdown(cells)
    headings = dict(re.findall(r"^## (\d+)\. (.+)$", text, flags=re.MULTILINE))
    assert "Pitfalls" in headings["10"] and "Standardising pixels" in text.split("## 10.")[1]
    assert "section 10" in text.split("## 2.")[0]  # section 1 points to the standardising pitfall
    assert "neighbour-contrastive" in headings["6"]  # "it comes back in section 6"
    assert "Why DEC stalls" in headings["5"]


# --- the numbers behind the prose ----------------------------------------------------------------


def test_every_pipeline_assigns_every_digit_to_ten_clusters(table):
    for name, row in table["_rows"].items():
        assert row["noise"] == 0 and row["clusters"] == 10, name


def test_no_network_baselines_sit_between_067_and_073(table, cells):
    values = [table[name] for name in NO_NETWORK]
    assert min(values) == 0.67 and max(values) == 0.73  # typed in the prose
    assert "between 0.67 and 0.73 ARI" in _markdown(cells)
    assert "0.67 ARI (KMeans on the pixels)" in _markdown(cells) and table["KMeans, raw pixels"] == 0.67


def test_tsne_gmm_is_far_ahead_of_the_other_no_network_pipelines(table):
    assert table["t-SNE + GMM (no network)"] >= max(table[name] for name in NO_NETWORK) + 0.1


def test_autoencoder_kmeans_is_below_raw_kmeans(table):
    assert table["AE + KMeans"] < table["KMeans, raw pixels"]


def test_dec_lifts_ae_kmeans_by_a_few_hundredths_to_about_raw_kmeans(table, cells):
    gain = table["DEC (on the AE)"] - table["AE + KMeans"]
    assert 0.02 <= gain <= 0.10
    assert abs(table["DEC (on the AE)"] - table["KMeans, raw pixels"]) <= 0.04
    text = _output_with(cells, "ARI of the KMeans start")
    start = _number(text, r"KMeans start ([\d.]+)")
    assert start == table["AE + KMeans"]  # DEC starts from exactly that KMeans
    assert _number(text, r"after DEC ([\d.]+)") == table["DEC (on the AE)"]
    assert _number(text, r"DEC trained (\d+) epochs") < 100  # the stopping rule ended it


def test_dec_stays_far_from_the_best_methods(table):
    assert table["DEC (on the AE)"] <= table["t-SNE + GMM (no network)"] - 0.15
    assert table["DEC (on the AE)"] <= table[FINAL] - 0.15


def test_round_1_is_far_above_every_pipeline_without_tsne_and_a_little_below_tsne(table):
    others = [table[name] for name in (*NO_NETWORK, "AE + KMeans", "AE + GMM", "DEC (on the AE)")]
    assert table[ROUND1] >= max(others) + 0.1
    assert 0.0 < table["t-SNE + GMM (no network)"] - table[ROUND1] <= 0.05  # "a little below"


def test_round_2_moves_past_tsne_and_scan_adds_a_little(table):
    tsne = table["t-SNE + GMM (no network)"]
    assert table[ROUND2] > table[ROUND1]
    assert table[ROUND2] > tsne
    assert 0.0 < table[FINAL] - table[ROUND2] <= 0.05  # "adds a little more"


def test_final_network_beats_tsne_gmm_by_a_few_hundredths(table, cells):
    margin = table[FINAL] - table["t-SNE + GMM (no network)"]
    assert 0.02 <= margin <= 0.09  # "a few hundredths": fails on a tie and on a landslide
    assert table[FINAL] == max(table[name] for name in table if name != "_rows")
    rows = table["_rows"]
    assert rows[FINAL]["nmi"] > rows["t-SNE + GMM (no network)"]["nmi"]
    assert rows[FINAL]["accuracy"] > rows["t-SNE + GMM (no network)"]["accuracy"]
    title = next(c.source for c in cells if c.cell_type == "markdown" and c.source.startswith("# 04"))
    assert "beats t-SNE + GMM" in title.splitlines()[0]
    assert "ties" not in _markdown(cells).lower().split("## 1.")[0]


def test_published_reference_points_are_marked_as_other_data_sets(cells):
    text = _markdown(cells)
    assert "other data sets" in text and "70,000" in text and "28 x 28" in text
    assert "84.3 % accuracy on MNIST" in text and "about 98 % accuracy on MNIST" in text


def test_scan_head_starts_at_kmeans_and_moves_a_few_per_cent(cells):
    text = _output_with(cells, "step 0: the head agrees with KMeans")
    assert _number(text, r"agrees with KMeans on ([\d.]+)%") == 100.0
    assert 0.5 < _number(text, r"after 30 epochs: ([\d.]+)% of the digits changed") < 10.0


def test_views_are_five_per_digit(cells):
    text = _output_with(cells, "views:")
    assert "(1797, 5, 64)" in text
    assert "positives: (1797, 10, 64)" in _output_with(cells, "positives:")


def test_neighbour_purity_pixels_beat_the_autoencoder_and_the_embeddings_beat_both(cells):
    pixels = _number(_output_with(cells, "5-NN purity, raw pixels"), r"raw pixels:\s+([\d.]+)")
    code = _number(_output_with(cells, "5-NN purity, raw pixels"), r"autoencoder code:\s+([\d.]+)")
    round1 = _number(_output_with(cells, "round-1 embedding"), r"round-1 embedding ([\d.]+)")
    round2 = _number(_output_with(cells, "round-2 embedding"), r"round-2 embedding: ([\d.]+)")
    assert code < pixels < round1 < round2


def test_dec_confidence_tracks_correctness_but_rarely_repairs_the_start(cells):
    text = _output_with(cells, "quarter DEC is most sure about")
    overall = _number(text, r"after DEC: ([\d.]+)% of all digits")
    sure = _number(text, r"digits, ([\d.]+)% of the quarter")
    assert sure < overall / 3
    repaired = _number(text, r"DEC moved ([\d.]+)% to the right one")
    assert repaired < 50.0  # "only a minority"
    assert abs(repaired + _number(text, r"and left ([\d.]+)%") - 100.0) < 0.2


def test_target_demo_has_equal_cluster_sizes_and_sharpens(cells):
    text = _output_with(cells, "f (soft cluster sizes)")
    sizes = re.search(r"f \(soft cluster sizes\): \[([^\]]+)\]", text).group(1).split()
    assert len(set(sizes)) == 1 and len(sizes) == 4  # "four clusters of exactly equal soft size"
    assert "[0.94" in text.split("p, first two rows:")[1]  # the sure sample's share grows from 0.70


def test_standardising_pixels_hurts_kmeans(cells, table):
    text = _output_with(cells, "on standardised pixels")
    assert _number(text, r"pixels / 16: ([\d.]+)") == table["KMeans, raw pixels"]
    assert _number(text, r"on standardised pixels: ([\d.]+)") <= table["KMeans, raw pixels"] - 0.05


def test_exercise_1_purity_falls_slowly_with_k(cells):
    text = _output_with(cells, "of the neighbours show the same digit")
    values = [float(v) for v in re.findall(r"k=\s*\d+: ([\d.]+)", text)]
    assert len(values) == 4 and values == sorted(values, reverse=True)
    assert values[1] >= 0.95 and values[-1] >= 0.85


def test_exercise_2_scan_head_beats_gmm_on_the_embedding(cells):
    rows = _table(_output_with(cells, "Round 2 + GMM"))
    assert rows[FINAL]["ari"] > rows["Round 2 + GMM"]["ari"]
    assert rows[FINAL]["ari"] > rows[ROUND2]["ari"]
