"""Git, asked a few questions a build, never one a file: ``rev-parse`` (HEAD, the tags, and
whether the clone is shallow), one ``log`` of the planning folders (each commit's Markdown
files, and the renames), one ``cat-file --batch`` of the versions a build has not parsed,
and ``for-each-ref`` for the tags. A failure is one line (``GitError``); a folder outside
git is none (``NotACheckoutError``)."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

#: how long one git command of a build may take; a bigger history is left unread
GIT_TIMEOUT = 30.0
_LOG = ["log", "--reverse", "--no-merges", "--no-color", "--raw", "-M", "--no-abbrev", "-z"]
#: a file a commit changed (``--raw -z``): its new blob, then a rename's old name, or the
#: status letter, then its name
_ENTRY = re.compile(rb":\d+ \d+ \w+ (\w+) (?:(R)\d*\0([^\0]*)|([A-Z])\d*)\0([^\0]*)\0")
_TAGS = (
    "--format=%(refname:short)%00%(if)%(*objectname)%(then)%(*objectname)%(else)%(objectname)"
    "%(end)%00%(*committerdate:unix)%(committerdate:unix)%00%(*committerdate:short)"
    "%(committerdate:short)"  # an annotated tag's commit (*), else the tagged commit
)


class GitError(Exception):
    """Git could not answer; the message says why, in a line."""


class GitMissingError(GitError):
    """A git checkout, but no git to read it with."""


class NotACheckoutError(Exception):
    """The project is in no git checkout (or one without a commit): a site built from an
    export or a tarball has no history to show, and nothing to report."""


@dataclass(frozen=True)
class Commit:
    """One commit of the planning folders: its files as they were after it (a blob's sha,
    or the text in tests; ``None``: the commit deleted the file)."""

    sha: str
    time: int
    date: str  # YYYY-MM-DD, in the committer's time zone
    files: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class Tag:
    name: str
    date: str  # the tagged commit's date, YYYY-MM-DD
    time: int  # and its time, for ordering
    commit: str


@dataclass(frozen=True)
class Log:
    commits: tuple[Commit, ...]  # oldest first, each with the Markdown files it changed
    renames: tuple[tuple[str, str], ...]  # (old path, new path), newest first


#: What git says in a folder outside any checkout, or in one without a commit yet (the last
#: is ``rev-parse HEAD``'s answer there).
_NO_CHECKOUT = ("not a git repository", "does not have any commits", "ambiguous argument 'HEAD'")


def run(
    root: Path, args: Sequence[str], stdin: bytes | None = None, timeout: float = GIT_TIMEOUT
) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=root,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
            # git translates its messages (LANGUAGE=de: "Kein Git-Repository"), and those of
            # _NO_CHECKOUT are recognised in English: LC_ALL=C turns translation off.
            env={**os.environ, "LC_ALL": "C"},
        )
    except FileNotFoundError:
        if any((folder / ".git").exists() for folder in (root, *root.parents)):
            raise GitMissingError("git is not installed") from None
        raise NotACheckoutError from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took more than {timeout:g} s") from None
    except OSError as exc:
        raise GitError(f"git could not be run ({exc.strerror or exc})") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        first = lines[0] if lines else f"exit status {done.returncode}"
        if any(sign in first for sign in _NO_CHECKOUT):
            raise NotACheckoutError
        raise GitError(f"git {args[0]} failed: {first[:200]}")
    return done.stdout


def head(root: Path) -> tuple[bool, str, str]:
    """Whether the clone is shallow, HEAD's sha, and what the tags point at (the tags
    change without a commit)."""
    out = run(root, ["rev-parse", "--is-shallow-repository", "HEAD", "--tags"]).decode().split()
    if len(out) < 2:
        raise GitError("git rev-parse gave no HEAD")
    return out[0] == "true", out[1], " ".join(out[2:])


def log(root: Path, folders: Sequence[str], timeout: float = GIT_TIMEOUT) -> Log:
    """Every commit touching ``folders`` (relative to ``root``, where mkdocs.yml is)."""
    args = [*_LOG, "--relative", "--format=%x01%H %ct %cs", "--", *folders]
    raw = run(root, args, timeout=timeout)
    commits: list[Commit] = []
    renames: list[tuple[str, str]] = []
    for chunk in raw.split(b"\x01")[1:]:
        header, _, rest = chunk.partition(b"\x00")  # -z ends the header with NUL
        sha, time, day = header.decode().split()
        files: list[tuple[str, str | None]] = []
        for blob, renamed, old, status, name in _ENTRY.findall(rest):
            if renamed:  # the old name is gone, the new one holds the blob
                files.append((old.decode("utf-8", "replace"), None))
                with suppress(UnicodeDecodeError):  # no site page is named by such a name
                    renames.append((old.decode("utf-8"), name.decode("utf-8")))
            files.append(
                (name.decode("utf-8", "replace"), None if status == b"D" else blob.decode())
            )
        kept = tuple((path, blob) for path, blob in files if path.lower().endswith(".md"))
        if kept:
            commits.append(Commit(sha, int(time), day, kept))
    return Log(tuple(commits), tuple(reversed(renames)))


def blobs(root: Path, shas: Iterable[str]) -> dict[str, bytes]:
    """The contents of each blob, by sha."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    raw = run(root, ["cat-file", "--batch"], stdin="\n".join(wanted).encode() + b"\n")
    out: dict[str, bytes] = {}
    at = 0
    while at < len(raw):
        end = raw.index(b"\n", at)
        header = raw[at:end].decode().split()
        at = end + 1
        if len(header) >= 3 and header[1] != "missing":  # else "<sha> missing": no content
            size = int(header[2])
            out[header[0]] = raw[at : at + size]
            at += size + 1  # the content ends with a newline of its own
    return out


def tags(root: Path) -> tuple[Tag, ...]:
    """The tags, newest first, each with its commit's sha, time and date."""
    raw = run(root, ["for-each-ref", _TAGS, "refs/tags"]).decode("utf-8", "replace")
    tags: list[Tag] = []
    for line in raw.splitlines():
        name, commit, time, day = (line.split("\x00") + [""] * 4)[:4]
        if time:
            tags.append(Tag(name, day, int(time), commit))
    return tuple(sorted(tags, key=lambda t: (-t.time, t.name)))
