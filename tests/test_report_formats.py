"""``plandocs check --format github|gitlab|sarif``: findings where CI services show them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
import urllib.parse
from pathlib import Path

import pytest
import yaml

from plandocs.cli import formats as report_formats
from plandocs.cli import main as cli
from plandocs.core.diagnostics import ALL_CODES, Diagnostic, Level

from .conftest import ROOT

BAD = ROOT / "tests" / "fixtures" / "bad" / "mkdocs.yml"

FINDINGS = [
    Diagnostic("orders/a.md", 3, "plandocs.unknown-ref", Level.WARNING, "depends on X; 100% sure"),
    Diagnostic("orders/b, c:d.md", 0, "plandocs.empty-file", Level.ERROR, "line one\r\nline two"),
    Diagnostic("docs/x.md", 7, "plandocs.mojibake-repaired", Level.INFO, "repaired: a,b::c"),
]

# GitHub's documented syntax: "::{command} {parameters}::{message}", parameters
# "key=value" joined by ","; the runner undoes the toolkit's escapes.
_COMMAND = re.compile(r"^::(?P<command>error|warning|notice) (?P<params>[^:]*)::(?P<message>.*)$")


def _unescape(text: str) -> str:
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def parse_github(output: str) -> list[dict[str, str]]:
    """Each line read back as the runner reads it."""
    commands = []
    for line in output.splitlines():
        match = _COMMAND.match(line)
        assert match, f"not a workflow command: {line!r}"
        params = dict(part.split("=", 1) for part in match.group("params").split(","))
        commands.append(
            {
                "command": match.group("command"),
                **{key: _unescape(value) for key, value in params.items()},
                "message": _unescape(match.group("message")),
            }
        )
    return commands


def test_github_commands_read_back_as_the_findings() -> None:
    commands = parse_github(report_formats.github(FINDINGS))
    assert commands == [
        {
            "command": "warning",
            "file": "orders/a.md",
            "line": "3",
            "title": "plandocs.unknown-ref",
            "message": "depends on X; 100% sure",
        },
        {
            "command": "error",
            "file": "orders/b, c:d.md",
            "title": "plandocs.empty-file",
            "message": "line one\r\nline two",
        },
        {
            "command": "notice",
            "file": "docs/x.md",
            "line": "7",
            "title": "plandocs.mojibake-repaired",
            "message": "repaired: a,b::c",
        },
    ]


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("100%", "100%25", "100%25"),
        ("a\nb\rc", "a%0Ab%0Dc", "a%0Ab%0Dc"),
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
        ("%0A", "%250A", "%250A"),  # an escape written by the writer stays as written
    ],
)
def test_github_escapes(text: str, data: str, prop: str) -> None:
    assert report_formats.github_data(text) == data
    assert report_formats.github_property(text) == prop


@pytest.mark.parametrize(
    ("file", "shown"),
    [
        ("docs/adr/ADR-4-a\n::warning::forged.md", "docs/adr/ADR-4-a\\n::warning::forged.md"),
        ("orders/x\r\x1b[31mred\x85\u2028.md", "orders/x\\r\\x1b[31mred\\x85\\u2028.md"),
        ("orders/plain name, 100%.md", "orders/plain name, 100%.md"),
        ("orders/ORDER_\u202eDM.md", "orders/ORDER_\\u202eDM.md"),
    ],
)
def test_the_text_format_names_a_file_on_one_line(file: str, shown: str) -> None:
    """A file name is the writer's text too: a line break in it made a second log line that
    a CI runner reads as its own (``::warning::...``), an ESC a terminal's colour command."""
    finding = Diagnostic(file, 3, "plandocs.bad-field", Level.WARNING, "m")
    for text in (finding.format(), finding.format(with_level=True)):
        assert len(text.splitlines()) == 1
        assert "\x1b" not in text
        assert text.startswith(f"{shown}:3: ")


def test_the_prefix_places_findings_from_the_repository_root() -> None:
    out = parse_github(report_formats.github(FINDINGS[:1], "site"))
    assert out[0]["file"] == "site/orders/a.md"
    assert report_formats.repo_path(FINDINGS[0], "") == "orders/a.md"
    assert report_formats.repo_path(Diagnostic("a\\b.md", 1, "c", Level.INFO, "m")) == "a/b.md"


def test_gitlab_code_quality() -> None:
    issues = json.loads(report_formats.gitlab(FINDINGS))
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("plandocs.unknown-ref", "minor", {"path": "orders/a.md", "lines": {"begin": 3}}),
        ("plandocs.empty-file", "major", {"path": "orders/b, c:d.md", "lines": {"begin": 1}}),
        ("plandocs.mojibake-repaired", "info", {"path": "docs/x.md", "lines": {"begin": 7}}),
    ]
    assert issues[0]["description"] == "depends on X; 100% sure"
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}


def test_gitlab_fingerprints_are_stable_and_unique() -> None:
    moved = Diagnostic(
        "orders/a.md", 30, "plandocs.unknown-ref", Level.WARNING, FINDINGS[0].message
    )
    first = json.loads(report_formats.gitlab(FINDINGS))
    again = json.loads(report_formats.gitlab([moved, *FINDINGS[1:]]))
    # the same finding a few lines lower is the same issue to GitLab
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in again]
    twice = json.loads(report_formats.gitlab([FINDINGS[0], moved]))
    assert twice[0]["fingerprint"] != twice[1]["fingerprint"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["fingerprint"]) for i in first)


