"""One text decoder for facts files, examples and drafts: the encodings editors save, and no binary."""

from __future__ import annotations

import pytest

from assistant.text.decode import NotText, decode_text

TEXT = "单位：市一中工会\n成绩：发放慰问金11.6万元\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_editor_encodings_are_read(encoding: str) -> None:
    assert decode_text(TEXT.encode(encoding)) == TEXT


@pytest.mark.parametrize(("data", "reason"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (bytes(range(1, 9)) * 200, "binary"),
    (b"abc\xff\xff\x80\xff" * 20, "encoding"),
    (b"\xff\xfe\x00", "bad-utf16"),
])
def test_what_is_not_text_says_why(data: bytes, reason: str) -> None:
    with pytest.raises(NotText) as info:
        decode_text(data)
    assert info.value.reason == reason


def test_a_few_stray_controls_are_still_text() -> None:
    assert decode_text("第一行\x1b[0m\n\t第二行\f".encode()) == "第一行\x1b[0m\n\t第二行\f"
