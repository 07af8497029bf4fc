"""Small conveniences for the notebooks: version checks and showing code."""

from __future__ import annotations

import ast
import inspect
import sys
from importlib import metadata

DISTRIBUTION = "clustering-with-neural-networks"


def _requirements():
    """(name, minimum version) for every runtime dependency with a lower bound."""
    from packaging.requirements import Requirement

    pairs = []
    for line in metadata.requires(DISTRIBUTION) or []:
        requirement = Requirement(line)
        if requirement.marker is not None:  # extras such as [test]
            continue
        for spec in requirement.specifier:
            if spec.operator == ">=":
                pairs.append((requirement.name, spec.version))
    return pairs


def check_environment(packages=("tensorflow", "keras", "scikit-learn", "numpy", "matplotlib")):
    """Fail early, and clearly, if an installed package is older than the series needs.

    The minimum versions come from the project's own metadata
    (``pyproject.toml``), so they cannot drift from what ``pip`` enforces.

    Parameters
    ----------
    packages : sequence of str
        Distributions to check.

    Returns
    -------
    dict
        ``{name: installed version}`` for Python and each package, handy to
        print at the top of a notebook.

    Raises
    ------
    RuntimeError
        Naming every package that is missing or too old, and how to fix it.
    """
    from packaging.version import Version

    try:
        minimums = dict(_requirements())
    except metadata.PackageNotFoundError:
        raise RuntimeError(
            f"the series' package ({DISTRIBUTION}) is not installed, so its minimum versions are "
            'unknown. Install it from the repository folder with: pip install -e ".[test]"'
        ) from None
    found = {"python": ".".join(map(str, sys.version_info[:3]))}
    problems = []
    if sys.version_info < (3, 11):
        problems.append(f"Python {found['python']} (need >= 3.11)")
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name} is not installed")
            continue
        minimum = minimums.get(name)
        if minimum and Version(found[name]) < Version(minimum):
            problems.append(f"{name} {found[name]} (need >= {minimum})")
    if problems:
        raise RuntimeError(
            "This environment is too old for the series: "
            + "; ".join(problems)
            + '. Upgrade with: pip install -U -e ".[test]" (see the README).'
        )
    return found


def show_source(function):
    """Print a function's code without its docstring.

    The series shows each builder where it is first used, so the reader sees
    every layer, then imports it from :mod:`helpers` everywhere else.

    Parameters
    ----------
    function : callable
        A Python function or class defined in source code.
    """
    if not callable(function):
        raise TypeError(f"function must be a function or class; got {type(function).__name__}")
    try:
        lines = inspect.getsource(function).splitlines()
    except (OSError, TypeError) as exc:
        raise TypeError(f"no Python source is available for {function!r}") from exc
    # Dedent by the first line's indentation only: a method may hold a
    # multi-line string whose lines start at column 0.
    indent = len(lines[0]) - len(lines[0].lstrip())
    lines = [line[indent:] if not line[:indent].strip() else line for line in lines]
    definition = ast.parse("\n".join(lines)).body[0]
    if ast.get_docstring(definition) is not None:
        docstring = definition.body[0]
        if docstring.lineno > definition.lineno:  # leave one-line definitions whole
            del lines[docstring.lineno - 1 : docstring.end_lineno]
    print("\n".join(lines).rstrip())
