"""JSON Schema (draft 2020-12) of order and ADR frontmatter, for the YAML language server of
an editor: it completes the field names and checks the values as the writer types.

Made from the parser's tables (``parse.fields``, ``parse.adrs``) and the project's settings,
so it cannot drift from what ``plandocs check`` says. The schema never rejects what the
parser takes without a finding (tests/test_schema.py): where the parser reads a free variant
(``🔴 **CRITICAL**``, ``ADR-6: NATS``), a value is an ``anyOf`` of the plain words (for
completion) and a pattern that finds a known word anywhere. One gap is known: a field given
under two spellings (``status`` and ``Status``) is read from the last one, while the
schema, blind to the order of keys, checks both.

Patterns are for Python's ``re`` and ECMAScript (the YAML language server) alike: case is
spelt out as ``[Hh]`` (JSON Schema has no flags), named groups are ``(?<name>...)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal

from plandocs.core.parse import adrs, fields
from plandocs.core.parse.documents import FRONTMATTER_ID_KEYS
from plandocs.core.settings import Settings

Schema = dict[str, Any]
Kind = Literal["order", "adr", "both"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"

# What is not a mapping: the parser reports a mapping where it wants a value or a list.
_NOT_MAPPING: Schema = {"type": ["string", "number", "boolean", "null", "array"]}
_TEXT: Schema = {"type": ["string", "number", "boolean", "null"]}
# A value with no text once Markdown's marks and control characters are dropped
# (``fields.plain``): the parser reads no value in it.
_BLANK_TEXT: Schema = {"type": "string", "pattern": r"^[\s\x00-\x08\x0b\x0c\x0e-\x1f\x7f*_~`\\]*$"}
_ADR_REF = r"(?<![A-Za-z0-9])[Aa][Dd][Rr][-_ ]?[0-9]"
_LINK = r"\[[^\]]*\]\([^)\s]*"
# PyPI adr's UUIDs and a plain file name ("0002-use-kafka.md"): parse.adrs resolves both
_UUID = r"^\s*[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\s*$"
_FILE_NAME = r"^\s*(?!\.\./)[^\s()\[\]]+\.md\s*$"

_ORDER_HELP = {
    "id": "The order's ID, like ORDER-WRK-3-CP2-001 (upper case).",
    "title": "The order's title, shown as written (plain text, not Markdown).",
    "owner": "Who does the work: a name or a list of names; the first is the owner.",
    "issuer": "Who issued the order.",
    "priority": "critical, high, medium or low (p0-p3, urgent, normal are read too).",
    "status": "planned, pending, ready, in_progress, blocked, review, done or cancelled.",
    "phase": "The checkpoint the order belongs to, like CP2 or CP3-INGRESS.",
    "parent": "The order this one is part of (an order ID).",
    "depends_on": "Order IDs this order waits for, or none.",
    "blocks": "Order IDs that wait for this order, or none.",
    "timeline": "When or how long: free text.",
    "file": "The order's file, when a summary document names it.",
    "adrs": "ADRs the order follows, like ADR-016.",
    "date": "A date.",
    "supersedes": "What this order replaces.",
    "superseded_by": "What replaces this order.",
    "type": "What the file is (type: adr makes it an ADR).",
}


def _escape(char: str) -> str:
    """One literal character, escaped only where both engines need it (``re.escape``
    escapes ``-``, which ECMAScript's unicode mode refuses outside a class)."""
    return "\\" + char if char in "\\^$.|?*+()[]{}/" else char


def _anycase(text: str, gap: str) -> str:
    """``text`` in any case; every run of blanks, ``_`` and ``-`` in it becomes ``gap``."""
    out: list[str] = []
    for part in re.split(r"([-_\s]+)", text):
        if re.fullmatch(r"[-_\s]+", part):
            out.append(gap)
            continue
        for char in part:
            low, up = char.lower(), char.upper()
            out.append(f"[{up}{low}]" if low != up and len(low) == len(up) == 1 else _escape(char))
    return "".join(out)


def _alternatives(words: Iterable[str], gap: str) -> str:
    """Any of ``words`` in any case (see ``_anycase``), the longest first."""
    return "|".join(sorted({_anycase(w, gap) for w in words}, key=lambda a: (-len(a), a)))


def _words(words: Iterable[str]) -> str:
    """A known word or phrase anywhere in a text, in any case, not inside a longer word;
    words of a phrase may be apart by any marks (``in **progress**``, ``Won't Do``)."""
    return rf"(?<![A-Za-z])(?:{_alternatives(words, r'[^A-Za-z0-9]+')})(?![A-Za-z0-9])"


def ecma(pattern: str) -> str:
    """A Python pattern as ECMAScript writes it: named groups ``(?P<n>`` and
    back-references ``(?P=n)``; the rest of a project's pattern is taken as written."""
    pattern = re.sub(r"\(\?P<", "(?<", pattern)
    return re.sub(r"\(\?P=(\w+)\)", r"\\k<\1>", pattern)


def _none() -> str:
    """What says "no orders" (``fields.is_none``): ``none``, ``N/A``, ``-``, ``None yet``."""
    words = sorted(fields._NONE_WORDS, key=lambda w: (-len(w), w))
    exact = "|".join(_anycase(word, r"\s+") if word.strip("-") else word for word in words)
    return rf"^[\s*_~`\\]*(?:{exact})[\s*_~`\\.]*$|^[\s*_~`\\]*{_anycase('none', '')}[ (,.]"


def _key_pattern(names: Iterable[str], gap: str) -> str:
    return rf"^(?:{_alternatives(names, gap)})$"


def _worded(words: Iterable[str], shown: Iterable[str], about: str) -> Schema:
    """A priority or status: one of the words (offered by the editor), or text where the
    parser finds one (``🔴 **CRITICAL**``), or a list of such."""
    found = {"type": "string", "pattern": _words(words)}
    return {
        "description": about,
        "anyOf": [
            {"enum": sorted(set(shown))},
            found,
            _BLANK_TEXT,
            {"type": "null"},
            {"type": "array", "contains": {"anyOf": [found, {"type": ["object", "array"]}]}},
            {"type": "array", "items": {"anyOf": [{"type": "null"}, _BLANK_TEXT]}},
        ],
    }


def _naming(pattern: str, about: str) -> Schema:
    """A field whose text must name something ``pattern`` finds (an order ID, a phase),
    or be empty."""
    found = {"type": "string", "pattern": pattern}
    empty: list[Schema] = [{"type": "null"}, _BLANK_TEXT]
    return {
        "description": about,
        "anyOf": [
            found,
            *empty,
            {"type": "array", "contains": {"anyOf": [found, {"type": ["object", "array"]}]}},
            {"type": "array", "items": {"anyOf": empty}},
        ],
    }


def _each_naming(pattern: str, about: str, *, none: bool = True, mapping: bool = False) -> Schema:
    """A field whose every item must name something (``depends_on``: each item an order ID
    or "none"); a mapping or list inside is written out as YAML, and then may name one.
    With ``mapping``, a mapping is read as its items ("ADR-4: Erlang" in an ADR)."""
    item: Schema = {
        "anyOf": [
            {"type": "string", "pattern": pattern},
            *([{"type": "string", "pattern": _none()}] if none else []),
            {"type": "null"},
            _BLANK_TEXT,
            {"type": ["object", "array"]},
        ]
    }
    return {
        "description": about,
        # one value is read as a list of one; a mapping is reported
        "anyOf": [
            {"type": "array", "items": item},
            {**item, "not": {"type": ["object", "array"]}},
            *([{"type": "object"}] if mapping else []),
        ],
    }


def _order_values(settings: Settings) -> dict[str, Schema]:
    order_id = ecma(settings.order_id_re.pattern)
    phase = ecma(settings.phase_re.pattern)
    statuses = {*fields.STATUSES, *fields._STATUS_WORDS}
    priorities = {*fields.PRIORITIES, *fields._PRIORITY_WORDS}
    # a field with no rule of its own is reported only when it is a mapping
    values: dict[str, Schema] = {
        name: {"description": _ORDER_HELP.get(name, f"Read as the order's {name}."), **_NOT_MAPPING}
        for name in fields.FIELDS
    }
    values["id"] = {"description": _ORDER_HELP["id"]}  # only three exact keys: see _declared_id
    values["title"] = {"description": _ORDER_HELP["title"]}  # only the exact key: see below
    values["priority"] = _worded(priorities, fields.PRIORITIES, _ORDER_HELP["priority"])
    values["status"] = _worded(statuses, fields.STATUSES, _ORDER_HELP["status"])
    values["phase"] = _naming(phase, _ORDER_HELP["phase"])
    values["parent"] = _naming(order_id, _ORDER_HELP["parent"])
    values["depends_on"] = _each_naming(order_id, _ORDER_HELP["depends_on"])
    values["blocks"] = _each_naming(order_id, _ORDER_HELP["blocks"])
    values["adrs"] = _each_naming(_ADR_REF, _ORDER_HELP["adrs"], none=False)
    return values


def _declared_id(settings: Settings) -> list[Schema]:
    """``order_id``, ``order-id`` and ``id`` declare the ID, the first one given wins
    (``parse.documents``): the others are not read, so they are not checked."""
    value: Schema = {
        "anyOf": [
            {"type": "string", "pattern": ecma(settings.order_id_re.pattern)},
            {"type": "null"},
        ]
    }
    rules: list[Schema] = []
    earlier: list[Schema] = []
    for key in FRONTMATTER_ID_KEYS:
        then: Schema = {"properties": {key: value}}
        if earlier:
            rules.append({"if": {"not": {"anyOf": list(earlier)}}, "then": then})
        else:
            rules.append(then)
        earlier.append({"required": [key], "properties": {key: {"not": {"type": "null"}}}})
    return rules


def order_schema(settings: Settings) -> Schema:
    """The frontmatter of an order file: every field the parser reads, by every name it
    reads it under (any case, ``_``, ``-`` or blanks between words)."""
    values = _order_values(settings)
    # every key the parser reads (``fields.field_key``) -> its field; the project's
    # ``field_aliases`` win, as in ``fields.field_name``
    spellings = {fields.field_key(name): field for name, field in fields.FIELD_NAMES.items()}
    spellings.update({fields.field_key(a): field for a, field in settings.field_aliases.items()})
    # another tool's milestone ("m-0", "v1.0") is taken as the phase as written
    spellings["milestone"] = "milestone"
    values["milestone"] = {"description": _ORDER_HELP["phase"], **_NOT_MAPPING}
    # the names an editor offers: the usual spelling of each, snake_case
    offered = {key.replace(" ", "_"): field for key, field in spellings.items()}
    offered.update({"order_id": "id", "order-id": "id"})
    # each field's rule once, under $defs: a field has many spellings
    defs = {f"order-{field}": value for field, value in sorted(values.items())}
    properties = {key: _ref(f"order-{field}") for key, field in sorted(offered.items())}
    properties["title"] = {"description": _ORDER_HELP["title"], **_TEXT}
    by_field: dict[str, list[str]] = {}
    for key, field in spellings.items():
        by_field.setdefault(field, []).append(key)
    pattern_properties = {
        _key_pattern(keys, r"[-_ \t]+"): _ref(f"order-{field}")
        for field, keys in sorted(by_field.items())
        if field not in ("id", "title")  # read under their exact keys only
    }
    return {
        "title": "plandocs order frontmatter",
        "description": "The frontmatter of a work order, as plandocs reads it. Other keys "
        "are allowed and left alone.",
        "type": "object",
        "properties": properties,
        "patternProperties": pattern_properties,
        "allOf": _declared_id(settings),
        "$defs": defs,
    }


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


_ADR_HELP = {
    "status": "proposed, accepted, rejected, deprecated, superseded (and the project's "
    "adr_statuses); a date or note may follow.",
    "date": "The day of the decision.",
    "deciders": "Who decided.",
    "consulted": "Who was consulted.",
    "informed": "Who was informed.",
}


def adr_schema(settings: Settings) -> Schema:
    """The frontmatter of an ADR (MADR, log4brains, the team's own keys)."""
    status_words = {*adrs._STATUS_WORDS, *settings.adr_statuses}
    status = _worded(status_words, adrs.ADR_STATUSES, _ADR_HELP["status"])
    status["anyOf"].append({"type": "object", "propertyNames": {"pattern": _words(status_words)}})
    defs = {
        "adr-relation": _each_naming(
            f"{_ADR_REF}|{_LINK}|{_UUID}|{_FILE_NAME}",
            "ADRs, like ADR-016, a link to one, its file name or the UUID of its id.",
            mapping=True,
        ),
        "adr-status": {"anyOf": [{"type": "null"}, status]},
    }
    relation = _ref("adr-relation")
    properties: dict[str, Schema] = {
        "title": {"description": "The ADR's title, shown as written.", **_TEXT},
        "id": {"description": "The ADR's number, like ADR-017, when the file name has none."},
        "type": {"description": "adr makes any page an ADR.", "examples": ["adr"]},
    }
    pattern_properties: dict[str, Schema] = {}
    for key, name in sorted(adrs._META_KEYS.items()):
        about: Schema = {"description": _ADR_HELP[name]}
        if name == "status":  # checked below, unless a successor is named
            about["examples"] = list(adrs.ADR_STATUSES)
        properties[key.replace(" ", "_")] = about
    relations = sorted({*adrs._RELATION_KINDS, "related_adrs"})
    for key in relations:
        properties[key.replace(" ", "_")] = relation
        # parse.adrs reads a key lower-cased with each "_" and "-" as one blank
        pattern_properties[_key_pattern([key], "[-_ ]")] = relation
    # A successor named in the frontmatter makes the ADR superseded whatever its status
    # says ("Superseded by" relations, parse.adrs.read_adr): only without one is the
    # status checked.
    successor = [k for k, v in adrs._RELATION_KINDS.items() if v == adrs.SUPERSEDED_BY]
    status_keys = [k for k, v in adrs._META_KEYS.items() if v == "status"]
    return {
        "title": "plandocs ADR frontmatter",
        "description": "The frontmatter of an architecture decision record, as plandocs "
        "reads it. Other keys are allowed and left alone.",
        "type": "object",
        "properties": properties,
        "patternProperties": pattern_properties,
        "if": {"not": {"propertyNames": {"not": {"pattern": _key_pattern(successor, "[-_ ]")}}}},
        "else": {"patternProperties": {_key_pattern(status_keys, "[-_ ]"): _ref("adr-status")}},
        "$defs": defs,
    }


def frontmatter_schema(settings: Settings, kind: Kind = "order") -> Schema:
    """The schema ``plandocs schema`` writes: an order's, an ADR's, or either (``both``)."""
    head: Schema = {"$schema": DRAFT}
    if kind == "order":
        return {**head, **order_schema(settings)}
    if kind == "adr":
        return {**head, **adr_schema(settings)}
    order, adr = order_schema(settings), adr_schema(settings)
    # the field rules of both at the top, where their "#/$defs/..." references point
    defs = {**order.pop("$defs"), **adr.pop("$defs"), "order": order, "adr": adr}
    return {
        **head,
        "title": "plandocs frontmatter (an order or an ADR)",
        "anyOf": [_ref("order"), _ref("adr")],
        "$defs": defs,
    }
