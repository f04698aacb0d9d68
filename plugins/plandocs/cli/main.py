"""``plandocs``: the command line, a thin adapter over the same core as the MkDocs plugin.

    plandocs check  [-f mkdocs.yml] [--format text|json|github|gitlab|sarif]
                                                           findings, exit 1 if any
    plandocs schema [-f mkdocs.yml] [-o FILE] [--kind order|adr|both]
                                                           JSON Schema of the frontmatter
    plandocs export [-f mkdocs.yml] [-o FILE]              planning.json without a build
    plandocs fix-encoding [--write [--fail-on-change]] PATH...|-   repair mojibake
    plandocs new order|adr TITLE [...] [--dry-run]         a new order or ADR, as the project
                                                           writes them
    plandocs options [--markdown]                          the plugin's options

It reads the plugin's options from mkdocs.yml without importing MkDocs, so a check in CI or
a pre-commit hook costs a fraction of a build.
"""

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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from plandocs import __version__
from plandocs.cli import new as cli_new
from plandocs.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    Site,
    UsageError,
    load_project,
    plugin_options,
    read_mkdocs_config,
    refused,
)
from plandocs.cli.formats import FORMATS
from plandocs.core.diagnostics import Level
from plandocs.core.encoding import Repair
from plandocs.core.schedule import build_day, schedule
from plandocs.core.schema import frontmatter_schema
from plandocs.core.settings import (
    OPTIONS,
    options_markdown,
    path_in_site,
    settings_from_options,
)
from plandocs.project.history import GitHistory, done_dates, project_history
from plandocs.project.load import Project, orders_folder, repair_source
from plandocs.project.textio import (
    NotReplacedError,
    NotTextError,
    decode,
    encode,
    read_snapshot,
    remove_leftovers,
    replace_file,
)
from plandocs.render.export import planning_json

#: the names the commands' tests and ``cli.new`` read here (``cli.common`` holds them)
__all__ = [
    "EXIT_OK",
    "UsageError",
    "build_parser",
    "load_project",
    "main",
    "plugin_options",
    "read_mkdocs_config",
    "settings_from_options",
]


def _check(args: argparse.Namespace) -> int:
    project, _ = load_project(Path(args.config_file))
    findings = project.diagnostics
    if args.format in FORMATS:
        sys.stdout.write(FORMATS[args.format](findings, _repo_prefix(Path(args.config_file))))
    else:
        for finding in findings:
            if finding.level is Level.INFO and not args.verbose:
                continue
            print(finding.format(with_level=True))
        counts = Counter(d.level for d in findings)
        print(
            f"plandocs: {_contents(project)} in {_count(len(project.docs), 'file')}; "
            f"{_count(counts[Level.ERROR], 'error')}, {_count(counts[Level.WARNING], 'warning')}",
            file=sys.stderr,
        )
    return EXIT_FINDINGS if project.has_problems else EXIT_OK


def _contents(project: Project) -> str:
    """What a project holds, counted: "3 orders, 1 ADR, 2 phases"."""
    graph = project.graph
    return (
        f"{_count(len(graph.orders), 'order')}, {_count(len(graph.adrs), 'ADR')}, "
        f"{_count(len(graph.phases), 'phase')}"
    )


