"""Tests for benchmarks/mutation.py's own logic: targets, operators, equivalents, results, report.

None of them runs cosmic-ray or pytest: the mutation runs themselves are outside CI's time.
"""

from __future__ import annotations

import importlib.util
import json
import shlex
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

import lesson_code

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("mutation_script", ROOT / "benchmarks" / "mutation.py")
mutation = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = mutation  # dataclasses look their module up there
_spec.loader.exec_module(mutation)


def _mutant(outcome, line=3, after="if n <= 2:", operator="core/ReplaceComparisonOperator_Lt_LtE",
            target="helpers/x.py"):
    return mutation.Mutant(target, operator, line, "if n < 2:", after, outcome, f"{target}:{line}")


# --------------------------------------------------------------------------
# Targets and their tests


def test_every_module_target_and_its_tests_exist():
    for module, tests in mutation.MODULE_TESTS.items():
        assert (ROOT / module).is_file(), module
        assert tests, module
        for test in tests:
            assert (ROOT / test).is_file(), (module, test)


def test_a_module_target_takes_its_tests_from_the_table_or_from_the_command_line():
    target = mutation.module_target("./helpers/evaluation.py")
    assert target.label == "helpers/evaluation.py"
    assert target.tests == mutation.MODULE_TESTS["helpers/evaluation.py"]
    assert target.notebook is None
    assert mutation.module_target("helpers/plotting.py", ["tests/test_plotting.py"]).tests == ["tests/test_plotting.py"]
    with pytest.raises(ValueError, match="no tests known for 'helpers/plotting.py'"):
        mutation.module_target("helpers/plotting.py")


def test_a_notebooks_tests_are_the_files_that_load_its_lesson_code(tmp_path):
    (tmp_path / "test_a.py").write_text('import lesson_code\nM = lesson_code.load("07_x.ipynb")\n')
    (tmp_path / "test_b.py").write_text('NAME = "07_x.ipynb"  # reads outputs only\n')
    (tmp_path / "test_c.py").write_text('import lesson_code\nM = lesson_code.load("08_y.ipynb")\n')
    (tmp_path / "helper_d.py").write_text('import lesson_code\nM = lesson_code.load("07_x.ipynb")\n')
    assert mutation.notebook_tests("07_x.ipynb", tmp_path) == ["tests/test_a.py"]


def _notebook(folder, name, *cells):
    folder.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook()
    for text, tagged in cells:
        cell = nbformat.v4.new_code_cell(text) if tagged is not None else nbformat.v4.new_markdown_cell(text)
        if tagged:
            cell.metadata["tags"] = [lesson_code.TAG]
        notebook.cells.append(cell)
    nbformat.write(notebook, folder / name)
    return folder / name


def test_a_notebook_target_without_tests_is_refused_and_with_tests_is_labelled(tmp_path):
    notebooks, tests = tmp_path / "notebooks", tmp_path / "tests"
    tests.mkdir()
    _notebook(notebooks, "07_x.ipynb", ("a = 1", True))
    with pytest.raises(ValueError, match="no test file uses lesson_code with '07_x.ipynb'"):
        mutation.notebook_target("07_x.ipynb", notebooks_dir=notebooks, tests_dir=tests)
    (tests / "test_x.py").write_text('import lesson_code\nlesson_code.load("07_x.ipynb")\n')
    target = mutation.notebook_target("07_x.ipynb", notebooks_dir=notebooks, tests_dir=tests)
    assert (target.label, target.tests, target.notebook) == ("notebooks/07_x.ipynb", ["tests/test_x.py"],
                                                             notebooks / "07_x.ipynb")
    with pytest.raises(ValueError, match="no notebook"):
        mutation.notebook_target("08_missing.ipynb", notebooks_dir=notebooks, tests_dir=tests)


def test_only_notebooks_with_lesson_code_are_targets(tmp_path):
    _notebook(tmp_path, "01_a.ipynb", ("a = 1", True))
    _notebook(tmp_path, "02_b.ipynb", ("b = 1", False))
    _notebook(tmp_path, "Untitled.ipynb", ("c = 1", True))
    assert [p.name for p in mutation.lesson_notebooks(tmp_path)] == ["01_a.ipynb"]


