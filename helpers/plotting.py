"""Figures for the series, in one consistent, colour-blind-safe style.

Every function draws on a Matplotlib ``Axes`` (a new one if none is given)
and returns it, so figures can be combined with ``plt.subplots``. Noise
points (label ``-1``) are always small grey crosses.

Labels may be text too, as :func:`helpers.evaluation.match_labels` returns
them for text classes: the class names, with the integer ``-1`` for noise
(drawn as noise, exactly as among integer labels). Text classes are coloured
and listed in sorted order, as integer labels are in ascending order; the
clusters ``match_labels`` leaves without a class (``"extra 1"``,
``"extra 2"``, ...) come after them, as their ids do for integer classes.
"""

from __future__ import annotations

import math
import re

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from helpers._validation import (check_classes, check_cluster_labels, check_features, check_float, check_int,
                                 check_k_range, check_labels, check_seed, check_two_columns, dtype_kind,
                                 is_noise_label, is_plain_number)

#: Ten colours for ten classes (the digits), distinct for colour-blind readers:
#: Okabe & Ito's seven, then Paul Tol's indigo and wine and a dark red. Under
#: simulated protanopia and deuteranopia (Machado et al. 2009) every pair
#: stays at least 11 CIEDE2000 units apart, as far apart as Okabe & Ito's own
#: closest pair (orange and yellow); no colour is grey (grey is noise).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#332288", "#882255", "#960000")
#: Further colours for more than ten clusters (not colour-blind-safe any more:
#: use ``plot_clusters(..., annotate=True)`` to name the clusters on the plot).
EXTRA_COLOURS = ("#44AA99", "#999933", "#AA4499", "#117733", "#88CCEE", "#DDCC77", "#CC6677")
NOISE_COLOUR = "#9E9E9E"
#: How a figure beside a truth heads its clusters: each entry "→ 3" is a cluster, named after the class it
#: is matched to (the legend of plot_clusters and plot_reachability, the rows of plot_digit_grid).
MATCHED_TITLE = "cluster → matched class"


