"""Links written for the repository, made to work in the site.

On GitHub a page in ``orders/`` links to an ADR as ``../docs/adr/ADR-016-x.md``; in the
site ``docs/`` is the root, so that link would fail ``mkdocs build --strict``. A relative
link is rewritten only when it does not resolve in the site but resolves in the repository
to a published file. Code, HTML comments and escaped brackets are never touched.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping, Set
from functools import partial

from plandocs.core.parse.blocks import code_mask

_TARGET = r"(?P<target><[^<>\n]*>|[^()\s<>]+)"
_TITLE = r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?"
_LINK = re.compile(
    r"(?P<head>!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\()" + _TARGET + r"(?P<tail>" + _TITLE + r"\))"
)
# What a link must not reach into: code spans (any number of backticks) and comments.
_PROTECTED = re.compile(r"(?<!`)(?P<ticks>`+)(?!`).*?(?<!`)(?P=ticks)(?!`)|<!--.*?(?:-->|$)")
_DEFINITION = re.compile(r"^(?P<head>[ ]{0,3}\[[^\]\n]+\]:[ \t]*)" + _TARGET + r"(?P<tail>.*)$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _links_outside_code(line: str, fix: Callable[[re.Match[str]], str]) -> str:
    protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(line)]
    pieces, last = [], 0
    for match in _LINK.finditer(line):
        inside = any(start < match.end() and match.start() < end for start, end in protected)
        before = line[: match.start()]
        escaped = (len(before) - len(before.rstrip("\\"))) % 2  # by an odd number of "\"
        if inside or escaped:
            continue
        pieces += [line[last : match.start()], fix(match)]
        last = match.end()
    return "".join([*pieces, line[last:]])


def rewrite_repo_links(
    markdown: str,
    page_path: str,
    page_uri: str,
    site_uri_of: Mapping[str, str],
    published: Set[str] | None = None,
) -> str:
    """Rewrite repository-relative links of one page: ``page_path`` is its path in the
    repository, ``page_uri`` in the site; ``site_uri_of`` maps repository paths of published
    files to their site URIs; ``published`` is the set of its values, kept by a caller."""
    if "](" not in markdown and "]:" not in markdown:
        return markdown  # no inline link, no link definition: most pages of a big site
    target_for = partial(
        _site_target,
        page_dir=posixpath.dirname(page_uri),
        repo_dir=posixpath.dirname(page_path),
        site_uri_of=site_uri_of,
        published=set(site_uri_of.values()) if published is None else published,
    )
    lines = markdown.split("\n")
    in_code = code_mask(lines)
    in_comment = False
    for index, original in enumerate(lines):
        if in_code[index]:
            continue
        kept, rest = "", original
        if in_comment:  # inside a comment that started on an earlier line
            if "-->" not in rest:
                continue
            cut = rest.index("-->") + 3
            kept, rest = rest[:cut], rest[cut:]
        opened, closed = rest.rfind("<!--"), rest.rfind("-->")
        in_comment = opened >= 0 and closed < opened
        lines[index] = kept + _fix_line(rest, target_for)
    return "\n".join(lines)


def _fix_line(line: str, target_for: Callable[[str], str | None]) -> str:
    """A line (outside code and comments) with its link definition or links rewritten."""

    def fix(match: re.Match[str]) -> str:
        head = _links_outside_code(match.group("head"), fix)  # an image inside the link text
        fixed = target_for(match.group("target"))
        return head + (match.group("target") if fixed is None else fixed) + match.group("tail")

    definition = _DEFINITION.match(line)  # the whole line: its head holds no link
    if definition:
        return fix(definition)
    return _links_outside_code(line, fix) if "](" in line else line


def _site_target(
    target: str,
    *,
    page_dir: str,
    repo_dir: str,
    site_uri_of: Mapping[str, str],
    published: Set[str],
) -> str | None:
    """A link's target made a site link, or ``None`` when it is one already or leads to no
    published file of the repository."""
    bracketed = target.startswith("<")
    bare = target[1:-1] if bracketed else target
    if not bare or bare.startswith(("#", "/")) or _SCHEME.match(bare):
        return None
    cut = min((i for i in (bare.find("?"), bare.find("#")) if i >= 0), default=len(bare))
    path, rest = bare[:cut], bare[cut:]  # the query and anchor go along unchanged
    if posixpath.normpath(posixpath.join(page_dir, path)) in published:
        return None  # already a site link
    uri = site_uri_of.get(posixpath.normpath(posixpath.join(repo_dir, path)))
    if uri is None:
        return None
    fixed = posixpath.relpath(uri, page_dir or ".") + rest
    return f"<{fixed}>" if bracketed else fixed