def _repo_prefix(config_file: Path) -> str:
    """The folder of mkdocs.yml from the working folder (the checkout's root in CI), where
    annotations are placed; "" when it is the working folder or outside it."""
    folder = config_file.resolve().parent
    try:
        inside = folder.relative_to(Path.cwd().resolve())
    except ValueError:
        return ""
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
    text = planning_json(
        project.graph,
        project.diagnostics,
        urls,
        history=history.orders if history is not None else None,
        plan=plan,
    )
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
    """The planning files' history as the build reads it (the plugin's ``history`` option,
    ``project.history.project_history``); no cache file is written, as export builds nothing."""
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
    out); and one line for each symbolic link the folder walk did not follow."""
    found: list[Path] = []
    skipped: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files, links = _walk(path)
            found.extend(files)
            skipped.extend(links)
        elif path.exists():
            found.append(path)  # named: followed wherever it points, as the user asked
        else:
            raise UsageError(f"{name}: no such file or folder")
    # Each file once, also when it is named and inside a folder named ("docs docs/a.md").
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values()), skipped


@dataclass
class _Walk:
    """What ``_walk`` found, and the folders it has still to read."""

    folder: Path
    root: Path
    files: list[Path] = field(default_factory=list)
    linked: list[Path] = field(default_factory=list)  # reached through a link inside
    skipped: list[str] = field(default_factory=list)
    pending: list[tuple[Path, Path, bool]] = field(default_factory=list)
    later: list[tuple[Path, Path]] = field(default_factory=list)  # behind links: walked last

    def entry(self, entry: os.DirEntry[str], real: Path, via_link: bool) -> None:
        path = Path(entry.path)
        if entry.is_symlink():
            target, why = _follow(path, self.folder, self.root, real)
            if why is not None:
                self.skipped.append(f"{path}: skipped: {why}")
            if target is not None and target.is_dir():
                self.later.append((path, target))
            elif target is not None and _is_markdown(entry.name):
                self.linked.append(path)
        elif entry.is_dir(follow_symlinks=False):
            self.pending.append((path, real / entry.name, via_link))
        elif _is_markdown(entry.name) and entry.is_file(follow_symlinks=False):
            (self.linked if via_link else self.files).append(path)


def _walk(folder: Path) -> tuple[list[Path], list[str]]:
    """The Markdown files under ``folder``, sorted, and a line for each symbolic link not
    followed: one out of the folder (a folder walk must not write outside the folder it
    was given), a loop, one that points to nothing. Links inside it are followed."""
    walk = _Walk(folder, folder.resolve())
    walk.pending.append((folder, walk.root, False))
    walked: set[Path] = set()
    while walk.pending or walk.later:
        if not walk.pending:
            walk.pending.append((*walk.later.pop(0), True))
        here, real, via_link = walk.pending.pop()
        if real in walked:
            continue  # a link to a folder walked already: its files are listed
        walked.add(real)
        try:
            entries = sorted(os.scandir(here), key=lambda entry: entry.name)
        except OSError as exc:
            walk.skipped.append(f"{here}: skipped: the folder cannot be read ({exc.strerror})")
            continue
        for entry in entries:
            if not entry.name.startswith("."):
                walk.entry(entry, real, via_link)
    # A file reached both ways is shown by its own name, not a link's.
    real_files = {path.resolve() for path in walk.files}
    linked = [path for path in walk.linked if path.resolve() not in real_files]
    return sorted(walk.files) + sorted(linked), sorted(walk.skipped)


def _is_markdown(name: str) -> bool:
    return name.lower().endswith(".md")


_UNFOLLOWED = "the symbolic link cannot be followed"


def _target(link: Path) -> Path | str:
    """Where ``link`` leads, or why it leads nowhere."""
    try:
        return link.resolve(strict=True)
    except FileNotFoundError:
        return "a symbolic link to nothing"
    except RuntimeError:  # Python before 3.13
        return "a symbolic link loop"
    except OSError as exc:
        return (
            "a symbolic link loop"
            if exc.errno == errno.ELOOP
            else f"{_UNFOLLOWED} ({exc.strerror})"
        )


def _follow(link: Path, folder: Path, root: Path, here: Path) -> tuple[Path | None, str | None]:
    """Where ``link`` leads inside ``root``, or why the walk does not go there. Links that
    cannot be Markdown (``logo.png``) are not worth a line: None, None."""
    target = _target(link)
    if isinstance(target, str):
        worth_a_line = _is_markdown(link.name) or not Path(link.name).suffix
        return None, (target if worth_a_line or target.startswith(_UNFOLLOWED) else None)
    is_folder = target.is_dir()
    if not is_folder and not _is_markdown(link.name):
        return None, None
    if not target.is_relative_to(root):
        kind = "folder" if is_folder else "file"
        return None, (f"a symbolic link to a {kind} outside {folder}; name the file to repair it")
    if is_folder and here.is_relative_to(target):
        return None, "a symbolic link loop (to a folder it is in)"
    return target, None


def _fix_one(path: Path, *, write: bool) -> list[Repair]:
    """The repairs ``path`` needs, written to it when ``write``. Raises ``OSError`` or
    ``NotTextError`` with a one-line message; the file is then left as it was."""
    original = read_snapshot(path)
    decoded = decode(original.data, keep_line_endings=True)
    repaired, repairs = repair_source(decoded.text)
    if repairs and write:
        replace_file(original, encode(decoded, repaired))
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


class _Stopped(BaseException):
    """A SIGTERM or SIGHUP, raised where the run is: as for Ctrl-C, the temporary file of
    the file being replaced is removed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(signum)


