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
TensorFlow's one-off import excluded; ``peak_mb`` is the peak resident memory
of this process while the pipeline ran (Linux), TensorFlow's runtime included.
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
# The pipelines, notebook by notebook. Each mirrors its notebook's final cells.


def nb01_autoencoder_dbscan(seed):
    import helpers
    from helpers import clustering, data, models, training

    helpers.set_seed(seed)
    blobs = data.blobs(random_state=FIRST_SEED)  # the article's data, fixed; the seed drives the network
    autoencoder, encoder = models.build_autoencoder(10, (5,), 2)
    training.train(autoencoder, blobs.X, epochs=40, batch_size=16, learning_rate=3e-3, progress=False)
    Z = training.encode(encoder, blobs.X)
    choice = clustering.choose_eps(Z)
    return blobs.y, clustering.cluster(Z, "dbscan", eps=choice.eps, min_samples=choice.min_samples)


def blobs_dbscan(seed):
    from helpers import clustering, data

    blobs = data.blobs(random_state=FIRST_SEED)
    choice = clustering.choose_eps(blobs.X)
    return blobs.y, clustering.cluster(blobs.X, "dbscan", eps=choice.eps, min_samples=choice.min_samples)


def blobs_kmeans(seed):
    from helpers import clustering, data

    blobs = data.blobs(random_state=FIRST_SEED)
    return blobs.y, clustering.cluster(blobs.X, "kmeans", n_clusters=3, random_state=seed)


def _vae_latents(seed):
    import helpers
    from helpers import data, models, training

    helpers.set_seed(seed)
    blobs = data.blobs(random_state=FIRST_SEED)
    vae, encoder, _ = models.build_vae(input_dim=10, hidden_units=(64,), latent_dim=2, beta=1.0, seed=seed)
    training.train(vae, blobs.X, target=None, epochs=40, batch_size=16, progress=False)
    z_mean, z_log_var = encoder.predict(blobs.X, verbose=0)
    return blobs.y, vae, z_mean, z_log_var


def nb02_vae_kmeans(seed):
    from helpers import clustering

    y, _, z_mean, _ = _vae_latents(seed)
    k = clustering.choose_k(z_mean, k_range=range(2, 9), method="silhouette", random_state=seed).k
    return y, clustering.cluster(z_mean, "kmeans", n_clusters=k, random_state=seed)


def nb02_vae_sampled_z_kmeans(seed):
    import keras

    from helpers import clustering

    y, vae, z_mean, z_log_var = _vae_latents(seed)
    z = keras.ops.convert_to_numpy(vae.sampler([z_mean, z_log_var]))  # the pitfall: a random draw
    return y, clustering.cluster(z, "kmeans", n_clusters=3, random_state=seed)


def nb02_autoencoder_kmeans(seed):
    import helpers
    from helpers import clustering, data, models, training

    helpers.set_seed(seed)
    blobs = data.blobs(random_state=FIRST_SEED)
    autoencoder, encoder = models.build_autoencoder(input_dim=10, hidden_units=(64,), latent_dim=2)
    training.train(autoencoder, blobs.X, epochs=40, batch_size=16, progress=False)
    code = training.encode(encoder, blobs.X)
    k = clustering.choose_k(code, range(2, 9), random_state=seed).k
    return blobs.y, clustering.cluster(code, "kmeans", n_clusters=k, random_state=seed)


# Notebook 04 runs with one BLAS/OpenMP thread (its setup cell); the rows below
# do the same. Stages shared by several rows (autoencoder pretraining, the
# contrastive embedding) are computed once per seed; each row's time includes
# the stages it uses.
_STAGES = {}


def _stage(name, seed, compute):
    if (name, seed) in _STAGES:
        result, seconds = _STAGES[name, seed]
        _REUSED_SECONDS.append(seconds)  # not in this row's own timing, so it is added to it
        return result
    start = time.perf_counter()
    result = compute(seed)
    _STAGES[name, seed] = (result, time.perf_counter() - start)
    return result


