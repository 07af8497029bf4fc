"""The Colab replay's parts that run without its environment (.ci/run runs the replay itself).

The replay (``.ci/colab_replay.py``) needs its own Python 3.13 environment with Colab's
versions, so it is not part of the README's test command. These tests check what it relies on:
that ``--no-deps`` is safe (everything the helpers import ships with Colab), that it rewrites
the setup cell's URL and nothing else, that its stand-in repository carries the ref pip asks
for, and that it reports a changed package.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import stamp_notebooks  # noqa: E402


def _load_replay():
    spec = importlib.util.spec_from_file_location("colab_replay", ROOT / ".ci" / "colab_replay.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


replay = _load_replay()


def _third_party_imports(folder):
    """Top-level names of every module imported by the .py files in ``folder`` (stdlib and itself aside)."""
    names = set()
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("helpers", "__future__")}


def test_everything_the_helpers_import_ships_with_colab():
    """``--no-deps`` installs nothing else, so an import Colab lacks would break every Colab learner."""
    missing = _third_party_imports(ROOT / "helpers") - set(replay.COLAB_MODULES)
    assert not missing, f"the helpers import {sorted(missing)}, which Colab does not ship (see GUIDE section 5)"


def test_the_replay_environment_installs_what_the_helpers_import():
    pinned = set(replay.pins(ROOT / replay.CONSTRAINTS))
    extras = {e.split("==")[0].lower() for e in replay.EXTRAS + replay.WIDGETS}
    for module in _third_party_imports(ROOT / "helpers"):
        distribution = replay.COLAB_MODULES[module]
        assert distribution in pinned | extras | {"ipython"}, f"the replay does not install {distribution}"


def test_runtime_dependencies_are_on_colab_or_not_needed_there():
    """Every runtime dependency but JupyterLab (a local-only front end) is something Colab has."""
    from packaging.requirements import Requirement

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = {Requirement(r).name.lower() for r in pyproject["project"]["dependencies"]}
    assert names - set(replay.COLAB_MODULES.values()) == {"jupyterlab"}


def _notebook(source):
    nbformat = pytest.importorskip("nbformat")
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Title"),
            nbformat.v4.new_code_cell(source, metadata={"tags": [replay.SETUP_TAG]}),
            nbformat.v4.new_code_cell("import helpers"),
        ]
    )


PLAN = {
    "repository": "https://github.com/example/series",
    "ref": "v1.2.3",
    "clone_url": "file:///tmp/replay/published",
}


def test_the_setup_cell_is_pointed_at_the_stand_in_and_keeps_its_ref():
    source = stamp_notebooks.setup_cell(PLAN["repository"], PLAN["ref"])["source"]
    notebook = _notebook(source)
    before = copy.deepcopy(notebook)
    replay.point_setup_cell_at_clone(notebook, PLAN)
    rewritten = notebook.cells[1].source
    assert rewritten == source.replace(PLAN["repository"], PLAN["clone_url"])
    assert 'PACKAGE = "git+file:///tmp/replay/published@v1.2.3"' in rewritten
    assert PLAN["repository"] not in rewritten
    assert [c.source for i, c in enumerate(notebook.cells) if i != 1] == [
        c.source for i, c in enumerate(before.cells) if i != 1
    ]


@pytest.mark.parametrize("ref", ["v1.2.2", "main"])
def test_a_setup_cell_pinned_elsewhere_is_refused(ref):
    notebook = _notebook(stamp_notebooks.setup_cell(PLAN["repository"], ref)["source"])
    with pytest.raises(AssertionError, match="stamp_notebooks"):
        replay.point_setup_cell_at_clone(notebook, PLAN)


def test_exactly_one_setup_cell_is_required():
    notebook = _notebook("pass")
    notebook.cells[2].metadata["tags"] = [replay.SETUP_TAG]
    with pytest.raises(AssertionError, match="2 cells tagged"):
        replay.setup_index(notebook)


def test_changes_reports_core_and_other_packages_but_not_the_helpers():
    before = {"tensorflow": "2.20.0", "numpy": "2.1.3", "six": "1.17.0"}
    assert replay.changes(before, {**before, replay.DISTRIBUTION: "0.1.0"}) == {}
    after = {"tensorflow": "2.21.0", "numpy": "2.1.3", "jupyterlab": "4.4.0", replay.DISTRIBUTION: "0.1.0"}
    assert replay.changes(before, after) == {
        "jupyterlab": (None, "4.4.0"),
        "six": ("1.17.0", None),
        "tensorflow": ("2.20.0", "2.21.0"),
    }


def test_the_stand_in_repository_holds_the_tree_at_the_ref(tmp_path):
    source = tmp_path / "tree"
    (source / "helpers").mkdir(parents=True)
    (source / "helpers" / "__init__.py").write_text("__version__ = '1.2.3'\n", encoding="utf-8")
    (source / ".venv").mkdir()
    (source / ".venv" / "big").write_text("not part of the tree\n", encoding="utf-8")
    published = tmp_path / "published"
    published.mkdir()
    commit = replay.make_repository(source, published, "v1.2.3")
    tagged = subprocess.run(
        ["git", "-C", str(published), "rev-parse", "v1.2.3^{commit}"], capture_output=True, text=True, check=True
    )
    assert tagged.stdout.strip() == commit
    files = subprocess.run(
        ["git", "-C", str(published), "ls-tree", "-r", "--name-only", "v1.2.3"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert files == ["helpers/__init__.py"]


def test_the_colab_stand_in_is_in_sys_modules_after_start_up(tmp_path):
    startup = tmp_path / "standin.py"
    startup.write_text(replay.COLAB_STANDIN, encoding="utf-8")
    probe = f"exec(open({str(startup)!r}).read()); import sys; print('google.colab' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


def test_the_pins_are_colab_s():
    pins = replay.pins(ROOT / replay.CONSTRAINTS)
    assert set(replay.CORE) <= set(pins)
    assert replay.PYTHON == (3, 13) and "py313" in replay.CONSTRAINTS


def test_ci_run_runs_the_replay_as_its_own_environment():
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "colab-replay-py313" in text.split("ENVIRONMENTS=(", 1)[1].split(")", 1)[0]
    assert '.ci/colab_replay.py" --source "$WORK/snapshot"' in text
