"""``plandocs``: the command line (check, schema, export, fix-encoding, new, options), a thin
adapter over the same core as the MkDocs plugin. It reads the plugin's options from mkdocs.yml
without importing MkDocs, so a check in CI or a pre-commit hook costs a fraction of a build."""

from __future__ import annotations

import argparse
import errno
import io
import json
import os
import signal
import sys
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from plandocs import __version__
from plandocs.cli import new as cli_new
from plandocs.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    Command,
    Site,
    UsageError,
    add_commands,
    arg,
    load_project,
    refused,
)
from plandocs.cli.formats import FORMATS
from plandocs.core.diagnostics import Level
from plandocs.core.schedule import build_day, schedule
from plandocs.core.schema import frontmatter_schema
from plandocs.core.settings import OPTIONS, options_markdown, path_in_site
from plandocs.project import textio
from plandocs.project.history import GitHistory, done_dates, project_history
from plandocs.project.load import Project, orders_folder, repair_source
from plandocs.render.export import planning_json
from plandocs.render.jinja import count_of


def _check(args: argparse.Namespace) -> int:
    project, _ = load_project(Path(args.config_file))
    findings = project.diagnostics
    if args.format in FORMATS:
        sys.stdout.write(FORMATS[args.format](findings, _repo_prefix(Path(args.config_file))))
    else:
        for finding in findings:
            if finding.level is not Level.INFO or args.verbose:
                print(finding.format(with_level=True))
        counts = Counter(d.level for d in findings)
        print(
            f"plandocs: {_contents(project)} in {count_of(len(project.docs), 'file')}; "
            f"{count_of(counts[Level.ERROR], 'error')}, "
            f"{count_of(counts[Level.WARNING], 'warning')}",
            file=sys.stderr,
        )
    return EXIT_FINDINGS if project.has_problems else EXIT_OK


def _contents(project: Project) -> str:
    """What a project holds, counted: "3 orders, 1 ADR, 2 phases"."""
    graph = project.graph
    return (
        f"{count_of(len(graph.orders), 'order')}, {count_of(len(graph.adrs), 'ADR')}, "
        f"{count_of(len(graph.phases), 'phase')}"
    )


def _repo_prefix(config_file: Path) -> str:
    """The folder of mkdocs.yml from the working folder (the checkout's root in CI), where
    annotations are placed; "" when it is the working folder or outside it."""
    folder, here = config_file.resolve().parent, Path.cwd().resolve()
    inside = folder.relative_to(here) if folder.is_relative_to(here) else Path()
    return "" if inside == Path() else inside.as_posix()


def _schema(args: argparse.Namespace) -> int:
    settings = Site.read(Path(args.config_file)).settings
    text = json.dumps(frontmatter_schema(settings, args.kind), ensure_ascii=False, indent=2)
    if args.output == "-":
        print(text)
        return EXIT_OK
    try:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    site = Site.read(Path(args.config_file))
    project, urls = site.load()
    # git's history as the build reads it: done orders end on the day git saw them done, and
    # each order's changes, so that this planning.json is the build's (``schedule``)
    history = _history(site, project)
    finished = done_dates(history) if history is not None else {}
    plan = schedule(project.graph, project.settings, today=build_day(), done_dates=finished)
    changes = history.orders if history is not None else None
    text = planning_json(project.graph, project.diagnostics, urls, history=changes, plan=plan)
    if args.output == "-":
        sys.stdout.write(text)
        return EXIT_OK
    target = Path(args.output) if args.output else _export_target(site)
    try:
        if not args.output:  # the site folder, made as the build makes it; -o names a file
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror}") from None
    # 300 lines of JSON in a terminal said nothing; one line says where they went
    print(f"plandocs: wrote {_relative(target)} ({_contents(project)})", file=sys.stderr)
    return EXIT_OK


def _history(site: Site, project: Project) -> GitHistory | None:
    """The planning files' history as the build reads it (the plugin's ``history`` option);
    no cache file is written, as export builds nothing."""
    if not site.options.get("history", True):
        return None
    with refused(site.file):
        orders = orders_folder(site.root, project.settings, required=site.orders_required)
    docs_dir = site.root / site.docs_dir
    return project_history(site.root, docs_dir, orders, project, config_name=site.file.name)


