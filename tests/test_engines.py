"""Engines: the example site and the end-to-end fixture projects, built by MkDocs (this venv)
and by ProperDocs (the venv ``make test`` makes at ``.venv-properdocs``), compared file by file.

ProperDocs is the MkDocs 1.x fork; it loads plugins from the ``mkdocs.plugins`` and the
``properdocs.plugins`` entry points, and serves every ``import mkdocs...`` (plandocs',
Material's) from its own modules. The two sites are byte-identical but for one line: Material's
generator tag names the engine (``mkdocs-1.6.1``, ``mkdocs-ProperDocs 1.6.7``), which
``normalised`` replaces in both. Their logs are the same lines but for the site's folder and
the build's duration.

Every project is copied twice, one copy an engine, so each build is a cold one (its own
``.cache/plandocs/``); a copy's path does not show in its site.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_build_e2e import FIXTURES, ROOT, copy_fixture, snapshot

PROPERDOCS_VENV = Path(os.environ.get("PLANDOCS_PROPERDOCS_VENV", ROOT / ".venv-properdocs"))
PROPERDOCS_PYTHON = PROPERDOCS_VENV / "bin" / "python"
ENGINES = {
    "mkdocs": [sys.executable, "-m", "mkdocs"],
    "properdocs": [str(PROPERDOCS_PYTHON), "-m", "properdocs"],
}
# One build date for every build: MkDocs' sitemap and plandocs' schedule read it.
ENV = {
    **os.environ,
    "NO_MKDOCS_2_WARNING": "1",
    "PYTHONIOENCODING": "utf-8",
    "SOURCE_DATE_EPOCH": str(int(time.time())),
}
TIMEOUT = 180

pytestmark = pytest.mark.skipif(
    not PROPERDOCS_PYTHON.exists(),
    reason=f"no ProperDocs venv at {PROPERDOCS_VENV} (`make test` makes it)",
)

FIXTURE_NAMES = ("good", "bad", "edge", "plugins-mapping", "excluded-docs", "clash")
#: name: (the project to copy, strict)
PROJECTS = {
    "example": (ROOT, True),
    **{name: (FIXTURES / name, True) for name in FIXTURE_NAMES},
    "bad-loose": (FIXTURES / "bad", False),
}
#: Strict builds that must fail: their findings are errors.
FAILING = {"bad", "clash"}
_GENERATOR = re.compile(rb'(<meta name="generator" content=")mkdocs-[^,"]*')
_LOG = re.compile(r"^(INFO|WARNING|ERROR) +- ")
_LOG_VARIES = re.compile(r"Building documentation to directory|Documentation built in")


@dataclass(frozen=True)
class Built:
    returncode: int
    stdout: str
    stderr: str
    site: dict[str, bytes]

    @property
    def log(self) -> list[str]:
        """The build's log lines, less the two that name the site's folder and the duration."""
        lines = self.stderr.splitlines()
        return [line for line in lines if _LOG.match(line) and not _LOG_VARIES.search(line)]


def copy_project(source: Path, dest: Path) -> Path:
    """A copy of a project to build: the example site with its git history (the *Changes*
    page reads it) and what test_build_e2e watches of it, or a fixture as test_build_e2e
    copies it."""
    if source != ROOT:
        return copy_fixture(source.name, dest)
    dest.mkdir(parents=True)
    shutil.copytree(ROOT / ".git", dest / ".git", ignore=shutil.ignore_patterns("*.lock"))
    for part in ("docs", "orders"):
        shutil.copytree(ROOT / part, dest / part)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def build(engine: str, project: Path, site: Path, *, strict: bool) -> Built:
    args = [*ENGINES[engine], "build", "--strict" if strict else "--no-strict"]
    done = subprocess.run(
        [*args, "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )
    site_files = snapshot(site) if site.is_dir() else {}
    return Built(done.returncode, done.stdout, done.stderr, site_files)


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``<engine>/<project>``: the copies; ``<engine>/sites/<project>``: their sites."""
    return tmp_path_factory.mktemp("engines")


@pytest.fixture(scope="module")
def builds(tmp: Path) -> dict[tuple[str, str], Built]:
    """Every project built by every engine: ``(project, engine)`` -> the build."""
    jobs = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for name, (source, strict) in PROJECTS.items():
            for engine in ENGINES:
                project = copy_project(source, tmp / engine / name)
                site = tmp / engine / "sites" / name
                jobs[name, engine] = pool.submit(build, engine, project, site, strict=strict)
        return {key: job.result() for key, job in jobs.items()}


