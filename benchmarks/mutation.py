"""Mutation testing: do the tests fail when a formula or a rule is written wrong?

A mutant is a copy of the code with one small plausible mistake: a ``<`` turned into ``<=``, a
sign dropped, a constant changed, a loop that never runs, a condition negated. The matching tests
run against each mutant; a mutant they still pass *survived*, and points at a formula or a rule no
test really checks (or at an *equivalent* mutant, which behaves like the original: a human judges
that and records it, with the reason, in ``benchmarks/mutation_equivalent.txt``).

Two kinds of targets:

- a module of ``helpers`` that holds formulas and rules (:data:`MODULE_TESTS` lists them with the
  test files that cover each one);
- the code a notebook teaches: its cells tagged ``lesson-code``, exported with
  ``tests/lesson_code.py`` to ``<workdir>/lessons/lesson_<stem>.py``, mutated there, and loaded by
  the tests through ``SERIES_LESSON_SOURCE=<workdir>/lessons`` (see ``lesson_code.load``). The
  tests of a notebook are the test files that call ``lesson_code`` and name the notebook.

Usage (outside CI: a run takes minutes to an hour; run it niced on a shared machine)::

    nice -n 10 python benchmarks/mutation.py --module helpers/evaluation.py
    nice -n 10 python benchmarks/mutation.py --notebook 04_deep_embedded_clustering_digits.ipynb
    nice -n 10 python benchmarks/mutation.py --all            # every module and notebook target
    python benchmarks/mutation.py --list                      # targets and their tests, no run

Options: ``--timeout SECONDS`` per mutant (default: three times the unmutated test run plus 10 s;
a mutant that runs longer counts as killed, reported apart as "timeout"), ``--tests FILE ...`` to
replace the matching tests, ``--all-operators`` for cosmic-ray's full operator set,
``--workdir DIR`` to keep the sessions and exported lessons somewhere known, ``--report`` with
the same ``--workdir`` to print the report of a run so far (even one still going: mutants not run
yet count as "not run" and do not enter the kill rate), ``--retest-survivors`` with the same
``--workdir`` to run only the surviving mutants again once the tests are stronger (mutants not
run yet stay not run), ``--resume`` with the same ``--workdir`` to run only the mutants a stopped
run has not run (for both, the mutated file must be the one the run started from: a changed file
is refused, since the mutants are positions in its text), ``--functions NAME ...`` to mutate only the lines of the named
top-level functions or classes of the target (the rest is marked skipped and left out of the
counts: for a target whose tests are slow, e.g. notebook 04's losses and rules without its
training recipe; say so when you report such a partial run), ``--no-fork`` to start every
mutant's tests in a new process instead of forking them from a server that has NumPy, pytest and scikit-learn imported (see
:func:`serve_pytest`: 2-3 times faster on a module whose tests take a second). The exit status is 1 when a mutant
survived that the equivalents file does not list.

Nothing in the working tree is edited: each run copies ``helpers/``, ``tests/``, ``notebooks/``
and ``pyproject.toml`` into the work directory and mutates the copy, so an interrupted run leaves
no mutant behind. Each mutant's tests run as
``python -m pytest -x -q -p no:cacheprovider -p no:nbval -o addopts= <files>`` (no notebook
execution, first failure stops the run), plus ``-p no:hypothesispytest`` when no file uses
Hypothesis and ``--noconftest`` when no file uses a fixture of ``tests/conftest.py`` (see
:func:`test_command`), with the slow-to-import modules of :data:`SKIPPED_IMPORTS` replaced by
stubs: ``tests/test_tables.py`` then runs in 2-3 s of CPU instead of 11.

Why cosmic-ray (``cosmic-ray==8.7.0``) and not mutmut (3.8): cosmic-ray mutates one file in
place and runs an arbitrary test command per mutant in a fresh process, so the mutated file can
be anything the tests read, here a lesson exported from a notebook and executed by
``lesson_code.load`` through an environment variable. mutmut 3 copies the sources into
``mutants/`` and rewrites each function into a "trampoline" that picks the active mutant at run
time by the function's module-qualified name (``MUTANT_UNDER_TEST``); it learns which tests reach
a function from those trampolines while pytest runs in its own process, then forks that process
per mutant. A lesson executed from a file with ``exec`` has no importable module name for the
trampolines to key on, and forking a process that has loaded TensorFlow is unsafe. cosmic-ray
keeps each session in a SQLite file (``cosmic-ray dump`` gives JSON) and has an operator filter
(``cr-filter-operators``), used here to keep the *focused* set below. It reports a mutant whose
tests run past the timeout as killed with the output "timeout"; the report lists those apart.

Focused operators (default): cosmic-ray replaces each binary operator by ten others and each
comparison by seven, mostly mistakes nobody writes (``+`` into ``<<``), which more than doubles
the mutants (``helpers/evaluation.py``: 209 instead of 84; ``helpers/tables.py``: 412 instead of
204) at 10-30 s of test run each. The focused set keeps the mistakes a person makes: a sibling operator
(``+``/``-``, ``*``/``/``, ``/``/``//``, ``**``/``*``), a bound moved (``<``/``<=``) or flipped
(``<``/``>``), ``==``/``!=``, ``is``/``is not``, a dropped unary ``-`` or ``not``, plus all of
cosmic-ray's other operators (changed numbers, ``not`` added, ``True``/``False``, ``and``/``or``,
``break``/``continue``, a loop that never runs, a swallowed exception, a removed decorator).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENT_FILE = ROOT / "benchmarks" / "mutation_equivalent.txt"

#: The helpers modules that hold formulas and rules, with the test files that cover each one.
MODULE_TESTS = {
    "helpers/evaluation.py": ["tests/test_evaluation.py"],
    "helpers/tables.py": ["tests/test_tables.py"],
    "helpers/selection.py": ["tests/test_selection.py"],
    "helpers/clustering.py": ["tests/test_clustering.py", "tests/test_reachability.py"],
    "helpers/training.py": ["tests/test_training.py"],
    "helpers/_validation.py": ["tests/test_validation.py"],
}

#: What the copy of the project holds (enough to run the unit tests; notebook 04's claims read
#: ``benchmarks/tune_digits*.json``).
COPIED = ("helpers", "tests", "notebooks", "benchmarks", "pyproject.toml", "README.md")  # tests read the README too

#: Focused operators: for each binary operator, the siblings it may be replaced by.
BINARY_SIBLINGS = {
    "Add": ("Sub",), "Sub": ("Add",), "Mul": ("Div", "Pow"), "Div": ("Mul", "FloorDiv"),
    "FloorDiv": ("Div",), "Mod": ("FloorDiv",), "Pow": ("Mul",),
    "BitOr": ("BitAnd",), "BitAnd": ("BitOr",), "BitXor": ("BitOr",),
    "LShift": ("RShift",), "RShift": ("LShift",),
}
#: Focused operators: for each comparison, a bound moved or flipped, or the test negated.
COMPARISON_SIBLINGS = {
    "Eq": ("NotEq",), "NotEq": ("Eq",), "Lt": ("LtE", "Gt"), "LtE": ("Lt", "GtE"),
    "Gt": ("GtE", "Lt"), "GtE": ("Gt", "LtE"), "Is": ("IsNot",), "IsNot": ("Is",),
}

TEST_COMMAND = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:nbval",
                "-o", "addopts="]


# --------------------------------------------------------------------------
# Targets and their tests


@dataclass
class Target:
    """What to mutate and which tests must catch it.

    Attributes
    ----------
    label : str
        How the report and the equivalents file name the target
        (``helpers/evaluation.py`` or ``notebooks/04_x.ipynb``).
    tests : list of str
        Test files, relative to the project root (or absolute).
    notebook : Path or None
        The notebook, for a notebook target.
    """

    label: str
    tests: list
    notebook: Path | None = None


def notebook_tests(name, tests_dir=ROOT / "tests"):
    """The test files that load ``name``'s lesson code: they use ``lesson_code`` and name the notebook.

    Parameters
    ----------
    name : str
        Notebook file name, e.g. ``"04_deep_embedded_clustering_digits.ipynb"``.
    tests_dir : path-like
        Folder of the test files.

    Returns
    -------
    list of str
        ``tests/<file>`` paths, sorted.
    """
    found = []
    for path in sorted(Path(tests_dir).glob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        if "lesson_code" in text and name in text:
            found.append(f"tests/{path.name}")
    return found


def module_target(path, tests=None):
    """The :class:`Target` for a helpers module (``helpers/x.py``), tests from :data:`MODULE_TESTS`."""
    label = Path(path).as_posix()
    if label.startswith("./"):
        label = label[2:]
    if tests is None:
        if label not in MODULE_TESTS:
            raise ValueError(f"no tests known for {label!r}: add it to MODULE_TESTS or pass --tests")
        tests = MODULE_TESTS[label]
    return Target(label=label, tests=list(tests))


def notebook_target(notebook, tests=None, notebooks_dir=ROOT / "notebooks", tests_dir=ROOT / "tests"):
    """The :class:`Target` for a notebook's lesson code.

    ``notebook`` is a file name in ``notebooks/`` or a path to a notebook elsewhere.
    """
    path = Path(notebook)
    if not path.is_file():
        path = Path(notebooks_dir) / path.name
    if not path.is_file():
        raise ValueError(f"no notebook {notebook!r}")
    if tests is None:
        tests = notebook_tests(path.name, tests_dir)
        if not tests:
            raise ValueError(f"no test file uses lesson_code with {path.name!r}: pass --tests")
    label = f"notebooks/{path.name}" if path.parent.resolve() == Path(notebooks_dir).resolve() else str(path)
    return Target(label=label, tests=list(tests), notebook=path)


def lesson_notebooks(notebooks_dir=ROOT / "notebooks"):
    """The notebooks that have at least one cell tagged ``lesson-code``."""
    lesson_code = _lesson_code()
    found = []
    for path in sorted(Path(notebooks_dir).glob("[0-9]*.ipynb")):
        try:
            lesson_code.cells(path.name, path.parent)
        except LookupError:
            continue
        found.append(path)
    return found


def _lesson_code():
    """``tests/lesson_code.py``, the exporter the tests themselves use."""
    if str(ROOT / "tests") not in sys.path:
        sys.path.insert(0, str(ROOT / "tests"))
    import lesson_code

    return lesson_code


# --------------------------------------------------------------------------
# Operators


def is_focused(operator):
    """Whether a cosmic-ray operator name (``core/ReplaceBinaryOperator_Add_Sub``) is in the focused set."""
    name = operator.split("/")[-1]
    kind, _, rest = name.partition("_")
    if kind == "ReplaceBinaryOperator":
        source, _, replacement = rest.partition("_")
        return replacement in BINARY_SIBLINGS.get(source, ())
    if kind == "ReplaceComparisonOperator":
        source, _, replacement = rest.partition("_")
        return replacement in COMPARISON_SIBLINGS.get(source, ())
    if kind == "ReplaceUnaryOperator":
        return rest.startswith("Delete_")
    return True


def excluded_operators(names):
    """Regular expressions (anchored names) for ``cr-filter-operators``: the operators outside the focused set."""
    return [re.escape(name) + "$" for name in names if not is_focused(name)]


# --------------------------------------------------------------------------
# Equivalent mutants


@dataclass(frozen=True)
class Mutant:
    """One mutant and what the tests did with it.

    Attributes
    ----------
    target : str
        The target's label.
    operator : str
        cosmic-ray's operator name.
    line : int
        Line of the mutation in the mutated file.
    before, after : str
        The changed line before and after the mutation, stripped.
    outcome : str
        ``"killed"``, ``"survived"``, ``"timeout"``, ``"incompetent"``, ``"pending"`` (not run
        yet) or ``"skipped"`` (filtered out, or not a mutant: see :func:`is_bare_star`).
    where : str
        Where a person finds the line (``helpers/x.py:12``, or a notebook cell).
    """

    target: str
    operator: str
    line: int
    before: str
    after: str
    outcome: str
    where: str = ""

    def key(self):
        """How the equivalents file names this mutant: target, operator, mutated line."""
        return (self.target, self.operator, self.after)


def parse_equivalents(text):
    """Read the equivalents file: ``target | operator | mutated line | reason`` per line.

    Blank lines and lines starting with ``#`` are ignored. The mutated line is the ``+`` line of
    the report, stripped; it may itself contain ``" | "`` (the reason is after the last one).

    Returns
    -------
    dict
        ``(target, operator, mutated line) -> reason``.

    Raises
    ------
    ValueError
        On a line with fewer than four fields or an empty reason, naming the line number.
    """
    equivalents = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(" | ")]
        if len(fields) < 4 or not fields[-1]:
            raise ValueError(f"equivalents line {number}: expected 'target | operator | mutated line | reason', "
                             f"got {raw!r}")
        target, operator, reason = fields[0], fields[1], fields[-1]
        equivalents[(target, operator, " | ".join(fields[2:-1]))] = reason
    return equivalents


def read_equivalents(path=EQUIVALENT_FILE):
    """:func:`parse_equivalents` of a file; an absent file means no known equivalents."""
    path = Path(path)
    return parse_equivalents(path.read_text(encoding="utf-8")) if path.exists() else {}


# --------------------------------------------------------------------------
# cosmic-ray's results


def changed_lines(diff):
    """The first removed and the first added line of a unified diff, as in the file (``("", "")`` if none)."""
    before = after = None
    for line in diff.splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("-") and before is None:
            before = line[1:]
        elif line.startswith("+") and after is None:
            after = line[1:]
    return before or "", after or ""


def is_bare_star(line, column):
    """Whether ``line[column]`` is the bare ``*`` of a signature (``def f(a, *, b)``), not a product.

    cosmic-ray takes that marker for a multiplication and "replaces" it: ``/`` makes the
    parameters before it positional-only (same behaviour for callers that pass the rest by
    keyword, as they must), ``**`` is a syntax error. Neither is a mistake in a formula, so such
    mutants are left out of the counts.
    """
    if column >= len(line) or line[column] != "*":
        return False
    rest = line[column + 1:].lstrip()
    return rest[:1] in (",", ")")


def outcome_of(result):
    """Our outcome word for one cosmic-ray ``WorkResult`` (a dict from ``cosmic-ray dump``, or None)."""
    if result is None:
        return "pending"
    worker = result.get("worker_outcome")
    if worker == "skipped":  # a mutant a running retest has set aside is still not run
        return "pending" if result.get("output") == DEFERRED else "skipped"
    if worker != "normal":
        return "incompetent"
    test = result.get("test_outcome")
    if test == "killed" and (result.get("output") or "").strip() == "timeout":
        return "timeout"
    return test or "incompetent"


def parse_dump(text, label, locate=None):
    """The :class:`Mutant` list from ``cosmic-ray dump`` output (JSON lines of ``[work_item, result]``).

    Parameters
    ----------
    text : str
        The dump.
    label : str
        The target's label.
    locate : callable, optional
        ``locate(line) -> str`` tells where a line of the mutated file is for a person; default
        ``"<label>:<line>"``.
    """
    mutants = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        item, result = json.loads(raw)
        mutation = item["mutations"][0]
        line, column = (int(n) for n in mutation["start_pos"])
        before, after = changed_lines((result or {}).get("diff") or "")
        outcome = "skipped" if is_bare_star(before, column) else outcome_of(result)
        where = locate(line) if locate else f"{label}:{line}"
        mutants.append(Mutant(label, mutation["operator_name"], line, before.strip(), after.strip(), outcome, where))
    mutants.sort(key=lambda m: (m.line, m.operator))
    return mutants


# --------------------------------------------------------------------------
# The report


@dataclass
class Summary:
    """Counts for one target, after the known equivalent mutants are set aside."""

    label: str
    killed: int = 0
    timeout: int = 0
    survived: list = field(default_factory=list)
    equivalent: list = field(default_factory=list)
    incompetent: int = 0
    pending: int = 0
    seconds: float | None = None

    @property
    def kill_rate(self):
        """Killed (timeouts included) over killed plus surviving non-equivalent mutants; None if none ran."""
        caught = self.killed + self.timeout
        total = caught + len(self.survived)
        return caught / total if total else None


def summarise(label, mutants, equivalents, seconds=None):
    """A :class:`Summary` of one target's mutants; survivors listed in ``equivalents`` count apart."""
    summary = Summary(label, seconds=seconds)
    for mutant in mutants:
        if mutant.outcome == "killed":
            summary.killed += 1
        elif mutant.outcome == "timeout":
            summary.timeout += 1
        elif mutant.outcome == "survived":
            reason = equivalents.get(mutant.key())
            if reason is None:
                summary.survived.append(mutant)
            else:
                summary.equivalent.append((mutant, reason))
        elif mutant.outcome == "pending":
            summary.pending += 1
        else:
            summary.incompetent += 1
    return summary


