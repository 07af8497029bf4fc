"""Reading a notebook's outputs, for the tests that check each notebook's claims.

The notebooks print their results; they never print whether a claim holds.
These functions read the printed text back so that ``test_notebook_NN_claims``
can check every claim the prose makes against the numbers the cells printed.

Each claim is checked twice: against the outputs committed with the notebook
(what a reader sees on GitHub) and against a *fresh* execution made in this
test run (what a learner gets today, with today's helpers). The fresh outputs
come from nbval, which runs every notebook before the claims tests
(``tests/conftest.py`` records the outputs of each cell it runs); a claims test
run without nbval executes the notebook itself, once per session.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
COLUMNS = ("ari", "nmi", "accuracy", "noise", "clusters")
#: Project bookkeeping that must never reach a learner's screen.
BOOKKEEPING = re.compile(r"\b(targets?|bars?|pass(?:es|ed)?|fail(?:s|ed|ure)?|stretch|met)\b", re.IGNORECASE)
_HEADER = re.compile(r"^pipeline\s+ARI\s+NMI\s+accuracy\s+noise\s+clusters\s*$")
_ROW = re.compile(r"^(.*?)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(\d+)\s*$")


#: Where a claims test reads a notebook's outputs from.
SOURCES = ("committed", "fresh")
#: ``{notebook name: {code cell number: outputs}}``, filled while nbval runs the notebooks.
FRESH_OUTPUTS: dict[str, dict[int, list]] = {}
#: ``{notebook name: number of its code cells nbval collected in this run}``.
COLLECTED: dict[str, int] = {}


def read(name, source="committed"):
    """Notebook ``notebooks/<name>`` as an nbformat node, with committed or freshly executed outputs.

    Parameters
    ----------
    name : str
        File name in ``notebooks/``, e.g. ``"01_autoencoder_dbscan.ipynb"``.
    source : {"committed", "fresh"}
        ``"committed"``: the outputs saved in the file. ``"fresh"``: the outputs
        of an execution made in this test run (nbval's, or one made here).
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}; got {source!r}")
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)  # a new copy on every call
    if source == "committed":
        return notebook
    code = [c for c in notebook.cells if c.cell_type == "code"]
    if COLLECTED.get(name) != len(code):  # nbval did not run the whole notebook in this run
        return _execute(name)
    outputs = FRESH_OUTPUTS.get(name, {})
    missing = sorted(set(range(len(code))) - set(outputs))
    assert not missing, f"{name} did not run to the end in this test run (code cells {missing[:5]} never ran)"
    for number, cell in enumerate(code):
        cell.outputs = list(outputs[number])  # nbformat nodes already (tests/conftest.py)
    return notebook


@functools.lru_cache(maxsize=None)
def _execute(name):
    """Execute ``notebooks/<name>`` top to bottom in a fresh kernel (when nbval did not run it)."""
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(notebook, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return notebook


_LIBRARY_WARNING = re.compile(r"\S*site-packages/\S+:\d+: \w*Warning: ")


def stderr_outputs(cells, source="committed"):
    """The stderr outputs of the code cells; in a fresh run, less warnings that a library raises.

    A committed notebook must show no stderr at all. A fresh run in another environment (the
    oldest Keras the project allows, say) may add a library's own warning about its internals;
    anything else on stderr still counts.
    """
    found = []
    for cell in cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("name") != "stderr":
                continue
            if source == "fresh" and _LIBRARY_WARNING.match(output.text.lstrip()):
                continue  # the output opens with a warning from inside an installed library
            found.append(output)
    return found


def output_text(cell):
    """All stream and plain-text output of a code cell, joined (errors as ``Name: message``)."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            parts.append(output.get("data", {}).get("text/plain", "") + "\n")  # a display ends its line
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
    return "".join(parts)


def output_with(cells, marker):
    """The output of the one code cell whose output contains ``marker``."""
    hits = [output_text(c) for c in cells if c.cell_type == "code" and marker in output_text(c)]
    assert len(hits) == 1, f"expected one cell printing {marker!r}, found {len(hits)}"
    return hits[0]


def results_tables(text):
    """Every ``evaluation.results_table`` printout in ``text``: a list of {row name: scores}."""
    tables, rows = [], None
    for line in text.splitlines():
        if _HEADER.match(line):
            rows = {}
            tables.append(rows)
            continue
        match = _ROW.match(line) if rows is not None else None
        if match:
            rows[match.group(1).strip()] = dict(zip(COLUMNS, (float(v) for v in match.groups()[1:])))
        else:
            rows = None
    return [table for table in tables if table]


def table(text):
    """The one results table in ``text`` (fails if there is none or several)."""
    found = results_tables(text)
    assert len(found) == 1, f"expected one results table, found {len(found)}"
    return found[0]