def use_style():
    """Apply the series' figure style (readable fonts, light grid, palette, 120 dpi inline and saved)."""
    mpl.rcParams.update(
        {
            "figure.dpi": 120,
            "savefig.dpi": 120,
            "figure.figsize": (5.0, 3.6),
            "font.size": 10,
            "axes.labelsize": 10,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "legend.fontsize": 9,
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
    """``n`` colours: the palette first, then extras, then tab20 without its greys.

    Colours repeat only beyond 35 clusters.
    """
    colours = list(PALETTE + EXTRA_COLOURS)
    if n > len(colours):
        more = [mpl.colors.to_hex(c) for c in plt.get_cmap("tab20").colors]
        colours += [c for c in more if len(set(c[1:].upper()[i : i + 2] for i in (0, 2, 4))) > 1]  # no greys
    return [colours[i % len(colours)] for i in range(n)]


def _plain_log_axis(axis):
    """Label a log axis at 1, 2 and 5 times powers of ten, in plain numbers (0.5, 1, 2), not 10^x."""
    axis.set_major_locator(mpl.ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(mpl.ticker.FuncFormatter(lambda value, _: f"{value:g}"))
    axis.set_minor_formatter(mpl.ticker.NullFormatter())


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _legend_right(ax, *args, **kwargs):
    """The legend to the right of the axes, off the data."""
    return ax.legend(*args, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0, fontsize=9, **kwargs)


def _image_side(images, name):
    """The side of the square images that are the rows of ``images`` (64 pixels: 8 x 8, as the digits)."""
    side = math.isqrt(images.shape[1])
    if side * side != images.shape[1]:
        raise ValueError(f"{name} must hold square images, one per row; {images.shape[1]} pixels is not a square")
    return side


def _draw_mosaic(ax, mosaic):
    """Images laid out in one array (NaN between them): one imshow, no grid, spines or tick marks."""
    ax.imshow(mosaic, cmap="gray_r", interpolation="nearest")
    ax.grid(False)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def plot_history(history, ax=None, title="Training loss", log_scale=False):
    """Plot every loss recorded during training against the epoch.

    Parameters
    ----------
    history : keras.callbacks.History or dict of lists
        What ``model.fit`` returns, or
        its ``.history``. Every key gets its own curve in the one figure
        (for a VAE: ``loss``, ``reconstruction_loss`` and ``kl_loss``).
    ax : matplotlib.axes.Axes, optional
    title : str, default="Training loss"
    log_scale : bool, default=False
        Use a logarithmic y-axis (every loss must then be positive; a
        Gaussian negative log-likelihood, for one, can go below 0).

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
        if log_scale and np.any(values <= 0):  # a log axis would drop them without a word
            raise ValueError(f"history[{key!r}] has values <= 0 (smallest {np.nanmin(values):g}), which a log axis "
                             f"cannot show: plot it with log_scale=False")
        ax.plot(np.arange(1, len(values) + 1), values, label=key)
    ax.set(xlabel="epoch", ylabel="loss", title=title)
    if log_scale:
        ax.set_yscale("log")
    if len(logs) > 1:  # to the right of the axes, off the curves
        _legend_right(ax)
    return ax


def _cluster_groups(labels, truth=None, names=None):
    """``(mask, name, colour)`` of every cluster in drawing order; noise left out.

    Without ``truth`` the groups are the label values in ascending order and
    take the palette in that order (``names[g]`` names group ``g`` when given:
    the classes behind integer codes). With ``truth`` each cluster is renamed
    and coloured after the class it is matched to (Hungarian, as for
    accuracy), so it gets exactly the colour that class gets when the truth
    itself is drawn; unmatched clusters take the colours after the classes'.
    """
    if truth is None:
        groups = [g for g in np.unique(labels) if g != -1]
        return [(labels == g, str(g if names is None else names[g]), colour)
                for g, colour in zip(groups, cluster_colours(len(groups)))]
    from helpers.evaluation import _check_matchable, _matched_codes  # evaluation does not import plotting

    # text classes become codes 0, 1, ...; classes holds their names
    codes, classes, labels = _check_matchable(truth, labels, name="truth", n_samples=len(labels))
    matched = _matched_codes(codes, classes.size, labels)  # class codes; surplus clusters after them
    extra = [g for g in np.unique(matched) if g >= classes.size]  # largest surplus cluster first
    colours = cluster_colours(classes.size + len(extra))
    groups = [(matched == c, f"→ {name}", colour) for c, (name, colour) in enumerate(zip(classes, colours))]
    groups += [(matched == g, f"extra {i + 1}", colours[classes.size + i]) for i, g in enumerate(extra)]
    return [group for group in groups if group[0].any()]


def _extra_number(name):
    """``n`` for ``"extra n"``, the name :func:`helpers.evaluation.match_labels` gives a cluster left without a
    text class; ``None`` for any other class."""
    match = re.fullmatch(r"extra ([1-9][0-9]*)", name) if isinstance(name, str) else None
    return int(match.group(1)) if match else None


def _labels_or_classes(labels, n_samples=None):
    """``(integer labels, None)`` for numbers, as :func:`check_cluster_labels` gives them; for text or other
    class labels (true classes drawn as clusters, or :func:`helpers.evaluation.match_labels`' matched
    names), ``(their codes, the classes)``: ``classes[code]`` names each group, and code ``-1`` is noise.

    Among text, the integer ``-1`` (``match_labels``' noise) is noise, as among numbers; the text ``"-1"``
    is a class. The classes keep :func:`check_classes`' sorted order, except that ``"extra 1"``,
    ``"extra 2"``, ... (``match_labels``' clusters without a class) follow the others, in their order.
    Numbers held as objects (an object array of integers) are read as numbers."""
    if dtype_kind(labels) in "iuf":  # booleans are two classes, False and True, as evaluate reads them
        return check_cluster_labels(labels, n_samples=n_samples), None
    codes, classes = check_classes(labels, name="labels", n_samples=n_samples)
    values = classes.tolist()
    if classes.dtype == object and all(is_plain_number(v) for v in values):
        return check_cluster_labels(labels, n_samples=n_samples), None  # numbers as objects: -1 is noise
    noise = np.array([is_noise_label(v) for v in values], dtype=bool)
    extras = [_extra_number(v) or 0 for v in values]  # n for "extra n" (from 1), 0 for a class
    kept = [i for i in range(len(values)) if not noise[i]]
    kept.sort(key=lambda i: extras[i])  # classes first, in their order (a stable sort); then extra 1, 2, ...
    new_code = np.full(len(values), -1, dtype=np.int64)
    new_code[kept] = np.arange(len(kept))
    return new_code[codes], classes[kept]


def point_colours(labels, truth=None):
    """The colour :func:`plot_clusters` gives each point, as hex strings.

    Parameters
    ----------
    labels : array-like, shape (n_samples,)
        Cluster labels (integers; ``-1`` is noise, grey) or true classes
        (integers or text; among text the integer ``-1`` is noise, as
        ``evaluation.match_labels`` gives it).
    truth : array-like, shape (n_samples,), optional
        True classes (integers or text). When given, a cluster matched to
        class ``c`` gets the colour ``point_colours(truth)`` gives class ``c``.

    Returns
    -------
    numpy.ndarray of str, shape (n_samples,)
    """
    labels, names = _labels_or_classes(labels)
    return _group_colours(_cluster_groups(labels, truth, names), len(labels))


def _group_colours(groups, n_samples):
    """The colour of every point, from :func:`_cluster_groups`' ``(mask, name, colour)``; noise grey."""
    colours = np.full(n_samples, NOISE_COLOUR, dtype=object)
    for members, _, colour in groups:
        colours[members] = colour
    return colours


#: Up to this many points, plot_clusters draws markers at full size; beyond it they shrink.
MANY_POINTS = 5000


def plot_clusters(X, labels, ax=None, title=None, xlabel="latent 1", ylabel="latent 2", legend=True,
                  truth=None, annotate=False):
    """Scatter 2-D points coloured by cluster; noise as grey crosses.

    Parameters
    ----------
    X : array-like of shape (n_samples, 2)
    labels : array-like, shape (n_samples,), or None
        None draws every point in one colour, without a legend (a code
        before any clustering). Else cluster labels (integers; ``-1`` is drawn as noise) or true classes
        (integers, booleans or text, e.g. ``"barolo"``). Classes coded
        ``-1`` and ``1`` would draw ``-1`` as noise: pass them as text,
        ``np.asarray(y).astype(str)``. Among text labels the *integer*
        ``-1`` is noise (what ``evaluation.match_labels`` gives for text
        classes), the text ``"-1"`` a class. Groups are coloured and listed
        in ascending order (text sorted; ``match_labels``' ``"extra 1"``,
        ``"extra 2"``, ... after the classes), noise last.
    ax : matplotlib.axes.Axes, optional
    title, xlabel, ylabel : str
    legend : bool, default=True
        Show a legend to the right of the axes (only when there are at
        most 12 groups).
    truth : array-like, shape (n_samples,), optional
        True classes (integers or text). When given, clusters are matched to the classes as
        for accuracy (Hungarian) and drawn in their class's colour, the
        colour ``plot_clusters(X, truth)`` uses: beside the truth, equal
        colour means agreement. Under the heading "cluster → matched class"
        the legend reads ``→ 3`` for the cluster
        matched to class 3; clusters left without a class are ``extra 1``,
        ``extra 2``, ... (largest first) in further colours.
    annotate : bool, default=False
        Write each group's name (its class, when matched) at the median of
        its points, so groups can be told apart without colour.

    Notes
    -----
    Beyond ``MANY_POINTS`` (5,000) points the markers' area shrinks in
    proportion (a tenth at 50,000 points), so the clusters of a big table
    do not merge into solid blocks; the legend keeps its markers' size.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if np.ndim(X) == 1 and np.ndim(labels) == 2:
        raise ValueError(f"plot_clusters takes the points first, then their labels: got a 1-D first argument (shape "
                         f"{np.shape(X)}) and a 2-D second one (shape {np.shape(labels)}); swap them")
    X = check_features(X, min_samples=1)
    check_two_columns(X)
    if labels is None:  # the points alone, before any clustering: one group, nothing to list
        if truth is not None:
            raise ValueError("truth needs cluster labels to match to it: pass labels, or plot the classes alone "
                             "with plot_clusters(X, truth)")
        labels, legend = np.zeros(len(X), dtype=np.int64), False
    labels, names = _labels_or_classes(labels, n_samples=len(X))
    groups = _cluster_groups(labels, truth, names)
    ax = _axes(ax)
    # Beyond MANY_POINTS the markers' area shrinks in proportion, so a big table gets the ink of MANY_POINTS
    # points and its clusters do not merge into solid blocks; the legend's markers keep their size.
    shrink = min(1.0, MANY_POINTS / len(X))
    for members, name, colour in groups:
        ax.scatter(*X[members].T, s=10 * shrink, color=colour, label=name, alpha=0.85, linewidths=0)
    if np.any(labels == -1):
        noise = labels == -1
        ax.scatter(*X[noise].T, s=14 * shrink, color=NOISE_COLOUR, marker="x", linewidths=0.8 * math.sqrt(shrink),
                   label="noise")
    if annotate:
        from matplotlib import patheffects

        for members, name, _ in groups:
            ax.text(*np.median(X[members], axis=0), name.removeprefix("→ "), ha="center", va="center", fontsize=10,
                    fontweight="bold", path_effects=[patheffects.withStroke(linewidth=3, foreground="white")])
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    if legend and len(groups) <= 12:
        _legend_right(ax, markerscale=1.5 / math.sqrt(shrink), title=MATCHED_TITLE if truth is not None else None,
                      title_fontsize=9)
    return ax


def _check_band(band):
    """``band`` as a (low, high) pair of finite numbers with low <= high, or None: a range of radii to shade."""
    if band is None:
        return None
    try:
        low, high = band
    except (TypeError, ValueError):
        raise ValueError(f"band must be a (low, high) pair of radii, as EpsChoice.stable_range holds; got {band!r}") \
            from None
    low, high = (check_float(value, name="band") for value in (low, high))
    if low > high:
        raise ValueError(f"band must be (low, high) with low <= high; got ({low:g}, {high:g})")
    return low, high


def plot_k_distance(k_distances, eps=None, *, knee_index=None, band=None, min_samples=None, ax=None, title=None):
    """The sorted k-distance curve, with its knee, a chosen ``eps`` and a band of radii.

    Parameters
    ----------
    k_distances : array-like of shape (n_samples,)
        Each point's distance to its ``min_samples``-th neighbour, sorted ascending.
    eps : float, optional
        A chosen radius, drawn as a dashed line.
    knee_index : int, optional
        Position of the knee on the curve, drawn as a dot.
    band : tuple of float, optional
        ``(low, high)``: a range of radii to shade (e.g. the run that gave ``eps``).
    min_samples : int, optional
        Named in the axis label and the default title.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    distances = check_features(k_distances, name="k_distances", min_samples=2, ndim=1)
    band = _check_band(band)
    if np.any(np.diff(distances) < 0):
        raise ValueError("k_distances must be sorted in ascending order")
    if eps is not None:
        eps = check_float(eps, name="eps", low=0.0, low_inclusive=False)
    ax = _axes(ax)
    # A log axis has no 0: repeated rows (k-distance 0) are drawn at its floor, and the legend says so.
    positive = distances[distances > 0]
    floor = 0.5 * float(positive.min()) if positive.size else (eps if eps is not None else 1.0) / 100
    zeros = int(np.count_nonzero(distances == 0))
    ax.plot(np.arange(len(distances)), np.maximum(distances, floor), color=PALETTE[0],
            label=f"k-distance ({zeros} at 0, drawn at the bottom)" if zeros else "k-distance")
    if knee_index is not None:
        knee_index = check_int(knee_index, name="knee_index", minimum=0, maximum=len(distances) - 1)
        knee = float(distances[knee_index])
        ax.plot(knee_index, max(knee, floor), "o", color=PALETTE[1], label=f"knee ({knee:.3g})")
    if eps is not None:
        ax.axhline(eps, color=PALETTE[5], linestyle="--", label=f"chosen eps ({eps:.3g})")
    if band is not None:
        ax.axhspan(*band, color=PALETTE[2], alpha=0.12, label="stable range")
    ax.set_yscale("log")
    if zeros:  # the floor, and the eps and band drawn, in view
        ax.set_ylim(bottom=0.8 * min([floor] + ([eps] if eps is not None else []) +
                                     ([band[0]] if band is not None and band[0] > 0 else [])))
    _plain_log_axis(ax.yaxis)
    neighbour = f"neighbour {min_samples}" if min_samples is not None else "the k-th neighbour"
    ax.set(
        xlabel="points, sorted by k-distance",
        ylabel=f"distance to {neighbour}",
        title=title or ("k-distance curve" + (f" (min_samples={min_samples})" if min_samples is not None else "")),
    )
    _legend_right(ax)
    return ax


def plot_eps_scan(candidates, n_clusters, noise_fraction, eps=None, *, band=None, min_cluster_fraction=None, ax=None,
                  title="Clusters found as eps grows"):
    """Number of clusters and noise share at each radius a rule for ``eps`` tried.

    Parameters
    ----------
    candidates : array-like of shape (n,)
        The radii tried, ascending.
    n_clusters : array-like of int, shape (n,)
        Clusters counted at each radius.
    noise_fraction : array-like of shape (n,)
        Share of points called noise at each radius (drawn on a twin right axis).
    eps : float, optional
        The chosen radius, drawn as a dashed line.
    band : tuple of float, optional
        ``(low, high)``: the range of radii that gave the chosen clustering, shaded.
    min_cluster_fraction : float, optional
        Smallest share of points a counted cluster held (named in the axis label).
    ax : matplotlib.axes.Axes, optional
    title : str

    Returns
    -------
    matplotlib.axes.Axes
        The left axis (clusters); the noise share uses a twin right axis.
    """
    candidates = check_features(candidates, name="candidates", min_samples=2, ndim=1)
    counts = check_labels(n_clusters, name="n_clusters", n_samples=len(candidates))
    noise = check_features(noise_fraction, name="noise_fraction", min_samples=1, ndim=1)
    if len(noise) != len(candidates):
        raise ValueError(f"noise_fraction has {len(noise)} entries but there are {len(candidates)} candidates")
    if np.any((noise < 0) | (noise > 1)):  # 30 for 30 % would draw an axis up to 3,000 %
        raise ValueError(f"noise_fraction holds shares of the points, in [0, 1]; got values from {noise.min():g} to "
                         f"{noise.max():g}" + (" (percentages? divide by 100)" if noise.max() <= 100 else ""))
    if np.any(counts < 0):
        raise ValueError(f"n_clusters counts clusters, 0 or more; got {counts.min()}")
    band = _check_band(band)
    ax = _axes(ax)
    ax.step(candidates, counts, where="mid", color=PALETTE[0], label="clusters")
    ax.set_xscale("log")
    _plain_log_axis(ax.xaxis)
    if min_cluster_fraction is not None:  # a share of the points: 5, meant as 5 %, would read "500%"
        min_cluster_fraction = check_float(min_cluster_fraction, name="min_cluster_fraction", low=0.0, high=1.0,
                                           low_inclusive=False)
    share = f" (≥ {100 * min_cluster_fraction:.3g}% of points)" if min_cluster_fraction is not None else ""
    ax.set(xlabel="eps (log scale)", ylabel="clusters" + share, title=title)
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    if eps is not None:
        eps = check_float(eps, name="eps", low=0.0, low_inclusive=False)
        ax.axvline(eps, color=PALETTE[5], linestyle="--", label=f"chosen eps ({eps:.3g})")
    if band is not None:
        ax.axvspan(*band, color=PALETTE[2], alpha=0.12, label="stable range")
    noise_ax = ax.twinx()
    noise_ax.plot(candidates, noise, color=NOISE_COLOUR, linestyle=":", label="noise share")
    noise_ax.set_ylabel("noise share", color=NOISE_COLOUR)
    noise_ax.set_ylim(0, max(0.05, float(noise.max()) * 1.1))
    noise_ax.grid(False)
    handles = ax.get_legend_handles_labels()
    extra = noise_ax.get_legend_handles_labels()
    # Below the axes: the twin axis' labels take the right-hand side.
    ax.legend(handles[0] + extra[0], handles[1] + extra[1], loc="upper center", bbox_to_anchor=(0.5, -0.2),
              ncol=2, fontsize=9)
    return ax


def plot_reachability(optics, eps=None, labels=None, ax=None, title="Reachability plot", legend_title=None,
                      truth=None):
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
    labels : array-like, shape (n_samples,), optional
        Labels in the order of the *samples* (as ``fit_predict`` returns
        them); ``-1`` is noise. Integers, or text such as
        ``evaluation.match_labels(y, labels)`` gives for text classes (the
        class names, the integer ``-1`` for noise), coloured as
        :func:`plot_clusters` colours them. Without labels every bar is blue.
    ax : matplotlib.axes.Axes, optional
    title : str, default="Reachability plot"
    legend_title : str, optional
        Heading of the legend, which names each group's colour beside the
        ``eps`` line and noise (the groups only up to 12: beyond, the colours
        go unnamed and the heading with them): say what the colours are,
        e.g. ``"true moon"``. Default: ``"cluster → matched class"`` with ``truth``.
    truth : array-like of shape (n_samples,), optional
        True classes (in the order of the samples): each cluster is coloured
        and named after the class it is matched to (``"→ 0"``, ``"extra 1"``),
        exactly as :func:`plot_clusters` with the same ``truth`` draws it.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from helpers.clustering import check_fitted_optics  # clustering does not import plotting

    optics = check_fitted_optics(optics)
    order = optics.ordering_
    heights = optics.reachability_[order]
    finite = heights[np.isfinite(heights)]
    top = float(finite.max()) * 1.08
    if eps is not None:
        eps = check_float(eps, name="eps", low=0.0, low_inclusive=False)
        top = max(top, eps * 1.08)
    groups, noise = [], False
    if labels is None:
        if truth is not None:
            raise ValueError("truth needs cluster labels to match to it: pass labels, or colour the bars by the "
                             "classes themselves with labels=truth")
        colours = np.array([PALETTE[0]] * len(order), dtype=object)
    else:  # as plot_clusters colours the same labels (text too: match_labels' names, -1 for noise)
        codes, names = _labels_or_classes(labels, n_samples=len(order))
        groups, noise = _cluster_groups(codes, truth, names), bool(np.any(codes == -1))
        colours = _group_colours(groups, len(codes))[order]
        legend_title = MATCHED_TITLE if legend_title is None and truth is not None else legend_title
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
    handles = []
    if eps is not None:
        handles.append(ax.axhline(eps, color="black", linestyle="--", linewidth=1, label=f"eps = {eps:.3f}"))
    named = len(groups) <= 12  # name each colour, as plot_clusters' legend does (a legend of dozens names nothing)
    handles += [mpl.patches.Patch(color=colour, label=name) for _, name, colour in groups] if named else []
    handles += [mpl.patches.Patch(color=NOISE_COLOUR, label="noise")] if noise else []
    if handles:
        _legend_right(ax, handles=handles, title=legend_title if named and groups else None, title_fontsize=9)
    ax.set_xlim(-0.5, len(order) - 0.5)
    ax.set_ylim(0, top)
    ax.set(xlabel="points in OPTICS order", ylabel="reachability distance", title=title)
    return ax


#: Axis label of each criterion :func:`plot_k_scores` knows, and whether the best score is the highest.
K_SCORE_LABELS = {"silhouette": "mean silhouette (higher is better)", "bic": "BIC (lower is better)"}


def best_k(ks, scores, method):
    """The ``k`` with the best score: the highest mean silhouette, or the lowest BIC.

    Parameters
    ----------
    ks : sequence of int
        The numbers of clusters tried: whole numbers >= 1, no repeats, at
        least two (the convention of every k range in the package).
    scores : sequence of float
        The score of each, in the same order; NaN marks a k not measured
        (the silhouette of one cluster) and is passed over.
    method : {"silhouette", "bic"}

    Returns
    -------
    int
        On a tie, the smallest of the tied ks.

    Raises
    ------
    TypeError
        If a k is not an integer or a score not a number.
    ValueError
        If a k is below 1 or repeated, fewer than two are given, the
        lengths differ, a score is infinite, none is measured or the
        method is unknown.
    """
    ks, scores = _check_k_scores(ks, scores, method)
    return int(ks[np.nanargmax(scores) if method == "silhouette" else np.nanargmin(scores)])


def _check_k_scores(ks, scores, method):
    if method not in K_SCORE_LABELS:
        raise ValueError(f"method must be one of {sorted(K_SCORE_LABELS)}; got {method!r}")
    ks = _check_ks(ks)
    unmeasured = infinite = np.False_
    if dtype_kind(scores) == "f":  # NaN marks a k not measured (the silhouette of one cluster)
        scores = np.asarray(scores)
        unmeasured, infinite = np.isnan(scores), np.isinf(scores)
        scores = np.where(unmeasured | infinite, 0.0, scores)  # stand-ins past check_features, judged below
    scores = check_features(scores, name="scores", min_samples=1, ndim=1)  # names text and ragged input
    if len(scores) != len(ks):
        raise ValueError(f"ks and scores must have the same length; got {len(ks)} and {len(scores)}")
    if infinite.any():
        raise ValueError(f"scores has an infinite value at k = {ks[infinite][0]}: a score is a finite number, "
                         f"or NaN for a k not measured")
    if unmeasured.all():
        raise ValueError("scores are all NaN, so no k was measured: score at least one k")
    order = np.argsort(ks)  # drawn from left to right whatever order they were tried in
    return ks[order], np.where(unmeasured, np.nan, scores)[order]


def _check_ks(ks):
    """``ks`` in their own order (one score each), by the package's k convention (:func:`check_k_range`)."""
    try:
        ks = list(ks)  # read a generator once
    except TypeError:
        pass  # check_k_range names the problem
    distinct = check_k_range(ks, minimum=1, name="ks")  # whole numbers >= 1, at least two different
    ks = np.array([int(k) for k in ks], dtype=np.int64)
    if len(distinct) != len(ks):  # two scores for one k: which one counts?
        raise ValueError(f"ks must not repeat a value; got {ks.tolist()}")
    return ks


def plot_k_scores(ks, scores, method, ax=None, title=None):
    """The score of every number of clusters tried, with the best ``k`` marked.

    Parameters
    ----------
    ks : sequence of int
        The numbers of clusters tried.
    scores : sequence of float
        The score of each: mean silhouette (higher is better) or BIC (lower is better);
        NaN for a k not measured leaves a gap. The points are drawn in order of k.
    method : {"silhouette", "bic"}
    ax : matplotlib.axes.Axes, optional
    title : str, optional
        Defaults to the criterion and the ``k`` it picks.

    Returns
    -------
    matplotlib.axes.Axes
    """
    k = best_k(ks, scores, method)
    ks, scores = _check_k_scores(ks, scores, method)
    ax = _axes(ax)
    ax.plot(ks, scores, "o-", color=PALETTE[0], label=method)
    ax.axvline(k, color=PALETTE[5], linestyle="--", label=f"chosen k = {k}")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    name = "Silhouette" if method == "silhouette" else "BIC"
    title = title or f"{name} picks k = {k}"
    ax.set(xlabel="number of clusters k", ylabel=K_SCORE_LABELS[method], title=title)
    _legend_right(ax)
    return ax


def plot_confusion(y_true, labels, ax=None, title="Confusion matrix (clusters matched to classes)"):
    """Heat map of :func:`helpers.evaluation.matched_confusion`, counts written in the cells.

    Parameters
    ----------
    y_true : array-like, shape (n_samples,)
        True classes (rows): integers or text.
    labels : array-like, shape (n_samples,)
        Cluster labels (columns, reordered to match the classes; unmatched
        clusters follow; noise is left out): integers, or text as
        :func:`helpers.evaluation.match_labels` gives them for text classes
        (class names, the integer ``-1`` for noise), each column named so.
    ax : matplotlib.axes.Axes, optional
    title : str

    Returns
    -------
    matplotlib.axes.Axes
    """
    from helpers.evaluation import matched_confusion

    codes, names = _labels_or_classes(labels)  # names: None for integer clusters
    matrix, classes, clusters = matched_confusion(y_true, codes)
    if names is not None:  # each column named as its text label was ("-1": a class with no cluster)
        clusters = np.array([names[c] if c >= 0 else c for c in clusters], dtype=object)
    ax = _axes(ax)
    ax.imshow(matrix, cmap="Blues")
    ax.grid(False)
    threshold = matrix.max() / 2 if matrix.size else 0
    for (i, j), count in np.ndenumerate(matrix):
        if count:
            ax.text(j, i, str(count), ha="center", va="center", fontsize=8,
                    color="white" if count > threshold else "black")
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in clusters], fontsize=9)
    ax.set_yticks(range(matrix.shape[0]), [str(c) for c in classes], fontsize=9)
    ax.set(xlabel="cluster (matched to the class in the same position)", ylabel="true class", title=title)
    return ax


def plot_digit_grid(images, labels, per_cluster=8, random_state=0, ax=None, title=None, truth=None):
    """A row of sample images for every cluster, drawn as one mosaic.

    Parameters
    ----------
    images : array-like of shape (n_samples, side * side)
        Flattened square grey images (for example ``data.digits().X``, 8 x 8).
    labels : array-like, shape (n_samples,)
        Cluster of each image; ``-1`` (noise) gets its own row. Text labels
        (``match_labels``' class names, the integer ``-1`` for noise) name
        their rows, in the order :func:`plot_clusters` lists them.
    per_cluster : int, default=8
        Images shown per cluster (fewer if the cluster is smaller).
    random_state : int, default=0
        Seed of the choice of images.
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    truth : array-like of int, shape (n_samples,), optional
        True classes. When given, each row is labelled by the class its
        cluster is matched to (``→ 3 (180)``: matched to 3, 180 members;
        Hungarian matching, as for accuracy) and rows follow the classes;
        unmatched clusters (``extra 1``, ...) come next, noise last. Every
        image shown whose true class is not the one its cluster is matched
        to (the confusion matrix's off-diagonal digits) is framed.

    Returns
    -------
    matplotlib.axes.Axes
        Row labels give each cluster (or matched class) and its size; the
        frames are ``matplotlib.patches.Rectangle`` patches of ``ax``.
    """
    images = check_features(images, name="images", min_samples=1)
    labels, names = _labels_or_classes(labels, n_samples=len(images))  # text: match_labels' names, -1 noise
    per_cluster = check_int(per_cluster, name="per_cluster", minimum=1)
    height = width = _image_side(images, "images")
    rng = np.random.default_rng(check_seed(random_state))
    groups = [(mask, name) for mask, name, _ in _cluster_groups(labels, truth, names)]
    if np.any(labels == -1):
        groups.append((labels == -1, "noise"))
    misplaced = np.zeros(len(labels), dtype=bool)
    if truth is not None:  # an image of another class than the one its cluster is matched to
        from helpers.evaluation import match_labels  # evaluation does not import plotting

        misplaced = (match_labels(truth, labels) != np.asarray(truth)) & (labels != -1)  # noise is no mistake
    # One array, one imshow: a grid of subplots is slow to draw and large to store.
    cell_h, cell_w = height + 1, width + 1
    mosaic = np.full((len(groups) * cell_h - 1, per_cluster * cell_w - 1), np.nan)
    names, frames = [], []
    for r, (mask, name) in enumerate(groups):
        members = np.flatnonzero(mask)
        names.append(f"{name} ({members.size})")
        chosen = rng.choice(members, size=min(per_cluster, members.size), replace=False)
        for c, index in enumerate(chosen):
            mosaic[r * cell_h : r * cell_h + height, c * cell_w : c * cell_w + width] = images[index].reshape(height, width)
            if misplaced[index]:
                frames.append((c * cell_w - 0.5, r * cell_h - 0.5))  # the image's corner, in pixel coordinates
    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * per_cluster + 1.2, 0.45 * len(groups) + 0.6))
    _draw_mosaic(ax, mosaic)
    for corner in frames:
        ax.add_patch(mpl.patches.Rectangle(corner, width, height, fill=False, edgecolor=PALETTE[5], linewidth=1.5))
    ax.set_xticks([])
    ax.set_yticks(np.arange(len(groups)) * cell_h + (height - 1) / 2, names, fontsize=9)
    if truth is not None:
        ax.set_ylabel(f"{MATCHED_TITLE} (size)")
        ax.set_xlabel("framed: an image of another class than its row's", fontsize=9)
    if title:
        ax.set_title(title)
    return ax


def plot_cluster_means(X, labels, truth=None, ax=None, title=None):
    """The mean image of every cluster, in one row.

    Parameters
    ----------
    X : array-like of shape (n_samples, side * side)
        Flattened square grey images (for example ``data.digits().X``, 8 x 8).
    labels : array-like, shape (n_samples,)
        Cluster of each image; noise (``-1``) gets no image. Text labels
        (``match_labels``' class names, the integer ``-1`` for noise) name
        their images, in the order :func:`plot_clusters` lists them.
    truth : array-like of int, shape (n_samples,), optional
        True classes. When given, images are titled by the class their
        cluster is matched to (``→ 3``; Hungarian, as for accuracy) and
        ordered by it; unmatched clusters come last.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.images[0]`` is the row of images; each is labelled below by its
        cluster (or matched class) and its size.
    """
    X = check_features(X, min_samples=1)
    labels, names = _labels_or_classes(labels, n_samples=len(X))  # text: match_labels' names, -1 noise
    height = width = _image_side(X, "X")
    groups = _cluster_groups(labels, truth, names)
    if not groups:
        raise ValueError("labels are all noise (-1): there is no cluster to draw")
    means = np.stack([X[mask].mean(axis=0) for mask, _, _ in groups])
    cell_w = width + 1
    mosaic = np.full((height, len(groups) * cell_w - 1), np.nan)
    for i, mean in enumerate(means):
        mosaic[:, i * cell_w : i * cell_w + width] = mean.reshape(height, width)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.6 * len(groups) + 0.6, 1.7))
    _draw_mosaic(ax, mosaic)
    ax.set_yticks([])
    names = [f"{name}\n({int(mask.sum())})" for mask, name, _ in groups]
    ax.set_xticks(np.arange(len(groups)) * cell_w + (width - 1) / 2, names, fontsize=9)
    ax.set_title(title or "Mean image of each cluster")
    return ax


