"""Numbered heading patterns of Chinese official prose: 一、 → （一） → 1. → （1）.

Shared by the splitter (to build heading paths), the structure checker, the Word exporter, the template
writer, the page and the drafting service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.numbers import cn_to_number
from assistant.text.sentences import end_marks

CN_NUMERAL = "[一二三四五六七八九十百零〇两]+"


def cn_to_int(text: str) -> int | None:
    """A Chinese numeral below 10000 (十二, 二十三, 一百零五, 两千) as an int; None if not one.

    Heading ordinals are small whole numbers: the general parser (numbers.cn_to_number) does the reading.
    """
    value = cn_to_number(text)
    if value is None or value != int(value) or not 0 <= value < 10000:
        return None
    return int(value)


# Level patterns. Level-2 and level-4 accept full-width or half-width brackets; level 3 accepts 1. 1． 1、
_L1 = re.compile(rf"^\s*({CN_NUMERAL})\s*[、．.]\s*(.*)$")
_L2 = re.compile(rf"^\s*[（(]\s*({CN_NUMERAL})\s*[)）]\s*[、．.]?\s*(.*)$")
_L3 = re.compile(r"^\s*(\d{1,2})\s*[.．、](?!\d)\s*(.*)$")
_L4 = re.compile(r"^\s*[（(]\s*(\d{1,2})\s*[)）]\s*[、．.]?\s*(.*)$")
_ENUM_RUN = re.compile(r"^[一二三四五六七八九十]是")  # 一是/二是: an in-paragraph enumeration, not a heading


@dataclass(frozen=True)
class NumberedLine:
    """A line that starts with a heading numeral."""

    level: int
    ordinal: int
    title: str  # the heading's own words up to the first sentence end
    rest: str  # text after the heading sentence (a run-in level-2 heading), may be ""
    marker: str  # the numeral as written, e.g. "（三）"


_SENTENCE_END = re.compile(f"[{end_marks()}]")


def _split_run_in(body: str) -> tuple[str, str]:
    """Split '学习政治理论，提高……。一年来……' into the heading sentence and the paragraph after it."""
    m = _SENTENCE_END.search(body)
    if not m:
        return body.strip(), ""
    return body[: m.start()].strip(), body[m.end():].strip()


def parse_numbered(line: str) -> NumberedLine | None:
    """Recognise a numbered heading at the start of a line; None for ordinary text."""
    stripped = line.strip()
    if not stripped or _ENUM_RUN.match(stripped):
        return None
    for level, pattern, chinese in ((2, _L2, True), (4, _L4, False), (1, _L1, True), (3, _L3, False)):
        m = pattern.match(stripped)
        if not m:
            continue
        raw, body = m.group(1), m.group(2)
        ordinal = cn_to_int(raw) if chinese else int(raw)
        if ordinal is None or ordinal == 0 or ordinal > 99:
            return None
        if not body.strip():
            return None
        if level == 3 and re.match(r"^\d", body):
            return None  # "1.5万元" style decimals are not headings
        title, rest = _split_run_in(body)
        marker = stripped[: m.start(2)].strip()
        return NumberedLine(level=level, ordinal=ordinal, title=title, rest=rest, marker=marker)
    return None


def numeral(level: int, ordinal: int) -> str:
    """Render the heading numeral for a level: (1, 3) → '三、', (2, 1) → '（一）'."""
    cn = int_to_cn(ordinal)
    return {1: f"{cn}、", 2: f"（{cn}）", 3: f"{ordinal}.", 4: f"（{ordinal}）"}[level]


_DIGITS = "零一二三四五六七八九"


def int_to_cn(n: int) -> str:
    """A whole number as Chinese numerals, the way headings and 一是/二是 runs count: 3 → 三, 10 → 十,
    101 → 一百零一, 110 → 一百一十, 1000 → 一千, 10010 → 一万零一十. A long paste may hold hundreds of items."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"not a non-negative integer: {n!r}")
    if n == 0:
        return "零"
    return _cn_below(n, front=True)


def _cn_below(n: int, *, front: bool) -> str:
    """n ≥ 1 read in groups of four digits (万, 亿); `front` drops the 一 of a leading 一十 (十二, not 一十二)."""
    for size, word in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            high, low = divmod(n, size)
            tail = ""
            if low:
                tail = ("零" if low < size // 10 else "") + _cn_below(low, front=False)
            return _cn_below(high, front=front) + word + tail
    return _cn_four(n, front=front)


def _cn_four(n: int, *, front: bool) -> str:
    """1..9999: a run of zeros between digits is one 零 (一千零一), trailing zeros are silent (一千)."""
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + unit
    return out[1:] if front and out.startswith("一十") else out


_STRAIGHT_QUOTED = re.compile(r'"([^"\n]{1,40})"')


def with_chinese_quotes(text: str) -> str:
    """A heading with straight quotes typed in the notes ('做好"衡惠保"参保') set in the Chinese ones a document of
    the genre uses ("做好“衡惠保”参保"); the words between them are untouched."""
    return _STRAIGHT_QUOTED.sub(r"“\1”", text)
