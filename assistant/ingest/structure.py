"""Check heading numbering against docs/GENRE.md §A.1: 一、 → （一） → 1. → （1）.

Within a parent each level counts up from 一/1 without gaps, starts again under a new parent, and no
level is skipped. Un-numbered headings are not counted, but they do open a new parent for the levels
below them. Messages are Chinese and say where the problem is ("第三部分中（二）之后缺少（三）").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assistant.ingest.splitter import find_headings
from assistant.schema import Document, Heading
from assistant.text.headings import int_to_cn, numeral

IssueKind = Literal["gap", "skip_level", "restart", "wrong_start"]


@dataclass(frozen=True)
class NumberingIssue:
    """One numbering mistake: its kind, the 0-based line of the heading, and a Chinese message."""

    kind: IssueKind
    line: int
    message: str


def outline_of(doc: Document) -> list[Heading]:
    """The headings of a document in order (the title line excluded)."""
    return find_headings(doc.text, title=doc.title)


def _mark(level: int, ordinal: int) -> str:
    """A numeral as shown in messages: brackets speak for themselves, 一、 and 1. get quotes."""
    text = numeral(level, ordinal)
    return text if level in (2, 4) else f"“{text}”"


def _label(h: Heading) -> str:
    if h.ordinal is None:
        return f"“{h.text[:12]}”"
    return _mark(h.level, h.ordinal)


def _where(ancestors: list[Heading]) -> str:
    """'第三部分中', '第三部分（二）中', '一级标题中' — where a numbering problem sits."""
    if not ancestors:
        return "一级标题中"
    parts = []
    for h in ancestors:
        if h.level == 1 and h.ordinal is not None:
            parts.append(f"第{int_to_cn(h.ordinal)}部分")
        else:
            parts.append(_label(h))
    return "".join(parts) + "中"


def _span(level: int, first: int, last: int) -> str:
    if first == last:
        return _mark(level, first)
    if last == first + 1:
        return f"{_mark(level, first)}和{_mark(level, last)}"
    return f"{_mark(level, first)}至{_mark(level, last)}"


_LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


def check_numbering(headings: list[Heading]) -> list[NumberingIssue]:
    """Numbering issues of `headings` (as found by the splitter), in document order."""
    issues: list[NumberingIssue] = []
    stack: list[Heading] = []
    last: dict[tuple[int, int], int] = {}  # (parent line or -1, level) -> last ordinal seen
    for h in headings:
        while stack and stack[-1].level >= h.level:
            stack.pop()
        if h.ordinal is None:
            stack.append(h)
            continue
        parent = stack[-1] if stack else None
        where = _where(stack)
        key = (parent.line if parent else -1, h.level)
        mark = _mark(h.level, h.ordinal)
        parent_level = parent.level if parent else 0
        if h.level > parent_level + 1 and key not in last:
            missing = "、".join(_mark(lv, 1) for lv in range(parent_level + 1, h.level))
            issues.append(NumberingIssue("skip_level", h.line,
                                         f"{where}{mark}跳过了上一级标题（缺少{missing}这一级）"))
        previous = last.get(key)
        if previous is None:
            if h.ordinal != 1:
                issues.append(NumberingIssue(
                    "wrong_start", h.line,
                    f"{where}{_LEVEL_NAMES[h.level]}标题应从{_mark(h.level, 1)}开始，实际从{mark}开始"))
        elif h.ordinal > previous + 1:
            issues.append(NumberingIssue(
                "gap", h.line,
                f"{where}{_mark(h.level, previous)}之后缺少{_span(h.level, previous + 1, h.ordinal - 1)}"))
        elif h.ordinal <= previous:
            issues.append(NumberingIssue(
                "restart", h.line,
                f"{where}{_mark(h.level, previous)}之后又出现{mark}，编号没有依次递增"))
        last[key] = h.ordinal
        stack.append(h)
    return issues
