"""``plandocs``: the command line, a thin adapter over the same core as the MkDocs plugin.

    plandocs check  [-f mkdocs.yml] [--format text|json]   findings, exit 1 if any
    plandocs export [-f mkdocs.yml] [-o FILE]              planning.json without a build
    plandocs fix-encoding [--write] PATH...|-              repair mojibake in the sources

It reads the plugin's options from mkdocs.yml without importing MkDocs, so a check in CI or
a pre-commit hook costs a fraction of a build.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import mergedeep
import yaml
from yaml_env_tag import construct_env_tag

from . import __version__
from .diagnostics import Level
from .encoding import Repair
from .project import Project, discover, exclusions, load, repair_source
from .settings import (
    PARSE_WORKERS,
    WORKERS_REFUSED,
    Settings,
    SettingsError,
    settings_from_options,
)
from .textio import NotTextError, decode, encode, replace_file
from .views.export import planning_json
from .views.pages import generated_uris
from .views.urls import SiteUrls

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BROKEN_PIPE = 0, 1, 2, 141


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does where it matters here: ``!ENV`` is resolved; other
    tags (``!!python/name:`` for Material's emoji, ``!relative``) have no bearing on planning
    data and read as None."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_ConfigLoader.add_constructor("!ENV", construct_env_tag)
_ConfigLoader.add_multi_constructor("!", _ignore_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


class UsageError(Exception):
    """A problem with the command or mkdocs.yml; printed as one line, exit 2."""


def read_mkdocs_config(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """mkdocs.yml as a mapping, with ``INHERIT`` merged the way MkDocs merges it."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = yaml.load(text, Loader=_ConfigLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise UsageError(f"{where}: mkdocs.yml is not valid YAML") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise UsageError(f"{path}: mkdocs.yml is not a mapping")
    if "INHERIT" in data:
        parent = (path.parent / str(data.pop("INHERIT"))).resolve()
        if parent in _seen:
            raise UsageError(f"{path}: INHERIT goes round in a circle through {parent}")
        merged: dict[str, Any] = mergedeep.merge(
            read_mkdocs_config(parent, (*_seen, path.resolve())), data
        )
        return merged
    return data


# Options only the site build uses; the core checks the rest (settings_from_options).
_SITE_OPTIONS: dict[str, tuple[type, ...]] = {
    "templates_dir": (str,),
    "export": (str,),
    "gfm_lists": (bool,),
    "nav": (bool,),
    "page_cache": (bool,),
    "nav_cache": (bool,),
    "markdown_reuse": (bool,),
    "missing_dot": (str,),
    "workers": (int,),
    "parse_workers": (int,),
}
_SITE_CHOICES = {"missing_dot": ("error", "source")}


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """The plandocs options, from a ``plugins:`` list or mapping (MkDocs accepts both),
    refused on the same grounds as the build refuses them."""
    plugins = config.get("plugins") or []
    found: object = {}
    if isinstance(plugins, dict):
        found = plugins.get("plandocs") or {}
    elif isinstance(plugins, list):
        found = next(
            (
                item["plandocs"] or {}
                for item in plugins
                if isinstance(item, dict) and "plandocs" in item
            ),
            {},
        )
    else:
        raise UsageError("'plugins' must be a list or a mapping")
    if not isinstance(found, dict):
        raise UsageError("the options of plugin 'plandocs' must be a mapping of 'key: value'")
    known = {f.name for f in fields(Settings)} | set(_SITE_OPTIONS)
    for key, value in found.items():
        if key not in known:
            raise UsageError(f"plugin 'plandocs' has no option '{key}'")
        kinds = _SITE_OPTIONS.get(key)
        if kinds and value is not None and not isinstance(value, kinds):
            raise UsageError(f"'{key}' must be {kinds[0].__name__}, not {type(value).__name__}")
        choices = _SITE_CHOICES.get(key)
        if choices and value not in choices:
            raise UsageError(f"'{key}' must be one of {', '.join(choices)}, not {value!r}")
        if key in ("workers", "parse_workers") and isinstance(value, int) and value < 0:
            raise UsageError(WORKERS_REFUSED.format(key, value))
    return dict(found)


def excluded_docs(config: dict[str, Any]) -> Callable[[str], bool]:
    """What ``mkdocs build`` leaves out: its defaults, ``exclude_docs`` and ``draft_docs``."""
    lines: list[str] = []
    for key in ("exclude_docs", "draft_docs"):
        lines.extend(str(config.get(key) or "").splitlines())
    return exclusions(lines)


def load_project(config_file: Path) -> tuple[Project, SiteUrls]:
    config = read_mkdocs_config(config_file)
    options = plugin_options(config)
    root = config_file.resolve().parent
    docs_dir = str(config.get("docs_dir") or "docs")
    try:
        settings = settings_from_options(options)
        entries = discover(
            root,
            docs_dir,
            settings,
            excluded_docs(config),
            orders_required="orders_dir" in options,
        )
    except SettingsError as exc:
        raise UsageError(f"{config_file}: {exc}") from None
    project = load(entries, settings, helpers=int(options.get("parse_workers", PARSE_WORKERS)))
    urls = SiteUrls(bool(config.get("use_directory_urls", True)), settings.output_dir)
    project.reserve(generated_uris(project.graph, urls))
    return project, urls


