"""Which part of a summary a label or heading names (成绩, 问题, 计划, 结尾), read by the genre's grammar of labels
rather than a list of the ones seen so far.

A plans label is [time] [scope] head: 明年准备, 下一步, 今后打算, 2025年工作思路, 下一步工作计划和措施. A problems
label is [lead] [主要] head [和 head] [tail]: 存在的主要问题, 不足之处, 短板, 薄弱环节, 问题和不足, 存在问题及原因分析.
An achievements label is [period] [主要] [工作] head: 主要成绩, 2024年工作情况, 一年来的工作回顾. The words are
text/data/cue_words.txt's classes. A heading's numeral ("四、"), Markdown marks ("## ") and a closing colon do
not count.
"""

from __future__ import annotations

import re
from functools import cache

from assistant.schema import Role
from assistant.text.cues import cue_words
from assistant.text.headings import parse_numbered
from assistant.text.numbers import YEAR, fold_width
from assistant.text.wordlists import alternation

_MARKS = re.compile(r"^\s*(?:[#＃]+\s*|\*\*)?|(?:\*\*)?\s*[：:]?\s*$")


def _alt(*names: str) -> str:
    return alternation(w for n in names for w in cue_words(n))


@cache
def _grammar() -> dict[Role, str]:
    """Each part's label grammar as an unanchored pattern."""
    year = rf"{YEAR}年度?"
    scope = r"(?:的)?(?:主要|重点)?(?:工作)?(?:的)?"
    plan_head = _alt("plan_head")
    timed_head = _alt("plan_head", "plan_head_timed")
    plan = (rf"(?:(?:{_alt('plan_time')}){scope}(?:(?:{timed_head})(?:[和与及、](?:{timed_head}))?)?"
            rf"|(?:{year}){scope}(?:{timed_head})(?:[和与及、](?:{timed_head}))?"
            rf"|(?:年度)?(?:工作|主要工作)?(?:{plan_head})(?:[和与及、](?:{timed_head}))?)")
    lead = rf"(?:(?:{_alt('problem_lead')})(?:的)?)?(?:主要|突出|一些)?"
    head = _alt("problem_head")
    problem = (rf"{lead}(?:{head})(?:之处)?(?:[和与及、]{lead}(?:{head}))?"
               rf"(?:[和与及、](?:{_alt('problem_tail')}))?")
    result = (rf"(?:(?:{year}|{_alt('result_period')})(?:的)?)?(?:主要)?(?:工作)?"
              rf"(?:{_alt('result_head')})(?:[和与及、](?:{_alt('result_head')}))?")
    return {"计划": plan, "问题": problem, "成绩": result, "结尾": _alt("closing_head")}


@cache
def _anchored() -> tuple[tuple[Role, re.Pattern[str]], ...]:
    # problems before plans ("存在的问题和下一步打算" names the problems first), plans before results (工作打算)
    order: tuple[Role, ...] = ("问题", "计划", "成绩", "结尾")
    return tuple((role, re.compile(rf"^(?:{_grammar()[role]})$")) for role in order)


def label_text(line: str) -> str:
    """A heading or label line without its numeral, Markdown marks and closing colon ("四、存在的主要问题：" →
    "存在的主要问题")."""
    text = _MARKS.sub("", fold_width(line or "").strip())
    parsed = parse_numbered(text)
    if parsed is not None and not parsed.rest:
        text = parsed.title
    return _MARKS.sub("", text).strip()


def label_role(line: str) -> Role | None:
    """The part a label or a heading line names: "明年准备" → 计划, "四、存在的主要问题" → 问题, "主要成绩" → 成绩,
    "结束语" → 结尾; None for a line that is not only a part's name."""
    text = label_text(line)
    if not text or len(text) > 24:
        return None
    for role, pattern in _anchored():
        if pattern.match(text):
            return role
    return None


def part_pattern(role: Role) -> str:
    """One part's label grammar as an unanchored pattern (成绩, 问题, 计划, 结尾)."""
    return _grammar()[role]


@cache
def label_alternation() -> str:
    """Every part label as one unanchored alternation (to find "明年准备：" inside a line of several labels)."""
    return "|".join(f"(?:{_grammar()[r]})" for r in ("问题", "计划", "成绩"))
