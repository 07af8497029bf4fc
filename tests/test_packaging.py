"""The project's own files agree with each other: one source of truth."""

import ast
import json
import re
import subprocess
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
    return [d for d in environment["dependencies"] if isinstance(d, str) and _name(d) not in ("python", "pip")]


def _requirements(pyproject):
    """pyproject.toml's runtime dependencies and test extras, as ``Requirement`` objects."""
    from packaging.requirements import Requirement

    project = pyproject["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]


def _pins(path):
    """``{canonical name: Version}`` from a constraints file of ``name==version`` lines."""
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    pins = {}
    for line in (ROOT / path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        assert sep and version.strip(), f"{path}: {line!r} is not a name==version pin"
        name = canonicalize_name(name.strip())
        assert name not in pins, f"{path} pins {name} twice"
        pins[name] = Version(version.strip())
    return pins


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
def test_ci_pins_are_allowed_by_pyproject(pyproject, pins):
    """Colab's versions (and the declared minimums) must be allowed by pyproject.toml."""
    from packaging.utils import canonicalize_name

    specifiers = {canonicalize_name(r.name): r.specifier for r in _requirements(pyproject)}
    pinned = _pins(pins)
    assert {"tensorflow", "keras", "scikit-learn", "numpy"} <= set(pinned), f"{pins} lacks the core pins"
    for name, version in pinned.items():
        assert name in specifiers, f"{pins} pins {name}, which pyproject.toml does not list"
        assert specifiers[name].contains(version), f"{name}=={version} violates {specifiers[name]}"


def test_minimum_constraints_pin_every_requirement_to_its_lower_bound(pyproject):
    """The minimum-versions run tests what pyproject.toml promises: every bound, extras too."""
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    pinned = _pins(".ci/constraints/minimum-py312.txt")
    requirements = _requirements(pyproject)
    assert set(pinned) == {canonicalize_name(r.name) for r in requirements}
    for requirement in requirements:
        lower = [s for s in requirement.specifier if s.operator == ">="]
        assert len(lower) == 1, f"{requirement} needs exactly one >= lower bound"
        bound, pin = Version(lower[0].version), pinned[canonicalize_name(requirement.name)]
        # the pin is in the series the bound names: >=1.13 -> 1.13.x, >=6.0.1 -> 6.0.1.x
        assert pin >= bound and pin.release[: len(bound.release)] == bound.release, (
            f"{requirement.name}=={pin} is not at the lower bound {requirement.specifier}"
        )


def test_environment_yml_python_matches_requires_python(pyproject):
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    python = next(d for d in environment["dependencies"] if isinstance(d, str) and _name(d) == "python")
    assert python.replace(" ", "").startswith("python" + pyproject["project"]["requires-python"].replace(" ", ""))


def test_readme_test_command_is_the_one_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- test-command:start -->\n```bash\n(.+?)\n```\n<!-- test-command:end -->", readme, re.S)
    assert block, "README.md must hold the test command between the test-command markers"
    command = block.group(1)
    assert "pip install -e \".[test,docs]\"" in command and "python -m pytest" in command  # the site is tested too
    ci = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run"), "--print-test-command"], capture_output=True, text=True, check=True
    )
    assert ci.stdout == command + "\n"


def test_readme_maps_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert f"notebooks/{notebook.name}" in readme, f"README.md does not link {notebook.name}"


# --- publishing: one version, one release tag, everywhere -------------------------------------


def _release_tag(pyproject):
    return "v" + pyproject["project"]["version"]


def test_series_ref_is_the_release_tag_of_the_package_version(pyproject):
    """Colab installs the helpers at [tool.series] ref: it must be the tag of this version."""
    ref, tag = pyproject["tool"]["series"]["ref"], _release_tag(pyproject)
    assert ref == tag, (
        f'[tool.series] ref is {ref!r} but the version is {pyproject["project"]["version"]}: set ref = "{tag}" '
        "and run python tools/stamp_notebooks.py (README: Publishing the series)"
    )


def test_helpers_version_is_the_package_version(pyproject):
    tree = ast.parse((ROOT / "helpers" / "__init__.py").read_text(encoding="utf-8"))
    versions = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets)
    ]
    assert versions == [pyproject["project"]["version"]], "helpers.__version__ must equal project.version"


def test_every_notebook_installs_and_opens_the_release_of_this_version(pyproject):
    """A version bump cannot leave Colab learners on old helpers: setup cells and badges pin its tag."""
    tag, repository = _release_tag(pyproject), pyproject["tool"]["series"]["repository"].rstrip("/")
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        setup = "".join(next(c for c in cells if "colab-setup" in c["metadata"].get("tags", []))["source"])
        assert f'PACKAGE = "git+{repository}@{tag}"' in setup, f"{path.name}: run python tools/stamp_notebooks.py"
        assert f"/blob/{tag}/notebooks/{path.name}" in "".join(cells[0]["source"]), path.name


def test_series_repository_is_the_project_repository(pyproject):
    series = pyproject["tool"]["series"]["repository"].rstrip("/")
    assert series.startswith("https://github.com/"), "the Colab badge needs a GitHub repository"
    assert pyproject["project"]["urls"]["Repository"].rstrip("/") == series
