"""benchmarks/label_free.py's tables: each is scaled as notebook 05 scales a learner's table."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import label_free  # noqa: E402


def test_tables_in_different_units_are_standardised_column_by_column():
    for name in label_free.MIXED_UNITS:
        X, _ = label_free.load(name, "full", 0)
        np.testing.assert_allclose(X.std(axis=0), 1.0)


def test_tables_in_one_unit_keep_their_columns_relative_spread():
    # the elongated cloud is 5 times longer than wide; standardising each column would make it round
    X, y = label_free.load("elongated Gaussian 8-D", 1000, 0)
    spread = X.std(axis=0)
    assert y is None and spread[0] / spread[-1] == pytest.approx(5.0, rel=0.15)
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(np.sqrt(np.mean(X**2)), 1.0)
    # the digits' pixels: one scale, so a stroke in a mostly blank pixel stays a few units from 0
    pixels, labels = label_free.load("digits", "full", 0)
    assert pixels.shape == (1797, 61) and np.abs(pixels).max() < 4 and len(labels) == 1797


def test_every_real_table_is_declared_one_unit_or_mixed_on_purpose():
    # iris: four lengths in cm; digits: pixel intensities 0-16; wine and breast cancer: mixed units
    assert set(label_free.MIXED_UNITS) == {"wine", "breast cancer"}
    X, _ = label_free.load("iris", "full", 0)
    assert X.std(axis=0).max() / X.std(axis=0).min() > 3  # petal length varies far more than sepal width


def test_the_small_tables_are_the_named_sets_with_fewer_rows_and_count_as_null_or_structured():
    assert label_free.sizes_of("small uniform 2-D") == (50, 150) and label_free.sizes_of("uniform 2-D") == (300, 1000)
    small, _ = label_free.load("small uniform 2-D", 50, 7)
    large, _ = label_free.load("uniform 2-D", 50, 7)
    np.testing.assert_array_equal(small, large)  # the same draw: only the size differs from the suite's set
    cloud, y = label_free.load("small Gaussian 5-D", 150, 0)
    assert cloud.shape == (150, 5) and y is None
    assert abs(np.corrcoef(cloud.T)[np.triu_indices(5, 1)]).max() < 0.3  # one round cloud, not elongated
    blobs, labels = label_free.load("small blobs", 50, 0)
    assert blobs.shape == (50, 2) and sorted(set(labels.tolist())) == [0, 1, 2]
    rows = label_free.summarise([
        {"dataset": "small Gaussian 5-D", "structure": False, "seconds": 1.0, "chosen": "no structure"},
        {"dataset": "small blobs", "structure": True, "seconds": 1.0, "chosen": "PCA-1 + kmeans, k=3",
         "ari": 1.0, "best_ari": 1.0, "regret": 0.0}])
    assert [row["kind"] for row in rows] == ["null", "structured"]


def test_the_tiny_tables_are_the_named_sets_at_12_and_30_rows_with_k_up_to_one_less_than_the_rows(monkeypatch):
    assert label_free.sizes_of("tiny uniform 2-D") == (12, 30)
    tiny, _ = label_free.load("tiny uniform 2-D", 12, 7)
    np.testing.assert_array_equal(tiny, label_free.load("uniform 2-D", 12, 7)[0])  # the same draw, fewer rows
    assert [row["kind"] for row in label_free.summarise([
        {"dataset": "tiny Gaussian 5-D", "structure": True, "seconds": 1.0, "chosen": "PCA-2 + gmm, k=2"}])] == ["null"]
    nb05 = label_free.lesson()
    seen = []
    real = nb05.score_candidates

    def score_candidates(X, representations, k_range, **options):
        seen.append((len(X), k_range))
        return real(X, representations, k_range=range(1, 3), **options)

    monkeypatch.setattr(nb05, "score_candidates", score_candidates)
    monkeypatch.setattr(label_free, "lesson", lambda: nb05)
    for size in (10, 12):
        with pytest.warns(UserWarning, match=f"X has {size} rows, fewer than 50"):
            label_free.run_once("tiny Gaussian 5-D", size, 0)
    assert seen == [(10, range(1, 10)), (12, range(1, 11))]  # k at most 10, and at most one less than the rows


@pytest.mark.parametrize(("name", "size", "extra"), [("wine", "half", "PCA-5"), ("anisotropic blobs", 300, "PCA-1"),
                                                     ("blobs", 300, None)])
def test_the_suite_scores_the_notebooks_representations_but_the_autoencoder(monkeypatch, name, size, extra):
    # notebook 05 tries the scaled features, PCA-2, PCA keeping 80 % of the variance and an autoencoder's code;
    # the suite runs the first three (a 2-column table's PCA-80 % is PCA-1, or PCA-2 itself)
    nb05 = label_free.lesson()
    seen = {}

    def score_candidates(X, representations, k_range, **options):
        seen.update(X=X, representations=representations, k_range=k_range, options=options)
        return real(X, representations, k_range=range(1, 3), **options)

    real = nb05.score_candidates
    monkeypatch.setattr(nb05, "score_candidates", score_candidates)
    monkeypatch.setattr(label_free, "lesson", lambda: nb05)
    run = label_free.run_once(name, size, 0)
    names = ["scaled features", "PCA-2"] + ([extra] if extra else [])
    assert list(seen["representations"]) == names and seen["options"] == {"seed": 0}
    assert seen["k_range"] == range(1, 11)  # the notebook's default k from 1 to 10
    X = seen["X"]
    variance = np.cumsum(np.linalg.svd(X - X.mean(axis=0), compute_uv=False) ** 2)
    kept = int(np.searchsorted(variance / variance[-1], 0.8) + 1)  # the fewest components that keep 80 %
    assert names[-1] == f"PCA-{kept}"
    assert seen["representations"][names[-1]](X).shape == (len(X), kept)
    assert run["dataset"] == name and 0 <= run["regret"] <= 1


@pytest.mark.parametrize("logs", [("label_free_seed42_44.jsonl",), ("label_free_seed45_46.jsonl",),
                                  ("label_free_seed47_50.jsonl", "label_free_digits_seed47_50.jsonl"),
                                  ("label_free_seed51_53.jsonl",), ("label_free_seed54_59.jsonl",),
                                  ("label_free_outside.jsonl",),
                                  ("label_free_small.jsonl",), ("label_free_wide.jsonl",),
                                  ("label_free_columns.jsonl",), ("label_free_reduced.jsonl",),
                                  ("label_free_seed42_44_held_out_fit.jsonl",),
                                  ("label_free_seed42_44_table_shrinkage.jsonl",),
                                  ("label_free_columns_table_shrinkage.jsonl",)])
def test_the_readme_prints_each_recorded_suite_run_as_its_log_gives_it(logs):
    # the README's tables are `--from-log` output, verbatim: a rerun that changes a row changes the README
    root = Path(__file__).resolve().parents[1]
    runs = label_free.read_logs(*(root / "benchmarks" / log for log in logs))
    table = label_free.markdown_table(label_free.summarise(runs))
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert table in readme and all(f"benchmarks/{log}" in readme for log in logs)
    assert len({(run["dataset"], run["size"], run["seed"]) for run in runs}) == len(runs)  # no run twice


def test_the_columns_and_reduced_sets_are_the_wide_blobs_in_fewer_columns_and_as_20_components():
    """``--columns``: the wide tables' recipe (three blobs, each spread 8 along every axis) in 30, 50 and 100 columns;
    ``--reduced``: a set scaled as the suite scales it, then its first 20 principal components, scored as X."""
    from sklearn.decomposition import PCA

    X, y = label_free.load("blobs 50-D", 300, 60)
    assert X.shape == (300, 50) and sorted(np.bincount(y)) == [100, 100, 100]
    assert np.allclose(X.std(), 1.0)  # one unit: the whole table by one standard deviation
    reduced, same = label_free.load("blobs 50-D as 20 components", 300, 60)
    np.testing.assert_array_equal(same, y)
    np.testing.assert_allclose(reduced, PCA(n_components=20, random_state=60).fit_transform(X))
    noise, labels = label_free.load("uniform 200-D as 20 components", 1000, 60)
    assert noise.shape == (1000, 20) and labels is None
    assert [row["kind"] for row in label_free.summarise([
        {"dataset": name, "structure": False, "seconds": 1.0, "chosen": "no structure"}
        for name in label_free.REDUCED_NULLS + ("blobs 30-D",)])] == ["null", "null", "structured"]
    assert label_free.sizes_of("blobs 100-D") == label_free.sizes_of("blobs 200-D as 20 components") == (300, 1000)


def test_the_held_out_fit_has_no_in_sample_bonus_on_a_wide_table():
    """benchmarks/heldout_gap.py: scored on rows it was not fitted on, three clear blobs in 200 columns fit
    better than one cluster, where the in-sample fit (notebook 05's) prefers one; on a plain 2-D cloud of
    many rows the two fits agree."""
    import heldout_gap
    from sklearn.cluster import KMeans

    nb05 = label_free.lesson()
    fit = heldout_gap.heldout_fit(nb05)
    X, y = label_free.load("blobs 200-D", 300, 45)
    three = KMeans(3, n_init=10, random_state=0).fit_predict(X)
    one = np.zeros(len(X), int)
    assert nb05.gaussian_fit(X, three) < nb05.gaussian_fit(X, one)  # in sample: one cluster wins
    assert fit(X, three) > fit(X, one) + 10  # held out: the three blobs win, by far
    cloud = np.random.default_rng(0).normal(size=(4000, 2))
    assert abs(fit(cloud, np.zeros(4000, int)) - nb05.gaussian_fit(cloud, np.zeros(4000, int))) < 0.01


@pytest.mark.parametrize("option, log", [("held_out_fit", "label_free_seed42_44_held_out_fit.jsonl"),
                                         ("table_shrinkage", "label_free_seed42_44_table_shrinkage.jsonl")])
def test_the_measured_fits_swap_the_notebooks_fit_and_reproduce_their_log(option, log):
    """README, "The held-out fit on the suite" and "One shrinkage amount per table": ``--held-out-fit`` and
    ``--table-shrinkage`` run the notebook's own procedure with another fit swapped in; a recorded run comes back
    exactly, it differs from the notebook's fit's (iris, a random half, seed 42: two clusters where the notebook's fit
    finds three), and the notebook's fit is left in place for the tests that share the cached module."""
    root = Path(__file__).resolve().parents[1]
    recorded = {(run["dataset"], run["size"], run["seed"]): run for run in label_free.read_logs(root / "benchmarks" / log)}
    in_sample = {(run["dataset"], run["size"], run["seed"]): run
                 for run in label_free.read_logs(root / "benchmarks" / "label_free_seed42_44.jsonl")}
    notebooks_fit = label_free.lesson().gaussian_fit
    run = label_free.run_once("iris", "half", 42, above_chance=False, **{option: True})  # logged before the chance level
    assert label_free.lesson().gaussian_fit is notebooks_fit
    key = ("iris", "half", 42)
    assert (run["chosen"], round(run["ari"], 2), round(run["best_ari"], 2)) == (
        recorded[key]["chosen"], round(recorded[key]["ari"], 2), round(recorded[key]["best_ari"], 2))
    assert run["chosen"] != in_sample[key]["chosen"] and run["chosen"].endswith("k=2")
    assert in_sample[key]["chosen"].endswith("k=3")


def test_one_shrinkage_amount_per_table_is_the_ledoit_wolf_amount_of_the_whole_table():
    """benchmarks/table_shrinkage.py: the amount is scikit-learn's Ledoit-Wolf amount of the table, centred; one
    cluster fits exactly as notebook 05's gaussian_fit; a split is shrunk by the table's amount, not its own, which
    in 50 columns of 300 rows lets the three clear blobs beat two clusters (the README's One amount per table)."""
    from sklearn.cluster import KMeans
    from sklearn.covariance import ledoit_wolf
    from table_shrinkage import table_shrinkage_fit

    nb05 = label_free.lesson()
    X, y = label_free.load("blobs 50-D", 300, 61)
    one = np.zeros(len(X), int)
    assert table_shrinkage_fit(X, one) == pytest.approx(nb05.gaussian_fit(X, one), rel=1e-12)
    two, three = (KMeans(k, n_init=10, random_state=61).fit_predict(X) for k in (2, 3))
    assert nb05.gaussian_fit(X, three) < nb05.gaussian_fit(X, two)  # each split its own amount: two win
    # one amount (0.09, the table's): the three blobs win, -62.17 against -62.84 for two and -63.58 for one
    assert [round(float(table_shrinkage_fit(X, labels)), 2) for labels in (one, two, three)] == [-63.58, -62.84, -62.17]
    assert round(float(table_shrinkage_fit(X, three, shared=False)), 2) == -56.89  # each blob its own covariance
    # with the table's amount fixed, a split differs from notebook 05's fit only through its shrinkage
    fixed = ledoit_wolf(X)[1]  # scikit-learn's Ledoit-Wolf amount of the table (it centres the rows itself)
    centred = X - np.array([X[three == c].mean(axis=0) for c in range(3)])[three]
    sample = centred.T @ centred / len(X)
    covariance = (1 - fixed) * sample + fixed * np.trace(sample) / 50 * np.eye(50) + 1e-6 * np.eye(50)
    expected = (np.log(np.bincount(three) / len(X)) @ np.bincount(three) / len(X)
                - 0.5 * (np.linalg.slogdet(covariance)[1] + 50 * np.log(2 * np.pi)
                         + np.trace(np.linalg.solve(covariance, sample))))
    assert table_shrinkage_fit(X, three) == pytest.approx(expected, rel=1e-10)


def test_the_readme_counts_the_table_shrinkage_runs_as_their_logs_give_them():
    """README, "One shrinkage amount per table": the counts in its prose, recomputed from the four logs."""
    root = Path(__file__).resolve().parents[1]

    def runs(log):
        return {(run["dataset"], run["size"], run["seed"]): run for run in label_free.read_logs(root / "benchmarks" / log)}

    columns, columns_table = runs("label_free_columns.jsonl"), runs("label_free_columns_table_shrinkage.jsonl")
    assert columns.keys() == columns_table.keys()
    found = {name: sum(run["chosen"].endswith("k=3") for run in log.values())
             for name, log in (("notebook", columns), ("table", columns_table))}
    further = [run for run in columns_table.values() if not run["chosen"].endswith("k=3")]
    assert found == {"notebook": 6, "table": 8} and len(further) == 10
    assert sorted(run["chosen"].split(", ")[-1] for run in further) == ["k=4"] * 9 + ["k=5"]
    assert all(run["chosen"].split(" + ")[1].startswith("gmm") for run in further)
    assert (min(run["ari"] for run in further), max(run["ari"] for run in further)) == (
        pytest.approx(0.80, abs=0.005), pytest.approx(0.89, abs=0.005))
    lost = [key for key, run in columns.items()
            if run["chosen"].endswith("k=3") and not columns_table[key]["chosen"].endswith("k=3")]
    assert lost == [("blobs 50-D", 1000, 60)]
    suite, suite_table = runs("label_free_seed42_44.jsonl"), runs("label_free_seed42_44_table_shrinkage.jsonl")
    assert suite.keys() == suite_table.keys()
    differ = [(round(suite[key]["ari"], 2), round(suite_table[key]["ari"], 2)) for key in suite
              if "ari" in suite[key] and key[0] in label_free.REPRESENTABLE
              and suite[key]["chosen"] != suite_table[key]["chosen"]]
    assert len(differ) == 11
    assert (sum(new < old for old, new in differ), sum(new > old for old, new in differ)) == (8, 2)
    alarms = [key for key, run in suite_table.items() if run["structure"] and "ari" not in run]
    assert sorted(alarms) == [("heavy-tailed 8-D", 300, 42), ("uniform 2-D", 1000, 42)]
    assert suite[("heavy-tailed 8-D", 300, 42)]["structure"] and not suite[("uniform 2-D", 1000, 42)]["structure"]
    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    assert ("8 of the 18 runs choose them, against 6 with the notebook's fit, and the other 10 cut the blobs further "
            "(four GMM clusters in 9 runs, five in 1, ARI 0.80 to 0.89)") in readme
    assert "Of the 42 structured runs its choice differs in 11: a lower ARI in 8, a higher one in 2" in readme


def test_the_chance_level_is_the_largest_box_reference_gap_of_a_split_the_rule_would_keep():
    """Notebook 05's ``reference_scores`` and ``chance_level``: each box reference set scored as the table is (its
    gain minus the largest mean gain of a kind, its own set left out), its smallest share and separation,
    recomputed here by hand; the chance level keeps k >= 2 and the splits the rule's share and separation allow."""
    nb05 = label_free.lesson()
    X, _ = label_free.load("small uniform 2-D", 50, 49)
    candidates = nb05.score_candidates(X, {"scaled features": None}, k_range=range(1, 4), methods=("kmeans",),
                                       seed=49)
    rng = np.random.default_rng(49)  # score_candidates draws its references first, box then cloud
    kinds = [[make(X, len(X), rng) for _ in range(5)] for make in (nb05.uniform_reference, nb05.reference_cloud)]
    kept = []
    for candidate in candidates:
        def cut(R):
            return (np.zeros(len(R), int) if candidate.k == 1
                    else nb05.fit_clustering(R, "kmeans", candidate.k, 49).predict(R))
        gains = [np.array([nb05.gaussian_fit(R, cut(R), True) - nb05.gaussian_fit(R, np.zeros(len(R), int))
                           for R in kind]) for kind in kinds]
        assert len(candidate.box_scores) == 5  # the box's sets only
        for i, R in enumerate(kinds[0]):
            labels = cut(R)
            others = max(np.delete(gains[0], i).mean(), gains[1].mean())  # its own set left out of the box's mean
            gap, share, apart = candidate.box_scores[i]
            assert gap == pytest.approx(gains[0][i] - others, abs=1e-9)
            assert share == np.bincount(labels).min() / len(R) and apart == nb05.separation(R, labels)
            if candidate.k >= 2 and share >= 0.05 and apart >= 1.0:
                kept.append(gap)
    assert nb05.chance_level(candidates) == max(kept)
    fake = [nb05.Candidate("r", "kmeans", k, np.zeros(4, int), 0.0, 0.0, 1.0, 0.0, 1.0, box_scores=scores)
            for k, scores in ((1, ((5.0, 1.0, np.inf),)), (2, ((0.2, 0.3, 2.0), (0.9, 0.04, 2.0))),
                              (3, ((0.3, 0.2, 1.5), (0.8, 0.2, 0.9))))]
    assert nb05.chance_level(fake) == 0.3  # not k = 1's 5.0, nor a split with a 4 % cluster or means 0.9 apart
    assert nb05.chance_level(fake, min_share=0.04, min_separation=0.9) == 0.9  # the rule's own thresholds
    assert nb05.chance_level(fake[:1]) == -np.inf


def test_the_chance_level_decides_with_the_verdict_no_better_than_chance():
    """``choose`` counts a split only if its gap is at least max(min_gain, chance level): the verdict names the
    chance level when min_gain alone would pass; ``above_chance=False`` is min_gain alone."""
    nb05 = label_free.lesson()
    labels = np.arange(100) % 2
    one = nb05.Candidate("r", "kmeans", 1, np.zeros(100, int), 0.0, 0.0, 1.0, np.nan, np.inf)
    pick = nb05.Candidate("r", "kmeans", 2, labels, 0.25, 0.01, 0.95, 0.2, 3.0, box_scores=((0.3, 0.5, 2.0),))
    choice = nb05.choose([one, pick])
    assert not choice.structure and choice.verdicts == ["no better than chance"] and choice.chance_level == 0.3
    assert "and at least the chance level, 0.30" in choice.reason
    assert nb05.choose([one, pick._replace(gap=0.3)]).structure  # "at least"
    assert nb05.choose([one, pick], above_chance=False).structure
    assert nb05.choose([one, pick], above_chance=False).chance_level == -np.inf
    assert nb05.choose([one, pick._replace(gap=0.05)]).verdicts == ["not clearly better than one cluster"]
    assert "chance level" not in nb05.choose([one, pick._replace(gap=0.05)], above_chance=False).reason


def test_the_chance_gap_runs_reproduce_their_log_and_choose_with_notebook_05s_own_rule():
    """A recorded run of ``chance_gap.py`` (made with an edited copy of notebook 05's code, before the chance
    level went into the notebook) comes back exactly from the notebook's own code: the chance level, and both
    choices, notebook 05's ``choose`` without and with it."""
    import chance_gap

    root = Path(__file__).resolve().parents[1]
    recorded = {(r["dataset"], r["size"], r["seed"]): r
                for r in label_free.read_logs(root / "benchmarks" / "chance_gap_small_seed45_56.jsonl")}
    run = chance_gap.run_once(label_free.lesson(), "small uniform 2-D", 50, 49)
    old = recorded[("small uniform 2-D", 50, 49)]
    assert run["chance_level"] == pytest.approx(old["chance_level"], abs=1e-12)
    assert (run["notebook"]["chosen"], run["chance"]["chosen"]) == (old["notebook"]["chosen"], old["chance"]["chosen"])
    assert run["notebook"]["chosen"] == "scaled features + kmeans, k=2" and run["chance"]["chosen"] == "no structure"
    assert 0.1 < run["notebook"]["gap"] < run["chance_level"]  # above min_gain, below chance
    # label_free.py runs the notebook's choose as it is: the chance column
    assert label_free.run_once("small uniform 2-D", 50, 49)["chosen"] == old["chance"]["chosen"] == "no structure"
    assert label_free.run_once("small uniform 2-D", 50, 49, above_chance=False)["chosen"] == old["notebook"]["chosen"]


def _chance_logs(*names):
    return label_free.read_logs(*(Path(__file__).resolve().parents[1] / "benchmarks" / name for name in names))


def test_the_chance_gap_logs_notebook_column_is_the_notebooks_recorded_rule():
    """The development runs of ``chance_gap.py`` at seeds 42-44 (76 of the 108, cut short to give the fresh test
    the machine) and seed 44 run whole after the chance level went into notebook 05 (36 runs, 4 of them shared,
    logged alike) choose, without the chance level, what ``label_free.py`` recorded on the same draws: the same
    code, so that column is the rule before; and with the chance level they choose the same in all 108."""
    recorded = {(run["dataset"], run["size"], run["seed"]): run["chosen"]
                for run in label_free.read_logs(Path(__file__).resolve().parents[1] / "benchmarks"
                                                / "label_free_seed42_44.jsonl")}
    development, seed_44 = _chance_logs("chance_gap_seed42_44.jsonl"), _chance_logs("chance_gap_seed44.jsonl")
    assert len(development) == 76 and len(seed_44) == 36 and len(recorded) == 108
    shared = {(r["dataset"], r["size"], r["seed"]): r for r in development}
    again = [(shared[key], r) for r in seed_44 if (key := (r["dataset"], r["size"], r["seed"])) in shared]
    assert len(again) == 4 and all(a["chance_level"] == b["chance_level"] and a["chance"] == b["chance"] for a, b in again)
    records = development + seed_44
    assert {(r["dataset"], r["size"], r["seed"]) for r in records} == set(recorded)
    assert all(r["notebook"]["chosen"] == recorded[(r["dataset"], r["size"], r["seed"])] for r in records)
    assert all(r["chance"]["chosen"] == r["notebook"]["chosen"] for r in records)
    small = {(run["dataset"], run["size"], run["seed"]): run["chosen"]
             for run in label_free.read_logs(Path(__file__).resolve().parents[1] / "benchmarks" / "label_free_small.jsonl")}
    records = _chance_logs("chance_gap_small_seed45_56.jsonl")
    assert {(r["dataset"], r["size"], r["seed"]): r["notebook"]["chosen"] for r in records} == small  # run for run


def _plan_decision(suite, small):
    """benchmarks/chance_level_plan.md's pass conditions, for one rule, from the fresh runs (each table's rows as
    ``label_free.summarise`` gives them, as the README's acceptance lines count them)."""
    def acceptance(runs):
        rows = label_free.summarise(runs)
        nulls = [row for row in rows if row["kind"] == "null"]
        alarms, n_nulls = sum(row["structure"] for row in nulls), sum(row["runs"] for row in nulls)
        return {"alarms": alarms, "nulls": n_nulls, "alarms_ok": alarms <= int(0.05 * n_nulls),
                "missed": sum(row["runs"] - row["structure"] for row in rows if row["kind"] == "structured"),
                "means": {row["dataset"]: row["regret"] for row in rows if row["kind"] == "structured"}}

    suite_result, small_result = acceptance(suite), acceptance(small)
    passed = (suite_result["alarms_ok"] and suite_result["missed"] == 0
              and np.mean(list(suite_result["means"].values())) <= 0.10 and max(suite_result["means"].values()) <= 0.25
              and small_result["alarms_ok"] and small_result["missed"] == 0
              and max(small_result["means"].values()) <= 0.25)
    return passed, suite_result, small_result


def test_the_readme_prints_the_chance_level_runs_and_the_plans_decision_as_the_logs_give_them():
    """README, "A chance level for the gap": its tables are chance_gap.py's, verbatim, from the committed logs;
    the plan's pass conditions, recomputed, pass with the chance level and fail with notebook 05's rule (the
    small tables' false alarms); the plan names the seeds that were run."""
    import chance_gap

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    small_dev = _chance_logs("chance_gap_small_seed45_56.jsonl")
    suite, small = _chance_logs("chance_gap_seed66_71.jsonl"), _chance_logs("chance_gap_small_seed66_77.jsonl")
    assert chance_gap.rule_table(suite, "notebook") == chance_gap.rule_table(suite, "chance")  # "one table serves"
    for block in (chance_gap.rule_table(small_dev, "chance"), chance_gap.differences(small_dev),
                  chance_gap.rule_table(suite, "chance"), chance_gap.differences(suite),
                  chance_gap.rule_table(small, "notebook"), chance_gap.rule_table(small, "chance"),
                  chance_gap.differences(small)):
        assert block in readme
    assert sorted({r["seed"] for r in suite}) == list(range(66, 72)) and len(suite) == 216
    assert sorted({r["seed"] for r in small}) == list(range(66, 78)) and len(small) == 72
    decisions = {rule: _plan_decision(chance_gap.as_label_free_runs(suite, rule), chance_gap.as_label_free_runs(small, rule))
                 for rule in chance_gap.RULES}
    assert decisions["chance"][0] and not decisions["notebook"][0]
    passed, suite_result, small_result = decisions["chance"]
    assert (suite_result["alarms"], suite_result["nulls"], small_result["alarms"], small_result["nulls"]) == (1, 108, 1, 48)
    assert decisions["notebook"][2]["alarms"] == 10
    text = " ".join(readme.split())
    assert "**The chance level passes the plan's test.**" in text
    assert ('"no structure" in 107 of 108 null runs' in text and "47 of 48 null runs" in text
            and "10 false alarms in the 24 runs of uniform noise (6 of 12 at 50 rows, 4 of 12 at 150)" in text)
    plan = (root / "benchmarks" / "chance_level_plan.md").read_text(encoding="utf-8")
    assert "--first-seed 66 --seeds 6" in plan and "--small --first-seed 66 --seeds 12" in plan


def _notebook_05_prose():
    """Notebook 05's markdown, whitespace collapsed to single spaces."""
    import nbformat

    notebook = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "05_your_own_data.ipynb", 4)
    return " ".join(" ".join(c.source for c in notebook.cells if c.cell_type == "markdown").split())