def test_the_test_command_runs_only_the_given_files_without_notebooks_and_stops_at_the_first_failure(tmp_path):
    command = mutation.test_command(["tests/test_x.py", "/elsewhere/test_y.py"], tmp_path)
    assert command[1:4] == ["-m", "pytest", "-x"]
    assert ["-p", "no:nbval"] == command[command.index("no:nbval") - 1:command.index("no:nbval") + 1]
    assert "addopts=" in command
    assert command[-2:] == [str(tmp_path / "tests" / "test_x.py"), "/elsewhere/test_y.py"]


# --------------------------------------------------------------------------
# Operators and cosmic-ray's configuration


@pytest.mark.parametrize("operator, focused", [
    ("core/ReplaceBinaryOperator_Add_Sub", True),
    ("core/ReplaceBinaryOperator_Div_FloorDiv", True),
    ("core/ReplaceBinaryOperator_Add_LShift", False),
    ("core/ReplaceBinaryOperator_Sub_Mul", False),
    ("core/ReplaceComparisonOperator_Lt_LtE", True),
    ("core/ReplaceComparisonOperator_Lt_Gt", True),
    ("core/ReplaceComparisonOperator_Lt_Is", False),
    ("core/ReplaceComparisonOperator_Eq_Lt", False),
    ("core/ReplaceUnaryOperator_Delete_USub", True),
    ("core/ReplaceUnaryOperator_USub_Invert", False),
    ("core/NumberReplacer", True),
    ("core/ZeroIterationForLoop", True),
])
def test_the_focused_operators_keep_plausible_mistakes_only(operator, focused):
    assert mutation.is_focused(operator) is focused


def test_excluded_operators_are_anchored_names_of_the_unfocused_ones():
    names = ["core/ReplaceBinaryOperator_Add_Sub", "core/ReplaceBinaryOperator_Add_Mul", "core/AddNot"]
    assert mutation.excluded_operators(names) == [r"core/ReplaceBinaryOperator_Add_Mul$"]


def test_the_configuration_is_toml_cosmic_ray_reads(tmp_path):
    command = ["/venv/bin/python", "-m", "pytest", "-o", "addopts=", str(tmp_path / "a b" / "test_x.py")]
    text = mutation.config_text(tmp_path / "lesson_07_x.py", command, 42, [r"core/X$"])
    config = tomllib.loads(text)["cosmic-ray"]
    assert config["module-path"] == str(tmp_path / "lesson_07_x.py")
    assert config["timeout"] == 42.0
    assert shlex.split(config["test-command"]) == command
    assert config["distributor"]["name"] == "local"
    assert config["filters"]["operators-filter"]["exclude-operators"] == [r"core/X$"]


# --------------------------------------------------------------------------
# Equivalent mutants


def test_the_equivalents_file_is_read_by_target_operator_and_mutated_line():
    text = """
    # comment
    helpers/x.py | core/NumberReplacer | return round(x, 5) | rounding past float32 precision changes nothing

    notebooks/07_x.ipynb | core/ReplaceBinaryOperator_BitAnd_BitOr | keep = a | b | both masks are equal here
    """
    assert mutation.parse_equivalents(text) == {
        ("helpers/x.py", "core/NumberReplacer", "return round(x, 5)"):
            "rounding past float32 precision changes nothing",
        ("notebooks/07_x.ipynb", "core/ReplaceBinaryOperator_BitAnd_BitOr", "keep = a | b"):
            "both masks are equal here",
    }


@pytest.mark.parametrize("line", ["helpers/x.py | core/NumberReplacer | x = 2",
                                  "helpers/x.py | core/NumberReplacer | x = 2 | "])
def test_an_equivalent_without_a_reason_is_refused_with_its_line_number(line):
    with pytest.raises(ValueError, match="equivalents line 2"):
        mutation.parse_equivalents("# header\n" + line)


def test_the_committed_equivalents_file_parses():
    assert isinstance(mutation.read_equivalents(), dict)
    assert mutation.read_equivalents(ROOT / "no-such-file.txt") == {}


# --------------------------------------------------------------------------
# cosmic-ray's results


def _dump_line(operator, line, result):
    item = {"job_id": "j", "mutations": [{"module_path": "x.py", "operator_name": operator, "occurrence": 0,
                                          "start_pos": [line, 4], "end_pos": [line, 5], "operator_args": {},
                                          "definition_name": "f"}]}
    return json.dumps([item, result])


A_DIFF = "--- a\n+++ b\n@@ -3 +3 @@\n-    if n < 2:\n+    if n <= 2:\n"


def _result(test_outcome, output="", worker="normal", diff=A_DIFF):
    return {"worker_outcome": worker, "output": output, "test_outcome": test_outcome, "diff": diff}


