"""``plandocs new order|adr``: the reading and writing around ``scaffold``. A new file is
created with ``open(..., "x")``, so an existing file is never overwritten; an ADR that gains
a relation is replaced through ``textio.replace_file``, so an edit made to it meanwhile is
never lost."""

from __future__ import annotations

import argparse
import datetime
import difflib
import sys
from pathlib import Path

from plandocs.cli.common import EXIT_OK, EXIT_USAGE, Command, UsageError, arg, load_project
from plandocs.core.scaffold import AdrEdit, NewFile, ScaffoldError, edit_adr, new_adr, new_order
from plandocs.project import textio

_COMMON = [
    arg("-f", "--config-file", default="mkdocs.yml", help="path to mkdocs.yml"),
    arg("--dry-run", action="store_true", help="print what would be written; write nothing"),
]


def run(args: argparse.Namespace) -> int:
    config = Path(args.config_file)
    project, _ = load_project(config)
    root = config.resolve().parent
    try:
        if args.kind == "order":
            made = new_order(
                project,
                args.title,
                args.owner,
                args.phase,
                depends_on=args.depends_on,
                priority=args.priority,
            )
        else:
            made = new_adr(
                project,
                args.title,
                today=datetime.date.today().isoformat(),
                supersedes=args.supersedes,
                links=args.link,
                folder=_folder(root, args.dir) if args.dir else None,
                adr_dir_file=None if args.dir else _adr_dir(root),
            )
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    target = root / made.path
    if target.exists():
        raise UsageError(f"{made.path} exists already; it was left as it is")
    if not target.parent.is_dir():
        raise UsageError(f"{Path(made.path).parent} is no folder; create it or name another")
    changes = [(edit, *_edited(root, edit)) for edit in made.edits]
    if args.dry_run:
        _show(made, changes)
        return EXIT_OK
    try:
        with target.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(made.text)
    except OSError as exc:
        raise UsageError(f"cannot write {made.path}: {exc.strerror or exc}") from None
    print(f"{made.path}: {made.id} written")
    code = EXIT_OK
    for edit, _, _ in changes:
        # one ADR left as it was (read-only, changed meanwhile) is said, and the others
        # are edited still: stopping there would leave their relations unsaid
        try:
            _apply(root, edit, made)
        except UsageError as exc:
            print(f"plandocs: error: {exc}", file=sys.stderr)
            code = EXIT_USAGE
    return code


#: ``new order`` and ``new adr``
KINDS: dict[str, Command] = {
    "order": (
        run,
        "a new order with the next free ID of its owner and phase",
        "Write ORDER-OWNER-PHASE-NNN, the next free ID, in the format (frontmatter or bold "
        "fields) and folder the project's order files use. Never overwrites a file.",
        [
            arg("title"),
            arg("--owner", required=True, help="who does it, like wrk-3"),
            arg("--phase", required=True, help="the phase, like CP3"),
            arg("--depends-on", action="append", default=[], metavar="ORDER", help="repeatable"),
            arg("--priority", help="critical, high, medium or low"),
            *_COMMON,
        ],
    ),
    "adr": (
        run,
        "a new ADR with the next number, linked both ways like adr-tools",
        "Write the next ADR in the shape most ADRs of its folder have (adr-tools, MADR, or "
        "frontmatter with a numbered heading), and add the reverse relation to each ADR it "
        "supersedes or links. Never overwrites a file.",
        [
            arg("title"),
            arg(
                "-s", "--supersedes", action="append", default=[], metavar="ADR", help="repeatable"
            ),
            arg(
                "-l",
                "--link",
                action="append",
                default=[],
                metavar="TARGET:LINK:REVERSE",
                help="like adr-tools: '3:Amends:Amended by' (repeatable)",
            ),
            arg("--dir", help="the ADR folder, when the project has several"),
            *_COMMON,
        ],
    ),
}


def _folder(root: Path, raw: str) -> str:
    folder = Path(raw).resolve()
    if not folder.is_relative_to(root):
        raise UsageError(f"--dir {raw}: not inside the project ({root})")
    return folder.relative_to(root).as_posix()


