"""What the core needs to know about a project: folders and patterns, with defaults that fit
the team's documents. The MkDocs adapter and the CLI both build one of these."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from functools import cached_property

DEFAULT_ORDER_ID = r"ORDER-[A-Z0-9]+(?:-[A-Z0-9]+)*-[0-9]+"
DEFAULT_ORDER_FILE = r"ORDER_[A-Za-z0-9_]+\.md"
DEFAULT_ADR_FILE = r"(?i:adr)[-_]?(?P<number>[0-9]+)(?:[-_. ].*)?\.md"
DEFAULT_PHASE = r"CP[0-9]+(?:-[A-Z][A-Z0-9]*)?"
DEFAULT_TASK_ID = r"CP[0-9]+(?:-[A-Z][A-Z0-9]*)+-[0-9]+"
ENCODING_REPAIR_CHOICES = ("info", "warning", "off")
#: the site-build options `workers` and `parse_workers` below 0: the build and `plandocs
#: check` say the same
WORKERS_REFUSED = "'{}' must be a whole number, 0 or more, not {}"
#: the default of `parse_workers`: helpers parse early, while the build is small
PARSE_WORKERS = 1
DEFAULT_LANGUAGES = ("en", "ru", "uk", "de", "fr", "es", "it", "pl", "cs", "pt", "zh", "ja", "ko")


@dataclass(frozen=True)
class Settings:
    #: Folder of order files and summary documents, relative to the project root;
    #: published under the same name in the site.
    orders_dir: str = "orders"
    #: Folder of the generated pages inside the site.
    output_dir: str = "planning"
    order_id_pattern: str = DEFAULT_ORDER_ID
    order_file_pattern: str = DEFAULT_ORDER_FILE
    adr_file_pattern: str = DEFAULT_ADR_FILE
    phase_pattern: str = DEFAULT_PHASE
    #: Regular expression of a task ID inside orders (CP3-GW-001); ``..003`` makes a range.
    task_id_pattern: str = DEFAULT_TASK_ID
    #: ADR numbers are zero-padded to this width: ADR-1, ADR-01, ADR-001 are one ID.
    adr_id_width: int = 3
    #: ADR statuses a team uses besides the usual ones (proposed, accepted, ...): kept as
    #: written here, never reported as unknown.
    adr_statuses: tuple[str, ...] = ()
    #: Phase suffixes that name a state of the base phase (CP2-LC); other suffixes are tracks.
    phase_states: tuple[str, ...] = ("LC",)
    #: Titles of phases, by ID.
    phase_titles: dict[str, str] = field(default_factory=dict, hash=False)
    #: File-name suffixes (``_RU``) that mark a language variant of an order's page.
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    #: Shallowest heading level that starts an order section in a summary document.
    summary_heading_level: int = 2
    #: Regular expressions of IDs that belong to other systems: text shaped like an order
    #: ID or ADR that matches one is not reported as a reference to nothing.
    external_ids: tuple[str, ...] = ()
    #: Mojibake is repaired on reading and each repaired file reported at this level:
    #: "info", "warning" (a strict build fails until the sources are fixed) or "off" (no repair).
    encoding_repair: str = "info"
    #: The most orders a diagram draws one by one; a bigger one is summarised by phase or
    #: owner (Graphviz takes minutes over thousands of boxes).
    diagram_limit: int = 400
    #: A project's own field names, on top of those plandocs knows (``parse.fields``):
    #: alias -> field (``assigned_people: owner``), so another tool's keys need no code.
    field_aliases: dict[str, str] = field(default_factory=dict, hash=False)
    #: The schedule's first working day (``schedule``); None: the earliest date in the
    #: orders (``created``, ``start``, a done date), else the build's day.
    schedule_start: date | None = None
    #: Days nobody works, besides Saturdays and Sundays: the schedule skips them.
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
        codes = "|".join(sorted({c.upper() for c in self.languages}))
        return re.compile(rf"[_.-](?P<lang>{codes})$", re.IGNORECASE)


_PATTERNS = (
    "order_id_pattern",
    "order_file_pattern",
    "adr_file_pattern",
    "phase_pattern",
    "task_id_pattern",
)


class SettingsError(ValueError):
    """A configuration value cannot be used; the message is one line."""


def path_in_site(key: str, raw: str, *, folder: bool) -> str:
    """``raw``, an option naming a place in the built site (``output_dir``, ``export``),
    as a ``/``-separated path inside it, or ``SettingsError``: a path that leaves the site
    would write outside it, or (``output_dir``) make pages MkDocs silently drops.

    A leading ``/`` of a folder means the site's root, as it always has; a file given an
    absolute path (``/tmp/x.json``) is refused rather than quietly moved into the site."""
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


def _text_list(key: str, raw: object) -> tuple[str, ...]:
    if not isinstance(raw, (list, tuple)) or not all(isinstance(v, str) for v in raw):
        raise SettingsError(f"'{key}' must be a list of text values, like [LC]")
    return tuple(raw)


def _whole_number(key: str, raw: object, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise SettingsError(f"'{key}' must be a whole number from {low} to {high}")
    return raw


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


def _aliases(raw: object) -> dict[str, str]:
    """``field_aliases``: each alias names one of the fields plandocs reads."""
    # the field table lives with the parser, which imports this module
    from plandocs.core.parse.fields import FIELDS  # noqa: PLC0415

    if not isinstance(raw, Mapping) or not all(isinstance(v, str) for v in raw.values()):
        raise SettingsError("'field_aliases' must map field names to fields, like assignee: owner")
    out: dict[str, str] = {}
    for alias, target in raw.items():
        if target not in FIELDS:
            raise SettingsError(
                f"'field_aliases' maps '{alias}' to '{target}', which is no field; "
                f"use one of {', '.join(FIELDS)}"
            )
        out[str(alias)] = target
    return out


def settings_from_options(options: Mapping[str, object]) -> Settings:
    """Settings from the plugin's options in mkdocs.yml, checked; unknown keys are ignored.

    The one place options are validated, so the plugin and the CLI accept the same values.
    Raises ``SettingsError`` with a one-line message."""
    known = {f.name for f in fields(Settings)}
    values: dict[str, object] = {}
    for key, raw in options.items():
        if key == "export" and raw:  # an option of the site build only: checked here too
            if not isinstance(raw, str):
                raise SettingsError(f"'export' must be text, not {type(raw).__name__}")
            path_in_site(key, raw, folder=False)
        if key == "changes_since" and raw is not None and not isinstance(raw, str):
            # an option of the site build only (git_history.cut_off reads it); a date
            # unquoted in YAML is read as one
            raise SettingsError(
                f"'changes_since' must be text (a tag, 'YYYY-MM-DD' quoted, or 'N days'), "
                f"not {type(raw).__name__}"
            )
        if key not in known or raw is None:
            continue
        value: object = raw
        if key in (*_PATTERNS, "orders_dir", "output_dir") and not isinstance(raw, str):
            raise SettingsError(f"'{key}' must be text, not {type(raw).__name__}")
        if key in _PATTERNS:
            try:
                re.compile(str(raw))
            except re.error as exc:
                raise SettingsError(f"'{key}' is not a valid regular expression: {exc}") from None
        elif key in ("phase_states", "languages", "adr_statuses"):
            value = _text_list(key, raw)
        elif key == "external_ids":
            value = _text_list(key, raw)
            for pattern in value:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise SettingsError(
                        f"'external_ids' holds {pattern!r}, not a valid regular expression: {exc}"
                    ) from None
        elif key == "phase_titles":
            if not isinstance(raw, Mapping) or not all(isinstance(v, str) for v in raw.values()):
                raise SettingsError("'phase_titles' must map phase IDs to titles, like CP2: Core")
            value = {str(k): str(v) for k, v in raw.items()}
        elif key == "field_aliases":
            value = _aliases(raw)
        elif key == "schedule_start":
            value = _date(key, raw)
        elif key == "holidays":
            if not isinstance(raw, (list, tuple)):
                raise SettingsError("'holidays' must be a list of dates, like [2025-12-25]")
            value = tuple(sorted({_date(key, day) for day in raw}))
        elif key == "summary_heading_level":
            value = _whole_number(key, raw, 1, 6)
        elif key == "adr_id_width":
            value = _whole_number(key, raw, 1, 9)
        elif key == "diagram_limit":
            value = _whole_number(key, raw, 2, 100_000)
        elif key == "output_dir":
            value = path_in_site(key, str(raw), folder=True)
        elif key == "orders_dir":
            value = str(raw)
        elif key == "encoding_repair" and raw is False:
            value = "off"  # YAML reads a bare `off` as false
        elif key == "encoding_repair" and raw not in ENCODING_REPAIR_CHOICES:
            choices = ", ".join(ENCODING_REPAIR_CHOICES)
            raise SettingsError(f"'encoding_repair' must be one of {choices}, not {raw!r}")
        values[key] = value
    return Settings(**values)  # type: ignore[arg-type]