def _export_target(site: Site) -> Path:
    """Where the build keeps planning.json: the plugin's ``export`` file (planning.json
    when the build writes none) in ``site_dir``, which is relative to mkdocs.yml."""
    name = site.options.get("export") or "planning.json"
    with refused(site.file):
        inside = path_in_site("export", str(name), folder=False)
    return site.file.parent / str(site.config.get("site_dir") or "site") / inside


def _markdown_files(paths: Sequence[str]) -> tuple[list[Path], list[str]]:
    """The files named, and the Markdown files under the folders named (dot folders left
    out), each once; and one line for each symbolic link the folder walk did not follow."""
    found: dict[Path, Path] = {}  # also a file named and inside a folder named ("docs docs/a.md")
    skipped: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files, links = _walk(path)
            skipped.extend(links)
        elif path.exists():
            files = [path]  # named: followed wherever it points, as the user asked
        else:
            raise UsageError(f"{name}: no such file or folder")
        for file in files:
            found.setdefault(file.resolve(), file)
    return list(found.values()), skipped


def _walk(folder: Path) -> tuple[list[Path], list[str]]:
    """The Markdown files under ``folder``, sorted, and a line for each symbolic link not
    followed: one out of the folder (a folder walk must not write outside the folder it
    was given), a loop, one that points to nothing. Links inside it are followed, last."""
    root = folder.resolve()
    files: list[Path] = []
    linked: list[Path] = []  # reached through a link
    skipped: list[str] = []
    # (folder, its real path, the list its files go to); folders behind links wait in ``later``
    pending, later = [(folder, root, files)], list[tuple[Path, Path, list[Path]]]()
    walked: set[Path] = set()
    while pending or later:
        here, real, into = pending.pop() if pending else later.pop(0)
        if real in walked:
            continue  # a link to a folder walked already: its files are listed
        walked.add(real)
        try:
            entries = sorted(os.scandir(here), key=lambda entry: entry.name)
        except OSError as exc:
            skipped.append(f"{here}: skipped: the folder cannot be read ({exc.strerror})")
            continue
        for entry in (entry for entry in entries if not entry.name.startswith(".")):
            path = Path(entry.path)
            if entry.is_symlink():
                target = _follow(path, folder, root, real, skipped)
                if target is not None and target.is_dir():
                    later.append((path, target, linked))
                elif target is not None:
                    linked.append(path)
            elif entry.is_dir(follow_symlinks=False):
                pending.append((path, real / entry.name, into))
            elif _is_markdown(entry.name) and entry.is_file(follow_symlinks=False):
                into.append(path)
    # own names first: of a file reached both ways, _markdown_files keeps the first name
    return sorted(files) + sorted(linked), sorted(skipped)


def _is_markdown(name: str) -> bool:
    return name.lower().endswith(".md")


def _follow(link: Path, folder: Path, root: Path, here: Path, skipped: list[str]) -> Path | None:
    """Where ``link`` in ``here`` leads inside ``root``; or None, with a line in ``skipped``
    that says why, but for a link that cannot be Markdown (``logo.png``)."""
    why = None
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop, before Python 3.13
        code = getattr(exc, "errno", errno.ELOOP)
        if code not in (errno.ENOENT, errno.ELOOP):
            why = f"the symbolic link cannot be followed ({getattr(exc, 'strerror', '')})"
        elif _is_markdown(link.name) or not Path(link.name).suffix:
            loop = code == errno.ELOOP
            why = "a symbolic link loop" if loop else "a symbolic link to nothing"
    else:
        is_folder = target.is_dir()
        if not is_folder and not _is_markdown(link.name):
            return None
        if not target.is_relative_to(root):
            kind = "folder" if is_folder else "file"
            why = f"a symbolic link to a {kind} outside {folder}; name the file to repair it"
        elif is_folder and here.is_relative_to(target):
            why = "a symbolic link loop (to a folder it is in)"
        else:
            return target
    if why is not None:
        skipped.append(f"{link}: skipped: {why}")
    return None


def _fix_stream() -> int:
    try:
        decoded = textio.decode(sys.stdin.buffer.read(), keep_line_endings=True)
    except textio.NotTextError as exc:
        raise UsageError(f"stdin: {exc}") from None
    sys.stdout.buffer.write(textio.encode(decoded, repair_source(decoded.text)[0]))
    sys.stdout.buffer.flush()
    return EXIT_OK


