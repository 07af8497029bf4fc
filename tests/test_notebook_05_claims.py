"""Notebook 05's prose, checked against the outputs committed with it.

The notebook prints its results and never says whether they meet any bar;
these tests read the committed outputs (no kernel, no training) and assert
each claim the prose makes about them, two-sided where the prose says two
things match. Re-execute the notebook, and these tests say whether its text
still holds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from notebook_outputs import BOOKKEEPING, COLUMNS, output_text, output_with, read

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "05_your_own_data.ipynb"


@pytest.fixture(scope="module")
def cells():
    return read(NOTEBOOK.name).cells


_text, _output_with = output_text, output_with


def _results(text):
    """Rows of an ``evaluation.results_table`` printout: name -> {ari, nmi, accuracy, noise, clusters}."""
    rows = {}
    for line in text.splitlines():
        match = re.match(r"^(.*?)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(\d+)\s*$", line)
        if match:
            rows[match.group(1).strip()] = dict(zip(COLUMNS, (float(v) for v in match.groups()[1:])))
    assert rows, "no results table found"
    return rows


def _picks(text):
    """Rows of a ``selection.candidates_table`` printout with verdicts, in order."""
    rows = []
    pattern = (r"^(.*?)\s+(kmeans|gmm)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+|-)\s+([\d.]+|-)\s+"
               r"(chosen|stable|not stable|not clearly better than one cluster|one cluster)\s*$")
    for line in text.splitlines():
        match = re.match(pattern, line)
        if match:
            name, method, k, gap, _, stability, silhouette, verdict = match.groups()
            rows.append({"representation": name.strip(), "method": method, "k": int(k), "gap": float(gap),
                         "stability": float(stability), "silhouette": float(silhouette), "verdict": verdict})
    assert rows, "no candidates table found"
    return rows


@pytest.fixture(scope="module")
def picks(cells):
    return _picks(_output_with(cells, "stable pick(s)\n"))


@pytest.fixture(scope="module")
def reveal(cells):
    return _results(_output_with(cells, "label-free choice:"))


def _row(rows, prefix):
    hits = [(name, row) for name, row in rows.items() if name.startswith(prefix)]
    assert len(hits) == 1, f"expected one row starting with {prefix!r}"
    return hits[0]


def test_every_cell_ran_without_error(cells):
    code = [c for c in cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code[1:]), "the notebook is not fully executed"
    assert not any(o.output_type == "error" for c in code for o in c.get("outputs", []))


def test_no_bookkeeping_words_in_any_output(cells):
    for cell in cells:
        if cell.cell_type == "code":
            found = BOOKKEEPING.search(_text(cell))
            assert found is None, f"output says {found.group(0)!r}: {_text(cell)[:200]}"


def test_the_messy_file_gets_one_clear_message_per_problem(cells):
    text = _output_with(cells, "-> column 'region'")
    assert "column 'region' is categorical" in text
    assert "column 'magnesium' has 1 missing value(s) (line 3)" in text
    assert "column 'batch' is constant" in text
    assert "loaded columns: ('alcohol', 'magnesium')" in text


def test_six_picks_agree_on_three_clusters_and_the_autoencoder_suggests_more(picks):
    assert len(picks) == 8
    at_three = [p for p in picks if p["k"] == 3]
    assert len(at_three) == 6 and all(p["verdict"] in ("chosen", "stable") for p in at_three)
    chosen = [p for p in picks if p["verdict"] == "chosen"]
    assert len(chosen) == 1 and chosen[0]["k"] == 3
    code = [p for p in picks if p["representation"] == "autoencoder code"]
    assert sorted(p["k"] for p in code) == [4, 6]  # "suggests 6 and 4 clusters"
    assert all(p["stability"] >= 0.75 for p in code)  # "they come back on resampling"
    assert all(p["silhouette"] < chosen[0]["silhouette"] - 0.03 for p in code)  # "poorly separated"


def test_the_label_free_choice_is_close_to_the_best_candidate(reveal):
    name, choice = _row(reveal, "label-free choice")
    _, peeked = _row(reveal, "best candidate (peeking)")
    assert 0.85 <= choice["ari"] <= 0.95  # "an ARI of 0.90"
    assert choice["accuracy"] >= 0.95  # "97 % of the wines"
    assert choice["clusters"] == 3
    assert 0.0 <= peeked["ari"] - choice["ari"] <= 0.05  # "left almost nothing on the table"


def test_the_silhouette_alone_would_have_chosen_the_same(reveal):
    choice_name, choice = _row(reveal, "label-free choice")
    silhouette_name, by_silhouette = _row(reveal, "highest silhouette alone")
    assert choice_name.split(": ", 1)[1] == silhouette_name.split(": ", 1)[1]
    assert by_silhouette["ari"] == choice["ari"]


def test_most_assignments_are_certain(cells):
    text = _output_with(cells, "kept their cluster in every refit")
    share = float(re.search(r"every refit: (\d+)%", text).group(1))
    unsure = int(re.search(r"refits: (\d+) samples", text).group(1))
    assert share >= 85 and 1 <= unsure <= 10  # circled points exist, but few


def test_noise_fools_stability_but_not_the_procedure(cells):
    text = _output_with(cells, "KMeans k=2 on noise")
    stability = float(re.search(r"stability ([\d.]+)", text).group(1))
    assert stability >= 0.85  # "judged by stability alone, pure noise has stable clusters"
    assert "the procedure: no cluster structure" in text


def test_stricter_thresholds_keep_the_same_clusters(cells):
    text = _output_with(cells, "{'min_stability': 0.95}")
    assert text.count("agreement with our clusters: ARI 1.00") == 2
    assert "{'min_stability': 0.95}: 3 pick(s) count" in text
    assert "PCA-5" not in text.split("{'min_gain': 0.3}")[1].split("\n")[0]  # "both picks on PCA-5 drop out"


def test_irrelevant_columns_make_the_rule_miss_real_clusters(cells):
    text = _output_with(cells, "PCA-2 + gmm, k=3: ARI")
    assert "no cluster structure" in text
    aris = [float(v) for v in re.findall(r"k=3: ARI ([\d.]+)", text)]
    assert len(aris) == 4 and min(aris) >= 0.7  # "would have scored an ARI of 0.77 to 0.88"
    assert all(p["k"] == 3 and p["stability"] >= 0.75 for p in _picks(text))  # "every pick is at k = 3 and stable"
