"""Every notebook carries the current Colab badge, setup cell and navigation."""

import copy
import json
import re
import os
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


def test_setup_cell_is_the_stamped_one_and_pins_the_ref():
    repository, ref = stamp_notebooks.series_config()
    expected = stamp_notebooks.setup_cell(repository, ref)["source"]
    for path in stamp_notebooks.notebook_paths():
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        setup = [c for c in cells if "colab-setup" in c["metadata"].get("tags", [])]
        assert len(setup) == 1, path.name
        source = "".join(setup[0]["source"])
        assert source == expected, f"{path.name}: run python tools/stamp_notebooks.py"
        assert f'PACKAGE = "git+{repository}@{ref}"' in source
        badge = "".join(cells[0]["source"])
        assert "colab-badge.svg" in badge and f"/blob/{ref}/notebooks/{path.name}" in badge
        assert "series-navigation" in cells[-1]["metadata"].get("tags", [])


# --- what the setup cell does, run by IPython as a notebook runs it ---------------------------

REPOSITORY, REF = "https://github.com/example/series", "v9.8.7"
PACKAGE = f"git+{REPOSITORY}@{REF}"


# Runs the setup cell in a fresh IPython shell, in a child process (no shell is left behind in
# this one), once per scenario: %pip only records its arguments after IPython has expanded them;
# "installed" decides whether the distribution is installed (importlib.metadata); "colab" puts a
# google.colab in sys.modules; "kaggle" sets Kaggle's variable; "shadow" puts a learner's own
# helpers.py in the working folder. Prints one JSON line per scenario.
RUNNER = r"""
import importlib.metadata, json, os, sys, tempfile, types
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from traitlets.config import Config

config = Config()
config.HistoryManager.enabled = False
shell = InteractiveShell.instance(config=config)
calls = []
shell.register_magic_function(calls.append, "line", "pip")
real = importlib.metadata.distribution
source, distribution, scenarios = json.loads(sys.stdin.read())
home = os.getcwd()
for scenario in scenarios:
    calls.clear()
    sys.modules.pop("google.colab", None)
    os.environ.pop("KAGGLE_KERNEL_RUN_TYPE", None)
    if scenario["colab"]:
        sys.modules["google.colab"] = types.ModuleType("google.colab")
    if scenario["kaggle"]:
        os.environ["KAGGLE_KERNEL_RUN_TYPE"] = "Interactive"
    installed = scenario["installed"]

    def fake(name, installed=installed):
        if name != distribution:
            return real(name)
        if installed:
            return object()
        raise importlib.metadata.PackageNotFoundError(name)

    importlib.metadata.distribution = fake
    folder = tempfile.mkdtemp()
    os.chdir(folder)
    if scenario["shadow"]:
        with open("helpers.py", "w") as handle:
            handle.write("def my_function():\n    return 1\n")
    sys.path.insert(0, folder)
    importlib.invalidate_caches()
    with capture_output() as captured:
        result = shell.run_cell(source, store_history=False)
    sys.path.remove(folder)
    os.chdir(home)
    error = result.error_in_exec
    print(json.dumps({
        "calls": list(calls),
        "error": None if error is None else [type(error).__name__, str(error)],
        "printed": captured.stdout + captured.stderr,
        "folder": folder,
    }))
"""

SCENARIOS = {
    f"{where}-{'installed' if installed else 'missing'}{'-shadowed' if shadow else ''}": {
        "colab": where == "colab",
        "kaggle": where == "kaggle",
        "installed": installed,
        "shadow": shadow,
    }
    for where in ("colab", "kaggle", "elsewhere")
    for installed in (False, True)
    for shadow in (False, True)
}


