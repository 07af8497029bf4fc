#!/usr/bin/env python3
"""Replay Google Colab: every notebook, alone, installs the helpers through its own setup cell.

Colab opens one notebook file, not the repository. This script does what a learner's Colab
session does, as closely as can be done off Colab:

1. a fresh virtual environment on this Python (3.13, as Colab's current runtime) holding
   exactly Colab's versions (``.ci/constraints/colab-py313.txt``), the other packages Colab
   ships that the helpers import, and Colab's ipykernel; *not* this project;
2. a local git repository holding the tree under test, committed and tagged with
   ``[tool.series] ref`` from ``pyproject.toml`` (``v0.1.0``): the stand-in for the published
   repository, which pip installs from as ``git+file:///...@v0.1.0``;
3. for each notebook: a copy alone in an empty folder, its setup cell's repository URL (and only
   that) pointed at the local repository, run to the end with nbclient in a kernel that imports
   a stand-in ``google.colab`` at start. The helpers must then be installed from that URL at that
   ref, and no other package may have changed (TensorFlow, Keras, scikit-learn, NumPy above all);
   the helpers are uninstalled again before the next notebook;
4. "anywhere else": each notebook, unchanged, in a kernel without ``google.colab`` and without
   the helpers. The setup cell must stop with ``ModuleNotFoundError`` naming the exact install
   command, nothing may be installed and no later cell may run;
5. Kaggle (``KAGGLE_KERNEL_RUN_TYPE`` set, no ``google.colab``): the first notebook's setup and
   import cells install the helpers and change nothing else; then, with the helpers installed,
   a plain kernel's setup cell does nothing at all.

What it cannot test: the published GitHub URL and tag themselves (a fork, a typo in the
organisation, a tag not pushed), nor Colab's own ``%pip``; the README's "Publishing the series"
says how to check those once by hand.

Usage (from the repository root; .ci/run does this as its ``colab-replay-py313`` step)::

    python3.13 .ci/colab_replay.py                      # the working tree as it is on disk
    python3.13 .ci/colab_replay.py --notebooks DIR      # other copies of the notebooks
    python3.13 .ci/colab_replay.py --venv DIR           # reuse (or keep) the replay's environment

Exit status 0 when every case passed, 1 otherwise; 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTION = "clustering-with-neural-networks"
SETUP_TAG = "colab-setup"
KERNEL = "colab-replay"
BASELINE = "colab-replay-baseline.json"  # in the environment: what it held when it was made
CASES = ("colab", "elsewhere", "kaggle")
CORE = ("tensorflow", "keras", "scikit-learn", "numpy")
CONSTRAINTS = ".ci/constraints/colab-py313.txt"
PYTHON = (3, 13)  # Colab's current runtime; the constraints file is for this Python
# Besides the pinned packages: what Colab also ships and the helpers import (versions float
# within what the pins allow, except where the guide gives Colab's: its kernel and widgets),
# and the runner (nbclient, nbformat).
EXTRAS = ("scipy", "threadpoolctl", "joblib", "packaging", "ipykernel==6.17.1", "nbclient", "nbformat")
# Colab's widgets, installed without their dependencies: widgetsnbextension 3 would pull in the
# notebook server and JupyterLab, which a Colab kernel does not have (and which the helpers'
# pyproject.toml lists, so a setup cell without --no-deps must show up as a change).
WIDGETS = ("ipywidgets==7.7.1", "jupyterlab-widgets==3.0.16", "widgetsnbextension==3.6.10", "ipython-genutils")
# Every top-level module the helpers may import, and the Colab distribution that provides it:
# with --no-deps nothing else gets installed (tests/test_colab_replay.py holds the helpers to it).
COLAB_MODULES = {
    "tensorflow": "tensorflow",
    "keras": "keras",
    "sklearn": "scikit-learn",
    "numpy": "numpy",
    "scipy": "scipy",
    "matplotlib": "matplotlib",
    "threadpoolctl": "threadpoolctl",
    "joblib": "joblib",
    "packaging": "packaging",
    "IPython": "ipython",
    "ipywidgets": "ipywidgets",
}

# Imported by the kernel at start, as Colab's kernel imports google.colab.
COLAB_STANDIN = '''\
"""Stand-in for Google Colab's kernel, which has google.colab imported at start (colab_replay.py)."""
import sys
import types

