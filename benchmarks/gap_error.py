"""Notebook 05's choice with two standard errors for the gap, on the suite's structured sets.

Notebook 05's gap carries a standard error taken over the references' *gains* over one cluster (the
spread of ``fit at k - fit at 1`` across the reference sets). Tibshirani, Walther and Hastie (2001)
take it over the references' fits at k themselves. The two fits of one reference set move together,
so the error over gains is usually the smaller one, and Tibshirani's walk, which stops at the first k
whose gap is within one error of the next k's, goes on to more clusters with it.

This script scores every candidate once with the notebook's own code (its ``lesson-code`` cells,
loaded as ``label_free.py`` loads them), with one addition made to a copy of that code in memory:
each candidate also records the error over the references' fits at k. It then runs the notebook's
``choose`` twice on the same candidates, once with each error, and logs both choices with their ARI
and regret (labels used only to score). Whether a table has structure does not depend on the error
(a family picks among the splits that count whenever one does), so the null sets are not run.

Every candidate's scores go into the log as well, so other rules can be compared on the same runs
without scoring them again.

Usage::

    python benchmarks/gap_error.py --first-seed 42 --seeds 6 --log runs.jsonl   # run and log
    python benchmarks/gap_error.py --from-log runs.jsonl                        # summarise a log
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import label_free  # noqa: E402

#: The lines of notebook 05's ``score_candidates`` that the copy extends, and what they become.
EDITS = (
    ("                            # cluster's share of the rows, its separation); section 5's chance level\n",
     "                            # cluster's share of the rows, its separation); section 5's chance level\n"
     "    gap_se_fits: float = float('nan')  # the same spread over the reference sets' fits at k\n"),
    ("        hardest = max(ref_gains, key=np.mean)  # the split must beat both kinds\n",
     "        hardest = max(ref_gains, key=np.mean)  # the split must beat both kinds\n"
     "        hardest_kind = max(range(len(ref_gains)), key=lambda i: ref_gains[i].mean())\n"
     "        fits_at_k = hardest + np.array([alone for _, _, alone in Z_kinds[hardest_kind]])\n"),
    ("                         separation(X, labels), reference_scores(ref_splits, ref_gains, 0, k))  # 0: the box\n",
     "                         separation(X, labels), reference_scores(ref_splits, ref_gains, 0, k),\n"
     "                         fits_at_k.std() * np.sqrt(1 + 1 / n_references))\n"),
)
RULES = ("gains", "fits")  # today's error (over gains) and the paper's (over fits at k)


def lesson_with_both_errors():
    """Notebook 05's lesson code, with each candidate also carrying the error over the fits at k."""
    return label_free.edited_lesson(EDITS, "lesson_05_both_errors")


def _for_log(value):
    """A score as the log keeps it: 5 decimals; NaN and infinity (one cluster's silhouette and separation) as None."""
    if isinstance(value, (float, np.floating)):
        return round(float(value), 5) if np.isfinite(value) else None
    return value


def run_once(nb05, name, size, seed):
    """One structured run: both choices with their ARI, and every candidate's scores."""
    from sklearn.metrics import adjusted_rand_score

    X, y = label_free.load(name, size, seed)
    start = time.perf_counter()
    candidates = nb05.score_candidates(X, label_free.suite_representations(X, seed), seed=seed)
    seconds = time.perf_counter() - start
    aris = [float(adjusted_rand_score(y, c.labels)) for c in candidates]
    run = {"dataset": name, "size": size, "n": len(X), "seed": seed, "seconds": seconds, "best_ari": max(aris)}
    for rule in RULES:
        scored = candidates if rule == "gains" else [c._replace(gap_se=c.gap_se_fits) for c in candidates]
        choice = nb05.choose(scored)
        ari = aris[scored.index(choice.chosen)] if choice.structure else 0.0
        run[rule] = {"chosen": (f"{choice.chosen.representation} + {choice.chosen.method}, k={choice.chosen.k}"
                                if choice.structure else "no structure"), "ari": ari, "regret": max(aris) - ari}
    # every candidate's scores, one list per score (5 decimals: the log stays small)
    scores = {"representation": [c.representation for c in candidates], "method": [c.method for c in candidates],
              "k": [c.k for c in candidates], "ari": aris,
              "smallest_share": [np.bincount(c.labels).min() / len(c.labels) for c in candidates]}
    for field in ("gap", "gap_se", "gap_se_fits", "stability", "separation", "silhouette"):
        scores[field] = [getattr(c, field) for c in candidates]
    run["candidates"] = {name: [_for_log(value) for value in values] for name, values in scores.items()}
    return run


def summary(runs):
    """Per structured set and rule: mean regret and worst run; then the acceptance figures of both rules."""
    lines = ["| data set | runs | k chosen (gains) | regret (gains) | k chosen (fits) | regret (fits) | "
             "worst run (gains) | worst run (fits) |", "|---|---|---|---|---|---|---|---|"]
    means = {rule: {} for rule in RULES}
    for name in label_free.REPRESENTABLE:
        mine = [run for run in runs if run["dataset"] == name]
        if not mine:
            continue
        cells = []
        for rule in RULES:
            means[rule][name] = statistics.fmean(run[rule]["regret"] for run in mine)
            ks = ", ".join(sorted({run[rule]["chosen"].split(", ")[-1] for run in mine}))
            cells.append(f"{ks} | {means[rule][name]:.3f}")
        worst = [f"{max(run[rule]['regret'] for run in mine):.2f}" for rule in RULES]
        lines.append(f"| {name} | {len(mine)} | {' | '.join(cells)} | {' | '.join(worst)} |")
    for rule in RULES:
        if means[rule]:
            worst_set = max(means[rule], key=means[rule].get)
            lines.append(f"\nerror over {rule}: mean regret over the sets {statistics.fmean(means[rule].values()):.3f}, "
                         f"worst set {means[rule][worst_set]:.3f} ({worst_set}); 'no structure' in "
                         f"{sum(run[rule]['chosen'] == 'no structure' for run in runs)} of {len(runs)} runs")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--first-seed", type=int, default=42)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--only", choices=label_free.REPRESENTABLE, action="append")
    parser.add_argument("--log", help="append every run to this file as JSON lines")
    parser.add_argument("--from-log", action="append", help="summarise runs saved with --log instead of running")
    args = parser.parse_args(argv)
    if args.from_log:
        runs = [json.loads(line) for path in args.from_log
                for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
        print(summary(runs))
        return
    import warnings

    from threadpoolctl import threadpool_limits

    warnings.simplefilter("ignore")
    nb05 = lesson_with_both_errors()
    runs = []
    with threadpool_limits(limits=1):
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            for name in args.only or label_free.REPRESENTABLE:
                for size in label_free.sizes_of(name):
                    run = run_once(nb05, name, size, seed)
                    runs.append(run)
                    print(f"  {name} n={run['n']} seed {seed}: gains {run['gains']['chosen']} "
                          f"({run['gains']['ari']:.2f}), fits {run['fits']['chosen']} ({run['fits']['ari']:.2f}), "
                          f"best {run['best_ari']:.2f}, {run['seconds']:.1f} s", file=sys.stderr, flush=True)
                    if args.log:
                        with open(args.log, "a", encoding="utf-8") as file:
                            file.write(json.dumps(run) + "\n")
    print(summary(runs))


if __name__ == "__main__":
    main()