def format_report(summaries):
    """The printed report: a table of counts per target, then every surviving mutant.

    A survivor shows where it is, the operator, the line before (``-``) and after (``+``), and the
    line to add to the equivalents file if a person judges it equivalent.
    """
    lines = ["| target | mutants | killed | timeout | survived | equivalent | not run | kill rate | seconds |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in summaries:
        total = s.killed + s.timeout + len(s.survived) + len(s.equivalent) + s.incompetent + s.pending
        rate = "-" if s.kill_rate is None else f"{100 * s.kill_rate:.1f} %"
        seconds = "-" if s.seconds is None else f"{s.seconds:.0f}"
        lines.append(f"| {s.label} | {total} | {s.killed} | {s.timeout} | {len(s.survived)} | "
                     f"{len(s.equivalent)} | {s.pending} | {rate} | {seconds} |")
    if any(s.incompetent for s in summaries):
        lines.append("")
        lines.append("Mutants that could not be tested (cosmic-ray 'incompetent'): "
                     + ", ".join(f"{s.label}: {s.incompetent}" for s in summaries if s.incompetent))
    for s in summaries:
        if not s.survived:
            continue
        lines += ["", f"Surviving mutants of {s.label}:"]
        for m in s.survived:
            lines += [f"  {m.where}  {m.operator}",
                      f"    - {m.before}",
                      f"    + {m.after}",
                      f"    equivalent? {m.target} | {m.operator} | {m.after} | <reason>"]
    for s in summaries:
        if s.equivalent:
            lines += ["", f"Known equivalent mutants of {s.label}:"]
            lines += [f"  {m.where}  {m.after}  -- {reason}" for m, reason in s.equivalent]
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Notebook lessons: export and find a line's cell


def cell_locator(label, exported, cell_sources, cell_numbers):
    """A ``locate(line)`` for :func:`parse_dump` that names the notebook cell of a line of the export.

    Parameters
    ----------
    label : str
        The notebook's label (``notebooks/04_x.ipynb``).
    exported : str
        The exported module text (``lesson_code.source``).
    cell_sources : list of str
        The ``lesson-code`` cells' sources, in order (``lesson_code.cells``).
    cell_numbers : list of int
        Each of those cells' 1-based position among all the notebook's cells.
    """
    starts, position = [], 0
    for source in cell_sources:
        index = exported.find(source.rstrip(), position)
        starts.append(exported.count("\n", 0, index) + 1 if index >= 0 else None)
        position = max(position, index)

    def locate(line):
        best = None
        for k, start in enumerate(starts):
            if start is not None and start <= line:
                best = k
        if best is None:
            return f"{label} (exported line {line})"
        return f"{label} cell {cell_numbers[best]} line {line - starts[best] + 1}"

    return locate


def export_lesson(notebook, folder, label=None):
    """Write ``notebook``'s lesson code to ``folder/lesson_<stem>.py``; return ``(path, locate)``.

    ``label`` names the notebook in ``locate``'s answers (default ``notebooks/<name>``).
    """
    import nbformat

    lesson_code = _lesson_code()
    notebook = Path(notebook)
    text = lesson_code.source(notebook.name, notebook.parent)
    path = Path(folder) / f"{lesson_code.module_name(notebook.name)}.py"
    path.write_text(text, encoding="utf-8")
    cells = nbformat.read(notebook, as_version=4).cells
    numbers = [i + 1 for i, c in enumerate(cells)
               if c.cell_type == "code" and lesson_code.TAG in c.metadata.get("tags", [])]
    label = label or f"notebooks/{notebook.name}"
    return path, cell_locator(label, text, lesson_code.cells(notebook.name, notebook.parent), numbers)


# --------------------------------------------------------------------------
# A pytest fork server: each mutant's tests start without re-importing NumPy and pytest

#: Modules the fork server imports once, before it forks a child per mutant. Only third-party
#: modules that start no threads of their own at import (thread pools are set to one thread in the
#: server's environment) and never a module of the project: each child imports ``helpers``, the
#: tests and TensorFlow afresh, so it sees the mutated file.
SERVER_PRELOAD = ("numpy", "pytest", "scipy.spatial", "scipy.optimize", "scipy.stats", "sklearn.cluster",
                  "sklearn.neighbors", "sklearn.metrics", "sklearn.datasets", "sklearn.mixture",
                  "sklearn.decomposition", "sklearn.preprocessing")
#: Environment of the fork server (one BLAS/OpenMP thread: forking a process with a running
#: thread pool is unsafe, and the machine is shared anyway).
SERVER_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1"}


def serve_pytest(socket_path, preload=SERVER_PRELOAD):
    """Serve pytest runs on a Unix socket, one forked child per request (never returns).

    A request is one line of JSON: ``{"args": [...pytest arguments], "cwd": folder, "timeout": s}``;
    the answer is one line of JSON: ``{"code": exit status, "output": the run's output}`` (status
    -9 when the child ran past ``timeout`` seconds and was killed). ``preload`` names the modules
    imported before the first fork.
    """
    import importlib
    import signal
    import socket
    import warnings

    sys.dont_write_bytecode = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in preload:
            try:
                importlib.import_module(name)
            except ImportError:
                pass
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(socket_path))
    listener.listen(1)
    while True:
        connection, _ = listener.accept()
        with connection:
            request = json.loads(connection.makefile("r", encoding="utf-8").readline())
            with tempfile.TemporaryFile() as log:
                pid = os.fork()
                if pid == 0:  # the child: a fresh pytest run in this process
                    code = 3
                    try:
                        os.setsid()
                        os.dup2(log.fileno(), 1)
                        os.dup2(log.fileno(), 2)
                        os.chdir(request["cwd"])
                        import pytest

                        code = int(pytest.main(request["args"]))
                    finally:
                        sys.stdout.flush()
                        sys.stderr.flush()
                        os._exit(code)
                deadline = time.monotonic() + float(request["timeout"])
                status = None
                while status is None:
                    done, raw = os.waitpid(pid, os.WNOHANG)
                    if done:
                        status = os.waitstatus_to_exitcode(raw)
                    elif time.monotonic() > deadline:
                        os.killpg(pid, signal.SIGKILL)
                        os.waitpid(pid, 0)
                        status = -9
                    else:
                        time.sleep(0.02)
                log.seek(0)
                output = log.read().decode("utf-8", "replace")[-5000:]
            try:
                connection.sendall((json.dumps({"code": status, "output": output}) + "\n").encode("utf-8"))
            except OSError:
                pass  # the client was killed (cosmic-ray's timeout): nobody is listening