def _gap_error_runs():
    import json

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "gap_error_seed42_53.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_copy_with_the_papers_error_scores_as_the_notebook_and_takes_that_error_over_fits_at_k():
    """benchmarks/gap_error.py: its in-memory copy of notebook 05's code scores every candidate as the notebook
    does, and its second error is the spread of the reference sets' fits at k (rebuilt here for two candidates)."""
    import gap_error

    nb05, both = label_free.lesson(), gap_error.lesson_with_both_errors()
    X, _ = label_free.load("wine", "half", 42)
    seed, n_references = 42, 5
    ours = both.score_candidates(X, {"scaled features": None}, k_range=range(1, 5), seed=seed)
    notebooks = nb05.score_candidates(X, {"scaled features": None}, k_range=range(1, 5), seed=seed)
    for mine, theirs in zip(ours, notebooks):
        assert (mine.k, mine.method, mine.gap, mine.gap_se, mine.stability) == (
            theirs.k, theirs.method, theirs.gap, theirs.gap_se, theirs.stability)
    rng = np.random.default_rng(seed)  # the references exactly as score_candidates draws them
    kinds = [[make(X, len(X), rng) for _ in range(n_references)] for make in (nb05.uniform_reference, nb05.reference_cloud)]
    for c in (c for c in ours if c.k in (2, 3) and c.method == "gmm"):
        per_kind = []
        for kind in kinds:
            fits = [nb05.gaussian_fit(R, nb05.fit_clustering(R, "gmm", c.k, seed).predict(R), False) for R in kind]
            gains = [fit - nb05.gaussian_fit(R, np.zeros(len(R), int)) for fit, R in zip(fits, kind)]
            per_kind.append((np.mean(gains), np.std(fits)))
        assert c.gap_se_fits == pytest.approx(max(per_kind)[1] * np.sqrt(1 + 1 / n_references), rel=1e-9)
        assert c.gap_se_fits > c.gap_se  # the paper's error is the larger here


