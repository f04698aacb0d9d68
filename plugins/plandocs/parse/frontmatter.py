"""Frontmatter with line numbers. MkDocs drops frontmatter that does not parse without a word;
we report it, with the line YAML stopped at."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from frontmatter.default_handlers import YAMLHandler

from ..diagnostics import BAD_FRONTMATTER, YAML_ERROR, Code

_HANDLER = YAMLHandler()
# libyaml's safe loader where PyYAML was built with it: the same documents, several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:")


@dataclass(frozen=True)
class Frontmatter:
    data: dict[str, object]
    #: 0-based index of the first body line in ``text.split("\n")``.
    body_start: int
    #: top-level key -> 1-based file line
    key_lines: dict[str, int] = field(default_factory=dict)
    #: (code, line, message) when the block exists but cannot be used
    error: tuple[Code, int, str] | None = None
    present: bool = False


def read(text: str) -> Frontmatter:
    """Split and parse a YAML frontmatter block at the top of ``text`` (LF line endings)."""
    if not _HANDLER.detect(text):
        return Frontmatter(data={}, body_start=0)
    try:
        raw, _ = _HANDLER.split(text)
    except ValueError:
        return Frontmatter(
            data={},
            body_start=0,
            error=(
                YAML_ERROR,
                1,
                "frontmatter opened with '---' is never closed; add a closing '---' line",
            ),
            present=True,
        )
    body_start = raw.count("\n") + 1
    key_lines: dict[str, int] = {}
    for index, raw_line in enumerate(raw.split("\n")):
        match = _KEY_LINE.match(raw_line)
        if match:
            key_lines.setdefault(match.group(1), index + 1)
    try:
        data = _HANDLER.load(raw, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark is not None and context_mark.line + 1 != line:
            problem += f" ({context} started on line {context_mark.line + 1})"
        return Frontmatter(
            data={},
            body_start=body_start,
            key_lines=key_lines,
            error=(
                YAML_ERROR,
                line,
                f"frontmatter YAML does not parse: {problem}; fix the YAML syntax",
            ),
            present=True,
        )
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Frontmatter(
            data={},
            body_start=body_start,
            key_lines=key_lines,
            error=(
                BAD_FRONTMATTER,
                2,
                f"frontmatter is a {type(data).__name__}, not a mapping of 'key: value' lines",
            ),
            present=True,
        )
    return Frontmatter(
        data={str(k): v for k, v in data.items()},
        body_start=body_start,
        key_lines=key_lines,
        present=True,
    )


#: The frontmatter key with which a page keeps its text as written (a page that shows
#: mojibake on purpose): ``encoding_repair: off``.
REPAIR_KEY = "encoding_repair"
_BLOCK = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)
# YAML's false (off, false, no in any case) or the text 'off'
_REPAIR_OFF = re.compile(
    rf"^{REPAIR_KEY}[ \t]*:[ \t]*(?:(?i:off|false|no)|'off'|\"off\")[ \t]*(?:#.*)?$",
    re.MULTILINE,
)


def block_lines(text: str) -> int:
    """How many lines the frontmatter block at the top of ``text`` (LF line endings) takes,
    its two ``---`` lines included; 0 when there is none."""
    block = _BLOCK.match(text)
    return block.group(0).count("\n") + (0 if block.group(0).endswith("\n") else 1) if block else 0


def repair_wanted(text: str) -> bool:
    """False when the frontmatter of ``text`` (LF line endings) says ``encoding_repair: off``.

    Read line by line, not as YAML: it is asked before repair, when a broken frontmatter may
    not parse."""
    if REPAIR_KEY not in text:
        return True
    block = _BLOCK.match(text)
    return block is None or _REPAIR_OFF.search(block.group(1)) is None


def repair_off(value: object) -> bool:
    """Whether a page's ``encoding_repair`` value is off, the one value it may have
    (``off`` unquoted is YAML's false)."""
    return value is False or value == "off"