def pytest_client(socket_path, timeout, args):
    """Ask the fork server at ``socket_path`` to run pytest with ``args`` here; return its exit status."""
    import socket

    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(str(socket_path))
    with client:
        client.sendall((json.dumps({"args": list(args), "cwd": os.getcwd(), "timeout": float(timeout)}) + "\n").encode("utf-8"))
        answer = json.loads(client.makefile("r", encoding="utf-8").readline())
    sys.stdout.write(answer["output"])
    return 1 if answer["code"] == -9 else answer["code"]


def start_server(folder, env, preload=SERVER_PRELOAD):
    """Start the fork server for one target in ``folder``; return ``(process, client command prefix)``.

    The client command takes a timeout in seconds, then the pytest arguments.
    """
    socket_path = Path(tempfile.mkdtemp(prefix="mutation-")) / "pytest.sock"
    server_env = dict(env, **SERVER_ENV)
    process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--serve-pytest", str(socket_path),
                                ",".join(preload)],
                               env=server_env, cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not socket_path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the pytest fork server did not start")
        time.sleep(0.1)
    return process, [sys.executable, str(Path(__file__).resolve()), "--pytest-client", str(socket_path)]


# --------------------------------------------------------------------------
# Restricting a run to some functions


def definition_lines(source, names):
    """The line ranges of the top-level functions and classes ``names`` define in ``source``.

    A range runs from the first decorator (or the ``def``/``class`` line) to the last line of the
    body, so a class's range holds its methods.

    Returns
    -------
    list of (int, int)
        ``(first, last)`` line numbers, 1-based and inclusive, in the order of ``names``.

    Raises
    ------
    ValueError
        Naming the names the source does not define at its top level.
    """
    import ast

    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            found[node.name] = (first, node.end_lineno)
    missing = [name for name in names if name not in found]
    if missing:
        raise ValueError(f"no top-level function or class named {', '.join(map(repr, missing))}; "
                         f"defined: {', '.join(sorted(found))}")
    return [found[name] for name in names]