_REUSED_SECONDS = []  # filled by _stage, read and emptied by measure()


def _digits_autoencoder(seed):
    import helpers
    from helpers import data, models, training

    helpers.set_seed(seed)
    digits = data.digits()
    autoencoder, encoder = models.build_autoencoder(input_dim=64, hidden_units=(256, 128), latent_dim=10)
    training.train(autoencoder, digits.X, epochs=100, batch_size=256, learning_rate=1e-3, progress=False)
    return encoder, training.encode(encoder, digits.X)


def _digits_contrastive(seed):
    from sklearn.cluster import KMeans

    import helpers
    from helpers import contrastive, data, training

    helpers.set_seed(seed)
    X = data.digits().X
    neighbours = contrastive.nearest_neighbours(X, k=5)
    encoder = contrastive.build_contrastive_encoder(64, hidden_units=(256, 128), embedding_dim=16)
    contrastive.train_neighbour_contrastive(
        encoder, X, neighbours, epochs=100, batch_size=256, learning_rate=1e-3, temperature=0.5, random_state=seed
    )
    embedding = training.encode(encoder, X)
    kmeans = KMeans(n_clusters=10, n_init=20, random_state=seed).fit(embedding)
    return encoder, neighbours, kmeans


def _one_thread(function):
    def run(seed):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):
            return function(seed)

    run.__name__ = function.__name__
    return run


@_one_thread
def digits_kmeans(seed):
    from helpers import clustering, data

    digits = data.digits()
    return digits.y, clustering.cluster(digits.X, "kmeans", n_clusters=10, random_state=seed)


def _digits_pca(seed):
    from sklearn.decomposition import PCA

    from helpers import data

    return PCA(n_components=20, random_state=seed).fit_transform(data.digits().X)


@_one_thread
def digits_pca_kmeans(seed):
    from helpers import clustering, data

    return data.digits().y, clustering.cluster(_digits_pca(seed), "kmeans", n_clusters=10, random_state=seed)


@_one_thread
def digits_pca_gmm(seed):
    from helpers import clustering, data

    return data.digits().y, clustering.cluster(_digits_pca(seed), "gmm", n_clusters=10, n_init=3, random_state=seed)


@_one_thread
def digits_tsne_gmm(seed):
    from sklearn.manifold import TSNE

    from helpers import clustering, data

    digits = data.digits()
    embedding = TSNE(n_components=2, init="pca", random_state=seed).fit_transform(digits.X)
    return digits.y, clustering.cluster(embedding, "gmm", n_clusters=10, n_init=3, random_state=seed)


@_one_thread
def nb04_autoencoder_kmeans(seed):
    from helpers import clustering, data

    _, code = _stage("digits-autoencoder", seed, _digits_autoencoder)
    return data.digits().y, clustering.cluster(code, "kmeans", n_clusters=10, n_init=20, random_state=seed)


@_one_thread
def nb04_autoencoder_gmm(seed):
    from helpers import clustering, data

    _, code = _stage("digits-autoencoder", seed, _digits_autoencoder)
    return data.digits().y, clustering.cluster(code, "gmm", n_clusters=10, n_init=3, random_state=seed)


@_one_thread
def nb04_dec(seed):
    from helpers import data, dec

    encoder, _ = _stage("digits-autoencoder", seed, _digits_autoencoder)  # DEC fine-tunes it in place: run last
    digits = data.digits()
    result = dec.fit_dec(
        encoder, digits.X, n_clusters=10, random_state=seed, update_interval=8, tol=0.001,
        max_iterations=800, batch_size=256, learning_rate=1e-3,
    )
    return digits.y, result.labels


@_one_thread
def nb04_contrastive_kmeans(seed):
    from helpers import data

    _, _, kmeans = _stage("digits-contrastive", seed, _digits_contrastive)
    return data.digits().y, kmeans.labels_


