"""Interactive explorers: move ``eps``, ``k``, beta or a reachability cut and watch the clusters change.

Each explorer re-clusters arrays that are already computed (a latent code, a
fitted OPTICS), so an update takes a fraction of a second and nothing is
retrained. The arithmetic of every update is a plain function, usable and
testable without widgets:

- DBSCAN at one ``eps`` and ``min_samples`` (inside :func:`dbscan_explorer`);
- a horizontal cut through OPTICS' reachability plot (inside :func:`reachability_explorer`);

The explorers (:func:`dbscan_explorer`, :func:`kmeans_explorer`,
:func:`beta_explorer`, :func:`reachability_explorer`) wrap them in sliders. Each returns an
:class:`Explorer`: put it last in a cell (or ``display`` it) to show the
controls and the live figure. Its ``controls`` are the ipywidgets sliders and
its ``state`` the numbers of the latest update, so code (and the tests) can
drive it: ``explorer.controls["eps"].value = 0.3``.

Where widgets do not run (GitHub's notebook view, nbconvert without widget
state, a notebook reopened without its kernel), the same output carries a
plain PNG of the figure as it was when the cell ran: static readers see
the explorer's starting state, not an empty box.

Only widgets and calls that ipywidgets 7.7.1 (Google Colab) and 8.x
(JupyterLab 4) share are used. ipywidgets itself is imported only when an
explorer is built.
"""

from __future__ import annotations

import base64
import io
import math
import numbers
from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from helpers import DEFAULT_SEED
from helpers._validation import (check_classes, check_features, check_float, check_int, check_k_range, check_labels,
                                 check_seed, check_two_columns, dtype_kind, is_noise_label, is_plain_number)
from helpers.plotting import PALETTE, best_k, plot_clusters, plot_k_scores, point_colours

__all__ = [
    "Explorer",
    "beta_explorer",
    "dbscan_explorer",
    "kmeans_explorer",
    "reachability_explorer",
]


# --------------------------------------------------------------------------- plain update functions


def _scores(y, labels):
    """Cluster counts and, when the truth is known, ARI/NMI/accuracy (``None`` without it)."""
    from helpers.evaluation import evaluate

    clustered = labels[labels >= 0]
    sizes = np.bincount(clustered).tolist() if clustered.size else []
    state = {
        "labels": labels,
        "n_clusters": int(np.unique(clustered).size),
        "cluster_sizes": sorted((s for s in sizes if s > 0), reverse=True),
        "n_noise": int(np.count_nonzero(labels == -1)),
        "noise_fraction": float(np.mean(labels == -1)),
        "ari": None,
        "nmi": None,
        "accuracy": None,
    }
    if y is not None:
        scores = evaluate(y, labels)
        state.update(ari=scores["ari"], nmi=scores["nmi"], accuracy=scores["accuracy"])
    return state


def _class_labels(y, n_samples=None):
    """True classes ``y`` as ``(labels, codes)``: ``labels`` for scoring, matching and drawing, ``codes``
    (``0, 1, ...``) for counting the classes, or ``None`` when ``y`` holds numbers.

    Numbers (an integer or float array, or integers held as objects) go through
    :func:`helpers._validation.check_labels`, as integer classes always did: whole numbers only. Other
    labels (text, booleans) are read by :func:`helpers._validation.check_classes`, as
    :func:`helpers.evaluation.evaluate` and :func:`helpers.plotting.plot_clusters` read them; the integer
    ``-1`` among them is refused, as a negative class is among numbers: it is the noise of cluster labels
    (what :func:`helpers.evaluation.match_labels` gives), not a true class.
    """
    if dtype_kind(y) not in "iuf":  # text, booleans, or ragged input (which check_classes names)
        codes, classes = check_classes(y, name="y", n_samples=n_samples)
        values = classes.tolist()
        if not all(is_plain_number(v) for v in values):
            noise = [i for i, v in enumerate(values) if is_noise_label(v)]
            if noise:
                raise ValueError(
                    f"y holds the integer -1 ({np.count_nonzero(codes == noise[0])} sample(s)), the noise of "
                    "cluster labels, not a true class: pass the true classes, not match_labels' output (a class "
                    "really called -1 can be given as text, '-1')")
            return classes[codes], codes
    return check_labels(y, name="y", n_samples=n_samples), None


