"""Links written for the repository, made to work in the site.

On GitHub a page in ``orders/`` links to an ADR as ``../docs/adr/ADR-016-x.md``: a path in
the repository. In the site ``docs/`` is the root and ``orders/`` sits beside ``adr/``, so
the same link would point nowhere and fail ``mkdocs build --strict``. This pass rewrites a
relative Markdown link only when it does not resolve in the site but resolves in the
repository to a published file; every other link is left exactly as written.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

from ..parse.blocks import code_mask

_LINK = re.compile(r"(?P<head>!?\[[^\]\n]*\]\()(?P<target>[^)\s]+)(?P<tail>(?:\s+\"[^\"\n]*\")?\))")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def rewrite_repo_links(
    markdown: str, page_path: str, page_uri: str, site_uri_of: Mapping[str, str]
) -> str:
    """Rewrite repository-relative links of one page.

    ``page_path`` is the page's path in the repository, ``page_uri`` its source path in the
    site, ``site_uri_of`` maps repository paths of published files to their site URIs."""
    published = set(site_uri_of.values())
    page_dir, repo_dir = posixpath.dirname(page_uri), posixpath.dirname(page_path)

    def fix(match: re.Match[str]) -> str:
        target = match.group("target")
        if target.startswith(("#", "/")) or _SCHEME.match(target):
            return match.group(0)
        path, sep, anchor = target.partition("#")
        if posixpath.normpath(posixpath.join(page_dir, path)) in published:
            return match.group(0)  # already a site link
        uri = site_uri_of.get(posixpath.normpath(posixpath.join(repo_dir, path)))
        if uri is None:
            return match.group(0)
        return (
            match.group("head")
            + posixpath.relpath(uri, page_dir or ".")
            + sep
            + anchor
            + match.group("tail")
        )

    lines = markdown.split("\n")
    in_code = code_mask(lines)
    for index, line in enumerate(lines):
        if in_code[index] or "](" not in line:
            continue
        # Inline code spans are odd-numbered pieces between backticks: leave them alone.
        pieces = line.split("`")
        pieces[::2] = [_LINK.sub(fix, piece) for piece in pieces[::2]]
        lines[index] = "`".join(pieces)
    return "\n".join(lines)
