"""The core stays free of MkDocs, so it can move to another engine."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

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
