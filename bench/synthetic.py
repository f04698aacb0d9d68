"""Synthetic planning repositories for the build benchmark: the same content as a MkDocs
site (with and without plandocs) and as a sphinx-needs project.

    .venv/bin/python bench/synthetic.py DEST N [--seed S]

``generate(dest, n)`` writes, for ``n`` orders, a repository that looks like a real one:

- ``docs/orders/ORDER_*.md``: order files. Most have YAML frontmatter, with the key
  spellings teams use (``id``/``order_id``, ``to``/``owner``, ``depends_on``/
  ``dependencies``, ``blocks``, ``timeline``); some have none and give their fields as
  ``**Owner**:`` lines under a ``**ORDER ID**:`` line. Their bodies are prose that mentions
  other orders and ADRs, lists and a table. A few files are mojibake (UTF-8 read as cp1252).
- ``docs/orders/CPn_ORDERS_SUMMARY.md``: one summary per phase, with a ``#### ORDER-...``
  section for each order that has no file of its own, and a table of the phase's orders.
- ``docs/adr/ADR-nnn-*.md``: ADRs, some superseding older ones, and an ADR index page.
- ``docs/*.md``: a home page, a roadmap, a status report and a risk register that mention
  orders in prose and tables.

Dependencies always point at an order generated earlier, so the graph is acyclic, as a
repository whose CI runs ``mkdocs build --strict`` is. Orders are spread over 6 phases and 8
owners; an order that is done depends only on done orders. Everything comes from one seeded
``random.Random``: the same ``n`` and seed give the same bytes.

Three MkDocs configurations are written, identical except for the plugin:

- ``mkdocs.yml`` with plandocs (``orders_dir: ''``: the orders live in ``docs/orders/``,
  so the plain build publishes the same pages);
- ``mkdocs-plain.yml``: the SAME file with the plandocs plugin block removed. Same pages,
  same ``nav``, same ``not_in_nav``. This is the baseline;

Both keep order and ADR pages out of the sidebar (``not_in_nav``) and list a short explicit
``nav``, as this repository's own ``mkdocs.yml`` does: with every order in the sidebar,
each page would render thousands of links, and even the plain build becomes quadratic.

``write_sphinx_project(dest, n)`` writes the same orders as a sphinx-needs project: one
``.. req::`` per order with ``:links:`` for its dependencies, a ``.. needflow::`` of its
neighbourhood (two steps each way, like plandocs' order diagrams) on each order page, and
one ``.. needtable::`` of all orders.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

OWNERS = 8
PHASES = 6
PHASE_TITLES = {
    "CP1": "Router core",
    "CP2": "Messaging core",
    "CP3": "Ingress and orchestration",
    "CP4": "Integration and traffic switch",
    "CP5": "Observability and operations",
    "CP6": "Hardening and release",
}
OWNER_LABELS = (
    "Product",
    "Architecture",
    "Router Core",
    "Gateway Lead",
    "Messaging",
    "Storage",
    "Frontend",
    "CI/Infrastructure",
)
PRIORITIES = ("critical", "high", "medium", "low")
OPEN_STATUSES = ("planned", "pending", "in_progress", "blocked", "review")
TIMELINES = ("4 hours", "1 day", "2 days", "3 days", "1 week", "1-2 weeks", "3-4 weeks")
# How priorities are written in summaries, as in the seed summaries
PRIORITY_MARKS = {"critical": "🔴", "high": "🟠", "medium": "🟡", "low": "🟢"}

VERBS = (
    "Add", "Implement", "Migrate", "Refactor", "Document", "Validate", "Harden", "Remove",
    "Benchmark", "Split", "Automate", "Monitor",
)  # fmt: skip
THINGS = (
    "rate limiting", "policy store", "JetStream consumers", "tenant isolation",
    "idempotency keys", "tracing", "gateway skeleton", "schema registry", "retry budget",
    "health checks", "release pipeline", "feature flags", "audit log", "backpressure",
    "config loader", "admin API",
)  # fmt: skip
PLACES = (
    "in the Router", "at the HTTP gateway", "for the NATS bridge", "in CI", "for staging",
    "in the worker pool", "for the UI", "in the storage layer",
)  # fmt: skip


@dataclass
class Order:
    id: str
    title: str
    owner: int  # 1..OWNERS
    phase: int  # 1..PHASES
    priority: str
    status: str
    timeline: str
    depends_on: list[str]
    adrs: list[str]
    shape: str  # "frontmatter", "bold" (fields as **Owner**: lines) or "summary"
    mentions: list[str] = field(default_factory=list)
    # dependencies this order does not list itself: the other order says "blocks: [this]"
    declared_by_blocker: set[str] = field(default_factory=set)
    mojibake: bool = False

    @property
    def phase_id(self) -> str:
        return f"CP{self.phase}"

    @property
    def owner_id(self) -> str:
        return f"wrk-{self.owner}"

    @property
    def file_name(self) -> str:
        words = "_".join(w.upper() for w in self.title.split()[1:3] if w.isalnum())
        return f"{self.id.replace('-', '_')}_{words}.md"


@dataclass
class AdrRecord:
    number: int
    title: str
    status: str
    date: str
    supersedes: int | None = None

    @property
    def id(self) -> str:
        return f"ADR-{self.number:03d}"

    @property
    def file_name(self) -> str:
        slug = "-".join(self.title.lower().replace("/", " ").split()[:5])
        return f"{self.id}-{slug}.md"


@dataclass
class Repository:
    orders: list[Order]
    adrs: list[AdrRecord]

    def blocks(self, order_id: str) -> list[str]:
        """The orders whose dependency on ``order_id`` is declared on ``order_id``'s side."""
        return [o.id for o in self.orders if order_id in o.declared_by_blocker]


