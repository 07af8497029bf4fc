"""Reading a committed notebook's outputs, for the tests that check each notebook's claims.

The notebooks print their results; they never print whether a claim holds.
These functions read the printed text back so that ``test_notebook_NN_claims``
can check every claim the prose makes against the numbers the cells printed.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
COLUMNS = ("ari", "nmi", "accuracy", "noise", "clusters")
#: Project bookkeeping that must never reach a learner's screen.
BOOKKEEPING = re.compile(r"\b(targets?|bars?|pass(?:es|ed)?|fail(?:s|ed|ure)?|stretch|met)\b", re.IGNORECASE)
_HEADER = re.compile(r"^pipeline\s+ARI\s+NMI\s+accuracy\s+noise\s+clusters\s*$")
_ROW = re.compile(r"^(.*?)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(\d+)\s*$")


def read(name):
    """The committed notebook ``notebooks/<name>`` as an nbformat node."""
    return nbformat.read(NOTEBOOKS / name, as_version=4)


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
