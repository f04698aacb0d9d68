"""Where a cold build's time goes, step by step: plandocs against the plain Material build of
the same pages, so that what plandocs adds to each step shows.

    .venv/bin/python bench/build_phases.py [--size 1000] [--runs 3] [--warm]

It uses the repository ``bench/build_speed.py`` writes into ``.cache/bench/N/`` (and writes
it first when it is missing). Each run builds, in processes of their own, the plain build
(``mkdocs-plain.yml``) and a cold plandocs build (``mkdocs.yml``, ``.cache/plandocs``
deleted; with ``--warm``, kept from a first build that is not timed), alternately, with
wall-clock timers around:

- every plugin's every event (``on_files``, ``on_page_markdown``, ``on_post_page``, ...),
  by plugin;
- MkDocs' two page loops: ``_populate_page`` (read and convert each page; plandocs' page
  cache inside it) and ``_build_page`` (render each page's template, search, write it);
- inside them, ``Page.render`` (Python-Markdown), Jinja's rendering of the theme's
  ``main.html`` and ``write_file``; inside ``main.html``, Material's sidebar
  (``partials/nav.html``) and header; inside plandocs' ``on_files``, ``project.load``
  (read, parse and seal every file) and ``Drawing.make`` (the diagrams to draw).

It prints the median of each step and the difference, plandocs minus plain. The timers
themselves cost a little; the totals are not the bench's figures (``build_speed.py``), and
the step times sum to more than the total where one step holds another. The script only
prints; it writes no results file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import jinja2
from mkdocs import plugins, utils
from mkdocs.commands import build
from mkdocs.config import load_config
from mkdocs.structure.pages import Page

from plandocs.mkdocs import collect, drawing

ROOT = Path(__file__).resolve().parent.parent
#: Material's partials timed inside main.html, by the label the step is printed with
PARTIALS = {"partials/nav.html": "sidebar", "partials/header.html": "header"}
BENCH = ROOT / ".cache" / "bench"


def measure(config: str) -> dict[str, float]:
    """One build of ``config`` in this process, timed by step (seconds)."""
    steps: defaultdict[str, float] = defaultdict(float)

    def timed(owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                steps[label] += time.perf_counter() - start

        setattr(owner, name, wrapper)

    def run_event(self: plugins.PluginCollection, name: str, item: object = None, **kw: object):  # type: ignore[no-untyped-def]
        pass_item = item is not None  # decided once an event, as MkDocs does
        for method in self.events[name]:
            self._current_plugin = self._event_origins.get(method, "<unknown>")
            start = time.perf_counter()
            result = method(item, **kw) if pass_item else method(**kw)
            steps[f"on_{name} ({self._current_plugin})"] += time.perf_counter() - start
            if result is not None:
                item = result
        self._current_plugin = None
        return item

    plugins.PluginCollection.run_event = run_event  # type: ignore[method-assign]
    timed(build, "_populate_page", "pages: read and convert (_populate_page)")
    timed(build, "_build_page", "pages: template, search, write (_build_page)")
    timed(Page, "render", "  Python-Markdown (Page.render)")
    timed(utils, "write_file", "  write_file")  # build.py calls utils.write_file
    # inside plandocs' on_files: read, parse and seal every file
    timed(collect, "load", "  plandocs: read, parse, seal (project.load)")
    # inside on_files too: the diagrams' keys, and the writers' dot blocks drawn at once
    timed(drawing.Drawing, "make", "  plandocs: diagrams (Drawing.make)")
    render = jinja2.Template.render

    def template(self: jinja2.Template, *args: object, **kwargs: object) -> str:
        start = time.perf_counter()
        try:
            return render(self, *args, **kwargs)
        finally:
            if self.name == "main.html":
                steps["  theme template (main.html)"] += time.perf_counter() - start

    jinja2.Template.render = template  # type: ignore[method-assign]
    load = jinja2.Environment._load_template

    def load_template(self: jinja2.Environment, name: str, globals: Any) -> jinja2.Template:
        # the theme's sidebar and header, as main.html includes them: their own renderings
        # (a sidebar plandocs' nav cache gives a page is not rendered, and costs nothing)
        found = load(self, name, globals)
        if name in PARTIALS and not getattr(found, "_timed", False):
            render = found.root_render_func

            def root(context: Any) -> Any:
                start = time.perf_counter()
                text = "".join(render(context))
                steps[f"  theme: {PARTIALS[name]} ({name})"] += time.perf_counter() - start
                yield text

            found.root_render_func = root  # type: ignore[method-assign]
            found._timed = True  # type: ignore[attr-defined]
        return found

    jinja2.Environment._load_template = load_template  # type: ignore[method-assign]
    start = time.perf_counter()
    build.build(load_config(config))
    steps["total"] = time.perf_counter() - start
    return dict(steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--warm",
        action="store_true",
        help="time warm plandocs builds (cache kept from a first, untimed build) instead of cold",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # in a child: build this config
    args = parser.parse_args()
    if args.one:
        json.dump(measure(args.one), sys.stdout)
        return
    repo = BENCH / str(args.size)
    if not (repo / "mkdocs.yml").is_file():
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "synthetic.py"), str(repo), str(args.size)],
            check=True,
        )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    found: dict[str, list[dict[str, float]]] = {"plain": [], "plandocs": []}

    def one(config: str) -> dict[str, float]:
        child = subprocess.run(
            [sys.executable, __file__, "--one", config],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(child.stdout)  # type: ignore[no-any-return]

    shutil.rmtree(repo / ".cache" / "plandocs", ignore_errors=True)
    if args.warm:
        one("mkdocs.yml")  # fills the cache the timed builds keep
    for _ in range(args.runs):
        for name, config in (("plain", "mkdocs-plain.yml"), ("plandocs", "mkdocs.yml")):
            if not args.warm:
                shutil.rmtree(repo / ".cache" / "plandocs", ignore_errors=True)
            found[name].append(one(config))
    steps = sorted({step for runs in found.values() for run in runs for step in run})
    steps.sort(key=lambda step: step != "total")

    def median(name: str, step: str) -> float:
        return statistics.median(run.get(step, 0.0) for run in found[name])

    kind = "warm" if args.warm else "cold"
    print(f"N={args.size}, plandocs {kind}, median of {args.runs} runs, seconds")
    print(f"{'step':58} {'plain':>7} {'plandocs':>9} {'added':>7}")
    for step in steps:
        plain, plandocs = median("plain", step), median("plandocs", step)
        if max(plain, plandocs) >= 0.05:
            print(f"{step:58} {plain:7.2f} {plandocs:9.2f} {plandocs - plain:+7.2f}")


if __name__ == "__main__":
    main()
