"""The series' website (docs/conf.py) builds from the committed notebooks, warnings as errors.

Builds the site once into a temporary folder (the README's command: ``python -m sphinx -M html .
OUT -c docs -W --keep-going``) and checks what a reader relies on: the README as the landing
page, navigation in series order, on every lesson a Colab button pinned to ``[tool.series]``
(the notebook's own badge URL) and a download of the very notebook file, every internal link,
anchor and image resolving, the explorers' still figures, and search covering every page.
The same link checks run on a hand-made broken page, so they are known to fail.

The tests of the built site are skipped, with the reason, when the docs extra (``pip install -e ".[docs]"``) is not installed.
``tools/site_check.py`` opens the built pages in headless Chromium (console errors, search).
"""

from __future__ import annotations

import functools
import html.parser
import importlib.util
import json
import os
import re
import subprocess
import sys
import tomllib
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS_PACKAGES = ("sphinx", "myst_nb", "sphinx_book_theme")
MISSING = [name for name in DOCS_PACKAGES if importlib.util.find_spec(name) is None]

LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def colab_url(notebook):
    """Colab URL of a lesson at the series' ref, from pyproject.toml (as the badges are stamped)."""
    series = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["series"]
    path = series["repository"].rstrip("/").removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{path}/blob/{series['ref']}/notebooks/{notebook}"


