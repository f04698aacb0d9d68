"""The benchmark's statistics (bench/build_speed.py is a script, loaded from its path)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "build_speed.py"


def _load():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH.parent))
    try:
        spec = importlib.util.spec_from_file_location("build_speed", BENCH)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["build_speed"] = module  # its dataclasses look themselves up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH.parent))


bench = _load()


def result(*seconds: float | None):  # type: ignore[no-untyped-def]
    """A Result of runs taking ``seconds`` each; ``None`` is a failed run."""
    return bench.Result([bench.Measure(s or 0.0, 50.0, ok=s is not None) for s in seconds])


def test_paired_ratio_compares_each_run_with_its_own_plain_build() -> None:
    # the machine drifts: the plain build took 7.0, 9.5 and 10.5 s in three runs
    plain = result(7.0, 9.5, 10.5)
    cold = result(14.9, 17.4, 20.6)
    assert bench._paired(cold, plain) == 1.96  # runs: 2.13, 1.83, 1.96
    assert bench._ratio(cold.seconds, plain.seconds) == 1.83  # 17.4 / 9.5
    assert bench._paired(result(14.0, None, 21.0), plain) == 2.0  # failed runs left out
    assert bench._paired(result(None, None), plain) is None


# A build's root process, standing alone, with a child that holds 64 MiB of its own, or
# with a forked child that shares the root's 64 MiB. Measured on a process of its own: the
# test process may have children of its own (a browser left by other tests) whose memory
# moves between two readings.
_ROOT = """
import os, subprocess, sys, time
held = bytearray(b"x" * (64 << 20))
if sys.argv[1] == "child":
    hold = 'b = bytearray(b"x" * (64 << 20)); import sys; print(flush=True); sys.stdin.read()'
    pipe = subprocess.PIPE
    child = subprocess.Popen([sys.executable, "-c", hold], stdin=pipe, stdout=pipe)
    child.stdout.readline()
elif sys.argv[1] == "fork":
    child = os.fork()
    if child == 0:
        time.sleep(30)
        os._exit(0)
    time.sleep(0.3)
    print(child, end="")
print(flush=True)
sys.stdin.read()
"""


def _tree_of_root(mode: str) -> int:
    return int(_measure_root(mode, bench.tree_kib))


def _measure_root(mode: str, measure):  # type: ignore[no-untyped-def]
    """``measure(pid)`` of a root process in ``mode``, while it and its child hold their
    memory."""
    root = subprocess.Popen(
        [sys.executable, "-c", _ROOT, mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert root.stdout is not None
        forked = root.stdout.readline().strip()  # it, and its child, hold their memory now
        try:
            return measure(root.pid)
        finally:
            if forked:
                os.kill(int(forked), signal.SIGKILL)
    finally:
        root.communicate(b"")


def test_tree_memory_adds_what_each_child_holds_of_its_own() -> None:
    if not Path("/proc/self/smaps_rollup").exists():
        pytest.skip("no /proc/PID/smaps_rollup here")
    alone = _tree_of_root("alone")
    assert alone > 64 * 1024  # its resident set
    assert _tree_of_root("child") - alone > 64 * 1024  # the child's own 64 MiB
    # a forked child is charged for what it holds of its own, not for the 64 MiB it shares
    assert _tree_of_root("fork") - alone < 16 * 1024
    assert bench.tree_kib(2**22 + 1) == 0  # no such process: nothing held


def test_each_process_is_named_with_what_it_holds() -> None:
    """What ``bench/memory_timeline.py`` prints: the root's resident set, then each child's
    own memory, by the process's name."""
    if not Path("/proc/self/smaps_rollup").exists():
        pytest.skip("no /proc/PID/smaps_rollup here")
    (root, alone), *others = _measure_root("alone", bench.processes_kib)
    assert others == [] and alone > 64 * 1024
    (root, first), (child, own) = _measure_root("child", bench.processes_kib)
    assert root.startswith("python") and child.startswith("python")
    assert first > 64 * 1024 and own > 64 * 1024
    assert bench.processes_kib(2**22 + 1) == []  # no such process