def _check_truth(y, n_samples):
    """True classes: whole numbers ``>= 0``, or text (see :func:`_class_labels`); ``None`` stays ``None``."""
    if y is None:
        return None
    y, codes = _class_labels(y, n_samples)
    if codes is None and np.any(y < 0):
        raise ValueError("y must hold true classes >= 0 (-1 is reserved for noise in cluster labels)")
    return y


def _check_points(points, n_samples, name="points", min_samples=1):
    points = check_features(points, name=name, min_samples=min_samples)
    check_two_columns(points, name=name, verb="draw")
    if n_samples is not None and len(points) != n_samples:
        raise ValueError(f"{name} has {len(points)} rows but there are {n_samples} samples")
    return points


def _dbscan(Z, eps, min_samples):
    from sklearn.cluster import DBSCAN

    return DBSCAN(eps=eps, min_samples=min_samples).fit_predict(Z).astype(np.int64)


def _dbscan_state(Z, y, eps, min_samples, k_distance):
    """DBSCAN on ``Z``: ``labels`` (exactly ``DBSCAN(eps=eps, min_samples=min_samples).fit_predict(Z)``),
    the counts and scores of :func:`_scores`, and ``n_core``/``core_fraction`` (points whose
    ``k_distance``, the distance to their ``min_samples``-th neighbour, is at most ``eps``)."""
    labels = _dbscan(Z, eps, min_samples)
    state = {"eps": eps, "min_samples": min_samples, **_scores(y, labels)}
    state["n_core"] = int(np.count_nonzero(k_distance <= eps))
    state["core_fraction"] = state["n_core"] / len(Z)
    return state


def _kmeans_state(z_mean, y, k, random_state):
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):  # small fits: one thread is fastest
        model = KMeans(n_clusters=k, n_init=10, random_state=random_state).fit(z_mean)
    return {"k": k, "inertia": float(model.inertia_), **_scores(y, model.labels_.astype(np.int64))}


def _reachability_state(optics, y, eps):
    """Labels of a cut at height ``eps`` (exactly :func:`sklearn.cluster.cluster_optics_dbscan`), with counts and scores."""
    from sklearn.cluster import cluster_optics_dbscan

    labels = cluster_optics_dbscan(reachability=optics.reachability_, core_distances=optics.core_distances_,
                                   ordering=optics.ordering_, eps=eps)
    return {"eps": eps, **_scores(y, labels.astype(np.int64))}


def _check_latents(latents, name, n_samples):
    if not isinstance(latents, Mapping) or not latents:
        raise ValueError(f"{name} must be a non-empty dict (e.g. {{beta: z_mean}}); got {type(latents).__name__}")
    checked = {}
    for key, Z in latents.items():
        Z = check_features(Z, name=f"{name}[{key!r}]", min_samples=2)
        check_two_columns(Z, name=f"{name}[{key!r}]", verb="draw", suggest_pca=False)  # z_mean with z_log_var
        if len(Z) != n_samples:
            raise ValueError(f"{name}[{key!r}] has {len(Z)} rows but y has {n_samples}")
        checked[key] = Z
    return checked


def _noise_widths(z_mean, z_log_var, y):
    """Closest distance between class centres of ``z_mean``, the typical noise spread, and their ratio."""
    centres = np.stack([z_mean[y == c].mean(axis=0) for c in np.unique(y)])
    gap = float(np.linalg.norm(centres[:, None] - centres[None], axis=-1)[np.triu_indices(len(centres), 1)].min())
    spread = float(np.exp(0.5 * z_log_var).mean())  # standard deviation of a sampled z around z_mean
    return {"gap": gap, "spread": spread, "noise_widths": gap / spread}


# --------------------------------------------------------------------------- the widget shell


def _widgets():
    try:
        import ipywidgets
    except ImportError:  # pragma: no cover - ipywidgets is a dependency of the series
        raise ImportError(
            'the explorers need ipywidgets: pip install "ipywidgets>=7.7.1" (Colab has it already)'
        ) from None
    return ipywidgets