class Page(html.parser.HTMLParser):
    """What a built page holds: anchors (ids), links, images, and the links in given blocks.

    ``blocks`` maps a name to a CSS class; links inside an element with that class (at any depth)
    are collected under the name, in document order.
    """

    BLOCKS = {"launch": "dropdown-launch-buttons", "download": "dropdown-download-buttons",
              "navigation": "bd-docs-nav"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.path = Path(path)
        self.ids, self.links, self.images = set(), [], []
        self.blocks = {name: [] for name in self.BLOCKS}
        self._open = []  # per open element: the block names it starts
        self.feed(self.path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        classes = set((attrs.get("class") or "").split())
        if tag == "a" and attrs.get("href") is not None:
            self.links.append(attrs["href"])
            for name in {n for started in self._open for n in started}:
                self.blocks[name].append(attrs["href"])
        if tag == "img":
            self.images.append(attrs.get("src") or "")
        if tag not in self.VOID:
            self._open.append({name for name, css in self.BLOCKS.items() if css in classes})

    def handle_endtag(self, tag):
        if tag not in self.VOID and self._open:
            self._open.pop()


def target(page, href, site):
    """The site file (and fragment) an internal href points to; None for other sites."""
    parts = urllib.parse.urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
        return None
    here = page.path.resolve()
    file = here if not parts.path else (here.parent / urllib.parse.unquote(parts.path)).resolve()
    if file.is_dir():
        file = file / "index.html"
    return file, urllib.parse.unquote(parts.fragment)


@functools.lru_cache(maxsize=None)
def _anchors(file):
    """The ids of one page, parsed once however many links point into it."""
    return Page(file).ids


def link_problems(page, site):
    """Internal links, anchors and images of ``page`` that lead nowhere."""
    problems = []
    for kind, hrefs in (("link", page.links), ("image", page.images)):
        for href in hrefs:
            found = target(page, href, site)
            if found is None:
                continue
            file, fragment = found
            if not file.is_relative_to(site.resolve()) or not file.is_file():
                problems.append(f"{page.path.name}: {kind} {href!r} leads to no file of the site")
            elif fragment and file.suffix == ".html" and fragment not in _anchors(file):
                problems.append(f"{page.path.name}: {kind} {href!r}: no anchor #{fragment} there")
    return problems


def lesson_problems(page, notebook):
    """A lesson page without its pinned Colab button or its .ipynb download."""
    problems = []
    if colab_url(notebook) not in page.blocks["launch"]:
        problems.append(f"{notebook}: no Colab launch button to {colab_url(notebook)} (has {page.blocks['launch']})")
    if f"../_sources/notebooks/{notebook}" not in page.blocks["download"]:
        problems.append(f"{notebook}: no .ipynb download (has {page.blocks['download']})")
    return problems


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if MISSING:  # only the tests of the built site; the checkers' own tests below always run
        pytest.skip(f"the docs extra is not installed (missing {', '.join(MISSING)}): pip install -e '.[docs]'")
    out = tmp_path_factory.mktemp("site")
    built = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", "html", ".", str(out), "-c", "docs", "-W", "--keep-going", "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert built.returncode == 0 and not built.stderr.strip(), (
        f"the site does not build cleanly (exit {built.returncode}):\n{built.stderr}{built.stdout}")
    return out / "html"


@pytest.fixture(scope="module")
def pages(site):
    return {p.relative_to(site).as_posix(): Page(p) for p in site.rglob("*.html")
            if "_static" not in p.relative_to(site).parts}


def test_the_readme_is_the_landing_page(site, pages):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", readme, flags=re.MULTILINE).group(1).strip()
    for name in ("index.html", "README.html"):
        text = (site / name).read_text(encoding="utf-8")
        assert f"<h1>{title}" in text, name
        for lesson in LESSONS:  # the README's table of notebooks links every lesson's page
            assert f"notebooks/{lesson[:-6]}.html" in pages[name].links, (name, lesson)
    assert "docs/teaching.html" in pages["README.html"].links


def test_navigation_lists_the_readme_the_lessons_in_order_then_the_teachers_guide(pages):
    expected = ["README.html"] + [f"notebooks/{n[:-6]}.html" for n in LESSONS] + ["docs/teaching.html"]
    for name, page in pages.items():
        if name in ("genindex.html", "search.html"):
            continue
        here = Path(name).parent
        order = []
        for href in page.blocks["navigation"]:
            path = urllib.parse.urlsplit(href).path or Path(name).name  # "#": this page
            path = "README.html" if name == "index.html" and path == name else path  # its copy
            order.append(Path(os.path.normpath(here / path)).as_posix())
        assert order == expected, name


@pytest.mark.parametrize("notebook", LESSONS)
def test_every_lesson_has_a_colab_button_at_the_series_ref_and_its_notebook_to_download(site, pages, notebook):
    page = pages[f"notebooks/{notebook[:-6]}.html"]
    assert lesson_problems(page, notebook) == []
    # The same URL as the notebook's own stamped badge (tools/stamp_notebooks.py).
    cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    badge = next("".join(c["source"]) for c in cells if "series-badge" in c.get("metadata", {}).get("tags", []))
    assert f"({colab_url(notebook)})" in badge
    # The download is the committed notebook itself, byte for byte.
    assert (site / "_sources" / "notebooks" / notebook).read_bytes() == (ROOT / "notebooks" / notebook).read_bytes()


def test_every_internal_link_anchor_and_image_resolves(site, pages):
    problems = [p for page in pages.values() for p in link_problems(page, site)]
    assert problems == []
    lesson_images = sum(len(pages[f"notebooks/{n[:-6]}.html"].images) for n in LESSONS)
    assert lesson_images >= 2 * len(LESSONS)  # the notebooks' figures are on the pages


def test_the_explorers_show_their_still_figure_with_a_note(pages):
    for notebook in LESSONS:
        cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
        explorers = sum(1 for c in cells if c["cell_type"] == "code" and "_explorer(" in "".join(c["source"]))
        text = pages[f"notebooks/{notebook[:-6]}.html"].path.read_text(encoding="utf-8")
        assert text.count('class="explorer-note"') == explorers, notebook
        for note in re.finditer(r'class="explorer-note"', text):
            cell_start = text.rfind('class="cell', 0, note.start())
            assert "<img" in text[cell_start:note.start()], f"{notebook}: an explorer without its figure"
        assert "application/vnd.jupyter.widget-view+json" not in text  # no dead widget placeholders


def test_search_covers_every_page(site):
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    for docname in ["README", "docs/teaching"] + [f"notebooks/{n[:-6]}" for n in LESSONS]:
        assert f'"{docname}"' in index, docname
    assert '"dbscan"' in index.lower()


# The checks above must be able to fail: a hand-made page with each defect.

BROKEN = """<html><body><div id="top"></div>
<div class="dropdown dropdown-launch-buttons"><ul><li><a href="{colab}">Colab</a></li></ul></div>
<div class="dropdown dropdown-download-buttons"><ul><li><a href="{download}">.ipynb</a></li></ul></div>
<a href="#top">fine</a> <a href="other.html#top">fine</a> <a href="https://example.org/x">outside</a>
{extra}</body></html>"""


@pytest.mark.parametrize("extra, expected", [
    ('<a href="missing.html">x</a>', "leads to no file"),
    ('<a href="other.html#nowhere">x</a>', "no anchor #nowhere"),
    ('<a href="#nowhere">x</a>', "no anchor #nowhere"),
    ('<img src="_images/missing.png">', "image '_images/missing.png'"),
    ('<a href="../../outside.html">x</a>', "leads to no file"),
])
def test_the_link_check_finds_each_broken_link(tmp_path, extra, expected):
    site = tmp_path / "html"
    (site / "notebooks").mkdir(parents=True)
    (site / "notebooks" / "other.html").write_text('<p id="top"></p>')
    page = site / "notebooks" / "page.html"
    page.write_text(BROKEN.format(colab="https://colab.research.google.com/x", download="other.html", extra=""))
    assert link_problems(Page(page), site) == []
    page.write_text(BROKEN.format(colab="https://colab.research.google.com/x", download="other.html", extra=extra))
    problems = link_problems(Page(page), site)
    assert len(problems) == 1 and expected in problems[0], problems


def test_the_lesson_check_finds_a_missing_or_unpinned_colab_button_and_a_missing_download(tmp_path):
    notebook = LESSONS[0]
    page = tmp_path / "page.html"
    right = {"colab": colab_url(notebook), "download": f"../_sources/notebooks/{notebook}", "extra": ""}
    page.write_text(BROKEN.format(**right))
    assert lesson_problems(Page(page), notebook) == []
    for wrong in ({"colab": colab_url(notebook).replace("/blob/", "/blob/main-")},   # another ref
                  {"colab": colab_url(LESSONS[1])},                                 # another lesson
                  {"download": "../_sources/notebooks/other.ipynb"}):
        page.write_text(BROKEN.format(**{**right, **wrong}))
        assert len(lesson_problems(Page(page), notebook)) == 1, wrong
    page.write_text("<html><body><p>no buttons</p></body></html>")
    assert len(lesson_problems(Page(page), notebook)) == 2
