"""Score plandocs' encoding repair against ftfy on the mojibake corpus, and time them.

    .venv/bin/python bench/encoding_repair.py [--quick] [--failures] [--seed N] [--no-prose]

Accuracy comes from tests/corpus/mojibake.py: per broken category, the share of cases whose
output equals the expected text exactly, and the share of clean cases that were changed at all.
Throughput is measured on ``mixed_document()`` (5 MB, best of 3 runs; 1 MB and one run with
``--quick``). ftfy is scored with its defaults and with a few configurations narrowed to
encoding repair; the one with the most correct cases is reported as "ftfy best".

Real prose: the Markdown documentation installed on the machine (``*.md`` and ``*.md.gz``
under /usr/share/doc and this interpreter's site-packages; the script says what it read and
skips this part when there is none) is mojibaked file by file with each code page of
``PROSE_CODECS``, whole and in every other non-ASCII line, and each tool is scored on the
files and lines it gives back byte for byte and the clean lines it changes.

The script only prints: the targets at the end say PASS or FAIL, the exit status stays 0.
Cases listed in tests/corpus/known_failures.txt still count as failures.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import sysconfig
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import ftfy

ROOT = Path(__file__).resolve().parents[1]
KNOWN_FAILURES = ROOT / "tests" / "corpus" / "known_failures.txt"

if TYPE_CHECKING:
    from tests.corpus.mojibake import Case

Repair = Callable[[str], str]

TARGET_BROKEN_EXACT = 0.98
TARGET_CLEAN_CHANGED = 0.005


@dataclass
class Score:
    """How one tool did on the corpus."""

    name: str
    exact: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    clean_changed: int = 0
    clean_total: int = 0
    # (case, output or None, error message): broken cases not repaired exactly, clean changed
    failures: list[tuple[Case, str | None, str]] = field(default_factory=list)

    @property
    def broken_exact(self) -> int:
        return sum(self.exact.values())

    @property
    def broken_total(self) -> int:
        return sum(self.total.values())

    @property
    def broken_rate(self) -> float:
        return self.broken_exact / self.broken_total

    @property
    def clean_rate(self) -> float:
        return self.clean_changed / self.clean_total

    @property
    def correct(self) -> int:
        """Cases right overall: broken ones repaired exactly, clean ones left alone."""
        return self.broken_exact + self.clean_total - self.clean_changed


def score(name: str, repair: Repair, cases: Sequence[Case]) -> Score:
    result = Score(name)
    for case in cases:
        output: str | None
        try:
            output = repair(case.text)
            error = ""
        except Exception as exc:  # a crash on one case is a failure of that case, not the run
            output, error = None, f"{type(exc).__name__}: {exc}"
        ok = output == case.expected
        if case.broken:
            result.total[case.category] = result.total.get(case.category, 0) + 1
            result.exact[case.category] = result.exact.get(case.category, 0) + ok
        else:
            result.clean_total += 1
            result.clean_changed += not ok
        if not ok:
            result.failures.append((case, output, error))
    return result


def throughput(repair: Repair, text: str, runs: int) -> tuple[float, str]:
    """Best MB/s of ``runs`` runs (1 MB = 10**6 bytes of UTF-8 input), and the last output."""
    megabytes = len(text.encode("utf-8")) / 1e6
    best = float("inf")
    # One-time set-up (compiling patterns, building tables) is not throughput: warm up on a
    # small piece first, the same for every tool.
    output = repair(text[:20_000])
    for _ in range(runs):
        start = time.perf_counter()
        output = repair(text)
        best = min(best, time.perf_counter() - start)
    return megabytes / best, output


def ftfy_variants() -> dict[str, tuple[Repair, str]]:
    """name -> (repair, how it is called): ftfy as it comes and narrowed to encoding repair."""
    encoding_only = {
        "unescape_html": False,
        "remove_terminal_escapes": False,
        "fix_character_width": False,
        "uncurl_quotes": False,
        "fix_latin_ligatures": False,
        "normalization": None,
        "fix_line_breaks": False,
        "remove_control_chars": False,
        "fix_surrogates": False,
        "explain": False,
    }

    def fix_text_with(**options: object) -> tuple[Repair, str]:
        config = ftfy.TextFixerConfig(**options)  # type: ignore[arg-type]
        shown = ", ".join(f"{key}={value!r}" for key, value in options.items())
        return (lambda text: ftfy.fix_text(text, config)), f"ftfy.fix_text(text, {shown})"

    return {
        "ftfy default": (ftfy.fix_text, "ftfy.fix_text(text)"),
        "ftfy encoding-only": fix_text_with(**encoding_only),
        "ftfy encoding-only, keep lossy": fix_text_with(
            **encoding_only, replace_lossy_sequences=False
        ),
        "ftfy encoding-only, no inconsistent-utf8": fix_text_with(
            **encoding_only, decode_inconsistent_utf8=False
        ),
        "ftfy encoding-only, keep C1": fix_text_with(**encoding_only, fix_c1_controls=False),
        "ftfy fix_encoding": (ftfy.fix_encoding, "ftfy.fix_encoding(text)"),
    }


def read_known_failures(path: Path = KNOWN_FAILURES) -> set[str]:
    known = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        case_id = line.split("#", 1)[0].strip()
        if case_id:
            known.add(case_id)
    return known


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def _clip(text: str | None) -> str:
    if text is None:
        return "(raised)"
    return repr(text[:80]) + (" …" if len(text) > 80 else "")


def _lines_correct(output: str, expected: str) -> str:
    # Only "\n": str.splitlines() would also split at the U+0085 that latin1 mojibake contains.
    got, want = output.split("\n"), expected.split("\n")
    same = sum(a == b for a, b in zip(got, want, strict=False))
    return f"{same / len(want):.2%}" + ("" if len(got) == len(want) else " (line count differs)")


# --- real prose: Markdown documentation shipped by Debian and PyPI packages ----------------

#: Where the real-prose measure looks for Markdown (``*.md``, and ``*.md.gz`` as Debian
#: compresses them): documentation nobody here wrote.
PROSE_ROOTS = (Path("/usr/share/doc"), Path(sysconfig.get_paths()["purelib"]))
#: Larger files (long changelogs) are left out so that the measure takes seconds.
PROSE_MAX_BYTES = 300_000
#: Code pages the files are mojibaked with, one file at a time, the way the corpus does.
PROSE_CODECS = ("cp1252", "mac_roman", "cp1251", "cp437")


def read_prose(roots: Sequence[Path] = PROSE_ROOTS) -> tuple[list[tuple[str, str]], str]:
    """(name, text) of each distinct UTF-8 Markdown file under ``roots`` that holds non-ASCII
    text (mojibake leaves ASCII alone), and a line saying what was read."""
    found: dict[str, str] = {}
    looked = 0
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*.md*")):
            if not path.name.endswith((".md", ".md.gz")) or not path.is_file():
                continue
            try:
                data = path.read_bytes()
                if path.name.endswith(".gz"):
                    data = gzip.decompress(data)
                text = data.decode("utf-8")
            except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError):
                continue
            looked += 1
            if len(data) <= PROSE_MAX_BYTES and not text.isascii() and text not in found:
                found[text] = str(path)
    files = sorted((name, text) for text, name in found.items())
    where = ", ".join(str(root) for root in roots if root.is_dir()) or "nothing"
    return files, (
        f"{looked} Markdown files read under {where}; {len(files)} distinct ones with "
        f"non-ASCII text, at most {PROSE_MAX_BYTES // 1000} kB each"
    )


@dataclass
class ProseScore:
    """How one tool did on real prose."""

    files: int = 0
    files_exact: int = 0
    broken_lines: int = 0
    broken_lines_exact: int = 0
    # lines the damage left alone (ASCII, or clean in a pasted file) that the tool changed
    clean_lines: int = 0
    clean_lines_changed: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, damaged: str, original: str, output: str, name: str) -> None:
        self.files += 1
        self.files_exact += output == original
        for before, after, want in zip(
            damaged.split("\n"), output.split("\n"), original.split("\n"), strict=False
        ):
            if before == want:
                self.clean_lines += 1
                self.clean_lines_changed += after != want
            else:
                self.broken_lines += 1
                self.broken_lines_exact += after == want
            if after != want and len(self.examples) < 12:
                self.examples.append(f"{name}: {_clip(before)} -> {_clip(after)}")


def _pasted(text: str, codec: str) -> str:
    """``text`` with every other non-ASCII line mojibaked: lines pasted through a broken
    path into a clean file."""
    from tests.corpus.mojibake import mojibake  # noqa: PLC0415 - needs the repo root

    lines, odd = text.split("\n"), False
    for number, line in enumerate(lines):
        if not line.isascii():
            if odd:
                lines[number] = mojibake(line, codec)
            odd = not odd
    return "\n".join(lines)


def score_prose(repair: Repair, files: Sequence[tuple[str, str]]) -> dict[str, ProseScore]:
    """Per damage ("whole file", "pasted lines", "clean"): how ``repair`` did."""
    from tests.corpus.mojibake import mojibake  # noqa: PLC0415 - needs the repo root

    scores = {kind: ProseScore() for kind in ("whole file", "pasted lines", "clean")}
    for name, text in files:
        scores["clean"].add(text, text, repair(text), name)
        for codec in PROSE_CODECS:
            for kind, damaged in (
                ("whole file", mojibake(text, codec)),
                ("pasted lines", _pasted(text, codec)),
            ):
                scores[kind].add(damaged, text, repair(damaged), f"{name} ({codec})")
    return scores


def print_prose(columns: dict[str, dict[str, ProseScore]], files: int, *, failures: bool) -> None:
    """The real-prose table: one column per tool."""
    names = list(columns)
    print(
        f"| real prose, {files} files x {len(PROSE_CODECS)} code pages | "
        + " | ".join(names)
        + " |"
    )
    print("|---|" + "---:|" * len(names))
    for kind, rows in (
        ("whole file", ("files", "broken", "clean")),
        ("pasted lines", ("files", "broken", "clean")),
        ("clean", ("files", "clean")),
    ):
        for row in rows:
            cells = []
            for name in names:
                s = columns[name][kind]
                if row == "files" and kind == "clean":
                    cells.append(f"{s.files - s.files_exact} of {s.files}")
                elif row == "files":
                    cells.append(f"{s.files_exact}/{s.files} ({_percent(s.files_exact, s.files)})")
                elif row == "broken":
                    part = f"{s.broken_lines_exact}/{s.broken_lines}"
                    cells.append(f"{part} ({_percent(s.broken_lines_exact, s.broken_lines)})")
                else:
                    part = f"{s.clean_lines_changed}/{s.clean_lines}"
                    cells.append(f"{part} ({_percent(s.clean_lines_changed, s.clean_lines)})")
            label = {
                ("files", False): "files byte for byte",
                ("files", True): "files changed",
                ("broken", False): "broken lines restored",
                ("clean", False): "clean lines changed",
                ("clean", True): "lines changed",
            }[row, kind == "clean"]
            print(f"| {kind}: {label} | " + " | ".join(cells) + " |")
    if failures:
        for name in names:
            for kind, s in columns[name].items():
                for example in s.examples:
                    print(f"- {name}, {kind}: {example}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 MB and one timing run")
    parser.add_argument("--failures", action="store_true", help="list every plandocs failure")
    parser.add_argument(
        "--no-prose", action="store_true", help="skip the real-prose measure (system docs)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=2026,
        help="corpus seed; another seed is a held-out check of a repair tuned on the default",
    )
    args = parser.parse_args(argv)

    for path in (ROOT / "plugins", ROOT):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    from tests.corpus.mojibake import (  # noqa: PLC0415 - needs the repo root on sys.path
        BROKEN_CATEGORIES,
        build_corpus,
        mixed_document,
    )

    try:
        from plandocs import repair_text  # noqa: PLC0415
    except ImportError as exc:
        raise SystemExit(f"cannot import plandocs.repair_text: {exc}") from None

    cases = build_corpus(args.seed)
    known = read_known_failures()
    variants = ftfy_variants()
    plandocs_score = score("plandocs", repair_text, cases)
    ftfy_scores = {name: score(name, repair, cases) for name, (repair, _) in variants.items()}
    # Most cases right overall; ties go to the earlier, simpler variant.
    best_name = max(ftfy_scores, key=lambda name: ftfy_scores[name].correct)
    default = ftfy_scores["ftfy default"]
    best = ftfy_scores[best_name]

    size, runs = (1_000_000, 1) if args.quick else (5_000_000, 3)
    text, expected = mixed_document(size, args.seed)
    timed = {"plandocs": repair_text, "ftfy default": variants["ftfy default"][0]}
    timed[best_name] = variants[best_name][0]
    speed: dict[str, float] = {}
    mixed_ok: dict[str, str] = {}
    for name, repair in timed.items():
        speed[name], output = throughput(repair, text, runs)
        mixed_ok[name] = _lines_correct(output, expected)

    megabytes = len(text.encode("utf-8")) / 1e6
    print(
        f"# Encoding repair: {len(cases)} corpus cases (seed {args.seed}), "
        f"{megabytes:.1f} MB mixed document"
    )
    print(f"# timing: best of {runs} run{'s' if runs > 1 else ''}, time.perf_counter")
    print()
    columns = (plandocs_score, default, best)
    print(f"| | plandocs | ftfy default | ftfy best ({best_name}) |")
    print("|---|---:|---:|---:|")
    for category in BROKEN_CATEGORIES:
        cells = [_percent(s.exact.get(category, 0), s.total.get(category, 0)) for s in columns]
        n = plandocs_score.total.get(category, 0)
        print(f"| {category} (n={n}) | " + " | ".join(cells) + " |")
    cells = [f"**{_percent(s.broken_exact, s.broken_total)}**" for s in columns]
    print(f"| **broken, exact** (n={plandocs_score.broken_total}) | " + " | ".join(cells) + " |")
    cells = [f"{_percent(s.clean_changed, s.clean_total)} ({s.clean_changed})" for s in columns]
    print(f"| clean changed (n={plandocs_score.clean_total}) | " + " | ".join(cells) + " |")
    names = ("plandocs", "ftfy default", best_name)
    print("| throughput, MB/s | " + " | ".join(f"{speed[n]:.2f}" for n in names) + " |")
    print("| mixed document, lines right | " + " | ".join(mixed_ok[n] for n in names) + " |")
    ratio = speed["plandocs"] / speed[best_name]
    print()
    print(f"plandocs / ftfy best throughput: {ratio:.2f}x")
    print(f"ftfy best = {best_name}: {variants[best_name][1]}")
    print()
    print("ftfy variants (cases right overall, broken exact, clean changed):")
    for name, s in ftfy_scores.items():
        print(
            f"- {name}: {s.correct}/{len(cases)}, {_percent(s.broken_exact, s.broken_total)}, "
            f"{_percent(s.clean_changed, s.clean_total)}"
        )

    failed_ids = {case.id for case, _, _ in plandocs_score.failures}
    raised = sum(1 for _, output, _ in plandocs_score.failures if output is None)
    print()
    print(
        f"plandocs failures: {len(failed_ids)} ({len(failed_ids & known)} listed in "
        f"known_failures.txt, {raised} raised)"
    )
    all_ids = {case.id for case in cases}
    stale = sorted(known - failed_ids)
    if stale:
        gone = [case_id for case_id in stale if case_id not in all_ids]
        print(
            f"known_failures.txt: {len(stale)} ids no longer fail "
            f"({len(gone)} of them not in the corpus): " + ", ".join(stale[:10])
        )
    if args.failures:
        for case, got, error in plandocs_score.failures:
            print()
            print(f"{case.id}{'  [known]' if case.id in known else ''}")
            print(f"  input:    {_clip(case.text)}")
            print(f"  expected: {_clip(case.expected)}")
            print(f"  output:   {_clip(got)}{'  ' + error if error else ''}")

    prose: list[tuple[str, str]] = []
    if not args.no_prose:
        print()
        prose, read = read_prose()
        print(f"# Real prose: {read}")
        if prose:
            print()
            tools = {"plandocs": repair_text, "ftfy default": variants["ftfy default"][0]}
            tools[best_name] = variants[best_name][0]
            prose_scores = {name: score_prose(repair, prose) for name, repair in tools.items()}
            print_prose(prose_scores, len(prose), failures=args.failures)
        else:
            print("(no Markdown with non-ASCII text found there: real-prose measure skipped)")

    print()
    verdict = {True: "PASS", False: "FAIL"}
    rate = plandocs_score.broken_rate
    print(f"target broken exact >= 98%: {verdict[rate >= TARGET_BROKEN_EXACT]} ({rate:.2%})")
    rate = plandocs_score.clean_rate
    print(f"target clean changed <= 0.5%: {verdict[rate <= TARGET_CLEAN_CHANGED]} ({rate:.2%})")
    print(
        f"target throughput >= ftfy best: {verdict[ratio >= 1]} "
        f"({speed['plandocs']:.2f} vs {speed[best_name]:.2f} MB/s, {ratio:.2f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