def _png(figure):
    buffer = io.BytesIO()
    # Fast compression: a third quicker than the default for a few percent more bytes.
    figure.savefig(buffer, format="png", dpi=figure.dpi, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _clusters(n):
    return f"{n} cluster{'s' if n != 1 else ''}"


def _summary(state):
    """One line of numbers: clusters, their sizes, noise and the scores."""
    sizes = state["cluster_sizes"]
    shown = ", ".join(map(str, sizes[:6])) + (", ..." if len(sizes) > 6 else "")
    text = _clusters(state["n_clusters"])
    if sizes:
        text += f" (sizes {shown})"
    text += f"; noise {state['n_noise']} points ({state['noise_fraction']:.1%})"
    if state.get("ari") is not None:
        text += f"; ARI {state['ari']:.2f}"
    return text


class Explorer:
    """Sliders, a live figure and the numbers of the latest update.

    Built by the ``*_explorer`` functions; not meant to be created directly.
    Display it (last expression of a cell, or ``display(explorer)``) to show
    the controls and the live figure; the same output also holds a plain
    image of the figure for readers without widgets.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        The sliders, by name; setting ``controls[name].value`` updates the
        explorer exactly as moving the slider does.
    state : dict
        The numbers and labels of the latest update (see the ``*_state``
        function each explorer uses).
    figure : matplotlib.figure.Figure
        The live figure, redrawn in place at every update.
    output : ipywidgets.Output
        Shows the figure as a PNG.
    status : ipywidgets.HTML
        One line of numbers (or the error of a failed update).
    widget : ipywidgets.VBox
        Controls, status line and figure together.
    """

    def __init__(self, controls, compute, draw, figure):
        widgets = _widgets()
        self.controls = dict(controls)
        self.figure = figure
        self._compute = compute
        self._draw = draw
        self.state = {}
        self.status = widgets.HTML(value="")
        self.output = widgets.Output()
        self.widget = widgets.VBox([widgets.HBox(list(self.controls.values())), self.status, self.output])
        self.update()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

    def _on_change(self, change):
        self.update()

    def update(self):
        """Recompute the state from the controls' values and redraw (sliders call this)."""
        try:
            state = self._compute(**{name: control.value for name, control in self.controls.items()})
            line = self._draw(state)
            png = _png(self.figure)
        except Exception as error:
            # A callback's exception would only reach the kernel's log: show it where the learner looks.
            self.status.value = f'<span style="color:#B00020">update failed: {type(error).__name__}: {error}</span>'
            raise
        self.state = state
        self.output.outputs = (
            {"output_type": "display_data", "data": {"image/png": base64.b64encode(png).decode("ascii"),
                                                      "text/plain": "<explorer figure>"}, "metadata": {}},
        )
        self.status.value = line

    def _ipython_display_(self, **kwargs):
        """Send the live widget and a plain PNG of the figure as it is now, in one output.

        Frontends with a widget manager (JupyterLab, Colab, VS Code) render
        the widget; GitHub's notebook view, nbconvert without widget state
        and a notebook reopened without its kernel fall back to the PNG.
        As ipywidgets 7 displays its widgets: always a display_data message
        (never an execute_result, which Colab's widget manager handles less well).
        """
        from IPython.display import display

        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=self.figure.dpi)  # stored in the notebook: compress well
        view = {"version_major": 2, "version_minor": 0, "model_id": self.widget.model_id}
        display({"application/vnd.jupyter.widget-view+json": view,
                 "image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
                 "text/plain": f"<{type(self).__name__}: {self.status.value}>"}, raw=True)

    def __repr__(self):
        return f"<{type(self).__name__} with controls {sorted(self.controls)}>"


def _slider_layout():
    return {"layout": _widgets().Layout(width="360px"), "style": {"description_width": "initial"}}


def _new_figure(width, height=3.6):
    import matplotlib as mpl

    # A Figure not managed by pyplot: the inline backend does not show it again at the end of the cell.
    return Figure(figsize=(width, height), dpi=mpl.rcParams["figure.dpi"])


def _two_panels(width_ratios, wspace):
    """A new 10.5 x 3.8 figure and its two side-by-side axes, room on the right for the scatter's legend."""
    figure = _new_figure(10.5, 3.8)
    grid = figure.add_gridspec(1, 2, width_ratios=width_ratios, left=0.07, right=0.87, bottom=0.14, top=0.86,
                               wspace=wspace)
    return figure, figure.add_subplot(grid[0]), figure.add_subplot(grid[1])


