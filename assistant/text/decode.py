"""Bytes a user gave us (a facts file, an example, a draft) → text, as Windows and Linux editors save it.

UTF-8 (with or without a BOM), UTF-16 with a BOM (Notepad's "Unicode") and GB18030 (GBK) are read;
binary data is refused. Each caller turns `NotText` into its own Chinese message.
"""

from __future__ import annotations

from typing import Literal

SNIFF_BYTES = 8192
_TEXT_CONTROLS = frozenset((0x09, 0x0A, 0x0C, 0x0D, 0x1B))  # tab, newline, form feed, CR, ESC (colour codes)


class NotText(ValueError):
    """The bytes are not text we can read: `reason` is "binary" or "encoding" ("bad-utf16" for a broken BOM file)."""

    def __init__(self, reason: Literal["binary", "encoding", "bad-utf16"]) -> None:
        super().__init__(reason)
        self.reason = reason


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first block mean this is not a text file."""
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 0x20 and b not in _TEXT_CONTROLS)
    return controls > max(4, len(head) // 50)


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030; raise NotText otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise NotText("bad-utf16") from exc
    if looks_binary(data):
        raise NotText("binary")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotText("encoding")
