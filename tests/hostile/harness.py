"""Builds a hostile case for real, bounded in time and memory, and reads what it left.

Every case is written into ``<root>/<case>/sandbox/a/b/c/project``: the folders above the
project hold a sentinel file, so a write through ``../`` (up to four levels) or a change
anywhere outside ``project/site`` and ``project/.cache`` shows in the snapshot taken after
the run. ``HOME`` and ``TMPDIR`` point into the sandbox too.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .cases import MARK, Case, Link, project_files

#: Seconds a build or a check may take: a hang guard (a healthy case takes about one).
TIMEOUT = float(os.environ.get("PLANDOCS_HOSTILE_TIMEOUT", "60"))
#: Address space of each run (and of the dot it starts): a bomb fails instead of swapping.
MEMORY = 2 * 1024**3
#: A finding quotes at most ~80 characters of its input: longer lines mean it quotes all.
LONGEST_FINDING = 400

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}
_CODE = re.compile(r"\[(plandocs\.[a-z0-9-]+)\]")
#: Sets the limit in the child, then becomes ``python -m ...`` (a preexec_fn would fork a
#: process that runs threads: the pool's).
_LIMITED = (
    "import os, resource, sys; "
    f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY}, {MEMORY})); "
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    returncode: int | None  # None: killed at the time limit
    output: str  # stdout then stderr
    seconds: float

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    @property
    def codes(self) -> set[str]:
        return set(_CODE.findall(self.output))

    def finding_lines(self) -> list[str]:
        return [line for line in self.output.splitlines() if _CODE.search(line)]

    def tail(self, lines: int = 25) -> str:
        return "\n".join(self.output.splitlines()[-lines:])[-4000:]


def run_limited(args: list[str], cwd: Path, sandbox: Path) -> Run:
    """``python -m <args>`` under the time and memory limits; the whole process group is
    killed at the time limit, so a ``dot`` it started does not outlive it."""
    import time  # noqa: PLC0415 - only the wall time of the run, never asserted on

    env = {**ENV, "HOME": str(sandbox / "home"), "TMPDIR": str(sandbox / "tmp")}
    command = [sys.executable, "-c", _LIMITED, "-m", *args]
    start = time.monotonic()
    with subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as process:
        try:
            out, err = process.communicate(timeout=TIMEOUT)
            code: int | None = process.returncode
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out, err = process.communicate()
            code = None
    text = out.decode("utf-8", "replace") + err.decode("utf-8", "replace")
    return Run(tuple(args), code, text, time.monotonic() - start)


def snapshot(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes, but for those under ``skip``."""
    files = {}
    for path in sorted(root.rglob("*")):
        if any(path == s or s in path.parents for s in skip):
            continue
        if path.is_file() and not path.is_symlink():
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


@dataclass(frozen=True)
class Result:
    case: Case
    project: Path
    build: Run
    check: Run | None
    #: Files created, changed or removed outside project/site and project/.cache.
    stray: tuple[str, ...]

    @property
    def site(self) -> Path:
        return self.project / "site"


def write_project(case: Case, root: Path) -> tuple[Path, Path]:
    """The case's project under ``root``; returns (sandbox, project)."""
    sandbox = root / case.name / "sandbox"
    project = sandbox / "a" / "b" / "c" / "project"
    for folder in (sandbox, sandbox / "a", sandbox / "a" / "b", sandbox / "a" / "b" / "c"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "sentinel.txt").write_text("must stay as it is\n", encoding="utf-8")
    (sandbox / "home").mkdir()
    (sandbox / "tmp").mkdir()
    for relative, content in project_files(case).items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Link):
            path.symlink_to(content.target)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            text = content.replace("@SANDBOX@", str(sandbox))
            path.write_text(text, encoding="utf-8", newline="\n")
    return sandbox, project


def run_case(case: Case, root: Path, *, strict: bool = True, check: bool = True) -> Result:
    """Build the case (``mkdocs build --strict``) and check it (``plandocs check``)."""
    sandbox, project = write_project(case, root)
    ours = (project / "site", project / ".cache", sandbox / "tmp")
    before = snapshot(sandbox, ours)
    build_args = ["mkdocs", "build", "-d", "site"] + (["--strict"] if strict else [])
    build = run_limited(build_args, project, sandbox)
    checked = check and case.check
    check_run = run_limited(["plandocs.cli.main", "check"], project, sandbox) if checked else None
    after = snapshot(sandbox, ours)
    stray = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    return Result(case, project, build, check_run, tuple(stray))