@contextmanager
def _stoppable() -> Iterator[None]:
    # Handlers can only be set from the main thread; elsewhere the defaults stay.
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {signum: signal.signal(signum, _stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@dataclass
class _Tally:
    checked: int = 0
    failed: int = 0
    files: int = 0
    lines: int = 0
    current: Path | None = None  # the file being read or replaced


def _fix_files(paths: Sequence[Path], tally: _Tally, *, write: bool) -> None:
    if write:
        for folder in dict.fromkeys(path.resolve().parent for path in paths):
            for leftover in remove_leftovers(folder):
                print(
                    f"{_relative(leftover)}: removed, a temporary file an interrupted run left",
                    file=sys.stderr,
                )
    for path in paths:
        tally.checked += 1
        tally.current = path
        try:
            repairs = _fix_one(path, write=write)
        except NotTextError as exc:
            where = f"{path}:{exc.line}" if exc.line else str(path)
            print(f"{where}: error: {exc}; the file was left as it was", file=sys.stderr)
            tally.failed += 1
            continue
        except OSError as exc:
            plain = isinstance(exc, (PermissionError, NotReplacedError)) or not exc.strerror
            print(f"{path}: error: {exc if plain else exc.strerror}", file=sys.stderr)
            tally.failed += 1
            continue
        if repairs:
            tally.files, tally.lines = tally.files + 1, tally.lines + len(repairs)
        if repairs and write:
            codecs = sorted({label for fix in repairs for label in fix.codecs})
            print(f"{path}: repaired {_count(len(repairs), 'line')} ({', '.join(codecs)})")
            continue
        for fix in repairs:
            print(f"{path}:{fix.line}: {'+'.join(fix.codecs)}: {fix.before}  →  {fix.after}")


def _relative(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _fix_encoding(args: argparse.Namespace) -> int:
    if args.paths == ["-"]:
        return _fix_stream()
    if "-" in args.paths:
        raise UsageError("'-' (stdin) cannot be mixed with file names")
    paths, skipped = _markdown_files(args.paths)
    for line in skipped:
        print(line, file=sys.stderr)
    tally = _Tally()
    stopped = 0
    with _stoppable():
        try:
            _fix_files(paths, tally, write=args.write)
        except KeyboardInterrupt:
            stopped = signal.SIGINT
        except _Stopped as exc:
            stopped = exc.signum
    if stopped:
        if tally.current is not None and args.write:
            # a signal may have come in the middle of the clean-up of the file's copy
            remove_leftovers(tally.current.resolve().parent, ours=True)
        print(
            f"plandocs: stopped by {signal.Signals(stopped).name}; every file is as it was "
            "or wholly repaired",
            file=sys.stderr,
        )
        return 128 + stopped
    done = "repaired" if args.write else "to repair"
    counts = [f"{_count(tally.checked, 'file')} checked"]
    if skipped:
        counts.append(f"{_count(len(skipped), 'link')} skipped")
    if tally.failed:
        counts.append(f"{tally.failed} left as it was")
    hint = "; run again with --write to repair them" if tally.files and not args.write else ""
    # "0 lines to repair in 0 files" for a folder of ten read as if no file was looked at
    found = (
        f"{_count(tally.lines, 'line')} {done} in {_count(tally.files, 'file')}"
        if tally.files
        else "nothing to repair"
    )
    print(f"plandocs: {found}; {', '.join(counts)}{hint}", file=sys.stderr)
    if tally.failed:
        return EXIT_USAGE
    # pre-commit's hook fails on a repair, so that the writer sees and stages the change
    return EXIT_FINDINGS if tally.files and (args.fail_on_change or not args.write) else EXIT_OK


_CONFIG_HELP = "the project's mkdocs.yml (default: mkdocs.yml in the working folder)"


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

    check = commands.add_parser(
        "check",
        help="report broken planning data without building the site",
        description="Report broken planning data without building the site. Formats: text "
        "(default; notes with -v), json, github (workflow commands: annotations on a pull "
        "request), gitlab (a Code Quality report), sarif (SARIF 2.1.0 for code scanning); "
        "the machine formats hold every finding, notes too; github, gitlab and sarif name "
        "files by their path from the working folder (the checkout's root in CI), json by "
        "their path in the project. Exit status: 0 no problems "
        "(notes only), 1 errors or warnings found, 2 a usage problem (bad option, "
        "unreadable or invalid mkdocs.yml).",
    )
    check.add_argument("-f", "--config-file", default="mkdocs.yml", help=_CONFIG_HELP)
    check.add_argument(
        "--format", choices=("text", *FORMATS), default="text", help="how to write the findings"
    )
    check.add_argument("-v", "--verbose", action="store_true", help="also print notes (level info)")
    check.set_defaults(run=_check)

    schema = commands.add_parser(
        "schema",
        help="write JSON Schema of order and ADR frontmatter, for editors",
        description="Write JSON Schema (draft 2020-12) of the frontmatter of orders and ADRs, "
        "made from the fields, aliases, vocabularies and ID patterns plandocs reads with "
        "this project's settings, for the YAML language server of an editor. Exit status: "
        "0 written, 2 a usage problem.",
    )
    schema.add_argument("-f", "--config-file", default="mkdocs.yml", help=_CONFIG_HELP)
    schema.add_argument(
        "-o", "--output", default="-", help="the file to write; - (the default) for the terminal"
    )
    schema.add_argument(
        "--kind",
        choices=("order", "adr", "both"),
        default="order",
        help="the frontmatter described (both: an order's or an ADR's)",
    )
    schema.set_defaults(run=_schema)

    export = commands.add_parser(
        "export",
        help="write planning.json without building the site",
        description="Write the planning data (orders, ADRs, phases and findings, as JSON) "
        "that the site build keeps as planning.json, without building the site: by default "
        "to the same file in the site folder (site_dir in mkdocs.yml, site/planning.json "
        "unless the plugin's export option names another). Exit status: 0 written, "
        "2 a usage problem.",
    )
    export.add_argument("-f", "--config-file", default="mkdocs.yml", help=_CONFIG_HELP)
    export.add_argument(
        "-o",
        "--output",
        default=None,
        metavar="FILE",
        help="write to FILE instead; - for the terminal",
    )
    export.set_defaults(run=_export)

    fix = commands.add_parser(
        "fix-encoding",
        help="report (exit 1) or repair mojibake in Markdown files",
        description="Report the lines that hold mojibake (exit 1 if any), or repair them in "
        "place with --write: atomically, keeping the BOM, line endings and permissions, "
        "changing only the broken lines; a file that changes meanwhile, has hard links or "
        "cannot be replaced keeping its owner is left as it was (exit 2). A folder walk "
        "does not follow symbolic links out of the folder. '-' repairs stdin to stdout. "
        "Exit status: 0 nothing to repair (or all repaired), 1 lines to repair (with --write "
        "and --fail-on-change: a file was repaired), 2 a file left as it was or a usage "
        "problem.",
    )
    fix.add_argument("paths", nargs="+", metavar="PATH", help="files or folders, or - for stdin")
    fix.add_argument("--write", action="store_true", help="rewrite the files in place")
    fix.add_argument(
        "--fail-on-change", action="store_true", help="with --write: exit 1 if a file changed"
    )
    fix.set_defaults(run=_fix_encoding)

    options = commands.add_parser(
        "options",
        help="list the plugin's options",
        description="List the options of the plandocs plugin, with their kinds and defaults; "
        "--markdown writes the Guide's options page. Exit status: 0.",
    )
    options.add_argument("--markdown", action="store_true", help="as the Guide's Markdown page")
    options.set_defaults(run=_options)

    cli_new.add_parser(commands)
    return parser


def _options(args: argparse.Namespace) -> int:
    if args.markdown:
        sys.stdout.write(options_markdown())
        return EXIT_OK
    for option in OPTIONS:
        kind = f"{option.kind}: {', '.join(option.choices)}" if option.choices else option.kind
        print(f"{option.name} ({kind}, default {option.default!r})\n    {option.help}")
    return EXIT_OK


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
