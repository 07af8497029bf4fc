"""Notebook 05's prose, checked against its outputs: those committed with it and those of a fresh
execution made in this test run.

The notebook prints its results and never says whether they meet any bar; these tests read the
outputs (through ``notebook_outputs.read``) and assert each claim the prose
makes about them, two-sided where the prose says two things match. Re-execute the notebook, and
these tests say whether its text still holds.
"""

from __future__ import annotations

import re

import pytest
from notebook_outputs import BOOKKEEPING, SOURCES, output_text, output_with, read, table

NAME = "05_your_own_data.ipynb"
VERDICTS = "chosen|stable|not stable|not clearly better than one cluster|a cluster of outliers|nested clusters"


@pytest.fixture(scope="module", params=SOURCES)
def cells(request):
    """The notebook as committed, then as executed in this test run: every claim is checked on both."""
    return read(NAME, request.param).cells


def _picks(text):
    """Rows of a ``selection.candidates_table`` printout with verdicts, in order."""
    rows = []
    number = r"(-?[\d.]+|-)"
    pattern = (rf"^(.*?)\s+(kmeans|gmm)\s+(\d+)\s+{number}\s+{number}\s+{number}\s+{number}\s+{number}\s+"
               rf"({VERDICTS})\s*$")
    for line in text.splitlines():
        match = re.match(pattern, line)
        if match:
            name, method, k, gap, _, stability, silhouette, separation, verdict = match.groups()
            value = lambda v: float("nan") if v == "-" else float(v)  # noqa: E731
            rows.append({"representation": name.strip(), "method": method, "k": int(k), "gap": value(gap),
                         "stability": value(stability), "silhouette": value(silhouette),
                         "separation": value(separation), "verdict": verdict})
    assert rows, "no candidates table found"
    return rows


@pytest.fixture(scope="module")
def picks(cells):
    tables = [output_text(c) for c in cells if c.cell_type == "code" and "stable pick(s)\n" in output_text(c)]
    section_5 = [text for text in tables if "autoencoder code" in text]  # exercise 3 prints another table
    assert len(section_5) == 1
    return _picks(section_5[0])


@pytest.fixture(scope="module")
def reveal_text(cells):
    return output_with(cells, "label-free choice:")


@pytest.fixture(scope="module")
def reveal(reveal_text):
    return table(reveal_text)


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
            found = BOOKKEEPING.search(output_text(cell))
            assert found is None, f"output says {found.group(0)!r}: {output_text(cell)[:200]}"


def test_the_procedure_is_in_the_notebooks_own_cells(cells):
    lesson = "\n".join(c.source for c in cells if "lesson-code" in c.metadata.get("tags", []))
    for name in ("def fit_clustering", "def uniform_reference", "def reference_cloud", "def gaussian_fit", "def stability",
                 "def score_candidates", "def gap_choice", "def choose", "def assignment_confidence"):
        assert name in lesson
    assert "show_source" not in "\n".join(c.source for c in cells if c.cell_type == "code")


def test_the_messy_file_gets_one_clear_message_per_problem(cells):
    text = output_with(cells, "-> column 'region'")
    assert "column 'region' is categorical" in text
    assert "column 'magnesium' has 1 missing value(s) (line 3)" in text
    assert "column 'batch' is constant" in text
    assert "loaded columns: ('alcohol', 'magnesium')" in text


def test_the_verdicts_follow_the_stated_rule(picks):
    """Picks have k >= 2; min_gain 0.1, min_stability 0.75; the chosen pick has the largest gap of the
    stable ones."""
    for p in picks:
        assert p["k"] >= 2
        if p["gap"] < 0.1:
            assert p["verdict"] == "not clearly better than one cluster"
        elif p["separation"] < 1.0:
            assert p["verdict"] in ("nested clusters", "a cluster of outliers")
        else:
            assert p["verdict"] == ("not stable" if p["stability"] < 0.75 else p["verdict"])
            assert p["verdict"] in ("chosen", "stable") or p["stability"] < 0.75
    counted = [p for p in picks if p["verdict"] in ("chosen", "stable")]
    chosen = [p for p in picks if p["verdict"] == "chosen"]
    assert len(chosen) == 1 and chosen[0]["gap"] == max(p["gap"] for p in counted)


