"""The project's own files agree with each other: one source of truth."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement):
    return re.split(r"[<>=!~ ;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(requirement):
    return requirement.strip()[len(_name(requirement)) :].replace(" ", "")


@pytest.fixture(scope="module")
def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def conda_packages():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    return [d for d in environment["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))]


def test_environment_yml_lists_exactly_the_pyproject_packages(pyproject, conda_packages):
    project = pyproject["project"]
    wanted = {_name(r): _spec(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    conda = {_name(r): _spec(r) for r in conda_packages}
    assert conda == wanted


def test_environment_yml_installs_the_project_itself():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_sections = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert pip_sections and any(line.endswith("-e .") for line in pip_sections[0])


def test_runtime_dependencies_cover_the_design_card(pyproject):
    names = {_name(r) for r in pyproject["project"]["dependencies"]}
    assert {"tensorflow", "keras", "scikit-learn", "numpy", "matplotlib", "jupyterlab"} <= names
    assert {"pytest", "nbval"} <= {_name(r) for r in pyproject["project"]["optional-dependencies"]["test"]}


@pytest.mark.parametrize("pins", [".ci/constraints/colab-py313.txt", ".ci/constraints/minimum-py312.txt"])
def test_ci_pins_satisfy_the_lower_bounds(pyproject, pins):
    """Colab's versions (and the declared minimums) must be allowed by pyproject.toml."""
    from packaging.requirements import Requirement

    lower = {Requirement(r).name.lower(): Requirement(r).specifier for r in pyproject["project"]["dependencies"]}
    for line in (ROOT / pins).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, version = line.split("==")
        assert lower[name.lower()].contains(version), f"{name}=={version} violates {lower[name.lower()]}"


def test_readme_test_command_is_the_one_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- test-command:start -->\n```bash\n(.+?)\n```\n<!-- test-command:end -->", readme, re.S)
    assert block, "README.md must hold the test command between the test-command markers"
    command = block.group(1)
    assert "pip install -e \".[test]\"" in command and "python -m pytest" in command
    assert "test-command:start" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_maps_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert f"notebooks/{notebook.name}" in readme, f"README.md does not link {notebook.name}"