def _ari(state):
    """``", ARI 0.87"`` for a title, or nothing when the truth is unknown."""
    return f", ARI {state['ari']:.2f}" if state["ari"] is not None else ""


def _limits(points, pad=0.05):
    low, high = points.min(axis=0), points.max(axis=0)
    margin = np.where(high > low, (high - low) * pad, 1.0)
    return (low[0] - margin[0], high[0] + margin[0]), (low[1] - margin[1], high[1] + margin[1])


def _draw_scatter(ax, points, labels, truth, limits, title, xlabel="latent 1", ylabel="latent 2"):
    ax.clear()
    plot_clusters(points, labels, ax=ax, truth=truth, title=title, xlabel=xlabel, ylabel=ylabel)
    ax.set_xlim(limits[0])
    ax.set_ylim(limits[1])


# --------------------------------------------------------------------------- notebook 01: DBSCAN


#: The most points :func:`dbscan_explorer` takes: DBSCAN's neighbour lists at a large eps grow with their square.
MAX_DBSCAN_EXPLORER_ROWS = 10_000


def dbscan_explorer(Z, y=None, *, eps, min_samples):
    """Sliders for DBSCAN's ``eps`` (log scale) and ``min_samples`` on a latent code.

    Left: the sorted k-distance curve for the current ``min_samples``, the
    current ``eps`` (solid line: points left of where the curve crosses it
    are core points, counted in the title) and the chosen ``eps`` (dashed). Right: the clusters,
    in the colour of the class each is matched to (noise grey), with the
    number of clusters, the noise share and the ARI.

    Parameters
    ----------
    Z : array-like of shape (n_samples, 2)
        The points to cluster and draw (a 2-D latent code), at most
        :data:`MAX_DBSCAN_EXPLORER_ROWS` of them (explore a sample of more).
    y : array-like, shape (n_samples,), optional
        True classes: matched colours and the ARI. Whole numbers ``>= 0``,
        or text (any class labels :func:`helpers.evaluation.evaluate` takes).
    eps : float
        Where the ``eps`` slider starts: the radius the caller chose (drawn dashed).
    min_samples : int
        Where the ``min_samples`` slider starts, in ``[2, n_samples]``; the
        slider goes up to ``max(10, 2 * min_samples)`` (at most ``n_samples``).
        The ``eps`` slider goes from just below the smallest k-distance
        (every point noise) up to the diagonal of the points' bounding box
        (every point in one cluster).
    Returns
    -------
    Explorer
        ``controls["eps"]``, ``controls["min_samples"]``; ``state`` holds the
        ``labels`` (exactly ``DBSCAN(eps=..., min_samples=...).fit_predict(Z)``),
        ``eps``, ``min_samples``, ``n_clusters``, ``cluster_sizes``, ``n_noise``,
        ``noise_fraction``, ``n_core``, ``core_fraction`` and ``ari``, ``nmi``,
        ``accuracy`` (``None`` without ``y``).

    Examples
    --------
    >>> explorers.dbscan_explorer(Z, y, **choice.params)  # doctest: +SKIP
    """
    import matplotlib as mpl
    from sklearn.neighbors import NearestNeighbors

    widgets = _widgets()
    Z = _check_points(Z, None, name="Z", min_samples=3)
    if len(Z) > MAX_DBSCAN_EXPLORER_ROWS:
        raise ValueError(
            f"Z has {len(Z):,} points, more than dbscan_explorer's {MAX_DBSCAN_EXPLORER_ROWS:,}: it refits DBSCAN "
            f"at every move of a slider, and at a large eps every point is every other's neighbour (memory grows "
            f"with the square of the points; 20,000 took 5.5 GB), so explore a random sample, "
            f"rows = np.random.default_rng(0).choice(len(Z), {MAX_DBSCAN_EXPLORER_ROWS}, replace=False), with "
            f"dbscan_explorer(np.asarray(Z)[rows], np.asarray(y)[rows], ...) (leave y out if you have none)")
    y = _check_truth(y, len(Z))
    chosen_eps = check_float(eps, name="eps", low=0.0, low_inclusive=False)
    chosen_min = check_int(min_samples, name="min_samples", minimum=2, maximum=len(Z))
    max_min_samples = min(len(Z), max(10, 2 * chosen_min))

    # Every k-distance curve the min_samples slider can ask for, from one neighbour search.
    distances, _ = NearestNeighbors(n_neighbors=max_min_samples).fit(Z).kneighbors(Z)
    curves = np.sort(distances, axis=0)  # column m - 1: the curve for min_samples = m

    positive = curves[:, 1][curves[:, 1] > 0]
    low = 0.8 * float(positive.min()) if positive.size else chosen_eps / 100
    high = 1.01 * max(float(np.linalg.norm(np.ptp(Z, axis=0))), chosen_eps)  # every point within reach
    low = min(low, chosen_eps / 4)
    lo_exp, hi_exp = math.log10(low), math.log10(high)
    step = (hi_exp - lo_exp) / 200
    # A browser's slider snaps its value to min + n * step and sends it back: put the chosen eps on that grid.
    lo_exp = math.log10(chosen_eps) - math.floor((math.log10(chosen_eps) - lo_exp) / step) * step
    eps_slider = widgets.FloatLogSlider(
        value=chosen_eps, base=10, min=lo_exp, max=hi_exp, step=step,
        description="eps (log scale)", readout_format=".3g", **_slider_layout(),
    )
    min_slider = widgets.IntSlider(value=chosen_min, min=2, max=max_min_samples, step=1,
                                   description="min_samples", **_slider_layout())

    figure, curve_ax, scatter_ax = _two_panels((1.0, 1.15), wspace=0.3)
    order = np.arange(len(Z))
    (curve,) = curve_ax.plot(order, np.maximum(curves[:, chosen_min - 1], low), color=PALETTE[0], label="k-distance")
    curve_ax.axhline(chosen_eps, color=PALETTE[5], linestyle="--", label=f"chosen eps ({chosen_eps:.3g})")
    eps_line = curve_ax.axhline(chosen_eps, color="black", linewidth=1.2, label="eps (slider)")
    curve_ax.set_yscale("log")
    curve_ax.yaxis.set_major_formatter(mpl.ticker.FormatStrFormatter("%g"))
    curve_ax.yaxis.set_minor_formatter(mpl.ticker.NullFormatter())  # fewer labels to lay out at every update
    curve_ax.set_ylim(low, high)
    curve_ax.set_xlabel("points, sorted by k-distance")
    curve_ax.legend(loc="lower right", fontsize=8, framealpha=0.9)  # the curve climbs on the right: below it is empty
    limits = _limits(Z)

    def compute(eps, min_samples):
        return _dbscan_state(Z, y, float(eps), int(min_samples), k_distance=curves[:, int(min_samples) - 1])

    def draw(state):
        curve.set_ydata(np.maximum(curves[:, state["min_samples"] - 1], low))  # log axis: no zeros
        eps_line.set_ydata([state["eps"], state["eps"]])
        curve_ax.set_ylabel(f"distance to neighbour {state['min_samples']}")
        curve_ax.set_title(f"{state['n_core']} of {len(Z)} points are core points (curve ≤ eps)")
        _draw_scatter(scatter_ax, Z, state["labels"], y, limits,
                      f"DBSCAN: {_clusters(state['n_clusters'])}, {state['noise_fraction']:.0%} noise{_ari(state)}")
        figure.suptitle(f"eps = {state['eps']:.3g}, min_samples = {state['min_samples']}", fontsize=10)
        return f"eps = {state['eps']:.3g} (chosen {chosen_eps:.3g}), min_samples = {state['min_samples']}: " + _summary(state)

    return Explorer({"eps": eps_slider, "min_samples": min_slider}, compute, draw, figure)