def test_a_child_still_in_its_parent_s_memory_holds_nothing_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``subprocess`` starts ``dot`` with ``vfork``: until the child runs ``dot``, /proc
    shows the build's pages as its private pages. Sampled then, the build counted twice
    (107 to 118 MiB in 5 samples of three cold builds taken every 3 ms; 76 without)."""
    if not Path("/proc/self/smaps_rollup").exists() or bench._LIBC is None:
        pytest.skip("no /proc/PID/smaps_rollup or kcmp here")
    assert bench._same_memory(os.getpid(), os.getpid())
    assert not bench._same_memory(os.getpid(), os.getppid())
    forked = os.fork()  # its own memory, the same files (kcmp's KCMP_FILE would say "same")
    if forked == 0:  # pragma: no cover - the child only waits to be killed
        try:
            signal.pause()
        finally:
            os._exit(0)
    try:
        assert not bench._same_memory(os.getpid(), forked)
    finally:
        os.kill(forked, signal.SIGKILL)
        os.waitpid(forked, 0)
    alone = _tree_of_root("alone")
    monkeypatch.setattr(bench, "_same_memory", lambda pid, other: True)
    assert _tree_of_root("child") - alone < 16 * 1024  # its 64 MiB are not its own


def test_a_build_s_cpu_time_counts_what_it_and_its_children_ran_not_what_it_waited(
    tmp_path: Path,
) -> None:
    # a child that sleeps 0.5 s and one that computes: wall time alike, CPU time not
    sleeper = [sys.executable, "-c", "import time; time.sleep(0.5)"]
    burner = [
        sys.executable,
        "-c",
        "import subprocess, sys\n"
        "code = 'import time\\nt = time.process_time()\\n'\n"
        "code += 'while time.process_time() - t < 0.5: pass'\n"
        "subprocess.run([sys.executable, '-c', code], check=True)",
    ]
    slept = bench.measure(sleeper, tmp_path, tmp_path / "log", timeout=30)
    burnt = bench.measure(burner, tmp_path, tmp_path / "log", timeout=30)
    assert slept.ok and burnt.ok and slept.seconds >= 0.5
    assert slept.cpu_seconds < 0.4  # the interpreter's start, not the sleep
    assert burnt.cpu_seconds >= 0.5  # its child's loop is counted
    plain = bench.Result([slept, slept])
    assert bench._paired(bench.Result([burnt, burnt]), plain, "cpu_seconds") == round(
        burnt.cpu_seconds / slept.cpu_seconds, 2
    )


def test_all_processes_hold_at_least_the_build_s_own_peak(tmp_path: Path) -> None:
    """A peak that falls between two samples (a plain build's, as search writes its index)
    is not missed: together, the processes hold at least what the build holds."""
    if not Path("/proc/self/smaps_rollup").exists():
        pytest.skip("no /proc/PID/smaps_rollup here")
    brief = [
        sys.executable,
        "-c",
        "import time\nb = bytearray(b'x' * (64 << 20))\ndel b\ntime.sleep(0.6)",
    ]
    measured = bench.measure(brief, tmp_path, tmp_path / "log", timeout=30, interval=0.25)
    assert measured.ok and measured.peak_mib > 64
    assert measured.tree_mib >= measured.peak_mib


def test_the_bench_compiles_the_plandocs_the_builds_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build imports plandocs from its bytecode, as from an installed package, even where
    Python writes none itself (PYTHONDONTWRITEBYTECODE)."""
    package = tmp_path / "plandocs"
    shutil.copytree(Path(bench.ROOT) / "plugins" / "plandocs", package)
    for cached in package.rglob("__pycache__"):
        shutil.rmtree(cached)
    env = {**bench.ENV, "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    monkeypatch.setattr(bench, "ENV", env)
    assert bench.compile_plandocs() == str(package)
    compiled = {p.name.split(".")[0] for p in package.rglob("__pycache__/*.pyc")}
    assert {p.stem for p in package.rglob("*.py")} <= compiled
