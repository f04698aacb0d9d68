"""Seal: merge every record of the corpus into one graph of orders, ADRs and phases, and check it.

``seal`` runs once, after every file has been read and before any page is rendered, so that
cross-page facts (dependents, blocked-by, conflicts, dangling references) are decided on
the whole corpus. ``PlanningGraph`` then answers questions; iteration is always sorted so
two builds of the same input are byte-identical.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import Any

from plandocs.core import diagnostics as diag
from plandocs.core.diagnostics import Diagnostic
from plandocs.core.model import Adr, Listing, Order, OrderRecord, Phase, PhaseKind, Variant
from plandocs.core.parse.adrs import (
    IN_FORCE,
    REPLACED,
    SUPERSEDED_BY,
    SUPERSEDES,
    folders_without_adrs,
)
from plandocs.core.parse.documents import ParsedDoc
from plandocs.core.parse.fields import FINISHED, PRIORITIES, STATUSES, phases_in
from plandocs.core.parse.trees import AsciiTree
from plandocs.core.settings import Settings

_COMPARED = ("owner", "priority", "status", "depends_on", "blocks")


@dataclass(frozen=True)
class Rollup:
    total: int
    by_status: tuple[tuple[str, int], ...]
    by_priority: tuple[tuple[str, int], ...]


@dataclass
class PlanningGraph:
    orders: dict[str, Order]
    adrs: dict[str, Adr]
    phases: dict[str, Phase]
    #: order id -> ids it depends on (declared on either side of the edge)
    _deps: dict[str, tuple[str, ...]]
    _dependents: dict[str, tuple[str, ...]]
    _supersedes: dict[str, tuple[str, ...]]
    _superseded_by: dict[str, tuple[str, ...]]
    #: every ADR file by number, clashes included, the one the ID resolves to first
    #: (``adrs`` holds that one)
    adr_files: dict[str, tuple[Adr, ...]] = field(default_factory=dict)
    #: each ADR file's relations as written, resolved to ADRs, by the file's path
    adr_links: dict[str, tuple[AdrLink, ...]] = field(default_factory=dict)
    #: site URI of every page that is some order's canonical page -> order id
    order_pages: dict[str, str] = field(default_factory=dict)
    #: site URI of a summary document -> ids of the orders it lists, in file order
    summary_pages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: site URI of a language variant -> order id
    variant_pages: dict[str, str] = field(default_factory=dict)
    #: summary records by (uri, order id), for the entry cards on summary pages
    summary_records: dict[tuple[str, str], OrderRecord] = field(default_factory=dict)
    cycles: tuple[tuple[str, ...], ...] = ()
    #: site URI of a page -> the ASCII dependency trees it draws
    trees: dict[str, tuple[AsciiTree, ...]] = field(default_factory=dict)
    #: archived orders that share their ID with a live one (Backlog.md gives an archived
    #: task's ID to the next task): kept, marked, and not what the ID names
    archived: tuple[Order, ...] = ()
    #: order id -> the orders whose parent it is (``parent_task_id``), sorted
    _children: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def depends_on(self, order_id: str) -> tuple[str, ...]:
        return self._deps.get(order_id, ())

    def dependents(self, order_id: str) -> tuple[str, ...]:
        """Orders that depend on this one (what it blocks)."""
        return self._dependents.get(order_id, ())

    def blocked_by(self, order_id: str) -> tuple[str, ...]:
        """Dependencies that are not finished yet."""
        return tuple(d for d in self.depends_on(order_id) if self.orders[d].status not in FINISHED)

    def children(self, order_id: str) -> tuple[str, ...]:
        """Orders that name this one as their parent (subtasks)."""
        return self._children.get(order_id, ())

    def transitive_dependencies(self, order_id: str) -> tuple[str, ...]:
        return tuple(sorted(_reachable(order_id, self._deps) - {order_id}))

    def orders_in_phase(self, phase_id: str) -> tuple[str, ...]:
        """Orders whose phases include this one, or one of its tracks/states."""
        if phase_id not in self.phases:
            raise KeyError(phase_id)
        return self._in_phase.get(phase_id, ())

    @cached_property  # every phase is asked for by several pages: the graph is sealed
    def _in_phase(self) -> dict[str, tuple[str, ...]]:
        """Phase ID -> the orders in it (``orders_in_phase``), in the graph's order."""
        out: dict[str, list[str]] = {}
        for order in self.orders.values():
            for phase_id in self.phases_counted(order):
                out.setdefault(phase_id, []).append(order.id)
        return {phase_id: tuple(ids) for phase_id, ids in out.items()}

    def phases_counted(self, order: Order) -> list[str]:
        """The phases ``order`` counts in, as ``orders_in_phase`` counts: its own phases and
        the phases their tracks and states belong to (an order of CP2-LC counts in CP2
        too), in the graph's order of phases. The table's phase filter, the phase pages
        and the overview all count this way, so their numbers agree."""
        own = {p for p in order.phases if p in self.phases}
        counted = own | {self.phases[p].base for p in own}
        if len(counted) < 2:  # most orders: one phase, and no scan of every phase
            return [p for p in counted if p in self.phases]
        return [p for p in self.phases if p in counted]

    @cached_property  # asked for by ADR cards and the writer's loop: the graph is sealed
    def citing(self) -> dict[str, list[str]]:
        """ADR ID -> the orders that cite it (``adrs``), in the graph's order."""
        out: dict[str, list[str]] = {}
        for order in self.orders.values():
            for adr_id in order.adrs:
                out.setdefault(adr_id, []).append(order.id)
        return out

    def owners(self) -> tuple[str, ...]:
        return tuple(sorted({o.owner for o in self.orders.values() if o.owner}))

    def owner_name(self, owner: str) -> str:
        """An owner as written (``gpt-5.5-xhigh``) by its ID, the slug of its page."""
        return self.owner_names.get(owner, owner)

    @cached_property  # asked for by every timeline and owner page: the graph is sealed
    def owner_names(self) -> dict[str, str]:
        """Each owner's name as its first order that writes one writes it, by ID."""
        out: dict[str, str] = {}
        for order in self.orders.values():
            if order.owner and order.owner_name:
                out.setdefault(order.owner, order.owner_name)
        return out

    def orders_of(self, owner: str) -> tuple[str, ...]:
        return tuple(o.id for o in self.orders.values() if o.owner == owner)

    def statuses(self) -> tuple[str, ...]:
        return tuple(status for status, _ in self.rollup(self.orders).by_status)

    def orders_with_status(self, status: str) -> tuple[str, ...]:
        return tuple(o.id for o in self.orders.values() if (o.status or "unknown") == status)

    def rollup(self, order_ids: Iterable[str]) -> Rollup:
        orders = [self.orders[i] for i in order_ids]
        by_status = Counter(o.status or "unknown" for o in orders)
        by_priority = Counter(o.priority or "unknown" for o in orders)
        return Rollup(
            total=len(orders),
            by_status=tuple((s, by_status[s]) for s in (*STATUSES, "unknown") if by_status[s]),
            by_priority=tuple(
                (p, by_priority[p]) for p in (*PRIORITIES, "unknown") if by_priority[p]
            ),
        )

    def supersedes(self, adr_id: str) -> tuple[str, ...]:
        return self._supersedes.get(adr_id, ())

    def superseded_by(self, adr_id: str) -> tuple[str, ...]:
        return self._superseded_by.get(adr_id, ())

    def supersession_chain(self, adr_id: str) -> tuple[str, ...]:
        """Oldest to newest, through this ADR (first predecessor/successor at each step)."""
        chain = [adr_id]
        while (older := self.supersedes(chain[0])) and older[0] not in chain:
            chain.insert(0, older[0])
        while (newer := self.superseded_by(chain[-1])) and newer[0] not in chain:
            chain.append(newer[0])
        return tuple(chain)


