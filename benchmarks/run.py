"""Reproduce every headline number of the series in one table.

Runs, without Jupyter, each notebook's final pipeline through the same
``helpers`` calls the notebook makes, the baselines each notebook compares
against, and the seed article's three examples as published. Then it executes
every notebook in a fresh kernel and times it.

Usage::

    python benchmarks/run.py                  # 3 seeds, Markdown table on stdout
    python benchmarks/run.py --json out.json  # also write the rows as JSON
    python benchmarks/run.py --seeds 1 --no-notebooks   # quick check

Pipelines that involve randomness (network training, KMeans/GMM restarts,
t-SNE) run once per seed (42, 43, ...; the notebooks use 42) and report the
mean, with the spread (standard deviation) beside it. ``seconds`` is the mean
wall time of one run of the pipeline, data preparation included and
TensorFlow's one-off import excluded. Every row runs in a fresh Python process,
so rows share nothing (each trains its own networks) and ``peak_mb`` is that
row's own peak resident memory (Linux), TensorFlow's runtime included.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_SEED = 42


@dataclass(frozen=True)
class Pipeline:
    """One row of the table: a name, a dataset and a function of the seed.

    ``run(seed)`` returns ``(y_true, labels)``, or raises
    :class:`DoesNotRun` with the reason when the code cannot run at all.
    """

    name: str
    dataset: str
    run: object
    stochastic: bool = True


class DoesNotRun(Exception):
    """The pipeline cannot run (the article's VAE under Keras 3)."""


# --------------------------------------------------------------------------
# The pipelines, notebook by notebook. Each mirrors its notebook's final cells:
# Keras compile/fit for the networks, scikit-learn's estimators called directly.


def _fit(model, X, *, epochs, batch_size, learning_rate=1e-3, reconstruct=True):
    """``compile`` with Adam and ``fit`` quietly, as the notebooks do (without the progress line)."""
    import keras

    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse" if reconstruct else None)
    model.fit(X, X if reconstruct else None, epochs=epochs, batch_size=batch_size, verbose=0)
    return model


def _kmeans(X, n_clusters, seed, n_init=10):
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=n_clusters, n_init=n_init, random_state=seed).fit_predict(X)


def _gmm(X, n_clusters, seed, n_init=3):
    from sklearn.mixture import GaussianMixture

    return GaussianMixture(n_components=n_clusters, n_init=n_init, random_state=seed).fit_predict(X)


def _dbscan_chosen(X):
    from sklearn.cluster import DBSCAN

    from helpers import clustering

    return DBSCAN(**clustering.choose_eps(X).params).fit_predict(X)


def nb01_autoencoder_dbscan(seed):
    import helpers
    from helpers import data, models, training

    helpers.set_seed(seed)
    blobs = data.blobs(random_state=FIRST_SEED)  # the article's data, fixed; the seed drives the network
    autoencoder, encoder = models.build_autoencoder(10, (5,), 2, activation="elu")  # as notebook 01
    _fit(autoencoder, blobs.X, epochs=40, batch_size=16, learning_rate=3e-3)
    return blobs.y, _dbscan_chosen(training.encode(encoder, blobs.X))


def blobs_dbscan(seed):
    from helpers import data

    blobs = data.blobs(random_state=FIRST_SEED)
    return blobs.y, _dbscan_chosen(blobs.X)


def blobs_kmeans(seed):
    from helpers import data

    blobs = data.blobs(random_state=FIRST_SEED)
    return blobs.y, _kmeans(blobs.X, 3, seed)


def _vae_latents(seed):
    import helpers
    from helpers import data, models

    helpers.set_seed(seed)
    blobs = data.blobs(random_state=FIRST_SEED)
    vae, encoder, _ = models.build_vae(input_dim=10, hidden_units=(64,), latent_dim=2, beta=1.0, seed=seed)
    _fit(vae, blobs.X, epochs=40, batch_size=16, reconstruct=False)
    z_mean, z_log_var = encoder.predict(blobs.X, verbose=0)
    return blobs.y, vae, z_mean, z_log_var


def nb02_vae_kmeans(seed):
    from helpers import clustering

    y, _, z_mean, _ = _vae_latents(seed)
    k = clustering.choose_k(z_mean, k_range=range(2, 9), method="silhouette", random_state=seed).k
    return y, _kmeans(z_mean, k, seed)