def test_the_picks_the_prose_describes(picks, reveal):
    by = {(p["representation"], p["method"]): p for p in picks}
    assert len(picks) == 8
    # "the GMM's five clusters on the scaled features do not come back on resampling"
    assert by[("scaled features", "gmm")]["k"] == 5 and by[("scaled features", "gmm")]["verdict"] == "not stable"
    counted = {key: p["k"] for key, p in by.items() if p["verdict"] in ("chosen", "stable")}
    assert counted == {("scaled features", "kmeans"): 4, ("PCA-2", "kmeans"): 3, ("PCA-2", "gmm"): 3,
                       ("PCA-5", "kmeans"): 3, ("PCA-5", "gmm"): 3, ("autoencoder code", "kmeans"): 3,
                       ("autoencoder code", "gmm"): 2}  # "the seven other picks count"
    assert by[("PCA-5", "gmm")]["verdict"] == "chosen"  # "three GMM clusters on PCA-5"
    # "(2.8-6.2 for the wines' picks in the table below)"
    separations = [p["separation"] for p in picks]
    assert f"{min(separations):.1f}" == "2.8" and f"{max(separations):.1f}" == "6.2"
    # "a GMM's gap is larger than the KMeans gap on every representation here"
    for name in ("scaled features", "PCA-2", "PCA-5", "autoencoder code"):
        assert by[(name, "gmm")]["gap"] > by[(name, "kmeans")]["gap"]
    # "the silhouette alone would have chosen KMeans' three clusters on the scaled features, a candidate
    # the rule never picks (that family went to four); section 7 scores both"
    silhouette_name, _ = _row(reveal, "highest silhouette alone")
    assert silhouette_name.endswith("scaled features + kmeans, k=3")
    assert by[("scaled features", "kmeans")]["k"] == 4


def test_the_reveal_sentence_agrees_with_the_table(reveal, reveal_text):
    _, choice = _row(reveal, "label-free choice")
    _, peeked = _row(reveal, "best candidate (peeking)")
    match = re.search(r"scores ARI ([\d.]+), the best candidate ([\d.]+): ([\d.]+) below it; it ranks (\d+) of (\d+)",
                      reveal_text)
    mine, best, below = (float(v) for v in match.groups()[:3])
    assert round(mine, 2) == choice["ari"] and round(best, 2) == peeked["ari"]
    assert below == pytest.approx(best - mine, abs=0.0015)
    assert int(match.group(5)) == 80


def test_the_reveal_numbers_the_prose_quotes(reveal):
    choice_name, choice = _row(reveal, "label-free choice")
    peeked_name, peeked = _row(reveal, "best candidate (peeking)")
    _, by_silhouette = _row(reveal, "highest silhouette alone")
    assert 0.82 <= choice["ari"] <= 0.90 and choice["clusters"] == 3  # "an ARI of 0.86", three clusters
    assert peeked["ari"] >= 0.90 and peeked["clusters"] == 3  # "the best candidate scores 0.91"
    assert 0.02 <= peeked["ari"] - choice["ari"] <= 0.08
    # "both are Gaussian mixtures with three clusters, on five and on two principal components"
    assert choice_name.endswith("PCA-5 + gmm, k=3") and peeked_name.endswith("PCA-2 + gmm, k=3")
    assert by_silhouette["ari"] >= 0.88 and by_silhouette["ari"] > choice["ari"]  # "slightly better (0.90)"
    assert by_silhouette["ari"] - choice["ari"] <= 0.06


