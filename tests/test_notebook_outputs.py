"""The claims tests see a fresh execution, not only the committed outputs."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent

CLAIMS = '''
import pytest
from notebook_outputs import SOURCES, output_text, read


@pytest.fixture(scope="module", params=SOURCES)
def cells(request):
    return read("01_demo.ipynb", request.param).cells


def test_the_prose_claims_a_perfect_score(cells):
    assert "ARI 1.00" in output_text(cells[0])


def test_a_display_updated_during_the_cell_reads_as_its_last_version(cells):
    assert output_text(cells[1]).strip() == "trained 3 epochs"
'''


def _project(tmp_path, code):
    """A copy of the series' test plumbing around one notebook whose committed output says ARI 1.00."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "notebooks").mkdir()
    for name in ("conftest.py", "notebook_outputs.py"):
        shutil.copy(HERE / name, tmp_path / "tests" / name)
    (tmp_path / "tests" / "test_notebook_01_claims.py").write_text(CLAIMS, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        (HERE.parent / "pyproject.toml").read_text(encoding="utf-8").split("[tool.pytest.ini_options]")[1].join(
            ["[tool.pytest.ini_options]", ""]), encoding="utf-8")
    cell = nbformat.v4.new_code_cell(code, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ARI 1.00\n")]
    progress = nbformat.v4.new_code_cell(  # as training.CompactProgress shows training: one display, updated
        'from IPython.display import Pretty, display\nh = display(Pretty("training..."), display_id=True)\n'
        'h.update(Pretty("trained 3 epochs"))', execution_count=2)
    progress.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "trained 3 epochs"})]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell, progress]), tmp_path / "notebooks" / "01_demo.ipynb")
    stray = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise RuntimeError('scratch')")])
    nbformat.write(stray, tmp_path / "notebooks" / "Untitled.ipynb")
    return tmp_path


def _run(folder):
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA"], cwd=folder, capture_output=True, text=True)
    return result.stdout + result.stderr


def test_a_notebook_whose_code_no_longer_gives_its_committed_result_fails_its_claims(tmp_path):
    # the series' own options: two pytest-xdist workers, the notebook and its claims on one of them
    report = _run(_project(tmp_path, 'print("ARI 0.00")  # a broken lesson, outputs not re-committed'))
    assert "[gw0]" in report or "[gw1]" in report
    assert "PASSED tests/test_notebook_01_claims.py::test_the_prose_claims_a_perfect_score[committed]" in report
    assert "FAILED tests/test_notebook_01_claims.py::test_the_prose_claims_a_perfect_score[fresh]" in report
    assert "PASSED notebooks/01_demo.ipynb::Cell 0" in report  # nbval ran the cell (lax: no comparison)
    for source in ("committed", "fresh"):  # nbval alone would keep "training...", the display's first version
        assert f"PASSED tests/test_notebook_01_claims.py::test_a_display_updated_during_the_cell_reads_as_its_last_version[{source}]" in report
    assert "Untitled" not in report  # a scratch notebook in the folder is not part of the series


def test_two_workers_run_each_notebook_with_its_own_claims_and_each_test_file_whole():
    from conftest import worker_scope

    together = {worker_scope(n) for n in ("notebooks/04_deep_embedded_clustering_digits.ipynb::Cell 0",
                                          "notebooks/04_deep_embedded_clustering_digits.ipynb::Cell 31",
                                          "tests/test_notebook_04_claims.py::test_stderr[fresh]")}
    assert len(together) == 1
    apart = {worker_scope(n) for n in ("notebooks/05_your_own_data.ipynb::Cell 0", "tests/test_notebook_05_claims.py::t",
                                       "tests/test_notebook_outputs.py::t", "tests/test_tables.py::t",
                                       "tests/test_tables.py::u", "tests/test_tables_properties.py::t")}
    assert len(apart) == 4 and "notebook 04" not in apart  # 05 with its claims; test_tables.py whole


def test_a_fresh_run_may_carry_a_librarys_warning_but_nothing_else_on_stderr():
    from notebook_outputs import stderr_outputs

    warning = ("/venv/lib/python3.12/site-packages/keras/src/models/functional.py:237: UserWarning: The structure"
               " of `inputs` doesn't match the expected structure.\nExpected: ['x']\n  warnings.warn(msg)\n")
    library, ours = nbformat.v4.new_code_cell("a"), nbformat.v4.new_code_cell("b")
    library.outputs = [nbformat.v4.new_output("stream", name="stderr", text=warning)]
    ours.outputs = [nbformat.v4.new_output("stream", name="stderr", text="/work/notebook.py:3: UserWarning: ours\n")]
    assert stderr_outputs([library], "fresh") == []
    assert len(stderr_outputs([library], "committed")) == 1  # a committed notebook shows no stderr at all
    assert len(stderr_outputs([ours], "fresh")) == 1
