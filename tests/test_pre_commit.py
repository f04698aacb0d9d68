"""The hooks of ``.pre-commit-hooks.yaml``, run by the real pre-commit (``try-repo``) in a
throw-away repository, as a team that adds them to its ``.pre-commit-config.yaml`` runs them.

pre-commit installs the hooks' repository with pip into an environment of its own (in
tmp_path, through ``PRE_COMMIT_HOME``), so this test needs PyPI for plandocs' dependencies;
one test runs both hooks, so that the environment is installed once. The hooks' repository
is a commit of this working tree's package files: ``try-repo`` on this checkout would leave
out files not committed yet."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus.mojibake import mojibake

from .conftest import ROOT

pytest.importorskip("pre_commit")

_PACKAGE_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
_GOOD_ORDER = """---
id: ORDER-WRK-1-CP1-001
title: Publish the site
owner: wrk-1
status: planned
---

# ORDER-WRK-1-CP1-001: Publish the site
"""
_BROKEN_ORDER = """---
id: ORDER-WRK-1-CP1-002
title: Search
owner: wrk-1
status: planned
depends_on: [ORDER-WRK-1-CP1-009]
---

# ORDER-WRK-1-CP1-002: Search
"""
_ADR = "# 1. Record decisions\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n"
_CLEAN_NOTE = "# Notes\n\nГотово — “quoted”.\n"


def _git(folder: Path, *argv: str) -> None:
    subprocess.run(["git", *argv], cwd=folder, check=True, capture_output=True, env=_env())


def _env(home: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.org",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.org",
        GIT_CONFIG_NOSYSTEM="1",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    if home is not None:
        env["PRE_COMMIT_HOME"] = str(home)
    return env


def _hook_repo(folder: Path) -> Path:
    """A git repository of the package as it is in this working tree."""
    folder.mkdir()
    for name in _PACKAGE_FILES:
        shutil.copy(ROOT / name, folder / name)
    shutil.copytree(
        ROOT / "plugins" / "plandocs",
        folder / "plugins" / "plandocs",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    _git(folder, "init", "-q")
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", "hooks")
    return folder


def _try(project: Path, hooks: Path, home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), *argv],
        cwd=project,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard: installing the environment takes some seconds
        check=False,
    )


def _section(run: subprocess.CompletedProcess[str], hook: str) -> str:
    """What pre-commit printed for ``hook``: its line ("....Passed") and what follows."""
    lines = run.stdout.splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"^plandocs [a-z-]+\.{3}", line)]
    for number, start in enumerate(starts):
        if lines[start].startswith(f"{hook}."):
            end = starts[number + 1] if number + 1 < len(starts) else len(lines)
            return "\n".join(lines[start:end])
    raise AssertionError(f"{hook} did not run:\n{run.stdout}{run.stderr}")


def _result(run: subprocess.CompletedProcess[str], hook: str) -> str:
    """ "Passed", "Failed" or "Skipped": what pre-commit printed for ``hook``."""
    return _section(run, hook).split("\n", 1)[0].rsplit(".", 1)[-1].split()[0]


def test_hooks_with_the_real_pre_commit(tmp_path: Path) -> None:
    # try-repo installs the hooks' environment on every run: three runs of both hooks
    hooks = _hook_repo(tmp_path / "hooks")
    home = tmp_path / "pre-commit-home"
    project = tmp_path / "project"
    (project / "docs" / "adr").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - plandocs\n", "utf-8")
    (project / "docs" / "adr" / "0001-record-decisions.md").write_text(_ADR, "utf-8")
    (project / "docs" / "ORDER_WRK_1_CP1_SITE.md").write_text(_GOOD_ORDER, "utf-8")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "planning")

    # a clean project passes both
    clean = _try(project, hooks, home, "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert _result(clean, "plandocs check") == "Passed"
    assert _result(clean, "plandocs fix-encoding") == "Passed"

    # a dependency on an order nobody wrote fails the check, naming the file and the ID; a
    # staged file with mojibake is repaired, and that hook fails so the writer sees it
    (project / "docs" / "ORDER_WRK_1_CP1_SEARCH.md").write_text(_BROKEN_ORDER, "utf-8")
    note = project / "docs" / "notes.md"
    note.write_text(mojibake(_CLEAN_NOTE, "cp1252"), "utf-8")
    assert note.read_text("utf-8") != _CLEAN_NOTE
    _git(project, "add", "-A")
    broken = _try(project, hooks, home)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert _result(broken, "plandocs check") == "Failed"
    assert "docs/ORDER_WRK_1_CP1_SEARCH.md:" in broken.stdout
    assert "ORDER-WRK-1-CP1-009" in broken.stdout
    repair = _section(broken, "plandocs fix-encoding")
    assert repair.startswith("plandocs fix-encoding.") and repair.split("\n")[0].endswith("Failed")
    assert "files were modified by this hook" in repair
    # pre-commit fails a hook that changed a file anyway; the exit status says so too, for
    # runners that only look at it (a plain git hook, lefthook)
    assert "- exit code: 1" in repair
    assert "docs/notes.md: repaired 1 line (cp1252)" in repair
    check = _section(broken, "plandocs check")
    assert "docs/ORDER_WRK_1_CP1_SEARCH.md:" in check
    assert note.read_text("utf-8") == _CLEAN_NOTE

    # the order fixed and the repair staged, both pass
    (project / "docs" / "ORDER_WRK_1_CP1_SEARCH.md").unlink()
    _git(project, "add", "-A")
    fixed = _try(project, hooks, home)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert _result(fixed, "plandocs fix-encoding") == "Passed"
    assert _result(fixed, "plandocs check") == "Passed"