def outside(line, ranges):
    """Whether ``line`` lies in none of ``ranges`` (``(first, last)`` pairs, inclusive)."""
    return not any(first <= line <= last for first, last in ranges)


def skip_outside(session, ranges):
    """Mark every pending mutant of ``session`` whose line is outside ``ranges`` as skipped; return how many."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    skipped = 0
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item in list(db.pending_work_items):
            if all(outside(m.start_pos[0], ranges) for m in item.mutations):
                db.set_result(item.job_id, WorkResult(output="outside --functions",
                                                      worker_outcome=WorkerOutcome.SKIPPED))
                skipped += 1
    return skipped


# --------------------------------------------------------------------------
# Running cosmic-ray


def copy_project(workdir):
    """Copy what the tests need into ``workdir/tree`` and return that folder."""
    tree = Path(workdir) / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, tree / name)
    return tree


def test_command(tests, tree):
    """The pytest command line for one mutant, test paths resolved inside the copy.

    Hypothesis's pytest plugin (4-5 s to import on the shared machine) is loaded only when one of
    the test files uses Hypothesis, and ``tests/conftest.py`` (which imports Matplotlib,
    scikit-learn and nbformat, and whose other hooks serve notebook runs) only when a file uses one
    of its fixtures or plots.
    """
    files = [str(Path(t) if Path(t).is_absolute() else tree / t) for t in tests]
    texts = [Path(f).read_text(encoding="utf-8") for f in files if Path(f).is_file()]
    uses_hypothesis = any("hypothesis" in text for text in texts)
    conftest = Path(tree) / "tests" / "conftest.py"
    fixtures = conftest_fixtures(conftest.read_text(encoding="utf-8")) if conftest.is_file() else []
    needs_conftest = any(re.search(rf"\b{re.escape(name)}\b", text) for text in texts for name in fixtures) or any(
        "plot" in text or "matplotlib" in text for text in texts)
    return (TEST_COMMAND + ([] if uses_hypothesis else ["-p", "no:hypothesispytest"])
            + ([] if needs_conftest else ["--noconftest"]) + files)


def conftest_fixtures(text):
    """The public fixture names a ``conftest.py`` defines (autouse ones, named ``_x``, are left out)."""
    return [name for name in re.findall(r"@pytest\.fixture[^\n]*\n(?:@[^\n]*\n)*def (\w+)", text)
            if not name.startswith("_")]


#: Modules whose import is slow and that no unit test needs, replaced in the tests' processes by a
#: module that raises ImportError (their importers treat that as "not installed"): ``rfc3987_syntax``
#: builds a grammar at import (about 5 s), and only ``jsonschema``'s optional "iri" format check
#: uses it (``conftest.py`` imports ``notebook_outputs`` -> ``nbformat`` -> ``jsonschema``).
SKIPPED_IMPORTS = ("rfc3987_syntax",)


def write_import_stubs(folder):
    """Write a package per :data:`SKIPPED_IMPORTS` into ``folder`` that raises ImportError; return ``folder``."""
    for name in SKIPPED_IMPORTS:
        package = Path(folder) / name
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").write_text(
            f'raise ImportError("{name} is left out of mutation runs (slow import, unused by the unit tests)")\n',
            encoding="utf-8")
    return Path(folder)


def config_text(module_path, command, timeout, excluded):
    """cosmic-ray's TOML configuration for one target."""
    quoted = " ".join(shlex.quote(part) for part in command)
    exclude = ",\n    ".join(json.dumps(e) for e in excluded)
    return (f'[cosmic-ray]\nmodule-path = {json.dumps(str(module_path))}\ntimeout = {float(timeout)}\n'
            f'excluded-modules = []\ntest-command = {json.dumps(quoted)}\n\n'
            f'[cosmic-ray.distributor]\nname = "local"\n\n'
            f'[cosmic-ray.filters.operators-filter]\nexclude-operators = [\n    {exclude}\n]\n')


