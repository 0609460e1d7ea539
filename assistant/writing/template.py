"""The no-model backend: compose sections from the house structure and the user's facts, deterministically.

It writes nothing it was not given: every fact is restated as written (trailing punctuation trimmed),
grouped under parallel headings of the house pattern, and every gap becomes a visible 【待补充：…】 slot.
The connecting phrases are the formulas the house examples use (opening "……现将……总结如下：", problems
opened by "……还存在一些不足", plans by "在新的一年里", "一是……二是……" runs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.schema import Facts, Role
from assistant.text.bullets import strip_bullet
from assistant.text.headings import int_to_cn, numeral

# Themes for grouping achievements: (keywords, level-1 heading in the house's parallel pattern).
THEMES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("学习", "理论", "政治", "党建", "思想", "宣传", "教育"), "加强思想政治建设，统一干部职工思想"),
    (("培训", "技能", "比武", "练兵", "竞赛", "创新", "劳模", "先锋"), "开展技能培训和劳动竞赛，提升队伍素质"),
    (("组建", "会员", "组织建设", "制度", "规范化", "换届", "委员会", "入会"), "加强组织建设，夯实工作基础"),
    (("民主", "职代会", "职工代表", "公开", "集体协商", "集体合同", "监督"), "推进民主管理，保障职工权益"),
    (("帮扶", "慰问", "困难", "送温暖", "救助", "捐款", "救济", "走访", "补助"), "做好帮扶救助，传递组织温暖"),
    (("文体", "文艺", "体育", "运动会", "演出", "联谊", "健身", "读书", "书屋", "文化"), "丰富文体活动，增强队伍凝聚力"),
    (("安全", "健康", "体检", "疗休养", "女职工", "女工"), "关心职工健康，维护特殊权益"),
)
OTHER_HEADING = "统筹推进其他工作，服务中心大局"

# Lead-ins rotated over the 成绩 paragraphs so parallel sections do not all open alike (the house varies them).
_LEADS = ("一年来，", "今年以来，", "全年", "本年度，")
_TRAILING = re.compile(r"[。；;，,、\s]+$")
_SLOT = "【待补充：{}】"


def clean_fact(text: str) -> str:
    """A fact as a clause: whitespace folded, trailing punctuation removed, list markers dropped."""
    text = re.sub(r"\s+", "", strip_bullet(text))
    return _TRAILING.sub("", text)


def slot(what: str) -> str:
    return _SLOT.format(what)


def enumerate_run(items: list[str]) -> str:
    """'一是A；二是B；三是C。' — the house's in-paragraph enumeration."""
    parts = [f"{int_to_cn(i)}是{clean_fact(t)}" for i, t in enumerate(items, 1)]
    return "；".join(parts) + "。"


@dataclass
class OutlineItem:
    """A level-1 heading of the 成绩 part with the facts it covers."""

    heading: str
    facts: list[str] = field(default_factory=list)


@dataclass
class Outline:
    """The numbered structure of the 成绩 part."""

    items: list[OutlineItem] = field(default_factory=list)

    def to_text(self) -> str:
        lines = []
        for i, item in enumerate(self.items, 1):
            lines.append(f"{numeral(1, i)}{item.heading}")
            for j, fact in enumerate(item.facts, 1):
                lines.append(f"{numeral(2, j)}{clean_fact(fact)}")
        return "\n".join(lines)

    def headings_text(self) -> str:
        return "\n".join(f"{numeral(1, i)}{item.heading}" for i, item in enumerate(self.items, 1))


def theme_of(fact: str) -> str:
    """The first theme whose keywords the fact mentions most."""
    best, best_hits = OTHER_HEADING, 0
    for keywords, heading in THEMES:
        hits = sum(1 for k in keywords if k in fact)
        if hits > best_hits:
            best, best_hits = heading, hits
    return best


def build_outline(facts: Facts) -> Outline:
    """Group achievements by theme, in the order the themes first appear in the user's list."""
    groups: dict[str, list[str]] = {}
    for fact in facts.achievements:
        groups.setdefault(theme_of(fact), []).append(fact)
    if not groups:
        return Outline([OutlineItem("主要工作和成绩", [slot("主要工作和成绩，请在“主要工作与成绩”中填写")])])
    return Outline([OutlineItem(h, fs) for h, fs in groups.items()])


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


def compose(role: Role, facts: Facts, outline: Outline | None = None) -> str:
    """The text of one section in the house pattern."""
    if role == "开头":
        return (f"{_year(facts)}年，{_unit(facts)}在上级的正确领导和大力支持下，紧紧围绕中心工作，"
                f"认真履行各项职责，团结带领干部职工扎实开展各项工作。现将{_year(facts)}年工作总结如下：")
    if role == "成绩":
        outline = outline or build_outline(facts)
        blocks = []
        for i, item in enumerate(outline.items, 1):
            blocks.append(f"{numeral(1, i)}{item.heading}")
            lead = _LEADS[(i - 1) % len(_LEADS)]
            if len(item.facts) == 1:
                blocks.append(f"{lead}{clean_fact(item.facts[0])}。")
            elif item.facts:
                blocks.append(f"{lead.rstrip('，')}，围绕这项工作，{enumerate_run(item.facts)}")
        return "\n".join(blocks)
    if role == "问题":
        items = list(facts.problems)
        while len(items) < 2:
            items.append(slot("存在的具体问题" if not items else "另一个具体问题"))
        return f"在肯定成绩的同时，我们也清醒地看到，工作中还存在一些不足：{enumerate_run(items)}"
    if role == "计划":
        items = list(facts.plans) or [slot("下一步工作计划")]
        return (f"在新的一年里，我们将针对存在的不足，重点抓好以下几方面工作：{enumerate_run(items)}")
    return (f"新的一年，{_unit(facts)}将继续在上级的坚强领导下，发扬成绩，正视不足，"
            f"扎实做好各项工作，为推动本单位高质量发展作出新的更大贡献。")
