"""Open every page of the series' website in headless Chromium and check what a reader meets.

Builds the site first (the README's command, warnings as errors, into a temporary folder) unless
``--site`` names a built one, serves it on 127.0.0.1, and opens every HTML page. A page fails if

- the browser console shows an error, or the page raises (uncaught JavaScript error);
- a request to the site itself fails or answers 400 or more (a missing stylesheet, script, image);
- an image of the site's own does not load (``naturalWidth`` 0);
- a link to another page of the site, or to an anchor on one, leads nowhere;
- it is a lesson and lacks its Colab launch button (pinned to ``[tool.series]`` in
  ``pyproject.toml``, the same URL as the notebook's own badge) or its ``.ipynb`` download.

Search is checked too: ``search.html?q=DBSCAN`` must list the lessons that use it.

Nothing outside 127.0.0.1 is fetched (the machine running the check may be offline): requests
elsewhere (the Colab badge image, fonts or scripts from a CDN) are blocked and counted, and the
console's "failed to load" messages about exactly those requests are not counted as errors.

Screenshots of the top of every page, and of each explorer's still figure, go to
``--screenshots`` (default ``/tmp/site``).

Needs Chromium (Debian: ``apt-get install chromium``), the ``playwright`` Python package (no
``playwright install``: the system Chromium is used) and the docs extra::

    .venv/bin/pip install -e ".[docs]" playwright
    .venv/bin/python tools/site_check.py
    .venv/bin/python tools/site_check.py --site docs/_build/html   # an existing build

Prints one line per page and exits with status 1 if any check failed.
"""

from __future__ import annotations

import argparse
import functools
import html.parser
import http.server
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SEARCH_WORD = "DBSCAN"
TIMEOUT_MS = 120_000  # per page and step; generous, for a loaded machine

# What the page shows once loaded: every link (resolved), every image and whether it loaded,
# the launch and download buttons.
PAGE_STATE = """
() => ({
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  images: [...document.querySelectorAll('img')].map(img => ({
      src: img.currentSrc || img.src, loaded: img.complete && img.naturalWidth > 0})),
  colab: [...document.querySelectorAll('.dropdown-launch-buttons a')]
      .map(a => a.href).filter(h => h.startsWith('https://colab.research.google.com/')),
  downloads: [...document.querySelectorAll('.dropdown-download-buttons a')].map(a => a.href),
  title: document.title,
})
"""


def series_ref(root=ROOT):
    series = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["series"]
    return series["repository"].rstrip("/"), series["ref"]


def colab_url(notebook, root=ROOT):
    """The Colab URL of ``notebooks/<notebook>`` at the series' ref, as the badges have it."""
    repository, ref = series_ref(root)
    path = repository.removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{path}/blob/{ref}/notebooks/{notebook}"


def build(out):
    """The README's build command, into ``out`` (``out/html`` is the site); returns seconds."""
    started = time.time()
    subprocess.run([sys.executable, "-m", "sphinx", "-M", "html", ".", str(out), "-c", "docs",
                    "-W", "--keep-going", "-q"], cwd=ROOT, check=True)
    return time.time() - started


class _Ids(html.parser.HTMLParser):
    """Every ``id`` and ``name`` attribute on a page: the anchors a link may point to."""

    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("id", "name") and value:
                self.ids.add(value)