def test_a_logged_run_of_both_errors_comes_back_and_the_readme_prints_the_log():
    """The README's table of the two errors is the log's summary, verbatim; one logged run (iris, a random half,
    seed 49, where the two errors choose differently) comes back exactly; with the notebook's error every
    logged choice equals the suite's own logs."""
    import gap_error

    root = Path(__file__).resolve().parents[1]
    runs = _gap_error_runs()
    assert gap_error.summary(runs) in (root / "README.md").read_text(encoding="utf-8")
    suite = {(r["dataset"], r["size"], r["seed"]): r["chosen"] for r in label_free.read_logs(
        *(root / "benchmarks" / f"{log}.jsonl" for log in ("label_free_seed42_44", "label_free_seed45_46",
                                                            "label_free_seed47_50", "label_free_digits_seed47_50",
                                                            "label_free_seed51_53")))}
    assert len(runs) == 168 and all(suite[(r["dataset"], r["size"], r["seed"])] == r["gains"]["chosen"] for r in runs)
    # the paragraph above the table: which sets change, the worst sets, the test seeds alone
    import statistics

    changed = [r["dataset"] for r in runs if r["gains"]["chosen"] != r["fits"]["chosen"]]

    def set_means(rule, seeds):
        sets = {}
        for r in runs:
            if r["seed"] in seeds:
                sets.setdefault(r["dataset"], []).append(r[rule]["regret"])
        return {name: statistics.fmean(v) for name, v in sets.items()}

    every, test = range(42, 54), range(51, 54)
    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    worst = {rule: max(set_means(rule, every).items(), key=lambda item: item[1]) for rule in ("fits", "gains")}
    assert worst["fits"][0] == worst["gains"][0] == "breast cancer"
    assert (f"6 of them change ({changed.count('iris')} on iris, {changed.count('breast cancer')} on breast cancer), "
            f"for a mean regret of {statistics.fmean(set_means('fits', every).values()):.3f} against "
            f"{statistics.fmean(set_means('gains', every).values()):.3f} and a worst set of {worst['fits'][1]:.2f} "
            f"(breast cancer) against {worst['gains'][1]:.2f}; on the test seeds 51-53 alone, "
            f"{statistics.fmean(set_means('fits', test).values()):.3f} against "
            f"{statistics.fmean(set_means('gains', test).values()):.3f}") in readme and len(changed) == 6
    logged = next(r for r in runs if (r["dataset"], r["size"], r["seed"]) == ("iris", "half", 49))
    run = gap_error.run_once(gap_error.lesson_with_both_errors(), "iris", "half", 49)
    assert run["gains"]["chosen"] != run["fits"]["chosen"]
    for key in ("gains", "fits"):
        assert run[key]["chosen"] == logged[key]["chosen"] and run[key]["ari"] == pytest.approx(logged[key]["ari"])
    assert run["candidates"] == logged["candidates"]


