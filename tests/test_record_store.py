"""The SQLite store behind the page and fragment caches: records outlive the build that
wrote them, unused ones can be removed, and a store that is damaged or cannot be opened
never stops a build."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from plandocs.cache.records import RecordStore


def _link(fd: Path) -> Path | None:
    try:
        return fd.readlink()
    except OSError:
        return None  # closed since the folder was listed


def _rows_in(path: Path) -> int:
    """The rows of a store's file, as another build (another connection) sees them."""
    with contextlib.closing(sqlite3.connect(path)) as other:
        (rows,) = other.execute("SELECT count(*) FROM records").fetchone()
    return int(rows)


def test_records_outlive_the_store_that_wrote_them(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "pages.sqlite"
    store = RecordStore(path)
    store.put("a", "first")
    assert store.get("a") == "first"  # before it is written
    store.put("a", "second \u2502")
    store.close()
    again = RecordStore(path)
    assert again.get("a") == "second \u2502"
    assert again.get("b") is None


def test_records_are_written_in_batches_not_held_until_the_end(tmp_path: Path) -> None:
    path = tmp_path / "pages.sqlite"
    store = RecordStore(path)
    for number in range(200):
        store.put(f"k{number}", "x" * 100)
    # another build (another connection) already sees most of them
    written = _rows_in(path)
    assert 128 <= written < 200
    store.close()
    assert _rows_in(path) == 200


def test_keep_only_removes_the_records_not_used(tmp_path: Path) -> None:
    path = tmp_path / "pages.sqlite"
    store = RecordStore(path)
    for key in "abcd":
        store.put(key, key)
    assert store.keep_only(["a", "c"]) == 2
    store.close()
    again = RecordStore(path)
    assert [again.get(key) for key in "abcd"] == ["a", None, "c", None]
    assert again.keep_only(["a", "c"]) == 0


def test_a_big_record_is_kept_in_slices_and_read_whole(tmp_path: Path) -> None:
    """A record longer than a slice (the 1,000-order table) is written at once, a slice a
    row; it reads back whole, counts as one record, and goes with its slices."""
    path = tmp_path / "fragments.sqlite"
    big = "".join(f"<tr><td>row {n} \u2502</td></tr>\n" for n in range(20_000))
    store = RecordStore(path)
    store.put("table", big)
    store.put("row", "<tr></tr>")
    assert store.get("table") == big  # written already: it is never held as pending
    store.close()
    rows = _rows_in(path)
    with contextlib.closing(sqlite3.connect(path)) as other:
        (longest,) = other.execute("SELECT max(length(value)) FROM records").fetchone()
    assert rows > 3 and longest <= 1 << 16  # in slices
    again = RecordStore(path)
    assert again.get("table") == big and again.count() == 2
    again.put("table", big[: len(big) // 2])  # written again, shorter: no slice left over
    assert again.get("table") == big[: len(big) // 2]
    assert again.keep_only(["table", "row"]) == 0  # a used record keeps its slices
    assert again.get("table") == big[: len(big) // 2]
    assert again.keep_only(["row"]) > 1  # the record and its slices
    assert again.get("table") is None and again.get("row") == "<tr></tr>"
    again.close()
    assert _rows_in(path) == 1


def test_a_big_record_with_a_slice_missing_is_not_found(tmp_path: Path) -> None:
    path = tmp_path / "fragments.sqlite"
    store = RecordStore(path)
    store.put("table", "x" * 300_000)
    store.close()
    with sqlite3.connect(path) as other:
        other.execute("DELETE FROM records WHERE key = (SELECT max(key) FROM records)")
    assert RecordStore(path).get("table") is None


def test_two_builds_share_one_store(tmp_path: Path) -> None:
    path = tmp_path / "pages.sqlite"
    first = RecordStore(path)
    first.put("one", "1")
    first.flush()
    second = RecordStore(path)  # opened while the first build runs
    second.put("two", "2")
    second.flush()
    assert second.get("one") == "1"
    first.close()
    second.close()
    third = RecordStore(path)
    assert (third.get("one"), third.get("two")) == ("1", "2")


def test_a_store_begun_empty_asks_the_file_only_for_what_it_wrote(tmp_path: Path) -> None:
    """A cold build asks for thousands of records that cannot be there: a store that found
    its file empty answers those without a query, and still finds each record it wrote,
    pending, written in a batch, or in slices."""
    path = tmp_path / "fragments.sqlite"
    store = RecordStore(path)
    store.put("pending", "p")
    queries: list[str] = []
    assert store._connect() is not None
    store._connect().set_trace_callback(queries.append)  # type: ignore[union-attr]
    assert [store.get(f"missing{n}") for n in range(50)] == [None] * 50
    assert queries == []
    assert store.get("pending") == "p"
    for number in range(100):  # a batch is written on the way
        store.put(f"k{number}", str(number))
    store.put("big", "x" * 100_000)
    assert store.get("k3") == "3" and store.get("big") == "x" * 100_000
    assert store.get("k3 and more") is None
    store.close()
    again = RecordStore(path)  # a warm build: every read goes to the file
    assert again.get("k99") == "99" and again.get("pending") == "p"


def test_a_damaged_store_is_begun_again(tmp_path: Path) -> None:
    path = tmp_path / "pages.sqlite"
    path.write_bytes(b"this is no database, only some bytes " * 100)
    store = RecordStore(path)
    assert store.get("a") is None
    store.put("a", "1")
    # the connection to the damaged file was closed before the file was removed
    fds = Path("/proc/self/fd")
    if fds.is_dir():  # Linux
        assert f"{path} (deleted)" not in {str(_link(fd)) for fd in fds.iterdir()}
    store.close()
    assert RecordStore(path).get("a") == "1"


def test_a_store_that_cannot_be_opened_stores_nothing_and_raises_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "pages.sqlite"
    path.mkdir()  # a folder where the file should be
    store = RecordStore(path)
    store.put("a", "1")
    assert store.get("a") is None
    assert store.keep_only([]) == 0
    store.close()
    assert path.is_dir() and not any(path.iterdir())