def _run(args, env, cwd, check=True):
    """Run a command, returning its stdout; raise with its stderr on failure when ``check``."""
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args[:4]))} ... failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done


def operator_names():
    """Every operator cosmic-ray knows (``cosmic-ray operators``)."""
    done = _run([sys.executable, "-m", "cosmic_ray.cli", "operators"], env=None, cwd=None)
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def target_folder(target, workdir):
    """Where one target's copy, export, configuration and session live: ``workdir/<label as a slug>``."""
    return Path(workdir) / re.sub(r"[^A-Za-z0-9]+", "_", target.label).strip("_")


def run_target(target, workdir, timeout=None, all_operators=False, fork=True, retest=False, functions=None,
               resume=False):
    """Mutation-test one target with cosmic-ray; return its folder (see :func:`read_target`).

    The project is copied to the target's folder (``tree/``); a module target mutates its copy
    there, a notebook target its export in ``lessons/``. The unmutated tests run first and must pass.
    With ``fork`` (the default) each mutant's pytest run is a child forked from a server that has
    NumPy, pytest and scikit-learn imported already (:func:`serve_pytest`), else a new process.

    With ``retest``, the session already in the folder is kept and only its surviving mutants run
    again, against the tests as they are now; with ``resume``, only the mutants it has not run yet
    (a run that was stopped). Either way the mutated file must be the one the session was made from
    (:func:`continue_session` checks it).

    With ``functions`` (names of top-level functions or classes of the mutated file), only the
    mutants on their lines run; the others are marked skipped and left out of the counts.
    """
    start = time.perf_counter()
    folder = target_folder(target, workdir)
    folder.mkdir(parents=True, exist_ok=True)
    tree = copy_project(folder)
    env = dict(os.environ)
    stubs = write_import_stubs(folder / "stubs")
    env["PYTHONPATH"] = os.pathsep.join([str(stubs), str(tree), str(tree / "tests")])
    env.pop("SERIES_LESSON_SOURCE", None)
    if target.notebook is None:
        mutated = tree / target.label
    else:
        lessons = folder / "lessons"
        lessons.mkdir(exist_ok=True)
        mutated, _ = export_lesson(target.notebook, lessons, target.label)
        env["SERIES_LESSON_SOURCE"] = str(lessons)
    ranges = definition_lines(mutated.read_text(encoding="utf-8"), functions) if functions else None
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # a mutant and the original may share a size and a second
    command = test_command(target.tests, tree)
    server = None
    try:
        if fork:
            server, client = start_server(folder, env)
            command = client + ["600"] + command[3:]  # "python -m pytest" -> the client
        baseline_start = time.perf_counter()
        baseline = _run(command, env=env, cwd=tree, check=False)
        baseline_seconds = time.perf_counter() - baseline_start
        if baseline.returncode != 0:
            raise RuntimeError(f"{target.label}: the tests fail before any mutation:\n{baseline.stdout[-3000:]}")
        if timeout is None:
            timeout = 3 * baseline_seconds + 10
        if fork:  # the server stops a child a little after cosmic-ray has given up on it
            command = client + [f"{timeout + 5:.0f}"] + command[len(client) + 1:]
        print(f"{target.label}: {' '.join(target.tests)} pass unmutated in {baseline_seconds:.1f} s; "
              f"timeout {timeout:.0f} s per mutant", file=sys.stderr, flush=True)
        _exec_session(folder, tree, env, mutated, command, timeout, all_operators, retest, ranges, resume)
    finally:
        if server is not None:
            server.kill()
            server.wait()
    seconds = folder / "seconds"  # a retest or a resumed run adds its time to the session's
    before = float(seconds.read_text()) if (retest or resume) and seconds.exists() else 0.0
    seconds.write_text(f"{before + time.perf_counter() - start:.1f}\n", encoding="utf-8")
    return folder


