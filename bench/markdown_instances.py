"""What a new Python-Markdown instance a page costs, against one instance reset a page
(plandocs' ``markdown_reuse``): the extensions and settings of a site's ``mkdocs.yml``,
with what plandocs' ``on_config`` adds to them.

    .venv/bin/python bench/markdown_instances.py [--config .cache/bench/1000/mkdocs.yml]
                                                 [--pages 902] [--runs 5]

It converts nothing: it times making ``--pages`` instances, and ``--pages`` calls of
``reset()`` on one, and prints the median of ``--runs`` of each and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import markdown
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def extensions(config_file: Path) -> tuple[list[object], dict[str, dict[str, object]]]:
    """The site's Markdown extensions and their settings, after every plugin's
    ``on_config`` (plandocs adds ``attr_list`` and its list extension)."""
    config = load_config(config_file=str(config_file))
    config = config.plugins.on_config(config)
    return list(config.markdown_extensions), dict(config.mdx_configs)


def seconds(job: Callable[[], object], times: int, runs: int) -> float:
    """Median over ``runs`` of the time ``times`` calls of ``job`` take."""
    took = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(times):
            job()
        took.append(time.perf_counter() - start)
    return statistics.median(took)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--config", type=Path, default=ROOT / ".cache" / "bench" / "1000" / "mkdocs.yml"
    )
    parser.add_argument("--pages", type=int, default=902, help="the bench site's 1,000 orders")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    if not args.config.exists():
        parser.error(f"{args.config} is missing: bench/build_speed.py --sizes 1000 writes it")
    names, configs = extensions(args.config)
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    new = seconds(
        lambda: markdown.Markdown(extensions=names, extension_configs=configs),
        args.pages,
        args.runs,
    )
    reset = seconds(md.reset, args.pages, args.runs)
    print(f"{len(names)} extensions, {args.pages} pages, median of {args.runs} runs")
    print(f"  a new instance a page   {new:7.3f} s")
    print(f"  one instance, reset     {reset:7.3f} s")
    print(f"  saved                   {new - reset:7.3f} s ({new / max(reset, 1e-9):.0f}x)")


if __name__ == "__main__":
    main()