# --------------------------------------------------------------------------- notebook 02: KMeans and beta


def _check_scores(scores, ks):
    if scores is None:
        return {}
    if not isinstance(scores, Mapping):
        raise TypeError(f"scores must be a dict {{method: one score per k}}; got {type(scores).__name__}")
    checked = {}
    for method, values in scores.items():
        values = check_features(values, name=f"scores[{method!r}]", min_samples=1, ndim=1)
        if len(values) != len(ks):
            raise ValueError(f"scores[{method!r}] has {len(values)} values but k_range has {len(ks)}")
        best_k(ks, values, method)  # a clear error for an unknown method
        checked[method] = values
    return checked


def kmeans_explorer(z_mean, y=None, *, k_range=range(2, 11), scores=None, random_state=DEFAULT_SEED):
    """A slider for KMeans' ``k``, with the score curves and the clusters.

    Left: one panel per criterion in ``scores`` (silhouette, BIC) with the
    ``k`` it picks (dashed) and the current ``k`` (solid). Right: KMeans'
    clusters in the colour of the class each is matched to. Every ``k`` of the
    slider is fitted once, when the explorer is built
    (``KMeans(k, n_init=10, random_state=random_state)``, as the notebook does).

    Parameters
    ----------
    z_mean : array-like of shape (n_samples, 2)
        The points to cluster and draw (a VAE's ``z_mean``).
    y : array-like, shape (n_samples,), optional
        True classes: matched colours and the ARI. Whole numbers ``>= 0``,
        or text (any class labels :func:`helpers.evaluation.evaluate` takes).
    k_range : sequence of int, default=range(2, 11)
        The values of the slider (at least two, each in ``[1, n_samples]``).
    scores : dict of str to sequence of float, optional
        ``{"silhouette": [...], "bic": [...]}``: one score per value of
        ``k_range``. The slider starts at the ``k`` the first one picks.
    random_state : int, default=42

    Returns
    -------
    Explorer
        ``controls["k"]``; ``state`` holds ``labels`` (exactly KMeans'),
        ``k``, ``inertia``, ``n_clusters``, ``cluster_sizes``, ``ari``,
        ``nmi``, ``accuracy`` (``None`` without ``y``) and ``scores``
        (``{method: score at k}``).
    """
    widgets = _widgets()
    z_mean = _check_points(z_mean, None, name="z_mean", min_samples=3)
    y = _check_truth(y, len(z_mean))
    random_state = check_seed(random_state)
    ks = check_k_range(k_range, minimum=1, maximum=len(z_mean))
    if list(k_range) != list(range(ks[0], ks[-1] + 1)):  # the scores follow k_range's order
        raise ValueError(f"k_range must be consecutive integers in ascending order, e.g. range(2, 9); got {list(k_range)}")
    scores = _check_scores(scores, ks)
    start = best_k(ks, next(iter(scores.values())), next(iter(scores))) if scores else ks[0]
    k_slider = widgets.IntSlider(value=start, min=ks[0], max=ks[-1], step=1, description="k (clusters)",
                                 **_slider_layout())

    n_panels = len(scores)
    # Score curves stacked on the left (sharing k), the clusters on the right: as wide as the other explorers.
    figure = _new_figure(10.5, 3.8 if n_panels < 2 else 2.2 * n_panels + 0.8)
    if n_panels:
        grid = figure.add_gridspec(n_panels, 2, width_ratios=(1.0, 1.15), left=0.08, right=0.87,
                                   bottom=0.11 if n_panels > 1 else 0.14, top=0.9 if n_panels > 1 else 0.86,
                                   wspace=0.3, hspace=0.55)
        score_axes = [figure.add_subplot(grid[i, 0]) for i in range(n_panels)]
        scatter_ax = figure.add_subplot(grid[:, 1])
    else:
        score_axes, scatter_ax = [], figure.add_axes((0.3, 0.14, 0.45, 0.72))
    k_lines = []
    for ax, (method, values) in zip(score_axes, scores.items()):
        plot_k_scores(ks, values, method, ax=ax)
        # a wide grey band behind the curve: the chosen k's dashed line stays visible when the two coincide
        k_lines.append(ax.axvline(start, color="black", linewidth=6, alpha=0.18, zorder=0, label="k (slider)"))
        ax.set_xlim(ks[0] - 0.3, ks[-1] + 0.3)
        ax.legend(loc="best", fontsize=8, framealpha=0.9)
    limits = _limits(z_mean)
    # Every k the slider offers is fitted now, so moving it only draws.
    fits = {k: _kmeans_state(z_mean, y, k, random_state) for k in ks}

    def compute(k):
        state = dict(fits[int(k)])
        state["scores"] = {method: float(values[ks.index(int(k))]) for method, values in scores.items()}
        return state

    def draw(state):
        for line in k_lines:
            line.set_xdata([state["k"], state["k"]])
        _draw_scatter(scatter_ax, z_mean, state["labels"], y, limits, f"KMeans, k = {state['k']}{_ari(state)}")
        shown = "; ".join(f"{method} {value:.3g}" for method, value in state["scores"].items())
        return f"k = {state['k']}: " + _summary(state) + (f"; {shown}" if shown else "")

    return Explorer({"k": k_slider}, compute, draw, figure)


