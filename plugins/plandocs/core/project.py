"""A loaded planning project: its files, parsed and sealed into one graph, and what was
found about them. ``plandocs.project.load`` makes one from the files on disk; the
renderers, the MkDocs adapter and the CLI read it."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from plandocs.core import diagnostics as diag
from plandocs.core.diagnostics import Diagnostic
from plandocs.core.graph import PlanningGraph
from plandocs.core.links import References
from plandocs.core.model import SourceDoc
from plandocs.core.parse.documents import ParsedDoc
from plandocs.core.settings import Settings


@dataclass
class Project:
    settings: Settings
    graph: PlanningGraph
    docs: dict[str, SourceDoc]
    parsed: dict[str, ParsedDoc]
    diagnostics: list[Diagnostic]
    #: URIs of files that could not be read as text; the site must leave them out
    unreadable: set[str] = field(default_factory=set)
    #: what the pages' text names, for "Referenced by"
    references: References = field(default_factory=References)

    @property
    def has_problems(self) -> bool:
        return any(d.level is not diag.Level.INFO for d in self.diagnostics)

    def reserve(self, uris: Iterable[str]) -> set[str]:
        """Claim site paths for generated pages; report and return those a source file holds."""
        clashes = {uri for uri in uris if uri in self.docs}
        found = [
            diag.make(
                diag.PATH_CLASH,
                self.docs[uri].path,
                0,
                f"this file takes the path of plandocs' generated page {uri}; "
                f"move it, or set plandocs' 'output_dir'",
            )
            for uri in sorted(clashes)
        ]
        self.report(found)
        return clashes

    def findings_by_page(self) -> dict[str, tuple[Diagnostic, ...]]:
        """The findings about each page's own file (not mere information), by page URI, in
        the order they are reported. Asked before ``docs`` is let go of."""
        uris = {doc.path: uri for uri, doc in self.docs.items()}
        out: dict[str, list[Diagnostic]] = {}
        for finding in self.diagnostics:
            uri = uris.get(finding.file)
            if uri is not None and finding.level is not diag.Level.INFO:
                out.setdefault(uri, []).append(finding)
        return {uri: tuple(found) for uri, found in out.items()}

    def report(self, found: Iterable[Diagnostic]) -> None:
        """Add findings an adapter made (kept sorted and without repeats)."""
        self.diagnostics = sorted(set(self.diagnostics) | set(found), key=root_first)


def path_clash(path: str, kept: str, uri: str) -> Diagnostic:
    return diag.make(
        diag.PATH_CLASH,
        path,
        0,
        f"both this file and {kept} publish at {uri}; {kept} is kept, rename one of them",
    )


#: findings that make others: a block that does not parse loses the file's fields, its ID too
_ROOTS = frozenset({diag.YAML_ERROR.id, diag.BAD_FRONTMATTER.id})
#: what follows from a root in a file that lost its ID with it
_CONSEQUENCES = frozenset({diag.MISSING_ID.id, diag.UNKNOWN_REF.id})


def root_first(finding: Diagnostic) -> tuple[str, bool, int, str, str]:
    """Findings by file, each file's root cause first, then by line."""
    return (finding.file, finding.code not in _ROOTS, finding.line, finding.code, finding.message)


def folded(findings: Iterable[Diagnostic]) -> list[Diagnostic]:
    """One root cause, one finding: a file that lost its ID with a frontmatter block that
    does not parse is an order with no ID (``missing-id``) whose own ID looks like a
    reference to nothing (``unknown-ref``); those are counted in the block's finding."""
    findings = set(findings)
    roots = {f.file: f for f in sorted(findings, key=root_first) if f.code in _ROOTS}
    lost_id = {f.file for f in findings if f.code == diag.MISSING_ID.id and f.file in roots}
    follow = {f for f in findings if f.file in lost_id and f.code in _CONSEQUENCES}
    kept = [f for f in findings if f not in follow]
    for file, count in Counter(f.file for f in follow).items():
        root = roots[file]
        kept.remove(root)
        more = "a finding that follows" if count == 1 else f"{count} findings that follow"
        message = f"{root.message} (this also clears {more} from it)"
        kept.append(dataclasses.replace(root, message=message))
    return sorted(kept, key=root_first)
