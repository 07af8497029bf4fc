"""Tests for helpers.notebook: the environment check and show_source."""

from __future__ import annotations

import sys
from importlib import metadata

import pytest

from helpers import notebook

# --------------------------------------------------------------------------- check_environment


def test_check_environment_returns_python_and_installed_versions():
    found = notebook.check_environment()
    assert list(found) == ["python", "tensorflow", "keras", "scikit-learn", "numpy", "matplotlib"]
    assert found["python"] == ".".join(map(str, sys.version_info[:3]))
    for name in ("tensorflow", "keras", "scikit-learn", "numpy", "matplotlib"):
        assert found[name] == metadata.version(name)


def test_requirements_come_from_the_project_metadata_without_extras():
    minimums = dict(notebook._requirements())
    assert {"tensorflow", "keras", "scikit-learn", "numpy", "matplotlib"} <= set(minimums)
    assert "pytest" not in minimums and "nbval" not in minimums  # [test] extra is skipped
    required = metadata.requires(notebook.DISTRIBUTION)
    assert any(line.replace(" ", "").startswith(f"numpy>={minimums['numpy']}") for line in required)


def test_check_environment_names_a_package_older_than_its_minimum(monkeypatch):
    real_version = metadata.version

    def fake_version(name):
        return "1.0.0" if name == "numpy" else real_version(name)

    monkeypatch.setattr(notebook.metadata, "version", fake_version)
    with pytest.raises(RuntimeError, match=r"too old for the series: numpy 1\.0\.0 \(need >= 2\.0\)") as info:
        notebook.check_environment()
    assert "pip install -U" in str(info.value)
    assert "tensorflow" not in str(info.value)  # only the offending package is named


def test_check_environment_names_every_package_below_monkeypatched_minimums(monkeypatch):
    monkeypatch.setattr(notebook, "_requirements", lambda: [("keras", "999.0"), ("numpy", "999.1"), ("scipy", "999")])
    with pytest.raises(RuntimeError, match=r"keras \S+ \(need >= 999\.0\); numpy \S+ \(need >= 999\.1\)\."):
        notebook.check_environment()


def test_check_environment_passes_when_the_minimum_is_exactly_met(monkeypatch):
    installed = metadata.version("numpy")
    monkeypatch.setattr(notebook, "_requirements", lambda: [("numpy", installed)])
    assert notebook.check_environment()["numpy"] == installed


def test_check_environment_names_a_missing_package(monkeypatch):
    real_version = metadata.version

    def fake_version(name):
        if name == "matplotlib":
            raise metadata.PackageNotFoundError(name)
        return real_version(name)

    monkeypatch.setattr(notebook.metadata, "version", fake_version)
    with pytest.raises(RuntimeError, match=r"too old for the series: matplotlib is not installed\. Upgrade"):
        notebook.check_environment()


def test_check_environment_rejects_an_old_python(monkeypatch):
    monkeypatch.setattr(notebook.sys, "version_info", (3, 10, 12, "final", 0))
    with pytest.raises(RuntimeError, match=r"Python 3\.10\.12 \(need >= 3\.11\)"):
        notebook.check_environment()


# --------------------------------------------------------------------------- show_source


def documented(x, y=2):
    """Add two numbers.

    A long docstring that must not be shown.
    """
    total = x + y  # a comment stays
    return total


def undocumented(x):
    return x * 3


class Documented:
    """Class docstring that must not be shown."""

    def method(self):
        """Method docstring, hidden as well."""
        return 1


def check_positive(value, name):
    if value <= 0:
        raise ValueError(f"{name} must be positive")
    return value


def validated(x, scale=2.0):
    """Docstring."""
    x = check_positive(x, "x")
    if scale == 0:
        raise ValueError("scale must not be 0")
    _check_something(scale)
    y = check_positive(scale, "scale")  # stores a new name: stays
    return x * y


def _check_something(value):
    return value


def test_show_source_prints_code_without_the_docstring(capsys):
    notebook.show_source(documented)
    out = capsys.readouterr().out
    assert out == "def documented(x, y=2):\n    total = x + y  # a comment stays\n    return total\n"


def test_show_source_prints_a_function_without_docstring_unchanged(capsys):
    notebook.show_source(undocumented)
    assert capsys.readouterr().out == "def undocumented(x):\n    return x * 3\n"