def nb02_vae_sampled_z_kmeans(seed):
    import keras

    y, vae, z_mean, z_log_var = _vae_latents(seed)
    z = keras.ops.convert_to_numpy(vae.sampler([z_mean, z_log_var]))  # the pitfall: a random draw
    return y, _kmeans(z, 3, seed)


def nb02_autoencoder_kmeans(seed):
    import helpers
    from helpers import clustering, data, models, training

    helpers.set_seed(seed)
    blobs = data.blobs(random_state=FIRST_SEED)
    autoencoder, encoder = models.build_autoencoder(input_dim=10, hidden_units=(64,), latent_dim=2)
    _fit(autoencoder, blobs.X, epochs=40, batch_size=16)
    code = training.encode(encoder, blobs.X)
    k = clustering.choose_k(code, range(2, 9), random_state=seed).k
    return blobs.y, _kmeans(code, k, seed)


# Notebook 04 runs with one BLAS/OpenMP thread (its setup cell); the rows below
# do the same. Every row trains its own networks: nothing is shared between rows
# (each row runs in a process of its own), so no row depends on another's order.


def _digits_autoencoder(seed):
    import helpers
    from helpers import data, models, training

    helpers.set_seed(seed)
    digits = data.digits()
    autoencoder, encoder = models.build_autoencoder(input_dim=64, hidden_units=(256, 128), latent_dim=10)
    _fit(autoencoder, digits.X, epochs=100, batch_size=256)
    return encoder, training.encode(encoder, digits.X)


def _one_thread(function):
    def run(seed):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):
            return function(seed)

    run.__name__ = function.__name__
    return run


@_one_thread
def digits_kmeans(seed):
    from helpers import data

    digits = data.digits()
    return digits.y, _kmeans(digits.X, 10, seed)


def _digits_pca(seed):
    from sklearn.decomposition import PCA

    from helpers import data

    return PCA(n_components=20, random_state=seed).fit_transform(data.digits().X)


@_one_thread
def digits_pca_kmeans(seed):
    from helpers import data

    return data.digits().y, _kmeans(_digits_pca(seed), 10, seed)


@_one_thread
def digits_pca_gmm(seed):
    from helpers import data

    return data.digits().y, _gmm(_digits_pca(seed), 10, seed)


@_one_thread
def digits_tsne_gmm(seed):
    from sklearn.manifold import TSNE

    from helpers import data

    digits = data.digits()
    embedding = TSNE(n_components=2, init="pca", random_state=seed).fit_transform(digits.X)
    return digits.y, _gmm(embedding, 10, seed)


@_one_thread
def nb04_autoencoder_kmeans(seed):
    from helpers import data

    _, code = _digits_autoencoder(seed)
    return data.digits().y, _kmeans(code, 10, seed, n_init=20)


@_one_thread
def nb04_autoencoder_gmm(seed):
    from helpers import data

    _, code = _digits_autoencoder(seed)
    return data.digits().y, _gmm(code, 10, seed)


@_one_thread
def nb04_dec(seed):
    from helpers import data, dec

    encoder, _ = _digits_autoencoder(seed)
    digits = data.digits()
    result = dec.fit_dec(encoder, digits.X, n_clusters=10, random_state=seed)
    return digits.y, result.labels


@_one_thread
def nb04_final(seed):
    """Notebook 04's network: two rounds of contrastive training on views + neighbours, then a SCAN head."""
    import keras
    from sklearn.cluster import KMeans

    import helpers
    from helpers import augment, contrastive, data, selflabel, training

    helpers.set_seed(seed)
    digits = data.digits()
    X = digits.X
    views = augment.augment_images(X, n_views=5, random_state=seed)
    encoder = contrastive.build_contrastive_encoder(64, hidden_units=(256, 128), embedding_dim=16)
    for round_ in (1, 2):  # round 1: neighbours in pixel space; round 2: in the learned embedding
        neighbours = contrastive.nearest_neighbours(X if round_ == 1 else training.encode(encoder, X), k=5 * round_)
        model = contrastive.NeighbourContrastive(encoder, temperature=0.5, seed=seed)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), steps_per_execution=8)
        model.fit(X, selflabel.positive_sets(X, neighbours, views), epochs=100, batch_size=256, verbose=0)
    Z = training.encode(encoder, X)
    kmeans = KMeans(n_clusters=10, n_init=20, random_state=seed).fit(Z)
    scan = contrastive.SCAN(encoder, kmeans.cluster_centers_, entropy_weight=5.0, seed=seed)
    scan.compile(optimizer=keras.optimizers.Adam(1e-4), steps_per_execution=8)
    positives = selflabel.positive_sets(X, contrastive.nearest_neighbours(Z, k=20), views)
    scan.fit(X, positives, epochs=30, batch_size=256, verbose=0)
    return digits.y, scan.predict(X, batch_size=len(X), verbose=0).argmax(axis=1)


