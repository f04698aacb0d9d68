"""Findings in the formats CI services read: GitHub Actions annotations, GitLab Code
Quality, SARIF 2.1.0 (code scanning), and the plain JSON list: pure functions, findings in,
text out. Each takes ``prefix``, the folder of mkdocs.yml in the repository (``""`` at its
root): a service places a finding by its path from the checkout's root, while a finding's
``file`` is relative to the project."""

from __future__ import annotations

import hashlib
import json
import posixpath
import urllib.parse
from collections import Counter
from collections.abc import Callable, Sequence

from plandocs import __version__
from plandocs.core.diagnostics import ALL_CODES, Diagnostic, Level

Formatter = Callable[[Sequence[Diagnostic], str], str]


def repo_path(diagnostic: Diagnostic, prefix: str = "") -> str:
    """The finding's file from the repository's root, with forward slashes."""
    file = diagnostic.file.replace("\\", "/")
    prefix = prefix.replace("\\", "/").strip("/")
    return posixpath.normpath(posixpath.join(prefix, file)) if prefix else file


# -- GitHub Actions -------------------------------------------------------------------
# https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
# ("::error file={name},line={line},title={title}::{message}"); the escapes are those of
# the runner's own toolkit (actions/toolkit, packages/core/src/command.ts: escapeData and
# escapeProperty), which the runner undoes.
_GITHUB_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def github_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF escaped (``%`` first)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A workflow command's property value: as a message, and ``:`` and ``,`` too, which
    would otherwise end the value."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def github(diagnostics: Sequence[Diagnostic], prefix: str = "") -> str:
    """One workflow command per finding, so each becomes an annotation on the lines of the
    pull request's diff; a finding about a whole file (line 0) has no ``line``."""
    out: list[str] = []
    for finding in diagnostics:
        props = [f"file={github_property(repo_path(finding, prefix))}"]
        if finding.line:
            props.append(f"line={finding.line}")
        props.append(f"title={github_property(finding.code)}")
        command = _GITHUB_COMMAND[finding.level]
        out.append(f"::{command} {','.join(props)}::{github_data(finding.message)}\n")
    return "".join(out)


# -- GitLab Code Quality --------------------------------------------------------------
# https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
_GITLAB_SEVERITY = {Level.ERROR: "major", Level.WARNING: "minor", Level.INFO: "info"}


def gitlab(diagnostics: Sequence[Diagnostic], prefix: str = "") -> str:
    """GitLab's Code Quality report. GitLab tells new findings from old ones by ``fingerprint``,
    so it leaves out the line (a finding does not become new because lines were added above
    it); findings alike in all else are told apart by their order in the file."""
    seen: Counter[tuple[str, str, str]] = Counter()
    issues: list[dict[str, object]] = []
    for finding in diagnostics:
        path = repo_path(finding, prefix)
        key = (finding.code, path, finding.message)
        seen[key] += 1
        fingerprint = hashlib.sha256("\0".join((*key, str(seen[key]))).encode("utf-8")).hexdigest()
        issues.append(
            {
                "description": finding.message,
                "check_name": finding.code,
                "fingerprint": fingerprint,
                "severity": _GITLAB_SEVERITY[finding.level],
                "location": {"path": path, "lines": {"begin": max(finding.line, 1)}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


# -- SARIF 2.1.0 ----------------------------------------------------------------------
# https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def sarif(
    diagnostics: Sequence[Diagnostic],
    prefix: str = "",
    *,
    version: str = __version__,
    information_uri: str | None = None,
) -> str:
    """A SARIF 2.1.0 log of one run: every code of the registry is a rule (with its
    summary), every finding a result pointing at its file and line."""
    index = {code.id: number for number, code in enumerate(ALL_CODES)}
    driver: dict[str, object] = {"name": "plandocs", "version": version}
    if information_uri:
        driver["informationUri"] = information_uri
    driver["rules"] = [
        {
            "id": code.id,
            "name": code.name,
            "shortDescription": {"text": code.summary},
            "defaultConfiguration": {"level": _SARIF_LEVEL[code.level]},
        }
        for code in ALL_CODES
    ]
    results: list[dict[str, object]] = []
    for finding in diagnostics:
        # a finding about the whole file (line 0) points at its first line: SARIF counts
        # lines from 1, and code scanning wants a line to show a result at
        location = {
            # a URI reference, which readers percent-decode: a file named with "%", "#",
            # "?" or ":" must not read back as another file or a URI of another scheme
            "artifactLocation": {"uri": urllib.parse.quote(repo_path(finding, prefix))},
            "region": {"startLine": max(finding.line, 1)},
        }
        results.append(
            {
                "ruleId": finding.code,
                **({"ruleIndex": index[finding.code]} if finding.code in index else {}),
                "level": _SARIF_LEVEL[finding.level],
                "message": {"text": finding.message},
                "locations": [{"physicalLocation": location}],
            }
        )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


# -- plain JSON ------------------------------------------------------------------------
def plain_json(diagnostics: Sequence[Diagnostic], prefix: str = "") -> str:
    """The findings as ``Diagnostic.as_json`` gives them, paths relative to the project."""
    return json.dumps([d.as_json() for d in diagnostics], ensure_ascii=False, indent=2) + "\n"


#: ``plandocs check --format`` names, besides ``text``.
FORMATS: dict[str, Formatter] = {
    "json": plain_json,
    "github": github,
    "gitlab": gitlab,
    "sarif": sarif,
}
