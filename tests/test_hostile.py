"""The hostile-input corpus (tests/hostile/cases.py), built end to end.

Each case is a tiny project built with a real ``mkdocs build --strict`` and checked with
``plandocs check``, each in a subprocess under a time limit and a 2 GiB memory limit. A
case gives its findings or a clean build: never a traceback, never a hang, never a file
written outside its project and site, and never a payload a browser would run.

All cases are queued when the first test needs one and run one per CPU, so the file costs
about the sum of its builds divided by the cores.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from .hostile.cases import CASES, Case
from .hostile.harness import LONGEST_FINDING, TIMEOUT, Result, Run, executable_in_site, run_case


@pytest.fixture(scope="session")
def hostile(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[dict[str, Future[Result]]]:
    """Every case the session selected, queued at once (``-k name`` runs just that one)."""
    selected = {
        item.callspec.params["case"].name
        for item in request.session.items
        if hasattr(item, "callspec") and isinstance(item.callspec.params.get("case"), Case)
    }
    root = tmp_path_factory.mktemp("hostile")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        yield {c.name: pool.submit(run_case, c, root) for c in CASES if c.name in selected}
        pool.shutdown(wait=True, cancel_futures=True)


def _result(hostile: dict[str, Future[Result]], case: Case) -> Result:
    return hostile[case.name].result()


def _satisfied(expected: str | tuple[str, ...], run: Run) -> bool:
    """A code is reported; of a tuple, any one. A name without ``plandocs.`` is text that
    the output must hold (a failure MkDocs reports itself, such as a bad option)."""
    options = (expected,) if isinstance(expected, str) else expected
    return any(
        (option in run.codes) if option.startswith("plandocs.") else (option in run.output)
        for option in options
    )


def _allowed(case: Case) -> set[str]:
    names: set[str] = set(case.tolerated)
    for expected in case.findings:
        names.update((expected,) if isinstance(expected, str) else expected)
    return names


def _traceback_line(output: str) -> str:
    """``KeyError: 0 at plandocs/views/pages.py:502``: the error and plandocs' last frame."""
    lines = output[output.index("Traceback") :].splitlines()
    frames = [line for line in lines if line.strip().startswith('File "') and "plandocs" in line]
    where = ""
    if frames:
        path, _, rest = frames[-1].strip()[6:].partition('", line ')
        where = f" at {'/'.join(Path(path).parts[-2:])}:{rest.split(',')[0]}"
    errors = [line for line in lines if line and not line.startswith((" ", "Traceback"))]
    return f"Traceback {errors[-1][:120] if errors else '?'}{where}"


def _problem(case: Case, run: Run) -> str | None:
    """What is wrong with one run, in one line; None when it gave what the case expects."""
    if run.timed_out:
        return f"timeout after {TIMEOUT:.0f} s"
    if "Traceback" in run.output:
        return _traceback_line(run.output)
    if run.returncode not in (0, 1, 2):
        return f"exit code {run.returncode} (killed, out of memory?)"
    missing = [e for e in case.findings if not _satisfied(e, run)]
    if missing:
        return f"expected findings not reported: {missing}"
    unexpected = run.codes - _allowed(case)
    if unexpected:
        return f"unexpected findings: {sorted(unexpected)}"
    if not case.findings and run.returncode != 0 and not run.codes:
        return f"a clean case failed with exit code {run.returncode} and no finding"
    if case.findings and run.returncode == 0:
        return "findings were expected, but it passed"
    lines = run.finding_lines()
    long = [line for line in lines if len(line) > LONGEST_FINDING]
    if long:
        return f"a finding of {len(long[0])} characters quotes its input whole"
    output = run.output.splitlines()
    absolute = [line for line in output if "/sandbox/" in line and "plandocs" in line]
    if absolute:
        return f"an absolute path in the output: {absolute[0][:160]}"
    if any("\x1b" in line for line in lines):
        return "a control character (ESC) from the input in a finding"
    if case.most_findings is not None and len(lines) > case.most_findings:
        return f"{len(lines)} findings, at most {case.most_findings} expected: {lines[:3]}"
    return None


def _assert_run(case: Case, run: Run, what: str) -> None:
    problem = _problem(case, run)
    if problem:
        pytest.fail(
            f"{case.name}: {what}: {problem}\n$ {' '.join(run.args)} "
            f"({run.seconds:.1f} s, exit {run.returncode})\n{run.tail()}",
            pytrace=False,
        )


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_build_strict(hostile: dict[str, Future[Result]], case: Case) -> None:
    """``mkdocs build --strict``: the case's findings or a clean build, in bounded time."""
    _assert_run(case, _result(hostile, case).build, "mkdocs build --strict")


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.check], ids=[c.name for c in CASES if c.check]
)
def test_check(hostile: dict[str, Future[Result]], case: Case) -> None:
    """``plandocs check`` reads the same files and reports the same way."""
    result = _result(hostile, case)
    assert result.check is not None
    _assert_run(case, result.check, "plandocs check")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_nothing_written_outside(hostile: dict[str, Future[Result]], case: Case) -> None:
    """Neither run writes outside the project's site and cache, nor into its sources."""
    result = _result(hostile, case)
    assert not result.stray, f"{case.name}: files changed outside site/ and .cache/: " + (
        ", ".join(result.stray)
    )


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_site_holds_text_only(hostile: dict[str, Future[Result]], case: Case) -> None:
    """Whatever the writer typed is text in every page, the search index and planning.json:
    no event handler, script, ``javascript:`` URL or ``<img src=x>`` from the input; no
    Jinja2 expression evaluated; no DOT statement escaped from its label."""
    result = _result(hostile, case)
    if not (result.site / "index.html").is_file():
        pytest.skip("no site: the strict build stopped before writing (see test_build_strict)")
    problems = executable_in_site(result.site, prose=case.prose)
    assert not problems, f"{case.name}: executable input in the site:\n" + "\n".join(problems)
    for text in case.absent:
        holders = [
            p.relative_to(result.site).as_posix()
            for p in sorted(result.site.rglob("*"))
            if p.suffix in (".html", ".json") and text in p.read_text("utf-8", "replace")
        ]
        assert not holders, f"{case.name}: {text!r} in {holders}"
    for page, text in case.not_in:
        path = result.site / page
        assert path.is_file(), f"{case.name}: no {page}"
        assert text not in path.read_text("utf-8"), f"{case.name}: {text!r} is in {page}"
    for page, text in case.present:
        held = (result.site / page).is_file() and text in (result.site / page).read_text("utf-8")
        assert held, f"{case.name}: {text!r} is not in {page}"