def article_example_1(seed):
    from helpers import article

    run = article.example_1(seed=seed)
    return run.y, run.labels


def article_example_2(seed):
    from helpers import article

    error = article.example_2_error()
    if error is not None:
        raise DoesNotRun(f"does not run under Keras 3 ({error.split('. ')[0]})")
    raise DoesNotRun("the article's VAE builds again: update this row")  # pragma: no cover


def article_example_3(seed):
    from helpers import article

    run = article.example_3(seed=seed)
    return run.y, run.labels


def _optics_cut(points, min_samples=10):
    """OPTICS (fitted once) + the eps read off its reachability plot, as in notebook 03."""
    import warnings

    from sklearn.cluster import OPTICS

    from helpers import clustering

    optics = OPTICS(min_samples=min_samples, algorithm="kd_tree").fit(points)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "nothing splits" is a result here, scored as one cluster
        return clustering.choose_reachability_eps(optics, min_cluster_fraction=0.1)


def _moons_autoencoder(seed, X, input_noise):
    import helpers
    from helpers import models, training

    helpers.set_seed(seed)
    autoencoder, encoder = models.build_autoencoder(X.shape[1], (64, 32, 16), 2, input_noise=input_noise)
    _fit(autoencoder, X, epochs=40, batch_size=64)  # linear bottleneck, as in notebook 03
    return training.encode(encoder, X)


def nb03_denoising_autoencoder_optics(seed):
    from helpers import data

    moons = data.moons(random_state=FIRST_SEED)
    return moons.y, _optics_cut(_moons_autoencoder(seed, moons.X, input_noise=0.1)).labels


def nb03_plain_autoencoder_optics(seed):
    from helpers import data

    moons = data.moons(random_state=FIRST_SEED)
    return moons.y, _optics_cut(_moons_autoencoder(seed, moons.X, input_noise=0.0)).labels


def nb03_highdim_autoencoder_optics(seed):
    from helpers import data

    embedded = data.embedded_moons(random_state=FIRST_SEED)
    return embedded.y, _optics_cut(_moons_autoencoder(seed, embedded.X, input_noise=0.1)).labels


def moons_optics(seed):
    from helpers import data

    moons = data.moons(random_state=FIRST_SEED)
    return moons.y, _optics_cut(moons.X).labels


def moons_kmeans(seed):
    from helpers import data

    moons = data.moons(random_state=FIRST_SEED)
    return moons.y, _kmeans(moons.X, 2, seed)


def embedded_optics(seed):
    from helpers import data

    embedded = data.embedded_moons(random_state=FIRST_SEED)
    return embedded.y, _optics_cut(embedded.X).labels


def embedded_pca_optics(seed):
    from sklearn.decomposition import PCA

    from helpers import data

    embedded = data.embedded_moons(random_state=FIRST_SEED)
    return embedded.y, _optics_cut(PCA(n_components=2, random_state=FIRST_SEED).fit_transform(embedded.X)).labels


def embedded_kmeans(seed):
    from helpers import data

    embedded = data.embedded_moons(random_state=FIRST_SEED)
    return embedded.y, _kmeans(embedded.X, 2, seed)