def beta_explorer(latents_by_beta, y, *, random_state=DEFAULT_SEED):
    """A slider over VAE latent spaces trained with different KL weights beta, on shared axes.

    Each position shows one ``z_mean`` coloured by the true class, all on
    the same axes, so the shrinking (or spreading) of the code with beta is
    seen as it is. The title gives KMeans' ARI on ``z_mean`` (``k`` = number
    of classes); the status line says how many *noise widths* apart the two
    closest classes are: the distance between their centres in ``z_mean``
    divided by the typical standard deviation of a sampled ``z`` around
    ``z_mean`` (the mean of ``exp(z_log_var / 2)``).

    Parameters
    ----------
    latents_by_beta : dict of float to (z_mean, z_log_var)
        For each beta, the encoder's two outputs, arrays of shape
        (n_samples, 2) (precomputed: nothing is retrained).
    y : array-like, shape (n_samples,)
        True classes (at least 2): integers, or text (drawn by name).
    random_state : int, default=42
        Seed of the KMeans runs.

    Returns
    -------
    Explorer
        ``controls["beta"]`` (a SelectionSlider over the betas, ascending);
        ``state`` holds ``beta``, KMeans' ``labels``, ``ari``, ``nmi``,
        ``accuracy``, ``n_clusters``, ``cluster_sizes``, ``rms`` (root mean
        square distance of ``z_mean`` from 0; the prior's is 1 per
        dimension), ``gap``, ``spread`` and ``noise_widths`` (``gap / spread``).
    """
    widgets = _widgets()
    y, codes = _class_labels(y)  # text classes are drawn by name and scored as evaluate scores them
    codes = y if codes is None else codes
    if np.unique(codes).size < 2:
        raise ValueError("y must hold at least 2 classes")
    if not isinstance(latents_by_beta, Mapping) or not latents_by_beta:
        raise ValueError("latents_by_beta must be a non-empty dict {beta: (z_mean, z_log_var)}; "
                         f"got {type(latents_by_beta).__name__}")
    means, log_vars = {}, {}
    for beta, pair in latents_by_beta.items():
        if isinstance(beta, bool) or not isinstance(beta, numbers.Real) or not math.isfinite(beta) or beta < 0:
            raise ValueError(f"every key of latents_by_beta must be a beta >= 0; got {beta!r}")
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"latents_by_beta[{beta!r}] must be a pair (z_mean, z_log_var)")
        means[beta], log_vars[beta] = pair
    means = _check_latents(means, "z_mean", n_samples=len(y))
    log_vars = _check_latents(log_vars, "z_log_var", n_samples=len(y))
    random_state = check_seed(random_state)
    betas = sorted(means, key=float)
    start = next((b for b in betas if b == 1.0), betas[0])
    slider = widgets.SelectionSlider(options=[(f"{b:g}", b) for b in betas], value=start, description="β (KL weight)",
                                     **_slider_layout())
    limits = _limits(np.concatenate([means[b] for b in betas]))
    figure = _new_figure(6.2, 4.4)
    ax = figure.add_axes((0.13, 0.12, 0.6, 0.76))
    n_classes = int(np.unique(codes).size)
    cache = {}

    def compute(beta):
        if beta not in cache:
            Z = means[beta]
            cache[beta] = {"beta": beta, **_kmeans_state(Z, y, n_classes, random_state),
                           "rms": float(np.sqrt(np.mean(np.sum(Z**2, axis=1)))),
                           **_noise_widths(Z, log_vars[beta], codes)}
        return cache[beta]

    def draw(state):
        title = f"β = {state['beta']:g}: z_mean by true class (KMeans ARI {state['ari']:.2f})"
        _draw_scatter(ax, means[state["beta"]], y, None, limits, title, xlabel="z_mean 1", ylabel="z_mean 2")
        ax.legend(markerscale=1.5, fontsize=9, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0,
                  title="true class", title_fontsize=9)
        return (f"β = {state['beta']:g}: z_mean lies {state['rms']:.2f} from 0 (root mean square; a standard normal in 2 "
                f"dimensions: 1.41); closest classes "
                f"{state['noise_widths']:.1f} noise widths apart (gap {state['gap']:.2f} / spread "
                f"{state['spread']:.2f}); KMeans (k = {n_classes}) ARI {state['ari']:.2f}")

    return Explorer({"beta": slider}, compute, draw, figure)