def test_sarif_log() -> None:
    log = json.loads(report_formats.sarif(FINDINGS, version="9.9", information_uri="https://x.y/"))
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["informationUri"]) == (
        "plandocs",
        "9.9",
        "https://x.y/",
    )
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [c.id for c in ALL_CODES]
    assert rules[0]["shortDescription"]["text"] == ALL_CODES[0].summary
    results = run["results"]
    assert [r["level"] for r in results] == ["warning", "error", "note"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    first = results[0]["locations"][0]["physicalLocation"]
    assert first == {"artifactLocation": {"uri": "orders/a.md"}, "region": {"startLine": 3}}
    # a finding about the whole file is placed on its first line: SARIF lines start at 1
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert results[1]["message"]["text"] == "line one\r\nline two"


@pytest.mark.parametrize(
    ("file", "uri"),
    [
        ("orders/a.md", "orders/a.md"),
        ("docs/adr/a%0A b.md", "docs/adr/a%250A%20b.md"),  # not read back as a line break
        ("c:d.md", "c%3Ad.md"),  # not a URI of scheme "c:"
        ("docs/x\n::y.md", "docs/x%0A%3A%3Ay.md"),
        ("docs/é #1?.md", "docs/%C3%A9%20%231%3F.md"),
    ],
)
def test_sarif_names_a_file_by_a_uri_that_reads_back(file: str, uri: str) -> None:
    """SARIF's ``uri`` is a URI reference, which a reader percent-decodes: a file named with
    ``%``, ``#``, ``?`` or ``:`` was read back as another file (or a URI of another scheme)."""
    finding = Diagnostic(file, 1, "plandocs.bad-field", Level.WARNING, "m")
    (result,) = json.loads(report_formats.sarif([finding]))["runs"][0]["results"]
    written = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert written == uri
    assert urllib.parse.unquote(written) == file


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = cli.main(args)
    return code, capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["github", "gitlab", "sarif", "json"])
def test_check_exit_codes_are_kept(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Findings exit 1 whatever the format; the example site's notes exit 0."""
    code, bad = run(["check", "-f", str(BAD), "--format", fmt], capsys)
    assert code == 1 and bad
    code, _ = run(["check", "-f", str(ROOT / "mkdocs.yml"), "--format", fmt], capsys)
    assert code == 0


def test_check_github_on_the_bad_fixture(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from the repository root, findings are placed under the fixture's folder."""
    monkeypatch.chdir(ROOT)
    _, out = run(["check", "-f", str(BAD), "--format", "github"], capsys)
    commands = parse_github(out)
    assert {c["command"] for c in commands} == {"error", "warning"}
    cycle = next(c for c in commands if c["title"] == "plandocs.cycle")
    assert cycle["file"] == "tests/fixtures/bad/orders/CP1_CYCLE_SUMMARY.md"
    assert (ROOT / cycle["file"]).is_file()
    assert cycle["line"] == "5"


def test_check_sarif_and_gitlab_name_files_that_exist(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BAD.parent)
    _, out = run(["check", "--format", "sarif"], capsys)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(out)["runs"][0]["results"]
    }
    assert uris and all((BAD.parent / uri).is_file() for uri in uris)
    _, out = run(["check", "--format", "gitlab"], capsys)
    assert {i["location"]["path"] for i in json.loads(out)} == uris


def test_check_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["check", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "0 no problems" in text and "1 errors or warnings found" in text
    assert "2 a usage problem" in text
    assert "github" in text and "gitlab" in text and "sarif" in text


def test_json_is_unchanged(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _, out = run(["check", "-f", str(BAD), "--format", "json"], capsys)
    findings = json.loads(out)
    assert findings and set(findings[0]) == {"code", "level", "file", "line", "message"}
    assert not findings[0]["file"].startswith("tests/")


CHECK_JSONSCHEMA = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
GUIDE = ROOT / "docs" / "guide" / "ci.md"


def guide_blocks() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    return [textwrap.dedent(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]


@pytest.mark.skipif(CHECK_JSONSCHEMA is None, reason="check-jsonschema is not installed")
@pytest.mark.parametrize("service", ["github-workflows", "gitlab-ci"])
def test_the_guide_s_ci_files_are_valid(service: str, tmp_path: Path) -> None:
    """The workflow and the job in docs/guide/ci.md pass the schemas GitHub and GitLab
    publish (the copies check-jsonschema ships); the SARIF steps are checked as part of the
    workflow."""
    workflow, sarif_steps, gitlab_job = guide_blocks()
    if service == "github-workflows":
        assert "plandocs check --format github" in workflow
        assert "upload-sarif" in sarif_steps
        # the SARIF steps go at the end of the workflow's steps, as the guide says
        text = workflow + textwrap.indent(sarif_steps, " " * 6)
    else:
        text = gitlab_job
        job = yaml.safe_load(text)["docs"]
        assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
        assert job["cache"]["paths"] == [".cache/plandocs"]
    # YAML, not JSON: GitHub reads `on:` as a key, as check-jsonschema does (PyYAML would
    # read it as true)
    target = tmp_path / "ci.yml"
    target.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", f"vendor.{service}", str(target)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