def plot_dec_history(history, axes=None, title="DEC training", tol=None):
    """DEC's training dynamics: labels changed per target update, and the losses.

    Parameters
    ----------
    history : list of dict
        One entry per target update, with ``epoch``, ``label_change_fraction``
        and ``kl_loss`` (notebook 04's ``train_dec`` log).
    axes : sequence of two matplotlib.axes.Axes, optional
    title : str
    tol : float, optional
        The stopping rule's share of changed labels (``train_dec``'s ``tol``):
        drawn as a dashed line, with the log axis' floor just below it, where
        an update that changed no label is drawn as a hollow marker.

    Returns
    -------
    numpy.ndarray of two matplotlib.axes.Axes
    """
    if not isinstance(history, list) or not history or not all(isinstance(h, dict) for h in history):
        raise ValueError("history must be a non-empty list of dicts, one per target update")
    if tol is not None and not 0 < tol < 1:
        raise ValueError(f"tol is a share of the labels, between 0 and 1 (exclusive); got {tol}")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9.0, 3.2))
    epochs = np.array([h["epoch"] for h in history])
    changed = np.array([h["label_change_fraction"] for h in history])
    floor = (tol if tol is not None else 1e-3) / 2  # a log axis cannot show 0: no change is drawn here
    axes[0].plot(epochs, 100 * np.maximum(changed, floor), marker=".")
    none = changed == 0
    if none.any():
        axes[0].plot(epochs[none], np.full(none.sum(), 100 * floor), linestyle="none", marker="o",
                     markerfacecolor="white", label="no label changed")
    if tol is not None:
        axes[0].axhline(100 * tol, color="0.4", linestyle="--", linewidth=1, label=f"stop below {100 * tol:g} %")
    if none.any() or tol is not None:
        axes[0].legend(fontsize=8)
    axes[0].set_yscale("log")
    axes[0].set(xlabel="epoch", ylabel="labels changed (%)", title=f"{title}: label changes")
    axes[1].plot(epochs, [h["kl_loss"] for h in history], label="KL(P || Q)")
    axes[1].set(xlabel="epoch", ylabel="loss (mean over the epoch)", title=f"{title}: loss")
    axes[1].legend()
    for ax in axes:
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))  # epochs are whole numbers
    return np.asarray(axes)