def test_the_dump_gives_each_mutant_its_outcome_line_and_changed_lines():
    dump = "\n".join([
        _dump_line("core/B", 9, _result("killed", "1 failed")),
        _dump_line("core/A", 3, _result("survived")),
        _dump_line("core/C", 5, _result("killed", "timeout")),
        _dump_line("core/D", 6, None),
        _dump_line("core/E", 7, _result(None, "Filtered operator", worker="skipped", diff=None)),
        _dump_line("core/F", 8, _result("incompetent", "Traceback", worker="exception", diff=None)),
        _dump_line("core/G", 10, _result(None, mutation.DEFERRED, worker="skipped", diff=None)),
    ])
    mutants = mutation.parse_dump(dump, "helpers/x.py")
    assert [(m.operator, m.line, m.outcome) for m in mutants] == [  # G: set aside by a retest still running
        ("core/A", 3, "survived"), ("core/C", 5, "timeout"), ("core/D", 6, "pending"),
        ("core/E", 7, "skipped"), ("core/F", 8, "incompetent"), ("core/B", 9, "killed"), ("core/G", 10, "pending")]
    assert (mutants[0].before, mutants[0].after, mutants[0].where) == ("if n < 2:", "if n <= 2:", "helpers/x.py:3")
    located = mutation.parse_dump(dump, "nb", locate=lambda line: f"cell {line}")
    assert located[0].where == "cell 3"


def test_the_bare_star_of_a_signature_is_not_a_mutant_but_a_product_is():
    signature = "def _build(header, where, *, id_column, drop):"
    star = signature.index("*")
    assert mutation.is_bare_star(signature, star)
    assert mutation.is_bare_star("def f(a, *)", 9)
    assert not mutation.is_bare_star("    return a * b, c", 13)
    assert not mutation.is_bare_star("    return a * b, c", 12)
    diff = f"--- a\n+++ b\n-{signature}\n+{signature.replace('*', '/')}\n"
    product = "--- a\n+++ b\n-    y = a * b\n+    y = a / b\n"
    dump = "\n".join([json.dumps([{"mutations": [{"operator_name": "core/ReplaceBinaryOperator_Mul_Div",
                                                  "start_pos": [4, star]}]}, _result("survived", diff=diff)]),
                      json.dumps([{"mutations": [{"operator_name": "core/ReplaceBinaryOperator_Mul_Div",
                                                  "start_pos": [9, 10]}]}, _result("survived", diff=product)])])
    assert [m.outcome for m in mutation.parse_dump(dump, "helpers/x.py")] == ["skipped", "survived"]


# --------------------------------------------------------------------------
# --functions: a run restricted to some functions

SOURCE = """import numpy as np


def loss(a, b):
    return a - b


@staticmethod
def rule(x):
    if x > 0:
        return 1
    return 0


class Model:
    def step(self, x):
        return x * 2


LIMIT = 3 + 4
"""


def test_definition_lines_span_a_function_from_its_decorator_to_its_last_line_and_a_class_with_its_methods():
    assert mutation.definition_lines(SOURCE, ["loss"]) == [(4, 5)]
    assert mutation.definition_lines(SOURCE, ["rule", "Model"]) == [(8, 12), (15, 17)]
    with pytest.raises(ValueError, match=r"no top-level function or class named 'step', 'nope'; defined: Model, loss"):
        mutation.definition_lines(SOURCE, ["step", "nope", "loss"])


def test_outside_is_inclusive_at_both_ends_of_every_range():
    ranges = [(4, 5), (16, 18)]
    assert [line for line in range(1, 22) if not mutation.outside(line, ranges)] == [4, 5, 16, 17, 18]


def _make_session(path, lines, killed=(), survived=(), module_path="x.py"):
    """A cosmic-ray session at ``path``: one mutant per ``lines`` entry (job id -> line), the ``killed``
    and ``survived`` ones with that result, the others not run yet."""
    work_db = pytest.importorskip("cosmic_ray.work_db")
    from cosmic_ray.work_item import MutationSpec, TestOutcome, WorkerOutcome, WorkItem, WorkResult

    def item(job_id, line):
        spec = MutationSpec(module_path=module_path, operator_name="core/NumberReplacer", occurrence=0,
                            start_pos=(line, 4), end_pos=(line, 5))
        return WorkItem(job_id=job_id, mutations=(spec,))

    with work_db.use_db(str(path), work_db.WorkDB.Mode.create) as db:
        db.add_work_items([item(job_id, line) for job_id, line in lines.items()])
        for outcome, jobs in ((TestOutcome.KILLED, killed), (TestOutcome.SURVIVED, survived)):
            for job_id in jobs:
                db.set_result(job_id, WorkResult(worker_outcome=WorkerOutcome.NORMAL, test_outcome=outcome))
    return path