DEFERRED = "not run: deferred by --retest-survivors"


def mutated_digest(path):
    """SHA-256 of the mutated file: a session's mutants are positions in that exact text."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def continue_session(folder, mutated):
    """Check that ``folder``'s session can run again on ``mutated``, and point it at that file.

    The session records where each mutant is (line and column) in the file it was made from, so a
    changed file would be mutated in the wrong places: refused with a clear message. The session
    also records the file's absolute path, which is rewritten to ``mutated`` (a work directory that
    was copied or moved still works).
    """
    session = Path(folder) / "session.sqlite"
    if not session.exists():
        raise SystemExit(f"{folder}: no session to retest or resume; start a run without "
                         "--retest-survivors or --resume")
    restore_pending(session)  # a retest that was killed may have left its deferral behind
    stamp = Path(folder) / "mutated.sha256"
    if not stamp.exists():
        print(f"{folder}: this session has no record of the file it mutated, so it cannot be checked "
              "to be unchanged", file=sys.stderr)
    elif stamp.read_text(encoding="utf-8").strip() != mutated_digest(mutated):
        raise SystemExit(f"{Path(mutated).name} has changed since the session in {folder} was made: its mutants' "
                         "positions no longer hold. Start a new run (without --retest-survivors or --resume).")
    with sqlite3.connect(session) as db:
        db.execute("UPDATE mutation_specs SET module_path = ?", (str(mutated),))


def defer_pending(session):
    """Mark the mutants not run yet as skipped (output :data:`DEFERRED`), so that only the others run."""
    with sqlite3.connect(session) as db:
        pending = [row[0] for row in db.execute(
            "SELECT job_id FROM work_items WHERE job_id NOT IN (SELECT job_id FROM work_results)")]
        db.executemany("INSERT INTO work_results (worker_outcome, output, test_outcome, diff, job_id) "
                       "VALUES ('SKIPPED', ?, NULL, NULL, ?)", [(DEFERRED, job) for job in pending])
    return len(pending)


def restore_pending(session):
    """Undo :func:`defer_pending`: those mutants are "not run" again."""
    with sqlite3.connect(session) as db:
        db.execute("DELETE FROM work_results WHERE output = ?", (DEFERRED,))


def _exec_session(folder, tree, env, mutated, command, timeout, all_operators, retest=False, ranges=None,
                  resume=False):
    """Write cosmic-ray's configuration, make the session (focused operators only) and run it.

    With ``ranges`` (see :func:`definition_lines`), the mutants outside them are marked skipped.

    With ``retest``, forget the results of the surviving mutants of the existing session and run
    only those again (mutants not run yet stay not run). With ``resume``, run only the mutants
    the existing session has not run yet.
    """
    excluded = [] if all_operators else excluded_operators(operator_names())
    config = folder / "cosmic-ray.toml"
    config.write_text(config_text(mutated, command, timeout, excluded), encoding="utf-8")
    session = folder / "session.sqlite"
    cosmic_ray = [sys.executable, "-m", "cosmic_ray.cli"]
    if retest or resume:
        continue_session(folder, mutated)
        try:
            if retest:  # set the mutants not run aside, then forget the survivors' results: only they run
                defer_pending(session)
                with sqlite3.connect(session) as db:
                    db.execute("DELETE FROM work_results WHERE test_outcome = 'SURVIVED'")
            _run(cosmic_ray + ["exec", str(config), str(session)], env=env, cwd=tree)
        finally:
            restore_pending(session)  # nothing to restore after a resume
        return
    if session.exists():
        session.unlink()
    (folder / "mutated.sha256").write_text(mutated_digest(mutated) + "\n", encoding="utf-8")
    _run(cosmic_ray + ["init", str(config), str(session)], env=env, cwd=tree)
    if excluded:
        _run([sys.executable, "-m", "cosmic_ray.tools.filters.operators_filter", str(session), str(config)],
             env=env, cwd=tree)
    if ranges:
        skip_outside(session, ranges)
    _run(cosmic_ray + ["exec", str(config), str(session)], env=env, cwd=tree)


def read_target(target, folder):
    """``(mutants, seconds)`` of a target's session so far (mutants not run yet are "pending")."""
    if not (folder / "session.sqlite").exists():
        raise SystemExit(f"{target.label}: no session in {folder}")
    locate = None
    if target.notebook is not None:
        with tempfile.TemporaryDirectory() as scratch:
            _, locate = export_lesson(target.notebook, scratch, target.label)
    dump = _run([sys.executable, "-m", "cosmic_ray.cli", "dump", str(folder / "session.sqlite")],
                env=None, cwd=folder).stdout
    mutants = [m for m in parse_dump(dump, target.label, locate) if m.outcome != "skipped"]
    seconds_file = folder / "seconds"
    seconds = float(seconds_file.read_text()) if seconds_file.exists() else None
    return mutants, seconds


