"""The no-model writer's text helpers: a fact as a clause, visible slots, titles, and the neutral formulas used
only when no house example offers its own.

Everything a summary looks like — its themes, headings, leads, opening and closing — is learnt from the house
examples (writing/planner.py) and laid out once (writing/compose.py); the template backend is that layout with
every fact as the user wrote it. The formulas here are the fallback when no example's formula fits this unit.
"""

from __future__ import annotations

import re

from assistant.facts.cues import without_remarks
from assistant.schema import Facts
from assistant.text.bullets import strip_bullet
from assistant.text.cues import strip_connective, strip_spoken
from assistant.text.headings import int_to_cn
from assistant.text.numbers import close_cjk_gaps

# Lead-ins a result paragraph may open with when the house opens its own that way.
RESULT_LEADS = ("一年来，", "今年以来，", "全年", "本年度，")
# A fact that opens with its own time ("全年接待读者……", "夏季高温期间……") takes no lead-in before it.
OWN_TIME = re.compile(r"(?:\d{1,2}月|[春夏秋冬]季|春节|元旦|五一|国庆|中秋|端午|年初|年中|年底|上半年|下半年|全年|今年|"
                      r"一年来|本年度|\d{4}年|[^，。]{0,8}期间)")
# How the problems and plans parts open when the house example gives no lead of its own.
PROBLEMS_LEAD = "在肯定成绩的同时，也要清醒看到工作中的短板和不足："
PLANS_LEAD = "在新的一年里，我们将针对存在的不足，重点抓好以下几方面工作："
_TRAILING = re.compile(r"[。；;，,、\s]+$")
_SLOT = "【待补充：{}】"


def with_lead(lead: str, text: str) -> str:
    """A result with its paragraph's lead-in, unless it brings its own time ("全年夏季……" would say it twice)."""
    bare = lead.rstrip("，")
    return text if lead and (lead in RESULT_LEADS or bare in (r.rstrip("，") for r in RESULT_LEADS)) \
        and OWN_TIME.match(text) else lead + text


def clean_fact(text: str) -> str:
    """A fact as a clause: whitespace folded, trailing punctuation removed, list markers, an opening connective
    ("另外，", "我们还") and a remark in brackets dropped — the fact's own words otherwise as typed."""
    text = close_cjk_gaps(strip_bullet(text)).strip()
    return _TRAILING.sub("", strip_connective(strip_spoken(without_remarks(text))))


def slot(what: str) -> str:
    return _SLOT.format(what)


def enumerate_run(items: list[str]) -> str:
    """'一是A；二是B；三是C。' — the house's in-paragraph enumeration."""
    parts = [f"{int_to_cn(i)}是{clean_fact(t)}" for i, t in enumerate(items, 1)]
    return "；".join(parts) + "。"


def _unit(facts: Facts) -> str:
    return facts.unit or slot("单位名称")


def _year(facts: Facts) -> str:
    return facts.year or slot("年度")


def next_year(facts: Facts) -> str:
    return str(int(facts.year) + 1) if facts.year.isdigit() else slot("下一年度")


def document_title(facts: Facts) -> str:
    """The summary's title: the user's own, else "<unit><year>年工作总结" with slots for what is missing."""
    if facts.title:
        return facts.title
    return f"{facts.unit or slot('单位名称')}{facts.year or slot('年度')}年工作总结"


def _rallies(facts: Facts) -> str:
    """Whom the unit rallies, by its kind: a union its members, a school its staff …; anyone else 全体干部职工."""
    from assistant.facts.unit_type import unit_type_of

    kinds = unit_type_of(facts.unit)
    if "工会" in kinds:
        return "团结带领广大职工"
    for kind, who in (("街道社区", "团结带领广大群众"), ("学校", "团结带领全体教职工"), ("医院", "团结带领全体医务人员")):
        if kind in kinds:
            return who
    return "团结带领全体干部职工"


def neutral_opening(facts: Facts, headings: list[str] | None = None) -> str:
    """The opening when no house example's opening fits this unit: the year, the unit, whom it rallies."""
    del headings
    return (f"{_year(facts)}年，{_unit(facts)}{_rallies(facts)}，认真履行职责，扎实开展各项工作。"
            f"现将{_year(facts)}年工作总结如下：")


def neutral_closing(facts: Facts) -> str:
    """The closing when no house example's closing fits this unit."""
    return f"新的一年，{_unit(facts)}将发扬成绩、正视不足，继续努力，推动各项工作再上新台阶。"
