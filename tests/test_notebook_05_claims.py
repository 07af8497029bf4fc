"""Notebook 05's prose, checked against its outputs: those committed with it and those of a fresh
execution made in this test run.

The notebook prints its results and never says whether they meet any bar; these tests read the
outputs (through ``notebook_outputs.read``) and assert each claim the prose
makes about them, two-sided where the prose says two things match. Re-execute the notebook, and
these tests say whether its text still holds.
"""

from __future__ import annotations

import re
import sys
from statistics import fmean
from pathlib import Path

import numpy as np
import pytest
from notebook_outputs import BOOKKEEPING, SOURCES, output_text, output_with, read, table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import label_free  # noqa: E402

NAME = "05_your_own_data.ipynb"
VERDICTS = (r"chosen|counts|not stable|not clearly better than one cluster|no better than chance|a cluster of outliers|"
            r"nested clusters")


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
            name, method, k, gap, gap_se, stability, silhouette, separation, verdict = match.groups()
            value = lambda v: float("nan") if v == "-" else float(v)  # noqa: E731
            rows.append({"representation": name.strip(), "method": method, "k": int(k), "gap": value(gap),
                         "gap_se": value(gap_se),
                         "stability": value(stability), "silhouette": value(silhouette),
                         "separation": value(separation), "verdict": verdict})
    assert rows, "no candidates table found"
    return rows


@pytest.fixture(scope="module")
def picks(cells):
    tables = [output_text(c) for c in cells if c.cell_type == "code" and "picks that count\n" in output_text(c)]
    section_5 = [text for text in tables if "autoencoder code" in text]  # exercise 3 prints another table
    assert len(section_5) == 1
    return _picks(section_5[0])


@pytest.fixture(scope="module")
def reveal_text(cells):
    return output_with(cells, "label-free choice:")


@pytest.fixture(scope="module")
def reveal(reveal_text):
    return table(reveal_text)


def _prose(cells):
    """Every markdown cell's text, joined, with each run of whitespace as one space."""
    return " ".join("\n".join(c.source for c in cells if c.cell_type == "markdown").split())


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
            assert p["verdict"] in ("chosen", "counts") or p["stability"] < 0.75
    counted = [p for p in picks if p["verdict"] in ("chosen", "counts")]
    chosen = [p for p in picks if p["verdict"] == "chosen"]
    assert len(chosen) == 1 and chosen[0]["gap"] == max(p["gap"] for p in counted)


def test_the_picks_the_prose_describes(cells, picks, reveal):
    by = {(p["representation"], p["method"]): p for p in picks}
    assert len(picks) == 8
    counted = {key: p["k"] for key, p in by.items() if p["verdict"] in ("chosen", "counts")}
    assert counted == {("scaled features", "kmeans"): 4, ("scaled features", "gmm"): 3, ("PCA-2", "kmeans"): 3,
                       ("PCA-2", "gmm"): 3, ("PCA-5", "kmeans"): 3, ("PCA-5", "gmm"): 3,
                       ("autoencoder code", "kmeans"): 3, ("autoencoder code", "gmm"): 2}  # "all eight picks count"
    assert by[("PCA-5", "gmm")]["verdict"] == "chosen"  # "three GMM clusters on PCA-5"
    # "(3.2-6.2 for the wines' picks in the table below)"
    separations = [p["separation"] for p in picks]
    assert f"{min(separations):.1f}" == "3.2" and f"{max(separations):.1f}" == "6.2"
    # "a GMM's gap is larger than the KMeans gap on every representation here"
    for name in ("scaled features", "PCA-2", "PCA-5", "autoencoder code"):
        assert by[(name, "gmm")]["gap"] > by[(name, "kmeans")]["gap"]
    # "The silhouette alone would have chosen KMeans' three clusters on the scaled features. The rule does
    # not: Tibshirani's rule takes that family to four clusters"
    silhouette_name, _ = _row(reveal, "highest silhouette alone")
    assert silhouette_name.endswith("scaled features + kmeans, k=3")
    assert by[("scaled features", "kmeans")]["k"] == 4
    # "though narrowly: four clusters' gap (0.84) exceeds three's by about its standard error (0.10; ...), and
    # their stability, 0.77, only just passes 0.75"
    four = by[("scaled features", "kmeans")]
    prose = _prose(cells)
    text = output_with(cells, "scaled features  kmeans   2")
    three = next(row for row in _picks(text) if row["method"] == "kmeans" and row["k"] == 3)
    assert (f"four clusters' gap ({four['gap']:.2f}) exceeds three's ({three['gap']:.2f}) by about its standard "
            f"error ({four['gap_se']:.2f};") in prose
    assert abs((four["gap"] - three["gap"]) - four["gap_se"]) <= 0.02  # "by about its standard error"
    assert f"their stability, {four['stability']:.2f}, only just passes 0.75" in prose
    assert 0.75 <= four["stability"] < 0.80
    # Why the rule passes the silhouette's pick over (a teacher's check: not because of the walk to four):
    # "every GMM pick's gap (1.26 to 1.70) is above every KMeans gap (0.53 to 0.84; three clusters on the
    # scaled features gain 0.74" and "every three-cluster pick in the table has a silhouette of 0.27 or 0.28"
    gmm = [p["gap"] for p in picks if p["method"] == "gmm"]
    kmeans = [p["gap"] for p in picks if p["method"] == "kmeans"]
    assert min(gmm) > max(kmeans + [three["gap"]])
    # "no KMeans split of the scaled features, at any k, gains as much as the chosen GMM's 1.70 (the most, 1.27,
    # at nine clusters; three clusters gain 0.74 ...); every GMM pick's gap (1.26 to 1.70) is above every KMeans
    # pick's (0.53 to 0.84)" (a reviewer: the family's k = 9 gains 1.27, above one GMM pick's 1.26)
    family = [row for row in _picks(text) if row["method"] == "kmeans"]
    most = max(family, key=lambda row: row["gap"])
    chosen = next(p for p in picks if p["verdict"] == "chosen")
    assert most["gap"] < chosen["gap"]
    assert (f"gains as much as the chosen GMM's {chosen['gap']:.2f} (the most, {most['gap']:.2f}, at nine clusters; "
            f"three clusters gain {three['gap']:.2f};") in prose and most["k"] == 9
    assert (f"every GMM pick's gap ({min(gmm):.2f} to {max(gmm):.2f}) is above every KMeans pick's ({min(kmeans):.2f} "
            f"to {max(kmeans):.2f})") in prose
    assert {f"{p['silhouette']:.2f}" for p in picks if p["k"] == 3} | {f"{three['silhouette']:.2f}"} <= {"0.27", "0.28"}


def test_the_other_picks_mostly_agree_with_the_choice(cells, picks, request):
    """"Six of the seven other picks agree with the chosen clusters at an ARI of 0.68 to 0.83 ... The odd one
    out is the autoencoder code's GMM, with two clusters (0.42)"."""
    lines = re.findall(r"^(.+?)\s+(kmeans|gmm)\s+k=(\d+): ARI ([\d.]+) with the chosen clusters$",
                       output_with(cells, "with the chosen clusters\n"), flags=re.M)
    others = {(name.strip(), method): (int(k), float(ari)) for name, method, k, ari in lines}
    counted = {(p["representation"], p["method"]) for p in picks if p["verdict"] == "counts"}
    assert set(others) == counted and len(others) == 7  # every pick that counts but the chosen one
    odd = ("autoencoder code", "gmm")
    agreeing = [ari for key, (_, ari) in others.items() if key != odd]
    prose = _prose(cells)
    slack = 0.0 if request.node.callspec.params["cells"] == "committed" else 0.05  # the code moves with the CPU
    assert others[odd][0] == 2 and others[odd][1] < min(agreeing) - 0.1
    if not slack:
        assert (f"at an ARI of {min(agreeing):.2f} to {max(agreeing):.2f}" in prose
                and f"with two clusters ({others[odd][1]:.2f})" in prose)
    assert min(agreeing) >= 0.6 - slack  # "agree"
    # "that step costs about half of the rule's regret (... 0.077, where the best of the same picks ... 0.036)"
    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8").split())
    assert "a mean regret of 0.08 (0.077)" in readme and "the mean regret would be 0.036" in readme
    assert ("over twelve draws its choice scored on average 0.077 ARI below the best candidate, where the best of the "
            "same picks, chosen by peeking, would have scored 0.036 below") in prose


def test_three_kmeans_clusters_as_a_pick_still_lose_to_a_gmm(cells):
    """Exercise 1's solution: with min_stability=0.95, three KMeans clusters become that family's pick, and a GMM
    still wins."""
    text = output_with(cells, "{'min_stability': 0.95}")
    strict = text.split("{'min_gain'")[0]
    assert "scaled features + kmeans, k=3" in strict.split("choice:")[0]
    chosen = re.search(r"choice: (.+?), k=\d+: the largest gap", strict).group(1)
    assert chosen.endswith("+ gmm")


def _walk(rows):
    """Tibshirani's rule on printed rows: the first whose gap is at least the next one's minus its se."""
    for current, following in zip(rows, rows[1:]):
        if current["gap"] >= following["gap"] - following["gap_se"]:
            return current
    return rows[-1]


def _family(text, method):
    """One method's rows of a printed family table."""
    return [row for row in _picks(text) if row["method"] == method]


