"""Manual browser check of the explorers: JupyterLab 4 in headless Chromium, Run All, move each slider.

Not part of the test suite (CI has no Chromium). It checks the first acceptance
point of the explorers: opened in JupyterLab in a real browser, after Run All
each explorer renders its controls, and moving a control with the keyboard
changes the figure within one second.

For each notebook it starts from a fresh kernel, runs Run > Run All Cells from
the menu bar, waits until every code cell has run, then for every slider of
every explorer focuses the slider, presses the arrow key once and measures, in
the page's own clock, the time from the key press until the explorer's figure
is a new, decoded image. Screenshots go to ``--screenshots`` (default
``/tmp/browser``): the whole notebook before and after Run All, each explorer
cell's saved output before Run All (what a reader without a kernel sees), and
each explorer before and after its slider moved.

Needs Chromium (Debian: ``apt-get install chromium``) and the ``playwright``
Python package; no ``playwright install`` is needed, the system Chromium is used::

    .venv/bin/pip install playwright
    .venv/bin/python tools/browser_check.py                 # notebooks 01-03
    .venv/bin/python tools/browser_check.py 02_vae_kmeans.ipynb

The notebooks are copied to a temporary folder first, so nothing in the
repository is changed (autosave is off as well). Prints one line per slider,
followed by an indented line of details (cell, value before and after, status line)::

    notebook  explorer  control  rendered  update seconds

and exits with status 1 if any explorer did not render or took 1 s or more.
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ("01_autoencoder_dbscan.ipynb", "02_vae_kmeans.ipynb", "03_deep_autoencoder_optics.ipynb")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LIMIT_SECONDS = 1.0

# JupyterLab user settings for the check: no autosave (nothing written back), no news or update
# pop-ups over the notebook.
SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}

# Marks the output of every explorer cell (a code cell calling ``explorers.*_explorer(``) with
# data-explorer-cell="<n>" and, once the widget is rendered, its top widget box with
# data-explorer="<n>"; returns what each shows: sliders, images, status line.
FIND_EXPLORERS = """
() => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  const found = [];
  notebook.widgets.forEach((cell, index) => {
    const source = cell.model.sharedModel.getSource();
    if (cell.model.type !== 'code' || !/explorers\\.\\w+_explorer\\(/.test(source)) return;
    const n = found.length;
    cell.node.setAttribute('data-explorer-cell', String(n));
    const box = [...cell.node.querySelectorAll('.widget-vbox')].find(b => !b.parentElement.closest('.widget-vbox'));
    if (box) box.setAttribute('data-explorer', String(n));
    const text = sel => [...(box || cell.node).querySelectorAll(sel)].map(e => e.textContent.trim());
    found.push({
      cell: index,
      source: source.trim().split('\\n').pop(),
      widget: Boolean(box),
      sliders: box ? [...box.querySelectorAll('.widget-slider')].map(s =>
          ((s.querySelector('.widget-label') || {}).textContent || '?').trim()) : [],
      handles: box ? box.querySelectorAll('[role=slider]').length : 0,
      images: box ? box.querySelectorAll('.widget-output img').length : 0,
      imagesInCell: cell.node.querySelectorAll('.jp-OutputArea img').length,
      outputText: [...cell.node.querySelectorAll('.jp-OutputArea-output')].map(e => e.textContent.trim()).join(' | ').slice(0, 200),
      status: text('.widget-html-content').join(' '),
    });
  });
  return found;
}
"""

# Arms a probe on explorer `index`: the page time of the next key press (t0), of the first
# change of the figure's <img> src (t1) and of that new image being decoded (t2).
ARM_PROBE = """
([index]) => {
  const box = document.querySelector(`[data-explorer="${index}"]`);
  const output = box.querySelector('.widget-output');
  const before = (output.querySelector('img') || {}).src || '';
  const probe = window.__probe = {t0: null, t1: null, t2: null, before: before.length};
  document.addEventListener('keydown', () => { if (probe.t0 === null) probe.t0 = performance.now(); },
                            {capture: true, once: true});
  const observer = new MutationObserver(() => {
    const img = output.querySelector('img');
    if (probe.t1 !== null || !img || !img.src || img.src === before) return;
    probe.t1 = performance.now();
    observer.disconnect();
    img.decode().catch(() => null).then(() => { probe.t2 = performance.now(); });
  });
  observer.observe(output, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
}
"""

# Notebook model state through the exposed application (read only): kernel status and, per code
# cell, its execution count and whether it holds an error output.
NOTEBOOK_STATE = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext) return null;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = [];
  const model = panel.content.model;
  for (let i = 0; i < model.cells.length; i++) {
    const cell = model.cells.get(i);
    if (cell.type !== 'code') continue;
    let error = null;
    for (let j = 0; j < cell.outputs.length; j++) {
      const out = cell.outputs.get(j).toJSON();
      if (out.output_type === 'error') error = out.ename + ': ' + out.evalue;
    }
    cells.push({count: cell.executionCount, error});
  }
  return {status: kernel ? kernel.status : 'none', cells};
}
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_lab(folder, port, token, settings_dir, log):
    """JupyterLab on 127.0.0.1:port serving ``folder``; returns the process once it answers."""
    command = [
        str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}", f"--ServerApp.root_dir={folder}",
        f"--LabApp.user_settings_dir={settings_dir}", f"--LabApp.workspaces_dir={settings_dir}",
        "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
    ]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    deadline = time.time() + 120
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {process.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError(f"jupyter lab did not answer within 120 s; see {log.name}")


def wait_for(page, predicate, timeout, what, interval=0.5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        page.wait_for_timeout(interval * 1000)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


def run_all(page, timeout):
    """Run > Run All Cells from the menu bar; wait until every code cell ran once, in order."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    started = time.time()

    def done():
        state = page.evaluate(NOTEBOOK_STATE)
        if not state:
            return None
        errors = [c["error"] for c in state["cells"] if c["error"]]
        if errors:
            raise RuntimeError(f"a cell raised: {errors[0]}")
        counts = [c["count"] for c in state["cells"]]
        # A fresh kernel numbers the cells 1..n in order; the saved counts are replaced as cells run.
        return state["status"] == "idle" and counts == list(range(1, len(counts) + 1))

    wait_for(page, done, timeout, "Run All to finish")
    return time.time() - started


def check_notebook(context, base, token, name, shots, timeout):
    page = context.new_page()
    stem = Path(name).stem[:2]
    page.goto(f"{base}/lab/tree/{name}?token={token}&reset", wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.sessionContext", timeout=120_000)
    wait_for(page, lambda: (page.evaluate(NOTEBOOK_STATE) or {}).get("status") == "idle", 120, "the kernel")
    page.screenshot(path=str(shots / f"{stem}_0_opened.png"))
    # The saved outputs, before the kernel has run anything: what a reader without a kernel sees.
    for n, saved in enumerate(page.evaluate(FIND_EXPLORERS)):
        cell = page.locator(f'[data-explorer-cell="{n}"]')
        cell.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        cell.screenshot(path=str(shots / f"{stem}_explorer{n}_saved_output.png"))
        print(f"    before Run All, explorer {n} (cell {saved['cell']}): widget rendered={saved['widget']}, "
              f"images={saved['imagesInCell']}, output text: {saved['outputText']!r}", flush=True)
    seconds = run_all(page, timeout)
    page.wait_for_timeout(1000)  # let the last widget views attach
    page.screenshot(path=str(shots / f"{stem}_1_after_run_all.png"))

    rows = []
    explorers = page.evaluate(FIND_EXPLORERS)
    if not explorers:
        rows.append((name, "-", "-", False, float("nan"), "no explorer found after Run All"))
    for index, found in enumerate(explorers):
        box = page.locator(f'[data-explorer="{index}"]')
        box.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        rendered = (found["widget"] and found["handles"] >= len(found["sliders"]) >= 1 and found["images"] == 1
                    and "Error" not in found["outputText"])
        note = f"cell {found['cell']}: {found['source']}; images in the cell's output: {found['imagesInCell']}"
        box.screenshot(path=str(shots / f"{stem}_explorer{index}_0_start.png"))
        handles = box.locator("[role=slider]")
        for control in range(handles.count()):
            label = found["sliders"][control] if control < len(found["sliders"]) else f"slider {control}"
            handle = handles.nth(control)
            readout = box.locator(".widget-readout").nth(control)
            value_before = readout.text_content().strip()
            page.evaluate(ARM_PROBE, [index])
            handle.focus()
            page.keyboard.press("ArrowRight")
            try:
                wait_for(page, lambda: page.evaluate("() => window.__probe.t2 !== null"), 15, "the figure", 0.05)
                probe = page.evaluate("() => window.__probe")
                update = (probe["t2"] - probe["t0"]) / 1000
                src_changed = f"new image after {(probe['t1'] - probe['t0']) / 1000:.3f} s, decoded after {update:.3f} s"
            except TimeoutError:
                update, src_changed = float("nan"), "the image did not change within 15 s"
            page.wait_for_timeout(300)
            value_after = readout.text_content().strip()
            status = page.evaluate(
                "([i]) => (document.querySelector(`[data-explorer=\"${i}\"] .widget-html-content`)"
                " || {}).textContent || ''", [index]).strip()
            box.screenshot(path=str(shots / f"{stem}_explorer{index}_{control + 1}_{label.split()[0]}_moved.png"))
            rows.append((name, f"explorer {index}", label, rendered, update,
                         f"{note}; value {value_before} -> {value_after}; {src_changed}; status: {status}"))
    # Shut this notebook's kernel down before the next one starts (memory on a small machine).
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    page.close()
    return seconds, rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", default=list(NOTEBOOKS))
    parser.add_argument("--screenshots", default="/tmp/browser", type=Path)
    parser.add_argument("--timeout", default=600, type=float, help="seconds allowed for Run All, per notebook")
    args = parser.parse_args(argv)
    args.screenshots.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="browser_check_"))
    folder, settings = work / "notebooks", work / "settings"
    shutil.copytree(ROOT / "notebooks", folder)
    for relative, values in SETTINGS.items():
        path = settings / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    with open(work / "jupyter.log", "w") as log:
        lab = start_lab(folder, port, token, settings, log)
        try:
            failed, rows = check_all(args, port, token)
        finally:
            lab.terminate()
            try:
                lab.wait(timeout=30)
            except subprocess.TimeoutExpired:
                lab.kill()
    print(f"screenshots in {args.screenshots}; work folder {work} (jupyter log: {log.name})")
    return 1 if failed or not rows else 0


def check_all(args, port, token):
    """Every notebook in one headless Chromium; prints a line per slider, returns (failed, rows)."""
    from playwright.sync_api import sync_playwright

    rows, failed = [], False
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))  # a fresh user data dir
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1600, "height": 1100})
        try:
            for name in args.notebooks:
                seconds, found = check_notebook(context, f"http://127.0.0.1:{port}", token, name,
                                                args.screenshots, args.timeout)
                print(f"# {name}: Run All took {seconds:.0f} s in the browser", flush=True)
                for notebook, explorer, control, rendered, update, note in found:
                    slow = not update < LIMIT_SECONDS  # NaN (no change seen) counts as slow
                    failed |= slow or not rendered
                    print(f"{notebook}  {explorer}  {control!r}  rendered={'yes' if rendered else 'no'}"
                          f"  update={update:.3f} s{'  (TOO SLOW)' if slow else ''}", flush=True)
                    print(f"    {note}", flush=True)
                rows.extend(found)
        finally:
            context.close()
    shutil.rmtree(profile, ignore_errors=True)
    return failed, rows


if __name__ == "__main__":
    sys.exit(main())