_colab = types.ModuleType("google.colab", "stand-in for Google Colab, made by .ci/colab_replay.py")
sys.modules["google.colab"] = _colab
try:
    import google  # the namespace package protobuf installs

    google.colab = _colab
except ImportError:
    pass
'''


def say(*parts):
    print(*parts, flush=True)


def run(command, **kwargs):
    return subprocess.run(command, check=True, text=True, **kwargs)


def pins(path):
    """``{name: version}`` from a constraints file of ``name==version`` lines."""
    found = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            found[name.strip().lower().replace("_", "-")] = version.strip()
    return found


def series(source):
    """(repository URL, ref, version) from ``pyproject.toml``."""
    pyproject = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))
    config = pyproject["tool"]["series"]
    return config["repository"].rstrip("/"), config["ref"], pyproject["project"]["version"]


def make_venv(venv, constraints):
    say(f"replay environment: {venv} ({sys.executable}, {CONSTRAINTS} + {' '.join(EXTRAS + WIDGETS)})")
    started = time.monotonic()
    run([sys.executable, "-m", "venv", str(venv)])
    python = str(venv / "bin" / "python")
    run([python, "-m", "pip", "install", "-q", "--upgrade", "pip"])
    run([python, "-m", "pip", "install", "-q", "-c", str(constraints), *pins(constraints), *EXTRAS])
    run([python, "-m", "pip", "install", "-q", "--no-deps", *WIDGETS])
    listing = run([python, "-m", "pip", "list", "--format=json"], capture_output=True).stdout
    (venv / BASELINE).write_text(listing, encoding="utf-8")  # a reused environment must still match it
    say(f"    installed in {time.monotonic() - started:.0f} s")


def make_repository(source, destination, ref):
    """A git repository of ``source``'s tree, one commit tagged ``ref``: the stand-in for GitHub."""
    if (source / ".git").exists():  # the files git tracks or would track, as on disk
        listing = run(
            ["git", "-C", str(source), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
        ).stdout
        for name in filter(None, listing.split("\0")):
            if (source / name).is_file():
                (destination / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / name, destination / name)
    else:  # a snapshot (.ci/run's) or an unpacked archive
        shutil.copytree(
            source,
            destination,
            ignore=shutil.ignore_patterns(".venv", ".venv-*", "*.egg-info", "__pycache__", ".git"),
            dirs_exist_ok=True,
        )
    git = ["git", "-C", str(destination), "-c", "user.name=colab-replay", "-c", "user.email=replay@localhost"]
    git += ["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"]
    run([*git, "init", "-q"])
    run([*git, "add", "-A"])
    run([*git, "commit", "-q", "-m", "tree under test"])
    run([*git, "tag", ref])
    return run([*git, "rev-parse", "HEAD"], capture_output=True).stdout.strip()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT, help="the tree under test (default: this checkout)")
    parser.add_argument("--notebooks", type=Path, help="folder of notebooks to replay (default: SOURCE/notebooks)")
    parser.add_argument("--venv", type=Path, help="replay environment: reused if it exists, else made and kept")
    parser.add_argument("--work", type=Path, help="scratch folder, kept (default: a temporary one, removed)")
    parser.add_argument(
        "--cases",
        default=",".join(CASES),
        help=f"comma-separated subset of {','.join(CASES)} (default: all)",
    )
    parser.add_argument("--inside", type=Path, help=argparse.SUPPRESS)  # the plan, run in the replay venv
    args = parser.parse_args(argv)
    if args.inside:
        return replay(json.loads(args.inside.read_text(encoding="utf-8")))

    cases = [c for c in args.cases.replace(" ", "").split(",") if c]
    if not cases or set(cases) - set(CASES):
        parser.error(f"--cases: choose from {','.join(CASES)}")
    if sys.version_info[:2] != PYTHON:
        parser.error(f"run this with Python {'.'.join(map(str, PYTHON))} (Colab's), not {sys.version.split()[0]}")
    source = args.source.resolve()
    notebooks = sorted((args.notebooks or source / "notebooks").resolve().glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        parser.error(f"no NN_*.ipynb notebooks in {args.notebooks or source / 'notebooks'}")
    repository, ref, version = series(source)
    work = (args.work or Path(tempfile.mkdtemp(prefix="colab-replay-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    try:
        venv = (args.venv or work / "venv").resolve()
        if not (venv / "bin" / "python").exists():
            make_venv(venv, source / CONSTRAINTS)
        else:
            say(f"replay environment: reusing {venv}")
        clone = work / "published"
        clone.mkdir()
        commit = make_repository(source, clone, ref)
        say(f"stand-in for {repository}: {clone.as_uri()} at {ref} (commit {commit[:12]}), version {version}")
        plan = {
            "work": str(work),
            "venv": str(venv),
            "notebooks": [str(p) for p in notebooks],
            "repository": repository,
            "ref": ref,
            "clone_url": clone.as_uri(),
            "commit": commit,
            "pins": pins(source / CONSTRAINTS),
            "cases": cases,
        }
        (work / "plan.json").write_text(json.dumps(plan, indent=1), encoding="utf-8")
        inner = subprocess.run(
            [str(venv / "bin" / "python"), str(Path(__file__).resolve()), "--inside", str(work / "plan.json")],
            check=False,
            env=clean_environment(venv),
        )
        return inner.returncode
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


def clean_environment(venv, **extra):
    """This process's environment without anything that would leak a project, a profile or a service."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "IPYTHON", "JUPYTER", "KAGGLE_", "COLAB_", "VIRTUAL_ENV", "CONDA"))
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


# ---------------------------------------------------------------------------------------------
# Inside the replay environment (nbclient and nbformat are importable here).


def installed():
    """``{distribution: version}`` of everything installed in the replay environment."""
    out = run([sys.executable, "-m", "pip", "list", "--format=json"], capture_output=True).stdout
    return {d["name"].lower().replace("_", "-"): d["version"] for d in json.loads(out)}


def changes(before, after):
    """Packages added, removed or changed between two ``installed()`` listings, helpers aside."""
    names = (set(before) | set(after)) - {DISTRIBUTION}
    return {n: (before.get(n), after.get(n)) for n in sorted(names) if before.get(n) != after.get(n)}


def helpers_origin():
    """``(url, requested ref, commit)`` pip recorded for the installed helpers, or ``None``."""
    from importlib import metadata

    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    data = json.loads(text or "{}")
    vcs = data.get("vcs_info", {})
    return data.get("url"), vcs.get("requested_revision"), vcs.get("commit_id")


def uninstall_helpers():
    run([sys.executable, "-m", "pip", "uninstall", "-q", "-y", DISTRIBUTION], capture_output=True)


def kernel_env(plan, kind):
    """The kernel's environment: Colab's stand-in on its start-up path, Kaggle's marker, or neither."""
    ipython_dir = Path(plan["work"]) / f"ipython-{kind}"
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    if kind == "colab":
        (startup / "00-google-colab.py").write_text(COLAB_STANDIN, encoding="utf-8")
    extra = {
        "IPYTHONDIR": str(ipython_dir),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # ipykernel 6.17's debugger: no frozen-modules banner
    }
    if kind == "kaggle":
        extra["KAGGLE_KERNEL_RUN_TYPE"] = "Interactive"
    return clean_environment(Path(plan["venv"]), **extra)


def setup_index(notebook):
    tagged = [i for i, c in enumerate(notebook.cells) if SETUP_TAG in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise AssertionError(f"{len(tagged)} cells tagged {SETUP_TAG!r}; expected exactly one")
    return tagged[0]


def alone(plan, path, case):
    """A copy of the notebook alone in an empty folder; returns (folder, notebook)."""
    import nbformat

    folder = Path(plan["work"]) / case / Path(path).stem
    folder.mkdir(parents=True)
    shutil.copy(path, folder / Path(path).name)
    notebook = nbformat.read(folder / Path(path).name, as_version=4)
    for cell in notebook.cells:  # as a learner opens it fresh: committed outputs do not count
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return folder, notebook


def execute(notebook, folder, env):
    """Run the notebook in a fresh kernel; return the CellExecutionError, or None if every cell ran."""
    from nbclient import NotebookClient
    from nbclient.exceptions import (
        CellExecutionError,
        CellTimeoutError,
        DeadKernelError,
    )

    client = NotebookClient(notebook, timeout=900, kernel_name=KERNEL, resources={"metadata": {"path": str(folder)}})
    try:
        client.execute(env=env, cwd=str(folder))
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:  # a timeout or crash fails too
        return error
    return None


def error_summary(error, limit=25):
    lines = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip().splitlines()  # without terminal colours
    return "\n".join("        " + line for line in lines[-limit:])


def point_setup_cell_at_clone(notebook, plan):
    """Rewrite the setup cell's repository URL (only that) to the local stand-in; the ref stays."""
    cell = notebook.cells[setup_index(notebook)]
    published = f"git+{plan['repository']}@{plan['ref']}"
    if published not in cell.source:
        raise AssertionError(f"the setup cell does not install {published}; run python tools/stamp_notebooks.py")
    cell.source = cell.source.replace(f"git+{plan['repository']}@", f"git+{plan['clone_url']}@")


def check_install(plan, before, problems, where):
    origin = helpers_origin()
    if origin is None:
        problems.append(f"{where}: the helpers were not installed")
    elif origin[0] != plan["clone_url"] or origin[1] != plan["ref"] or origin[2] != plan["commit"]:
        problems.append(f"{where}: the helpers came from {origin}, not {plan['clone_url']}@{plan['ref']}")
    changed = changes(before, installed())
    if changed:
        core = [n for n in changed if n in CORE]
        shown = core + [n for n in changed if n not in core][: max(0, 8 - len(core))]
        listing = ", ".join(f"{n} {changed[n][0]} -> {changed[n][1]}" for n in shown)
        more = f" and {len(changed) - len(shown)} more" if len(changed) > len(shown) else ""
        problems.append(
            f"{where}: {len(changed)} package(s) changed{' (CORE: ' + ', '.join(core) + ')' if core else ''}: "
            f"{listing}{more}"
        )
    return origin


def case_colab(plan, path, before):
    """The notebook alone, setup cell pointed at the stand-in, run to the end on 'Colab'."""
    import nbformat

    problems = []
    name = Path(path).name
    folder, notebook = alone(plan, path, "colab")
    point_setup_cell_at_clone(notebook, plan)
    started = time.monotonic()
    error = execute(notebook, folder, kernel_env(plan, "colab"))
    seconds = time.monotonic() - started
    nbformat.write(notebook, folder / name)  # executed, for a look afterwards (--work keeps it)
    if error is not None:
        problems.append(f"colab {name}: a cell failed after {seconds:.0f} s:\n{error_summary(error)}")
    origin = check_install(plan, before, problems, f"colab {name}")
    code = [c for c in notebook.cells if c.cell_type == "code"]
    ran = sum(c.get("execution_count") is not None for c in code)
    if not problems:
        say(
            f"    colab   {name}: {ran}/{len(code)} code cells in {seconds:.1f} s; helpers from "
            f"{origin[0]}@{origin[1]}; nothing else changed"
        )
    uninstall_helpers()
    return problems


def case_elsewhere(plan, path, before):
    """The notebook as published, in a kernel with neither google.colab nor the helpers."""
    problems = []
    name = Path(path).name
    folder, notebook = alone(plan, path, "elsewhere")
    index = setup_index(notebook)
    error = execute(notebook, folder, kernel_env(plan, "elsewhere"))
    command = f'%pip install "git+{plan["repository"]}@{plan["ref"]}"'
    setup = notebook.cells[index]
    outputs = setup.get("outputs", [])
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if error is None:
        problems.append(f"elsewhere {name}: every cell ran, the setup cell did not stop the notebook")
    elif not errors:
        problems.append(f"elsewhere {name}: a cell other than the setup cell failed:\n{error_summary(error)}")
    else:
        ename, evalue = errors[0]["ename"], errors[0]["evalue"]
        if ename != "ModuleNotFoundError" or command not in evalue or "pip install -e ." not in evalue:
            problems.append(f"elsewhere {name}: the setup cell raised {ename}: {evalue!r}, not the install command")
        others = [o for o in outputs if o.get("output_type") != "error"]
        if others:
            problems.append(f"elsewhere {name}: the setup cell printed more than its message: {others}")
        later = [
            i
            for i, c in enumerate(notebook.cells)
            if c.cell_type == "code" and i != index and (c.outputs or c.execution_count is not None)
        ]
        if later:
            problems.append(f"elsewhere {name}: cells {later} ran or printed besides the setup cell")
    if helpers_origin() is not None or changes(before, installed()):
        problems.append(f"elsewhere {name}: something was installed")
        uninstall_helpers()
    if not problems:
        say(f"    nowhere {name}: stopped at the setup cell with {errors[0]['ename']}; the message names {command}")
    return problems, (errors[0]["evalue"] if errors else None)


def case_kaggle_then_installed(plan, path, before):
    """Kaggle's marker installs; afterwards a plain kernel's setup cell does nothing."""
    import nbformat

    problems = []
    name = Path(path).name
    folder, notebook = alone(plan, path, "kaggle")
    index = setup_index(notebook)
    point_setup_cell_at_clone(notebook, plan)
    following = next(i for i in range(index + 1, len(notebook.cells)) if notebook.cells[i].cell_type == "code")
    notebook.cells = notebook.cells[: following + 1]  # the setup cell and the imports after it
    error = execute(notebook, folder, kernel_env(plan, "kaggle"))
    if error is not None:
        problems.append(f"kaggle {name}: {error_summary(error)}")
    check_install(plan, before, problems, f"kaggle {name}")
    if not problems:
        say(f"    kaggle  {name}: setup and import cells ran; helpers from the stand-in; nothing else changed")

    # the helpers are installed now: a kernel with no installer must pass the setup cell silently
    folder = Path(plan["work"]) / "installed" / Path(path).stem
    folder.mkdir(parents=True)
    only_setup = nbformat.v4.new_notebook(cells=[notebook.cells[index]])
    only_setup.cells[0].outputs = []
    after_install = installed()
    error = execute(only_setup, folder, kernel_env(plan, "elsewhere"))
    if error is not None or only_setup.cells[0].outputs:
        problems.append(f"installed {name}: the setup cell did something: {only_setup.cells[0].outputs or error}")
    elif changes(after_install, installed()) or helpers_origin() is None:
        problems.append(f"installed {name}: the setup cell changed the installed packages")
    else:
        say(f"    already {name}: with the helpers installed the setup cell printed nothing and installed nothing")
    uninstall_helpers()
    return problems


def register_kernel(plan):
    """A kernel spec for this environment's Python, found before any other (user or system) one."""
    spec = Path(plan["work"]) / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": KERNEL, "language": "python"}))
    os.environ["JUPYTER_PATH"] = str(spec.parents[1])


def replay(plan):
    started = time.monotonic()
    register_kernel(plan)
    before = installed()
    wrong = {n: (before.get(n), v) for n, v in plan["pins"].items() if before.get(n) != v}
    if wrong:
        say(f"the replay environment is not Colab's: {wrong}")
        return 1
    if DISTRIBUTION in before:
        say(f"the replay environment already holds {DISTRIBUTION}; it must not")
        return 1
    baseline = Path(plan["venv"]) / BASELINE
    if not baseline.exists():
        say(f"the replay environment has no {BASELINE}: make a new one (omit --venv, or name a new folder)")
        return 1
    made = {d["name"].lower().replace("_", "-"): d["version"] for d in json.loads(baseline.read_text())}
    changed = changes(made, before)
    if changed:  # an earlier replay installed something into it: it proves nothing now
        say(
            f"the replay environment changed since it was made ({len(changed)} packages, e.g. {min(changed)}): make a new one"
        )
        return 1
    say("Colab's versions: " + ", ".join(f"{n} {before[n]}" for n in CORE) + f"; Python {sys.version.split()[0]}")
    problems = []
    for path in plan["notebooks"] if "colab" in plan["cases"] else []:
        try:
            problems += case_colab(plan, path, before)
        except AssertionError as error:
            problems.append(f"colab {Path(path).name}: {error}")
    message = None
    for path in plan["notebooks"] if "elsewhere" in plan["cases"] else []:
        try:
            found, evalue = case_elsewhere(plan, path, before)
        except AssertionError as error:
            found, evalue = [f"elsewhere {Path(path).name}: {error}"], None
        problems += found
        message = message or evalue
    if "kaggle" in plan["cases"]:
        try:
            problems += case_kaggle_then_installed(plan, plan["notebooks"][0], before)
        except AssertionError as error:
            problems.append(f"kaggle: {error}")
    if message:
        say("the 'anywhere else' message, as a learner sees it:")
        say("\n".join("    " + line for line in ("ModuleNotFoundError: " + message).splitlines()))
    seconds = time.monotonic() - started
    if problems:
        say(f"colab replay FAILED ({len(problems)} problem(s), {seconds:.0f} s):")
        for problem in problems:
            say("  - " + problem)
        return 1
    say(f"colab replay passed: {len(plan['notebooks'])} notebook(s), cases {','.join(plan['cases'])}, {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
