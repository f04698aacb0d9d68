"""The layers of the plandocs package and which imports which, read from the source (ast,
nothing is imported). Prints each layer with its modules and lines, then each layer's
imports of the others; tests/test_layout.py checks the rules of the layout on the same
graph.

    python scripts/import_graph.py
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "plandocs"
_TYPE_CHECKING = {"TYPE_CHECKING", "typing.TYPE_CHECKING"}


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _run_time(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of ``tree`` but those under ``if TYPE_CHECKING:``, which never runs."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and ast.unparse(node.test) in _TYPE_CHECKING:
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """What a module imports when it runs, at its top or in a function: each module of the
    package by name (``from a import b`` names ``a.b`` when that is a module), anything
    else by its full dotted name. An import only for type checkers is not counted."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in _run_time(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            out.add(base)
            out.update(f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known)
    out.discard(name)  # a package's ``from . import x``
    return out


def calls(path: Path) -> set[str]:
    """The dotted names a module reads as attributes of a name (``os.fork``, ``gc.freeze``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return {
        f"{node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
    }


def graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module's imports: the package's own modules and any other import."""
    found = modules(package)
    known = set(found)
    return {name: imported(name, path, known) for name, path in found.items()}


def layer(module: str) -> str:
    """The layer of a module of the package: its first part under ``plandocs``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles among the package's modules: each strongly connected group of
    more than one module, or a module importing itself (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges[node] & edges.keys()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in edges[node]:
                out.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out


def main() -> int:
    found = modules()
    edges = graph()
    lines: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for name, path in found.items():
        counts[layer(name)] += 1
        lines[layer(name)] += len(path.read_text(encoding="utf-8").splitlines())
    print(f"{'layer':<16}{'modules':>8}{'lines':>8}")
    for name in sorted(counts):
        print(f"{name:<16}{counts[name]:>8}{lines[name]:>8}")
    print(f"{'total':<16}{sum(counts.values()):>8}{sum(lines.values()):>8}\n")
    uses: dict[str, Counter[str]] = {}
    for module, targets in edges.items():
        for target in targets & edges.keys():
            if layer(target) != layer(module):
                uses.setdefault(layer(module), Counter())[layer(target)] += 1
    for name in sorted(counts):
        used = uses.get(name, Counter())
        shown = ", ".join(f"{other} ({count})" for other, count in sorted(used.items()))
        print(f"{name} -> {shown or '(nothing)'}")
    found_cycles = cycles(edges)
    print("\nimport cycles:", "; ".join(" <-> ".join(c) for c in found_cycles) or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
