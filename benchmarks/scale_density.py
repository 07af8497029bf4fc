"""How notebooks 01 and 03's density clustering scales: time and peak memory at 5,000 to 50,000 rows.

What a learner who takes the two notebooks to a bigger table runs, step by step, each step in a
fresh Python process so that its peak resident memory (its ``VmHWM``, read at its end) is its
own and not a leftover of an earlier step:

- ``choose_eps``: notebook 01's rule for DBSCAN's ``eps``, loaded from the notebook's own
  ``lesson-code`` cells (``tests/lesson_code.py``). One HDBSCAN fit holds DBSCAN at every radius and
  the scan cuts it once per radius; the fit builds a minimum spanning tree over all pairs of points
  (Prim's algorithm), so its time grows with the square of the rows while its memory stays flat;
- ``labels_at``: DBSCAN's labels at the chosen ``eps``, read off that fit (``dbscan_at_every_eps``);
- ``DBSCAN``: scikit-learn's ``DBSCAN(**choice.params).fit_predict``, what notebook 01 runs. It stores
  every point's neighbourhood within ``eps``, and at a radius chosen for the table's density each
  neighbourhood holds more points as the rows grow, so its memory grows with the square of the rows;
- ``OPTICS``: notebook 03's ``fit_optics`` settings (``min_samples=10``, ``algorithm="kd_tree"``, the
  default ``max_eps=np.inf``), then its rule ``choose_reachability_eps`` from the notebook's cells.
  With ``max_eps=np.inf`` every point's reachability is updated against all points not yet
  processed, so its time grows with the square of the rows as well.

The tables are four blobs (``make_blobs``, ``random_state=0``) in 2 columns (the size of notebooks
01 and 03's codes; drawn from a wider box with a smaller spread, where scikit-learn's defaults make
two of them overlap) and in 12, standardised. Run ``python benchmarks/scale_density.py`` (about six
minutes on the 2-core machine); ``--sizes 2000 5000`` for other row counts, ``--log FILE`` to keep
the rows (the README's table is ``benchmarks/scale_density.jsonl``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (5_000, 20_000, 50_000)
#: (columns, steps run on such a table): OPTICS, the slowest, on the 2-column code only.
TABLES = ((2, ("choose_eps", "DBSCAN", "OPTICS")), (12, ("choose_eps", "DBSCAN")))
#: In 2-D the blobs come from a wider box with a smaller spread: scikit-learn's defaults make some overlap.
_BLOB_SHAPE = {2: "cluster_std=0.5, center_box=(-20.0, 20.0)", 12: "cluster_std=1.0"}

_PREAMBLE = """
import json, sys, time, warnings
import numpy as np
sys.path.insert(0, {root!r})
sys.path.insert(0, {tests!r})
import lesson_code
from sklearn.datasets import make_blobs
from helpers import data

X, y = make_blobs(n_samples={n}, centers=4, n_features={d}, {shape}, random_state=0)
X = data.standardize(X)
"""

_STEPS = {
    "choose_eps": """
lesson = lesson_code.load("01_autoencoder_dbscan.ipynb")
start = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    choice = lesson.choose_eps(X)
seconds = time.perf_counter() - start
labels_at, _ = lesson.dbscan_at_every_eps(X, choice.min_samples)
start = time.perf_counter()
labels = labels_at(choice.eps)
cut = time.perf_counter() - start
sizes = np.unique(labels[labels >= 0], return_counts=True)[1]  # the tree's cluster numbers have gaps
result = {{"seconds": seconds, "labels_at_seconds": cut, "eps": choice.eps, "min_samples": choice.min_samples,
          "clusters": int(len(sizes)), "counted": int(np.sum(sizes >= choice.min_cluster_fraction * len(X)))}}
""",
    "DBSCAN": """
from sklearn.cluster import DBSCAN
start = time.perf_counter()
labels = DBSCAN(eps={eps!r}, min_samples={min_samples!r}).fit_predict(X)
result = {{"seconds": time.perf_counter() - start, "clusters": int(labels.max() + 1)}}
""",
    "OPTICS": """
from sklearn.cluster import OPTICS
lesson = lesson_code.load("03_deep_autoencoder_optics.ipynb")
start = time.perf_counter()
optics = OPTICS(min_samples=10, algorithm="kd_tree").fit(X)  # notebook 03's fit_optics
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    cut = lesson.choose_reachability_eps(optics)
result = {{"seconds": time.perf_counter() - start, "clusters": int(cut.labels.max() + 1)}}
""",
}

#: The step's own peak, read at its end. Not ``ru_maxrss``: Linux carries it across ``exec`` from the process
#: that started this one, so a step started from a pytest worker that had trained networks reported the
#: worker's 2 GB. ``VmHWM`` (``/proc/self/status``) is the peak of this process's own memory since ``exec``.
_OWN_PEAK = """
import resource
from pathlib import Path
status = Path("/proc/self/status")
if status.exists():
    result["peak_mb"] = next(int(line.split()[1]) for line in status.read_text().splitlines()
                             if line.startswith("VmHWM:")) / 1024
else:  # macOS: no /proc, and ru_maxrss in bytes
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
"""


def measure(step, n_rows, n_columns, **known):
    """One step on one table, in a fresh Python process: a dict with ``seconds``, ``peak_mb`` and the step's own keys.

    ``known``: what an earlier step chose (``eps`` and ``min_samples`` for ``DBSCAN``).
    """
    code = _PREAMBLE.format(root=str(ROOT), tests=str(ROOT / "tests"), n=n_rows, d=n_columns,
                            shape=_BLOB_SHAPE[n_columns])
    code += _STEPS[step].format(**known)
    code += _OWN_PEAK + "print(json.dumps(result))\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def scale_rows(sizes=SIZES, tables=TABLES):
    """Every step of :data:`TABLES` at every size, one dict (``step``, ``rows``, ``columns`` and the results) at a time."""
    for n_columns, steps in tables:
        for n_rows in sizes:
            choice = {}
            for step in steps:
                result = measure(step, n_rows, n_columns, **choice)
                if step == "choose_eps":
                    choice = {"eps": result["eps"], "min_samples": result["min_samples"]}
                yield {"step": step, "rows": n_rows, "columns": n_columns, **result}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="row counts (default: %(default)s)")
    parser.add_argument("--log", type=Path, help="also write every row to this file, one JSON object per line")
    args = parser.parse_args(argv)
    log = args.log.open("w", encoding="utf-8") if args.log else None
    print(f"{'step':10s} {'rows':>7s} {'cols':>4s} {'seconds':>8s} {'peak MB':>8s}  notes")
    for row in scale_rows(args.sizes):
        notes = ""
        if row["step"] == "choose_eps":
            notes = (f"eps {row['eps']:.3f}, min_samples {row['min_samples']}; {row['clusters']} clusters at eps, "
                     f"{row['counted']} counted; labels_at(eps) {1000 * row['labels_at_seconds']:.0f} ms")
        else:
            notes = f"{row['clusters']} clusters"
        print(f"{row['step']:10s} {row['rows']:7,d} {row['columns']:4d} {row['seconds']:8.1f} {row['peak_mb']:8.0f}  {notes}",
              flush=True)
        if log:
            log.write(json.dumps(row) + "\n")
            log.flush()
    if log:
        log.close()


if __name__ == "__main__":
    main()
