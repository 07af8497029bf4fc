"""Figures for the series, in one consistent, colour-blind-safe style.

Every function draws on a Matplotlib ``Axes`` (a new one if none is given)
and returns it, so figures can be combined with ``plt.subplots``. Noise
points (label ``-1``) are always small grey crosses.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from helpers._validation import check_features, check_float, check_labels

#: Okabe & Ito's colour-blind-safe palette (black left out: it is for text).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
#: Extra colours for more than seven clusters (the digits have ten).
EXTRA_COLOURS = ("#882255", "#44AA99", "#999933", "#332288", "#AA4499", "#117733", "#88CCEE", "#DDCC77")
NOISE_COLOUR = "#9E9E9E"


def use_style(dpi=80):
    """Apply the series' figure style (small PNGs, light grid, palette).

    Parameters
    ----------
    dpi : int, default=80
        Resolution of inline figures; 80 keeps notebooks small.
    """
    mpl.rcParams.update(
        {
            "figure.dpi": dpi,
            "savefig.dpi": dpi,
            "figure.figsize": (5.0, 3.6),
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 11,
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "legend.frameon": False,
        }
    )


def cluster_colours(n):
    """``n`` distinct colours: the palette first, then extras, then tab20."""
    colours = list(PALETTE + EXTRA_COLOURS)
    if n > len(colours):
        colours += [mpl.colors.to_hex(c) for c in plt.get_cmap("tab20").colors]
    return [colours[i % len(colours)] for i in range(n)]


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    return ax


def plot_history(history, ax=None, title="Training loss", log_scale=False):
    """Plot every loss recorded during training against the epoch.

    Parameters
    ----------
    history : keras.callbacks.History or dict of lists
        What :func:`helpers.training.train` returns, or its ``.history``.
    ax : matplotlib.axes.Axes, optional
    title : str, default="Training loss"
    log_scale : bool, default=False
        Use a logarithmic y-axis.

    Returns
    -------
    matplotlib.axes.Axes
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise ValueError("history must be a Keras History or a non-empty dict of lists")
    ax = _axes(ax)
    for key, values in logs.items():
        values = np.asarray(values, dtype=float)  # NaN allowed: a diverged run still plots
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"history[{key!r}] must be a non-empty list of numbers per epoch")
        ax.plot(np.arange(1, len(values) + 1), values, label=key)
    ax.set(xlabel="epoch", ylabel="loss", title=title)
    if log_scale:
        ax.set_yscale("log")
    if len(logs) > 1:
        ax.legend()
    return ax


def plot_clusters(X, labels, ax=None, title=None, xlabel="latent 1", ylabel="latent 2", legend=True):
    """Scatter 2-D points coloured by cluster; noise as grey crosses.

    Parameters
    ----------
    X : array-like of shape (n_samples, 2)
    labels : array-like of int, shape (n_samples,)
        Cluster labels or true classes; ``-1`` is drawn as noise.
    ax : matplotlib.axes.Axes, optional
    title, xlabel, ylabel : str
    legend : bool, default=True
        Show a legend (only when there are at most 12 groups).

    Returns
    -------
    matplotlib.axes.Axes
    """
    X = check_features(X, min_samples=1)
    if X.shape[1] != 2:
        raise ValueError(f"X must have exactly 2 columns to plot; got {X.shape[1]}")
    labels = check_labels(labels, n_samples=len(X))
    ax = _axes(ax)
    groups = [g for g in np.unique(labels) if g != -1]
    for colour, group in zip(cluster_colours(len(groups)), groups):
        members = labels == group
        ax.scatter(*X[members].T, s=10, color=colour, label=str(group), alpha=0.8)
    if np.any(labels == -1):
        noise = labels == -1
        ax.scatter(*X[noise].T, s=14, color=NOISE_COLOUR, marker="x", linewidths=0.8, label="noise")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    if legend and len(groups) <= 12:
        ax.legend(markerscale=1.5, fontsize=8, loc="best")
    return ax