def test_one_familys_walk_over_every_split_and_over_the_splits_that_count(cells, picks):
    text = output_with(cells, "scaled features  gmm      2")
    rows = _family(text, "gmm")
    assert [row["k"] for row in rows] == list(range(2, 11)) and {row["method"] for row in rows} == {"gmm"}
    # "walked over every split, Tibshirani's rule would stop at five clusters ... (stability 0.62)"
    every = _walk(rows)
    assert every["k"] == 5 and every["verdict"] == "not stable" and every["stability"] == 0.62
    gaps = {row["k"]: (row["gap"], row["gap_se"]) for row in rows}
    assert gaps[2][0] == 1.10 and gaps[3] == (1.55, 0.07) and gaps[4] == (1.63, 0.06) and gaps[5] == (1.81, 0.11)
    assert gaps[6] == (1.78, 0.11)
    # "only the three clusters pass every condition of rule 1, so the walk ... stops there at once"
    counting = [row for row in rows if row["verdict"] == "counts"]
    assert [row["k"] for row in counting] == [3] and _walk(counting)["k"] == 3
    by = {(p["representation"], p["method"]): p for p in picks}
    assert by[("scaled features", "gmm")]["k"] == 3  # the section's table shows that pick
    # "from nine clusters on, the GMM also sets apart a cluster of fewer than 5 % of the wines"
    assert [row["k"] for row in rows if row["verdict"] == "a cluster of outliers"] == [9, 10]
    # KMeans' family: "KMeans' splits that count are three and four clusters (two gain too little over one cluster,
    # five to seven do not come back on resampling, and from eight on one cluster holds under 5 % of the wines), and
    # the walk over them goes on to four"
    kmeans = _family(text, "kmeans")
    assert [row["k"] for row in kmeans] == list(range(2, 11))
    said = {row["k"]: row["verdict"] for row in kmeans}
    assert said[2] == "not clearly better than one cluster" and [said[k] for k in (3, 4)] == ["counts", "counts"]
    assert [said[k] for k in (5, 6, 7)] == ["not stable"] * 3 and [said[k] for k in (8, 9, 10)] == ["a cluster of outliers"] * 3
    counting = [row for row in kmeans if row["verdict"] == "counts"]
    assert by[("scaled features", "kmeans")]["k"] == 4  # the walk's pick, in section 5's table
    three, four = counting
    assert [three["k"], four["k"]] == [3, 4]
    # "To two decimals, three's gap (0.74) and four's less its standard error (0.84 - 0.10) look equal"
    assert round(three["gap"], 2) == round(four["gap"] - four["gap_se"], 2)
    prose = " ".join(_prose(cells).split())
    assert (f"To two decimals, three's gap ({three['gap']:.2f}) and four's less its standard error "
            f"({four['gap']:.2f} - {four['gap_se']:.2f}) look equal") in prose
    # "the walk's line, to three decimals, shows three falling short by a few thousandths"
    walk = re.findall(r"^walk: k=(\d+)'s gap (\d\.\d{3}) ([<>]=?) (\d\.\d{3}), k=(\d+)'s gap less its standard error: "
                      r"(go on|stop at \d+)$", text, re.MULTILINE)
    assert walk == [("3", f"{float(walk[0][1]):.3f}", "<", walk[0][3], "4", "go on")], walk
    short = float(walk[0][3]) - float(walk[0][1])
    assert 0 < short < 0.01 and "shows three falling short by a few thousandths" in prose
    assert re.findall(r"^pick: k=(\d+)$", text, re.MULTILINE) == ["4", "3"]  # KMeans' family, then the GMM's


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
    # "each family's pick gains at most a few hundredths ... (gaps of 0.02 to 0.05, under `min_gain = 0.1`), though
    # KMeans' halves come back on resampling. No pick counts"
    picks = _picks(text)
    assert len(picks) == 4 and {p["verdict"] for p in picks} == {"not clearly better than one cluster"}
    gaps = [p["gap"] for p in picks]
    prose = _prose(cells)
    assert f"(gaps of {min(gaps):.2f} to {max(gaps):.2f}, under `min_gain = 0.1`)" in prose and max(gaps) < 0.1
    assert all(p["stability"] >= 0.75 for p in picks if p["method"] == "kmeans")


def _plain_python(source):
    """A cell's code with its shell and magic lines (the setup cell's install) read as `pass`, for ``ast.parse``."""
    return "\n".join(line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())