def test_the_confidence_of_the_assignments(cells):
    text = output_with(cells, "kept their cluster in every refit")
    share = float(re.search(r"every refit: (\d+)%", text).group(1))
    assert 78 <= share <= 92  # "85 % of the wines kept their cluster in every refit"


def test_noise_fools_stability_but_not_the_procedure(cells):
    text = output_with(cells, "KMeans k=2 on noise")
    assert float(re.search(r"stability ([\d.]+)", text).group(1)) >= 0.85
    assert 0.1 <= float(re.search(r"silhouette ([\d.]+)", text).group(1)) <= 0.3
    assert "the procedure: no stable cluster structure" in text


def test_stricter_thresholds(cells):
    text = output_with(cells, "{'min_stability': 0.95}")
    strict, gain = text.split("{'min_gain': 0.5}")
    assert "1 pick(s) count: autoencoder code + kmeans" in strict  # "only the code's three KMeans clusters"
    assert "k=3" in strict
    assert 0.65 <= float(re.search(r"ARI ([\d.]+)", strict).group(1)) <= 0.80  # "an ARI of 0.73"
    assert "7 pick(s) count" in gain and "agreement with our clusters: ARI 1.00" in gain  # "the choice stays"


def test_irrelevant_columns_blur_the_clusters(cells, picks):
    text = output_with(cells, "PCA-2 + gmm, k=2: ARI")
    by = {(p["representation"], p["method"]): p for p in _picks(text)}
    assert by[("PCA-2", "kmeans")]["verdict"] == "not clearly better than one cluster" and by[("PCA-2", "kmeans")]["k"] == 3
    assert by[("PCA-2", "gmm")]["verdict"] == "not stable"
    assert by[("scaled features", "gmm")]["verdict"] == "chosen" and by[("scaled features", "gmm")]["k"] == 2
    kmeans = by[("scaled features", "kmeans")]
    assert kmeans["verdict"] == "stable" and kmeans["k"] == 3
    ari = lambda name: float(re.search(rf"{name}: ARI ([\d.]+)", text).group(1))  # noqa: E731
    assert ari(r"scaled features \+ gmm, k=2") <= 0.5  # "the GMM's two clusters ... win (ARI 0.38)"
    assert ari(r"scaled features \+ kmeans, k=3") >= 0.85  # "would have matched the cultivars well (ARI 0.88)"
    # "KMeans' gap is 0.21 here; every KMeans pick on the wines alone gained 0.53 or more"
    assert kmeans["gap"] < 0.3 <= 0.5 < min(p["gap"] for p in picks if p["method"] == "kmeans")


def test_the_round_yardstick_misses_the_sheared_blobs(cells):
    text = output_with(cells, "squared_distance_fit:")
    assert re.search(r"squared_distance_fit: no stable cluster structure.*ARI 0.00", text)
    found = re.search(r"gaussian_fit: scaled features \+ gmm, k=3: .* ARI ([\d.]+)", text)
    assert found and float(found.group(1)) >= 0.95
    kmeans = re.search(r"kmeans, k=3: silhouette ([\d.]+), ARI ([\d.]+)", text)
    gmm = re.search(r"gmm, k=3: silhouette ([\d.]+), ARI ([\d.]+)", text)
    assert float(kmeans.group(1)) > float(gmm.group(1))  # "the silhouette prefers KMeans' cut"
    assert float(gmm.group(2)) > float(kmeans.group(2)) + 0.2  # "the GMM finds the blobs"


# The validation suite, as section 7 reports it: every number recomputed from the recorded runs
# (benchmarks/label_free.py --log, seeds 42-44; labels used only to score).


