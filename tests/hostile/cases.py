"""The hostile-input corpus: one row per case, each a tiny MkDocs project written at test time.

A case is a name, the files that differ from the base project (``mkdocs.yml`` with Material
and plandocs, ``docs/index.md``, an ``orders/`` folder), and what the build must give:
``findings`` (codes that must be reported; a tuple inside names alternatives, any one will
do) or nothing, which means a clean ``mkdocs build --strict`` and ``plandocs check``.
``injection`` cases carry a script payload: the built site must hold it as text only.

Writing the files at test time keeps the corpus in one readable table (a line of 100,000
``{`` is ``"{" * 100_000``, not a 100 KB file in git) and makes a new case one more row.
To add a case: append a ``Case`` to ``CASES`` with the files it needs and what it expects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

# -- payloads ----------------------------------------------------------------------------

#: What the browser test listens for: every payload calls alert() or sets window.__pwned.
MARK = "__pwned"
#: The label of the issue: closes <title> and runs a script on any page that prints it raw.
TITLE_BREAKER = "</title><img src=x onerror=alert(1)>"
#: Markup, attribute and URL injection at once; each part sets the marker when it runs.
PAYLOAD = (
    TITLE_BREAKER
    + "<script>window.__pwned=1</script>"
    + '"\' onmouseover="window.__pwned=2" x=\''
    + "<svg onload=window.__pwned=3>"
    + '<a href="javascript:window.__pwned=4">j</a>'
)
#: The same on one short line for fields that reject long values.
SHORT_PAYLOAD = "<img src=x onerror=window.__pwned=5>"
#: Closes a DOT label and adds an edge between two nodes no order declares.
DOT_BREAKER = '"]; pwnA -> pwnB [label="'
#: Jinja2 syntax: if any template renders it, 7*191 becomes 1337 in the page.
JINJA = "{{ 7*191 }} {% raw %}raw{% endraw %} {{ config.site_name }}"

# -- building blocks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A symbolic link in a case's project, to ``target`` (relative to the link's folder)."""

    target: str


Files = dict[str, "str | bytes | Link"]

BASE_INDEX = "# Hostile\n\nThe [planning overview](planning/index.md) lists every order.\n"


def config(phase_titles: dict[str, str] | None = None, extra: str = "") -> str:
    """``mkdocs.yml``: Material, search and plandocs; phase titles quoted as JSON strings."""
    titles = phase_titles or {"CP1": "Foundations"}
    lines = [
        "site_name: Hostile",
        "theme:",
        "  name: material",
        "plugins:",
        "  - search",
        "  - plandocs:",
        "      orders_dir: orders",
        "      phase_titles:",
        *(f"        {json.dumps(k)}: {json.dumps(v)}" for k, v in titles.items()),
    ]
    return "\n".join(lines) + "\n" + extra


def q(value: object) -> str:
    """A YAML scalar or flow value: JSON is YAML, and JSON quoting escapes everything."""
    return json.dumps(value, ensure_ascii=False)


def order(
    number: int = 1,
    *,
    raw: dict[str, str] | None = None,
    body: str = "Do the work.\n",
    **fields: object,
) -> str:
    """An order file with frontmatter. ``fields`` are quoted; ``raw`` values are written as
    they are (YAML that must reach the parser unquoted: tags, aliases, bad dates). The H1
    carries no field: a payload in the title field reaches the site only through plandocs."""
    meta: dict[str, object] = {
        "id": f"ORDER-WRK-1-CP1-{number:03d}",
        "title": f"Order {number}",
        "to": "wrk-1",
        "priority": "high",
        "status": "pending",
        "phase": "CP1",
    }
    meta.update(fields)
    lines = [f"{key}: {q(value)}" for key, value in meta.items() if value is not None]
    lines += [f"{key}: {value}" for key, value in (raw or {}).items()]
    return "---\n" + "\n".join(lines) + f"\n---\n\n# {meta['id']}\n\n{body}"


