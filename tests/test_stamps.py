"""Every notebook carries the current Colab badge, setup cell and navigation."""

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "stamp_notebooks.py"
sys.path.insert(0, str(ROOT / "tools"))

import stamp_notebooks  # noqa: E402


def test_no_notebook_has_drifted_from_the_stamp():
    assert stamp_notebooks.drifted() == [], "run: python tools/stamp_notebooks.py"


def test_stamp_detects_a_drifted_setup_cell(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.series]\nrepository = "https://github.com/example/series"\nref = "v9"\n', encoding="utf-8"
    )
    source = ROOT / "notebooks" / sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))[0]
    (tmp_path / "notebooks" / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    # the copied notebook points at the real repository, not example/series@v9
    assert stamp_notebooks.drifted(tmp_path / "notebooks", tmp_path) == [source.name]


def test_setup_cell_installs_only_on_colab_and_pins_the_ref():
    repository, ref = stamp_notebooks.series_config()
    for path in stamp_notebooks.notebook_paths():
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        setup = [c for c in cells if "colab-setup" in c["metadata"].get("tags", [])]
        assert len(setup) == 1, path.name
        source = "".join(setup[0]["source"])
        assert 'if "google.colab" in sys.modules:' in source
        assert f"git+{repository}@{ref}" in source
        badge = "".join(cells[0]["source"])
        assert "colab-badge.svg" in badge and f"/blob/{ref}/notebooks/{path.name}" in badge
        assert "series-navigation" in cells[-1]["metadata"].get("tags", [])


def _setup_source(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "".join(next(c for c in cells if "colab-setup" in c["metadata"].get("tags", []))["source"])


@pytest.fixture
def stale_copy(tmp_path):
    """A copy of the series whose first notebook's setup cell pins another tag; its badge is correct."""
    (tmp_path / "tools").mkdir()
    shutil.copy(TOOL, tmp_path / "tools" / TOOL.name)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "notebooks").mkdir()
    for path in stamp_notebooks.notebook_paths():  # all of them, so every navigation cell stays right
        shutil.copy(path, tmp_path / "notebooks" / path.name)
    repository, ref = stamp_notebooks.series_config()
    stale_ref = ref + "-stale"
    target = stamp_notebooks.notebook_paths(tmp_path / "notebooks")[0]
    notebook = json.loads(target.read_text(encoding="utf-8"))
    setup = next(c for c in notebook["cells"] if "colab-setup" in c["metadata"].get("tags", []))
    text = "".join(setup["source"])
    assert f"@{ref}" in text
    setup["source"] = text.replace(f"@{ref}", f"@{stale_ref}")
    target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert f"/blob/{ref}/notebooks/{target.name}" in "".join(notebook["cells"][0]["source"])  # badge is current
    return tmp_path, target, f"git+{repository}@{ref}", f"@{stale_ref}"


def _run_tool(root, *args):
    return subprocess.run(
        [sys.executable, str(root / "tools" / TOOL.name), *args], capture_output=True, text=True, check=False
    )


def test_check_reports_a_stale_setup_cell_even_when_the_badge_is_current(stale_copy):
    root, target, _, _ = stale_copy
    assert stamp_notebooks.drifted(root / "notebooks", root) == [target.name]
    result = _run_tool(root, "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert target.name in result.stdout
    assert [line for line in result.stdout.splitlines() if line.strip()] == [
        f"{target.name}: stamped cells are out of date; run python tools/stamp_notebooks.py"
    ]


def test_stamp_rewrites_a_stale_setup_cell_and_nothing_else(stale_copy):
    root, target, wanted, stale = stale_copy
    others = {p.name: p.read_bytes() for p in stamp_notebooks.notebook_paths(root / "notebooks") if p != target}
    result = _run_tool(root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["stamped", target.name]
    source = _setup_source(target)
    assert wanted in source and stale not in source
    assert {p.name: p.read_bytes() for p in stamp_notebooks.notebook_paths(root / "notebooks") if p != target} == others
    assert _run_tool(root, "--check").returncode == 0


def test_stamp_does_not_modify_the_notebook_it_is_given():
    path = stamp_notebooks.notebook_paths()[0]
    notebook = json.loads(path.read_text(encoding="utf-8"))
    setup = next(c for c in notebook["cells"] if "colab-setup" in c["metadata"].get("tags", []))
    setup["source"] = "stale"
    before = copy.deepcopy(notebook)
    cells = stamp_notebooks.stamp(notebook, path.name, None, None, "https://github.com/example/series", "v9")
    assert notebook == before
    stamped = next(c for c in cells if "colab-setup" in c["metadata"].get("tags", []))
    assert "git+https://github.com/example/series@v9" in stamped["source"]
    assert stamped["metadata"] == setup["metadata"]  # tags (and execution metadata) kept