def test_every_case_has_a_unique_name() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))


def test_the_checker_finds_a_payload(tmp_path: Path) -> None:
    """The site check is not blind: raw payloads in a page and in the search index are
    found, escaped ones are not."""
    from .hostile.cases import PAYLOAD  # noqa: PLC0415

    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "index.html").write_text(f"<title>{PAYLOAD}</title>", encoding="utf-8")
    (site / "search" / "search_index.json").write_text(
        '{"docs": [{"title": "<img src=x onerror=alert(1)>"}]}', encoding="utf-8"
    )
    (site / "ok.html").write_text(
        "<title>&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;</title>", encoding="utf-8"
    )
    found = executable_in_site(site)
    assert any(f.startswith("index.html: <img src=x") for f in found), found
    assert any("onerror" in f and f.startswith("index.html") for f in found), found
    assert any(f.startswith("index.html: <script>") for f in found), found
    assert any("javascript:" in f for f in found), found
    assert any(f.startswith("search/search_index.json") for f in found), found
    assert not [f for f in found if f.startswith("ok.html")], found


def _hook_case(name: str, hook: str) -> Case:
    """A case whose build runs ``hook`` (a MkDocs hooks file): the harness's own tests."""
    from .hostile.cases import config, order  # noqa: PLC0415

    return Case(
        name,
        {"orders/ORDER_A.md": order(), "hook.py": hook},
        mkdocs_yml=config(extra="hooks:\n  - hook.py\n"),
        check=False,
    )


def test_the_harness_sees_a_stray_write(tmp_path: Path) -> None:
    hook = (
        "from pathlib import Path\n"
        "def on_post_build(config):\n"
        "    Path(config.config_file_path).parent.parent.joinpath('stray.txt').write_text('x')\n"
    )
    result = run_case(_hook_case("stray", hook), tmp_path)
    assert result.build.returncode == 0, result.build.tail()
    assert result.stray == ("a/b/c/stray.txt",)


def test_the_harness_stops_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from .hostile import harness  # noqa: PLC0415

    monkeypatch.setattr(harness, "TIMEOUT", 3)
    hook = "import time\ndef on_config(config):\n    time.sleep(60)\n"
    result = run_case(_hook_case("hang", hook), tmp_path)
    assert result.build.timed_out
    assert result.build.seconds < 30


def test_the_harness_bounds_memory(tmp_path: Path) -> None:
    hook = "def on_config(config):\n    config.extra['big'] = bytearray(3 * 1024**3)\n"
    result = run_case(_hook_case("memory", hook), tmp_path)
    assert result.build.returncode != 0
    assert "MemoryError" in result.build.output


def test_expected_codes_are_registered() -> None:
    """A case cannot wait for a code that does not exist (a typo would never be reported)."""
    from plandocs.core.diagnostics import ALL_CODES  # noqa: PLC0415

    known = {code.id for code in ALL_CODES}
    named = {name for case in CASES for name in _allowed(case) if name.startswith("plandocs.")}
    assert named <= known, sorted(named - known)


def test_a_fixed_diagram_is_redrawn(tmp_path: Path) -> None:
    """A dot block that held two graphs, then fixed: the rebuild (cache kept) shows each
    block's own graph. The cache once kept the wrong SVG until .cache was deleted."""
    from .hostile.harness import run_limited  # noqa: PLC0415

    case = next(c for c in CASES if c.name == "dot-block-two-graphs")
    result = run_case(case, tmp_path, strict=False, check=False)
    assert result.build.returncode == 0, result.build.tail()
    page = result.project / "docs" / "diagrams.md"
    page.write_text(
        "# Diagrams\n\n```dot\ndigraph a { x -> y }\n```\n\n```dot\ndigraph c { m -> n }\n```\n",
        encoding="utf-8",
    )
    again = run_limited(["mkdocs", "build", "-d", "site"], result.project, tmp_path)
    assert again.returncode == 0, again.tail()
    html = (result.site / "diagrams" / "index.html").read_text(encoding="utf-8")
    assert "<title>x&#45;&gt;y</title>" in html
    assert "<title>m&#45;&gt;n</title>" in html
    assert "p&#45;&gt;q" not in html
