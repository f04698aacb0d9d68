"""What the core needs to know about a project (``Settings``: folders and patterns, with
defaults that fit the team's documents), and every option of the plugin, declared once
(``OPTIONS``): the MkDocs config class, the CLI's checks and docs/guide/options.md are made
from that table, and ``settings_from_options`` checks values for the plugin and the CLI."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

_LANGUAGES = ("en", "ru", "uk", "de", "fr", "es", "it", "pl", "cs", "pt", "zh", "ja", "ko")


@dataclass(frozen=True)
class Settings:
    """The checked values of the options the core reads; each is described in ``OPTIONS``."""

    orders_dir: str = "orders"
    output_dir: str = "planning"
    order_id_pattern: str = r"ORDER-[A-Z0-9]+(?:-[A-Z0-9]+)*-[0-9]+"
    order_file_pattern: str = r"ORDER_[A-Za-z0-9_]+\.md"
    adr_file_pattern: str = r"(?i:adr)[-_]?(?P<number>[0-9]+)(?:[-_. ].*)?\.md"
    phase_pattern: str = r"CP[0-9]+(?:-[A-Z][A-Z0-9]*)?"
    task_id_pattern: str = r"CP[0-9]+(?:-[A-Z][A-Z0-9]*)+-[0-9]+"
    adr_id_width: int = 3
    adr_statuses: tuple[str, ...] = ()
    phase_states: tuple[str, ...] = ("LC",)
    phase_titles: dict[str, str] = field(default_factory=dict, hash=False)
    languages: tuple[str, ...] = _LANGUAGES
    summary_heading_level: int = 2
    external_ids: tuple[str, ...] = ()
    encoding_repair: str = "info"
    diagram_limit: int = 400
    field_aliases: dict[str, str] = field(default_factory=dict, hash=False)
    schedule_start: date | None = None
    holidays: tuple[date, ...] = ()

    @cached_property
    def order_id_re(self) -> re.Pattern[str]:
        return re.compile(rf"(?<![A-Za-z0-9_-])(?:{self.order_id_pattern})(?![A-Za-z0-9_])")

    @cached_property
    def order_file_re(self) -> re.Pattern[str]:
        return re.compile(self.order_file_pattern)

    @cached_property
    def adr_file_re(self) -> re.Pattern[str]:
        return re.compile(self.adr_file_pattern)

    @cached_property
    def phase_re(self) -> re.Pattern[str]:
        # A phase is not the head of a task ID: CP3-GW-001 names no phase.
        return re.compile(
            rf"(?<![A-Za-z0-9_-])(?:{self.phase_pattern})(?![A-Za-z0-9_]|-[A-Za-z0-9])"
        )

    @cached_property
    def summary_heading_re(self) -> re.Pattern[str]:
        return re.compile(
            rf"^(?P<hashes>#{{{self.summary_heading_level},6}})[ \t]+"
            rf"(?P<id>{self.order_id_pattern})[ \t]*"
            rf"(?:[:\u2014\u2013-][ \t]*(?P<title>.*?))?[ \t#]*$"
        )

    @cached_property
    def task_id_re(self) -> re.Pattern[str]:
        return re.compile(self.task_id_pattern)

    @cached_property
    def external_ids_re(self) -> re.Pattern[str] | None:
        if not self.external_ids:
            return None
        return re.compile("|".join(f"(?:{pattern})" for pattern in self.external_ids))

    @cached_property
    def language_re(self) -> re.Pattern[str]:
        # codes are text: "(" in one made every build and check stop with a traceback
        codes = "|".join(sorted({re.escape(c.upper()) for c in self.languages}))
        return re.compile(rf"[_.-](?P<lang>{codes})$", re.IGNORECASE)


class SettingsError(ValueError):
    """A configuration value cannot be used; the message is one line."""


def path_in_site(key: str, raw: str, *, folder: bool) -> str:
    """``raw``, an option naming a place in the built site (``output_dir``, ``export``), as
    a ``/``-separated path inside it, or ``SettingsError``: a path that leaves the site would
    write outside it, or make pages MkDocs silently drops. A leading ``/`` of a folder means
    the site's root; a file given an absolute path is refused, not moved into the site."""
    if folder:
        raw = raw.strip("/")
    elif raw.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", raw) or raw.endswith("/"):
        raise SettingsError(f"'{key}' must name a file inside the site, like planning.json")
    parts = [part for part in raw.replace("\\", "/").split("/") if part not in ("", ".")]
    if ".." in parts:
        raise SettingsError(f"'{key}' must stay inside the site, but '{raw}' goes up out of it")
    if not parts:
        example = "a folder, like planning" if folder else "a file, like planning.json"
        raise SettingsError(f"'{key}' must name {example}")
    return "/".join(parts)


