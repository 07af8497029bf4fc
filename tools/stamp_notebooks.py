"""Stamp the series' shared cells into every notebook, or check they are current.

Each notebook in ``notebooks/`` gets, from one definition here and the
repository URL and ref in ``pyproject.toml`` (``[tool.series]``):

- a first cell with the "Open in Colab" badge (tag ``series-badge``);
- a setup cell (tag ``colab-setup``), placed right after the title cell:
  it installs the helpers on Google Colab or Kaggle, does nothing where they
  are already installed, and anywhere else stops with the command to run;
- a last cell with links to the previous and next notebook
  (tag ``series-navigation``).

Usage::

    python tools/stamp_notebooks.py          # rewrite the stamped cells
    python tools/stamp_notebooks.py --check  # exit 1 if any notebook drifted
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BADGE, SETUP, NAVIGATION = "series-badge", "colab-setup", "series-navigation"


def series_config(root=ROOT):
    """Repository URL and ref from ``pyproject.toml``'s ``[tool.series]``."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["series"]
    return config["repository"].rstrip("/"), config["ref"]


def project_name(root=ROOT):
    """The distribution's name, ``[project] name`` in ``pyproject.toml``."""
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]


def notebook_paths(folder=NOTEBOOKS):
    """The lessons, in order: ``NN_name.ipynb``."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def title_of(notebook):
    """The text of the first level-1 heading, e.g. ``01 · Autoencoder + DBSCAN``."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            match = re.search(r"^# (.+)$", "".join(cell["source"]), flags=re.MULTILINE)
            if match:
                return match.group(1).strip()
    raise ValueError("notebook has no '# Title' heading")


def _markdown(text, tag):
    return {"cell_type": "markdown", "id": tag, "metadata": {"tags": [tag]}, "source": text}


def badge_cell(name, repository, ref):
    path = repository.removeprefix("https://github.com/")
    url = f"https://colab.research.google.com/github/{path}/blob/{ref}/notebooks/{name}"
    return _markdown(
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({url})", BADGE
    )


def setup_cell(repository, ref, distribution=None):
    """The setup cell: helpers installed, do nothing; Colab or Kaggle, install; else say how.

    Whether the helpers are installed is asked of the installed *distribution*
    (``importlib.metadata``), not of ``import helpers``: a learner's own
    ``helpers.py`` in the working folder would otherwise pass for the package.
    Such a file is then named, since it would hide the real package on import.

    ``--no-deps``: Colab and Kaggle already have every package the helpers import
    (TensorFlow, Keras, scikit-learn, NumPy, SciPy, Matplotlib, threadpoolctl, joblib,
    packaging), so pip must not touch them. Anywhere else the cell raises
    ``ModuleNotFoundError`` with the one command to run, instead of letting the
    next cell fail on a bare ``No module named 'helpers'``.
    """
    distribution = distribution or project_name()
    source = (
        "# Setup: this series' `helpers` package, pinned to one release. Only on Colab or Kaggle\n"
        "# does this cell install it; --no-deps keeps their TensorFlow, Keras and scikit-learn.\n"
        "import importlib.metadata, importlib.util, os, sys\n"
        "\n"
        f'PACKAGE = "git+{repository}@{ref}"\n'
        "try:\n"
        f'    importlib.metadata.distribution("{distribution}")\n'
        "except importlib.metadata.PackageNotFoundError:  # not installed yet\n"
        '    if "google.colab" in sys.modules or "KAGGLE_KERNEL_RUN_TYPE" in os.environ:\n'
        "        %pip install -q --no-deps {PACKAGE}\n"
        "    else:\n"
        "        raise ModuleNotFoundError(\n"
        "            \"This notebook needs the series' helpers package. Run this in a cell, then run this one again:\\n\"\n"
        "            f'    %pip install \"{PACKAGE}\"\\n'\n"
        "            \"(in a clone of the repository: pip install -e . in its folder, as its README says).\"\n"
        "        )\n"
        "found = importlib.util.find_spec(\"helpers\")  # your own helpers file or folder would hide the package\n"
        "if found is not None and not str(found.origin).endswith(os.path.join(\"helpers\", \"__init__.py\")):\n"
        "    where = found.origin or \"a folder named helpers\"\n"
        "    raise ImportError(f\"{where} hides the series' helpers package: rename it, then restart the kernel.\")"
    )
    return {
        "cell_type": "code",
        "id": SETUP,
        "execution_count": None,
        "metadata": {"tags": [SETUP]},
        "outputs": [],
        "source": source,
    }