@dataclass
class _Merge:
    """The records of one order ID and which one is canonical."""

    canonical: OrderRecord
    others: list[OrderRecord]
    variants: list[OrderRecord]

    def pick(self, name: str) -> tuple[Any, OrderRecord]:
        """First record (canonical first) that declares the field, and its value."""
        for record in [self.canonical, *self.others]:
            value = getattr(record, name)
            if value not in (None, ()):
                return value, record
        return getattr(self.canonical, name), self.canonical


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(value) if value else "none"
    return str(value)


def seal(parsed: Sequence[ParsedDoc], settings: Settings) -> tuple[PlanningGraph, list[Diagnostic]]:
    """Merge, link and check the whole corpus. Pure: same input, same graph and findings."""
    found: list[Diagnostic] = []
    parsed = sorted(parsed, key=lambda p: p.doc.uri)
    titles = {p.doc.uri: p.title for p in parsed}
    resolved = _resolve_ids([r for p in parsed for r in p.orders], found)
    merges, shelved = _merge_groups(resolved, found)
    orders = {order_id: _merged_order(merge, titles) for order_id, merge in merges.items()}
    suggest_order = diag.Suggester(set(orders))
    deps, dependents = _edges(merges, suggest_order, found)
    milestones = {p.milestone[0]: p.milestone[1] for p in parsed if p.milestone}
    graph = PlanningGraph(
        orders=orders,  # by ID, as _merge_groups merged them
        phases=_seal_phases(orders, settings, milestones),
        _deps=deps,
        _dependents=dependents,
        archived=tuple(_merged_order(_Merge(r, [], []), titles) for r in shelved),
        _children=_children(merges, suggest_order, found),
        **_seal_adrs(parsed, found),
    )
    found.extend(_unknown_adrs(merges, graph.adrs))
    _index_pages(graph, resolved)
    graph.trees = {p.doc.uri: p.trees for p in parsed if p.trees}
    external = settings.external_ids_re
    found.extend(d for p in parsed for d in check_trees(p, graph, suggest_order, external))
    graph.cycles = find_cycles(graph.orders, graph.depends_on)
    found.extend(_cycle_finding(orders[cycle[0]], cycle) for cycle in graph.cycles)
    found.extend(_done_on_open(graph, merges))
    return graph, found


