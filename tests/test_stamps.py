"""Every notebook carries the current Colab badge, setup cell and navigation."""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