def test_show_source_removes_class_and_method_docstrings(capsys):
    notebook.show_source(Documented)
    out = capsys.readouterr().out
    assert out == "class Documented:\n    def method(self):\n        return 1\n"


def test_show_source_hides_input_checks_but_keeps_what_they_store(capsys):
    notebook.show_source(validated)
    assert capsys.readouterr().out == (
        "def validated(x, scale=2.0):\n"
        '    y = check_positive(scale, "scale")  # stores a new name: stays\n'
        "    return x * y\n"
    )


def _spaced(x, scale=2.0):
    """Docstring, hidden."""

    scale = check_positive(scale, "scale")
    if x is None:
        raise ValueError("x")

    y = x * 2


    return y * scale


def test_show_source_keeps_one_blank_line_where_hiding_leaves_several_and_none_after_the_signature(capsys):
    notebook.show_source(_spaced)
    assert capsys.readouterr().out == (
        "def _spaced(x, scale=2.0):\n"  # the docstring, the check and the blank line after them hidden
        "    y = x * 2\n"
        "\n"
        "    return y * scale\n"
    )


def test_show_source_keeps_an_if_that_does_more_than_raise(capsys):
    notebook.show_source(_conditional)
    assert "if x > 0:" in capsys.readouterr().out


def _conditional(x):
    if x > 0:
        x = -x
    return x


def test_show_source_dedents_a_method(capsys):
    notebook.show_source(Documented.method)
    assert capsys.readouterr().out == "def method(self):\n    return 1\n"


def test_show_source_on_a_helper_shows_its_body():
    import io
    from contextlib import redirect_stdout

    from helpers import models

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        notebook.show_source(models.build_autoencoder)
    out = buffer.getvalue()
    assert out.startswith("def build_autoencoder(")
    assert "keras.layers.Dense(latent_dim" in out
    assert "Parameters" not in out and '"""' not in out
    assert "check_int" not in out and "_check_units" not in out


@pytest.mark.parametrize(
    ("obj", "match"),
    [(42, r"function must be a function or class; got int"), ("print", r"got str")],
)
def test_show_source_rejects_non_callables(obj, match):
    with pytest.raises(TypeError, match=match):
        notebook.show_source(obj)


def test_show_source_rejects_callables_without_python_source():
    with pytest.raises(TypeError, match=r"no Python source is available for <built-in function len>"):
        notebook.show_source(len)


_REPRESENTATIONS = {"scaled": None,
                    "PCA": lambda X: X[:, :2],  # notebook 05's style: a dict of lambdas
                    }


def test_show_source_prints_a_lambdas_line_as_it_is(capsys):
    # ast cannot parse a lambda's line on its own: it raised SyntaxError ('illegal target for annotation')
    notebook.show_source(_REPRESENTATIONS["PCA"])
    assert capsys.readouterr().out == '"PCA": lambda X: X[:, :2],  # notebook 05\'s style: a dict of lambdas\n'
    for scale in [2]:
        square = lambda x: x * scale  # noqa: E731  (inside a for: the line is indented)
    notebook.show_source(square)
    assert capsys.readouterr().out == "square = lambda x: x * scale  # noqa: E731  (inside a for: the line is indented)\n"


class _WithColumnZeroString:
    def query(self):
        """Return a query."""
        text = """
SELECT 1
"""
        return text


def test_show_source_handles_a_method_containing_a_column_zero_string(capsys):
    notebook.show_source(_WithColumnZeroString.query)
    out = capsys.readouterr().out
    assert out.startswith("def query(self):") and "Return a query" not in out


def one_liner(x): "Doc on the def line."; return x + 1  # noqa: E701,E702


def test_show_source_keeps_the_definition_when_the_docstring_is_on_the_def_line(capsys):
    notebook.show_source(one_liner)
    assert "def one_liner(x):" in capsys.readouterr().out


def test_check_environment_says_how_to_install_when_the_project_is_not_installed(monkeypatch):
    from importlib import metadata

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(notebook.metadata, "requires", missing)
    with pytest.raises(RuntimeError, match=r"is not installed.*pip install -e"):
        notebook.check_environment()