# --------------------------------------------------------------------------
# Command line


def targets_from(args):
    """The :class:`Target` list the command line asks for."""
    targets = []
    if args.all:
        targets += [module_target(path) for path in MODULE_TESTS]
        targets += [notebook_target(path) for path in lesson_notebooks()]
    targets += [module_target(path, args.tests) for path in args.module or ()]
    targets += [notebook_target(path, args.tests) for path in args.notebook or ()]
    if not targets:
        raise SystemExit("nothing to do: give --module, --notebook or --all")
    return targets


def main(argv=None):
    """Parse the command line, run the targets, print the report; exit 1 if any target has survivors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", help="a helpers module, e.g. helpers/evaluation.py")
    parser.add_argument("--notebook", action="append", help="a notebook with lesson-code cells, e.g. 04_x.ipynb")
    parser.add_argument("--all", action="store_true", help="every module in MODULE_TESTS and every lesson notebook")
    parser.add_argument("--tests", nargs="+", help="test files to run instead of the matching ones")
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default: 3 x the unmutated run + 10)")
    parser.add_argument("--all-operators", action="store_true", help="cosmic-ray's full operator set")
    parser.add_argument("--retest-survivors", action="store_true",
                        help="with the --workdir of an earlier run: run only its surviving mutants again, "
                             "against the tests as they are now")
    parser.add_argument("--resume", action="store_true",
                        help="with the --workdir of a run that was stopped: run only the mutants it has not run")
    parser.add_argument("--functions", nargs="+", metavar="NAME",
                        help="mutate only the lines of these top-level functions or classes of the target "
                             "(the others count as not mutants)")
    parser.add_argument("--no-fork", action="store_true",
                        help="start each mutant's tests in a new process instead of forking them from a server")
    parser.add_argument("--equivalent", default=str(EQUIVALENT_FILE), help="the equivalent-mutants file")
    parser.add_argument("--workdir", help="where to keep sessions and exports (default: a new temporary folder)")
    parser.add_argument("--list", action="store_true", help="print the targets and their tests, run nothing")
    parser.add_argument("--report", action="store_true",
                        help="run nothing: report the sessions already in --workdir (a run may still be going)")
    args = parser.parse_args(argv)

    targets = targets_from(args)
    if args.list:
        for target in targets:
            print(f"{target.label}: {' '.join(target.tests)}")
        return 0
    equivalents = read_equivalents(args.equivalent)
    if (args.report or args.retest_survivors or args.resume) and not args.workdir:
        raise SystemExit("--report, --retest-survivors and --resume need the --workdir of an earlier run")
    if args.retest_survivors and args.resume:
        raise SystemExit("--retest-survivors and --resume are two separate runs: give one, then the other")
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="series-mutation-"))
    print(f"work directory: {workdir}", file=sys.stderr)
    summaries = []
    for target in targets:
        if not args.report:
            run_target(target, workdir, args.timeout, args.all_operators, fork=not args.no_fork,
                       retest=args.retest_survivors, functions=args.functions, resume=args.resume)
        mutants, seconds = read_target(target, target_folder(target, workdir))
        summaries.append(summarise(target.label, mutants, equivalents, seconds))
    print(format_report(summaries))
    return 1 if any(s.survived for s in summaries) else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--pytest-client"]:  # the fast path: no argparse, as this runs once per mutant
        sys.exit(pytest_client(sys.argv[2], sys.argv[3], sys.argv[4:]))
    if sys.argv[1:2] == ["--serve-pytest"]:
        serve_pytest(sys.argv[2], [name for name in sys.argv[3].split(",") if name])
    sys.exit(main())