def _resolve_ids(records: list[OrderRecord], found: list[Diagnostic]) -> list[OrderRecord]:
    """Order files that name no ID take it from a summary's **File** line, if one names them."""
    by_file_ref: dict[str, str] = {}
    for record in records:
        if record.kind == "summary" and record.file_ref:
            by_file_ref.setdefault(posixpath.basename(record.file_ref), record.id)
    resolved: list[OrderRecord] = []
    for record in records:
        if record.id:
            resolved.append(record)
            continue
        name = base_name = posixpath.basename(record.uri)
        if record.lang:
            stem, ext = posixpath.splitext(name)
            base_name = stem[: -(len(record.lang) + 1)] + ext
        order_id = by_file_ref.get(name) or by_file_ref.get(base_name)
        if order_id is None:
            found.append(
                diag.make(
                    diag.MISSING_ID,
                    record.path,
                    1,
                    "order file declares no order ID; add 'id: ORDER-...' to its frontmatter "
                    "or a '**ORDER ID**: ORDER-...' line",
                )
            )
            continue
        resolved.append(dataclasses.replace(record, id=order_id))
    return resolved


def _merge_groups(
    resolved: list[OrderRecord], found: list[Diagnostic]
) -> tuple[dict[str, _Merge], list[OrderRecord]]:
    """The records of each ID merged, and the archived files that yield their ID to a live one."""
    groups: dict[str, list[OrderRecord]] = defaultdict(list)
    for record in resolved:
        groups[record.id].append(record)
    merges: dict[str, _Merge] = {}
    shelved: list[OrderRecord] = []
    for order_id in sorted(groups):
        group = sorted(
            groups[order_id],
            key=lambda r: (r.archived, r.kind != "file", r.lang is not None, r.path, r.line),
        )
        files = [r for r in group if r.kind == "file" and r.lang is None]
        live = [r for r in files if not r.archived]
        if live and len(live) < len(files):
            shelved.extend(files[len(live) :])
            found.extend(_shelved_finding(extra, live[0]) for extra in files[len(live) :])
            files = live
        variants = [r for r in group if r.kind == "file" and r.lang is not None]
        summaries = [r for r in group if r.kind == "summary"]
        found.extend(
            diag.make(
                diag.DUPLICATE_ID,
                extra.path,
                extra.line,
                f"{order_id} is already declared in {files[0].path}:{files[0].line}; "
                f"give this order a new ID or merge the two files",
            )
            for extra in files[1:]
        )
        # without a file, a language variant (else a summary entry) stands in for it
        canonical = files[0] if files else (variants or summaries).pop(0)
        found.extend(_variant_finding(variant, canonical) for variant in variants)
        for summary in summaries:
            found.extend(_conflicts(summary, canonical))
        merges[order_id] = _Merge(canonical=canonical, others=summaries, variants=variants)
    return merges, shelved


