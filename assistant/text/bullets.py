"""List markers: the one place that knows how a line of a list starts.

Facts arrive as lists typed or pasted in every style (-, •, 1. 1、 1) （1） ①, 一、 （一）, 一是…). A marker
is removed; a number that starts the fact is not: "1.5万元用于职工书屋建设" keeps its 1.5 (copies of this
code that disagreed about it once turned 1.5万元 into 5万元).
"""

from __future__ import annotations

import re

from assistant.text.numbers import UNITS, fold_width

_CN_DIGITS = "一二三四五六七八九十"
_SYMBOLS = "-*•·●○◆◇▪■□►▶>★☆▲△◎※"  # what a list or a pasted label is set off with
_SYMBOL = re.compile(rf"^\s*[{re.escape(_SYMBOLS)}]+\s*")
_MARKER = re.compile(
    rf"^\s*(?:[{re.escape(_SYMBOLS)}]+"  # symbols
    r"|\d{1,3}\s*[.、．)）]|[（(]\s*\d{1,3}\s*[)）]|[①-⑳]"  # 1. 1、 1) （1） ①
    rf"|[{_CN_DIGITS}]{{1,3}}\s*[、.．]|[（(][{_CN_DIGITS}]{{1,3}}[)）]|[{_CN_DIGITS}]{{1,3}}是"  # 一、 （一） 一是 十二是
    rf"|第[{_CN_DIGITS}]{{1,3}}\s*[，,、：:])"  # 第一，
    r"\s*")
# "1 落实……", "3 上门服务……": a number and a blank open an item in notes typed without marks; "12 个村" is a count
_SPACE_NUMBERED = re.compile(r"^\s*\d{1,2}[ \t]+(?=[\"“\u4e00-\u9fff]|\d{3})")
# How a line opens a part of the user's own notes rather than an item: "一、" or a heavy symbol ("● 宣传培训").
_CN_PART = re.compile(rf"^\s*[{_CN_DIGITS}]{{1,3}}\s*[、.．]")
_PART_SYMBOL = re.compile(r"^[●■◆▲▶★☆◇□►]")
_NUMBER_START = re.compile(r"^\d+[.．]\d")  # 1.5万元, 12.5%, 3.8%: a decimal, not "1." and a fact
# Markdown's own bullets as a model writes them ("- ", "* ", "• "): numbered lines are the summary's headings.
_MARKDOWN_BULLET = re.compile(r"^[ \t]*[-*•][ \t]+", re.MULTILINE)


def _starts_with_number(line: str) -> bool:
    return bool(_NUMBER_START.match(fold_width(line).lstrip()))


def _space_numbered(line: str) -> re.Match[str] | None:
    """The marker of "1 落实……" (a number, a blank, words); None for a count set off by a blank ("12 个村")."""
    m = _SPACE_NUMBERED.match(line)
    return m if m and not line[m.end():].startswith(UNITS) else None


def is_list_item(line: str) -> bool:
    """True when the line starts with a list marker (a decimal such as "1.5万元" is not one)."""
    return (bool(_MARKER.match(line)) and not _starts_with_number(line)) or _space_numbered(line) is not None


def marker_kind(raw_line: str) -> str:
    """How a raw line is marked: "cn" ("一、"), "sym" (a heavy symbol, "● "), "item" (any other list marker), ""
    (none). A part of a paste's own notes opens with the first two (facts/paste.py reads them as labels)."""
    line = raw_line.strip()
    if not line or strip_bullet(raw_line) == line:
        return ""
    return "cn" if _CN_PART.match(raw_line) else "sym" if _PART_SYMBOL.match(raw_line) else "item"


def strip_symbol(line: str) -> str:
    """The line without the symbols that set it off ("■ 存在不足" → "存在不足"); its numerals stay."""
    return _SYMBOL.sub("", line)


def strip_bullet(line: str) -> str:
    """The line without its list markers and surrounding blanks: '1. 举办培训4期' → '举办培训4期'.

    Nested markers go too ('1. （1）举办…' → '举办…'); a decimal that starts the fact stays
    ('1. 1.5万元…' → '1.5万元…', '3.8%的增长' → '3.8%的增长').
    """
    line = line.strip().replace("\u3000", " ")
    while (m := (_MARKER.match(line) if not _starts_with_number(line) else None) or _space_numbered(line)):
        stripped = line[m.end():].strip()
        if stripped == line:
            break
        line = stripped
    return line.strip(" \t")


def strip_markdown_bullets(text: str) -> str:
    """A model's text without Markdown bullets ("- ", "* ", "• " at a line start); numbered lines stay."""
    return _MARKDOWN_BULLET.sub("", text)
