"""Label-free choice of a clustering (notebook 05), measured against the hidden labels.

For each data set the procedure of notebook 05 runs without labels: candidate
representations (the scaled features, PCA to 2-D, PCA keeping 80 % of the
variance, and an autoencoder's code trained with Keras ``compile``/``fit``),
KMeans and a Gaussian mixture, k = 1 to 10, scored and chosen by
:func:`helpers.selection.select_clustering`. The labels are used only
afterwards, to score the choice (ARI) and every candidate (the best of them
is ``best_ari``).

Usage::

    python benchmarks/label_free.py            # seeds 42, 43, 44; Markdown table on stdout
    python benchmarks/label_free.py --seeds 1  # quick check

Data sets: the wine recipes (``sklearn.datasets.load_wine``, standardised),
the 10-D blobs (``helpers.data.blobs``), the digits (``helpers.data.digits``)
and 500 uniform random points in 10-D (standardised; no structure at all).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

DATASETS = ("wine", "blobs", "digits", "uniform")


def load(name, seed):
    """``(X, y)``: prepared features and the hidden labels (``None`` for uniform data, which has none)."""
    from sklearn.datasets import load_wine
    from sklearn.preprocessing import StandardScaler

    from helpers import data

    if name == "wine":
        wine = load_wine()
        return StandardScaler().fit_transform(wine.data).astype(np.float32), wine.target
    if name == "blobs":
        blobs = data.blobs(random_state=seed)
        return blobs.X, blobs.y
    if name == "digits":
        digits = data.digits()
        return digits.X, digits.y
    if name == "uniform":
        points = np.random.default_rng(seed).uniform(size=(500, 10))
        return StandardScaler().fit_transform(points).astype(np.float32), None
    raise ValueError(f"unknown data set {name!r}; choose from {DATASETS}")


def autoencoder_code(X, seed):
    """Train a small autoencoder with Keras and return its encoder (notebook 05's recipe).

    ``d -> 32 -> 2 -> 32 -> d`` with ``elu`` hidden layers and a linear
    bottleneck, mean squared error, Adam, 100 epochs of batches of 64 for
    fewer than 300 samples (the wine), 30 epochs otherwise.
    """
    import helpers
    from helpers import models
    from helpers._tensorflow import load_keras

    keras = load_keras()
    helpers.set_seed(seed)
    autoencoder, encoder = models.build_autoencoder(X.shape[1], hidden_units=(32,), latent_dim=2,
                                                    activation="elu")
    autoencoder.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    epochs = 100 if len(X) < 300 else 30  # 300 batches for the wine, about 850 for the digits
    autoencoder.fit(X, X, epochs=epochs, batch_size=64, verbose=0)
    return encoder


def representations(X, seed):
    """The candidate representations of notebook 05, as functions of feature rows."""
    from sklearn.decomposition import PCA

    pca_2 = PCA(n_components=2, random_state=seed).fit(X)
    pca_80 = PCA(n_components=0.8, random_state=seed).fit(X)
    encoder = autoencoder_code(X, seed)
    return {
        "scaled features": None,
        "PCA-2": pca_2.transform,
        f"PCA-{pca_80.n_components_} (80% variance)": pca_80.transform,
        "autoencoder code": lambda A: encoder.predict(A, verbose=0, batch_size=1024),
    }


def run_once(name, seed):
    """One data set, one seed: the label-free choice and the best candidate, scored with the labels."""
    from sklearn.metrics import adjusted_rand_score

    from helpers import selection

    X, y = load(name, seed)
    start = time.perf_counter()
    candidates, choice = selection.select_clustering(X, representations(X, seed), random_state=seed)
    seconds = time.perf_counter() - start
    if y is None:  # no labels: only "structure found or not" can be judged
        ari = best_ari = None
        best_name = "-"
    else:
        scores = [adjusted_rand_score(y, c.labels) for c in candidates]
        best = candidates[int(np.argmax(scores))]
        ari, best_ari = float(adjusted_rand_score(y, choice.labels)), float(max(scores))
        best_name = f"{best.representation} + {best.method}, k={best.k}"
    return {
        "ari": ari,
        "best_ari": best_ari,
        "best": best_name,
        "k": choice.chosen.k if choice.structure else 1,
        "chosen": (f"{choice.chosen.representation} + {choice.chosen.method}" if choice.structure else "none"),
        "structure": choice.structure,
        "seconds": seconds,
    }


def label_free_rows(seeds=(42, 43, 44), datasets=DATASETS):
    """The label-free choice on every data set over ``seeds``, one row per data set.

    Parameters
    ----------
    seeds : sequence of int, default=(42, 43, 44)
    datasets : sequence of str, default=("wine", "blobs", "digits", "uniform")

    Returns
    -------
    list of dict
        ``pipeline`` ("nb05:label-free"), ``dataset``, ``ari`` (mean over
        seeds of the chosen clustering's ARI; a "no structure" answer counts
        as one cluster; ``None`` for the uniform data, which has no labels),
        ``ari_std``, ``best_ari`` (mean over seeds of the best candidate's
        ARI), ``k`` (chosen k per seed, 1 = no structure),
        ``structure`` ("yes", "no" or "mixed"), ``seconds`` (mean time of
        the whole procedure, autoencoder training included), and the
        per-seed details in ``runs``.
    """
    from helpers._tensorflow import load_keras

    load_keras()  # import TensorFlow once, outside the timings
    rows = []
    for name in datasets:
        runs = []
        for seed in seeds:
            runs.append(run_once(name, seed))
            run = runs[-1]
            scores = "no labels" if run["ari"] is None else f"ARI {run['ari']:.3f} (best {run['best_ari']:.3f}: {run['best']})"
            print(f"  {name:8s} seed {seed}: chose {run['chosen']}, k={run['k']}, {scores}, {run['seconds']:.1f} s",
                  file=sys.stderr, flush=True)
        found = Counter(run["structure"] for run in runs)
        aris = [run["ari"] for run in runs if run["ari"] is not None]
        rows.append({
            "pipeline": "nb05:label-free",
            "dataset": name,
            "ari": statistics.fmean(aris) if aris else None,
            "ari_std": (statistics.stdev(aris) if len(aris) > 1 else 0.0) if aris else None,
            "best_ari": statistics.fmean(run["best_ari"] for run in runs) if aris else None,
            "k": [run["k"] for run in runs],
            "structure": "yes" if found[True] == len(runs) else "no" if found[False] == len(runs) else "mixed",
            "seconds": statistics.fmean(run["seconds"] for run in runs),
            "runs": runs,
        })
    return rows


def markdown_table(rows):
    """The rows as a Markdown table."""
    lines = ["| pipeline | dataset | ARI | best candidate ARI | k chosen | structure found | seconds |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        ari = "-" if row["ari"] is None else f"{row['ari']:.2f} ± {row['ari_std']:.2f}"
        best = "-" if row["best_ari"] is None else f"{row['best_ari']:.2f}"
        lines.append(f"| {row['pipeline']} | {row['dataset']} | {ari} | {best} | {', '.join(map(str, row['k']))} | "
                     f"{row['structure']} | {row['seconds']:.1f} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Notebook 05's label-free choice, scored with the hidden labels.")
    parser.add_argument("--seeds", type=int, default=3, help="number of seeds, from 42 (default 3)")
    parser.add_argument("--only", choices=DATASETS, help="run one data set")
    args = parser.parse_args(argv)
    seeds = tuple(42 + i for i in range(args.seeds))
    rows = label_free_rows(seeds, datasets=(args.only,) if args.only else DATASETS)
    print(markdown_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