def plot_k_distance(choice, ax=None, title=None):
    """The sorted k-distance curve with its knee and the chosen ``eps``.

    Parameters
    ----------
    choice : helpers.clustering.EpsChoice
        What :func:`helpers.clustering.choose_eps` returns.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    distances = choice.k_distances
    ax.plot(np.arange(len(distances)), distances, color=PALETTE[0], label="k-distance")
    ax.plot(choice.knee_index, choice.knee_eps, "o", color=PALETTE[1], label=f"knee ({choice.knee_eps:.2f})")
    ax.axhline(choice.eps, color=PALETTE[5], linestyle="--", label=f"chosen eps ({choice.eps:.2f})")
    if choice.stable_range is not None:
        ax.axhspan(*choice.stable_range, color=PALETTE[2], alpha=0.12, label="stable range")
    ax.set_yscale("log")
    ax.set(
        xlabel="points, sorted by k-distance",
        ylabel=f"distance to neighbour {choice.min_samples}",
        title=title or f"k-distance curve (min_samples={choice.min_samples})",
    )
    ax.legend(fontsize=8)
    return ax


def plot_eps_scan(choice, ax=None, title="Clusters found as eps grows"):
    """Number of clusters and noise share at each candidate ``eps``.

    Parameters
    ----------
    choice : helpers.clustering.EpsChoice
    ax : matplotlib.axes.Axes, optional
    title : str

    Returns
    -------
    matplotlib.axes.Axes
        The left axis (clusters); the noise share uses a twin right axis.
    """
    ax = _axes(ax)
    ax.step(choice.candidates, choice.n_clusters, where="mid", color=PALETTE[0], label="clusters")
    ax.set_xscale("log")
    ax.set(xlabel="eps (log scale)", ylabel=f"clusters (≥ {choice.min_cluster_fraction:.0%} of points)", title=title)
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.axvline(choice.eps, color=PALETTE[5], linestyle="--", label=f"chosen eps ({choice.eps:.2f})")
    if choice.stable_range is not None:
        ax.axvspan(*choice.stable_range, color=PALETTE[2], alpha=0.12, label="stable range")
    noise_ax = ax.twinx()
    noise_ax.plot(choice.candidates, choice.noise_fraction, color=NOISE_COLOUR, linestyle=":", label="noise share")
    noise_ax.set_ylabel("noise share", color=NOISE_COLOUR)
    noise_ax.set_ylim(0, max(0.05, float(choice.noise_fraction.max()) * 1.1))
    noise_ax.grid(False)
    handles = ax.get_legend_handles_labels()
    extra = noise_ax.get_legend_handles_labels()
    ax.legend(handles[0] + extra[0], handles[1] + extra[1], fontsize=8)
    return ax


def plot_reachability(optics, eps=None, labels=None, ax=None, title="Reachability plot"):
    """OPTICS' reachability plot: one bar per point, in OPTICS' order.

    Valleys are clusters (points reached by a short hop from their
    predecessor); peaks are the jumps between them. Bars are coloured by
    ``labels`` (noise grey); points with infinite reachability (the first
    of the ordering) are drawn as hatched bars to the top. The bars are
    ``ax.collections[0]`` (finite) and ``ax.collections[1]`` (infinite).

    Parameters
    ----------
    optics : sklearn.cluster.OPTICS
        A fitted estimator.
    eps : float, optional
        Draw this radius as a dashed line (a DBSCAN-style cut).
    labels : array-like of int, shape (n_samples,), optional
        Labels in the order of the *samples* (as ``fit_predict`` returns
        them); ``-1`` is noise. Without labels every bar is blue.
    ax : matplotlib.axes.Axes, optional
    title : str, default="Reachability plot"

    Returns
    -------
    matplotlib.axes.Axes
    """
    from helpers.clustering import _check_fitted_optics  # clustering does not import plotting

    optics = _check_fitted_optics(optics)
    order = optics.ordering_
    heights = optics.reachability_[order]
    finite = heights[np.isfinite(heights)]
    if finite.size == 0:
        raise ValueError("every reachability is infinite: nothing to plot (raise OPTICS' max_eps)")
    top = float(finite.max()) * 1.08
    if eps is not None:
        eps = check_float(eps, name="eps", low=0.0, low_inclusive=False)
        top = max(top, eps * 1.08)
    colours = np.array([PALETTE[0]] * len(order), dtype=object)
    if labels is not None:
        labels = check_labels(labels, n_samples=len(order))[order]
        groups = [g for g in np.unique(labels) if g != -1]
        for colour, group in zip(cluster_colours(len(groups)), groups):
            colours[labels == group] = colour
        colours[labels == -1] = NOISE_COLOUR
    ax = _axes(ax)
    infinite = ~np.isfinite(heights)
    heights = np.where(infinite, top, heights)
    # One collection of rectangles instead of ax.bar's one patch per point: several times faster.
    left = np.arange(len(order)) - 0.5
    corners = np.stack(
        [np.column_stack([left, np.zeros_like(heights)]), np.column_stack([left, heights]),
         np.column_stack([left + 1, heights]), np.column_stack([left + 1, np.zeros_like(heights)])],
        axis=1,
    )
    # Edges in the bar's own colour keep one-point peaks visible when a bar is narrower than a pixel.
    finite_colours = list(colours[~infinite])
    ax.add_collection(mpl.collections.PolyCollection(corners[~infinite], facecolors=finite_colours,
                                                     edgecolors=finite_colours, linewidths=0.6))
    if np.any(infinite):
        ax.add_collection(mpl.collections.PolyCollection(corners[infinite], facecolors=list(colours[infinite]),
                                                         hatch="//", alpha=0.4, linewidths=0))
    if eps is not None:
        ax.axhline(eps, color="black", linestyle="--", linewidth=1, label=f"eps = {eps:.3f}")
        ax.legend(fontsize=8, loc="upper right")
    ax.set_xlim(-0.5, len(order) - 0.5)
    ax.set_ylim(0, top)
    ax.set(xlabel="points in OPTICS order", ylabel="reachability distance", title=title)
    return ax


#: Axis label of each criterion :func:`helpers.clustering.choose_k` knows.
K_SCORE_LABELS = {"silhouette": "mean silhouette (higher is better)", "bic": "BIC (lower is better)"}


def plot_k_scores(choice, ax=None, title=None):
    """The score of every number of clusters tried, with the chosen ``k`` marked.

    Parameters
    ----------
    choice : helpers.clustering.KChoice
        What :func:`helpers.clustering.choose_k` returns.
    ax : matplotlib.axes.Axes, optional
    title : str, optional
        Defaults to the criterion and the chosen ``k``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not all(hasattr(choice, field) for field in ("k", "ks", "scores", "method")):
        raise TypeError(f"choice must be a KChoice from choose_k(); got {type(choice).__name__}")
    if choice.method not in K_SCORE_LABELS:
        raise ValueError(f"choice.method must be one of {sorted(K_SCORE_LABELS)}; got {choice.method!r}")
    ks = check_features(choice.ks, name="choice.ks", min_samples=1, ndim=1)
    scores = check_features(choice.scores, name="choice.scores", min_samples=len(ks), ndim=1)
    if len(scores) != len(ks) or choice.k not in ks:
        raise ValueError("choice.ks and choice.scores must have the same length and include choice.k")
    ax = _axes(ax)
    ax.plot(ks, scores, "o-", color=PALETTE[0], label=choice.method)
    ax.axvline(choice.k, color=PALETTE[5], linestyle="--", label=f"chosen k = {choice.k}")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    name = "Silhouette" if choice.method == "silhouette" else "BIC"
    title = title or f"{name} picks k = {choice.k}"
    ax.set(xlabel="number of clusters k", ylabel=K_SCORE_LABELS[choice.method], title=title)
    ax.legend(fontsize=8)
    return ax


