"""Peak memory of a benchmark run: its own process and every process it starts, summed.

``ru_maxrss`` gives one process's peak (for children: the largest child's), so a run whose work is
done by worker processes (notebook 05 scores its candidates with ``n_jobs=2``) would look smaller
than it is. :class:`PeakMemory` samples the resident memory of the whole process tree instead.
Pages that processes share are counted in each, so the sum errs on the high side. Linux only: where
``/proc`` is missing the sample is 0 and callers fall back on ``ru_maxrss``.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


def tree_rss_mb(root, include_root=True):
    """Resident memory of the processes below process ``root`` (and of ``root`` itself if
    ``include_root``), summed, in MB; 0.0 without Linux's ``/proc``."""
    if not Path("/proc/self/status").exists():
        return 0.0
    below = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):  # the process ended meanwhile
                continue
            below.setdefault(parent, []).append(int(entry.name))
    total_kb, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += below.get(pid, [])
        if pid == root and not include_root:
            continue
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:  # the process ended meanwhile
            continue
        total_kb += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total_kb / 1024


class PeakMemory:
    """The largest summed resident memory of this process (unless ``include_self`` is False) and every
    process it starts, sampled every ``interval`` seconds while the ``with`` block runs."""

    def __init__(self, interval=0.2, include_self=True):
        self.peak_mb, self._root, self._interval, self._include_self = 0.0, os.getpid(), interval, include_self
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self._done.wait(self._interval):
            self.peak_mb = max(self.peak_mb, tree_rss_mb(self._root, self._include_self))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
