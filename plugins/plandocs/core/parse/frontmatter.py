"""Frontmatter with line numbers. MkDocs drops frontmatter that does not parse without a word;
we report it, with the line YAML stopped at.

Frontmatter is written by many hands and read on every build, so the YAML is bounded
before it becomes Python values: a value whose aliases expand past a few thousand items
(the "billion laughs") or that nests deeper than any field needs is dropped with a finding,
as is a value that refers to itself. Tags are never obeyed (``!!python/object`` or a custom
``!tag`` gives the plain value and a finding), a date that is not a date stays text and is
reported, and a key given twice is reported at the line of the value that is used.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from plandocs.core.diagnostics import (
    BAD_FIELD,
    BAD_FRONTMATTER,
    YAML_ERROR,
    YAML_QUOTED,
    Code,
    quote,
)

_HANDLER = YAMLHandler()
# libyaml's safe loader where PyYAML was built with it: the same documents, several times faster.
_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:")
#: The most values one top-level field may hold once its aliases are expanded, and the most
#: for the whole block: far above any planning field, far below what takes a second to read.
MAX_VALUES = 10_000
MAX_TOTAL = 100_000
#: The deepest nesting of lists and mappings a field may have.
MAX_DEPTH = 32
#: Integers longer than this stay text: Python refuses to print ints past 4,300 digits.
_MAX_INT_BITS = 4_000
_STANDARD_TAG = "tag:yaml.org,2002:"

#: A finding about the block: (code, 1-based file line, message).
Finding = tuple[Code, int, str]
#: A problem while loading: (0-based line in the block, which is the file line minus one,
#: message, whether the message is to be prefixed with the top-level key it is under).
_Problem = tuple[int, str, bool]


@dataclass(frozen=True)
class Frontmatter:
    data: dict[str, object]
    #: 0-based index of the first body line in ``text.split("\n")``.
    body_start: int
    #: top-level key -> 1-based file line (of the value that is used, for a repeated key)
    key_lines: dict[str, int] = field(default_factory=dict)
    #: (code, line, message) when the block exists but cannot be used
    error: Finding | None = None
    present: bool = False
    #: problems in a block that is used: values dropped or kept as text, repeated keys
    findings: tuple[Finding, ...] = ()


class _Loader(_BASE):  # type: ignore[misc]
    """The safe loader, with the values it would raise on (or obey) turned into findings."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[_Problem] = []

    def construct_yaml_timestamp(self, node: ScalarNode) -> object:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            message = (
                f"{quote(node.value)} is not a date ({exc}); write a date as YYYY-MM-DD, "
                f"or quote the value to keep it as text"
            )
            self.problems.append((node.start_mark.line, message, True))
            return str(node.value)

    def construct_yaml_int(self, node: ScalarNode) -> object:
        try:
            value = super().construct_yaml_int(node)
        except ValueError:
            return str(node.value)
        # too long to be printed by Python: it is text that looks like a number
        return str(node.value) if abs(value).bit_length() > _MAX_INT_BITS else value

    def construct_undefined(self, node: Node) -> object:
        tag = str(node.tag)
        shown = "!!" + tag[len(_STANDARD_TAG) :] if tag.startswith(_STANDARD_TAG) else tag
        message = f"YAML tag {quote(shown)} is not read; the value is taken as it is written"
        self.problems.append((node.start_mark.line, message + ", remove the tag", True))
        if isinstance(node, MappingNode):
            return self.construct_mapping(node)
        if isinstance(node, SequenceNode):
            return self.construct_sequence(node)
        return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor(None, _Loader.construct_undefined)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _measure(
    root: Any, memo: dict[int, tuple[int, int]], children: Callable[[Any], list[Any]] = _children
) -> tuple[int, int] | None:
    """How many values ``root`` (a YAML node, or with ``_value_children`` a constructed
    value) holds with its aliases or shared parts expanded (capped just past ``MAX_TOTAL``)
    and how deep it nests; ``None`` when it contains itself. Each shared node is measured
    once (``memo``, by identity), and in a loop: nesting is bounded only by the parser."""
    if not children(root):  # most fields are one value: no walk, no memo
        return 1, 1
    active: set[int] = set()  # the nodes on the path being measured
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            active.discard(key)
            measured = [memo[id(child)] for child in children(node)]
            size = min(1 + sum(size for size, _ in measured), MAX_TOTAL + 1)
            memo[key] = (size, 1 + max((depth for _, depth in measured), default=0))
            continue
        if key in memo:
            continue
        active.add(key)
        stack.append((node, True))
        for child in children(node):
            if id(child) in active:
                return None
            if id(child) not in memo:
                stack.append((child, False))
    return memo[id(root)]


