"""Sphinx configuration for the series' website.

Build (from the repository root; the README's "The website" section has the same command)::

    python -m sphinx -W --keep-going -c docs . docs/_build/html

Why Sphinx + myst-nb + sphinx-book-theme, and not Jupyter Book: Jupyter Book 1 is a wrapper around
these same three packages (plus its own pins and a ``_config.yml``), and Jupyter Book 2 is a
different, Node-based tool. Using the three directly keeps one small dependency set on current
releases, and this file is Python, so it reads the release the notebooks belong to from
``pyproject.toml`` (``[tool.series]``, the same ref the notebooks' Colab badges and setup cells
use) instead of repeating it in a YAML file that could drift.

What the site is:

- the source folder is the repository root (``-c docs .``), but only the README (the landing
  page), ``docs/*.md`` (the teacher's guide) and ``notebooks/NN_*.ipynb`` are read
  (``include_patterns``), so links between them work exactly as they do on GitHub;
- the notebooks are rendered with the outputs they were committed with: nothing is executed at
  build time, so the site shows what the tests checked;
- navigation in series order (the README, lessons 01..NN, the teacher's guide), a table of contents
  per page, search, and on every lesson a Colab launch button pinned to ``[tool.series] ref`` and a
  download of the ``.ipynb``;
- the explorers (ipywidgets) show the static figure their output carries, with a note that the
  sliders need a running notebook.

``tests/test_site.py`` builds the site with warnings as errors and checks the buttons and links;
``tools/site_check.py`` opens every page in headless Chromium.
"""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

# Build time: jsonschema (which nbformat imports to validate notebooks) imports rfc3987-syntax
# when it is installed (JupyterLab's jupyter-events brings it), and that compiles ~40 grammars at
# import: 2.5 of the build's ~10 CPU seconds. Notebook validation never checks that string format,
# so the build tells Python it is absent. This affects only the sphinx process.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
_pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
REPOSITORY = _pyproject["tool"]["series"]["repository"].rstrip("/")
REF = _pyproject["tool"]["series"]["ref"]
LESSONS = sorted(path.relative_to(ROOT).with_suffix("").as_posix()
                 for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
GUIDES = ["docs/teaching"]

project = "Clustering with Neural Networks"
# The footer says what LICENSE says: "© Copyright 2026 The ... authors. MIT licence."
_holder = re.search(r"^Copyright \(c\) (.+)$", (ROOT / "LICENSE").read_text(encoding="utf-8"), re.MULTILINE)
copyright = f"{_holder.group(1).strip()}. MIT licence" if _holder else "MIT licence"
release = version = REF

extensions = ["myst_nb", "sphinx.ext.githubpages"]  # githubpages: writes .nojekyll
root_doc = "README"
include_patterns = ["README.md", "docs/*.md", "notebooks/[0-9][0-9]_*.ipynb"]
# Sphinx walks the source folder before it filters, so everything else at the top level (a .venv
# of 50,000 files, .git, build folders) is excluded, which also keeps Sphinx out of it: a minute
# less with a .venv in the clone.
exclude_patterns = sorted(path.name for path in ROOT.iterdir() if path.name not in ("README.md", "docs", "notebooks"))
exclude_patterns += ["docs/_build", "**/.ipynb_checkpoints"]

# myst-nb: render the committed outputs, never execute.
nb_execution_mode = "off"
# The explorers' outputs carry an ipywidgets view and, next to it, a PNG of their first figure.
# Without a kernel the widget cannot work (and the notebooks hold no widget state), so the site
# shows the PNG.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3

html_theme = "sphinx_book_theme"
html_title = f"Clustering with Neural Networks ({REF})"
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_last_updated_fmt = None
html_show_sphinx = False
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": REF,  # the Colab button opens the notebook at this release
    "path_to_docs": "",  # page names are paths from the repository root
    "use_repository_button": True,
    "use_download_button": True,  # the .ipynb itself (html_sourcelink_suffix = "")
    "use_fullscreen_button": False,
    "launch_buttons": {"colab_url": "https://colab.research.google.com"},
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "navigation_with_keys": False,
    "footer_content_items": ["copyright.html"],
    # pydata-sphinx-theme >= 0.20 puts a second search field in a top bar unless this is set;
    # the book theme has its search field in the sidebar.
    "navbar_persistent": [],
}
# Light until the reader picks another mode (the switch is in the page's header). Without a
# default, pydata-sphinx-theme logs "Got invalid theme mode" to the console on a first visit.
html_context = {"default_mode": "light"}
html_sourcelink_suffix = ""


def add_navigation(app, docname, source):
    """Append the site's navigation (a hidden toctree) to the README, in series order.

    The README stays plain Markdown on GitHub; only the site sees this block.
    """
    if docname != root_doc:
        return
    lessons = "\n".join(LESSONS)
    guides = "\n".join(GUIDES)
    source[0] += (
        f"\n\n```{{toctree}}\n:hidden:\n:caption: Lessons\n\n{lessons}\n```\n"
        f"\n```{{toctree}}\n:hidden:\n:caption: For teachers\n\n{guides}\n```\n"
    )


class ExplorerNote(SphinxPostTransform):
    """Under each explorer's figure, say that it is a still and how to move the sliders."""

    default_priority = 400

    def run(self):
        for cell in self.document.findall(nodes.container):
            if cell.get("nb_element") != "cell_code":
                continue
            source = cell.astext() if not cell.children else cell.children[0].astext()
            if "_explorer(" not in source:
                continue
            note = nodes.paragraph(classes=["explorer-note"])
            note += nodes.Text("A still of the explorer as the notebook ran. Its sliders need a running "
                               "notebook: open the lesson in Colab (rocket button at the top) or in "
                               "JupyterLab.")
            cell += note


def copy_landing_page(app, exception):
    """``index.html`` is the README's page too, so the site's address opens the landing page."""
    if exception is None and app.builder.format == "html":
        out = Path(app.outdir)
        shutil.copyfile(out / f"{root_doc}.html", out / "index.html")


def setup(app):
    app.connect("source-read", add_navigation)
    app.add_post_transform(ExplorerNote)
    app.connect("build-finished", copy_landing_page)
    return {"parallel_read_safe": True}