def plot_confusion(y_true, labels, ax=None, title="Confusion matrix (clusters matched to classes)"):
    """Heat map of :func:`helpers.evaluation.matched_confusion`, counts written in the cells.

    Parameters
    ----------
    y_true : array-like of int, shape (n_samples,)
        True classes (rows).
    labels : array-like of int, shape (n_samples,)
        Cluster labels (columns, reordered to match the classes; unmatched
        clusters follow; noise is left out).
    ax : matplotlib.axes.Axes, optional
    title : str

    Returns
    -------
    matplotlib.axes.Axes
    """
    from helpers.evaluation import matched_confusion

    matrix, classes, clusters = matched_confusion(y_true, labels)
    ax = _axes(ax)
    ax.imshow(matrix, cmap="Blues")
    ax.grid(False)
    threshold = matrix.max() / 2 if matrix.size else 0
    for (i, j), count in np.ndenumerate(matrix):
        if count:
            ax.text(j, i, str(count), ha="center", va="center", fontsize=7,
                    color="white" if count > threshold else "black")
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in clusters], fontsize=8)
    ax.set_yticks(range(matrix.shape[0]), [str(c) for c in classes], fontsize=8)
    ax.set(xlabel="cluster (matched to the class in the same position)", ylabel="true class", title=title)
    return ax