def test_skip_outside_marks_only_the_pending_mutants_outside_the_ranges_as_skipped(tmp_path):
    work_db = pytest.importorskip("cosmic_ray.work_db")
    from cosmic_ray.work_item import WorkerOutcome

    session = _make_session(tmp_path / "session.sqlite", {"before": 2, "first": 4, "last": 5, "after": 6,
                                                          "method": 17, "done": 21}, killed=["done"])
    assert mutation.skip_outside(session, [(4, 5), (16, 18)]) == 2
    with work_db.use_db(str(session), work_db.WorkDB.Mode.open) as db:
        pending = sorted(i.job_id for i in db.pending_work_items)
        results = {i.job_id: r for i, r in db.completed_work_items}
    assert pending == ["first", "last", "method"]
    assert {job: r.worker_outcome for job, r in results.items()} == {
        "before": WorkerOutcome.SKIPPED, "after": WorkerOutcome.SKIPPED, "done": WorkerOutcome.NORMAL}


def test_the_command_line_passes_functions_to_the_run(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setattr(mutation, "run_target", lambda *args, **kwargs: seen.update(kwargs))
    monkeypatch.setattr(mutation, "read_target", lambda target, folder: ([], None))
    mutation.main(["--module", "helpers/evaluation.py", "--functions", "match_labels", "cluster_accuracy",
                   "--workdir", str(tmp_path)])
    assert seen["functions"] == ["match_labels", "cluster_accuracy"]


# --------------------------------------------------------------------------
# The report


def test_the_kill_rate_counts_timeouts_as_killed_and_sets_equivalents_and_pending_apart():
    equivalent = _mutant("survived", after="if n <= 3:")
    mutants = [_mutant("killed")] * 6 + [_mutant("timeout")] * 2 + [_mutant("survived")] * 2 + [equivalent] \
        + [_mutant("pending"), _mutant("incompetent")]
    summary = mutation.summarise("helpers/x.py", mutants, {equivalent.key(): "same result"})
    assert (summary.killed, summary.timeout, len(summary.survived), summary.pending, summary.incompetent) == \
        (6, 2, 2, 1, 1)
    assert summary.equivalent == [(equivalent, "same result")]
    assert summary.kill_rate == pytest.approx(8 / 10)
    assert mutation.summarise("helpers/y.py", [], {}).kill_rate is None


def test_the_report_lists_counts_per_target_and_every_survivor_with_its_lines():
    survivor = _mutant("survived", line=12)
    equivalent = _mutant("survived", line=20, after="x = 3")
    summaries = [mutation.summarise("helpers/x.py", [_mutant("killed"), _mutant("killed"), _mutant("killed"),
                                                     survivor, equivalent], {equivalent.key(): "dead code"}, 61.2),
                 mutation.summarise("helpers/y.py", [_mutant("killed", target="helpers/y.py")], {})]
    report = mutation.format_report(summaries)
    assert "| helpers/x.py | 5 | 3 | 0 | 1 | 1 | 0 | 75.0 % | 61 |" in report
    assert "| helpers/y.py | 1 | 1 | 0 | 0 | 0 | 0 | 100.0 % | - |" in report
    assert "helpers/x.py:12  core/ReplaceComparisonOperator_Lt_LtE\n    - if n < 2:\n    + if n <= 2:" in report
    assert "equivalent? helpers/x.py | core/ReplaceComparisonOperator_Lt_LtE | if n <= 2: | <reason>" in report
    assert "helpers/x.py:20  x = 3  -- dead code" in report
    assert "helpers/y.py:" not in report.split("| helpers/y.py |")[1].split("\n", 1)[1]


# --------------------------------------------------------------------------
# Notebook lessons


def test_an_exported_lesson_names_the_notebook_cell_of_each_line(tmp_path):
    notebook = _notebook(tmp_path / "notebooks", "07_x.ipynb",
                         ("# Title", None), ("import math\nA = 1", True), ("print(A)", False),
                         ("def f(x):\n    return x + A", True))
    path, locate = mutation.export_lesson(notebook, tmp_path)
    assert path == tmp_path / "lesson_07_x.py"
    lines = path.read_text().splitlines()
    assert lines.index("    return x + A") + 1 == 7
    assert locate(lines.index("A = 1") + 1) == "notebooks/07_x.ipynb cell 2 line 2"
    assert locate(7) == "notebooks/07_x.ipynb cell 4 line 2"
    assert locate(1) == "notebooks/07_x.ipynb (exported line 1)"


def test_hypothesis_is_loaded_only_for_test_files_that_use_it(tmp_path):
    (tmp_path / "test_plain.py").write_text("def test_a():\n    pass\n")
    (tmp_path / "test_props.py").write_text("from hypothesis import given\n")
    plain = mutation.test_command([str(tmp_path / "test_plain.py")], tmp_path)
    both = mutation.test_command([str(tmp_path / "test_plain.py"), str(tmp_path / "test_props.py")], tmp_path)
    assert "no:hypothesispytest" in plain
    assert "no:hypothesispytest" not in both


def test_the_import_stubs_raise_import_error_so_importers_skip_them(tmp_path):
    import subprocess
    import sys

    folder = mutation.write_import_stubs(tmp_path / "stubs")
    for name in mutation.SKIPPED_IMPORTS:
        done = subprocess.run([sys.executable, "-c", f"import {name}"], env={"PYTHONPATH": str(folder)},
                              capture_output=True, text=True)
        assert done.returncode != 0 and "ImportError" in done.stderr


def test_the_conftest_is_left_out_only_for_test_files_that_use_none_of_its_fixtures(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_text(
        "import pytest\n@pytest.fixture(autouse=True)\ndef _close():\n    yield\n"
        "@pytest.fixture(scope='session')\ndef three_blobs():\n    return 1\n")
    (tmp_path / "tests" / "test_plain.py").write_text("def test_a():\n    pass\n")
    (tmp_path / "tests" / "test_blobs.py").write_text("def test_a(three_blobs):\n    pass\n")
    (tmp_path / "tests" / "test_plots.py").write_text("from helpers import plotting\n")
    assert mutation.conftest_fixtures((tmp_path / "tests" / "conftest.py").read_text()) == ["three_blobs"]
    assert "--noconftest" in mutation.test_command(["tests/test_plain.py"], tmp_path)
    assert "--noconftest" not in mutation.test_command(["tests/test_plain.py", "tests/test_blobs.py"], tmp_path)
    assert "--noconftest" not in mutation.test_command(["tests/test_plots.py"], tmp_path)
    assert mutation.conftest_fixtures((mutation.ROOT / "tests" / "conftest.py").read_text())


def test_the_fork_server_runs_each_request_in_a_fresh_child_that_sees_the_file_as_it_is_now(tmp_path):
    import os
    import subprocess

    (tmp_path / "mod.py").write_text("VALUE = 1\n")
    (tmp_path / "test_mod.py").write_text("import mod\n\ndef test_value():\n    assert mod.VALUE == 1\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    server, client = mutation.start_server(tmp_path, env, preload=("pytest",))
    try:
        def run(timeout="60"):
            args = ["-q", "-p", "no:cacheprovider", "-p", "no:nbval", "-p", "no:hypothesispytest", "--noconftest", "-o", "addopts=", "test_mod.py"]
            return subprocess.run(client + [timeout] + args, cwd=tmp_path, capture_output=True, text=True, env=env)

        first = run()
        assert first.returncode == 0 and "1 passed" in first.stdout
        (tmp_path / "mod.py").write_text("VALUE = 2\n")  # a mutant: the next child must import it afresh
        assert run().returncode == 1
        (tmp_path / "mod.py").write_text("import time\ntime.sleep(30)\nVALUE = 1\n")
        assert run(timeout="1").returncode == 1  # stopped by the server, not left running
        (tmp_path / "mod.py").write_text("VALUE = 1\n")
        assert run().returncode == 0
    finally:
        server.kill()
        server.wait()


def test_the_copy_holds_the_records_the_claims_tests_read(tmp_path):
    """Notebook 04's claims read benchmarks/tune_digits.json: without it every mutant run stopped at the baseline."""
    tree = mutation.copy_project(tmp_path)
    for record in ("tune_digits.json", "tune_digits_seeds.json"):
        assert (tree / "benchmarks" / record).read_bytes() == (ROOT / "benchmarks" / record).read_bytes()
    assert (tree / "helpers" / "training.py").exists() and not list(tree.rglob("__pycache__"))


# --------------------------------------------------------------------------
# Running an earlier session again: --retest-survivors and --resume


def _session_with(tmp_path, mutated):
    """A session of four mutants of ``mutated``: one killed, one survived, two not run; its file recorded."""
    session = _make_session(tmp_path / "session.sqlite", {"killed": 1, "survived": 2, "pending": 3, "also pending": 4},
                            killed=["killed"], survived=["survived"], module_path="/elsewhere/tree/x.py")
    (tmp_path / "mutated.sha256").write_text(mutation.mutated_digest(mutated) + "\n")
    return session


def _pending(session):
    from cosmic_ray.work_db import WorkDB, use_db

    with use_db(str(session), WorkDB.Mode.open) as db:
        return sorted(item.job_id for item in db.pending_work_items)


def _run_recording_pending(monkeypatch, session):
    """Replace the cosmic-ray call by one that records which mutants it would run."""
    seen = []
    monkeypatch.setattr(mutation, "_run", lambda args, env, cwd, check=True: seen.append(_pending(session)))
    return seen


def test_retest_runs_only_the_survivors_and_leaves_the_mutants_not_run_as_they_were(tmp_path, monkeypatch):
    mutated = tmp_path / "x.py"
    mutated.write_text("VALUE = 1\n")
    session = _session_with(tmp_path, mutated)
    seen = _run_recording_pending(monkeypatch, session)
    mutation._exec_session(tmp_path, tmp_path, {}, mutated, ["pytest"], 10, True, retest=True)
    assert seen == [["survived"]]  # cosmic-ray's exec saw only the survivor to run
    assert _pending(session) == ["also pending", "pending", "survived"]  # (exec was not really run here)
    import sqlite3

    with sqlite3.connect(session) as db:
        assert db.execute("SELECT COUNT(*) FROM work_results WHERE output = ?", (mutation.DEFERRED,)).fetchone() == (0,)
        assert {row[0] for row in db.execute("SELECT module_path FROM mutation_specs")} == {str(mutated)}


@pytest.mark.parametrize("after_a_killed_retest", [False, True])
def test_resume_runs_only_the_mutants_not_run_and_keeps_the_results(tmp_path, monkeypatch, after_a_killed_retest):
    mutated = tmp_path / "x.py"
    mutated.write_text("VALUE = 1\n")
    session = _session_with(tmp_path, mutated)
    if after_a_killed_retest:  # its deferral left behind: the mutants not run look skipped
        assert mutation.defer_pending(session) == 2 and _pending(session) == []
    seen = _run_recording_pending(monkeypatch, session)
    mutation._exec_session(tmp_path, tmp_path, {}, mutated, ["pytest"], 10, True, resume=True)
    assert seen == [["also pending", "pending"]]


def test_retest_or_resume_refuses_a_file_changed_since_the_session_and_a_missing_session(tmp_path, monkeypatch):
    mutated = tmp_path / "x.py"
    mutated.write_text("VALUE = 1\n")
    session = _session_with(tmp_path, mutated)
    seen = _run_recording_pending(monkeypatch, session)
    mutated.write_text("VALUE = 2\n")
    for options in ({"retest": True}, {"resume": True}):
        with pytest.raises(SystemExit, match="x.py has changed since the session"):
            mutation._exec_session(tmp_path, tmp_path, {}, mutated, ["pytest"], 10, True, **options)
    assert seen == [] and _pending(session) == ["also pending", "pending"]  # nothing ran, nothing deferred
    with pytest.raises(SystemExit, match="no session to retest or resume"):
        mutation.continue_session(tmp_path / "empty", mutated)


def test_a_new_run_records_the_file_it_mutates(tmp_path, monkeypatch):
    mutated = tmp_path / "x.py"
    mutated.write_text("VALUE = 1\n")
    monkeypatch.setattr(mutation, "_run", lambda args, env, cwd, check=True: None)
    mutation._exec_session(tmp_path, tmp_path, {}, mutated, ["pytest"], 10, True)
    assert (tmp_path / "mutated.sha256").read_text().strip() == mutation.mutated_digest(mutated)
    assert mutation.mutated_digest(mutated) != mutation.mutated_digest(tmp_path / "cosmic-ray.toml")


@pytest.mark.parametrize("flags, message", [
    (["--retest-survivors"], "need the --workdir"), (["--resume"], "need the --workdir"),
    (["--retest-survivors", "--resume", "--workdir", "w"], "two separate runs")])
def test_retest_and_resume_need_a_workdir_and_not_each_other(flags, message):
    with pytest.raises(SystemExit, match=message):
        mutation.main(["--module", "helpers/evaluation.py", *flags])