def bold_order(number: int = 1, *, body: str = "", **fields: str) -> str:
    """An order written with ``**Field**: value`` lines and no frontmatter."""
    values = {
        "ORDER ID": f"ORDER-WRK-2-CP1-{number:03d}",
        "Owner": "wrk-2",
        "Priority": "HIGH",
        "Status": "Pending",
        "Phase": "CP1",
    }
    values.update({name.replace("_", " "): value for name, value in fields.items()})
    title = values.pop("Title", f"Bold order {number}")
    lines = [f"**{name}**: {value}  " for name, value in values.items()]
    return f"# {values['ORDER ID']}: {title}\n\n" + "\n".join(lines) + f"\n\n{body}"


def summary(title: str = "Summary entry", **fields: str) -> str:
    """A summary document with one entry in bold-field form."""
    values = {"Owner": "wrk-3", "Priority": "HIGH", "Status": "Pending", "Dependencies": "None"}
    values.update({name.replace("_", " "): value for name, value in fields.items()})
    lines = [f"**{name}**: {value}  " for name, value in values.items()]
    return (
        "# CP1 orders summary\n\n## Orders\n\n"
        f"#### ORDER-WRK-3-CP1-001: {title}\n\n" + "\n".join(lines) + "\n"
    )


def adr(title: str = "Use plain Markdown", status: str = "accepted", body: str = "") -> str:
    return (
        f"---\ntitle: {q(title)}\nstatus: {q(status)}\ndate: 2024-01-10\n---\n\n"
        f"# ADR-001\n\n## Context\n\nWhy.\n\n## Decision\n\nWhat.\n{body}"
    )


# -- the table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    #: Files of the project beside the base ones, by path relative to the project.
    files: Files
    #: Codes that must be reported; a tuple is a set of alternatives. Empty: a clean build.
    findings: tuple[str | tuple[str, ...], ...] = ()
    #: Codes that may be reported besides (a payload that also reads as an unknown word).
    tolerated: tuple[str, ...] = ()
    #: The case carries a script payload (checked in the site and in the browser).
    injection: bool = False
    #: Raw HTML in the Markdown body of a page is the writer's page content, which MkDocs
    #: renders as written on every page of a site: for these cases the payload may run
    #: inside that page's own <article>, and nowhere else (titles, nav, cards, search...).
    prose: bool = False
    #: Text that must not appear anywhere in the site (e.g. a Jinja expression evaluated).
    absent: tuple[str, ...] = ()
    #: (site file, text) that the site must hold (the anchor a link needs, a drawing).
    present: tuple[tuple[str, str], ...] = ()
    #: (site file, text) that a page must not hold (another page's table pulled in).
    not_in: tuple[tuple[str, str], ...] = ()
    #: ``mkdocs.yml`` of the case; the base one when empty. ``@SANDBOX@`` is replaced by
    #: the absolute path of the folder around the project (a place the site must not reach).
    mkdocs_yml: str = ""
    #: Whether ``plandocs check`` runs (it reads the same files as the build).
    check: bool = True
    #: At most this many finding lines per run (one finding per problem).
    most_findings: int | None = None
    notes: str = field(default="", compare=False)


BAD_FIELD = "plandocs.bad-field"
YAML_ERROR = "plandocs.yaml-error"
UNKNOWN_VALUE = "plandocs.unknown-value"
UNKNOWN_REF = "plandocs.unknown-ref"
UNREADABLE = "plandocs.unreadable-file"
BAD_DIAGRAM = "plandocs.bad-diagram"
MISSING_ID = "plandocs.missing-id"
BAD_FRONTMATTER = "plandocs.bad-frontmatter"
#: Codes a fix may choose for a refused or bounded input (a new code is fine, any of these).
REFUSED = (YAML_ERROR, BAD_FIELD, BAD_FRONTMATTER)