def _check(args: argparse.Namespace) -> int:
    project, _ = load_project(Path(args.config_file))
    findings = project.diagnostics
    if args.format == "json":
        print(json.dumps([d.as_json() for d in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            if finding.level is Level.INFO and not args.verbose:
                continue
            print(finding.format(with_level=True))
        counts = Counter(d.level for d in findings)
        print(
            f"plandocs: {len(project.graph.orders)} orders, {len(project.graph.adrs)} ADRs, "
            f"{len(project.graph.phases)} phases in {len(project.docs)} files; "
            f"{counts[Level.ERROR]} errors, {counts[Level.WARNING]} warnings",
            file=sys.stderr,
        )
    return EXIT_FINDINGS if project.has_problems else EXIT_OK


def _export(args: argparse.Namespace) -> int:
    project, urls = load_project(Path(args.config_file))
    text = planning_json(project.graph, project.diagnostics, urls)
    if args.output == "-":
        sys.stdout.write(text)
        return EXIT_OK
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
    return EXIT_OK


def _markdown_files(paths: Sequence[str]) -> list[Path]:
    """The files named, and the Markdown files under the folders named (dot folders left out)."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() == ".md"
                    and p.is_file()
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.exists():
            found.append(path)
        else:
            raise UsageError(f"{name}: no such file or folder")
    # Each file once, also when it is named and inside a folder named ("docs docs/a.md").
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _fix_one(path: Path, *, write: bool) -> list[Repair]:
    """The repairs ``path`` needs, written to it when ``write``. Raises ``OSError`` or
    ``NotTextError`` with a one-line message; the file is then left as it was."""
    decoded = decode(path.read_bytes(), keep_line_endings=True)
    repaired, repairs = repair_source(decoded.text)
    if repairs and write:
        replace_file(path, encode(decoded, repaired))
    return repairs


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _fix_stream() -> int:
    try:
        decoded = decode(sys.stdin.buffer.read(), keep_line_endings=True)
    except NotTextError as exc:
        raise UsageError(f"stdin: {exc}") from None
    sys.stdout.buffer.write(encode(decoded, repair_source(decoded.text)[0]))
    sys.stdout.buffer.flush()
    return EXIT_OK


def _fix_encoding(args: argparse.Namespace) -> int:
    if args.paths == ["-"]:
        return _fix_stream()
    if "-" in args.paths:
        raise UsageError("'-' (stdin) cannot be mixed with file names")
    failed, files, lines = 0, 0, 0
    for path in _markdown_files(args.paths):
        try:
            repairs = _fix_one(path, write=args.write)
        except NotTextError as exc:
            where = f"{path}:{exc.line}" if exc.line else str(path)
            print(f"{where}: error: {exc}; the file was left as it was", file=sys.stderr)
            failed += 1
            continue
        except OSError as exc:
            message = str(exc) if isinstance(exc, PermissionError) else exc.strerror
            print(f"{path}: error: {message}", file=sys.stderr)
            failed += 1
            continue
        if repairs:
            files, lines = files + 1, lines + len(repairs)
        if repairs and args.write:
            codecs = sorted({label for fix in repairs for label in fix.codecs})
            print(f"{path}: repaired {_count(len(repairs), 'line')} ({', '.join(codecs)})")
            continue
        for fix in repairs:
            print(f"{path}:{fix.line}: {'+'.join(fix.codecs)}: {fix.before}  →  {fix.after}")
    done = "repaired" if args.write else "to repair"
    hint = "; run again with --write to repair them" if files and not args.write else ""
    print(
        f"plandocs: {_count(lines, 'line')} {done} in {_count(files, 'file')}{hint}",
        file=sys.stderr,
    )
    if failed:
        return EXIT_USAGE
    return EXIT_FINDINGS if files and not args.write else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plandocs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"plandocs {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser(
        "check", help="report broken planning data without building the site"
    )
    check.add_argument("-f", "--config-file", default="mkdocs.yml", help="path to mkdocs.yml")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("-v", "--verbose", action="store_true", help="also print notes (level info)")
    check.set_defaults(run=_check)

    export = commands.add_parser("export", help="write planning.json without building the site")
    export.add_argument("-f", "--config-file", default="mkdocs.yml", help="path to mkdocs.yml")
    export.add_argument("-o", "--output", default="-", help="file to write, - for stdout")
    export.set_defaults(run=_export)

    fix = commands.add_parser(
        "fix-encoding",
        help="report (exit 1) or repair mojibake in Markdown files",
        description="Report the lines that hold mojibake (exit 1 if any), or repair them in "
        "place with --write: atomically, keeping the BOM, line endings and permissions, "
        "changing only the broken lines. '-' repairs stdin to stdout.",
    )
    fix.add_argument("paths", nargs="+", metavar="PATH", help="files or folders, or - for stdin")
    fix.add_argument("--write", action="store_true", help="rewrite the files in place")
    fix.set_defaults(run=_fix_encoding)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if isinstance(sys.stdout, io.TextIOWrapper):
        # Reports quote the text they found; a terminal or file that is not UTF-8 gets
        # escapes for what it cannot show, not a traceback.
        sys.stdout.reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except UsageError as exc:
        print(f"plandocs: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, with the status of a process that
        # SIGPIPE ended, as other command-line tools do.
        sys.stderr.close()
        return EXIT_BROKEN_PIPE
    return code


if __name__ == "__main__":
    sys.exit(main())