@pytest.fixture(scope="module")
def setup_runs():
    """``{scenario: {"calls": [...], "error": [name, message] or None, "printed": str}}``."""
    source = stamp_notebooks.setup_cell(REPOSITORY, REF)["source"]
    env = {k: v for k, v in os.environ.items() if k != "KAGGLE_KERNEL_RUN_TYPE"}
    payload = [source, stamp_notebooks.project_name(), list(SCENARIOS.values())]
    result = subprocess.run(
        [sys.executable, "-c", RUNNER], input=json.dumps(payload), capture_output=True, text=True, check=True, env=env
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == len(SCENARIOS), result.stdout + result.stderr
    return dict(zip(SCENARIOS, lines))


@pytest.mark.parametrize("service", ["colab", "kaggle"])
def test_setup_cell_installs_the_pinned_release_without_dependencies_on_colab_and_kaggle(setup_runs, service):
    run = setup_runs[f"{service}-missing"]
    assert run["error"] is None, run
    assert run["calls"] == [f"install -q --no-deps {PACKAGE}"]


@pytest.mark.parametrize("service", ["colab", "kaggle", "elsewhere"])
def test_setup_cell_does_nothing_when_the_helpers_are_installed(setup_runs, service):
    run = setup_runs[f"{service}-installed"]
    assert (run["calls"], run["error"], run["printed"].strip()) == ([], None, "")


def test_setup_cell_elsewhere_stops_with_the_exact_install_command(setup_runs):
    run = setup_runs["elsewhere-missing"]
    assert run["calls"] == []
    assert run["error"] is not None and run["error"][0] == "ModuleNotFoundError"
    message = run["error"][1]
    assert f'%pip install "{PACKAGE}"' in [line.strip() for line in message.splitlines()]  # a line to copy
    assert "pip install -e ." in message  # the README's command for a clone
    assert len(message) < 300  # short enough to be read


@pytest.mark.parametrize("service", ["colab", "kaggle"])
def test_setup_cell_installs_even_when_a_learners_helpers_file_is_importable(setup_runs, service):
    """The old check (``find_spec("helpers")``) took a learner's helpers.py for the package and skipped this."""
    run = setup_runs[f"{service}-missing-shadowed"]
    assert run["calls"] == [f"install -q --no-deps {PACKAGE}"]


@pytest.mark.parametrize("scenario", ["colab-missing-shadowed", "elsewhere-installed-shadowed", "kaggle-installed-shadowed"])
def test_setup_cell_names_a_learners_helpers_file_that_hides_the_package(setup_runs, scenario):
    run = setup_runs[scenario]
    assert run["error"] is not None and run["error"][0] == "ImportError", run
    assert os.path.join(run["folder"], "helpers.py") in run["error"][1]  # the file to rename, by its path
    assert "rename it" in run["error"][1]


def test_setup_cell_elsewhere_without_the_package_asks_for_the_install_first(setup_runs):
    """Missing package and a shadowing file: the install command comes first (one fix at a time)."""
    run = setup_runs["elsewhere-missing-shadowed"]
    assert run["calls"] == [] and run["error"][0] == "ModuleNotFoundError"


def test_setup_cell_message_matches_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    source = stamp_notebooks.setup_cell(REPOSITORY, REF)["source"]
    assert "pip install -e ." in readme and "pip install -e ." in source
    assert "No module named 'helpers'" in readme  # the troubleshooting entry for the missing package


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


def test_no_committed_output_shows_a_path_of_the_machine_that_ran_it():
    """A warning left to Python's display names the kernel's temporary file (/tmp/ipykernel_1234/...py:5): noise
    to a learner, and a path of our machine. A notebook prints a warning's message itself instead."""
    for path in stamp_notebooks.notebook_paths():
        for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            for output in cell.get("outputs", []):
                text = "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
                for marker in ("ipykernel_", "/tmp/", "/home/", "site-packages"):
                    assert marker not in text, f"{path.name}, cell {index}: an output shows {marker!r}"


# --- headings and the folded solutions ------------------------------------------------------------


def _headings(source):
    """``(level, text)`` of each Markdown heading line of ``source``, fenced code left out."""
    found, fenced = [], False
    for line in source.splitlines():
        fenced ^= line.startswith("```")
        heading = None if fenced else re.match(r"(#{1,6}) (.*)", line)
        if heading:
            found.append((len(heading.group(1)), heading.group(2)))
    return found


def test_a_heading_only_ever_opens_a_markdown_cell():
    """JupyterLab folds a section, and lists it in its table of contents, by the heading a cell opens with; a
    heading further down a cell (the exercises under the summary, once) cannot be folded on its own."""
    for path in stamp_notebooks.notebook_paths():
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                source = "".join(cell["source"])
                inner = _headings("\n".join(source.splitlines()[1:]))
                assert not inner, f"{path.name}: a cell opening {source[:40]!r} holds the heading {inner[0][1]!r}"


def test_the_solutions_are_folded_until_the_learner_opens_them():
    """Every solution sits under one '### Solutions' heading that JupyterLab keeps folded
    (jp-MarkdownHeadingCollapsed) and Colab lists as a collapsed section (by the cell's id); the fold runs to
    the next heading of the same or a higher level, which must be the further reading, not part of a lesson."""
    for path in stamp_notebooks.notebook_paths():
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = notebook["cells"]
        opening = [_headings("".join(c["source"]))[:1] if c["cell_type"] == "markdown" else [] for c in cells]
        where = [i for i, found in enumerate(opening) if found == [(3, "Solutions")]]
        assert len(where) == 1, path.name
        head = cells[where[0]]
        assert head["metadata"].get("jp-MarkdownHeadingCollapsed") is True, path.name
        assert head["metadata"].get("id") == head["id"] and notebook["metadata"]["colab"]["collapsed_sections"] == [
            head["id"]], path.name
        end = next(i for i in range(where[0] + 1, len(cells)) if opening[i] and opening[i][0][0] <= 3)
        assert opening[end][0][1] == "Further reading", path.name
        assert any(c["cell_type"] == "code" for c in cells[where[0] + 1:end]), path.name  # the worked code is inside
        before = max(i for i in range(where[0]) if opening[i])
        assert "Exercises" in opening[before][0][1], path.name  # right after the exercises
