"""``plandocs fix-encoding --write`` never loses or damages data: an edit made while it works
is kept (exit 2, one line), a kill at any moment leaves each file wholly old or wholly new,
hard links are refused rather than split or half-written, temporary files do not outlive a
run the process survives (and a killed run's are removed by the next), and a folder walk
never follows a symbolic link out of the folder it was given."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from plandocs.cli import main as cli
from plandocs.cli.main import main
from plandocs.project import textio
from tests.corpus.mojibake import mojibake

BROKEN = mojibake("Готово — “quoted”.", "cp1252") + "\n"
REPAIRED = "Готово — “quoted”.\n"
CLEAN = "a clean line of the kind a team writes, with nothing to repair in it at all\n"
APPENDED = b"a line someone added while plandocs worked\n"


def fix(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["fix-encoding", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": error: " in line]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def document(lines: int) -> tuple[bytes, bytes]:
    """A document of ``lines`` lines, one in fifty broken: (as on disk, as repaired)."""
    broken = "".join(BROKEN if i % 50 == 0 else CLEAN for i in range(lines))
    return broken.encode(), broken.replace(BROKEN, REPAIRED).encode()


def run_cli(*args: str | Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "plandocs.cli.main", "fix-encoding", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


# --- an edit made while it works ----------------------------------------------------------


def append(path: Path) -> None:
    with path.open("ab") as out:
        out.write(APPENDED)


def edit_while_repairing(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    real = cli.repair_source

    def repair(text: str) -> object:
        append(path)
        return real(text)

    monkeypatch.setattr(cli, "repair_source", repair)


def edit_after_the_copy_is_written(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    real = textio._write_temporary

    def write(*args: object) -> object:
        written = real(*args)  # type: ignore[arg-type]
        append(path)
        return written

    monkeypatch.setattr(textio, "_write_temporary", write)


def save_by_rename_after_the_copy_is_written(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    # An editor that saves by writing a new file and renaming it over the old one: the
    # old file, still open in plandocs, does not change; the name now leads elsewhere.
    real = textio._write_temporary

    def write(*args: object) -> object:
        written = real(*args)  # type: ignore[arg-type]
        saved = path.with_name("saved-by-editor")
        saved.write_bytes(path.read_bytes() + APPENDED)
        saved.chmod(0o640)
        saved.replace(path)
        return written

    monkeypatch.setattr(textio, "_write_temporary", write)


def edit_just_before_the_rename(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    # After the last check, before the rename: the write reaches the old file, which
    # the rename then takes away; it must be put back.
    real = textio._unchanged
    calls = []

    def unchanged(*args: object) -> bool:
        result = real(*args)  # type: ignore[arg-type]
        calls.append(result)
        if len(calls) == 1:
            append(path)
        return result

    monkeypatch.setattr(textio, "_unchanged", unchanged)


@pytest.mark.parametrize(
    "edit",
    [
        edit_while_repairing,
        edit_after_the_copy_is_written,
        save_by_rename_after_the_copy_is_written,
        edit_just_before_the_rename,
    ],
    ids=["while-repairing", "after-the-copy", "saved-by-rename", "before-the-rename"],
)
def test_an_edit_made_while_it_works_is_kept(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    edit: Callable[[pytest.MonkeyPatch, Path], None],
) -> None:
    path, other = tmp_path / "page.md", tmp_path / "other.md"
    data, repaired = document(200)
    path.write_bytes(data)
    other.write_bytes(data)
    path.chmod(0o640)
    inode = path.stat().st_ino
    edit(monkeypatch, path)

    code, out, err = fix(capsys, "--write", path)

    assert code == 2
    assert out == ""
    assert errors(err) == [
        f"{path}: error: the file changed while plandocs was repairing it; it was left as "
        "it was, with that change: run the command again"
    ]
    assert path.read_bytes() == data + APPENDED
    assert path.stat().st_mode & 0o777 == 0o640
    if edit in (edit_while_repairing, edit_after_the_copy_is_written):
        assert path.stat().st_ino == inode  # found before the rename: not even put back
    assert leftovers(tmp_path) == []
    monkeypatch.undo()
    # run again, it repairs the file, the edit with it
    assert fix(capsys, "--write", path)[0] == 0
    assert path.read_bytes() == repaired + APPENDED


def test_a_second_process_appending_loses_nothing(tmp_path: Path) -> None:
    # A real writer, at a random moment while plandocs reads, repairs and replaces a big
    # file: whichever moment it is, the line is there afterwards, and plandocs either
    # repaired the file (exit 0) or left it as it was (exit 2).
    data, repaired = document(60_000)
    path = tmp_path / "big.md"
    randomness = random.Random(22)
    for _ in range(3):
        path.write_bytes(data)
        run = run_cli("--write", path)
        time.sleep(randomness.uniform(0.0, 1.0))
        append(path)
        _, err = run.communicate(timeout=120)
        content = path.read_bytes()
        if run.returncode == 0:
            assert content == repaired + APPENDED
        else:
            assert run.returncode == 2, err
            assert b"changed while plandocs was repairing" in err
            assert content == data + APPENDED
        assert leftovers(tmp_path) == []


# --- kills --------------------------------------------------------------------------------


def test_a_kill_at_any_moment_leaves_the_old_or_the_new_bytes(tmp_path: Path) -> None:
    """SIGKILL a real run at random moments over as long as a whole run takes, and every
    other time just after it starts writing (a temporary file appears, or the file itself
    changes). The file is always exactly the old or the new bytes; the temporary files
    kills left are removed by the next run."""
    data, repaired = document(40_000)
    path = tmp_path / "page.md"
    path.write_bytes(data)
    started = time.monotonic()
    whole = run_cli("--write", path)
    whole.communicate(timeout=120)
    duration = time.monotonic() - started
    assert path.read_bytes() == repaired
    randomness = random.Random(2222)
    for iteration in range(12):
        path.write_bytes(data)
        run = run_cli("--write", path)
        if iteration % 2:
            wait_for_writing(path, run)
            time.sleep(randomness.choice((0.0, 0.0, 0.001, 0.005)))
        else:
            time.sleep(randomness.uniform(0.0, 1.2 * duration))
        run.kill()
        run.communicate(timeout=60)
        content = path.read_bytes()
        assert content in (data, repaired), f"a mix after a kill in iteration {iteration}"

    left = leftovers(tmp_path)
    path.write_bytes(data)
    again = run_cli("--write", path)
    _, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert path.read_bytes() == repaired
    assert leftovers(tmp_path) == []
    for name in left:
        assert f"{name}: removed, a temporary file an interrupted run left".encode() in err


def wait_for_writing(path: Path, run: subprocess.Popen[bytes]) -> None:
    before = path.stat()
    deadline = time.monotonic() + 60
    while run.poll() is None and time.monotonic() < deadline:
        now = path.stat()
        if leftovers(path.parent) or (now.st_mtime_ns, now.st_size, now.st_ino) != (
            before.st_mtime_ns,
            before.st_size,
            before.st_ino,
        ):
            return


def wait_for_temporary(folder: Path, run: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while run.poll() is None and time.monotonic() < deadline:
        if leftovers(folder):
            return


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_terminated_run_removes_its_temporary_file(tmp_path: Path, signum: int) -> None:
    data, repaired = document(40_000)
    path = tmp_path / "page.md"
    path.write_bytes(data)
    run = run_cli("--write", path)
    wait_for_temporary(tmp_path, run)
    run.send_signal(signum)
    _, err = run.communicate(timeout=60)

    assert path.read_bytes() in (data, repaired)
    assert leftovers(tmp_path) == []
    assert b"Traceback" not in err
    if run.returncode != 0:  # the signal came before the end
        assert run.returncode == 128 + signum
        name = signal.Signals(signum).name
        assert err.decode().splitlines()[-1] == (
            f"plandocs: stopped by {name}; every file is as it was or wholly repaired"
        )


# --- hard links ---------------------------------------------------------------------------


def test_a_hard_link_is_refused_and_both_names_keep_their_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, other, clean = tmp_path / "page.md", tmp_path / "same.md", tmp_path / "clean.md"
    data, _ = document(100)
    path.write_bytes(data)
    os.link(path, other)
    clean.write_bytes(data)

    code, out, err = fix(capsys, "--write", path, clean)

    assert code == 2
    assert out == f"{clean}: repaired 2 lines (cp1252)\n"
    (line,) = errors(err)
    assert line.startswith(f"{path}: error: the file has 2 names (hard links)")
    assert "left as it was" in line
    assert path.read_bytes() == other.read_bytes() == data
    assert path.stat().st_ino == other.stat().st_ino
    assert leftovers(tmp_path) == []


# --- symbolic links in a folder walk --------------------------------------------------------


def test_the_folder_walk_never_follows_a_link_out_of_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.md"
    secret.write_text(BROKEN, encoding="utf-8")
    (outside / "deeper.md").write_text(BROKEN, encoding="utf-8")
    t1 = tmp_path / "t1"
    t1.mkdir()
    (t1 / "page.md").write_text(BROKEN, encoding="utf-8")
    (t1 / "secret.md").symlink_to("../outside/secret.md")
    (t1 / "elsewhere").symlink_to("../outside")

    code, out, err = fix(capsys, "--write", "t1")

    assert code == 0
    assert out == "t1/page.md: repaired 1 line (cp1252)\n"
    assert err.splitlines() == [
        "t1/elsewhere: skipped: a symbolic link to a folder outside t1; name the file to repair it",
        "t1/secret.md: skipped: a symbolic link to a file outside t1; name the file to repair it",
        "plandocs: 1 line repaired in 1 file; 1 file checked, 2 links skipped",
    ]
    assert secret.read_text(encoding="utf-8") == BROKEN
    assert (outside / "deeper.md").read_text(encoding="utf-8") == BROKEN

    # Named on the command line, the link is followed, as the user asked.
    code, out, _ = fix(capsys, "--write", "t1/secret.md")
    assert (code, out) == (0, "t1/secret.md: repaired 1 line (cp1252)\n")
    assert secret.read_text(encoding="utf-8") == REPAIRED
    assert (t1 / "secret.md").is_symlink()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    # opening a pipe for reading waits for a writer: forever, in a hook or in CI
    folder = tmp_path / "docs"
    folder.mkdir()
    os.mkfifo(folder / "pipe")
    (folder / "page.md").write_text(BROKEN, encoding="utf-8")
    (folder / "linked.md").symlink_to("pipe")
    for named in (folder / "linked.md", folder):
        process = run_cli("--write", named)
        try:
            _, err = process.communicate(timeout=60)
        finally:
            process.kill()
        lines = err.decode().splitlines()
        assert process.returncode == 2, lines
        assert [line for line in lines if "error" in line] == [
            f"{folder / 'linked.md'}: error: not a regular file "
            "(a named pipe, a device or a socket); it was left as it was"
        ]
    assert (folder / "page.md").read_text(encoding="utf-8") == REPAIRED


def test_loops_and_links_to_nothing_are_reported_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "real.md").write_text(BROKEN, encoding="utf-8")
    (docs / "sub" / "clean.md").write_text(CLEAN, encoding="utf-8")
    (docs / "alias.md").symlink_to("real.md")  # inside: the same file, counted once
    (docs / "mirror").symlink_to("sub")  # inside: walked once
    (docs / "self.md").symlink_to("self.md")
    (docs / "a.md").symlink_to("b.md")
    (docs / "b.md").symlink_to("a.md")
    (docs / "sub" / "up").symlink_to("..")
    (docs / "gone.md").symlink_to("missing.md")
    (docs / "logo.png").symlink_to("missing.png")  # not Markdown: not worth a line

    code, out, err = fix(capsys, docs.name)

    assert code == 1
    assert out == f"docs/real.md:1: cp1252: {BROKEN.strip()}  →  {REPAIRED.strip()}\n"
    assert err.splitlines() == [
        "docs/a.md: skipped: a symbolic link loop",
        "docs/b.md: skipped: a symbolic link loop",
        "docs/gone.md: skipped: a symbolic link to nothing",
        "docs/self.md: skipped: a symbolic link loop",
        "docs/sub/up: skipped: a symbolic link loop (to a folder it is in)",
        "plandocs: 1 line to repair in 1 file; 2 files checked, 5 links skipped; run again "
        "with --write to repair them",
    ]


# --- temporary files of earlier runs ------------------------------------------------------


def test_a_killed_runs_temporary_file_is_removed_by_the_next_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text(CLEAN, encoding="utf-8")
    killed = f".page.md.plandocs-{int(gone.stdout)}-x1y2z3ab.tmp"
    running = f".page.md.plandocs-{os.getpid()}-x1y2z3ab.tmp"
    older = ".page.md.x1y2z3ab.tmp"  # an earlier version's name: not proven ours, kept
    for name in (killed, running, older):
        (docs / name).write_bytes(b"half a file")

    fix(capsys, docs.name)  # a report writes nothing, removes nothing
    assert leftovers(docs) == sorted([killed, running, older])

    code, _, err = fix(capsys, "--write", docs.name)

    assert code == 0
    assert err.splitlines()[0] == (
        f"docs/{killed}: removed, a temporary file an interrupted run left"
    )
    assert leftovers(docs) == sorted([running, older])


# --- UTF-16 and UTF-32 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "name"),
    [
        ("utf-16", "UTF-16 LE"),  # with its byte order mark, as Notepad saves it
        ("utf-16-be", "UTF-16 BE"),
        ("utf-32-le", "UTF-32 LE"),
    ],
)
def test_a_utf16_file_is_named_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], codec: str, name: str
) -> None:
    path = tmp_path / "page.md"
    data = f"# Page\n\n{REPAIRED}".encode(codec)
    path.write_bytes(data)

    code, _, err = fix(capsys, "--write", path)

    assert code == 2
    assert errors(err) == [
        f"{path}: error: not UTF-8 (looks like {name}); save the file as UTF-8; the file "
        "was left as it was"
    ]
    assert path.read_bytes() == data
