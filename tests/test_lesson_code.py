"""The loader that hands a notebook's own lesson code to the unit tests."""

import nbformat
import pytest

import lesson_code


def _notebook(tmp_path, *cells):
    notebook = nbformat.v4.new_notebook(cells=list(cells))
    nbformat.write(notebook, tmp_path / "99_demo.ipynb")
    return tmp_path


def _code(text, tagged=True):
    cell = nbformat.v4.new_code_cell(text)
    if tagged:
        cell.metadata["tags"] = [lesson_code.TAG]
    return cell


def test_only_tagged_cells_are_exported_in_order(tmp_path):
    folder = _notebook(tmp_path, _code("a = 1"), _code("raise SystemExit('untagged cells never run')", tagged=False),
                       _code("b = a + 1"))
    assert lesson_code.cells("99_demo.ipynb", folder) == ["a = 1", "b = a + 1"]
    namespace = {}
    exec(lesson_code.source("99_demo.ipynb", folder), namespace)
    assert namespace["b"] == 2


def test_a_notebook_without_lesson_code_is_an_error(tmp_path):
    folder = _notebook(tmp_path, _code("a = 1", tagged=False))
    with pytest.raises(LookupError, match="no cell tagged 'lesson-code'"):
        lesson_code.cells("99_demo.ipynb", folder)


def test_magics_are_refused_in_lesson_code(tmp_path):
    folder = _notebook(tmp_path, _code("%pip install something\na = 1"))
    with pytest.raises(ValueError, match="plain Python"):
        lesson_code.cells("99_demo.ipynb", folder)


def test_an_edited_copy_replaces_the_notebook_for_mutation_runs(tmp_path, monkeypatch):
    (tmp_path / "lesson_99_demo.py").write_text("answer = 41 + 1\n", encoding="utf-8")
    monkeypatch.setenv("SERIES_LESSON_SOURCE", str(tmp_path))
    lesson_code.load.cache_clear()
    try:
        assert lesson_code.load("99_demo.ipynb").answer == 42
    finally:
        lesson_code.load.cache_clear()


def test_another_tag_exports_only_its_own_cells(tmp_path):
    article = nbformat.v4.new_code_cell("published = 'article'")
    article.metadata["tags"] = ["article-code"]
    folder = _notebook(tmp_path, _code("rule = 'lesson'"), article)
    assert lesson_code.cells("99_demo.ipynb", folder, tag="article-code") == ["published = 'article'"]
    assert lesson_code.cells("99_demo.ipynb", folder) == ["rule = 'lesson'"]
    assert "cells tagged 'article-code'" in lesson_code.source("99_demo.ipynb", folder, tag="article-code")


def test_an_edited_lesson_copy_does_not_replace_another_tag(tmp_path, monkeypatch):
    (tmp_path / "lesson_01_autoencoder_dbscan.py").write_text("raise SystemExit('the mutant')\n", encoding="utf-8")
    monkeypatch.setenv("SERIES_LESSON_SOURCE", str(tmp_path))
    lesson_code.load.cache_clear()
    try:
        text = lesson_code.source("01_autoencoder_dbscan.ipynb", tag="article-code")
        assert "def article_example_1(" in text and "the mutant" not in text
    finally:
        lesson_code.load.cache_clear()