PIPELINES = [
    Pipeline("nb01", "blobs", nb01_autoencoder_dbscan),
    Pipeline("baseline:dbscan", "blobs", blobs_dbscan, stochastic=False),
    Pipeline("baseline:kmeans", "blobs", blobs_kmeans),
    Pipeline("nb02", "blobs", nb02_vae_kmeans),
    Pipeline("nb02:sampled-z", "blobs", nb02_vae_sampled_z_kmeans),
    Pipeline("nb02:autoencoder-kmeans", "blobs", nb02_autoencoder_kmeans),
    Pipeline("nb03", "moons", nb03_denoising_autoencoder_optics),
    Pipeline("nb03:plain-autoencoder", "moons", nb03_plain_autoencoder_optics),
    Pipeline("baseline:optics", "moons", moons_optics, stochastic=False),
    Pipeline("baseline:kmeans", "moons", moons_kmeans),
    Pipeline("nb03:embedded", "moons-50d", nb03_highdim_autoencoder_optics),
    Pipeline("baseline:optics", "moons-50d", embedded_optics, stochastic=False),
    Pipeline("baseline:pca-optics", "moons-50d", embedded_pca_optics, stochastic=False),
    Pipeline("baseline:kmeans", "moons-50d", embedded_kmeans),
    Pipeline("baseline:kmeans", "digits", digits_kmeans),
    Pipeline("baseline:pca-kmeans", "digits", digits_pca_kmeans),
    Pipeline("baseline:pca-gmm", "digits", digits_pca_gmm),
    Pipeline("baseline:tsne-gmm", "digits", digits_tsne_gmm),
    Pipeline("nb04:autoencoder-kmeans", "digits", nb04_autoencoder_kmeans),
    Pipeline("nb04:autoencoder-gmm", "digits", nb04_autoencoder_gmm),
    Pipeline("nb04:dec", "digits", nb04_dec),
    Pipeline("nb04", "digits", nb04_final),
    Pipeline("seed:1", "blobs", article_example_1),
    Pipeline("seed:2", "blobs", article_example_2, stochastic=False),
    Pipeline("seed:3", "moons", article_example_3),
]


# --------------------------------------------------------------------------
# Measuring


def _peak_memory_mb():
    """Peak resident memory of this process so far, in MB (Linux: VmHWM)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def _summary(values):
    values = [v for v in values if v is not None]
    if not values:
        return None, None
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def measure_here(pipeline, seeds):
    """Run ``pipeline`` once per seed (once if deterministic) in this process and summarise."""
    from helpers import evaluation

    seeds = seeds if pipeline.stochastic else seeds[:1]
    scores, seconds = [], []
    for seed in seeds:
        start = time.perf_counter()
        try:
            y, labels = pipeline.run(seed)
        except DoesNotRun as reason:
            return {"pipeline": pipeline.name, "dataset": pipeline.dataset, "status": str(reason), "seeds": seeds}
        seconds.append(time.perf_counter() - start)
        scores.append(evaluation.evaluate(y, labels))
        print(f"  {pipeline.name:18s} {pipeline.dataset:10s} seed {seed}: ARI {scores[-1]['ari']:.3f} "
              f"({seconds[-1]:.1f} s)", file=sys.stderr, flush=True)
    row = {"pipeline": pipeline.name, "dataset": pipeline.dataset, "status": "ok", "seeds": seeds}
    for key in evaluation.METRICS:
        row[key], row[f"{key}_std"] = _summary([s[key] for s in scores])
        row[f"{key}_per_seed"] = [s[key] for s in scores]
    row["seconds"], row["seconds_std"] = _summary(seconds)
    row["peak_mb"] = _peak_memory_mb()  # a fresh process per row: this row's own peak
    return row


def measure(index, seeds):
    """Run pipeline number ``index`` in a fresh Python process and return its row.

    A process per row keeps rows independent (no model trained by one row is
    reused, or changed in place, by another) and makes ``peak_mb`` the row's
    own peak, TensorFlow's runtime included, not the benchmark's running maximum.
    """
    import subprocess

    command = [sys.executable, str(Path(__file__).resolve()), "--row", str(index), "--seeds", str(len(seeds))]
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def label_free_rows(seeds):
    """Notebook 05's label-free choice, and the best candidate (labels used only to score it)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import label_free

    rows = []
    for result in label_free.label_free_rows(seeds=tuple(seeds)):
        picks = ", ".join(str(k) for k in result["k"])
        if result["ari"] is None:  # uniform noise: no labels to score, only the verdict
            status = f"no labels; structure found: {result['structure']} (k = {picks})"
            rows.append({"pipeline": "nb05:label-free", "dataset": result["dataset"], "status": status, "seeds": seeds})
            continue
        common = {"dataset": result["dataset"], "status": "ok", "seeds": seeds}
        rows.append({**common, "pipeline": "nb05:label-free", "ari": result["ari"], "ari_std": result["ari_std"],
                     "n_clusters": statistics.fmean(result["k"]), "n_clusters_std": statistics.pstdev(result["k"]),
                     "seconds": result["seconds"], "seconds_std": 0.0})
        rows.append({**common, "pipeline": "nb05:best-candidate", "ari": result["best_ari"]})
    return rows


