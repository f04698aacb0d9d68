"""The package's layout keeps its rules: a pure core that can move to another engine, layers
that import downwards only, no import cycles, no fork. Read from the source's import graph
(``scripts/import_graph.py``), nothing imported, except where a test says so."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts/import_graph.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GRAPH = _script()
MODULES: dict[str, Path] = GRAPH.modules()
IMPORTS: dict[str, set[str]] = GRAPH.graph()
LAYERS = ("core", "project", "render", "graphviz", "cache", "mkdocs", "cli")
#: the layers each layer may import from, besides its own
BELOW = {
    "core": set(),
    "project": {"core"},
    "graphviz": {"core", "project"},
    "cache": {"core", "project"},
    "render": {"core", "project"},
}
#: what the core never imports: an engine, a database, threads or processes
NOT_IN_CORE = ("mkdocs", "material", "sqlite3", "threading", "multiprocessing", "subprocess")


def _in(layer: str) -> list[str]:
    return sorted(m for m in MODULES if GRAPH.layer(m) == layer and m != "plandocs")


def _top(name: str) -> str:
    return name.split(".", maxsplit=1)[0]


@pytest.mark.parametrize("module", _in("core"))
def test_the_core_imports_no_engine_database_thread_or_process(module: str) -> None:
    assert not {name for name in IMPORTS[module] if _top(name) in NOT_IN_CORE}
    assert not {"os.fork", "os.forkpty"} & GRAPH.calls(MODULES[module])


@pytest.mark.parametrize("layer", sorted(BELOW))
def test_a_lower_layer_imports_no_layer_above_it(layer: str) -> None:
    allowed = {layer, *BELOW[layer]}
    found = {
        (module, name)
        for module in _in(layer)
        for name in IMPORTS[module]
        if name in MODULES and GRAPH.layer(name) not in allowed
    }
    assert not found


def test_only_the_adapter_imports_mkdocs() -> None:
    found = {
        module
        for module, names in IMPORTS.items()
        if GRAPH.layer(module) != "mkdocs"
        and any(_top(name) in {"mkdocs", "material"} for name in names)
    }
    assert not found


def test_only_the_record_store_reaches_sqlite() -> None:
    assert {m for m, names in IMPORTS.items() if "sqlite3" in names} <= {"plandocs.cache.records"}


def test_nothing_forks_nor_holds_the_garbage_collector() -> None:
    held = {"os.fork", "os.forkpty", "gc.freeze", "gc.disable"}
    # but the writer's loop, which turns the collector off while a rebuild runs, in one place
    loop = "plandocs.mkdocs.garbage"
    assert not {m for m, path in MODULES.items() if m != loop and held & GRAPH.calls(path)}
    assert GRAPH.calls(MODULES[loop]) & held == {"gc.disable"}
    assert not {m for m, names in IMPORTS.items() if "multiprocessing" in map(_top, names)}


def test_there_are_no_import_cycles() -> None:
    """Counting imports inside functions (one put there to dodge a cycle is still one),
    not those only type checkers read."""
    assert GRAPH.cycles(IMPORTS) == []


def test_the_graph_sees_imports_of_every_kind(tmp_path: Path) -> None:
    package = tmp_path / "plandocs"
    (package / "core").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "core" / "__init__.py").write_text('"""The core."""\n', encoding="utf-8")
    (package / "core" / "c.py").write_text("from ..core import b\n", encoding="utf-8")
    (package / "core" / "a.py").write_text(
        "import os\nfrom plandocs.core import b\n\ndef f():\n    from .b import x\n    os.fork()\n",
        encoding="utf-8",
    )
    (package / "core" / "b.py").write_text("from plandocs.core.a import f\n", encoding="utf-8")
    (package / "core" / "d.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from plandocs.core.a import f\n",
        encoding="utf-8",
    )
    edges = GRAPH.graph(package)
    assert edges["plandocs.core.a"] == {"os", "plandocs.core", "plandocs.core.b"}
    assert edges["plandocs.core"] == set()
    assert edges["plandocs.core.c"] == {"plandocs.core", "plandocs.core.b"}
    assert GRAPH.cycles(edges) == [["plandocs.core.a", "plandocs.core.b"]]
    assert edges["plandocs.core.d"] == {"typing"}  # for type checkers only: never run
    assert "os.fork" in GRAPH.calls(package / "core" / "a.py")


def test_the_layers_are_those_the_layout_names() -> None:
    assert {GRAPH.layer(m) for m in MODULES} - {"plandocs"} <= set(LAYERS)


@pytest.mark.parametrize(
    "package", sorted(m for m, path in MODULES.items() if path.name == "__init__.py")
)
def test_every_package_says_what_it_is(package: str) -> None:
    tree = ast.parse(MODULES[package].read_text(encoding="utf-8"))
    assert (ast.get_docstring(tree) or "").strip(), f"{package}/__init__.py has no docstring"


CORE = [
    "plandocs.core.model",
    "plandocs.core.parse.documents",
    "plandocs.core.graph",
    "plandocs.project.load",
    "plandocs.render.pages",
    "plandocs.render.export",
    "plandocs.cli.main",
]


def test_core_and_cli_do_not_import_mkdocs() -> None:
    """Imported for real, in a process of its own: what the modules above import at run
    time, however they import it, brings no MkDocs module in."""
    code = (
        f"import importlib, sys\nfor name in {CORE!r}:\n    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith('mkdocs.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_plugin_is_registered_under_its_name() -> None:
    [entry] = [e for e in entry_points(group="mkdocs.plugins") if e.name == "plandocs"]
    assert entry.value == "plandocs.mkdocs.plugin:PlandocsPlugin"