def plan(n: int, seed: int = 1) -> Repository:
    """The repository's content as data: orders, their dependencies and ADRs."""
    rng = random.Random(seed)
    adrs = _plan_adrs(rng, max(5, n // 40))
    accepted = [a.id for a in adrs if a.status == "accepted"]
    orders: list[Order] = []
    done: set[str] = set()
    counters: dict[tuple[int, int], int] = {}
    for index in range(n):
        # phases in order, as a team plans them: CP1's orders first
        phase = 1 + index * PHASES // n
        owner = rng.randint(1, OWNERS)
        counters[owner, phase] = counters.get((owner, phase), 0) + 1
        order_id = f"ORDER-WRK-{owner}-CP{phase}-{counters[owner, phase]:03d}"
        # a dependency is an order written a little earlier, now and then one of long ago
        earlier = [o.id for o in orders[-60:]]
        count = min(len(earlier), rng.choice((0, 1, 1, 1, 2, 2, 3)))
        depends_on = sorted(rng.sample(earlier, count))
        if orders and rng.random() < 0.1:
            old = rng.choice(orders).id
            if old not in depends_on:
                depends_on.append(old)
        share_done = max(0.0, 0.8 - 0.2 * (phase - 1))
        if all(d in done for d in depends_on) and rng.random() < share_done:
            status = "done"
            done.add(order_id)
        else:
            status = rng.choice(OPEN_STATUSES)
        shape = rng.choices(("frontmatter", "bold", "summary"), weights=(70, 15, 15))[0]
        orders.append(
            Order(
                id=order_id,
                title=f"{rng.choice(VERBS)} {rng.choice(THINGS)} {rng.choice(PLACES)}",
                owner=owner,
                phase=phase,
                priority=rng.choices(PRIORITIES, weights=(1, 3, 5, 2))[0],
                status=status,
                timeline=rng.choice(TIMELINES),
                depends_on=depends_on,
                adrs=sorted(rng.sample(accepted, rng.choice((0, 0, 1, 2)))),
                shape=shape,
            )
        )
    ids = [o.id for o in orders]
    by_id = {o.id: o for o in orders}
    for order in orders:
        order.mentions = sorted(rng.sample(ids, min(3, len(ids))))
        # one dependency in eight is declared by the blocker (``blocks:``) instead
        for dep in order.depends_on:
            if by_id[dep].shape != "summary" and rng.random() < 0.125:
                order.declared_by_blocker.add(dep)
    files = [o for o in orders if o.shape != "summary"]
    for order in rng.sample(files, max(2, n // 100)):
        order.mojibake = True
    return Repository(orders, adrs)


def _plan_adrs(rng: random.Random, count: int) -> list[AdrRecord]:
    adrs: list[AdrRecord] = []
    for number in range(1, count + 1):
        title = f"{rng.choice(THINGS).capitalize()} {rng.choice(PLACES)}"
        date = f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}"
        adr = AdrRecord(number, title, rng.choice(("accepted", "accepted", "proposed")), date)
        candidates = [a for a in adrs if a.status == "accepted"]
        if candidates and rng.random() < 0.15:
            old = rng.choice(candidates)
            old.status = "superseded"
            adr.supersedes = old.number
            adr.status = "accepted"
        adrs.append(adr)
    return adrs


# --- MkDocs repository -----------------------------------------------------------------


def generate(dest: Path, n: int, seed: int = 1) -> Repository:
    """Write the repository for ``n`` orders into ``dest`` (emptied first)."""
    repo = plan(n, seed)
    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    (docs / "orders").mkdir(parents=True)
    (docs / "adr").mkdir()
    for order in repo.orders:
        if order.shape == "summary":
            continue
        text = _order_file(order, repo)
        if order.mojibake:
            text = _mojibake(text)
        (docs / "orders" / order.file_name).write_text(text, encoding="utf-8")
    for phase in range(1, PHASES + 1):
        text = _summary(repo, phase)
        (docs / "orders" / f"CP{phase}_ORDERS_SUMMARY.md").write_text(text, encoding="utf-8")
    for adr in repo.adrs:
        (docs / "adr" / adr.file_name).write_text(_adr_file(adr, repo), encoding="utf-8")
    (docs / "adr" / "index.md").write_text(_adr_index(repo), encoding="utf-8")
    for name, text in _prose_pages(repo, random.Random(seed + 1)).items():
        (docs / name).write_text(text, encoding="utf-8")
    config = _mkdocs_yml(with_plugin=True)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    (dest / "mkdocs-plain.yml").write_text(_mkdocs_yml(with_plugin=False), encoding="utf-8")
    return repo


PLUGIN_BLOCK = "  - plandocs:\n      orders_dir: ''\n      phase_titles:\n" + "".join(
    f"        {k}: {v}\n" for k, v in PHASE_TITLES.items()
)


def _mkdocs_yml(*, with_plugin: bool) -> str:
    summaries = "".join(
        f"      - CP{p} orders: orders/CP{p}_ORDERS_SUMMARY.md\n" for p in range(1, PHASES + 1)
    )
    return (
        "site_name: Synthetic planning\n"
        "docs_dir: docs\n"
        "theme:\n"
        "  name: material\n"
        "  features:\n"
        "    - navigation.sections\n"
        "# Order and ADR pages are reached from the planning and index pages, not the sidebar.\n"
        "not_in_nav: |\n"
        "  /orders/ORDER_*\n"
        "  /adr/ADR-*\n"
        "nav:\n"
        "  - Home: index.md\n"
        "  - Roadmap: roadmap.md\n"
        "  - Status report: status-report.md\n"
        "  - Risks: risks.md\n"
        "  - Summaries:\n" + summaries + "  - Decisions: adr/index.md\n"
        "plugins:\n"
        "  - search\n" + (PLUGIN_BLOCK if with_plugin else "") + "markdown_extensions:\n"
        "  - tables\n"
        "  - toc:\n"
        "      permalink: true\n"
        "  - admonition\n"
        "  - pymdownx.superfences\n"
    )


def _body(order: Order, repo: Repository) -> str:
    others = ", ".join(m for m in order.mentions if m != order.id)
    adr_text = f" The approach follows {' and '.join(order.adrs)}." if order.adrs else ""
    return (
        "## Context\n\n"
        f"This work is part of {order.phase_id}. It was discussed together with {others}, "
        f"which touch the same components.{adr_text} The owner reports progress in the "
        "weekly review — blockers first.\n\n"
        "**Deliverables**:\n"
        f"- {order.title} — code and unit tests\n"
        "- Configuration and documentation updates\n"
        "- A short note in the release log\n\n"
        "**Acceptance criteria**:\n"
        "- ✅ Tests pass in CI\n"
        "- ✅ Reviewed by the owner of each dependency\n\n"
        "| Step | Who | Estimate |\n"
        "|---|---|---|\n"
        f"| Design | {order.owner_id} | 1 day |\n"
        f"| Build | {order.owner_id} | {order.timeline} |\n"
        "| Review | wrk-2 | 2 hours |\n"
    )


def _order_file(order: Order, repo: Repository) -> str:
    depends = [d for d in order.depends_on if d not in order.declared_by_blocker]
    blocks = repo.blocks(order.id)
    heading = f"# {order.id}: {order.title}\n\n"
    if order.shape == "bold":
        fields = [
            f"**ORDER ID**: {order.id}",
            f"**Owner**: {order.owner_id} ({OWNER_LABELS[order.owner - 1]})",
            f"**Priority**: {PRIORITY_MARKS[order.priority]} **{order.priority.upper()}**",
            f"**Status**: {order.status.replace('_', ' ').capitalize()}",
            f"**Dependencies**: {', '.join(depends) or 'None'}",
            f"**Blocks**: {', '.join(blocks) or 'None'}",
            f"**Timeline**: {order.timeline}",
            f"**Phase**: {order.phase_id}",
        ]
        return heading + "".join(f"{line}  \n" for line in fields) + "\n" + _body(order, repo)
    # the key spellings vary from file to file, as they do between teams
    odd = int(order.id.rsplit("-", 1)[1]) % 2
    lines = [
        f"{'id' if odd else 'order_id'}: {order.id}",
        f"title: {order.title}",
        f"{'to' if odd else 'owner'}: {order.owner_id}",
        "from: wrk-1",
        f"priority: {order.priority}",
        f"status: {order.status}",
        f"phase: {order.phase_id}",
    ]
    if depends:
        lines.append(f"{'depends_on' if odd else 'dependencies'}:")
        lines.extend(f"  - {d}" for d in depends)
    if blocks:
        lines.append("blocks:")
        lines.extend(f"  - {b}" for b in blocks)
    lines.append(f'timeline: "{order.timeline}"')
    if order.adrs:
        lines.append(f"adrs: [{', '.join(order.adrs)}]")
    return "---\n" + "\n".join(lines) + "\n---\n\n" + heading + _body(order, repo)


def _mojibake(text: str) -> str:
    """The file as it looks after a tool read its UTF-8 bytes as Windows-1252."""
    return text.encode("utf-8").decode("cp1252")


def _summary(repo: Repository, phase: int) -> str:
    phase_orders = [o for o in repo.orders if o.phase == phase]
    out = [
        f"# CP{phase} ORDERS Summary - Execution Plan\n\n",
        "## Executive Summary\n\n",
        f"This document lists the orders of CP{phase} ({PHASE_TITLES[f'CP{phase}']}). "
        "Orders with a file of their own are described there; the others are below.\n\n",
        "## ORDERS Overview\n\n",
    ]
    for order in phase_orders:
        if order.shape != "summary":
            continue
        out.append(
            f"#### {order.id}: {order.title}\n\n"
            f"**Owner**: {order.owner_id} ({OWNER_LABELS[order.owner - 1]})  \n"
            f"**Priority**: {PRIORITY_MARKS[order.priority]} **{order.priority.upper()}**  \n"
            f"**Timeline**: {order.timeline}  \n"
            f"**Status**: {order.status.replace('_', ' ').capitalize()}  \n"
            f"**Dependencies**: {', '.join(order.depends_on) or 'None'}  \n\n"
            f"**Task**: {order.title}, as discussed with {order.mentions[0]}.\n\n"
            "**Acceptance**:\n"
            "- ✅ Tests pass in CI\n\n"
            "---\n\n"
        )
    out.append("## Execution Timeline\n\n| ORDER ID | Owner | Status |\n|---|---|---|\n")
    out.extend(f"| {o.id} | {o.owner_id} | {o.status} |\n" for o in phase_orders)
    return "".join(out)


def _adr_file(adr: AdrRecord, repo: Repository) -> str:
    by_number = {a.number: a for a in repo.adrs}
    front = [f'title: "{adr.title}"', f"status: {adr.status}", f"date: {adr.date}"]
    status_text = adr.status.capitalize() + "."
    if adr.supersedes:
        old = by_number[adr.supersedes]
        front.append(f'supersedes: ["{old.id}: {old.title}"]')
        status_text += f" Supersedes {old.id}."
    return (
        "---\n" + "\n".join(front) + "\n---\n\n"
        f"# {adr.id}: {adr.title}\n\n"
        f"## Status\n\n{status_text}\n\n"
        "## Context\n\nThe team needs one way of doing this across services.\n\n"
        "## Decision\n\nWe do it the simple way, and write down why.\n\n"
        "## Consequences\n\n- Fewer surprises in review.\n- One more thing to learn.\n"
    )


def _adr_index(repo: Repository) -> str:
    rows = "".join(f"| {a.id} | {a.title} | {a.status} |\n" for a in repo.adrs)
    return "# Decisions\n\n| ADR | Title | Status |\n|---|---|---|\n" + rows


def _prose_pages(repo: Repository, rng: random.Random) -> dict[str, str]:
    ids = [o.id for o in repo.orders]
    critical = [o for o in repo.orders if o.priority == "critical" and o.status != "done"]
    blocked = [o for o in repo.orders if o.status == "blocked"]
    phases = "".join(
        f"| CP{p} | {PHASE_TITLES[f'CP{p}']} | {sum(o.phase == p for o in repo.orders)} |\n"
        for p in range(1, PHASES + 1)
    )
    roadmap = ["# Roadmap\n\n"]
    for p in range(1, PHASES + 1):
        first = [o for o in repo.orders if o.phase == p][:20]
        roadmap.append(f"## CP{p}: {PHASE_TITLES[f'CP{p}']}\n\n")
        roadmap.append(f"CP{p} starts with {first[0].id} and ends when its orders are done.\n\n")
        roadmap.append("| Order | Title | Owner | Status |\n|---|---|---|---|\n")
        roadmap.extend(f"| {o.id} | {o.title} | {o.owner_id} | {o.status} |\n" for o in first)
        roadmap.append("\n")
    status = ["# Status report\n\n"]
    for week in range(1, 11):
        picked = rng.sample(ids, min(4, len(ids)))
        status.append(
            f"## Week {week}\n\n"
            f"This week {picked[0]} and {picked[1]} moved forward; {picked[2]} waits for "
            f"review. {picked[3]} was re-planned after a talk with its owner.\n\n"
        )
    status.append("## Blocked\n\n| Order | Owner | Waiting for |\n|---|---|---|\n")
    status.extend(
        f"| {o.id} | {o.owner_id} | {', '.join(o.depends_on) or 'a decision'} |\n"
        for o in blocked[:100]
    )
    risks = "# Risks\n\n| Order | Risk | Owner |\n|---|---|---|\n" + "".join(
        f"| {o.id} | {o.title} may slip | {o.owner_id} |\n" for o in critical[:100]
    )
    index = (
        "# Synthetic planning\n\n"
        f"{len(repo.orders)} orders over {PHASES} phases and {OWNERS} owners, "
        f"and {len(repo.adrs)} decisions. Start with {ids[0]}.\n\n"
        "| Phase | Title | Orders |\n|---|---|---|\n" + phases
    )
    return {
        "index.md": index,
        "roadmap.md": "".join(roadmap),
        "status-report.md": "".join(status),
        "risks.md": risks,
    }


# --- sphinx-needs project ----------------------------------------------------------------


SPHINX_CONF = """\
project = "Synthetic planning"
extensions = ["sphinx.ext.graphviz", "sphinx_needs"]
graphviz_output_format = "svg"
needs_flow_engine = "graphviz"
needs_id_regex = r"^[A-Z0-9_-]{5,}$"
needs_fields = {
    name: {"description": name, "nullable": True}
    for name in ("owner", "priority", "phase", "timeline")
}
needs_types = [
    {"directive": "req", "title": "Order", "prefix": "ORDER-", "color": "#BFD8D2",
     "style": "node"},
]
exclude_patterns = ["_build"]
"""


def write_sphinx_project(dest: Path, n: int, seed: int = 1) -> Repository:
    """The same orders, ADRs and prose as a sphinx-needs project in ``dest`` (emptied first)."""
    repo = plan(n, seed)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "orders").mkdir(parents=True)
    (dest / "conf.py").write_text(SPHINX_CONF, encoding="utf-8")
    for order in repo.orders:
        (dest / "orders" / f"{order.id}.rst").write_text(_need(order), encoding="utf-8")
    adrs = "".join(f"* {a.id}: {a.title} ({a.status})\n" for a in repo.adrs)
    index = (
        "Synthetic planning\n==================\n\n"
        ".. toctree::\n   :hidden:\n   :glob:\n\n   orders/*\n\n"
        "Decisions\n---------\n\n" + adrs + "\n"
        "All orders\n----------\n\n"
        ".. needtable::\n   :columns: id;title;status;owner;priority;phase\n"
        "   :style: table\n"
    )
    (dest / "index.rst").write_text(index, encoding="utf-8")
    return repo


def _need(order: Order) -> str:
    title = f"{order.id}: {order.title}"
    mentions = ", ".join(f":need:`{m}`" for m in order.mentions if m != order.id)
    links = f"   :links: {', '.join(order.depends_on)}\n" if order.depends_on else ""
    return (
        f"{title}\n{'=' * len(title)}\n\n"
        f".. req:: {order.title}\n"
        f"   :id: {order.id}\n"
        f"   :status: {order.status}\n"
        f"   :owner: {order.owner_id}\n"
        f"   :priority: {order.priority}\n"
        f"   :phase: {order.phase_id}\n"
        f"   :timeline: {order.timeline}\n" + links + "\n"
        f"   This work is part of {order.phase_id}. It was discussed together with "
        f"{mentions}, which touch the same components.\n\n"
        "   * Code and unit tests\n"
        "   * Configuration and documentation updates\n\n"
        f".. needflow::\n   :root_id: {order.id}\n   :root_depth: 2\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sphinx", type=Path, help="also write the sphinx-needs project here")
    args = parser.parse_args()
    repo = generate(args.dest, args.n, args.seed)
    if args.sphinx:
        write_sphinx_project(args.sphinx, args.n, args.seed)
    print(f"{len(repo.orders)} orders, {len(repo.adrs)} ADRs in {args.dest}")


if __name__ == "__main__":
    main()