@functools.cache
def anchors(path):
    parser = _Ids()
    parser.feed(Path(path).read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def internal_target(site, base, url):
    """Where an internal URL points in the built site: (file, fragment), or None if external."""
    parts = urllib.parse.urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base:
        return None
    path = urllib.parse.unquote(parts.path).lstrip("/")
    file = site / path
    if not path or file.is_dir():
        file = file / "index.html"
    return file, urllib.parse.unquote(parts.fragment)


def broken_link(site, base, url):
    """Why an internal link is broken ("" if it is not, or if it is external)."""
    target = internal_target(site, base, url)
    if target is None:
        return ""
    file, fragment = target
    if not file.is_file():
        return f"{url}: no such file"
    if fragment and file.suffix == ".html" and fragment not in anchors(file):
        return f"{url}: no anchor #{fragment} on {file.relative_to(site)}"
    return ""


def serve(site):
    """A static server for ``site`` on a free port of 127.0.0.1, in a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def check_page(browser, site, base, page_path, shots):
    """Open one page as a first visit; return (problems, outside requests blocked, links, images)."""
    url = f"{base}/{page_path.relative_to(site).as_posix()}"
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # no stored settings
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems, console, blocked = [], [], []

    def route(request_route):
        request = request_route.request
        if request.url.startswith(base + "/") or request.url.startswith("data:"):
            request_route.continue_()
        else:
            blocked.append(request.url)
            request_route.abort("blockedbyclient")

    page.route("**/*", route)
    page.on("console", lambda m: console.append(m) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"uncaught error: {e}"))
    page.on("response", lambda r: problems.append(f"{r.url} answered {r.status}")
            if r.url.startswith(base) and r.status >= 400 else None)
    page.on("requestfailed", lambda r: problems.append(f"{r.url} failed: {r.failure}")
            if r.url.startswith(base) else None)
    page.goto(url, wait_until="load")  # the page's own images, styles and scripts are in
    try:  # and what its scripts fetch afterwards (the search index), if it settles soon
        page.wait_for_load_state("networkidle", timeout=15_000)
    except Exception:  # playwright's TimeoutError: check what is there
        pass
    state = page.evaluate(PAGE_STATE)

    for message in console:
        location = (message.location or {}).get("url", "")
        if "Failed to load resource" in message.text and location in blocked:
            continue  # a request outside the site, blocked on purpose
        problems.append(f"console error: {message.text} ({location})")
    links = sorted(set(state["links"]))
    internal = [link for link in links if link.startswith(base)]
    problems += [why for why in (broken_link(site, base, link) for link in internal) if why]
    for image in state["images"]:
        if image["src"].startswith(base) and not image["loaded"]:
            problems.append(f"image did not load: {image['src']}")
    if page_path.parent.name == "notebooks":
        notebook = page_path.with_suffix(".ipynb").name
        if colab_url(notebook) not in state["colab"]:
            problems.append(f"no Colab launch button to {colab_url(notebook)} (found {state['colab']})")
        download = f"{base}/_sources/notebooks/{notebook}"
        if download not in state["downloads"]:
            problems.append(f"no .ipynb download to {download} (found {state['downloads']})")

    stem = page_path.relative_to(site).with_suffix("").as_posix().replace("/", "_")
    page.screenshot(path=str(shots / f"{stem}.png"))
    notes = page.locator("p.explorer-note")
    for n in range(notes.count()):
        # The explorer's cell: its code, its still figure, the note.
        cell = notes.nth(n).locator("xpath=..")
        cell.scroll_into_view_if_needed()
        cell.screenshot(path=str(shots / f"{stem}_explorer{n}.png"))
    context.close()
    images = sum(1 for i in state["images"] if i["src"].startswith(base))
    return problems, blocked, len(internal), images


def check_search(browser, base):
    """The search page lists the lessons for SEARCH_WORD; returns (problems, hits)."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
    page.goto(f"{base}/search.html?q={SEARCH_WORD}", wait_until="load")
    try:
        page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0",
                               timeout=TIMEOUT_MS)
    except Exception:  # playwright's TimeoutError
        context.close()
        return [f"search for {SEARCH_WORD!r} found nothing"], []
    hits = page.evaluate("() => [...document.querySelectorAll('#search-results li a')]"
                         ".map(a => a.getAttribute('href'))")
    context.close()
    problems = [] if any("notebooks/01_" in h for h in hits) else [
        f"search for {SEARCH_WORD!r} does not list notebook 01 (found {hits})"]
    return problems, hits


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--screenshots", default="/tmp/site", type=Path)
    args = parser.parse_args(argv)
    args.screenshots.mkdir(parents=True, exist_ok=True)
    if args.site is None:
        out = Path(tempfile.mkdtemp(prefix="site_check_"))
        print(f"built the site in {build(out):.1f} s ({out / 'html'})", flush=True)
        site = out / "html"
    else:
        site = args.site.resolve()
    pages = sorted(p for p in site.rglob("*.html") if not {"_static", "_sources", "_downloads"}
                   & set(p.relative_to(site).parts))
    lessons = [p for p in pages if p.parent.name == "notebooks"]
    if not lessons:
        print(f"no lesson pages in {site}")
        return 1

    from playwright.sync_api import sync_playwright

    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    failed = False
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                for path in pages:
                    try:
                        problems, blocked, links, images = check_page(browser, site, base, path, args.screenshots)
                    except Exception as error:  # playwright's TimeoutError, a crashed page
                        problems, blocked, links, images = [f"could not check the page: {error}"], [], 0, 0
                    failed |= bool(problems)
                    hosts = sorted({urllib.parse.urlsplit(u).netloc for u in blocked})
                    print(f"{'FAIL' if problems else 'ok  '}  {path.relative_to(site)}: {links} internal links, "
                          f"{images} images; {len(blocked)} outside requests blocked {hosts or ''}", flush=True)
                    for problem in problems:
                        print(f"      {problem}", flush=True)
                problems, hits = check_search(browser, base)
                failed |= bool(problems)
                print(f"{'FAIL' if problems else 'ok  '}  search {SEARCH_WORD!r}: {len(hits)} pages", flush=True)
                for problem in problems:
                    print(f"      {problem}", flush=True)
            finally:
                browser.close()
    finally:
        server.shutdown()
    print(f"{len(pages)} pages checked ({len(lessons)} lessons); screenshots in {args.screenshots}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
