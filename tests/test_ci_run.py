""".ci/run, driven in a throwaway repository whose README test command is a tiny stand-in.

The real run takes a quarter of an hour; these check its plumbing: where the README's command
runs, that the developer's .venv survives, that the exit status propagates, and the summary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Writes into .venv (as the real command does) and reports what it sees, then exits with $EXIT.
COMMAND = (
    'mkdir -p .venv && echo ci > .venv/made-by-ci && cat notes.txt > "$OUT/notes" && '
    'ls > "$OUT/listing" && pwd > "$OUT/cwd" && exit "${EXIT:-0}"'
)


def _git(repo, *args):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo, check=True, capture_output=True
    )


@pytest.fixture
def repo(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", repo / ".ci" / "run")
    (repo / "README.md").write_text(
        f"# x\n\n<!-- test-command:start -->\n```bash\n{COMMAND}\n```\n<!-- test-command:end -->\n", encoding="utf-8"
    )
    (repo / ".gitignore").write_text(".venv/\n", encoding="utf-8")
    (repo / "notes.txt").write_text("committed\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "init")
    # the developer's state: an uncommitted edit, a new file, their own .venv
    (repo / "notes.txt").write_text("edited, not committed\n", encoding="utf-8")
    (repo / "new_test.py").write_text("# not yet added\n", encoding="utf-8")
    (repo / ".venv").mkdir()
    (repo / ".venv" / "mine").write_text("the developer's environment\n", encoding="utf-8")
    return repo


def _run(repo, tmp_path, *, exit_code=0, **env_vars):
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CI")}
    env.update({"OUT": str(out), "EXIT": str(exit_code), "CI_ENVIRONMENTS": "readme", **env_vars})
    result = subprocess.run(
        ["bash", str(repo / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    return result, out


def test_readme_command_runs_in_a_copy_and_leaves_the_developer_venv_alone(repo, tmp_path):
    result, out = _run(repo, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (repo / ".venv" / "mine").read_text(encoding="utf-8") == "the developer's environment\n"
    assert not (repo / ".venv" / "made-by-ci").exists()
    assert Path((out / "cwd").read_text(encoding="utf-8").strip()).resolve() != repo.resolve()
    # the copy holds the working tree as it is: uncommitted edits and new files, no .venv
    assert (out / "notes").read_text(encoding="utf-8") == "edited, not committed\n"
    listing = (out / "listing").read_text(encoding="utf-8").split()
    assert "new_test.py" in listing and "README.md" in listing


def test_the_test_command_exit_status_propagates(repo, tmp_path):
    result, _ = _run(repo, tmp_path, exit_code=5)
    assert result.returncode == 5, result.stdout + result.stderr
    assert "FAILED (exit 5)" in result.stdout
    assert "passed" not in result.stdout.splitlines()[-1]


def test_summary_lists_skipped_environments_and_does_not_say_all_green(repo, tmp_path):
    result, _ = _run(repo, tmp_path)
    assert result.returncode == 0
    summary = result.stdout[result.stdout.index("=== CI summary") :]
    lines = [line.split(None, 1) for line in summary.splitlines()[1:5]]
    assert lines == [
        ["readme", "passed"],
        ["colab-twin-py313", "skipped: not in CI_ENVIRONMENTS"],
        ["minimum-py312", "skipped: not in CI_ENVIRONMENTS"],
        ["colab-replay-py313", "skipped: not in CI_ENVIRONMENTS"],
    ]
    assert "all green" not in result.stdout and "not a full run" in summary


def test_on_ci_a_skipped_environment_fails_unless_allowed(repo, tmp_path):
    result, _ = _run(repo, tmp_path, CI="true")
    assert result.returncode == 1
    assert "skipped on CI: colab-twin-py313 minimum-py312 colab-replay-py313" in result.stdout
    partly, _ = _run(repo, tmp_path, CI="true", CI_ALLOW_SKIP="colab-twin-py313")
    assert partly.returncode == 1 and "skipped on CI: minimum-py312 colab-replay-py313" in partly.stdout
    allowed, _ = _run(repo, tmp_path, CI="true", CI_ALLOW_SKIP="colab-twin-py313,minimum-py312,colab-replay-py313")
    assert allowed.returncode == 0, allowed.stdout


def test_print_test_command_gives_the_readme_command(repo):
    result = subprocess.run(
        ["bash", str(repo / ".ci" / "run"), "--print-test-command"], capture_output=True, text=True, check=True
    )
    assert result.stdout == COMMAND + "\n"


# Stands in for .ci/colab_replay.py: records how it was called and from where, exits with $EXIT.
REPLAY_STUB = """\
import os, sys
from pathlib import Path
out = Path(os.environ["OUT"])
(out / "replay-args").write_text("\\n".join(sys.argv[1:]))
(out / "replay-python").write_text(".".join(map(str, sys.version_info[:2])))
(out / "replay-notes").write_text((Path(sys.argv[sys.argv.index("--source") + 1]) / "notes.txt").read_text())
sys.exit(int(os.environ.get("EXIT", "0")))
"""


def _has_python_313():
    probe = subprocess.run(
        ["bash", "-c", 'command -v python3.13 || ls "$(pyenv root 2>/dev/null)"/versions/3.13*/bin/python3.13'],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.returncode == 0 and probe.stdout.strip() != ""


@pytest.mark.skipif(not _has_python_313(), reason="needs a Python 3.13 (python3.13 or pyenv)")
@pytest.mark.parametrize("exit_code", [0, 3])
def test_colab_replay_runs_on_python_313_against_the_snapshot(repo, tmp_path, exit_code):
    (repo / ".ci" / "colab_replay.py").write_text(REPLAY_STUB, encoding="utf-8")
    result, out = _run(repo, tmp_path, exit_code=exit_code, CI_ENVIRONMENTS="colab-replay-py313")
    assert result.returncode == exit_code, result.stdout + result.stderr
    assert (out / "replay-python").read_text(encoding="utf-8") == "3.13"
    args = (out / "replay-args").read_text(encoding="utf-8").split("\n")
    source = Path(args[args.index("--source") + 1])
    assert source.resolve() != repo.resolve()  # a snapshot, not the checkout
    assert (out / "replay-notes").read_text(encoding="utf-8") == "edited, not committed\n"  # the working tree
    expected = "passed" if exit_code == 0 else f"FAILED (exit {exit_code})"
    assert f"colab-replay-py313   {expected}" in result.stdout