def _names(source):
    """Top-level names a cell's code assigns or defines, and every name it reads."""
    import ast

    tree = ast.parse(_plain_python(source))
    defined = {t.id for node in tree.body for t in ast.walk(node)
               if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.With, ast.Import,
                                    ast.ImportFrom)) and isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}
    defined |= {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    defined |= {(a.asname or a.name).split(".")[0] for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))
                for a in n.names}
    read = set()

    def visit(node, local):  # names read, except those a function binds itself (its arguments, its assignments)
        if isinstance(node, (ast.FunctionDef, ast.Lambda)):
            local = local | {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
            local |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in local:
            read.add(node.id)
        for child in ast.iter_child_nodes(node):
            visit(child, local)

    visit(tree, frozenset())
    return defined, read


def test_pitfalls_and_exercises_run_after_no_structure(cells):
    # "If the answer is 'no stable cluster structure', the notebook stops after section 5 on purpose
    # ...; section 8 and the exercises still run cell by cell": nothing from section 8 on may read a
    # name that only the cells from the stop onwards (sections 6 and 7) define.
    stop = next(i for i, c in enumerate(cells) if c.cell_type == "code" and "raise SystemExit" in c.source)
    pitfalls = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## 8."))
    code = [(i, c.source) for i, c in enumerate(cells) if c.cell_type == "code"]
    before = set().union(*(_names(s)[0] for i, s in code if i < stop))
    skipped = set().union(*(_names(s)[0] for i, s in code if stop <= i < pitfalls)) - before
    assert {"labels", "best", "model"} <= skipped  # the stop skips what section 6 builds
    defined_later = set()
    for i, source in ((i, s) for i, s in code if i > pitfalls):
        defined, read = _names(source)
        missing = (read & skipped) - defined_later - defined
        assert not missing, f"cell {i} reads {sorted(missing)}, which a table with no structure never defines"
        defined_later |= defined


def test_stricter_thresholds(cells):
    text = output_with(cells, "{'min_stability': 0.95}")
    strict, gain = text.split("{'min_gain': 0.5}")
    # "three families still have a split that counts ... KMeans on the scaled features now picks three
    # clusters (four before), and the GMM on the autoencoder code three (two before)"
    assert ("3 pick(s) count: scaled features + kmeans, k=3, autoencoder code + kmeans, k=3, "
            "autoencoder code + gmm, k=3") in strict
    assert "choice: autoencoder code + gmm, k=3" in strict
    assert 0.72 <= float(re.search(r"ARI ([\d.]+)", strict).group(1)) <= 0.82  # "an ARI of 0.77"
    assert "8 pick(s) count" in gain and "agreement with section 5's choice: ARI 1.00" in gain  # "the choice stays"
    assert "scaled features + kmeans, k=4" in gain and "autoencoder code + gmm, k=2" in gain  # "before"


def test_irrelevant_columns_blur_the_clusters(cells, picks):
    text = output_with(cells, "scaled features + kmeans, k=3: ARI")
    by = {(p["representation"], p["method"]): p for p in _picks(text)}
    chance = float(re.search(r"^chance level: ([\d.]+)$", text, re.MULTILINE).group(1))
    # "only one pick counts, and it is a poor one: the GMM's five clusters on PCA-2 (ARI 0.57)"
    assert [key for key, p in by.items() if p["verdict"] in ("chosen", "counts")] == [("PCA-2", "gmm")]
    assert by[("PCA-2", "gmm")]["verdict"] == "chosen" and by[("PCA-2", "gmm")]["k"] == 5
    assert "among 1 pick that counts" in text
    kmeans, pca_kmeans = by[("scaled features", "kmeans")], by[("PCA-2", "kmeans")]
    assert kmeans["k"] == pca_kmeans["k"] == 3
    # "their gaps, 0.21 and -0.04, stay below the table's chance level (0.80) or below `min_gain`"
    assert kmeans["verdict"] == "no better than chance" and 0.1 <= kmeans["gap"] < chance
    assert pca_kmeans["verdict"] == "not clearly better than one cluster" and pca_kmeans["gap"] < 0.1
    ari = lambda name: float(re.search(rf"{name}: ARI ([\d.]+)", text).group(1))  # noqa: E731
    assert 0.5 <= ari(r"PCA-2 \+ gmm, k=5") <= 0.65
    assert ari(r"scaled features \+ kmeans, k=3") >= 0.85 and ari(r"PCA-2 \+ kmeans, k=3") >= 0.85  # "matched well"
    prose = " ".join(_prose(cells).split())
    scaled_ari, pca_ari = ari(r"scaled features \+ kmeans, k=3"), ari(r"PCA-2 \+ kmeans, k=3")
    assert (f"on the scaled features (ARI {scaled_ari:.2f}) or on PCA-2 "
            f"({pca_ari:.2f}), but their gaps, {kmeans['gap']:.2f} and {pca_kmeans['gap']:.2f}, stay "
            f"below the table's chance level ({chance:.2f}) or below `min_gain`") in prose
    # "KMeans' gap is 0.21 here; every KMeans pick on the wines alone gained 0.53 or more"
    assert kmeans["gap"] < 0.3 <= 0.5 < min(p["gap"] for p in picks if p["method"] == "kmeans")


def test_irrelevant_columns_lower_the_gaps_through_the_shrinkage_not_the_fit(cells, monkeypatch):
    """Exercise 3's 'why': the cultivars' own split fits 0.17 nats per row better than one cluster beside 13
    noise columns, 0.74 alone (printed); without the shrinkage the noise columns would cancel (the gain barely
    moves), and the Ledoit-Wolf amount of the pooled covariance goes from 0.19 to 0.44 (scikit-learn's own)."""
    from lesson_code import load
    from sklearn.covariance import ledoit_wolf
    from sklearn.datasets import load_wine
    from sklearn.preprocessing import StandardScaler

    text = output_with(cells, "the cultivars themselves, the wines alone")
    alone, beside = (float(v) for v in re.findall(r"the cultivars themselves, (?:the wines alone|beside 13 noise "
                                                   r"columns): (-?[\d.]+) nats per row better", text))
    prose = " ".join(next(c.source for c in cells if c.cell_type == "markdown" and "Why did the gaps fall" in c.source)
                     .split())
    assert (alone, beside) == (0.74, 0.17) and "only 0.17 nats per row better than one cluster, against 0.74" in prose
    assert "squared distance" not in prose.split("**4.**")[0]  # the old, wrong cause

    wine = load_wine()
    X = StandardScaler().fit_transform(wine.data)
    noisy = np.hstack([X, StandardScaler().fit_transform(np.random.default_rng(42).uniform(size=(len(X), 13)))])
    lesson = load(NAME)
    one = np.zeros(len(X), int)
    gain = lambda table: lesson.gaussian_fit(table, wine.target) - lesson.gaussian_fit(table, one)  # noqa: E731
    assert round(gain(X), 2) == alone and round(gain(noisy), 2) == beside  # the printed lines, recomputed
    # "they add about as much to one cluster's fit as to the split's, and cancel": unshrunk, the gain barely moves
    monkeypatch.setattr(lesson, "shrunk_covariance", lambda centred: centred.T @ centred / len(centred)
                        + 1e-6 * np.eye(centred.shape[1]))
    assert abs(gain(noisy) - gain(X)) < 0.1 < alone - beside
    # "pulled 0.44 of the way to a sphere instead of 0.19"
    pooled = lambda table: np.vstack([table[wine.target == c] - table[wine.target == c].mean(axis=0)  # noqa: E731
                                      for c in range(3)])
    amounts = [round(ledoit_wolf(pooled(table), assume_centered=True)[1], 2) for table in (X, noisy)]
    assert amounts == [0.19, 0.44] and "pulled 0.44 of the way to a sphere instead of 0.19" in prose
    # "the chance level rose, from 0.37 on the wines alone to 0.80 ... (the `± se` column: up to 0.31 here, at most
    # 0.10 for the wines' picks) ... clears it by 0.01: ... the largest gap, 0.81, with by far the largest standard
    # error (0.31); the GMM's two clusters on the scaled features (0.61) fall below it"
    noisy_text = output_with(cells, "scaled features + kmeans, k=3: ARI")
    by = {(p["representation"], p["method"]): p for p in _picks(noisy_text)}
    chance = float(re.search(r"^chance level: ([\d.]+)$", noisy_text, re.MULTILINE).group(1))
    wines = float(re.search(r"^chance level: ([\d.]+) nats per row", output_with(cells, "nats per row, the largest gap"),
                            re.MULTILINE).group(1))
    chosen, second = by[("PCA-2", "gmm")], by[("scaled features", "gmm")]
    assert chosen["gap"] == max(p["gap"] for p in by.values()) and chosen["gap_se"] == max(p["gap_se"] for p in by.values())
    assert second["gap"] < chance <= chosen["gap"] and round(chosen["gap"] - chance, 2) == 0.01
    # "KMeans' three clusters on the scaled features 0.08 here against 0.04 on the wines alone, the GMM's two
    # clusters 0.09 against 0.03, section 5's printout": the same splits, the family tables of section 5
    family = {(p["method"], p["k"]): p["gap_se"] for p in _picks(output_with(cells, "walk: k=3's gap"))}
    here = {(p["method"], p["k"]): p["gap_se"] for p in by.values() if p["representation"] == "scaled features"}
    assert here[("kmeans", 3)] > family[("kmeans", 3)] and here[("gmm", 2)] > family[("gmm", 2)]
    assert (f"KMeans' three clusters on the scaled features {here[('kmeans', 3)]:.2f} here against "
            f"{family[('kmeans', 3)]:.2f} on the wines alone, the GMM's two clusters {here[('gmm', 2)]:.2f} against "
            f"{family[('gmm', 2)]:.2f}") in prose
    assert f"from {wines:.2f} on the wines alone to {chance:.2f}, though the search here is half as large" in prose
    assert (f"the largest gap, {chosen['gap']:.2f}, with by far the largest standard error ({chosen['gap_se']:.2f}); the "
            f"GMM's two clusters on the scaled features ({second['gap']:.2f}) fall below it") in prose


def test_the_round_yardstick_misses_the_sheared_blobs(cells):
    text = output_with(cells, "squared_distance_fit:")
    # "misses three clusters ... and answers 'no stable cluster structure' ... (their gap is below 0). Five KMeans
    # cuts ... (a gap of 0.17, which `min_gain` alone accepts: ARI 0.37), but less than ... (the chance level, 0.42
    # with this yardstick) ... the GMM with three clusters wins, far above its chance level (0.10)"
    missed = re.search(r"squared_distance_fit: gap of the GMM's three clusters (-?[\d.]+)\n"
                       r"  chance level ([\d.]+) +no stable cluster structure; ARI 0.00\n"
                       r"  min_gain alone +kmeans, k=5 \(gap ([\d.]+)\); ARI ([\d.]+)\n", text)
    assert missed, text
    gmm_gap, chance, kmeans_gap, kmeans_ari = (float(v) for v in missed.groups())
    assert gmm_gap < 0 and 0.1 <= kmeans_gap < chance and kmeans_ari <= 0.5
    found = re.search(r"gaussian_fit: gap of the GMM's three clusters ([\d.]+)\n"
                      r"  chance level ([\d.]+) +gmm, k=3 \(gap ([\d.]+)\); ARI ([\d.]+)\n"
                      r"  min_gain alone +gmm, k=3", text)
    assert found and float(found.group(4)) >= 0.95 and float(found.group(2)) < 0.5 * float(found.group(3))  # "far above"
    prose = " ".join(_prose(cells).split())
    assert (f"(a gap of {kmeans_gap:.2f}, which `min_gain` alone accepts: ARI {kmeans_ari:.2f}), but less than the same "
            f"search reaches on a box reference by luck (the chance level, {chance:.2f} with this yardstick)") in prose
    assert f"far above its chance level ({float(found.group(2)):.2f})" in prose
    kmeans = re.search(r"kmeans, k=3: silhouette ([\d.]+), ARI ([\d.]+)", text)
    gmm = re.search(r"gmm, k=3: silhouette ([\d.]+), ARI ([\d.]+)", text)
    assert float(kmeans.group(1)) > float(gmm.group(1))  # "the silhouette prefers KMeans' cut"
    assert float(gmm.group(2)) > float(kmeans.group(2)) + 0.2  # "the GMM finds the blobs"


# The validation suite, as section 7 reports it: every number recomputed from the recorded runs
# (benchmarks/label_free.py --log; labels used only to score). Seeds 42-50 were seen while the rule was
# settled; seeds 51-53 were run once, after it was final.

SUITE_LOGS = ("label_free_seed42_44.jsonl", "label_free_seed45_46.jsonl", "label_free_seed47_50.jsonl",
              "label_free_digits_seed47_50.jsonl", "label_free_seed51_53.jsonl")
TEST_SEEDS = (51, 52, 53)
# the table's rows: the suite's name, the notebook's name, the number of groups the labels hold
SUITE_TABLE = (("blobs", "round blobs", 3), ("varied blobs", "blobs of unequal spread", 3),
               ("anisotropic blobs", "sheared blobs", 3), ("iris", "iris", 3), ("wine", "wine", 3),
               ("breast cancer", "breast cancer", 2), ("digits", "digits", 10))


def _suite_runs(*names):
    folder = Path(__file__).resolve().parents[1] / "benchmarks"
    return label_free.read_logs(*(folder / name for name in names or SUITE_LOGS))


NULL_KINDS = ("uniform", "elongated", "heavy-tailed")


def _k(run):
    return None if run["chosen"] == "no structure" else int(run["chosen"].rsplit("k=", 1)[1])


def _range(values):
    return f"{min(values):.2f}-{max(values):.2f}"


@pytest.fixture(scope="module")
def suite_text(cells):
    """Section 7's suite paragraphs (the markdown cell that holds them)."""
    (cell,) = [c for c in cells if c.cell_type == "markdown" and "### Where this procedure works" in c.source]
    return cell.source


def test_the_suite_table_is_the_recorded_runs(suite_text):
    """Every row of the table, recomputed from the logs: right k, mean ARIs, regret over all twelve draws
    and over the three test draws, run once after the rule was final."""
    runs = _suite_runs()
    assert sorted({run["seed"] for run in runs}) == list(range(42, 54))
    rows = [line for line in suite_text.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[0].startswith("| data set | groups | right number of clusters |")
    every = {row["dataset"]: row for row in label_free.summarise(runs)}  # the benchmark's own per-set means
    tested = {row["dataset"]: row for row in label_free.summarise([run for run in runs if run["seed"] in TEST_SEEDS])}
    expected = []
    for name, label, groups in SUITE_TABLE:
        assert every[name]["runs"] == 24 and tested[name]["runs"] == 6  # "twelve times at two sizes, 24 runs per set"
        if name != "digits":  # the digits' groups: the ten classes of load_digits
            assert len(set(label_free.load(name, label_free.sizes_of(name)[0], 42)[1])) == groups
        right = sum(_k(run) == groups for run in runs if run["dataset"] == name)
        expected.append(f"| {label} | {groups} | {right} of 24 | {every[name]['ari']:.2f} | "
                        f"{every[name]['best_ari']:.2f} | {every[name]['regret']:.2f} | {tested[name]['regret']:.2f} |")
    regret, test_regret = (fmean(rows_of[name]["regret"] for name, _, _ in SUITE_TABLE) for rows_of in (every, tested))
    expected.append(f"| **mean over the seven** | | | | | **{regret:.2f}** | **{test_regret:.2f}** |")
    assert rows[1:] == expected
    assert {name for name, _, _ in SUITE_TABLE} == set(label_free.REPRESENTABLE)
    # the regret, as the table's columns use it, is the best candidate's ARI minus the choice's
    assert all(abs(run["regret"] - (run["best_ari"] - run["ari"])) < 1e-9 for run in runs if "regret" in run)
    assert "The *regret* of a run is the ARI of the best candidate, found by peeking, minus the ARI of the choice" \
        in " ".join(suite_text.split())
    # "the three test draws ... came out poorer"
    assert test_regret > regret


def test_the_suite_paragraphs_report_the_recorded_runs(cells, suite_text):
    text = " ".join(suite_text.split())
    runs = _suite_runs()
    mine = lambda name: [run for run in runs if run["dataset"] == name]  # noqa: E731
    assert "Each set was drawn twelve times at two sizes" in text and "24 runs per set" in text
    assert ("with three of section 3's four representations (the scaled features, PCA-2 and PCA keeping 80 % of "
            "the variance; the autoencoder was left out to save time, so these numbers say nothing about its picks)") in text
    chosen_in = {run["chosen"].split(" + ")[0] for run in runs if run["structure"]}
    assert "autoencoder code" not in chosen_in and {"scaled features", "PCA-2", "PCA-13", "PCA-5"} <= chosen_in
    assert set(label_free.MIXED_UNITS) == {"wine", "breast cancer"}
    assert "the wine and breast-cancer columns one by one (they come in different units)" in text
    # "Three draws were run once, as soon as the rule was final": a log of their own, every set
    test = _suite_runs("label_free_seed51_53.jsonl")
    assert sorted({run["seed"] for run in test}) == list(TEST_SEEDS) and len(test) == 108
    assert "Three draws were run once, as soon as the rule was final" in text
    # the tables with no clusters
    nulls = [run for run in runs if run["dataset"] in label_free.NULLS]
    alarms = [run for run in nulls if run["structure"]]
    assert len(nulls) == 216 and len(alarms) == 1
    assert '"no stable cluster structure" in 215 of 216 runs' in text
    assert [(run["dataset"], run["size"], run["chosen"]) for run in alarms] == [
        ("heavy-tailed 8-D", 300, "PCA-6 + kmeans, k=2")]
    assert "two KMeans clusters on PCA-6 of 300 points from the heavy-tailed cloud in 8 dimensions" in text
    # blobs: every miss of the round and sheared blobs is a GMM's two clusters
    import numpy as np
    from sklearn.datasets import make_blobs

    merged = [run for name in ("blobs", "anisotropic blobs") for run in mine(name) if _k(run) != 3]
    assert all(_k(run) == 2 and run["chosen"].split(", ")[0].endswith("gmm") for run in merged)
    assert f"every miss is two clusters, a GMM putting two whole blobs together (ARI {_range([r['ari'] for r in merged])})" \
        in text
    assert sum(run["dataset"] == "anisotropic blobs" for run in merged) == 6 and "on the sheared blobs in 6 runs" in text
    round_seeds = {run["seed"] for run in merged if run["dataset"] == "blobs"}
    assert round_seeds == {52} and "on the round blobs in the one draw that puts two of them close together" in text
    centres = make_blobs(n_samples=300, random_state=52, return_centers=True)[2]
    assert min(np.linalg.norm(a - b) for i, a in enumerate(centres) for b in centres[i + 1:]) < 3  # SD 1 each
    (cut,) = [run for run in mine("varied blobs") if _k(run) != 3]
    assert _k(cut) == 4 and (f"the widest blob split in two, with a slice of it joined to a narrower one (four "
                             f"clusters, ARI {cut['ari']:.2f})") in text
    # circles and moons
    assert not any(run["structure"] for run in mine("noisy circles"))
    assert '"no stable cluster structure" on every circles run' in text
    moons = mine("noisy moons")
    ks = sorted(_k(run) for run in moons)
    assert all(run["chosen"].split(", ")[0].endswith("gmm") for run in moons)
    (moons_row,) = label_free.summarise(moons)
    assert (f"chose {ks[0]} to {ks[-1]} GMM clusters on the moons (ARI {moons_row['ari']:.2f}, where "
            f"the best candidate scores {moons_row['best_ari']:.2f})") in text
    # iris and wine
    iris_missed = [run for run in mine("iris") if _k(run) != 3]
    assert iris_missed and all(_k(run) == 2 and run["size"] == "half" for run in iris_missed)
    assert "Every iris miss is two clusters on a random half" in text
    assert sorted(_k(run) for run in mine("wine") if _k(run) != 3) == [2, 4, 4, 4, 4, 4, 4]
    assert "The wine's misses are four clusters, and two once" in text
    # breast cancer
    cancer = mine("breast cancer")
    others = sorted({_k(run) for run in cancer if _k(run) != 2})
    assert all(run["chosen"].split(", ")[0].endswith("gmm") for run in cancer if _k(run) != 2)
    assert (f"two clusters in {sum(_k(run) == 2 for run in cancer)} of 24 runs; in the others a GMM with "
            f"{others[0]} to {others[-1]} clusters") in text
    # "Breast cancer loses the most over all twelve draws (the digits lose more on the three test draws)", and the
    # summary: "breast cancer and the digits, where it chose the right number of clusters in only 11 and 7 of 24 runs"
    per_set = {row["dataset"]: row for row in label_free.summarise(runs)}
    tested = {row["dataset"]: row for row in label_free.summarise(test)}  # the three test draws' own log
    assert max(label_free.REPRESENTABLE, key=lambda name: per_set[name]["regret"]) == "breast cancer"
    assert tested["digits"]["regret"] > tested["breast cancer"]["regret"]
    assert "**Breast cancer loses the most over all twelve draws** (the digits lose more on the three test draws)" in text
    prose = _prose(cells)
    right = [sum(_k(run) == groups for run in mine(name)) for name, groups in (("breast cancer", 2), ("digits", 10))]
    assert right == sorted(right, reverse=True)  # quoted in that order: 11, then 7
    # the two fewest right counts of the seven sets
    assert sorted(sum(_k(run) == g for run in mine(n)) for n, _, g in SUITE_TABLE)[:2] == sorted(right)
    assert (f"breast cancer and the digits, where it chose the right number of clusters in only {right[0]} and "
            f"{right[1]} of 24 runs") in prose
    # the digits
    assert not any(_k(run) == 10 for run in mine("digits") if run["seed"] in TEST_SEEDS)
    assert "poorest set on the three test draws: no run there found ten clusters" in text
    pixels = label_free.load("digits", "half", 45)[0]
    assert pixels.shape[1] == 61 and "1,891 numbers for the 61 pixels that vary" in text
    assert 61 * 62 // 2 == 1891 and 13 * 14 // 2 == 91
    from sklearn.decomposition import PCA

    assert PCA(n_components=0.8, random_state=45).fit(pixels).n_components_ == 13
    assert "PCA-13 keeps 80 % of the variance with 91 numbers per covariance" in text

    def on_pca_2(*logs):
        digits_runs = [run for run in _suite_runs(*logs) if run["dataset"] == "digits"]
        return digits_runs, [run for run in digits_runs if run["chosen"].startswith("PCA-2 + gmm")]

    two, pca = on_pca_2("label_free_seed42_44_two_representations.jsonl",
                        "label_free_seed45_46_two_representations.jsonl",
                        "label_free_digits_seed47_50_two_representations.jsonl")
    assert (len(two), len(pca)) == (18, 12) and {run["seed"] for run in two} == set(range(42, 51))
    ks = sorted(_k(run) for run in pca)
    summary = (f"a GMM on PCA-2 with {ks[0]} to {ks[-1]} clusters (ARI {_range([run['ari'] for run in pca])}) in 12 "
               f"of 18 runs")
    assert summary.replace(" in 12 of 18 runs", " in 12 of 18 runs (nine draws)") in text
    three, pca = on_pca_2()
    assert (len(three), len(pca)) == (24, 4)
    assert f"the rule fell back on a GMM on PCA-2 in 4 of 24 runs (ARI {_range([run['ari'] for run in pca])})" in text
    assert "on the digits it needed a representation of moderate size (PCA-13) among them" in prose  # summary
    before = [run for run in _suite_runs("label_free_seed42_44_each_column.jsonl") if run["dataset"] == "digits"]
    assert len(before) == 6 and all(run["chosen"].startswith("PCA-2 + gmm") for run in before)
    assert not any(_k(run) == 10 for run in before)
    assert (f"the rule chose a GMM on PCA-2 in all six digits runs of three draws (ARI "
            f"{_range([r['ari'] for r in before])}), never ten clusters, and its best candidates were poorer too "
            f"({_range([r['best_ari'] for r in before])})") in text

    # what to expect: the regret over the seven sets a candidate method can represent
    def mean_regret(some_runs):
        rows = [row for row in label_free.summarise(some_runs) if row["dataset"] in label_free.REPRESENTABLE]
        assert len(rows) == 7
        return fmean(row["regret"] for row in rows)

    regret = {row["dataset"]: row.get("regret") for row in label_free.summarise(test)}
    assert max(label_free.REPRESENTABLE, key=regret.get) == "digits"
    assert (f"On the three test draws, the regret averaged {mean_regret(test):.2f} over the seven sets a "
            f"candidate method can represent, and the digits {regret['digits']:.2f}") in text
    # with the six draws of the second test: test_the_second_test_is_the_planned_run_and_passes_the_conditions_...
    assert "Over all eighteen draws the regret averages" in text and "over all twelve draws it averages" not in text


def test_the_scaling_section_quotes_notebook_04_and_the_digits_as_they_are(cells):
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.preprocessing import StandardScaler

    text = _prose(cells)
    printed = output_with(read("04_deep_embedded_clustering_digits.ipynb").cells, "KMeans ARI on pixels / 16")
    pixels16, standardised = re.search(r"KMeans ARI on pixels / 16: ([\d.]+); on standardised pixels: ([\d.]+)",
                                       printed).groups()
    assert f"ARI of {pixels16} on pixels / 16 and {standardised} on standardised pixels" in text
    digits = load_digits().data
    farthest = np.abs(StandardScaler().fit_transform(digits[:, digits.std(axis=0) > 0])).max()
    assert f"up to {farthest:.0f} standard deviations on all 1,797 of scikit-learn's digits" in text
    assert any("ONE_UNIT = False" in c.source and "scale_columns(table.X, one_unit=ONE_UNIT)" in c.source
               for c in cells if c.cell_type == "code")


def test_the_cluster_description_reads_the_printed_profiles(cells):
    text = output_with(cells, "samples): highest")
    profile = {int(c): (high, low) for c, high, low in
               re.findall(r"cluster (\d) \(\d+ samples\): highest (.*?); lowest (.*)", text)}
    columns = lambda listed: [item.rsplit(" ", 1)[0] for item in listed.split(", ")]  # noqa: E731
    names = {c: (columns(high), columns(low)) for c, (high, low) in profile.items()}
    prose = _prose(cells)
    assert ("cluster 2 holds the wines richest in proline, flavanoids and total phenols; cluster 1 the most "
            "intensely coloured, with the least flavanoids and the lowest hue; cluster 0 the lightest in colour "
            "and the lowest in alcohol and proline") in prose
    assert names[2][0] == ["proline", "flavanoids", "total_phenols"]
    assert names[1][0][0] == "color_intensity" and {"flavanoids", "hue"} <= set(names[1][1])
    assert {"color_intensity", "alcohol", "proline"} == set(names[0][1])


def test_only_the_untouched_wines_keep_their_answer_for_section_7(cells):
    import numpy as np
    from sklearn.datasets import load_wine

    loading = next(c.source for c in cells if c.cell_type == "code" and "tables.read_csv(csv_path" in c.source)
    reset = loading[loading.index("if table.X"):]  # the cell's own test, run on three tables
    wine = load_wine()

    def kept(X):
        scope = {"np": np, "wine": wine, "table": type("Table", (), {"X": X}), "hidden_cultivar": wine.target}
        exec(reset, scope)
        return scope["hidden_cultivar"] is not None

    assert kept(wine.data.round(6))  # the wines, as written to the CSV file and read back
    assert not kept(wine.data[:, :12])  # another table, from a file or from memory (tables.from_array)
    other = wine.data.copy()
    other[0, 0] += 1.0
    assert not kept(other)  # 178 rows x 13 columns, but not the wines


def test_the_code_rebuilds_the_wines_a_little_better_than_pca_2(cells):
    """"a mean squared error of about 0.38 per value at the end of training ..., where PCA-2 leaves 0.45, the
    share of the variance it drops (on standardised columns, that share is PCA's squared error per value)"."""
    import numpy as np
    from sklearn.datasets import load_wine
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    text = _prose(cells)
    loss = float(re.search(r"trained \d+ epochs in [\d.]+ s\s+loss ([\d.]+)", output_with(cells, "trained 100 epochs")
                           ).group(1))
    kept = float(re.search(r"PCA-2 keeps (\d+)% of the variance", output_with(cells, "PCA-2 keeps")).group(1)) / 100
    assert "a mean squared error of about 0.38 per value at the end of training" in text
    assert abs(loss - 0.38) <= 0.02  # "about": another processor trains a slightly different network
    assert f"where PCA-2 leaves {1 - kept:.2f}, the share of the variance it drops" in text
    X = StandardScaler().fit_transform(load_wine().data)
    pca = PCA(n_components=2).fit(X)
    error = np.mean((pca.inverse_transform(pca.transform(X)) - X) ** 2)
    assert abs(error - (1 - pca.explained_variance_ratio_.sum())) < 1e-9  # the share is the error
    assert loss < error - 0.03  # "a little better"


def test_the_teaching_guide_quotes_the_suite_as_the_notebook_does():
    """docs/teaching.md's row for section 7 gives the twelve draws' numbers, recomputed from the logs."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "teaching.md").read_text(encoding="utf-8")
    (row,) = [line for line in guide.splitlines() if line.startswith("| §7 where it fails |")]
    runs = _suite_runs()
    nulls = [run for run in runs if run["dataset"] in label_free.NULLS]
    assert f"{sum(not run['structure'] for run in nulls)} of {len(nulls)} null runs over twelve draws" in row
    right = {name: sum(_k(run) == groups for run in runs if run["dataset"] == name) for name, _, groups in SUITE_TABLE}
    regret = {row_["dataset"]: row_.get("regret") for row_ in label_free.summarise(runs)}
    assert f"breast cancer (the right k in only {right['breast cancer']} of 24 runs" in row
    assert f"the largest mean regret, {regret['breast cancer']:.2f})" in row
    assert f"iris found as 3 clusters in {right['iris']} of 24 runs" in row
    assert f"sheared blobs merged to two in {24 - right['anisotropic blobs']} runs" in row
    assert f"round blobs right in {right['blobs']} of 24 runs, unequal-spread blobs in {right['varied blobs']} of 24" in row
    test = [run for run in runs if run["seed"] in TEST_SEEDS]
    means = [fmean(r["regret"] for r in label_free.summarise(some) if r["dataset"] in label_free.REPRESENTABLE)
             for some in (test, runs)]
    assert f"mean regret {means[0]:.2f} against {means[1]:.2f} over all twelve draws" in row


SECOND_TEST_LOG = "label_free_seed54_59.jsonl"
SECOND_TEST_SEEDS = tuple(range(54, 60))


def _regrets_by_set(runs):
    return {row["dataset"]: row["regret"] for row in label_free.summarise(runs) if row["dataset"] in label_free.REPRESENTABLE}


def test_the_second_test_is_the_planned_run_and_passes_the_conditions_written_before_it():
    """Seeds 54-59: the plan's runs (all 18 suite sets, both sizes, six seeds never run on them before), its
    four conditions recomputed from the log, and every number the README, notebook 05 and the teaching guide
    give for it, and for the seeds pooled with it."""
    root = Path(__file__).resolve().parents[1]
    plan = (root / "benchmarks" / "label_free_replication_plan.md").read_text(encoding="utf-8")
    runs = _suite_runs(SECOND_TEST_LOG)
    suite = label_free.BEYOND + label_free.REPRESENTABLE + label_free.NULLS
    assert {run["seed"] for run in runs} == set(SECOND_TEST_SEEDS) and len(runs) == 216
    assert {run["dataset"] for run in runs} == set(suite)
    # the plan's two commands, between them, name every set once
    named = re.findall(r'--only (?:"([^"]+)"|(\S+))', plan)
    assert sorted(a or b for a, b in named) == sorted(suite)
    assert "--first-seed 54 --seeds 6" in plan and "Seeds 54, 55, 56, 57, 58 and 59" in plan
    earlier = _suite_runs() + _suite_runs("label_free_outside.jsonl", "label_free_wide.jsonl")
    assert not {(run["dataset"], run["seed"]) for run in earlier} & {(run["dataset"], run["seed"]) for run in runs}

    # the four conditions of the plan, on these runs alone
    nulls = [run for run in runs if run["dataset"] in label_free.NULLS]
    structured = [run for run in runs if run["dataset"] in label_free.REPRESENTABLE]
    regrets = _regrets_by_set(runs)
    quiet, mean = sum(not run["structure"] for run in nulls), fmean(regrets.values())
    worst = max(regrets, key=regrets.get)  # of these runs; the pooled runs' worst sets below are their own
    assert quiet >= 0.95 * len(nulls) and all(run["structure"] for run in structured)
    assert mean <= 0.10 and regrets[worst] <= 0.25  # it passes; the tests below hold its words to the numbers

    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    assert (f'"no stable cluster structure" in {quiet} of {len(nulls)} runs ({100 * quiet / len(nulls):.0f} %; the one false '
            "alarm is four GMM clusters on PCA-2 of 300 points from the elongated Gaussian in 30 dimensions, seed 55)"
            ) in readme
    (alarm,) = [run for run in nulls if run["structure"]]
    assert (alarm["dataset"], alarm["size"], alarm["seed"], alarm["chosen"]) == (
        "elongated Gaussian 30-D", 300, 55, "PCA-2 + gmm, k=4")
    assert f"Every structured run finds structure ({len(structured)} of {len(structured)})" in readme
    assert f"The mean regret over the seven sets is {mean:.2f} ({mean:.3f})" in readme
    assert f"the worst set is the {worst} at {regrets[worst]:.2f}" in readme and worst == "wine"
    for name, rows, seeds in (("wine", 89, (55, 59)), ("iris", 75, (55, 59))):
        lost = sorted((run for run in runs if run["dataset"] == name and run["regret"] > 0.3), key=lambda r: r["seed"])
        assert [run["seed"] for run in lost] == list(seeds) and all(run["n"] == rows and _k(run) == 2 for run in lost)
        assert f"(ARI {lost[0]['ari']:.2f} and {lost[1]['ari']:.2f})" in readme
    per_seed = {seed: fmean(_regrets_by_set([run for run in runs if run["seed"] == seed]).values())
                for seed in SECOND_TEST_SEEDS}
    assert (f"ranges from {min(per_seed.values()):.2f} to {max(per_seed.values()):.2f} here "
            f"({max(per_seed.values()):.3f} at seeds 55 and 59") in readme
    assert {seed for seed, value in per_seed.items() if round(value, 3) == round(max(per_seed.values()), 3)} == {55, 59}

    # pooled: every draw run once after the suite was final (51-59), and all eighteen seeds (42-59)
    after = _suite_runs("label_free_seed51_53.jsonl", SECOND_TEST_LOG)
    every = _suite_runs() + runs
    for pooled, nulls_text in ((after, "answers {} of {} null runs"), (every, "{} of {} null runs answer")):
        regret = _regrets_by_set(pooled)
        pooled_worst = max(regret, key=regret.get)
        assert f"{fmean(regret.values()):.2f} ({fmean(regret.values()):.3f})" in readme
        assert f"{pooled_worst} at {regret[pooled_worst]:.2f}" in readme
        pooled_nulls = [run for run in pooled if run["dataset"] in label_free.NULLS]
        assert nulls_text.format(sum(not run["structure"] for run in pooled_nulls), len(pooled_nulls)) in readme

    # notebook 05 and the teaching guide say the same
    (cell,) = [c for c in read(NAME, "committed").cells if c.cell_type == "markdown" and "### Where this procedure works" in c.source]
    notebook = " ".join(cell.source.split())
    assert (f"there the regret averaged {mean:.2f} (the {worst} the worst, {regrets[worst]:.2f}), every run on "
            f"the seven sets found structure, and {quiet} of {len(nulls)} runs on tables with no clusters") in notebook
    assert f"Over all eighteen draws the regret averages {fmean(_regrets_by_set(every).values()):.2f}" in notebook
    everyone = {seed: fmean(_regrets_by_set([run for run in every if run["seed"] == seed]).values())
                for seed in range(42, 60)}
    assert (f"a single draw's average over the seven sets ranges from {min(everyone.values()):.2f} to "
            f"{max(everyone.values()):.2f}") in notebook
    guide = (root / "docs" / "teaching.md").read_text(encoding="utf-8")
    assert f"came out at {mean:.2f} (the {worst} the worst, {regrets[worst]:.2f})" in guide


def _twelve_seeds_per_set(log, names, sizes):
    """The runs of a log of seeds 45-56, each set at each size twelve times ("twelve seeds each"), and a
    function counting the runs of one set and size that found "structure"."""
    runs = _suite_runs(log)
    assert {run["size"] for run in runs} == set(sizes) and {run["seed"] for run in runs} == set(range(45, 57))
    per = {(name, size): [run for run in runs if run["dataset"] == name and run["size"] == size]
           for name in names for size in sizes}
    assert all(len(mine) == 12 for mine in per.values())
    return runs, lambda name, size: sum(run["structure"] for run in per[(name, size)])


def _small_table_rows(cells):
    """Section 8's table of small tables: rows -> pairs (without, with the chance level) for noise "structure", cloud
    "structure", blobs with three clusters, blobs with "no stable cluster structure"."""
    prose = "\n".join(c.source for c in cells if c.cell_type == "markdown")  # lines kept: a table's rows
    pair = r"(\d+) → (\d+) of 12"
    rows = re.findall(rf"^\s*\| (\d+) \| {pair} \| {pair} \| {pair} \| {pair} \|\s*$", prose, re.MULTILINE)
    assert rows, "no table of small tables"
    return {int(size): tuple((int(a), int(b)) for a, b in zip(values[::2], values[1::2])) for size, *values in rows}


def test_the_small_table_demo_reads_its_own_output(cells):
    """Section 8's eight noise tables of 50 rows: the prose's counts, clusters, gaps and chance levels are the
    printed ones, and every pick min_gain alone made lies below its own table's chance level."""
    text = output_with(cells, "with the chance level\n")
    rows = re.findall(r"^ +(\d) +(no structure|scaled features \+ kmeans, k=(\d+) \(gap ([\d.]+)\)|\S.*?) +([\d.]+)  "
                      r"(structure|no structure)$", text, re.MULTILINE)
    assert len(rows) == 8
    fooled = [(int(k), float(gap), float(level)) for _, said, k, gap, level, _ in rows if said != "no structure"]
    assert all(k for k, _, _ in fooled)  # every one KMeans on the scaled features, as the prose says
    assert len(fooled) == 4 and {k for k, _, _ in fooled} == {2, 7}
    assert all(gap < level for _, gap, level in fooled)  # "each of those four picks stays below its own table's level"
    assert all(with_chance == "no structure" for *_, with_chance in rows)
    levels = [float(level) for *_, level, _ in rows]
    prose = " ".join(_prose(cells).split())
    gaps = [gap for _, gap, _ in fooled]
    assert (f'With `min_gain` alone, four of the eight noise tables got "structure": KMeans on the scaled features with 2 '
            f"or 7 clusters, gaps of {min(gaps):.2f} to {max(gaps):.2f}, all above 0.1. With the chance level, none did: "
            f"on each table the same search reaches gaps of {min(levels):.2f} to {max(levels):.2f}") in prose


def test_the_small_table_trap_reports_both_rules_as_logged(cells):
    """Section 8's table, its reading and the summary, recomputed from chance_gap.py's logs of seeds 45-56 (12, 30,
    50 and 150 rows) and 66-77 (50 and 150 rows, the chance level's planned test). Their rule without the chance level
    chose, run for run, what label_free.py recorded for those tables before (the README's Small and Tiny tables)."""
    logs = {"small": _suite_runs("chance_gap_small_seed45_56.jsonl"), "tiny": _suite_runs("chance_gap_tiny_seed45_56.jsonl")}
    for kind, before in (("small", "label_free_small.jsonl"), ("tiny", "label_free_tiny.jsonl")):
        recorded = {(r["dataset"], r["size"], r["seed"]): r["chosen"] for r in _suite_runs(before)}
        assert {(r["dataset"], r["size"], r["seed"]): r["notebook"]["chosen"] for r in logs[kind]} == recorded
    runs = logs["small"] + logs["tiny"]
    assert {r["seed"] for r in runs} == set(range(45, 57)) and len(runs) == 144

    def count(size, name, found):
        mine = [r for r in runs if r["size"] == size and r["dataset"].split(" ", 1)[1] == name]
        assert len(mine) == 12
        return tuple(sum(found(r[rule]) for r in mine) for rule in ("notebook", "chance"))

    def three(choice):
        return choice["chosen"].endswith("k=3")

    def structure(choice):
        return choice["structure"]

    expected = {size: (count(size, "uniform 2-D", structure), count(size, "Gaussian 5-D", structure),
                       count(size, "blobs", three), count(size, "blobs", lambda c: not c["structure"]))
                for size in (12, 30, 50, 150)}
    assert _small_table_rows(cells) == expected
    prose = " ".join(_prose(cells).split())
    at_12 = expected[12]
    assert at_12[0][1] == at_12[1][1] == 0 and f"At 12 rows it removed all {at_12[0][0] + at_12[1][0]} false alarms" in prose
    assert (f'"no stable cluster structure" on {at_12[3][1]} of the 12 blob tables, where `min_gain` alone had found '
            f"clusters in all 12 (three in {at_12[2][0]})") in prose and at_12[3] == (0, 6)
    for size in (30, 50, 150):  # "From 30 rows on, the chance level removed every false alarm and cost the blobs nothing"
        noise, cloud, blobs, missed = expected[size]
        assert noise[1] == cloud[1] == 0 and blobs[0] == blobs[1] and missed == (0, 0)
    two = [r for r in logs["small"] if r["dataset"] == "small blobs" and not three(r["chance"])]
    assert all(r["chance"]["chosen"].endswith("k=2") for r in two) and len({r["seed"] for r in two}) == 2
    later = _suite_runs("chance_gap_small_seed66_77.jsonl")
    assert {r["seed"] for r in later} == set(range(66, 78)) and len(later) == 72

    def later_count(name, size, rule, found):
        return sum(found(r[rule]) for r in later if r["dataset"] == name and r["size"] == size)

    noise = {rule: [later_count("small uniform 2-D", size, rule, structure) for size in (50, 150)]
             for rule in ("notebook", "chance")}
    cloud = [later_count("small Gaussian 5-D", size, rule, structure) for size in (50, 150) for rule in ("notebook", "chance")]
    blobs = {rule: [later_count("small blobs", size, rule, three) for size in (50, 150)] for rule in ("notebook", "chance")}
    assert blobs["notebook"] == blobs["chance"] and not any(cloud)
    assert (f'found "structure" in the noise in {noise["notebook"][0]} and {noise["notebook"][1]} of 12 runs with '
            f'`min_gain` alone, and in {noise["chance"][0]} and {noise["chance"][1]} of 12 with the chance level (the 5-D '
            f"cloud: none either way); the blobs got three clusters {blobs['chance'][0]} and {blobs['chance'][1]} times of "
            "12 either way") in prose
    assert sum(noise["chance"]) == 1 and "one remained in those 48 runs with no clusters" in prose
    assert (f"{expected[50][0][0]} of 12 at 50 rows here, 4 of 8 above, {noise['notebook'][0]} of 12 in twelve later "
            "draws") in prose  # the demo's 4 of 8: test_the_small_table_demo_reads_its_own_output
    # section 5: "On large tables the level is usually below 0.1 (on 1,000 rows of section 7's suite, in two runs of
    # three)": the fresh suite draws, where both rules were logged
    levels = [r["chance_level"] for r in _suite_runs("chance_gap_seed66_71.jsonl") if r["n"] == 1000]
    assert len(levels) == 84 and round(sum(level < 0.1 for level in levels) / len(levels), 2) == round(2 / 3, 2)
    assert "(on 1,000 rows of section 7's suite, in two runs of three)" in prose
    alarms = sum(expected[size][0][0] for size in (50, 150)) + sum(noise["notebook"])  # section 5's "15 of 48"
    assert f'got "structure" in {alarms} of 48 runs (24 draws at each of 50 and 150 rows, section 8)' in prose
    assert "tiny tables, where at 12 rows it found no structure in half the tables of three blobs" in prose  # summary
    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8").split())
    small = _suite_runs("label_free_small.jsonl")
    uniform = [r for r in small if r["dataset"] == "small uniform 2-D" and r["structure"]]
    assert (f'found "structure" in {len(uniform)} of 24 runs ({expected[50][0][0]} of 12 at 50 rows, '
            f'{expected[150][0][0]} of 12 at 150)') in readme

def test_the_wide_table_trap_reports_the_recorded_wide_runs(cells):
    """Section 8's "a wide table", the summary and the README: recomputed from the --wide log."""
    runs = _suite_runs("label_free_wide.jsonl")
    blobs = [run for run in runs if run["dataset"] == "blobs 200-D"]
    noise = [run for run in runs if run["dataset"] == "uniform 200-D"]
    assert len(blobs) == len(noise) == 6 and {run["size"] for run in runs} == {300, 1000}
    assert {run["seed"] for run in runs} == {45, 46, 47}  # "three draws"
    missed = [run for run in blobs if not run["structure"]]
    two = [run for run in blobs if run["structure"]]
    assert all(_k(run) == 2 and round(run["ari"], 2) == 0.57 for run in two)
    assert all(run["best_ari"] == 1.0 and run["best"] == "scaled features + kmeans, k=3" for run in blobs)
    alarms = sum(run["structure"] for run in noise)
    text = " ".join(_prose(cells).split())
    # the notebook's rule now: chance_gap.py's log of the same draws, whose rule without the chance level is this log's
    both = _suite_runs("chance_gap_wide_seed45_47.jsonl")
    assert {(r["dataset"], r["size"], r["seed"]): r["notebook"]["chosen"] for r in both} == {
        (r["dataset"], r["size"], r["seed"]): r["chosen"] for r in runs}
    now = [r["chance"] for r in both if r["dataset"] == "blobs 200-D"]
    none_now, two_now = sum(not c["structure"] for c in now), [c for c in now if c["structure"]]
    alarms_now = sum(r["chance"]["structure"] for r in both if r["dataset"] == "uniform 200-D")
    assert all(c["chosen"].endswith("k=2") and round(c["ari"], 2) == 0.57 for c in two_now)
    assert (f'the rule answered "no stable cluster structure" in {none_now} of 6 runs and chose two clusters '
            f'(ARI 0.57) in the other {len(two_now)}, and 200 columns of uniform noise got "structure" in '
            f'{"none" if alarms_now == 0 else alarms_now} of 6. Without the chance level the blobs got no structure in '
            f'{len(missed)} runs and two clusters in {len(two)}, and the noise "structure" in {alarms} run') in text
    assert "three clear blobs in 200 columns were missed in all 6 runs" in text  # the summary
    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8").split())
    assert (f'yet the rule answered "no stable cluster structure" in {len(missed)} of 6 runs and chose two clusters '
            f"(ARI 0.57) in the other {len(two)}; on the noise it found \"structure\" once") in readme
    assert alarms == 1



def test_the_wide_table_trap_reports_the_columns_and_reduced_runs(cells):
    """Section 8's "a wide table" and the summary: recomputed from the --columns and --reduced logs, with
    score_candidates' thresholds where the notebook says it warns."""
    from helpers import selection

    columns = _suite_runs("label_free_columns.jsonl")
    assert len(columns) == 18 and {run["seed"] for run in columns} == {60, 61, 62}  # "three draws each"
    assert {run["dataset"] for run in columns} == {"blobs 30-D", "blobs 50-D", "blobs 100-D"}
    def width(run):  # "blobs 50-D": 50 columns
        return int(run["dataset"].split()[1].removesuffix("-D"))

    few = [run for run in columns if run["n"] / width(run) <= 10]
    many = [run for run in columns if run["n"] / width(run) >= 20]
    assert len(few) == 12 and len(many) == 6 and len(few) + len(many) == len(columns)
    assert all(_k(run) in (None, 2) and run["best_ari"] > 0.9 for run in few)  # "two clusters (or none)"
    assert all(_k(run) == 3 for run in many) and _range([run["ari"] for run in many]) == "0.94-1.00"
    reduced = _suite_runs("label_free_reduced.jsonl")
    blobs = [run for run in reduced if run["dataset"].startswith("blobs")]
    noise = [run for run in reduced if run["dataset"].startswith("uniform")]
    assert len(blobs) == 18 and all(run["structure"] and run["ari"] == 1.0 for run in blobs)
    assert len(noise) == 12 and not any(run["structure"] for run in noise)
    reduced_both = _suite_runs("chance_gap_reduced_seed60_62.jsonl")  # with the chance level: the same choices
    assert sorted((r["dataset"], r["size"], r["seed"], r["chance"]["chosen"]) for r in reduced_both) == sorted(
        (r["dataset"], r["size"], r["seed"], r["chosen"]) for r in reduced)
    text = " ".join(_prose(cells).split())
    both = _suite_runs("chance_gap_columns_seed60_62.jsonl")  # the same draws, both rules
    assert {(r["dataset"], r["size"], r["seed"]): r["notebook"]["chosen"] for r in both} == {
        (r["dataset"], r["size"], r["seed"]): r["chosen"] for r in columns}
    few_both = [r for r in both if r["n"] / width(r) <= 10]
    assert len(few_both) == 12 and all(_k(r["chance"]) == 3 for r in both if r["n"] / width(r) >= 20)

    def missed(rule):
        return sum(not r[rule]["structure"] for r in few_both), sum(_k(r[rule]) == 2 for r in few_both)

    (none_now, two_now), (none_before, two_before) = missed("chance"), missed("notebook")
    assert none_now + two_now == none_before + two_before == 12
    assert (f"the same kind of blobs in 30, 50 and 100 columns, three draws each at 300 and 1,000 rows, were missed in "
            f'all 12 runs with 10 or fewer rows per column ("no stable cluster structure" in {none_now}, two clusters in '
            f"{two_now}; without the chance level, two clusters in {two_before} and none in {none_before}), and found in all "
            "6 with 20 or more (ARI 0.94 to 1.00). No run lay in between, so `score_candidates` warns from 30 columns on "
            "when a table has fewer than 20 rows per column, the fewest measured to work") in text
    assert not [run for run in columns if 10 < run["n"] / width(run) < 20]  # "no run lay in between"
    assert min(width(run) for run in columns) == 30  # "from 30 columns"
    assert (selection.WIDE_TABLE_COLUMNS, selection.ROWS_PER_COLUMN) == (30, 20)
    assert ('The blobs in 50, 100 and 200 columns were found in all 18 runs (ARI 1.00), and uniform noise in 50 and 200 '
            'columns stayed "no stable cluster structure" in all 12') in text
    assert "in 30 to 100 columns whenever the table had 10 or fewer rows per column (`score_candidates` warns" in text


def _regret_and_alarms(log):
    """A suite log's structured runs a candidate method can represent (how many), the mean over their sets of each
    set's mean regret, and the null runs that found "structure"."""
    runs = _suite_runs(log)
    by_set = {}
    for run in runs:
        if "regret" in run and run["dataset"] not in ("noisy circles", "noisy moons"):  # beyond KMeans/GMM
            by_set.setdefault(run["dataset"], []).append(run["regret"])
    alarms = sum(run["structure"] for run in runs if "regret" not in run)
    return sum(map(len, by_set.values())), float(np.mean([np.mean(r) for r in by_set.values()])), alarms


def test_the_wide_table_trap_reports_the_held_out_fit_as_run(cells):
    """Section 8's "a wide table": the held-out fit's mean regret on seeds 42-44, against the notebook's fit on
    the same runs, recomputed from the two logs (the README prints both tables)."""
    n_held_out, held_out, _ = _regret_and_alarms("label_free_seed42_44_held_out_fit.jsonl")
    n_in_sample, in_sample, _ = _regret_and_alarms("label_free_seed42_44.jsonl")
    assert n_held_out == n_in_sample == 42 and held_out > in_sample
    text = " ".join(_prose(cells).split())
    assert (f"(a mean regret of {held_out:.2f} over the structured sets, against {in_sample:.2f} for `gaussian_fit` "
            f"on the same {n_held_out} runs), so this notebook keeps `gaussian_fit`") in text
    guide = (Path(__file__).resolve().parents[1] / "docs" / "teaching.md").read_text(encoding="utf-8")
    assert f"it chose worse (mean regret {held_out:.2f} against {in_sample:.2f}; iris and breast cancer lose most)" in guide


def test_the_wide_table_trap_reports_the_table_shrinkage_fit_as_run(cells):
    """Section 8's "a wide table": one shrinkage amount per table, its mean regret on the Columns draws and on seeds
    42-44 against the notebook's fit on the same runs, and its extra false alarm, recomputed from the four logs."""
    n_columns, columns_table, _ = _regret_and_alarms("label_free_columns_table_shrinkage.jsonl")
    n_columns_nb, columns_nb, _ = _regret_and_alarms("label_free_columns.jsonl")
    n_suite, suite_table, alarms_table = _regret_and_alarms("label_free_seed42_44_table_shrinkage.jsonl")
    n_suite_nb, suite_nb, alarms_nb = _regret_and_alarms("label_free_seed42_44.jsonl")
    assert (n_columns, n_columns_nb, n_suite, n_suite_nb) == (18, 18, 42, 42)
    assert columns_table < columns_nb and suite_table > suite_nb and alarms_table == alarms_nb + 1
    text = " ".join(_prose(cells).split())
    assert (f"(a mean regret of {columns_table:.2f}, against {columns_nb:.2f} for `gaussian_fit` on the same "
            f"{n_columns} runs), but on the suite it chose worse too ({suite_table:.2f} against {suite_nb:.2f}, and one "
            "more false alarm, in uniform noise), so the notebook keeps `gaussian_fit` here as well") in text
    guide = (Path(__file__).resolve().parents[1] / "docs" / "teaching.md").read_text(encoding="utf-8")
    assert (f"better on wide blobs (mean regret {columns_table:.2f} against {columns_nb:.2f}), worse on the suite "
            f"({suite_table:.2f} against {suite_nb:.2f})") in guide


def test_the_unequal_blobs_miss_splits_the_widest_blob_and_gives_a_slice_away():
    """Section 7: "the widest blob split in two, with a slice of it joined to a narrower one (four clusters)":
    the one missed run of the blobs of unequal spread, chosen again as the suite chose it, read with its labels."""
    (missed,) = [run for run in _suite_runs() if run["dataset"] == "varied blobs" and _k(run) != 3]
    nb05 = label_free.lesson()
    X, y = label_free.load("varied blobs", missed["size"], missed["seed"])
    seed = missed["seed"]
    choice = nb05.choose(nb05.score_candidates(X, label_free.suite_representations(X, seed), seed=seed))
    chosen = choice.chosen
    assert f"{chosen.representation} + {chosen.method}, k={chosen.k}" == missed["chosen"]
    widest = 1  # make_blobs(cluster_std=[1.0, 2.5, 0.5]): blob 1 is the widest
    counts = np.array([np.bincount(chosen.labels[y == blob], minlength=chosen.k) for blob in range(3)])
    home = {blob: int(np.argmax(counts[blob])) for blob in range(3)}  # each blob's largest cluster
    own = [c for c in range(chosen.k) if counts[widest, c] > counts[:, c].sum() / 2]  # clusters mostly the widest's
    assert len(own) == 2  # split in two
    shared = [c for c in range(chosen.k) if c not in own and counts[widest, c] > 0.05 * counts[widest].sum()]
    assert len(shared) == 1 and home[0] != home[2] and shared[0] in (home[0], home[2])  # a slice joined to another


def test_the_profiles_print_in_the_original_units_without_exponents(cells):
    """Section 6 ("Profiles in the original units"; a learner's read): proline's 1,116 printed as 1.1e+03 hid
    the very units the table is for. Three significant digits, written out."""
    text = output_with(cells, "column                           cluster 0")
    proline = re.search(r"^proline\s+(.*)$", text, flags=re.M).group(1).split()
    assert "e+" not in text and len(proline) == 4 and all(re.fullmatch(r"\d+", value) for value in proline)
    small = re.search(r"^nonflavanoid_phenols\s+(.*)$", text, flags=re.M).group(1).split()
    assert all(re.fullmatch(r"0\.\d{3}", value) for value in small)  # three significant digits below 1 too


def test_scored_the_same_way_kmeans_and_the_chosen_gmm_nearly_tie(cells, picks):
    """Section 5: the GMM's picks outrank KMeans' because the gap scores the two with different covariance models
    (a teacher's check). Rescored through the notebook's own cells, with the references score_candidates draws at
    SEED, the printed gaps come back, and the sentence's four numbers are the two clusterings scored both ways."""
    from lesson_code import load
    from sklearn.datasets import load_wine
    from sklearn.decomposition import PCA

    lesson, seed = load(NAME), 42
    X = lesson.scale_columns(load_wine().data)
    rng = np.random.default_rng(seed)  # drawn in score_candidates' order: 5 boxes, then 5 clouds
    kinds = [[make(X, len(X), rng) for _ in range(5)] for make in (lesson.uniform_reference, lesson.reference_cloud)]
    alone = lambda rows: lesson.gaussian_fit(rows, np.zeros(len(rows), int))  # noqa: E731

    def gap(transform, method, shared):
        split = lambda rows: lesson.fit_clustering(transform(rows), method, 3, seed).predict(transform(rows))  # noqa
        hardest = max((np.array([lesson.gaussian_fit(R, split(R), shared) - alone(R) for R in kind]) for kind in kinds),
                      key=np.mean)
        return lesson.gaussian_fit(X, split(X), shared) - alone(X) - hardest.mean()

    pca_5 = PCA(n_components=0.8, random_state=seed).fit(X).transform
    kmeans = {shared: gap(lambda rows: rows, "kmeans", shared) for shared in (True, False)}
    gmm = {shared: gap(pca_5, "gmm", shared) for shared in (True, False)}
    chosen = next(p for p in picks if p["verdict"] == "chosen")
    assert (chosen["representation"], chosen["method"], chosen["k"]) == ("PCA-5", "gmm", 3)
    assert f"{gmm[False]:.2f}" == f"{chosen['gap']:.2f}"  # as the table prints it: one covariance per cluster
    walk = output_with(cells, "walk: k=3's gap")  # section 5's walk over KMeans on the scaled features
    assert f"walk: k=3's gap {kmeans[True]:.3f}" in walk  # as printed: one shared covariance
    text = " ".join(" ".join(c.source for c in cells if c.cell_type == "markdown").split())
    assert (f"with a covariance per cluster, KMeans' three clusters on the scaled features gain {kmeans[False]:.2f} "
            f"against the chosen GMM's {gmm[False]:.2f}; with one shared covariance for both, {kmeans[True]:.2f} "
            f"against {gmm[True]:.2f}") in text
    assert abs(kmeans[False] - gmm[False]) < 0.1 and abs(kmeans[True] - gmm[True]) < 0.1  # "nearly tie"
    assert kmeans[True] < 1.0 < gmm[False]  # the ranking the table shows comes from the two models


def test_the_exercises_leave_the_lessons_names_as_they_were():
    """A learner runs the exercises, then goes back to section 6 on their own table: no exercise or solution may
    rebind a name the lesson's sections hold results in (a solution's loop once rebound `table`, the loaded data)."""
    import ast

    cells = read(NAME, "committed").cells
    start = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Exercises"))
    lesson_names = {"table", "X", "Z", "labels", "best", "model", "choice", "candidates", "representations",
                    "hidden_cultivar", "csv_path", "ONE_UNIT", "SEED", "transform", "pca_2"}
    lesson = "\n".join(_plain_python(c.source) for c in cells[:start] if c.cell_type == "code")
    bound_in_lesson = {node.id for node in ast.walk(ast.parse(lesson))
                       if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    assert lesson_names <= bound_in_lesson  # the names the lesson does set
    for cell in cells[start:]:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(_plain_python(cell.source))  # every store, nested ones too (the loop was inside an if)
        stored = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
        stored |= {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
        assert not stored & lesson_names, (stored & lesson_names, cell.source[:80])