def _stop(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(signum)


def _stopped_by(work: Callable[[], None]) -> int:
    """Runs ``work``: 0, or the signal that stopped it. SIGTERM and SIGHUP stop it as Ctrl-C
    does, where it is, so the temporary file of the file being replaced is removed on the
    way out. Handlers can only be set from the main thread; elsewhere the defaults stay."""
    main = threading.current_thread() is threading.main_thread()
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {signum: signal.signal(signum, _stop) for signum in wanted if main}
    try:
        work()
    except KeyboardInterrupt as exc:
        return int(exc.args[0]) if exc.args else signal.SIGINT
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


@dataclass
class _Tally:
    checked: int = 0
    failed: int = 0
    files: int = 0
    lines: int = 0
    current: Path | None = None  # the file being read or replaced


def _fix_files(paths: Sequence[Path], tally: _Tally, *, write: bool) -> None:
    """Reports or repairs each file; one that cannot be read or replaced is left as it was."""
    if write:
        for folder in dict.fromkeys(path.resolve().parent for path in paths):
            for leftover in textio.remove_leftovers(folder):
                print(
                    f"{_relative(leftover)}: removed, a temporary file an interrupted run left",
                    file=sys.stderr,
                )
    for path in paths:
        tally.checked += 1
        tally.current = path
        try:
            original = textio.read_snapshot(path)
            decoded = textio.decode(original.data, keep_line_endings=True)
            repaired, repairs = repair_source(decoded.text)
            if repairs and write:
                textio.replace_file(original, textio.encode(decoded, repaired))
        except textio.NotTextError as exc:
            where = f"{path}:{exc.line}" if exc.line else str(path)
            print(f"{where}: error: {exc}; the file was left as it was", file=sys.stderr)
            tally.failed += 1
            continue
        except OSError as exc:
            plain = isinstance(exc, (PermissionError, textio.NotReplacedError)) or not exc.strerror
            print(f"{path}: error: {exc if plain else exc.strerror}", file=sys.stderr)
            tally.failed += 1
            continue
        if repairs:
            tally.files, tally.lines = tally.files + 1, tally.lines + len(repairs)
        if repairs and write:
            codecs = sorted({label for fix in repairs for label in fix.codecs})
            print(f"{path}: repaired {count_of(len(repairs), 'line')} ({', '.join(codecs)})")
            continue
        for fix in repairs:
            print(f"{path}:{fix.line}: {'+'.join(fix.codecs)}: {fix.before}  →  {fix.after}")


def _relative(path: Path) -> Path:
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def _fix_encoding(args: argparse.Namespace) -> int:
    if args.paths == ["-"]:
        return _fix_stream()
    if "-" in args.paths:
        raise UsageError("'-' (stdin) cannot be mixed with file names")
    paths, skipped = _markdown_files(args.paths)
    for line in skipped:
        print(line, file=sys.stderr)
    tally = _Tally()
    stopped = _stopped_by(lambda: _fix_files(paths, tally, write=args.write))
    if stopped:
        if tally.current is not None and args.write:
            # a signal may have come in the middle of the clean-up of the file's copy
            textio.remove_leftovers(tally.current.resolve().parent, ours=True)
        print(
            f"plandocs: stopped by {signal.Signals(stopped).name}; every file is as it was "
            "or wholly repaired",
            file=sys.stderr,
        )
        return 128 + stopped
    counts = [f"{count_of(tally.checked, 'file')} checked"]
    if skipped:
        counts.append(f"{count_of(len(skipped), 'link')} skipped")
    if tally.failed:
        counts.append(f"{tally.failed} left as it was")
    hint = "; run again with --write to repair them" if tally.files and not args.write else ""
    # "0 lines to repair in 0 files" for a folder of ten read as if no file was looked at
    done = "repaired" if args.write else "to repair"
    found = f"{count_of(tally.lines, 'line')} {done} in {count_of(tally.files, 'file')}"
    print(
        f"plandocs: {found if tally.files else 'nothing to repair'}; {', '.join(counts)}{hint}",
        file=sys.stderr,
    )
    if tally.failed:
        return EXIT_USAGE
    # pre-commit's hook fails on a repair, so that the writer sees and stages the change
    return EXIT_FINDINGS if tally.files and (args.fail_on_change or not args.write) else EXIT_OK


def _options(args: argparse.Namespace) -> int:
    if args.markdown:
        sys.stdout.write(options_markdown())
        return EXIT_OK
    for option in OPTIONS:
        kind = f"{option.kind}: {', '.join(option.choices)}" if option.choices else option.kind
        print(f"{option.name} ({kind}, default {option.default!r})\n    {option.help}")
    return EXIT_OK


_CONFIG_HELP = "the project's mkdocs.yml (default: mkdocs.yml in the working folder)"
_CONFIG = arg("-f", "--config-file", default="mkdocs.yml", help=_CONFIG_HELP)
_COMMANDS: dict[str, Command] = {
    "check": (
        _check,
        "report broken planning data without building the site",
        "Report broken planning data without building the site. Formats: text (default; notes "
        "with -v), json, github (workflow commands: annotations on a pull request), gitlab (a "
        "Code Quality report), sarif (SARIF 2.1.0 for code scanning); the machine formats hold "
        "every finding, notes too; github, gitlab and sarif name files by their path from the "
        "working folder (the checkout's root in CI), json by their path in the project. Exit "
        "status: 0 no problems (notes only), 1 errors or warnings found, 2 a usage problem "
        "(bad option, unreadable or invalid mkdocs.yml).",
        [
            _CONFIG,
            arg(
                "--format",
                choices=("text", *FORMATS),
                default="text",
                help="how to write the findings",
            ),
            arg("-v", "--verbose", action="store_true", help="also print notes (level info)"),
        ],
    ),
    "schema": (
        _schema,
        "write JSON Schema of order and ADR frontmatter, for editors",
        "Write JSON Schema (draft 2020-12) of the frontmatter of orders and ADRs, made from the "
        "fields, aliases, vocabularies and ID patterns plandocs reads with this project's "
        "settings, for the YAML language server of an editor. Exit status: 0 written, 2 a "
        "usage problem.",
        [
            _CONFIG,
            arg(
                "-o",
                "--output",
                default="-",
                help="the file to write; - (the default) for the terminal",
            ),
            arg(
                "--kind",
                choices=("order", "adr", "both"),
                default="order",
                help="the frontmatter described (both: an order's or an ADR's)",
            ),
        ],
    ),
    "export": (
        _export,
        "write planning.json without building the site",
        "Write the planning data (orders, ADRs, phases and findings, as JSON) that the site "
        "build keeps as planning.json, without building the site: by default to the same file "
        "in the site folder (site_dir in mkdocs.yml, site/planning.json unless the plugin's "
        "export option names another). Exit status: 0 written, 2 a usage problem.",
        [
            _CONFIG,
            arg("-o", "--output", metavar="FILE", help="write to FILE instead; - for the terminal"),
        ],
    ),
    "fix-encoding": (
        _fix_encoding,
        "report (exit 1) or repair mojibake in Markdown files",
        "Report the lines that hold mojibake (exit 1 if any), or repair them in place with "
        "--write: atomically, keeping the BOM, line endings and permissions, changing only the "
        "broken lines; a file that changes meanwhile, has hard links or cannot be replaced "
        "keeping its owner is left as it was (exit 2). A folder walk does not follow symbolic "
        "links out of the folder. '-' repairs stdin to stdout. Exit status: 0 nothing to "
        "repair (or all repaired), 1 lines to repair (with --write and --fail-on-change: a "
        "file was repaired), 2 a file left as it was or a usage problem.",
        [
            arg("paths", nargs="+", metavar="PATH", help="files or folders, or - for stdin"),
            arg("--write", action="store_true", help="rewrite the files in place"),
            arg(
                "--fail-on-change",
                action="store_true",
                help="with --write: exit 1 if a file changed",
            ),
        ],
    ),
    "options": (
        _options,
        "list the plugin's options",
        "List the options of the plandocs plugin, with their kinds and defaults; --markdown "
        "writes the Guide's options page. Exit status: 0.",
        [arg("--markdown", action="store_true", help="as the Guide's Markdown page")],
    ),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plandocs",
        description="Check, export and repair the planning documents (work orders, ADRs, "
        "checkpoint phases) of a MkDocs project that uses the plandocs plugin, without "
        "building the site.",
        epilog="Run 'plandocs COMMAND --help' for a command's options and exit status.",
    )
    parser.add_argument("--version", action="version", version=f"plandocs {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    add_commands(commands, _COMMANDS)
    new = commands.add_parser("new", help="write a new order or ADR in the project's format")
    add_commands(new.add_subparsers(dest="kind", required=True), cli_new.KINDS)
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
