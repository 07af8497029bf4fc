"""Notebook 04's final network on the development half at more seeds: is a tuning step's winner noise?

``tune_digits.py`` scores each configuration on the development half with one seed (42). This
script scores a few configurations of the network at other seeds, on the same development half
(never the held-out half), to see whether a small difference between two of them holds up. It was
run for epochs per round, 75 against 100 (``tune_digits.py``'s docstring and notebook 04 quote the
result), and records each run in ``benchmarks/tune_digits_seeds.json``::

    nice -n 10 python benchmarks/tune_digits_seeds.py --epochs 75 100 --seeds 43 44
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import lesson_code  # noqa: E402  (tests/lesson_code.py: the notebook's lesson-code cells as a module)
from threadpoolctl import threadpool_limits  # noqa: E402

from helpers import data, evaluation  # noqa: E402

NOTEBOOK = "04_deep_embedded_clustering_digits.ipynb"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, nargs="+", default=[75, 100], help="epochs per round to compare")
    parser.add_argument("--seeds", type=int, nargs="+", default=[43, 44], help="network seeds")
    args = parser.parse_args(argv)
    threadpool_limits(1)  # as in the notebook
    lesson = lesson_code.load(NOTEBOOK)
    digits = data.digits()
    development, _ = lesson.split_in_halves(len(digits.X))  # the held-out half is never used here
    X, y = digits.X[development], digits.y[development]
    runs = []
    for seed in args.seeds:
        for epochs in args.epochs:
            wall, cpu = time.perf_counter(), time.process_time()
            with contextlib.redirect_stdout(io.StringIO()):  # the training progress lines
                out = lesson.run_network(X, {**lesson.NETWORK, "epochs": epochs}, seed, n_clusters=10)
            runs.append({"seed": seed, "epochs": epochs,
                         "dev_ari_final": round(evaluation.evaluate(y, out["round2"]["scan"])["ari"], 4),
                         "wall_seconds": round(time.perf_counter() - wall, 1),
                         "cpu_seconds": round(time.process_time() - cpu, 1)})
            print(json.dumps(runs[-1]), flush=True)
    (ROOT / "benchmarks" / "tune_digits_seeds.json").write_text(json.dumps(runs, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