def normalised(site: dict[str, bytes]) -> dict[str, bytes]:
    """The site with Material's generator tag, which names the engine, made the same."""
    return {name: _GENERATOR.sub(rb"\1ENGINE", data) for name, data in site.items()}


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_both_engines_log_the_same_lines(builds: dict[tuple[str, str], Built], name: str) -> None:
    mkdocs, properdocs = builds[name, "mkdocs"], builds[name, "properdocs"]
    assert "Traceback" not in mkdocs.stderr + properdocs.stderr
    assert properdocs.returncode == mkdocs.returncode
    assert mkdocs.returncode == (1 if name in FAILING else 0), mkdocs.stderr
    assert properdocs.log == mkdocs.log
    assert properdocs.stdout == mkdocs.stdout


def test_properdocs_strict_mode_counts_every_plandocs_finding(
    builds: dict[tuple[str, str], Built],
) -> None:
    properdocs = builds["bad", "properdocs"]
    errors = [line for line in properdocs.log if line.startswith("ERROR   -  plandocs: ")]
    warnings = [line for line in properdocs.log if line.startswith("WARNING -  plandocs: ")]
    assert errors
    assert warnings
    counted = f"Aborted with {len(errors)} errors, {len(warnings)} warnings in strict mode!"
    assert counted in properdocs.stdout.splitlines()


@pytest.mark.parametrize("name", sorted(set(PROJECTS) - FAILING))
def test_both_engines_build_the_same_site(builds: dict[tuple[str, str], Built], name: str) -> None:
    mkdocs, properdocs = builds[name, "mkdocs"].site, builds[name, "properdocs"].site
    assert "index.html" in mkdocs
    assert sorted(properdocs) == sorted(mkdocs)
    different = [
        file for file, data in normalised(mkdocs).items() if normalised(properdocs)[file] != data
    ]
    assert different == []


def test_the_generator_tag_is_the_one_difference_and_names_the_engine(
    builds: dict[tuple[str, str], Built],
) -> None:
    mkdocs, properdocs = builds["example", "mkdocs"].site, builds["example", "properdocs"].site
    assert b'content="mkdocs-ProperDocs ' in properdocs["index.html"]
    assert b"ProperDocs" not in mkdocs["index.html"]
    assert any(mkdocs[file] != properdocs[file] for file in mkdocs)


@pytest.mark.parametrize("name", ["example", "bad-loose"])
def test_a_warm_properdocs_build_says_and_makes_what_the_cold_one_did(
    builds: dict[tuple[str, str], Built], tmp: Path, name: str
) -> None:
    """The second build reads the first one's caches (pages, parsed files, fragments)."""
    cold = builds[name, "properdocs"]
    warm = build("properdocs", tmp / "properdocs" / name, tmp / "warm" / name, strict=False)
    assert warm.log == cold.log
    assert warm.site == cold.site


def run_in_properdocs(code: str) -> str:
    done = subprocess.run(
        [str(PROPERDOCS_PYTHON), "-c", code],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return done.stdout.strip()


def test_the_plugin_is_registered_for_both_engines() -> None:
    code = (
        "from importlib.metadata import entry_points\n"
        "for group in ('mkdocs.plugins', 'properdocs.plugins'):\n"
        "    (plugin,) = entry_points(group=group, name='plandocs')\n"
        "    print(group, plugin.value)\n"
    )
    assert run_in_properdocs(code).splitlines() == [
        "mkdocs.plugins plandocs.mkdocs.plugin:PlandocsPlugin",
        "properdocs.plugins plandocs.mkdocs.plugin:PlandocsPlugin",
    ]


def test_under_properdocs_the_mkdocs_modules_are_properdocs() -> None:
    """The ``properdocs`` command makes ``import mkdocs...`` load ProperDocs' modules, for
    plandocs and for Material alike, though the ``mkdocs`` distribution is installed too
    (Material and plandocs require it)."""
    code = (
        "import properdocs.__main__, properdocs.plugins, mkdocs.plugins\n"
        "from material.plugins.search.plugin import SearchPlugin\n"
        "from plandocs.mkdocs.plugin import PlandocsPlugin\n"
        "print(mkdocs.plugins.__name__)\n"
        "for plugin in (SearchPlugin, PlandocsPlugin):\n"
        "    print(issubclass(plugin, properdocs.plugins.BasePlugin))\n"
    )
    assert run_in_properdocs(code).splitlines() == ["properdocs.plugins", "True", "True"]
