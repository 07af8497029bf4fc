"""Reproduce every headline number of the series in one table, by running the lessons themselves.

There is one copy of each pipeline: the notebook. The benchmark executes every
notebook top to bottom in a fresh kernel with papermill, once per seed (papermill
writes ``SEED = <seed>`` into the notebook's ``parameters`` cell), and reads back
the results tables the notebook printed (``evaluation.results_table``), so a row
here is exactly what a learner sees in that notebook with that seed.

Usage::

    python benchmarks/run.py                    # 3 seeds (42, 43, 44), Markdown table on stdout
    python benchmarks/run.py --seeds 1 --only 01 --only 03   # a quick look at two notebooks
    python benchmarks/run.py --json out.json    # also write the rows as JSON

Every (notebook, seed) runs in a process of its own; ``seconds`` is the wall time
of the whole notebook, kernel start included (the budget's measure), and
``peak MB`` the peak resident memory of the kernel and the worker processes it
starts, summed (Linux; ``memory.py``). Rows are mean ± standard
deviation over the seeds that printed that row (a row whose name carries a
data-chosen k can differ between seeds; the ``seeds`` column says how many
printed it). The label-free validation suite and the cost-with-size rows have
scripts of their own beside this one (``label_free.py``, ``scale_density.py``).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
FIRST_SEED = 42
METRICS = ("ari", "nmi", "accuracy", "noise", "clusters")

sys.path.insert(0, str(ROOT / "tests"))
from notebook_outputs import output_text, results_tables  # noqa: E402  (the claims tests' reader)
from memory import PeakMemory  # noqa: E402  (beside this file, like article_seeds' import of run)


def notebook_paths(only=()):
    """The lessons in order, or those whose name starts with one of ``only`` (e.g. ``"04"``)."""
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    chosen = [p for p in paths if not only or any(p.name.startswith(o) for o in only)]
    if not chosen:
        raise SystemExit(f"no notebook in {NOTEBOOKS} starts with {only}")
    return chosen


def execute(path, seed, output):
    """Execute notebook ``path`` with ``SEED = seed`` into ``output``; return seconds and peak MB.

    Runs in this process; call it through :func:`execute_alone` so the kernel's
    peak memory is the only child this process has waited for.
    """
    import papermill

    started = time.perf_counter()
    with PeakMemory(include_self=False) as memory:  # the kernel and any worker processes it starts, summed
        papermill.execute_notebook(
            str(path), str(output), parameters={"SEED": seed}, kernel_name="python3", cwd=str(path.parent),
            progress_bar=False, request_save_on_cell_execute=False,
        )
    seconds = time.perf_counter() - started
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale
    return {"seconds": seconds, "peak_mb": max(peak_mb, memory.peak_mb)}


def execute_alone(path, seed, output):
    """:func:`execute` in a fresh Python process, so runs share nothing and memory is per run."""
    command = [sys.executable, str(Path(__file__).resolve()), "--execute", str(path), "--seed", str(seed),
               "--output", str(output)]
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def printed_tables(notebook):
    """Every results table a notebook printed, in order: a list of ``{row name: scores}``."""
    tables = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            tables.extend(results_tables(output_text(cell)))
    return tables


def collect(runs):
    """Turn executed notebooks into rows.

    Parameters
    ----------
    runs : list of dict
        One per (notebook, seed): ``{"notebook": "01", "seed": 42, "tables": [...],
        "seconds": float, "peak_mb": float}``; ``tables`` as :func:`printed_tables` returns.

    Returns
    -------
    list of dict
        One row per printed results-table row (named ``pipeline``, from notebook
        ``dataset``), scores averaged over the seeds that printed it, then one
        ``notebook:NN`` row per notebook with its run time and peak memory.
    """
    rows, order = {}, []
    for run in runs:
        for table in run["tables"]:
            for name, scores in table.items():
                key = (run["notebook"], name)
                if key not in rows:
                    rows[key] = {"pipeline": name, "dataset": f"nb{run['notebook']}", "per_seed": {}}
                    order.append(key)
                rows[key]["per_seed"].setdefault(run["seed"], scores)  # a name printed twice: its first table
    result = []
    for key in order:
        row = rows[key]
        per_seed = row.pop("per_seed")
        row["seeds"] = sorted(per_seed)
        for metric in METRICS:
            row[metric], row[f"{metric}_std"] = mean_and_spread([per_seed[s][metric] for s in row["seeds"]])
        result.append(row)
    for notebook in dict.fromkeys(run["notebook"] for run in runs):
        mine = [run for run in runs if run["notebook"] == notebook]
        seconds, spread = mean_and_spread([run["seconds"] for run in mine])
        result.append({"pipeline": f"notebook:{notebook}", "dataset": mine[0]["name"], "seconds": seconds,
                       "seconds_std": spread, "peak_mb": max(run["peak_mb"] for run in mine),
                       "seeds": sorted(run["seed"] for run in mine)})
    return result


def mean_and_spread(values):
    """Mean and sample standard deviation of ``values`` (0 for one value; ``None, None`` for none)."""
    if not values:
        return None, None
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def _cell(row, key, digits=2):
    value = row.get(key)
    if value is None:
        return ""
    text = f"{value:.1f}".rstrip("0").rstrip(".") if key == "clusters" else f"{value:.{digits}f}"
    if len(row.get("seeds", [])) > 1 and row.get(f"{key}_std") is not None:
        text += f" ± {row[f'{key}_std']:.{digits}f}"
    return text


def markdown_table(rows):
    """The rows as a Markdown table (scores first, then the notebooks' times)."""
    lines = ["| pipeline | notebook | ARI | NMI | accuracy | noise | clusters | seconds | peak MB | seeds |",
             "|" + "---|" * 10]
    for row in rows:
        peak = f"{row['peak_mb']:.0f}" if row.get("peak_mb") else ""
        lines.append(
            f"| {row['pipeline']} | {row['dataset']} | {_cell(row, 'ari')} | {_cell(row, 'nmi')} | "
            f"{_cell(row, 'accuracy')} | {_cell(row, 'noise')} | {_cell(row, 'clusters')} | "
            f"{_cell(row, 'seconds', 1)} | {peak} | {len(row['seeds'])} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Reproduce the series' headline numbers by running its notebooks.")
    parser.add_argument("--seeds", type=int, default=3, help="seeds per notebook, from 42 up (default 3)")
    parser.add_argument("--only", action="append", default=[], help="notebooks whose name starts with this")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    parser.add_argument("--keep", type=Path, help="keep the executed notebooks in this folder")
    parser.add_argument("--execute", type=Path, help=argparse.SUPPRESS)  # internal: one run, JSON on stdout
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.execute:
        print(json.dumps(execute(args.execute, args.seed, args.output)))
        return 0
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")

    import nbformat

    seeds = [FIRST_SEED + i for i in range(args.seeds)]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="series_benchmark_"))
    folder.mkdir(parents=True, exist_ok=True)
    started, runs = time.perf_counter(), []
    for path in notebook_paths(args.only):
        for seed in seeds:
            output = folder / f"{path.stem}.seed{seed}.ipynb"
            measured = execute_alone(path, seed, output)
            tables = printed_tables(nbformat.read(output, as_version=4))
            runs.append({"notebook": path.name[:2], "name": path.stem, "seed": seed, "tables": tables, **measured})
            print(f"  {path.name} seed {seed}: {measured['seconds']:.1f} s, {len(tables)} results table(s)",
                  file=sys.stderr, flush=True)
    rows = collect(runs)

    from importlib.metadata import version  # the versions, without importing TensorFlow here

    print(markdown_table(rows))
    print(
        f"\n{len(seeds)} seed(s) {seeds}; mean ± standard deviation over seeds. "
        f"Python {platform.python_version()}, tensorflow {version('tensorflow')}, keras {version('keras')}, "
        f"scikit-learn {version('scikit-learn')}; {platform.machine()}, {time.perf_counter() - started:.0f} s in all."
    )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