# Each check takes an option's name and its value as written, and returns the value the
# core keeps or raises SettingsError with a one-line message.
Check = Callable[[str, Any], Any]


def _text(key: str, raw: object) -> str:
    if not isinstance(raw, str):
        raise SettingsError(f"'{key}' must be text, not {type(raw).__name__}")
    return raw


def _pattern(key: str, raw: object, holds: bool = False) -> str:
    try:
        re.compile(_text(key, raw))
    except re.error as exc:
        what = f"holds {raw!r}, not" if holds else "is not"
        raise SettingsError(f"'{key}' {what} a valid regular expression: {exc}") from None
    return str(raw)


def _texts(key: str, raw: object) -> tuple[str, ...]:
    if not isinstance(raw, (list, tuple)) or not all(isinstance(v, str) for v in raw):
        raise SettingsError(f"'{key}' must be a list of text values, like [LC]")
    return tuple(raw)


def _patterns(key: str, raw: object) -> tuple[str, ...]:
    return tuple(_pattern(key, pattern, holds=True) for pattern in _texts(key, raw))


def _whole(low: int, high: int) -> Check:
    def check(key: str, raw: object) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            raise SettingsError(f"'{key}' must be a whole number from {low} to {high}")
        return raw

    return check


def _date(key: str, raw: object) -> date:
    """A date option: YAML reads ``2025-02-03`` as a date; quoted, it is text."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise SettingsError(f"'{key}' must hold dates written as YYYY-MM-DD, not {raw!r}")


def _dates(key: str, raw: object) -> tuple[date, ...]:
    if not isinstance(raw, (list, tuple)):
        raise SettingsError(f"'{key}' must be a list of dates, like [2025-12-25]")
    return tuple(sorted({_date(key, day) for day in raw}))


def _titles(key: str, raw: object) -> dict[str, str]:
    if not isinstance(raw, Mapping) or not all(isinstance(v, str) for v in raw.values()):
        raise SettingsError(f"'{key}' must map phase IDs to titles, like CP2: Core")
    for phase in map(str, raw):
        # a phase names its page (phases/CP2/): "../x" linked out of the site, to a page
        # MkDocs never wrote
        if "/" in phase or "\\" in phase or not phase.strip("."):
            raise SettingsError(f"'{key}' has '{phase}', which is no phase ID, like CP2")
    return {str(k): str(v) for k, v in raw.items()}


def _aliases(key: str, raw: object) -> dict[str, str]:
    """``field_aliases``: each alias names one of the fields plandocs reads."""
    # the field table lives with the parser, which imports this module
    from plandocs.core.parse.fields import FIELDS  # noqa: PLC0415

    if not isinstance(raw, Mapping) or not all(isinstance(v, str) for v in raw.values()):
        raise SettingsError(f"'{key}' must map field names to fields, like assignee: owner")
    for alias, target in raw.items():
        if target not in FIELDS:
            raise SettingsError(
                f"'{key}' maps '{alias}' to '{target}', which is no field; "
                f"use one of {', '.join(FIELDS)}"
            )
    return {str(alias): target for alias, target in raw.items()}


def _level(key: str, raw: object) -> str:
    if raw is False:
        return "off"  # YAML reads a bare `off` as false
    choices = ("info", "warning", "off")
    if raw not in choices:
        raise SettingsError(f"'{key}' must be one of {', '.join(choices)}, not {raw!r}")
    return str(raw)


def _export(key: str, raw: object) -> object:
    if raw:  # empty: no planning.json
        path_in_site(key, _text(key, raw), folder=False)
    return raw


def _since(key: str, raw: object) -> str:
    if not isinstance(raw, str):  # a date unquoted in YAML is read as one
        raise SettingsError(
            f"'{key}' must be text (a tag, 'YYYY-MM-DD' quoted, or 'N days'), "
            f"not {type(raw).__name__}"
        )
    return raw


#: the kinds of option, as the options page names them
TEXT, WHOLE, NUMBER, FLAG, TEXTS = "text", "whole number", "number", "true/false", "list of text"
MAPPING, DATE, DATES, FOLDER, CHOICE = "mapping", "date", "list of dates", "folder", "one of"


@dataclass(frozen=True)
class Option:
    """One option of the plugin in mkdocs.yml. ``check`` makes its value the one the core
    keeps (``settings_from_options``); an option with none is checked by its kind alone.
    ``site``: an option of the site build only, no field of ``Settings``."""

    name: str
    kind: str
    default: Any
    help: str
    check: Check | None = None
    choices: tuple[str, ...] = ()
    site: bool = False


def _core(name: str, kind: str, check: Check, help: str, **more: Any) -> Option:
    """An option the core reads: its default is the one ``Settings`` gives it."""
    return Option(name, kind, getattr(Settings(), name), help, check, **more)


def _site(name: str, kind: str, default: Any, help: str, **more: Any) -> Option:
    return Option(name, kind, default, help, site=True, **more)


# One option a block: name, kind, check or default, then what it does (the options page).
# fmt: off
OPTIONS: tuple[Option, ...] = (
    _core("orders_dir", TEXT, _text,
          "Folder of order files and summary documents, relative to mkdocs.yml; published "
          "under its own name. Empty to read orders from docs/ only."),
    _core("output_dir", TEXT, lambda key, raw: path_in_site(key, _text(key, raw), folder=True),
          "Folder of the generated pages (overview, orders, phases, owners, status, ADRs)."),
    _core("order_id_pattern", TEXT, _pattern, "Regular expression of an order ID."),
    _core("order_file_pattern", TEXT, _pattern, "Regular expression of an order file's name."),
    _core("adr_file_pattern", TEXT, _pattern,
          "Regular expression of an ADR file's name; group `number` is the ADR number."),
    _core("phase_pattern", TEXT, _pattern,
          "Regular expression of a checkpoint phase or track (`CP2`, `CP3-INGRESS`)."),
    _core("task_id_pattern", TEXT, _pattern,
          "Regular expression of a task ID inside orders (`CP3-GW-001`); `..003` makes a "
          "range."),
    _core("adr_id_width", WHOLE, _whole(1, 9),
          "ADR numbers are zero-padded to this width: ADR-1, ADR-01, ADR-001 are one ID."),
    _core("adr_statuses", TEXTS, _texts,
          "ADR statuses the team uses besides the usual ones; kept as written, never "
          "reported."),
    _core("phase_states", TEXTS, _texts,
          "Phase suffixes that name a state of the base phase; other suffixes are tracks."),
    _core("phase_titles", MAPPING, _titles, "Titles of phases, by ID."),
    _core("field_aliases", MAPPING, _aliases,
          "A project's own field names: alias -> field (`assigned_people: owner`), on top "
          "of the names plandocs knows (Backlog.md's `assignee`, `milestone`, "
          "`parent_task_id`, ...)."),
    _core("languages", TEXTS, _texts,
          "File-name suffixes (`_RU`) that mark a translation of an order's page."),
    _core("summary_heading_level", WHOLE, _whole(1, 6),
          "Shallowest heading level of an order section in a summary document."),
    _core("schedule_start", DATE, _date,
          "The schedule's first working day (YYYY-MM-DD); unset: the earliest date in the "
          "orders (`created`, `start`), else the day of the build."),
    _core("holidays", DATES, _dates,
          "Days the schedule skips besides weekends (YYYY-MM-DD)."),
    _core("external_ids", TEXTS, _patterns,
          "Regular expressions of IDs of other systems, never reported as references to "
          "nothing."),
    _core("encoding_repair", CHOICE, _level, choices=("info", "warning", "off"), help=
          "Repair mojibake on reading and report each repaired file at this level: info, "
          "warning (so a strict build insists that the sources be fixed), or off."),
    _site("templates_dir", FOLDER, None,
          "Folder with templates that override the packaged ones, by file name."),
    _site("export", TEXT, "planning.json", check=_export, help=
          "Where planning.json is written in the site; empty to skip it."),
    _site("gfm_lists", FLAG, True,
          "Render lists the way GitHub does (a list right under a paragraph is a list)."),
    _core("diagram_limit", WHOLE, _whole(2, 100_000),
          "The most orders a diagram draws one by one; a bigger one shows phases or owners, "
          "with the number of dependencies between them."),
    _site("dot_timeout", NUMBER, 30.0,
          "How many seconds one `dot` process may run. A diagram not drawn by then is a "
          "`plandocs.bad-diagram` warning: a `dot` block stays as code, a diagram of the "
          "planning graph is shown as its DOT source."),
    _site("missing_dot", CHOICE, "error", choices=("error", "source"), help=
          "Without Graphviz's `dot`: stop the build with an install hint (error), or go on "
          "with each diagram shown as its DOT source and one warning (source)."),
    _site("nav", FLAG, True, "Add a Planning section to an explicit `nav`."),
    _site("page_cache", FLAG, True,
          "Keep every page's converted HTML in .cache/plandocs/, so a rebuild converts only "
          "the pages whose Markdown changed (and parses only the files that changed)."),
    _site("nav_cache", FLAG, True,
          "Render Material's sidebar and header once for all the pages outside the nav that "
          "show them alike (orders, ADRs), instead of once a page."),
    _site("history", FLAG, True,
          "In a git checkout, read the planning files' history: a Changes page, a history "
          "line on each order and ADR, a burn-up chart on each phase page. Off: no git call "
          "at all."),
    _site("changes_since", TEXT, "", check=_since, help=
          "What the Changes page lists changes since: a tag, a date (2025-02-01) or "
          "`N days`; empty for the latest tag, or the last 30 days in a repository without "
          "tags."),
)
# fmt: on
_BY_NAME = {option.name: option for option in OPTIONS}


def settings_from_options(options: Mapping[str, object]) -> Settings:
    """Settings from the plugin's options in mkdocs.yml, checked; unknown keys are ignored.

    The one place options are validated, so the plugin and the CLI accept the same values.
    Raises ``SettingsError`` with a one-line message."""
    values: dict[str, object] = {}
    for key, raw in options.items():
        option = _BY_NAME.get(key)
        if raw is None or option is None or option.check is None:
            continue
        value = option.check(key, raw)
        if not option.site:
            values[key] = value
    return Settings(**values)  # type: ignore[arg-type]


def _cell(value: object) -> str:
    """An option's default as the options page shows it."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        value = str(value).lower()
    elif isinstance(value, (tuple, list)):
        value = f"[{', '.join(map(str, value))}]"
    elif isinstance(value, dict):
        value = "{}"
    return "`" + str(value).replace("|", "\\|") + "`"


def options_markdown() -> str:
    """docs/guide/options.md: every option in a table (``plandocs options --markdown``)."""
    lines = [
        "# Options",
        "",
        "The plugin's options, set under `plandocs:` in `plugins:` of `mkdocs.yml`. "
        "`plandocs check` and the other commands read the same options and refuse the same "
        "values. This page is made by `plandocs options --markdown`.",
        "",
        "| Option | Kind | Default | What it does |",
        "| --- | --- | --- | --- |",
    ]
    for option in OPTIONS:
        kind = f"{option.kind} {', '.join(option.choices)}" if option.choices else option.kind
        lines.append(f"| `{option.name}` | {kind} | {_cell(option.default)} | {option.help} |")
    return "\n".join(lines) + "\n"