def _bounded(root: MappingNode) -> list[_Problem]:
    """Drop the top-level values that are too big, too deep or contain themselves from
    ``root`` before anything is constructed; the problems, by 0-based line in the block. An
    alias bomb is one finding however many keys it builds up with."""
    memo: dict[int, tuple[int, int]] = {}
    problems: list[_Problem] = []
    kept: list[tuple[Node, Node]] = []
    too_big: list[tuple[int, str]] = []
    total = 0
    for key, value in root.value:
        line = key.start_mark.line
        measured = [_measure(key, memo), _measure(value, memo)]
        if measured[0] is None or measured[1] is None:
            problems.append(
                (line, f"{_named(key)} refers to itself through a YAML alias; it is ignored", False)
            )
            continue
        (key_size, key_depth), (size, depth) = measured[0], measured[1]
        if max(key_depth, depth) > MAX_DEPTH:
            message = f"{_named(key)} nests more than {MAX_DEPTH} levels deep; it is ignored"
            problems.append((line, message, False))
            continue
        if key_size + size > MAX_VALUES or total + key_size + size > MAX_TOTAL:
            too_big.append((line, _named(key)))
            continue
        total += key_size + size
        kept.append((key, value))
    root.value = kept
    if too_big:
        names = [name for _, name in too_big]
        listed = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        message = (
            f"{listed} would hold more than {MAX_VALUES:,} values once YAML aliases "
            f"(*name) are expanded; {'they are' if len(names) > 1 else 'it is'} ignored, "
            f"write the values out"
        )
        problems.append((too_big[0][0], message, False))
    return problems


def _named(key: Node) -> str:
    """A top-level key as a finding names it (made only for a finding)."""
    return quote(key.value) if isinstance(key, ScalarNode) else "a key"


def _repeated_keys(root: Node) -> list[_Problem]:
    """A finding for each key that a mapping repeats, at the repeat: YAML keeps the last."""
    problems: list[_Problem] = []
    seen_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        # a scalar holds no mapping: most nodes are scalars, and are not visited
        stack.extend(child for child in _children(node) if not isinstance(child, ScalarNode))
        if not isinstance(node, MappingNode):
            continue
        first: dict[tuple[str, str], int] = {}
        repeats: list[tuple[int, str, int]] = []
        for key, _ in node.value:
            if not isinstance(key, ScalarNode):
                continue
            ident = (str(key.tag), str(key.value))
            if ident in first:
                repeats.append((key.start_mark.line, key.value, first[ident]))
            else:
                first[ident] = key.start_mark.line
        for line, name, earlier in repeats:
            last = max(r for r, n, _ in repeats if n == name)
            used = "this one" if line == last else f"the one on line {last + 1}"
            message = (
                f"key {quote(name)} is given again (first on line {earlier + 1}); "
                f"the last value is used ({used}), remove the others"
            )
            problems.append((line, message, False))
    return problems


def _regex_key_lines(raw: str) -> dict[str, int]:
    """``key: value`` lines read without YAML, for a block that does not parse."""
    key_lines: dict[str, int] = {}
    for index, raw_line in enumerate(raw.split("\n")):
        match = _KEY_LINE.match(raw_line)
        if match:
            key_lines.setdefault(match.group(1), index + 1)
    return key_lines