def navigation_cell(previous, following):
    parts = []
    if previous:
        parts.append(f"← Previous: [{previous[1]}]({previous[0]})")
    parts.append("[Series overview](../README.md)")
    if following:
        parts.append(f"Next: [{following[1]}]({following[0]}) →")
    return _markdown("---\n" + " · ".join(parts), NAVIGATION)


def _tagged(cell, tag):
    return tag in cell.get("metadata", {}).get("tags", [])


def _text(cell):
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def _same(cell, expected):
    return cell["cell_type"] == expected["cell_type"] and _text(cell) == _text(expected)


def _differs(current, cells):
    """True if two cell lists differ in length, or in any cell's type or text."""
    return len(current) != len(cells) or not all(_same(a, b) for a, b in zip(current, cells))


def stamp(notebook, name, previous, following, repository, ref):
    """Return the notebook's cells with the stamped cells in place (a new list).

    ``notebook`` is left untouched, so the result can be compared with it.
    """
    cells = [c for c in notebook["cells"] if not any(_tagged(c, t) for t in (BADGE, NAVIGATION))]
    index = next((i for i, c in enumerate(cells) if _tagged(c, SETUP)), None)
    expected_setup = setup_cell(repository, ref)
    if index is None:
        title = next(i for i, c in enumerate(cells) if c["cell_type"] == "markdown")
        cells.insert(title + 1, expected_setup)
    elif not _same(cells[index], expected_setup):
        # a copy: the notebook's own cell must keep its stale text for the comparison
        cells[index] = {**copy.deepcopy(cells[index]), "source": expected_setup["source"]}
    return [badge_cell(name, repository, ref), *cells, navigation_cell(previous, following)]


def _plan(folder=NOTEBOOKS, root=ROOT):
    repository, ref = series_config(root)
    paths = notebook_paths(folder)
    notebooks = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    titles = [title_of(nb) for nb in notebooks]
    for i, (path, notebook) in enumerate(zip(paths, notebooks)):
        previous = (paths[i - 1].name, titles[i - 1]) if i > 0 else None
        following = (paths[i + 1].name, titles[i + 1]) if i + 1 < len(paths) else None
        yield path, notebook, stamp(notebook, path.name, previous, following, repository, ref)


def drifted(folder=NOTEBOOKS, root=ROOT):
    """Names of notebooks whose stamped cells differ from what they should be."""
    names = []
    for path, notebook, cells in _plan(folder, root):
        if _differs(notebook["cells"], cells):
            names.append(path.name)
    return names


def restamp(folder=NOTEBOOKS, root=ROOT):
    """Rewrite the notebooks that drifted; return their names."""
    names = []
    for path, notebook, cells in _plan(folder, root):
        if _differs(notebook["cells"], cells):
            for cell in cells:  # as Jupyter saves it: a list of lines, so diffs stay line by line
                if isinstance(cell["source"], str):
                    cell["source"] = cell["source"].splitlines(keepends=True)
            notebook["cells"] = cells
            path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            names.append(path.name)
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report drift; exit 1 if any")
    args = parser.parse_args(argv)
    if args.check:
        names = drifted()
        for name in names:
            print(f"{name}: stamped cells are out of date; run python tools/stamp_notebooks.py")
        return 1 if names else 0
    for name in restamp():
        print(f"stamped {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