# -- what the site holds -----------------------------------------------------------------

_URL_ATTRS = frozenset({"href", "src", "xlink:href", "action", "formaction", "data", "poster"})
_RAW_TEXT = frozenset({"script", "style"})


def _is_payload(text: str) -> bool:
    return MARK in text or "alert(" in text


def _dangerous(name: str, value: str) -> bool:
    """An event handler running a payload, or a URL that runs script when followed."""
    if name.startswith("on"):
        return _is_payload(value)
    if name not in _URL_ATTRS:
        return False
    compact = re.sub(r"[\s\x00-\x1f]+", "", value).lower()  # browsers skip these
    if compact.startswith(("javascript:", "vbscript:")):
        return True
    return compact.startswith("data:") and ("html" in compact or MARK in compact)


class ExecutableFinder(HTMLParser):
    """Markup from a payload that a browser would run: an event handler, a script whose
    text is the payload's, a ``javascript:`` or HTML ``data:`` URL, ``<img src=x>``.

    With ``skip_article`` the content of ``<article>`` elements is not looked at (a page's
    own Markdown body, where MkDocs keeps raw HTML as written)."""

    def __init__(self, *, skip_article: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_article = skip_article
        self.article_depth = 0
        self.in_script = False
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.article_depth += 1
        if tag in _RAW_TEXT:
            self.in_script = tag == "script"
        if self.skip_article and self.article_depth:
            return
        for name, value in attrs:
            if _dangerous(name, value or ""):
                self.found.append(f"<{tag} {name}={(value or '')[:60]!r}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x ...>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "article":
            self.article_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.article_depth:
            self.article_depth -= 1
        if tag in _RAW_TEXT:
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and _is_payload(data) and not (self.skip_article and self.article_depth):
            self.found.append(f"<script>{data[:60]!r}")


def executable(html: str, *, skip_article: bool = False) -> list[str]:
    finder = ExecutableFinder(skip_article=skip_article)
    finder.feed(html)
    finder.close()
    return finder.found


def _strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for key, value in data.items() for s in (*_strings(key), *_strings(value))]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return []


def site_files(site: Path) -> list[Path]:
    """The site's HTML, SVG and JSON files, Material's own assets left out."""
    return sorted(
        p
        for p in site.rglob("*")
        if p.suffix in (".html", ".svg", ".json", ".xml")
        and "assets" not in p.relative_to(site).parts
    )


def executable_in_site(site: Path, *, prose: bool = False) -> list[str]:
    """``file: what`` for every payload a browser would run, in every page and in the
    search index (with ``prose``, the body of the writers' own pages is left out: only
    pages under ``planning/`` are generated by plandocs), in the
    search index (Material's search shows its text as HTML). planning.json is data: its
    strings are plain text, and must not hold HTML entities (escaping is the reader's job;
    an entity there is text changed)."""
    problems = []
    for path in site_files(site):
        where = path.relative_to(site).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".json":
            try:
                data = json.loads(text)
            except ValueError as error:
                problems.append(f"{where}: not JSON ({error})")
                continue
            if where == "search/search_index.json":
                for string in _strings(data):
                    problems += [f"{where}: {found}" for found in executable(string)]
            else:
                problems += [
                    f"{where}: HTML entity in data: {s[:80]!r}"
                    for s in _strings(data)
                    if ("&lt;" in s or "&amp;" in s) and _is_payload(s)
                ]
            continue
        own_page = not where.startswith("planning/")  # a writer's page, not a generated one
        problems += [
            f"{where}: {found}" for found in executable(text, skip_article=prose and own_page)
        ]
    return problems


def main(argv: list[str]) -> int:
    """``python -m tests.hostile.harness OUT [CASE...]``: build cases into OUT (kept there
    for a look), print one line per run. The fixers' loop, without pytest."""
    from .cases import CASES  # noqa: PLC0415

    out, names = Path(argv[0]), set(argv[1:])
    for case in CASES:
        if names and case.name not in names:
            continue
        result = run_case(case, out)
        for what, ran in (("build", result.build), ("check", result.check)):
            if ran is not None:
                state = "timeout" if ran.timed_out else f"exit {ran.returncode}"
                print(f"{case.name} {what}: {state}, {ran.seconds:.1f} s, {sorted(ran.codes)}")
        for problem in executable_in_site(result.site, prose=case.prose):
            print(f"{case.name} site: {problem}")
        print(f"{case.name} project: {result.project}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