def test_notebook_05_states_what_the_papers_error_does_on_the_suite():
    import statistics

    runs = _gap_error_runs()
    changed = sum(r["gains"]["chosen"] != r["fits"]["chosen"] for r in runs)

    def mean_regret(rule):
        sets = {}
        for r in runs:
            sets.setdefault(r["dataset"], []).append(r[rule]["regret"])
        return statistics.fmean(statistics.fmean(v) for v in sets.values())

    text = _notebook_05_prose()
    assert (f"the paper's error changes {changed} of {len(runs)} choices there, and the choices score no better "
            f"(a mean *regret*, how far in ARI a choice falls below the best candidate there, of "
            f"{mean_regret('fits'):.3f}, against {mean_regret('gains'):.3f} with the error over gains)") in text
    assert mean_regret("fits") >= mean_regret("gains")


def test_the_suites_null_clouds_are_ones_the_cloud_reference_copies_and_skewed_columns_are_not():
    """Notebook 05 (a teacher's check): the suite's elongated and heavy-tailed nulls are a distance from the
    centre times a random direction, as the cloud reference is drawn, so no split of them beats the references
    (the easier half of the test); five skewed columns, which no reference copies, give a split that does."""
    nb05 = label_free.lesson()
    X, _ = label_free.load("elongated Gaussian 8-D", 300, 42)
    copied = nb05.score_candidates(X, {"scaled features": None}, k_range=range(1, 5), seed=42)
    assert max(c.gap for c in copied if c.k >= 2) < 0.0
    skewed = nb05.scale_columns(np.random.default_rng(0).exponential(size=(500, 5)))
    fooled = nb05.score_candidates(skewed, {"scaled features": None}, k_range=range(1, 7), methods=("kmeans",), seed=42)
    assert max(c.gap for c in fooled if c.k >= 2) >= 0.1  # min_gain: the pitfall's "structure" in skewed noise