def _yaml_error(exc: yaml.YAMLError) -> tuple[int, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark is not None and context_mark.line + 1 != line:
        problem += f" ({context} started on line {context_mark.line + 1})"
    return line, f"frontmatter YAML does not parse: {problem}; fix the YAML syntax"


def _load(raw: str) -> tuple[object, dict[str, int], list[_Problem]]:
    """The block's value, its key lines and its problems (0-based lines in the block)."""
    loader = _Loader(raw)
    try:
        root = loader.get_single_node()
        if not isinstance(root, MappingNode):
            # not a mapping: only its kind is reported, so nothing needs constructing
            kind = "list" if isinstance(root, SequenceNode) else "single value"
            return (None if root is None else kind), {}, []
        problems = _bounded(root)
        problems += _repeated_keys(root)
        data = loader.construct_document(root)  # a mapping, or a set ("!!set")
        # the block's line 0 is the opening "---": a node's 0-based line is the file's 1-based
        key_lines = {
            str(k.value): k.start_mark.line + 1 for k, _ in root.value if isinstance(k, ScalarNode)
        }
        return data, key_lines, [*problems, *loader.problems]
    finally:
        loader.dispose()


# A value YAML cannot start a plain scalar with ("@alice", "`code`"), after a key or a list
# dash: Backlog.md and others write and read it as the text it is.
_RESERVED_START = re.compile(
    r"^(?P<lead>[ \t]*(?:[A-Za-z_][\w-]*[ \t]*:|-)[ \t]+)(?P<value>[@`][^\n]*?)[ \t]*$"
)
# A line of a block that is YAML: a "key:", a list item, or the block's end; a page that
# opens with "---" as a rule and goes on with "# Heading" or prose has none before its text.
# Frontmatter opens with exactly three dashes, as MkDocs (mkdocs.utils.meta), Jekyll and
# GitHub read it; python-frontmatter's handler takes "----" too, which is a rule: adr-writer
# 1.1.3 fences its "- Status:" list with "----" lines.
_OPENING = re.compile(r"---[ \t]*(?:\n|$)")
_MAPPING_START = re.compile(r"^(?:[\w\"'.-][^:\n]*:(?:[ \t]|$)|-[ \t]|-$|\{|---|\.\.\.)")


def _markdown_after_rule(text: str) -> bool:
    """Whether ``text`` opens with a ``---`` rule followed by Markdown rather than YAML: its
    first line that is neither blank nor a ``#`` line (a YAML comment, or a heading) is no
    ``key:`` line, or there is none. MkDocs, too, keeps such a page whole."""
    hashed = False
    for line in text.split("\n")[1:]:
        if line.startswith("#"):
            hashed = True
        elif line.strip():
            ends = line.startswith(("---", "..."))
            return _MAPPING_START.match(line) is None or (ends and hashed)
    return True


def _tool_quoted(raw: str) -> tuple[str, tuple[int, str] | None]:
    """``raw`` with each value YAML cannot start quoted, line for line, and the first such
    value with its 1-based line in the block (None when there is none)."""
    lines = raw.split("\n")
    first: tuple[int, str] | None = None
    for index, line in enumerate(lines):
        match = _RESERVED_START.match(line)
        if match:
            value = match.group("value")
            lines[index] = match.group("lead") + "'" + value.replace("'", "''") + "'"
            first = first or (index + 1, value)  # raw starts with the "---" line's end
    return "\n".join(lines), first


def mapping_node(text: str) -> MappingNode | None:
    """The frontmatter of ``text`` (LF line endings) as the YAML mapping node it is read as
    (a value quoted as ``read`` quotes it), its marks' lines the file's 0-based lines; None
    for frontmatter ``read`` takes for no mapping, or no frontmatter."""
    front = read(text)
    if not front.present or front.error is not None:
        return None
    raw = "\n".join(text.split("\n")[: front.body_start - 1])
    for block in (raw, _tool_quoted(raw)[0]):
        try:
            root = yaml.compose(block, Loader=_BASE)
        except yaml.YAMLError:
            continue
        return root if isinstance(root, MappingNode) else None
    return None


def _load_tool_quoted(
    raw: str,
) -> tuple[object, dict[str, int], list[_Problem], tuple[Finding, ...]] | None:
    """``_load`` of a block that is YAML once each value YAML cannot start (``assignee:
    @alice``) is quoted, with the finding that says so; None when it is not YAML that way
    either."""
    quoted, first = _tool_quoted(raw)
    if first is None:
        return None
    try:
        data, key_lines, problems = _load(quoted)
    except yaml.YAMLError:
        return None
    finding = (
        YAML_QUOTED,
        first[0],
        f"{quote(first[1])} cannot start a YAML value unquoted; it is read as the text it is, "
        f"as the tools that write it (Backlog.md) read it; quote it to make the frontmatter YAML",
    )
    return data, key_lines, problems, (finding,)


def read(text: str) -> Frontmatter:
    """Split and parse a YAML frontmatter block at the top of ``text`` (LF line endings)."""
    if not _OPENING.match(text) or _markdown_after_rule(text):
        return Frontmatter(data={}, body_start=0)
    try:
        raw, _ = _HANDLER.split(text)
    except ValueError:
        message = "frontmatter opened with '---' is never closed; add a closing '---' line"
        return Frontmatter(data={}, body_start=0, error=(YAML_ERROR, 1, message), present=True)
    body_start = raw.count("\n") + 1
    quoted: tuple[Finding, ...] = ()
    error: Finding | None = None
    try:
        data, key_lines, problems = _load(raw)
    except yaml.YAMLError as exc:
        loaded = _load_tool_quoted(raw)
        if loaded is None:
            error = (YAML_ERROR, *_yaml_error(exc))
        else:
            data, key_lines, problems, quoted = loaded
    if error is None and isinstance(data, dict | None):
        return Frontmatter(
            data={str(k): v for k, v in (data or {}).items()},
            body_start=body_start,
            key_lines=key_lines,
            present=True,
            findings=(*quoted, *_located(problems, key_lines)),
        )
    if error is None:
        shape = data if isinstance(data, str) else "set"
        message = f"frontmatter is a {shape}, not a mapping of 'key: value' lines"
        error = (BAD_FRONTMATTER, 2, message)
    return Frontmatter(
        data={}, body_start=body_start, key_lines=_regex_key_lines(raw), error=error, present=True
    )


def _located(problems: list[_Problem], key_lines: dict[str, int]) -> tuple[Finding, ...]:
    """Each problem as a ``bad-field`` finding at its file line, named by its top-level key
    when it is inside one's value (a date in a list says which field the list is)."""
    starts = sorted((line, key) for key, line in key_lines.items())
    found: list[Finding] = []
    for line, message, named in sorted(problems):
        at = line + 1
        position = bisect_right(starts, (at, "\uffff")) - 1
        where = f"{quote(starts[position][1])}: " if named and position >= 0 else ""
        found.append((BAD_FIELD, at, where + message))
    return tuple(found)


def bounded_meta(meta: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """MkDocs' own reading of a page's frontmatter (``page.meta``) without the values ``read``
    refuses (and reports): MkDocs and the theme print ``title`` and other values whole, and
    an alias bomb there never finishes."""
    memo: dict[int, tuple[int, int]] = {}
    kept = {}
    for key, value in meta.items():
        measured = _measure(value, memo, _value_children)
        if measured is not None and measured[0] <= MAX_VALUES and measured[1] <= MAX_DEPTH:
            kept[key] = value
    return kept if len(kept) < len(meta) else meta


def _value_children(value: object) -> list[object]:
    if isinstance(value, dict):
        return [part for pair in value.items() for part in pair]
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    return []


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
    if block is None or _markdown_after_rule(text):
        return 0
    return block.group(0).count("\n") + (0 if block.group(0).endswith("\n") else 1)


def repair_wanted(text: str) -> bool:
    """False when the frontmatter of ``text`` (LF line endings) says ``encoding_repair: off``;
    read line by line, not as YAML: it is asked before repair, when YAML may not parse."""
    if REPAIR_KEY not in text:
        return True
    block = _BLOCK.match(text)
    return block is None or _REPAIR_OFF.search(block.group(1)) is None


def repair_off(value: object) -> bool:
    """Whether a page's ``encoding_repair`` value is off, the one value it may have
    (``off`` unquoted is YAML's false)."""
    return value is False or value == "off"