def _shelved_finding(extra: OrderRecord, live: OrderRecord) -> Diagnostic:
    return diag.make(
        diag.DUPLICATE_ID,
        extra.path,
        extra.line,
        f"{extra.id} is also the ID of the live {live.path}:{live.line}, which "
        f"the ID names; this archived one is kept and marked archived (the "
        f"tool that wrote them reused the ID); give one of them a new ID",
        level=diag.Level.INFO,
    )


def _variant_finding(variant: OrderRecord, canonical: OrderRecord) -> Diagnostic:
    return diag.make(
        diag.LANGUAGE_VARIANT,
        variant.path,
        variant.line,
        f"published as the {variant.lang.upper() if variant.lang else ''} variant of "
        f"{canonical.id} (canonical page: {canonical.path})",
    )


#: The fields an order shares with its records; those of the canonical record alone, and
#: those the first record that declares them gives.
_SHARED = tuple(
    f.name
    for f in dataclasses.fields(Order)
    if f.name in {g.name for g in dataclasses.fields(OrderRecord)}
)
_CANONICAL = frozenset({"id", "title", "path", "uri", "line", "anchor", "draft", "archived"})
_shared_of = attrgetter(*_SHARED)


def _merged_order(merge: _Merge, titles: dict[str, str]) -> Order:
    canonical = merge.canonical
    if merge.others:
        values = {
            name: getattr(canonical, name) if name in _CANONICAL else merge.pick(name)[0]
            for name in _SHARED
        }
    else:  # most orders: one record, whose fields are the order's (``pick`` gives them)
        values = dict(zip(_SHARED, _shared_of(canonical), strict=True))
    return Order(
        declared_depends_on=tuple(merge.pick("depends_on")[0] or ()),
        declared_blocks=tuple(merge.pick("blocks")[0] or ()),
        variants=tuple(Variant(lang=v.lang or "", path=v.path, uri=v.uri) for v in merge.variants),
        listings=tuple(
            Listing(path=r.path, uri=r.uri, anchor=r.anchor or "", line=r.line, title=titles[r.uri])
            for r in merge.others
            if canonical.kind == "file" or r.uri != canonical.uri
        ),
        **values,
    )


