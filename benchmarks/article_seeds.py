"""The seed article's examples 1 and 3, as published, over seeds 42-44: the README's ``seed:`` rows.

Notebooks 01 and 03 write the article's code in cells tagged ``article-code`` (``article_example_1``,
``article_example_3``). Notebook 01 runs example 1 with its one seed; notebook 03 only defines
example 3, which trains for about 10 s. This script runs both, from the notebooks' own cells
(loaded with ``tests/lesson_code.py``), for each seed and prints each seed's scores and their mean
± standard deviation, the numbers the README's table and notebooks 01 and 03 quote::

    python benchmarks/article_seeds.py                            # about a minute
    python benchmarks/article_seeds.py --seeds 42 43 44 45 46 47 48  # more seeds (example 3's two outcomes)
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import lesson_code  # noqa: E402  (tests/lesson_code.py: a notebook's tagged cells as a module)

from helpers import evaluation  # noqa: E402
from run import mean_and_spread  # noqa: E402  (benchmarks/run.py: the notebooks' benchmark)
from helpers._tensorflow import load_keras  # noqa: E402

load_keras()  # TensorFlow without its start-up chatter, before the notebooks' cells import keras

SEEDS = (42, 43, 44)
EXAMPLES = {  # README row: (notebook, function in its article-code cells)
    "seed:1": ("01_autoencoder_dbscan.ipynb", "article_example_1"),
    "seed:3": ("03_deep_autoencoder_optics.ipynb", "article_example_3"),
}


def summary_row(name, rows):
    """``name | ARI | noise | clusters`` as mean ± standard deviation over ``rows`` (``evaluation.evaluate``)."""
    def cell(key, digits):
        mean, spread = mean_and_spread([row[key] for row in rows])
        return f"{mean:.{digits}f} ± {spread:.{digits}f}"

    clusters = statistics.mean(row["n_clusters"] for row in rows)
    return f"| `{name}` | {cell('ari', 2)} | {cell('noise_fraction', 2)} | {clusters:.1f} |"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS),
                        help="seeds to run each example with (default: 42 43 44, the README's rows)")
    seeds = parser.parse_args(argv).seeds
    summaries = []
    for name, (notebook, function) in EXAMPLES.items():
        example = getattr(lesson_code.load(notebook, tag="article-code"), function)
        rows = []
        for seed in seeds:
            labels, _, _, y = example(seed)
            rows.append(evaluation.evaluate(y, labels, f"{name} seed {seed}"))
        print(evaluation.results_table(rows), flush=True)
        summaries.append(summary_row(name, rows))
    print("\n| row | ARI | noise | clusters |\n|---|---|---|---|")
    print("\n".join(summaries))


if __name__ == "__main__":
    main()