# --------------------------------------------------------------------------- notebook 03: the reachability cut


def reachability_explorer(optics, points, y=None, *, eps):
    """A slider for the height of the cut through OPTICS' reachability plot.

    Left: the reachability plot, bars coloured by the clusters of the cut
    (noise grey) and the cut as a horizontal line. Right: the same clusters
    on the points (for example the moons the latent code came from), in the
    colour of the class each is matched to. Labels come from
    :func:`sklearn.cluster.cluster_optics_dbscan`: OPTICS is not refitted.

    Parameters
    ----------
    optics : sklearn.cluster.OPTICS
        A fitted estimator.
    points : array-like of shape (n_samples, 2)
        Where to draw each sample (the scaled data: the axes read ``x1`` and ``x2``).
    y : array-like, shape (n_samples,), optional
        True classes: matched colours and the ARI. Whole numbers ``>= 0``,
        or text (any class labels :func:`helpers.evaluation.evaluate` takes).
    eps : float
        Where the cut starts: the height the caller chose, within the slider's
        range (up to just above the highest finite reachability).

    Returns
    -------
    Explorer
        ``controls["eps"]``; ``state`` holds the ``labels`` (exactly
        :func:`sklearn.cluster.cluster_optics_dbscan` at the cut), ``eps``,
        ``n_clusters``, ``cluster_sizes``, ``n_noise``, ``noise_fraction`` and
        ``ari``, ``nmi``, ``accuracy`` (``None`` without ``y``).
    """
    from helpers.clustering import check_fitted_optics
    from helpers.plotting import plot_reachability

    widgets = _widgets()
    optics = check_fitted_optics(optics)
    n = len(optics.reachability_)
    points = _check_points(points, n)
    y = _check_truth(y, n)
    heights = optics.reachability_[optics.ordering_]
    finite = heights[np.isfinite(heights)]
    top = float(finite.max()) * 1.05
    eps = check_float(eps, name="eps", low=0.0, low_inclusive=False)
    low = top / 200
    if not low <= eps <= top:
        raise ValueError(f"eps must lie within the slider's range [{low:.3g}, {top:.3g}] (up to just above the "
                         f"highest finite reachability); got {eps:.3g}")
    step = (top - low) / 250
    low = eps - math.floor((eps - low) / step) * step  # on the slider's grid, so a browser does not move it
    slider = widgets.FloatSlider(value=eps, min=low, max=top, step=step, description="cut height (eps)",
                                 readout_format=".3f", **_slider_layout())

    figure, reach_ax, scatter_ax = _two_panels((1.2, 1.0), wspace=0.25)
    first = _reachability_state(optics, y, eps)
    plot_reachability(optics, eps=eps, labels=first["labels"], ax=reach_ax)
    reach_ax.set_ylim(0, top * 1.03)
    reach_ax.get_legend().remove()
    finite_bars = reach_ax.collections[0]
    infinite_bars = reach_ax.collections[1] if len(reach_ax.collections) > 1 else None
    cut_line = reach_ax.lines[-1]
    is_finite = np.isfinite(heights)
    limits = _limits(points)

    def compute(eps):
        return _reachability_state(optics, y, float(eps))

    def draw(state):
        colours = point_colours(state["labels"], truth=y)[optics.ordering_]
        finite_bars.set_facecolor(list(colours[is_finite]))
        finite_bars.set_edgecolor(list(colours[is_finite]))
        if infinite_bars is not None:
            infinite_bars.set_facecolor(list(colours[~is_finite]))
        cut_line.set_ydata([state["eps"], state["eps"]])
        reach_ax.set_title(f"cut at {state['eps']:.3f}: bars below it join clusters")
        _draw_scatter(scatter_ax, points, state["labels"], y, limits,
                      f"{_clusters(state['n_clusters'])}, {state['noise_fraction']:.0%} noise{_ari(state)}",
                      xlabel="x1 (scaled)", ylabel="x2 (scaled)")
        return f"cut at eps = {state['eps']:.3f}: " + _summary(state)

    return Explorer({"eps": slider}, compute, draw, figure)