def _adr_dir(root: Path) -> str | None:
    """The folder adr-tools' ``.adr-dir`` names, if the project has one: inside the project,
    as ``--dir`` must be (a file from another repository may name ``../doc/adr``). One that
    is no text file (a named pipe, which a plain read waits on for ever) is none."""
    try:
        named = textio.decode(textio.read_snapshot(root / ".adr-dir").data).text.strip()
    except (OSError, textio.NotTextError):
        return None
    if not named:
        return None
    folder = (root / named).resolve()
    if not folder.is_relative_to(root):
        raise UsageError(
            f".adr-dir names {named}, which is not inside the project ({root}); fix it, "
            "or name the folder with --dir"
        )
    return folder.relative_to(root).as_posix()


def _edited(root: Path, edit: AdrEdit) -> tuple[str, str]:
    """The ADR's text now and after the edit (LF line endings)."""
    # An ADR read through a symbolic link out of the project is shown where the link is;
    # the edit would land in the file it points to, which is not the project's to change.
    real = (root / edit.path).resolve()
    if not real.is_relative_to(root):
        raise UsageError(
            f"{edit.path}: a symbolic link to a file outside the project ({real}); nothing "
            f"was written: leave out the option that names it, then add the relation by hand"
        )
    try:
        decoded = textio.decode(textio.read_snapshot(root / edit.path).data)
    except (OSError, textio.NotTextError) as exc:
        raise UsageError(f"{edit.path}: cannot read it: {exc}") from None
    try:
        return decoded.text, edit_adr(decoded.text, edit)
    except ScaffoldError as exc:
        raise UsageError(f"{exc}; nothing was written") from None


def _show(made: NewFile, changes: list[tuple[AdrEdit, str, str]]) -> None:
    print(f"would write {made.path} ({made.id}):")
    print(made.text, end="")
    for edit, before, after in changes:
        print(f"\nwould change {edit.path}:")
        diff = difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            f"a/{edit.path}",
            f"b/{edit.path}",
        )
        sys.stdout.writelines(diff)


def _apply(root: Path, edit: AdrEdit, made: NewFile) -> None:
    """Adds the relation to the ADR, keeping its BOM and line endings; a file changed
    meanwhile is left as it is and said so (the new ADR is written either way)."""
    path = root / edit.path
    try:
        original = textio.read_snapshot(path)
        decoded = textio.decode(original.data, keep_line_endings=True)
        text = _line_endings_kept(decoded.text, edit_adr(decoded.text.replace("\r\n", "\n"), edit))
        textio.replace_file(original, textio.encode(decoded, text))
    except (OSError, textio.NotTextError, ScaffoldError) as exc:  # NotReplacedError too
        raise UsageError(
            f"{made.path} was written, but {edit.path} was not changed ({exc}); "
            f"add '{edit.kind} {edit.link}' to it by hand"
        ) from None
    print(f"{edit.path}: {edit.kind.lower()} {made.id}")


def _line_endings_kept(before: str, after: str) -> str:
    """``after`` (LF line endings), the edit of ``before`` (the file's own), with each line
    it kept ending as it did, and each new one as most lines of the file end: a file saved
    by two editors (CRLF lines and LF lines) is not rewritten whole by a one-line edit."""
    old = before.split("\n")  # a line that ended in CRLF keeps its "\r"; the last, no end
    new = after.split("\n")
    crlf = sum(line.endswith("\r") for line in old) * 2 > len(old) - 1
    kept = difflib.SequenceMatcher(
        None, [line.removesuffix("\r") for line in old], new, autojunk=False
    )
    out: list[str] = []
    for tag, i1, _, j1, j2 in kept.get_opcodes():
        for j in range(j1, j2):
            i = i1 + j - j1 if tag == "equal" else None
            last = j == len(new) - 1
            if i is not None and i != len(old) - 1 and not last:
                out.append(old[i])  # the line and its own ending
            else:
                out.append(new[j] + ("\r" if crlf and not last else ""))
    return "\n".join(out)