def _suite_runs(*names):
    import json
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "benchmarks"
    runs = [json.loads(line) for name in names or ("label_free_seed42.jsonl", "label_free_seed43_44.jsonl")
            for line in (folder / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    if not names:
        assert sorted({run["seed"] for run in runs}) == [42, 43, 44] and len(runs) == 108
    return runs


def _k(run):
    return None if run["chosen"] == "no structure" else int(run["chosen"].rsplit("k=", 1)[1])


def test_the_suite_paragraph_reports_the_recorded_runs(cells):
    text = " ".join("\n".join(c.source for c in cells if c.cell_type == "markdown").split())
    runs = _suite_runs()
    mine = lambda name: [run for run in runs if run["dataset"] == name]  # noqa: E731
    assert "three seeds (42, 43 and 44) of the suite ran" in text and "108 runs in all" in text
    assert "these seeds included" in text and "they are not an independent test" in text
    fresh = _suite_runs("label_free_seed45_46.jsonl")
    assert sorted({run["seed"] for run in fresh}) == [45, 46] and len(fresh) == 72
    fresh_nulls = [run for run in fresh if run["dataset"].split(" ")[0] in ("uniform", "elongated", "heavy-tailed")]
    assert len(fresh_nulls) == 36 and not any(run["structure"] for run in fresh_nulls)
    assert '"no stable cluster structure" on all 36 null runs' in text
    missed = [run["dataset"] for run in fresh if run["dataset"] not in ("noisy circles", "noisy moons")
              and "ari" in run and not run["structure"]]
    assert missed == ["digits"] and "in one run of four" in text
    nulls = [run for run in runs if run["dataset"].split(" ")[0] in ("uniform", "elongated", "heavy-tailed")]
    assert len(nulls) == 54 and not any(run["structure"] for run in nulls)
    assert "**No structure** was answered on all 54 null runs" in text
    for name in ("blobs", "varied blobs"):
        assert all(_k(run) == 3 for run in mine(name))  # "the right k in all twelve runs"
    sheared = mine("anisotropic blobs")
    assert sum(_k(run) == 3 for run in sheared) == 4 and "Sheared blobs got it in four runs of six" in text
    assert {run["seed"] for run in sheared if _k(run) != 3} == {43}
    iris = mine("iris")
    assert sum(_k(run) == 2 for run in iris) == 5 and "2 clusters in five runs of six" in text
    low, high = min(run["ari"] for run in iris if _k(run) == 2), max(run["ari"] for run in iris if _k(run) == 2)
    assert f"(ARI {low:.2f}-{high:.2f})" in text
    wine = mine("wine")
    full = [run for run in wine if run["size"] == "full"]
    assert sorted(_k(run) for run in full) == [3, 3, 4] and "3 clusters on two seeds of three" in text
    assert {round(run["ari"], 2) for run in full if _k(run) == 3} == {0.91}
    assert [round(run["ari"], 2) for run in full if _k(run) == 4] == [0.77]
    half = [run for run in wine if run["size"] == "half"]
    assert all(_k(run) == 3 for run in half) and "3 clusters in all three runs" in text
    assert f"(ARI {min(r['ari'] for r in half):.2f}-{max(r['ari'] for r in half):.2f})" in text
    cancer = mine("breast cancer")
    assert [(run["seed"], run["size"]) for run in cancer if not run["structure"]] == [(42, "half")]
    assert 'structure" once (seed 42, random half)' in text
    found = [run["ari"] for run in cancer if run["structure"]]
    assert f"(ARI {min(found):.2f}-{max(found):.2f}, where" in text
    assert all(run["best"] == "scaled features + gmm, k=2" for run in cancer)
    best = [run["best_ari"] for run in cancer]
    assert f"reaches {min(best):.2f}-{max(best):.2f} over all six runs" in text
    digits = mine("digits")
    assert sum(not run["structure"] for run in digits) == 3 and 'structure" in three runs of six' in text
    found = [run["ari"] for run in digits if run["structure"]]
    assert f"(ARI {min(found):.2f}-{max(found):.2f})" in text
    best = [run["best_ari"] for run in digits]
    assert f"runs the best candidate scores {min(best):.2f}-{max(best):.2f}" in text