def _inject_cases() -> list[Case]:
    """HTML and attribute injection in every field, in frontmatter and in bold-field form."""
    cases = [
        # The issue's own payloads.
        Case(
            "issue-owner-title-frontmatter",
            {"orders/ORDER_A.md": order(to=f"wrk-1 ({TITLE_BREAKER})")},
            injection=True,
        ),
        Case(
            "issue-owner-title-summary",
            {"orders/CP1_ORDERS_SUMMARY.md": summary(Owner=f"wrk-3 ({TITLE_BREAKER})")},
            injection=True,
            prose=True,
        ),
        Case(
            "issue-phase-title-javascript-link",
            {"orders/ORDER_A.md": order()},
            mkdocs_yml=config(
                {"CP1": "[click](javascript:window.__pwned=6) <b onmouseover=alert(1)>x</b>"}
            ),
            injection=True,
        ),
        Case(
            "phase-title-payload",
            {"orders/ORDER_A.md": order()},
            mkdocs_yml=config({"CP1": PAYLOAD}),
            injection=True,
        ),
    ]
    frontmatter_fields = {
        "title": ("title", ()),
        "owner": ("to", ()),
        "issuer": ("from", ()),
        "priority": ("priority", (UNKNOWN_VALUE,)),
        "status": ("status", (UNKNOWN_VALUE,)),
        "phase": ("phase", (BAD_FIELD,)),
        "timeline": ("timeline", ()),
        "depends-on": ("depends_on", ((UNKNOWN_REF, BAD_FIELD),)),
        "adrs": ("adrs", ((UNKNOWN_REF, BAD_FIELD),)),
    }
    for name, (key, expect) in frontmatter_fields.items():
        value: object = [PAYLOAD] if key in ("depends_on", "adrs") else PAYLOAD
        cases.append(
            Case(
                f"inject-{name}-frontmatter",
                {"orders/ORDER_A.md": order(**{key: value})},
                findings=expect,
                tolerated=(BAD_FIELD,),
                injection=True,
            )
        )
    bold_fields = {
        "title": ("Title", ()),
        "owner": ("Owner", ()),
        "priority": ("Priority", (UNKNOWN_VALUE,)),
        "status": ("Status", (UNKNOWN_VALUE,)),
        "phase": ("Phase", (BAD_FIELD,)),
        "timeline": ("Timeline", ()),
        # Text with no ID in it: plain text, or a finding; both are fine.
        "dependencies": ("Dependencies", ()),
        "blocks": ("Blocks", ()),
    }
    for name, (key, expect) in bold_fields.items():
        cases.append(
            Case(
                f"inject-{name}-bold",
                {"orders/ORDER_B.md": bold_order(**{key: PAYLOAD})},
                findings=expect,
                tolerated=(BAD_FIELD, UNKNOWN_REF),
                injection=True,
                prose=True,
            )
        )
        cases.append(
            Case(
                f"inject-{name}-summary",
                {"orders/CP1_ORDERS_SUMMARY.md": summary(**{key: PAYLOAD})},
                findings=expect,
                tolerated=(BAD_FIELD, UNKNOWN_REF),
                injection=True,
                prose=True,
            )
        )
    prose = (
        f"**Deliverables**:\n- {PAYLOAD}\n\n**Acceptance criteria**:\n- {PAYLOAD}\n\n"
        f"## Notes\n\n{PAYLOAD}\n"
    )
    cases += [
        Case(
            "inject-deliverables-acceptance-notes",
            {"orders/ORDER_A.md": order(body=prose)},
            injection=True,
            prose=True,
        ),
        Case(
            "inject-deliverables-acceptance-notes-summary",
            {"orders/CP1_ORDERS_SUMMARY.md": summary() + "\n" + prose},
            injection=True,
            prose=True,
        ),
        Case(
            "inject-adr-title",
            {"orders/ORDER_A.md": order(adrs=["ADR-001"]), "docs/adr/ADR-001-x.md": adr(PAYLOAD)},
            injection=True,
        ),
        Case(
            "inject-adr-status",
            {"orders/ORDER_A.md": order(), "docs/adr/ADR-001-x.md": adr(status=PAYLOAD)},
            findings=(UNKNOWN_VALUE,),
            tolerated=(BAD_FIELD,),
            injection=True,
        ),
        Case(
            "inject-order-heading-only",
            {"orders/ORDER_B.md": f"# ORDER-WRK-2-CP1-001: {PAYLOAD}\n\n**Owner**: wrk-2\n"},
            tolerated=(MISSING_ID, UNKNOWN_REF),  # an order, or a page that only names one
            injection=True,
            prose=True,
        ),
        Case(
            "inject-javascript-data-urls",
            {
                "orders/ORDER_A.md": order(
                    title="[t](javascript:window.__pwned=7)",
                    to="[o](data:text/html,<script>window.__pwned=8</script>)",
                    timeline="<a href='javascript:window.__pwned=9'>t</a>",
                )
            },
            injection=True,
        ),
    ]
    return cases