def _edges(
    merges: dict[str, _Merge], suggest: diag.Suggester, found: list[Diagnostic]
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Each order's dependencies and dependents: A depends on B, declared by A
    (depends_on) or by B (blocks)."""
    deps: dict[str, set[str]] = defaultdict(set)
    dependents: dict[str, set[str]] = defaultdict(set)
    for order_id, merge in merges.items():
        for name in ("depends_on", "blocks"):
            targets, record = merge.pick(name)
            for target in targets or ():
                if target not in merges:
                    found.append(_unknown_order(record, name, order_id, target, suggest))
                    continue
                source, dep = (order_id, target) if name == "depends_on" else (target, order_id)
                deps[source].add(dep)
                dependents[dep].add(source)
    return _tuples(deps), _tuples(dependents)


def _tuples(lists: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    return {k: tuple(sorted(v)) for k, v in sorted(lists.items())}


def _children(
    merges: dict[str, _Merge], suggest: diag.Suggester, found: list[Diagnostic]
) -> dict[str, tuple[str, ...]]:
    children: dict[str, list[str]] = defaultdict(list)
    for order_id, merge in merges.items():
        parent, record = merge.pick("parent")
        if parent is None:
            continue
        if parent in merges:
            children[parent].append(order_id)
        else:
            found.append(_unknown_order(record, "parent", order_id, parent, suggest))
    return _tuples(children)


def _unknown_adrs(merges: dict[str, _Merge], adrs: dict[str, Adr]) -> Iterator[Diagnostic]:
    suggest = diag.Suggester(adrs)
    for order_id, merge in merges.items():
        adr_refs, record = merge.pick("adrs")
        for ref in adr_refs or ():
            if ref not in adrs:
                yield diag.make(
                    diag.UNKNOWN_REF,
                    record.path,
                    record.line_of("adrs"),
                    f"{order_id} lists {ref} in 'adrs', but no ADR file has that number"
                    f"{suggest.hint(ref)}",
                )


def _index_pages(graph: PlanningGraph, resolved: list[OrderRecord]) -> None:
    """Which page is whose: canonical pages, summaries and language variants."""
    orders = graph.orders.values()
    graph.order_pages = {o.uri: o.id for o in orders if o.anchor is None}
    summary_pages: dict[str, list[str]] = defaultdict(list)
    for record in resolved:
        if record.kind == "summary":
            summary_pages[record.uri].append(record.id)
            graph.summary_records.setdefault((record.uri, record.id), record)
    graph.summary_pages = {k: tuple(v) for k, v in sorted(summary_pages.items())}
    graph.variant_pages = {v.uri: o.id for o in orders for v in o.variants}


def _cycle_finding(first: Order, cycle: tuple[str, ...]) -> Diagnostic:
    return diag.make(
        diag.CYCLE,
        first.path,
        first.line,
        f"dependency cycle: {' -> '.join((*cycle, cycle[0]))}; remove one of these dependencies",
    )


def _done_on_open(graph: PlanningGraph, merges: dict[str, _Merge]) -> Iterator[Diagnostic]:
    for order in graph.orders.values():
        if order.status != "done":
            continue
        for dep in graph.blocked_by(order.id):
            record = merges[order.id].pick("status")[1]
            yield diag.make(
                diag.DONE_DEPENDS_ON_OPEN,
                record.path,
                record.line_of("status"),
                f"{order.id} is done but depends on {dep}, which is "
                f"{graph.orders[dep].status or 'without status'}; "
                f"reopen {order.id} or finish {dep}",
            )


def check_trees(
    parsed: ParsedDoc,
    graph: PlanningGraph,
    suggest: diag.Suggester,
    external: re.Pattern[str] | None = None,
) -> list[Diagnostic]:
    """Each edge a file's ASCII trees draw that the orders do not declare, each declared
    dependency between two orders of one tree that it leaves out, and each order it names
    that does not exist (unless ``external`` says it is another system's ID)."""
    found = []
    path = parsed.doc.path

    def report(line: int, message: str, code: diag.Code = diag.TREE_MISMATCH) -> None:
        found.append(diag.make(code, path, line, message))

    for tree in parsed.trees:
        for order_id, line in tree.nodes:
            if order_id not in graph.orders and not (external and external.fullmatch(order_id)):
                report(
                    line,
                    f"the dependency tree names {order_id}, which is not a known order"
                    f"{suggest.hint(order_id)}",
                    diag.UNKNOWN_REF,
                )
        drawn = defaultdict(set)
        for edge in tree.edges:
            drawn[edge.target].add(edge.source)
            source, target = edge.source, edge.target
            if not {source, target} <= graph.orders.keys() or source in graph.depends_on(target):
                continue
            if target in graph.depends_on(source):
                report(
                    edge.line,
                    f"the dependency tree draws {source} → {target}, but it is {source} that "
                    f"depends on {target}; turn the arrow around",
                )
                continue
            declared = ", ".join(graph.depends_on(target)) or "nothing"
            report(
                edge.line,
                f"the dependency tree draws {source} → {target}, but {target} does not depend "
                f"on {source} (it depends on {declared}); add {source} to its Dependencies "
                "or fix the tree",
            )
        lines = dict(tree.nodes)
        for target in tree.ids:
            for source in graph.depends_on(target):
                if source not in lines or target in drawn.get(source, ()):
                    continue  # not in this tree, or drawn reversed (reported above)
                # drawn through other orders counts: the tree leads from source down to target
                if source not in _reachable(target, drawn):
                    report(
                        lines[target],
                        f"the dependency tree leaves out {source} → {target}, which "
                        f"{target} declares; draw it, or remove the dependency",
                    )
    return found


def _reachable(start: str, steps: Mapping[str, Iterable[str]]) -> set[str]:
    """``start`` and every node ``steps`` lead to from it (depth first, no recursion)."""
    seen: set[str] = set()
    stack = [start]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(steps.get(current, ()))
    return seen


def _unknown_order(
    record: OrderRecord, name: str, order_id: str, target: str, suggest: diag.Suggester
) -> Diagnostic:
    relation = {"depends_on": "depends on", "parent": "is part of"}.get(name, "blocks")
    return diag.make(
        diag.UNKNOWN_REF,
        record.path,
        record.line_of(name, target),
        f"{order_id} {relation} {target}, which is not a known order"
        f"{suggest.hint(target, exclude=[order_id])}",
    )


def _conflicts(summary: OrderRecord, canonical: OrderRecord) -> Iterator[Diagnostic]:
    for name in _COMPARED:
        mine, theirs = getattr(summary, name), getattr(canonical, name)
        if mine is None or theirs is None:
            continue
        if set(mine) == set(theirs) if isinstance(mine, tuple) else mine == theirs:
            continue  # lists of orders in any order
        yield diag.make(
            diag.SUMMARY_CONFLICT,
            summary.path,
            summary.line_of(name),
            f"{summary.id}: this summary says {name.replace('_', ' ')} {_show(mine)} but "
            f"{canonical.path}:{canonical.line_of(name)} says {_show(theirs)}; make them agree",
        )


@dataclass(frozen=True)
class AdrLink:
    """A relation an ADR file writes, resolved: the ADR it names (``None`` when it names
    none that exists, which is reported) and, for a link, the file it goes to."""

    kind: str
    target: str | None
    file: str | None


def _adr_rank(adr: Adr) -> tuple[bool, bool, str]:
    """Which file of a shared number a bare mention means: a decision in force before a
    draft or proposal, then the file whose own heading carries the number, then by path."""
    return (adr.status not in IN_FORCE, adr.heading_number != adr.number, adr.path)


def _seal_adr_numbers(
    parsed: Sequence[ParsedDoc], found: list[Diagnostic]
) -> tuple[dict[str, Adr], dict[str, tuple[Adr, ...]]]:
    """The ADR each ID resolves to, and every file of each ID (that one first)."""
    by_id: dict[str, list[Adr]] = defaultdict(list)
    for item in parsed:
        if item.adr is not None:
            by_id[item.adr.id].append(item.adr)
    files = {adr_id: tuple(sorted(by_id[adr_id], key=_adr_rank)) for adr_id in sorted(by_id)}
    for adr_id, group in files.items():
        if len(group) > 1:
            winner, others = group[0], group[1:]
            listed = ", ".join(f"{o.path} ({o.status or 'no status'})" for o in others)
            found.append(
                diag.make(
                    diag.DUPLICATE_ADR_NUMBER,
                    others[0].path,
                    others[0].line,
                    f"{adr_id} is the number of {len(group)} files: references to {adr_id} go "
                    f"to {winner.path} ({winner.status or 'no status'}); also {listed}; "
                    f"renumber all but one (links to a file by its name still go to that file)",
                )
            )
    return {adr_id: group[0] for adr_id, group in files.items()}, files


def _resolve_adr_links(
    adr: Adr,
    adrs: dict[str, Adr],
    by_uri: dict[str, Adr],
    site: set[str],
    found: list[Diagnostic],
    *,
    by_uid: dict[str, Adr],
) -> tuple[AdrLink, ...]:
    """Each relation of one ADR file to the ADR it names; one finding for each that names
    none (a missing ID, or a link to a file that is not there)."""
    suggest = diag.Suggester(adrs)
    out: list[AdrLink] = []

    def report(line: int, message: str) -> None:
        found.append(diag.make(diag.UNKNOWN_REF, adr.path, line, message))

    for relation in adr.relations:
        target, file = relation.target, None
        if relation.file is not None:
            linked = by_uri.get(relation.file)
            if linked is None:
                if relation.file not in site:
                    report(
                        relation.line,
                        f"{adr.id} says '{relation.kind} {relation.text}', but links to "
                        f"{relation.file}, which is not in the site; fix the link",
                    )
                    out.append(AdrLink(relation.kind, None, relation.file))
                continue  # else a link to a page that is no ADR ("Relates to [RFC](../rfc.md)")
            target, file = linked.id, linked.path
        elif target in by_uid:  # a UUID (PyPI adr's) names the file whose id it is
            target, file = by_uid[target].id, by_uid[target].path
        if target is None or target == adr.id:
            continue
        if target not in adrs:
            where = f"in '{relation.field}'" if relation.field else f"as '{relation.kind}'"
            report(
                relation.line,
                f"{adr.id} lists {target} {where}, but no ADR file has that "
                f"{'number' if target.startswith('ADR-') else 'id'}"
                f"{suggest.hint(target, exclude=[adr.id])}",
            )
            out.append(AdrLink(relation.kind, None, None))
            continue
        link = AdrLink(relation.kind, target, file)
        if link not in out:
            out.append(link)
    return tuple(out)


def _seal_adrs(parsed: Sequence[ParsedDoc], found: list[Diagnostic]) -> dict[str, Any]:
    """The graph's ADR fields: the ADR of each ID, every file of each ID, what each
    supersedes and is superseded by, and each file's relations resolved."""
    adrs, files = _seal_adr_numbers(parsed, found)
    every = [adr for group in files.values() for adr in group]
    by_uri = {adr.uri: adr for adr in every}
    site = {item.doc.uri for item in parsed}
    by_uid = {adr.uid: adr for adr in every if adr.uid}
    links = {
        adr.path: _resolve_adr_links(adr, adrs, by_uri, site, found, by_uid=by_uid) for adr in every
    }
    found.extend(
        folders_without_adrs(
            ((item.doc.path, item.adr is not None) for item in parsed),
            unnumbered=[item.doc.path for item in parsed if item.unnumbered_adr],
        )
    )

    supersedes, superseded_by = _supersession(adrs, links)
    found.extend(_supersession_findings(adrs, every, links, supersedes, superseded_by))
    return {
        "adrs": adrs,
        "adr_files": files,
        "_supersedes": supersedes,
        "_superseded_by": superseded_by,
        "adr_links": links,
    }


def _supersession(
    adrs: dict[str, Adr], links: dict[str, tuple[AdrLink, ...]]
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """What each ADR supersedes and is superseded by. Supersession is symmetric: either side
    may declare it. Only the file an ID resolves to speaks for that ID (a draft that shares
    the number does not)."""
    supersedes: dict[str, set[str]] = defaultdict(set)
    superseded_by: dict[str, set[str]] = defaultdict(set)
    for adr in adrs.values():
        for link in links[adr.path]:
            if link.target is None or (link.file and link.file != adrs[link.target].path):
                continue  # a link to a file that shares its number speaks of that file only
            if link.kind in (SUPERSEDES, SUPERSEDED_BY):
                pair = (adr.id, link.target) if link.kind == SUPERSEDES else (link.target, adr.id)
                newer, older = pair
                supersedes[newer].add(older)
                superseded_by[older].add(newer)
    return _tuples(supersedes), _tuples(superseded_by)


def _supersession_findings(
    adrs: dict[str, Adr],
    every: list[Adr],
    links: dict[str, tuple[AdrLink, ...]],
    supersedes: dict[str, tuple[str, ...]],
    superseded_by: dict[str, tuple[str, ...]],
) -> Iterator[Diagnostic]:
    cycles = find_cycles(adrs, lambda a: supersedes.get(a, ()))
    for cycle in cycles:
        first = adrs[cycle[0]]
        line = next(
            (r.line for r in first.relations if r.kind in (SUPERSEDES, SUPERSEDED_BY)), first.line
        )
        yield diag.make(
            diag.SUPERSESSION_CYCLE,
            first.path,
            line,
            f"ADRs supersede each other in a circle: {' -> '.join((*cycle, cycle[0]))}; "
            "one of them must be the newest",
        )
    in_cycles = {adr_id for cycle in cycles for adr_id in cycle}  # the cycle is their one finding
    for adr in every:
        # Only what the ADR says of itself: a successor that supersedes part of it (and says
        # so only on its own page) leaves the older one standing.
        accepted_successors = [
            link.target
            for link in links[adr.path]
            if link.kind == SUPERSEDED_BY and link.target and adrs[link.target].status in IN_FORCE
        ]
        if accepted_successors and adr.status not in REPLACED and adr.id not in in_cycles:
            yield diag.make(
                diag.SUPERSESSION_MISMATCH,
                adr.path,
                adr.line_of("status"),
                f"{adr.id} is superseded by {accepted_successors[0]}, which is accepted, "
                f"but its own status is {adr.status or 'not given'}; set 'status: superseded'",
            )
        named = any(r.kind == SUPERSEDED_BY for r in adr.relations)  # reported if unknown
        claimed = adrs.get(adr.id) is adr and superseded_by.get(adr.id)
        if adr.status == "superseded" and not named and not claimed:
            yield diag.make(
                diag.SUPERSEDED_WITHOUT_SUCCESSOR,
                adr.path,
                adr.line_of("status"),
                f"{adr.id} is superseded but names no successor; add a line "
                f"'Superseded by [title](file.md)' or 'superseded_by: ADR-...'",
            )


def _seal_phases(
    orders: dict[str, Order], settings: Settings, milestones: dict[str, str]
) -> dict[str, Phase]:
    """Every phase orders name, with its title: ``phase_titles``, then the title of the
    milestone file of that ID (``milestones``), then a default."""
    ids: set[str] = set(settings.phase_titles)
    for order in orders.values():
        ids.update(order.phases)
        for note in (*order.depends_note, *order.blocks_note):
            ids.update(phases_in(note, settings))
    # another tool's milestone ("m-0", "v1.0") is a phase of its own, whole
    whole = {p for p in ids if not settings.phase_re.fullmatch(p)}
    ids.update(phase_id.split("-", 1)[0] for phase_id in ids - whole)
    phases = {}
    for phase_id in sorted(ids, key=_phase_key):
        base, _, suffix = phase_id.partition("-")
        kind: PhaseKind = "phase"
        if phase_id in whole:
            base, default = phase_id, milestones.get(phase_id, f"Milestone {phase_id}")
        elif not suffix:
            default = f"Checkpoint {phase_id}"
        else:
            kind = "state" if suffix in settings.phase_states else "track"
            default = f"{base} {kind} {suffix}"
        title = settings.phase_titles.get(phase_id, default)
        phases[phase_id] = Phase(id=phase_id, base=base, kind=kind, title=title)
    return phases


def _phase_key(phase_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in phase_id.split("-", 1)[0] if ch.isdigit())
    return (int(digits) if digits else 0, phase_id)


def find_cycles(
    nodes: Iterable[str], successors: Callable[[str], tuple[str, ...]]
) -> tuple[tuple[str, ...], ...]:
    """Each strongly connected component of more than one node, as a loop from its least ID."""
    return tuple(sorted(_shortest_loop(c, successors) for c in _components(nodes, successors)))


def _components(
    nodes: Iterable[str], successors: Callable[[str], tuple[str, ...]]
) -> list[list[str]]:
    """Tarjan's algorithm without recursion, so a long chain cannot overflow the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    position: dict[str, int] = {}  # of a node on the stack
    work: list[tuple[str, Iterator[str]]] = []
    components: list[list[str]] = []

    def enter(node: str) -> None:
        index[node] = low[node] = len(index)
        position[node] = len(stack)
        stack.append(node)
        work.append((node, iter(successors(node))))

    for root in nodes:
        if root not in index:
            enter(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    enter(child)
                    break
                if child in position:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = stack[position[node] :]
                    del stack[position[node] :]
                    for member in component:
                        del position[member]
                    if len(component) > 1:
                        components.append(component)
    return components


def _shortest_loop(
    component: list[str], successors: Callable[[str], tuple[str, ...]]
) -> tuple[str, ...]:
    """The shortest way round from the least ID back to it, preferring smaller IDs."""
    members = set(component)
    start = min(component)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier and start not in previous:
        following = []
        for node in frontier:
            for dep in successors(node):
                if dep in members and dep not in previous:
                    previous[dep] = node
                    following.append(dep)
        frontier = following
    path = [start]
    current = previous[start]
    while current != start:
        path.insert(1, current)
        current = previous[current]
    return tuple(path)
