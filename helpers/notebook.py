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


def check_environment():
    """Fail early, and clearly, if Python or a package the series needs is missing or too old.

    Checks TensorFlow, Keras, scikit-learn, NumPy and Matplotlib. The minimum
    versions come from the project's own metadata (``pyproject.toml``), so
    they cannot drift from what ``pip`` enforces.

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
    for name in ("tensorflow", "keras", "scikit-learn", "numpy", "matplotlib"):
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


def _is_validation(statement):
    """True for an input check: ``x = check_...(...)`` / ``_check_...(...)``, or ``if ...: raise``."""
    if isinstance(statement, ast.If):
        return not statement.orelse and all(isinstance(s, ast.Raise) for s in statement.body)
    value = getattr(statement, "value", None)
    if not isinstance(value, ast.Call):
        return False
    called = value.func
    if not (called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")).startswith(
        ("check_", "_check")
    ):
        return False
    if isinstance(statement, ast.Expr):
        return True
    # ``x = check_int(x, ...)`` only re-binds an argument; ``self.x = check_int(x)`` stores it, so it stays.
    targets = statement.targets if isinstance(statement, ast.Assign) else [getattr(statement, "target", None)]
    first = value.args[0] if value.args else None
    return (
        len(targets) == 1
        and isinstance(targets[0], ast.Name)
        and isinstance(first, ast.Name)
        and first.id == targets[0].id
    )


def _hidden_lines(definition):
    """Line numbers (1-based) of docstrings and input checks in a definition and its methods."""
    hidden = set()
    for node in ast.walk(definition):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        body = node.body
        if ast.get_docstring(node) is not None and body[0].lineno > node.lineno:
            hidden.update(range(body[0].lineno, body[0].end_lineno + 1))
        for statement in body:
            # Keep at least one statement, so the shown function still parses.
            if _is_validation(statement) and len(body) > 1:
                hidden.update(range(statement.lineno, statement.end_lineno + 1))
    return hidden


def show_source(function):
    """Print the code of a function or class: the idea, without docstrings and input checks.

    The series shows each builder where it is first used, so the reader sees
    every layer, then imports it from :mod:`helpers` everywhere else. Lines
    that only validate the arguments (``x = check_int(...)``,
    ``if ...: raise ...``) are left out, with docstrings, so what is printed
    is the teaching core; the full code is in the ``helpers`` package.

    Parameters
    ----------
    function : callable
        A Python function or class defined in source code. A lambda's
        source is the line or lines that hold it, printed as they are.
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
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:  # a lambda: its source is the line that holds it, part of a larger statement
        print("\n".join(lines).rstrip())
        return
    hidden = _hidden_lines(tree.body[0])
    shown = [line for number, line in enumerate(lines, start=1) if number not in hidden]
    # Hiding lines can leave a blank line after a signature, or two in a row: drop those.
    text = "\n".join(
        line
        for i, line in enumerate(shown)
        if line.strip() or (i and shown[i - 1].strip() and not shown[i - 1].rstrip().endswith(":"))
    )
    print(text.rstrip())