def _dense(count: int) -> Files:
    """``count`` orders, each depending on every earlier one."""
    return {
        f"orders/ORDER_{n:03d}.md": order(
            n, depends_on=[f"ORDER-WRK-1-CP1-{m:03d}" for m in range(1, n)]
        )
        for n in range(1, count + 1)
    }


_BOMB = (
    "\n  - &a [x, x, x, x, x, x, x, x, x]"
    "\n  - &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]"
    "\n  - &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]"
    "\n  - &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]"
    "\n  - &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]"
    "\n  - &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]"
    "\n  - &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]"
    "\n  - &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]"
    "\n  - &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]"
)


def _nested(depth: int) -> str:
    return "[" * depth + "ORDER-WRK-1-CP1-001" + "]" * depth


def _payload_cases() -> list[Case]:
    """The issue's crashes and hangs, and the usual families of broken input."""
    a = "orders/ORDER_A.md"
    return [
        # Forged fragment placeholders, in text and in code spans.
        Case(
            "forged-fragment-tokens",
            {
                a: order(),
                "docs/tokens.md": "# Tokens\n\nplandocsfragR0x plandocsfragE0x "
                "plandocsfragD0x plandocsfragL0x plandocsfragL7x plandocsfragR99999999x\n\n"
                "`plandocsfragR0x` `plandocsfragE0x` `plandocsfragD0x` `plandocsfragL0x`\n\n"
                "```\nplandocsfragR0x plandocsfragD0x\n```\n",
                "docs/drawn.md": "# Drawn\n\n```dot\ndigraph g { stolen1 -> stolen2 }\n```\n",
            },
            present=(("tokens/index.html", "plandocsfragD0x"),),
            # the order's ID as only another page's content writes it: its table cell, its
            # card's Permalink; the bare ID is in every page's nav ("ORDER-...: Order 1", the
            # order page's title with its ID since tab titles name it), which is no theft
            not_in=tuple(
                ("tokens/index.html", text)
                for text in (
                    "stolen1",
                    "plandocs-card",
                    "plandocs-table",
                    "ORDER-<wbr>WRK-<wbr>1",
                    "id/ORDER-WRK-1-CP1-001/",
                )
            ),
            notes="a token that resolved pulled another page's diagram or table into this one",
        ),
        Case(
            "forged-fragment-tokens-in-order",
            {a: order(title="plandocsfragR0x", body="`plandocsfragD0x` plandocsfragL0x\n")},
        ),
        Case(
            "dot-block-two-graphs",
            {
                a: order(),
                "docs/diagrams.md": "# Diagrams\n\n```dot\ndigraph a { x -> y }\n"
                "digraph b { p -> q }\n```\n\n```dot\ndigraph c { m -> n }\n```\n",
            },
            tolerated=(BAD_DIAGRAM,),
            present=(("diagrams/index.html", "<title>m&#45;&gt;n</title>"),),
            notes="each block shows its own graph (two graphs in one block: any finding)",
        ),
        Case(
            "dot-block-script-links",
            {
                a: order(),
                "docs/diagrams.md": "# Diagrams\n\n```dot\ndigraph g {\n"
                # a stylesheet puts <?xml-stylesheet ...?> before the <svg>
                '  stylesheet="x.css";\n'
                '  t [label=<<TABLE><TR><TD HREF="javascript:window.__pwned=35">t</TD></TR>'
                "</TABLE>>];\n"
                '  a [URL="javascript:window.__pwned=30",\n'
                '     label="<img src=x onerror=window.__pwned=36>"];\n'
                '  b [href="data:text/html,<script>window.__pwned=31</script>"];\n'
                '  c [URL="&#106;avascript:window.__pwned=32"];\n'
                '  d [URL=" JaVaScRiPt:window.__pwned=33"];\n'
                '  a -> b [URL="vbscript:window.__pwned=34"];\n'
                '  e [URL="https://example.org/", label="kept"];\n'
                "}\n```\n",
            },
            injection=True,
            present=(("diagrams/index.html", 'xlink:href="https://example.org/"'),),
            notes="a link of a writer's diagram ran script: Graphviz writes any URL as given",
        ),
        Case(
            "invisible-characters-in-id",
            {
                a: order(),
                "orders/ORDER_B.md": order(2, id="ORDER-WRK-1-CP1-0\u200b02"),
                "orders/ORDER_C.md": order(3, id="ORDER-WRK-1-CP1-00\u202e3"),
                "orders/ORDER_D.md": bold_order(4, ORDER_ID="ORDER-WRK-2-CP1-\u2060004"),
            },
            findings=(BAD_FIELD,),
            tolerated=(UNKNOWN_REF,),  # the H1 repeats the ID as typed: a mention cut short
            present=tuple(
                ("planning.json", f'"id": "{order_id}"')
                for order_id in (
                    "ORDER-WRK-1-CP1-002",
                    "ORDER-WRK-1-CP1-003",
                    "ORDER-WRK-2-CP1-004",
                )
            ),
            not_in=(("planning.json", '"id": "ORDER-WRK-1-CP1-0"'),),
            notes="an ID with an invisible character was cut before it, silently: the site "
            "showed another ID than the one the writer sees",
        ),
        Case(
            "alias-over-site-files",
            {
                a: order(
                    aliases=[
                        "/sitemap.xml",
                        "/sitemap.xml.gz/",
                        "/search/search_index.json/",
                        "/planning.json",
                        "/404.html",
                    ]
                )
            },
            findings=("plandocs.redirect-clash",),
            present=(("sitemap.xml", "<urlset"), ("404.html", "md-content")),
            check=False,  # the redirects are planned by the build, which knows the site's files
            notes="a redirect's folder where the build then writes a file: MkDocs stopped with "
            "a traceback (IsADirectoryError: site/sitemap.xml)",
        ),
        Case(
            "cycle-60",
            {
                f"orders/ORDER_{n:03d}.md": order(
                    n, depends_on=[f"ORDER-WRK-1-CP1-{n % 60 + 1:03d}"]
                )
                for n in range(1, 61)
            },
            findings=("plandocs.cycle",),
            tolerated=(BAD_DIAGRAM,),
        ),
        Case(
            "id-pattern-redos",
            {a: order(body="ORDER-" + "WRK-" * 20_000 + "!\n\n" + "CP1-" * 20_000 + "\n")},
            tolerated=(UNKNOWN_REF,),
        ),
        Case(
            "empty-order-file",
            {a: order(), "orders/ORDER_E.md": ""},
            findings=("plandocs.empty-file",),
        ),
        Case(
            "empty-frontmatter",
            {a: order(), "orders/ORDER_F.md": "---\n---\n\n# Nothing declared\n"},
            tolerated=(MISSING_ID, BAD_FRONTMATTER),
        ),
        Case("date-month-13", {a: order(raw={"date": "2024-13-45"})}, findings=(BAD_FIELD,)),
        Case(
            "date-in-adr-invalid",
            {
                a: order(),
                "docs/adr/ADR-001-x.md": adr().replace("date: 2024-01-10", "date: 2024-02-30"),
            },
            findings=(BAD_FIELD,),
        ),
        Case(
            "yaml-alias-bomb-depends-on",
            {a: order(raw={"depends_on": _BOMB})},
            findings=(REFUSED,),
            tolerated=(UNKNOWN_REF,),
        ),
        Case(
            "yaml-alias-bomb-title",
            {a: order(title=None, raw={"bomb": _BOMB, "title": "*i"})},
            findings=(REFUSED,),
        ),
        Case("blockquote-1000-deep", {a: order(body=">" * 1000 + " deep\n")}),
        Case("blockquote-1000-deep-page", {a: order(), "docs/deep.md": ">" * 1000 + " x\n"}),
        Case("braces-100k-line", {a: order(body="{" * 100_000 + "\n")}),
        Case("braces-200k-line", {a: order(body="{" * 200_000 + "\n")}),
        Case(
            "anchors-33k-line",
            {a: order(body="<a>" * 33_000 + "\n")},
            # Material's search plugin keeps a stack of open tags that it scans for each new
            # one, so 33,000 unclosed tags take it minutes with or without plandocs (a plain
            # Material build of this page ran past 40 s); without search, the build tests
            # plandocs' own scans, which are linear.
            mkdocs_yml=config().replace("  - search\n", ""),
        ),
        Case("dense-graph-45", _dense(45), tolerated=(BAD_DIAGRAM,)),
        Case(
            "summary-heading-jinja",
            {
                "orders/CP1_ORDERS_SUMMARY.md": summary(title="Render {{ page.title }} safely")
                + "\n#### ORDER-WRK-3-CP1-002: Braces {{ }}\n\n**Owner**: wrk-3\n",
            },
            absent=("Render Hostile safely",),
            present=tuple(
                ("orders/CP1_ORDERS_SUMMARY/index.html", f'id="order-wrk-3-cp1-00{n}"')
                for n in (1, 2)
            ),
            notes="a summary heading with {{ }} lost its anchor: links to it were dead",
        ),
        Case(
            "jinja-in-every-field",
            {
                a: order(title=JINJA, to=JINJA, timeline=JINJA, body=JINJA + "\n"),
                "orders/CP1_ORDERS_SUMMARY.md": summary(title=JINJA, Owner=JINJA),
            },
            mkdocs_yml=config({"CP1": JINJA}),
            absent=("1337",),
            present=(("orders/ORDER_A/index.html", "{{ 7*191 }}"),),
        ),
        Case(
            "duplicate-yaml-keys",
            {a: order(raw={"title": '"Second title"', "priority": "low"})},
            findings=(REFUSED,),
        ),
        Case(
            "mapping-id",
            {a: order(id={"a": 1})},
            findings=((BAD_FIELD, MISSING_ID),),
            tolerated=(BAD_FIELD, MISSING_ID),
            most_findings=1,
            notes="a mapping id was reported as 'not a list'",
        ),
        Case(
            "mapping-title",
            {a: order(title={"a": 1})},
            findings=(BAD_FIELD,),
            most_findings=1,
            notes="a mapping title got two contradictory warnings",
        ),
        Case(
            "stars-and-underscores-kept",
            {a: order(title="2 * 3 = 6, __init__ and snake_case_name")},
            present=(
                ("planning.json", "2 * 3 = 6, __init__ and snake_case_name"),
                ("planning/orders/index.html", "2 * 3 = 6, __init__ and snake_case_name"),
            ),
            notes="'*' was stripped from titles everywhere, planning.json included",
        ),
        Case(
            "control-characters",
            {a: order(title="bell\x07 escape\x1b[31mred\x1b]8;;http://x\x07 end", to="a\tb")},
            tolerated=(BAD_FIELD,),
        ),
        Case(
            "bom-and-crlf",
            {a: ("\ufeff" + order()).replace("\n", "\r\n").encode("utf-8")},
        ),
        Case(
            "latin1-file",
            {a: order(), "orders/ORDER_L.md": order(2, title="Café crème").encode("latin-1")},
            findings=(UNREADABLE,),
        ),
        Case(
            "symlink-out-of-project",
            {
                a: order(),
                "orders/ORDER_LINK.md": Link("../../outside.md"),
                "orders/ORDER_DANGLING.md": Link("nowhere.md"),
                "../outside.md": order(2, title="Outside the project"),
            },
            findings=(UNREADABLE, "orders/ORDER_DANGLING.md"),
            notes="a dangling link is named by its own path, relative to the project",
        ),
        Case(
            "odd-yaml-scalars",
            {
                a: order(raw={"title": ".nan", "priority": "1e309", "depends_on": "[null, ~, 5]"}),
                "orders/ORDER_B.md": order(
                    2, raw={"status": "!!binary aGVsbG8=", "to": "!!set {a}"}
                ),
                "orders/ORDER_C.md": order(3, raw={"date": "2024-01-01T25:99:00"}),
            },
            findings=(REFUSED,),
            tolerated=(BAD_FIELD, UNKNOWN_VALUE, YAML_ERROR),
        ),
        Case(
            "nested-mapping-500-deep-yaml",
            {a: order(raw={"title": "{a: " * 500 + "x" + "}" * 500})},
            findings=(REFUSED,),
        ),
        Case(
            "phase-titles-not-text",
            {a: order()},
            mkdocs_yml=config().replace('"CP1": "Foundations"', '"CP1": [a, {b: c}]'),
            findings=("phase_titles",),
            check=False,
        ),
        Case(
            "utf16-file",
            {a: order(), "orders/ORDER_U.md": order(2).encode("utf-16")},
            findings=(UNREADABLE,),
        ),
        Case(
            "binary-file",
            {a: order(), "orders/ORDER_BIN.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"},
            findings=(UNREADABLE,),
        ),
        Case(
            "dot-syntax-in-labels",
            {
                a: order(title=DOT_BREAKER, to=DOT_BREAKER),
                "orders/ORDER_B.md": order(
                    2,
                    title='line\\nbreak <<html>> {x|y} \\" end',
                    to="<<b>x</b>>",
                    depends_on=["ORDER-WRK-1-CP1-001"],
                ),
            },
            absent=("pwnA&#45;&gt;pwnB", "pwnA-&gt;pwnB"),
        ),
        Case(
            "path-traversal-owner",
            {
                a: order(to="../../../../etc/passwd"),
                "orders/ORDER_B.md": order(2, to="..%2f..%2f..%2fx"),
                "orders/ORDER_C.md": bold_order(3, Owner="/tmp/abs"),
                "orders/ORDER_D.md": order(4, to="..\\..\\..\\win"),
            },
        ),
        Case(
            "path-traversal-phase",
            {
                a: order(phase="../../../x"),
                "orders/ORDER_B.md": order(2, phase="..%2f..%2fCP1"),
                "orders/ORDER_C.md": bold_order(3, Phase="CP1/../../.."),
                # another tool's milestone is a phase as written, but for a path's dots
                "orders/ORDER_D.md": order(4, phase=None, raw={"milestone": '".."'}),
                "orders/ORDER_E.md": order(5, phase=None, raw={"milestone": '"."'}),
            },
            findings=(BAD_FIELD,),
        ),
        Case(
            "path-traversal-id",
            {
                a: order(id="ORDER-../../../../etc/passwd"),
                "orders/ORDER_B.md": order(2, id="ORDER-WRK-1-CP1-..%2f..%2f"),
            },
            findings=((BAD_FIELD, MISSING_ID),),
            tolerated=(BAD_FIELD, MISSING_ID),
        ),
        Case(
            "yaml-python-tag",
            {
                a: order(
                    title=None, raw={"title": '!!python/object/apply:os.system ["touch PWNED"]'}
                ),
                "orders/ORDER_B.md": order(2, raw={"owner": "!!python/name:os.system"}),
                "orders/ORDER_C.md": order(3, raw={"notes": "!custom {a: 1}"}),
            },
            findings=(REFUSED,),
            notes="a tag is refused or read as plain text; never constructed (PWNED not made)",
        ),
        Case(
            "invalid-types",
            {
                a: order(depends_on=5, priority=["a", "b"], status=True),
                "orders/ORDER_B.md": order(2, phase=3.5, to=["x", {"y": 1}], timeline=None),
                "orders/ORDER_C.md": order(3, raw={"date": "[1, 2]", "adrs": "{a: 1}"}),
            },
            findings=(BAD_FIELD,),
            tolerated=(UNKNOWN_VALUE,),
        ),
        Case(
            "frontmatter-not-mapping",
            {a: "---\n- a\n- b\n---\n\n# ORDER-WRK-1-CP1-001: List\n"},
            findings=(BAD_FRONTMATTER,),
            tolerated=(MISSING_ID, UNKNOWN_REF),
        ),
        Case(
            "nested-lists-500-deep-yaml",
            {a: order(raw={"depends_on": _nested(500)})},
            findings=(REFUSED,),
            tolerated=(UNKNOWN_REF,),
        ),
        Case(
            "nested-lists-500-deep-markdown",
            {a: order(body="".join("    " * i + "- item\n" for i in range(500)))},
        ),
        Case("long-title", {a: order(title="T" * 100_000)}, tolerated=(BAD_FIELD,)),
        Case("long-owner", {a: order(to="o" * 100_000)}, tolerated=(BAD_FIELD,)),
        Case(
            "long-unknown-priority",
            {a: order(priority="p" * 100_000)},
            findings=(UNKNOWN_VALUE,),
        ),
        Case(
            "long-unknown-ref",
            {a: order(depends_on=["ORDER-WRK-9-CP1-" + "9" * 100_000])},
            findings=((UNKNOWN_REF, BAD_FIELD),),
        ),
        Case(
            "long-lines-of-ids",
            {a: order(body="ORDER-WRK-1-CP1-001 " * 20_000 + "\n")},
        ),
        Case(
            "output-outside-site",
            {a: order()},
            mkdocs_yml=config().replace(
                "      orders_dir: orders\n", "      orders_dir: orders\n      export: ../x.json\n"
            ),
            findings=("'export'",),
            check=False,
            notes="export must stay inside the site, or the build stops with one line",
        ),
        Case(
            "export-absolute-outside",
            {a: order()},
            mkdocs_yml=config().replace(
                "      orders_dir: orders\n",
                "      orders_dir: orders\n      export: @SANDBOX@/planning.json\n",
            ),
            findings=("'export'",),
            check=False,
        ),
        Case(
            "output-dir-outside",
            {a: order()},
            mkdocs_yml=config().replace(
                "      orders_dir: orders\n", "      orders_dir: orders\n      output_dir: ../..\n"
            ),
            findings=("'output_dir'",),
            check=False,
            notes="output_dir ../.. silently dropped every generated page",
        ),
    ]


CASES: tuple[Case, ...] = (*_inject_cases(), *_payload_cases())
INJECTION_CASES = tuple(case for case in CASES if case.injection)


def project_files(case: Case) -> Files:
    """Every file of the case's project: the base project with the case's files over it."""
    return {
        "mkdocs.yml": case.mkdocs_yml or config(),
        "docs/index.md": BASE_INDEX,
        **case.files,
    }
