"""docs/teaching.md points teachers to notebook cells by a line of their code: every such line must still be in
that notebook, or a teacher in class looks for a cell that no longer exists (four had drifted when this was
first checked: a renamed argument, a reworded printout, a rewritten comment, a restructured cell)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def _code_lines(number):
    """Every line of every code cell of notebook ``number`` ("01" ... "05"), stripped."""
    path = next((ROOT / "notebooks").glob(f"{number}_*.ipynb"))
    cells = nbformat.read(path, as_version=4).cells
    return [line.strip() for cell in cells if cell.cell_type == "code" for line in cell.source.splitlines()]


def _references(guide):
    """``(notebook, code)`` for each table row of the guide whose notebook column ("03" or "03 §4") is followed
    by a column opening with a line of code in backticks; "..." ends the part that is quoted."""
    found = []
    for line in guide.splitlines():
        columns = [column.strip() for column in line.split("|")]
        for j, column in enumerate(columns[:-1]):
            notebook = re.fullmatch(r"(0[1-5])(?: §\d+)?", column)
            if notebook:
                code = re.match(r"`([^`]+)`", columns[j + 1])
                if code:
                    found.append((notebook.group(1), code.group(1).split("...")[0].rstrip(", ")))
                break
    return found


def test_every_cell_the_teachers_guide_points_to_is_still_in_its_notebook():
    references = _references((ROOT / "docs" / "teaching.md").read_text(encoding="utf-8"))
    assert len(references) >= 50  # the guide's timetable and its table of predictions
    lines = {number: _code_lines(number) for number in {n for n, _ in references}}
    missing = [(n, code) for n, code in references if not any(line.startswith(code) for line in lines[n])]
    assert not missing, f"docs/teaching.md points to code no notebook cell holds any more: {missing}"


def test_the_check_finds_a_reference_that_drifted():
    guide = "| 72-77 | 03 §6 | `raw_optics = fit_optics(X)` | ... |\n| 03 §7 | `def neighbour_purity(points):` | ... |\n"
    assert _references(guide) == [("03", "raw_optics = fit_optics(X)"), ("03", "def neighbour_purity(points):")]
    lines = _code_lines("03")
    assert any(line.startswith("raw_optics = fit_optics(X)") for line in lines)
    assert not any(line.startswith("def neighbour_purity(points):") for line in lines)  # the signature has k=10