def test_the_readme_reports_the_chance_level_in_the_notebook_as_both_rules_logged_it():
    """README, "The chance level in notebook 05": every log chance_gap.py made after the chance level went into the
    notebook holds, without it, the choices label_free.py recorded for the same draws; its tables are chance_gap.py's,
    verbatim; its counts of differing choices are the logs'."""
    import chance_gap

    pairs = {"chance_gap_seed44.jsonl": "label_free_seed42_44.jsonl",
             "chance_gap_outside_seed45_47.jsonl": "label_free_outside.jsonl",
             "chance_gap_reduced_seed60_62.jsonl": "label_free_reduced.jsonl",
             "chance_gap_tiny_seed45_56.jsonl": "label_free_tiny.jsonl",
             "chance_gap_wide_seed45_47.jsonl": "label_free_wide.jsonl",
             "chance_gap_columns_seed60_62.jsonl": "label_free_columns.jsonl"}
    logs = {}
    for name, before in pairs.items():
        logs[name] = _chance_logs(name)
        recorded = {(r["dataset"], r["size"], r["seed"]): r["chosen"] for r in _chance_logs(before)}
        assert all(recorded[(r["dataset"], r["size"], r["seed"])] == r["notebook"]["chosen"] for r in logs[name])

    def differ(name):
        return sum(r["notebook"]["chosen"] != r["chance"]["chosen"] for r in logs[name])

    assert [len(logs[name]) for name in pairs] == [36, 24, 30, 72, 12, 18]
    assert [differ(name) for name in pairs] == [0, 0, 0, 36, 2, 8]
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name in ("chance_gap_tiny_seed45_56.jsonl", "chance_gap_columns_seed60_62.jsonl"):
        assert chance_gap.rule_table(logs[name], "chance") in readme
    text = " ".join(readme.split())
    tiny = logs["chance_gap_tiny_seed45_56.jsonl"]
    nulls = [r for r in tiny if r["dataset"] != "tiny blobs"]
    quiet = [sum(not r[rule]["structure"] for r in nulls) for rule in chance_gap.RULES]
    blobs_12 = [r for r in tiny if r["dataset"] == "tiny blobs" and r["size"] == 12]
    three = [sum(r[rule]["chosen"].endswith("k=3") for r in tiny if r["dataset"] == "tiny blobs")
             for rule in chance_gap.RULES]
    assert (f'"no structure" in {quiet[1]} of 48 null runs, against {quiet[0]} of 48. But at 12 rows the blobs get "no '
            f'stable cluster structure" in {sum(not r["chance"]["structure"] for r in blobs_12)} of 12 runs (at 30 rows in '
            f"none), and three clusters in {three[1]} of 24 runs, against {three[0]}") in text
    columns = logs["chance_gap_columns_seed60_62.jsonl"]
    changed = [r for r in columns if r["notebook"]["chosen"] != r["chance"]["chosen"]]
    assert all(r["notebook"]["chosen"].endswith("k=2") and not r["chance"]["structure"] for r in changed)
    assert all(r["n"] / int(r["dataset"].split()[1].removesuffix("-D")) <= 10 for r in changed)
    assert f"the {len(changed)} that now differ had chosen two clusters" in text
    wide = logs["chance_gap_wide_seed45_47.jsonl"]
    blobs = [r for r in wide if r["dataset"] == "blobs 200-D"]
    assert not any(r["chance"]["structure"] for r in wide if r["dataset"] == "uniform 200-D")
    assert (f'"no structure" in {sum(not r["chance"]["structure"] for r in blobs)} runs and two clusters in '
            f'{sum(r["chance"]["structure"] for r in blobs)} (before, {sum(not r["notebook"]["structure"] for r in blobs)} '
            f'and {sum(r["notebook"]["structure"] for r in blobs)}') in text


