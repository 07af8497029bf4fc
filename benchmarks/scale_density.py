"""How notebook 01's rule for DBSCAN's eps (``choose_eps``) scales: time and peak memory on growing data sets.

The rule is loaded from the notebook's own ``lesson-code`` cells (``tests/lesson_code.py``), so this
measures the code a learner reads and edits. One HDBSCAN fit holds DBSCAN at every radius; the scan
then cuts that tree once per radius (2 % apart), so the cost grows about linearly with the points.
Each size runs in a fresh Python process, so its peak resident memory
(``ru_maxrss`` of the finished child) is its own and not a leftover of an
earlier, larger run. Run ``python benchmarks/scale_choose_eps.py``; the main
benchmark can import :func:`scale_rows`.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: (name, n_samples, n_features, centers). Five blobs with random_state=0:
#: in 2-D they are drawn from a wider box with a smaller spread, because
#: scikit-learn's defaults make two of the five overlap (KMeans ARI 0.87).
SIZES = (
    ("2-D blobs, 2,000", 2_000, 2, 5),
    ("2-D blobs, 10,000", 10_000, 2, 5),
    ("2-D blobs, 70,000", 70_000, 2, 5),
    ("10-D blobs, 20,000", 20_000, 10, 5),
)
_BLOB_SHAPE = {2: "cluster_std=0.5, center_box=(-20.0, 20.0)", 10: "cluster_std=1.0"}

_CHILD = """
import json, sys, time, warnings
sys.path.insert(0, {root!r})
sys.path.insert(0, {tests!r})
import lesson_code
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

lesson = lesson_code.load("01_autoencoder_dbscan.ipynb")
X, y = make_blobs(n_samples={n}, centers={centers}, n_features={d}, {shape}, random_state=0)
start = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    choice = lesson.choose_eps(X)
seconds = time.perf_counter() - start
labels_at, _ = lesson.dbscan_at_every_eps(X, choice.min_samples)  # DBSCAN's labels at the chosen eps, cheaply
ari = adjusted_rand_score(y, labels_at(choice.eps))
print(json.dumps({{"seconds": seconds, "ari": ari, "eps": choice.eps, "min_samples": choice.min_samples}}))
"""


def _run_one(n_samples, n_features, centers):
    code = _CHILD.format(root=str(ROOT), tests=str(ROOT / "tests"), n=n_samples, d=n_features, centers=centers,
                         shape=_BLOB_SHAPE[n_features])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Linux reports ru_maxrss in kB. Called from a fresh wrapper process (see scale_rows),
    # the only finished child is this run, so the maximum is its own peak.
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return json.loads(out.stdout.strip().splitlines()[-1]), peak_kb


def scale_rows(sizes=SIZES):
    """Time, peak memory and ARI of ``choose_eps`` for each size.

    Returns
    -------
    list of dict
        Keys ``name`` ("choose_eps"), ``dataset``, ``seconds``, ``peak_mb``
        (peak resident memory of the process, Python and imports included)
        and ``ari`` (of the labels at the chosen eps against the blobs).
    """
    rows = []
    for dataset, n_samples, n_features, centers in sizes:
        # One grandchild per size via a wrapper child, so RUSAGE_CHILDREN of the wrapper is this run alone.
        wrapper = (
            "import json, resource, sys\n"
            f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
            "import scale_choose_eps as s\n"
            f"result, peak_kb = s._run_one({n_samples}, {n_features}, {centers})\n"
            "result['peak_mb'] = peak_kb / 1024\n"
            "print(json.dumps(result))\n"
        )
        out = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(
            {
                "name": "choose_eps",
                "dataset": dataset,
                "seconds": round(result["seconds"], 2),
                "peak_mb": round(result["peak_mb"], 1),
                "ari": round(result["ari"], 3),
            }
        )
    return rows


def main():
    print(f"{'dataset':22s} {'seconds':>8s} {'peak MB':>8s} {'ARI':>6s}")
    for row in scale_rows():
        print(f"{row['dataset']:22s} {row['seconds']:8.2f} {row['peak_mb']:8.1f} {row['ari']:6.3f}")


if __name__ == "__main__":
    main()
