from __future__ import annotations

import pytest

from plandocs.textio import NotTextError, decode


@pytest.mark.parametrize(
    ("data", "text", "bom", "crlf"),
    [
        (b"# T\n", "# T\n", False, False),
        (b"\xef\xbb\xbf# T\r\nx\r\n", "# T\nx\n", True, True),
        (b"a\rb", "a\nb", False, False),
        ("Реализованы ✅\n".encode(), "Реализованы ✅\n", False, False),
    ],
)
def test_decode(data: bytes, text: str, bom: bool, crlf: bool) -> None:
    decoded = decode(data)
    assert (decoded.text, decoded.had_bom, decoded.had_crlf) == (text, bom, crlf)


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "NUL byte at offset 8", 0),
        (b"ok\nline two \xff\n", "byte 0xff", 2),
    ],
)
def test_not_text(data: bytes, message: str, line: int) -> None:
    with pytest.raises(NotTextError, match=message) as caught:
        decode(data)
    assert caught.value.line == line