def test_the_rule_as_it_is_now_passes_its_fresh_seeds_plan_as_the_readme_and_notebook_05_say():
    """benchmarks/final_rule_plan.md, recomputed from the three logs of seeds 72 and up (label_free.py with notebook
    05's chance level): the suite, the sets outside it and the small tables each meet the plan's conditions; the
    README prints the tables verbatim and the counts its paragraph gives; notebook 05 quotes the suite's."""
    root = Path(__file__).resolve().parents[1]
    suite, outside, small = (_chance_logs(name) for name in ("label_free_seed72_74.jsonl",
                                                             "label_free_outside_seed72_77.jsonl",
                                                             "label_free_small_seed78_89.jsonl"))
    assert sorted({r["seed"] for r in suite}) == [72, 73, 74] and len(suite) == 108
    assert sorted({r["seed"] for r in outside}) == list(range(72, 78)) and len(outside) == 48
    assert sorted({r["seed"] for r in small}) == list(range(78, 90)) and len(small) == 72
    passed, suite_result, small_result = _plan_decision(suite, small)
    assert passed  # the suite's and the small tables' conditions
    outside_rows = label_free.summarise(outside)
    outside_alarms = sum(row["structure"] for row in outside_rows if row["kind"] == "null")
    outside_missed = sum(row["runs"] - row["structure"] for row in outside_rows if row["kind"] == "structured")
    assert outside_alarms <= 1 and outside_missed == 0
    assert (suite_result["alarms"], small_result["alarms"], outside_alarms) == (2, 2, 0)  # "both were used"
    means = suite_result["means"]
    mean = float(np.mean(list(means.values())))
    assert max(means, key=means.get) == "breast cancer" and round(max(means.values()), 2) == 0.22
    readme = (root / "README.md").read_text(encoding="utf-8")
    for runs in (suite, outside, small):
        assert label_free.markdown_table(label_free.summarise(runs)) in readme
    text = " ".join(readme.split())
    assert (f"a mean regret of {mean:.2f} ({mean:.3f}, against at most 0.10) and breast cancer the worst set at "
            f"{max(means.values()):.2f}") in text
    assert "**It passes, narrowly.**" in text and '46 of 48 null runs "no structure"' in text
    plan = (root / "benchmarks" / "final_rule_plan.md").read_text(encoding="utf-8")
    assert "--first-seed 72 --seeds 3" in plan and "--small --first-seed 78 --seeds 12" in plan
    notebook = _notebook_05_prose()
    assert (f"gave a mean regret of {mean:.2f} (breast cancer the worst, {max(means.values()):.2f}), structure in every "
            f'run on the seven sets, and "no stable cluster structure" in {54 - suite_result["alarms"]} of 54 runs') in notebook