@_one_thread
def nb04_contrastive_scan(seed):
    from helpers import contrastive, data

    encoder, neighbours, kmeans = _stage("digits-contrastive", seed, _digits_contrastive)
    digits = data.digits()
    result = contrastive.fit_scan_head(  # fine-tunes the encoder in place: run after the KMeans row
        encoder, digits.X, neighbours, kmeans.cluster_centers_, epochs=40, batch_size=128,
        learning_rate=1e-4, entropy_weight=5.0, random_state=seed,
    )
    return digits.y, result.labels


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
    autoencoder, encoder = models.build_autoencoder(
        X.shape[1], (64, 32, 16), 2, activation="relu", latent_activation="tanh", input_noise=input_noise
    )
    training.train(autoencoder, X, epochs=60, batch_size=32, learning_rate=1e-3, progress=False)
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
    from helpers import clustering, data

    moons = data.moons(random_state=FIRST_SEED)
    return moons.y, clustering.cluster(moons.X, "kmeans", n_clusters=2, random_state=seed)


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
    from helpers import clustering, data

    embedded = data.embedded_moons(random_state=FIRST_SEED)
    return embedded.y, clustering.cluster(embedded.X, "kmeans", n_clusters=2, random_state=seed)


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
    Pipeline("nb04:contrastive-kmeans", "digits", nb04_contrastive_kmeans),
    Pipeline("nb04", "digits", nb04_contrastive_scan),
    Pipeline("seed:1", "blobs", article_example_1),
    Pipeline("seed:2", "blobs", article_example_2, stochastic=False),
    Pipeline("seed:3", "moons", article_example_3),
]


# --------------------------------------------------------------------------
# Measuring


def _reset_peak_memory():
    try:  # Linux: writing 5 resets the process's peak resident set size
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _peak_memory_mb():
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


def measure(pipeline, seeds):
    """Run ``pipeline`` once per seed (once if deterministic) and summarise."""
    from helpers import evaluation

    seeds = seeds if pipeline.stochastic else seeds[:1]
    scores, seconds, peaks = [], [], []
    for seed in seeds:
        _reset_peak_memory()
        _REUSED_SECONDS.clear()
        start = time.perf_counter()
        try:
            y, labels = pipeline.run(seed)
        except DoesNotRun as reason:
            return {"pipeline": pipeline.name, "dataset": pipeline.dataset, "status": str(reason), "seeds": seeds}
        seconds.append(time.perf_counter() - start + sum(_REUSED_SECONDS))
        peaks.append(_peak_memory_mb())
        scores.append(evaluation.evaluate(y, labels))
        print(f"  {pipeline.name:18s} {pipeline.dataset:10s} seed {seed}: ARI {scores[-1]['ari']:.3f} "
              f"({seconds[-1]:.1f} s)", file=sys.stderr, flush=True)
    row = {"pipeline": pipeline.name, "dataset": pipeline.dataset, "status": "ok", "seeds": seeds}
    for key in evaluation.METRICS:
        row[key], row[f"{key}_std"] = _summary([s[key] for s in scores])
        row[f"{key}_per_seed"] = [s[key] for s in scores]
    row["seconds"], row["seconds_std"] = _summary(seconds)
    row["peak_mb"] = max(peaks)
    return row


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
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")

    sys.path.insert(0, str(ROOT))
    import helpers  # noqa: F401  (fails early, with a clear message, if not installed)
    from helpers._tensorflow import load_keras

    load_keras()  # import TensorFlow once, outside every pipeline's timing
    seeds = [FIRST_SEED + i for i in range(args.seeds)]
    started = time.perf_counter()
    rows = []
    for pipeline in PIPELINES:
        if args.only and not pipeline.name.startswith(args.only):
            continue
        rows.append(measure(pipeline, seeds))
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
