"""Turning file bytes into text: BOM, CRLF and binary files handled in one place."""

from __future__ import annotations

from dataclasses import dataclass

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Decoded:
    text: str
    had_bom: bool
    had_crlf: bool


class NotTextError(ValueError):
    """The bytes are not UTF-8 text; the message says why in one line, ``line`` where."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def decode(data: bytes) -> Decoded:
    """Decode UTF-8 file content to text with ``\\n`` line endings.

    Raises ``NotTextError`` for bytes that are not UTF-8 text (a binary file named ``.md``).
    """
    had_bom = data.startswith(BOM)
    if had_bom:
        data = data[len(BOM) :]
    nul = data.find(b"\x00")
    if nul >= 0:
        raise NotTextError(
            f"binary content (NUL byte at offset {nul}); this is not a Markdown file: "
            "rename it or remove it"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise NotTextError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", line
        ) from None
    had_crlf = "\r\n" in text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text=text, had_bom=had_bom, had_crlf=had_crlf)
