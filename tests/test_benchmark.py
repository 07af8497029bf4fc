"""Tests for benchmarks/run.py: it runs the notebooks themselves and reads what they printed."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import network_seeds  # noqa: E402
import run  # noqa: E402

TABLE = """pipeline      ARI   NMI   accuracy  noise  clusters
network      {a:.2f}  0.90      0.95   0.00         3
baseline     0.50  0.40      0.70   0.00         3
"""


def _run(notebook, seed, ari, seconds=10.0, peak_mb=700.0):
    return {"notebook": notebook, "name": f"{notebook}_demo", "seed": seed, "seconds": seconds, "peak_mb": peak_mb,
            "tables": [{"network": dict(zip(run.METRICS, (ari, 0.9, 0.95, 0.0, 3))),
                        "baseline": dict(zip(run.METRICS, (0.5, 0.4, 0.7, 0.0, 3)))}]}


def test_rows_average_each_printed_row_over_seeds_and_time_each_notebook():
    rows = run.collect([_run("01", 42, 0.80, seconds=10), _run("01", 43, 1.00, seconds=14), _run("02", 42, 0.3)])
    network = next(r for r in rows if (r["pipeline"], r["dataset"]) == ("network", "nb01"))
    assert network["ari"] == pytest.approx(0.90) and network["ari_std"] == pytest.approx(0.1414, abs=1e-3)
    assert network["seeds"] == [42, 43]
    assert next(r for r in rows if (r["pipeline"], r["dataset"]) == ("network", "nb02"))["ari"] == pytest.approx(0.3)
    timing = next(r for r in rows if r["pipeline"] == "notebook:01")
    assert timing["seconds"] == pytest.approx(12.0) and timing["seeds"] == [42, 43]
    assert [r["pipeline"] for r in rows][-2:] == ["notebook:01", "notebook:02"]


def test_a_row_printed_by_only_some_seeds_says_how_many():
    first, second = _run("02", 42, 0.9), _run("02", 43, 0.9)
    second["tables"][0]["network (k=4)"] = second["tables"][0].pop("network")
    rows = run.collect([first, second])
    assert next(r for r in rows if r["pipeline"] == "network (k=4)")["seeds"] == [43]
    assert "| network (k=4) | nb02 | 0.90 |" in run.markdown_table(rows)  # one seed: no spread shown


def test_a_notebook_runs_with_the_seed_the_benchmark_gives_and_its_table_is_read(tmp_path):
    pytest.importorskip("papermill")
    parameters = nbformat.v4.new_code_cell("SEED = 42")
    parameters.metadata["tags"] = ["parameters"]
    report = nbformat.v4.new_code_cell(f"print('''{TABLE}'''.format(a=SEED / 100))")
    notebook = tmp_path / "09_demo.ipynb"
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=[parameters, report], metadata=kernel), notebook)
    measured = run.execute_alone(notebook, 43, tmp_path / "out.ipynb")
    tables = run.printed_tables(nbformat.read(tmp_path / "out.ipynb", as_version=4))
    assert tables[0]["network"]["ari"] == pytest.approx(0.43)  # SEED = 43 reached the notebook
    assert measured["seconds"] > 0 and measured["peak_mb"] > 10  # the kernel's memory, not zero


def test_article_seed_rows_are_mean_and_spread_over_seeds():
    import article_seeds

    rows = [{"ari": 0.28, "noise_fraction": 0.49, "n_clusters": 4},
            {"ari": 0.20, "noise_fraction": 0.37, "n_clusters": 5},
            {"ari": 0.63, "noise_fraction": 0.11, "n_clusters": 4}]
    assert article_seeds.summary_row("seed:3", rows) == "| `seed:3` | 0.37 ± 0.23 | 0.32 ± 0.19 | 4.3 |"
    assert article_seeds.summary_row("one", rows[:1]) == "| `one` | 0.28 ± 0.00 | 0.49 ± 0.00 | 4.0 |"


def test_peak_memory_counts_the_worker_processes_a_run_starts():
    """A run whose work is done by worker processes (notebook 05's n_jobs=2) must not look as small
    as its own process: the sampled peak sums the whole tree, and can leave the sampler's own out."""
    import os
    import subprocess
    import time

    import memory

    if not Path("/proc/self/status").exists():
        pytest.skip("needs Linux's /proc")
    before = memory.tree_rss_mb(os.getpid())  # this process and any workers an earlier test left running
    own = before - memory.tree_rss_mb(os.getpid(), include_root=False)
    child = subprocess.Popen([sys.executable, "-c", "import sys, time; block = b'x' * 300_000_000; "
                              "print('ready', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        with memory.PeakMemory(interval=0.05) as whole, memory.PeakMemory(interval=0.05, include_self=False) as below:
            time.sleep(0.4)
    finally:
        child.kill()
        child.wait()
    assert whole.peak_mb > before + 250  # the child's 300 MB are counted
    assert below.peak_mb > 250 and whole.peak_mb - below.peak_mb > own / 2  # below leaves this process out


def test_network_seeds_changes_only_the_seed_of_section_7s_training_cell():
    notebook = nbformat.read(network_seeds.NOTEBOOK, as_version=4)
    changed = network_seeds.with_network_seed(notebook, 43)
    differing = [(old.source, new.source) for old, new in zip(notebook.cells, changed.cells) if old.source != new.source]
    assert len(differing) == 1  # one cell, and the notebook itself is left as it was
    old, new = differing[0]
    assert new == old.replace("helpers.set_seed(SEED)", "helpers.set_seed(43)", 1) and "autoencoder50.fit" in new
    assert "random_state=SEED" in "".join(c.source for c in changed.cells)  # the data keep the notebook's SEED


def test_network_seeds_stops_when_the_training_cell_is_not_found():
    notebook = nbformat.read(network_seeds.NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        cell.source = cell.source.replace("autoencoder50,", "autoencoder_50d,")
    with pytest.raises(ValueError, match="expected one code cell"):
        network_seeds.with_network_seed(notebook, 43)


def test_scale_density_measures_each_step_in_its_own_process_and_counts_the_clusters_dbscan_finds():
    """benchmarks/scale_density.py: notebook 01's rule, then DBSCAN at its eps, each with its own peak memory.
    Its first version counted the clusters read off the HDBSCAN tree with np.bincount, whose cluster numbers have
    gaps: 15 'clusters at eps' on 20,000 points where DBSCAN found 4."""
    import scale_density

    rows = list(scale_density.scale_rows(sizes=[3000], tables=((2, ("choose_eps", "DBSCAN")),)))
    assert [row["step"] for row in rows] == ["choose_eps", "DBSCAN"]
    choice, dbscan = rows
    assert choice["min_samples"] == 4 and 0 < choice["eps"] < 1  # twice the two columns; standardised blobs
    assert choice["clusters"] == choice["counted"] == dbscan["clusters"] == 4  # the four blobs, read both ways
    for row in rows:
        assert row["seconds"] > 0 and 100 < row["peak_mb"] < 2000  # a Python process with scikit-learn, no more


def test_scale_density_reports_the_steps_own_peak_not_the_peak_of_the_process_that_started_it():
    """ru_maxrss survives exec on Linux: a step started from a pytest worker holding 2 GB once reported 2,065 MB."""
    import scale_density

    held = np.ones(100_000_000)  # 800 MB, touched, in the process that starts the step
    row = scale_density.measure("DBSCAN", 3000, 2, eps=0.3, min_samples=4)
    assert held.sum() == len(held) and 100 < row["peak_mb"] < 500


def test_the_scale_numbers_in_the_readme_and_notebooks_01_and_03_are_the_recorded_run():
    """The README's density table and the sizes and times notebooks 01 and 03 quote come from
    benchmarks/scale_density.jsonl, the run `python benchmarks/scale_density.py --log ...` recorded."""
    import json

    root = Path(__file__).resolve().parents[1]
    log = [json.loads(line) for line in (root / "benchmarks" / "scale_density.jsonl").read_text().splitlines()]
    run_of = {(row["step"], row["columns"], row["rows"]): row for row in log}
    assert set(run_of) == {(step, columns, rows) for columns, steps in (
        (2, ("choose_eps", "DBSCAN", "OPTICS")), (12, ("choose_eps", "DBSCAN"))) for step in steps
        for rows in (5000, 20000, 50000)}
    assert all(row["clusters"] == 4 for row in log if row["step"] != "OPTICS")  # the four blobs found
    readme = (root / "README.md").read_text(encoding="utf-8")
    labels = {"choose_eps": "`choose_eps`", "DBSCAN": "`DBSCAN` at the chosen `eps`",
              "OPTICS": "OPTICS + the top-down cut"}
    for (step, columns, _), _row in run_of.items():
        runs = [run_of[step, columns, rows] for rows in (5000, 20000, 50000)]
        seconds = " / ".join(f"{r['seconds']:.1f}" for r in runs)
        peaks = " / ".join(f"{r['peak_mb']:,.0f}" for r in runs)
        line = f"| {labels[step]} | {columns} | {seconds} | {peaks} |"
        assert line in readme, line

    def markdown(name):
        notebook = nbformat.read(root / "notebooks" / name, as_version=4)
        return " ".join(" ".join(c.source.split()) for c in notebook.cells if c.cell_type == "markdown")

    choose, dbscan = run_of["choose_eps", 12, 5000], run_of["choose_eps", 12, 50000]
    assert (f"{choose['seconds']:.1f} s at 5,000 rows, {dbscan['seconds']:.0f} s at 50,000"
            in markdown("01_autoencoder_dbscan.ipynb"))
    small, big = run_of["DBSCAN", 12, 5000], run_of["DBSCAN", 12, 50000]
    assert (f"{small['peak_mb']:.0f} MB at 5,000 rows, {big['peak_mb']:,.0f} MB at 50,000"
            in markdown("01_autoencoder_dbscan.ipynb"))
    assert f"({big['peak_mb']:,.0f} MB at 50,000 rows of 12 columns;" in " ".join(readme.split())
    assert all(185 < row["peak_mb"] for row in log)  # "every peak includes about 190 MB for Python"
    small, big = run_of["OPTICS", 2, 5000], run_of["OPTICS", 2, 50000]
    assert (f"{small['seconds']:.0f} s for 5,000 points, {big['seconds']:.0f} s for 50,000: "
            f"{big['seconds'] / small['seconds']:.0f} times as long for 10 times the rows"
            in markdown("03_deep_autoencoder_optics.ipynb"))
    assert f"({big['seconds'] / small['seconds']:.0f} times as long for 10 times the rows here" in " ".join(readme.split())


def test_article_seeds_runs_each_example_with_the_seeds_asked_for(monkeypatch, capsys):
    import types

    import article_seeds
    import numpy as np

    called = []

    def fake(seed):  # what an article example returns: labels, model, X, y
        called.append(seed)
        return np.array([0, 0, 1, 1]), None, None, np.array([0, 0, 1, 1])

    module = types.SimpleNamespace(article_example_1=fake, article_example_3=fake)
    monkeypatch.setattr(article_seeds.lesson_code, "load", lambda notebook, tag: module)
    article_seeds.main(["--seeds", "45", "46"])
    assert called == [45, 46, 45, 46]  # both examples, each seed once
    assert "| `seed:3` | 1.00 ± 0.00 | 0.00 ± 0.00 | 2.0 |" in capsys.readouterr().out
    called.clear()
    article_seeds.main([])
    assert called == [42, 43, 44] * 2  # the README's rows by default
