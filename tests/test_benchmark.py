"""Tests for benchmarks/run.py's measuring: each row runs alone, in a process of its own."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import run  # noqa: E402


def _index(name, dataset):
    return next(i for i, p in enumerate(run.PIPELINES) if (p.name, p.dataset) == (name, dataset))


def test_a_row_reports_its_own_peak_memory_not_the_benchmarks_running_maximum():
    # Hold 1.2 GB here first: a row measured in this process would report at least that much.
    ballast = np.ones(150_000_000)
    row = run.measure(_index("baseline:kmeans", "blobs"), seeds=[42])
    assert row["status"] == "ok" and row["ari"] == 1.0
    assert row["peak_mb"] < run._peak_memory_mb() - 500
    assert ballast.sum() == 150_000_000


def test_no_row_shares_trained_models_through_module_state():
    # Rows that fine-tune a network in place (DEC, the SCAN head) once shared a cached
    # encoder with other rows, so results depended on row order. Nothing may be cached.
    cached = [name for name, value in vars(run).items() if isinstance(value, dict) and not name.startswith("__")]
    assert cached == []