def plot_digit_grid(images, labels, per_cluster=8, image_shape=(8, 8), random_state=0, ax=None, title=None):
    """A row of sample images for every cluster, drawn as one mosaic.

    Parameters
    ----------
    images : array-like of shape (n_samples, height * width)
        Flattened grey images (for example ``data.digits().X``).
    labels : array-like of int, shape (n_samples,)
        Cluster of each image; ``-1`` (noise) gets its own row.
    per_cluster : int, default=8
        Images shown per cluster (fewer if the cluster is smaller).
    image_shape : tuple of int, default=(8, 8)
    random_state : int, default=0
        Seed of the choice of images.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        Row labels give each cluster and its size.
    """
    from helpers._validation import check_int, check_seed

    images = check_features(images, name="images", min_samples=1)
    labels = check_labels(labels, n_samples=len(images))
    per_cluster = check_int(per_cluster, name="per_cluster", minimum=1)
    height, width = (check_int(v, name="image_shape", minimum=1) for v in image_shape)
    if height * width != images.shape[1]:
        raise ValueError(f"image_shape {image_shape} does not match {images.shape[1]} features per image")
    rng = np.random.default_rng(check_seed(random_state))
    groups = np.unique(labels)
    # One array, one imshow: a grid of subplots is slow to draw and large to store.
    cell_h, cell_w = height + 1, width + 1
    mosaic = np.full((len(groups) * cell_h - 1, per_cluster * cell_w - 1), np.nan)
    names = []
    for r, group in enumerate(groups):
        members = np.flatnonzero(labels == group)
        names.append(f"{group} ({members.size})")
        chosen = rng.choice(members, size=min(per_cluster, members.size), replace=False)
        for c, index in enumerate(chosen):
            mosaic[r * cell_h : r * cell_h + height, c * cell_w : c * cell_w + width] = images[index].reshape(height, width)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * per_cluster + 1.2, 0.45 * len(groups) + 0.6))
    ax.imshow(mosaic, cmap="gray_r", interpolation="nearest")
    ax.grid(False)
    ax.set_xticks([])
    ax.set_yticks(np.arange(len(groups)) * cell_h + (height - 1) / 2, names, fontsize=8)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title:
        ax.set_title(title)
    return ax


def plot_dec_history(history, axes=None, title="DEC training"):
    """DEC's training dynamics: labels changed per target update, and the losses.

    Parameters
    ----------
    history : DECResult or list of dict
        :func:`helpers.dec.fit_dec`'s result or its ``history``.
    axes : sequence of two matplotlib.axes.Axes, optional
    title : str

    Returns
    -------
    numpy.ndarray of two matplotlib.axes.Axes
    """
    history = getattr(history, "history", history)
    if not isinstance(history, list) or not history or not all(isinstance(h, dict) for h in history):
        raise ValueError("history must be a DECResult or its non-empty list of dicts")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9.0, 3.2))
    steps = [h["iteration"] for h in history]
    changed = np.array([h["label_change_fraction"] for h in history])
    axes[0].plot(steps, 100 * np.maximum(changed, 1e-3), marker=".")
    axes[0].set_yscale("log")
    axes[0].set(xlabel="gradient step", ylabel="labels changed (%)", title=f"{title}: label changes")
    for key in ("kl_loss", "reconstruction_loss"):
        if key in history[0]:
            axes[1].plot(steps, [h[key] for h in history], label=key.replace("_", " "))
    axes[1].set(xlabel="gradient step", ylabel="loss (mean over interval)", title=f"{title}: loss")
    axes[1].legend()
    return np.asarray(axes)