def scale_rows():
    """``choose_eps`` at 2,000 / 10,000 / 70,000 2-D points and 20,000 10-D points: time and memory."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import scale_choose_eps

    rows = []
    for result in scale_choose_eps.scale_rows():
        print(f"  choose_eps {result['dataset']}: {result['seconds']:.1f} s, {result['peak_mb']:.0f} MB",
              file=sys.stderr, flush=True)
        rows.append({"pipeline": "scale:choose_eps", "dataset": result["dataset"], "status": "ok", "seeds": [],
                     "ari": result["ari"], "seconds": result["seconds"], "seconds_std": 0.0,
                     "peak_mb": result["peak_mb"]})
    return rows


def time_notebook(path, timeout=600):
    """Execute a notebook in a fresh kernel; wall time including kernel start."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    return {"pipeline": f"notebook:{path.name[:2]}", "dataset": path.stem, "status": "ok", "seconds": seconds,
            "seconds_std": 0.0, "seeds": []}


# --------------------------------------------------------------------------
# Reporting


def _cell(row, key, digits=2):
    value = row.get(key)
    if value is None:
        return ""
    if key == "n_clusters":
        text = f"{value:.1f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.{digits}f}"
    spread = row.get(f"{key}_std")
    if spread is not None and len(row.get("seeds", [])) > 1:
        text += f" ± {spread:.{digits}f}"
    return text


def markdown_table(rows):
    header = "| pipeline | dataset | ARI | NMI | accuracy | noise | clusters | seconds | peak MB | seeds |"
    lines = [header, "|" + "---|" * 10]
    for row in rows:
        if row["status"] != "ok":
            lines.append(f"| {row['pipeline']} | {row['dataset']} | {row['status']} |  |  |  |  |  |  |  |")
            continue
        peak = f"{row['peak_mb']:.0f}" if row.get("peak_mb") else ""
        lines.append(
            f"| {row['pipeline']} | {row['dataset']} | {_cell(row, 'ari')} | {_cell(row, 'nmi')} | "
            f"{_cell(row, 'accuracy')} | {_cell(row, 'noise_fraction')} | {_cell(row, 'n_clusters')} | "
            f"{_cell(row, 'seconds', 1)} | {peak} | {len(row['seeds']) or ''} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Reproduce the series' headline numbers.")
    parser.add_argument("--seeds", type=int, default=3, help="seeds for stochastic pipelines (default 3)")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    parser.add_argument("--only", help="run only pipelines whose name starts with this (e.g. nb04)")
    parser.add_argument("--no-notebooks", action="store_true", help="skip timing the notebooks")
    parser.add_argument("--no-scale", action="store_true", help="skip the choose_eps cost-with-size rows")
    parser.add_argument("--no-label-free", action="store_true", help="skip notebook 05's label-free rows")
    parser.add_argument("--row", type=int, help=argparse.SUPPRESS)  # internal: run one row, print it as JSON
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")

    sys.path.insert(0, str(ROOT))
    import helpers  # noqa: F401  (fails early, with a clear message, if not installed)
    from helpers._tensorflow import load_keras

    seeds = [FIRST_SEED + i for i in range(args.seeds)]
    if args.row is not None:
        load_keras()  # import TensorFlow once, outside the pipeline's timing
        print(json.dumps(measure_here(PIPELINES[args.row], seeds)))
        return 0
    started = time.perf_counter()
    rows = []
    for index, pipeline in enumerate(PIPELINES):
        if args.only and not pipeline.name.startswith(args.only):
            continue
        rows.append(measure(index, seeds))
    if not args.no_label_free and (not args.only or "nb05".startswith(args.only)):
        rows.extend(label_free_rows(seeds))
    if not args.no_scale and (not args.only or "scale:choose_eps".startswith(args.only)):
        rows.extend(scale_rows())
    if not args.no_notebooks and not args.only:
        for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
            print(f"  executing {path.name}", file=sys.stderr, flush=True)
            rows.append(time_notebook(path))

    import keras
    import sklearn
    import tensorflow as tf

    total = time.perf_counter() - started
    print(markdown_table(rows))
    print(
        f"\n{len(seeds)} seed(s) {seeds}; mean ± standard deviation over seeds. "
        f"Python {platform.python_version()}, tensorflow {tf.__version__}, keras {keras.__version__}, "
        f"scikit-learn {sklearn.__version__}; {platform.machine()}, {total:.0f} s in all."
    )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
