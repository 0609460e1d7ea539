"""The shape of a section before any model writes: the house plan's headings, formulas, and one slot per fact.

A section is a list of paragraphs; a paragraph is a list of pieces. A piece is either fixed text (a heading, a
house formula, a 【待补充】 slot) or one fact of the user's, with its id in the fact ledger and a faithful
rendering of it (the fact as the user wrote it, as a clause). A model may replace a fact piece's text with its
own sentence when the gate accepts it; otherwise the faithful rendering stays. So what a section says is fixed
here, by construction: each fact once, in its place, and nothing else specific. Where the headings, leads,
opening and closing come from is the house plan (writing/planner.py): learnt from the examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from assistant.check.terms import verb_head, work_noun_tail
from assistant.facts.ledger import ID_PREFIX
from assistant.schema import Facts, Role
from assistant.text.cues import without_plan_subject
from assistant.text.headings import int_to_cn, numeral
from assistant.writing.planner import HousePlan, ThemePlan
from assistant.writing.template import (
    PLANS_LEAD,
    PROBLEMS_LEAD,
    clean_fact,
    neutral_closing,
    neutral_opening,
    slot,
    with_lead,
)

PieceKind = Literal["heading", "text", "fact", "slot"]
Writer = Literal["template", "model"]


@dataclass
class Piece:
    """One piece of a paragraph; `text` is what is delivered (for a fact: the faithful rendering until a model's
    sentence is accepted in its place)."""

    kind: PieceKind
    text: str
    fact_id: str = ""
    fact: str = ""  # the fact as the user wrote it
    section: str = ""  # 成绩 / 问题 / 计划: what the model is told the fact is
    prefix: str = ""  # "一是", or a paragraph's lead-in
    suffix: str = ""  # "；" / "。"
    writer: Writer = "template"
    attempt: str = ""  # the model's own sentence for this fact, kept beside what was delivered
    reasons: list[str] = field(default_factory=list)  # why the attempt was not delivered
    shots: list[tuple[str, str]] = field(default_factory=list)  # the house's sentences to imitate (masked)
    topic: bool = False  # a result that only names its work, the topic of its details: no model words it

    def render(self) -> str:
        return f"{with_lead(self.prefix, self.text)}{self.suffix}"


@dataclass
class SectionPlan:
    """A section as paragraphs of pieces; `text()` is the delivered section."""

    role: Role
    paragraphs: list[list[Piece]] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join("".join(p.render() for p in para) for para in self.paragraphs if para)

    def facts(self) -> list[Piece]:
        return [p for para in self.paragraphs for p in para if p.kind == "fact"]


def fact_ids(items: list[str], field_name: str, wanted: list[str]) -> list[str]:
    """Ledger ids of `wanted` fact texts, each matched to the first unused equal item of the field."""
    used: set[int] = set()
    ids = []
    for text in wanted:
        index = next((i for i, item in enumerate(items) if item == text and i not in used), None)
        if index is None:
            ids.append("")
            continue
        used.add(index)
        ids.append(f"{ID_PREFIX[field_name]}{index + 1}")
    return ids


class _Ids:
    """Hands out each fact's ledger id once, in the order the plan uses the facts."""

    def __init__(self, items: list[str], field_name: str) -> None:
        self.items, self.field, self.used = items, field_name, set()

    def __call__(self, text: str) -> str:
        index = next((i for i, item in enumerate(self.items) if item == text and i not in self.used), None)
        if index is None:
            return ""
        self.used.add(index)
        return f"{ID_PREFIX[self.field]}{index + 1}"


class _DetailIds:
    """The ledger ids of a result's details (det1…), in the ledger's order of them."""

    def __init__(self, facts: Facts) -> None:
        self.ids = {item: f"{ID_PREFIX['details']}{i}" for i, item in enumerate(facts.detail_items(), 1)}

    def __call__(self, fact: str, kind: str, text: str) -> str:
        return self.ids.get((fact, kind, text), "")


def _result_pieces(fact: str, facts: Facts, ids: _Ids, details: _DetailIds, prefix: str = "") -> list[Piece]:
    """A result as the house writes it when the user told how and what came of it: 做法 → result → 成效, each a
    sentence of its own (each the user's words, each gated); just the result otherwise."""
    own = facts.details_of(fact)
    told = [_fact_piece(t, details(fact, "做法", t), "成绩", suffix="。") for t in own.get("做法", [])]
    came = [_fact_piece(t, details(fact, "成效", t), "成绩", suffix="。") for t in own.get("成效", [])]
    bare = clean_fact(fact)
    if (told or came) and names_only(bare):
        # "场馆安全管理" with how it was done: the name is what its details are about, no sentence of its own
        # ("场馆安全管理。" read as a fragment): "场馆安全管理方面，每月……"; a work said with its verb, or a clause,
        # leads them: "加强学生心理健康教育，建成……", "……市场拓展取得新进展，开发……"
        named = not verb_head(bare.lstrip("“\"《")) and work_noun_tail(bare[-2:])  # a work's name, no clause
        topic = _fact_piece(fact, ids(fact), "成绩", suffix="方面，" if named else "，")
        topic.topic = True
        pieces = [topic, *told, *came]
    else:
        pieces = [*told, _fact_piece(fact, ids(fact), "成绩", suffix="。"), *came]
    if prefix:
        pieces[0].prefix = prefix
    return pieces


def names_only(fact: str) -> bool:
    """The result names a work and says nothing of it: no number, no clause ("场馆安全管理", "“小小科学家”科技创新
    培养项目", "加强学生心理健康教育")."""
    return 2 <= len(fact) <= 24 and not re.search(r"[\d，,；;。：:、]", fact)


def _fact_piece(fact: str, fact_id: str, section: str, prefix: str = "", suffix: str = "") -> Piece:
    return Piece("fact", clean_fact(fact), fact_id=fact_id, fact=fact, section=section, prefix=prefix,
                 suffix=suffix)


def _opening(facts: Facts, plan: HousePlan) -> list[list[Piece]]:
    """The house's opening for this unit; the background facts (how big the unit is) before its last sentence."""
    text = plan.opening or neutral_opening(facts, plan.headings())
    sentences = re.findall(r"(?:【[^】]*】|[^。！？：【])+[。！？：]?", text)  # a slot's colon ends no sentence
    last = next((i for i in range(len(sentences) - 1, -1, -1) if "如下" in sentences[i]), len(sentences))
    head, tail = "".join(sentences[:last]), "".join(sentences[last:])
    pieces = [Piece("text", head)] if head else []
    ids = _Ids(facts.achievements, "achievements")
    for i, fact in enumerate(plan.background):
        end = "。" if i == len(plan.background) - 1 else "，"
        pieces.append(_fact_piece(fact, ids(fact), "成绩", suffix=end))
    if tail:
        pieces.append(Piece("text", tail))
    return [pieces]


def _theme_paragraphs(theme: ThemePlan, i: int, facts: Facts, plan: HousePlan, ids: _Ids, details: _DetailIds,
                      paragraphs: list[list[Piece]]) -> None:
    """A theme's paragraphs after its heading: its items ("（一）lead。……"), or one paragraph of its results."""
    if theme.items:
        for j, item in enumerate(theme.items, 1):
            para = [Piece("heading", f"{numeral(2, j)}{item.lead}。")]
            for f in item.facts:
                para += _result_pieces(f, facts, ids, details)
            paragraphs.append(para)
        return
    leads = plan.time_leads
    lead = f"{leads[(i - 1) % len(leads)]}，" if leads else ""
    if any(facts.details_of(f) for f in theme.facts):  # results told in full: sentence after sentence
        para = []
        for j, f in enumerate(theme.facts):
            para += _result_pieces(f, facts, ids, details, prefix=lead if j == 0 else "")
    elif plan.enumerate and len(theme.facts) > 1:  # "一年来，一是……；二是……。"
        last = len(theme.facts) - 1
        para = [Piece("text", lead)] if lead else []
        para += [_fact_piece(f, ids(f), "成绩", prefix=f"{int_to_cn(j + 1)}是", suffix="。" if j == last else "；")
                 for j, f in enumerate(theme.facts)]
    else:
        para = [_fact_piece(f, ids(f), "成绩", prefix=lead if j == 0 else "", suffix="。")
                for j, f in enumerate(theme.facts)]
    paragraphs.append(para or [Piece("slot", slot("这一方面的具体工作和成效"))])


def plan_section(role: Role, facts: Facts, plan: HousePlan | None = None) -> SectionPlan:
    """The section's pieces for a model to fill: one sentence per fact, the house's headings and formulas around
    them. Without a plan, the plan of no examples (bare_plan)."""
    plan = plan if plan is not None else bare_plan(facts)
    if role == "开头":
        return SectionPlan(role, _opening(facts, plan))
    if role == "结尾":
        return SectionPlan(role, [[Piece("text", plan.closing or neutral_closing(facts))]])
    if role == "成绩":
        ids = _Ids(facts.achievements, "achievements")
        details = _DetailIds(facts)
        paragraphs: list[list[Piece]] = []
        for i, theme in enumerate(plan.themes, 1):
            first = len(paragraphs)
            if theme.heading:  # a plan whose results no heading fits writes them without one
                paragraphs.append([Piece("heading", f"{numeral(1, i)}{theme.heading}")])
            _theme_paragraphs(theme, i, facts, plan, ids, details, paragraphs)
            for piece in (p for para in paragraphs[first:] for p in para if p.kind == "fact"):
                piece.shots = list(theme.shots)  # the house's own sentences for this theme's facts
        if not paragraphs:
            paragraphs = [[Piece("slot", slot("主要工作和成绩，请在“主要工作与成绩”中填写"))]]
        return SectionPlan(role, paragraphs)
    field_name = "problems" if role == "问题" else "plans"
    items = list(getattr(facts, field_name))
    ids = _Ids(items, field_name)
    lead = (plan.problems_lead or PROBLEMS_LEAD) if role == "问题" else (plan.plans_lead or PLANS_LEAD)
    pieces: list[Piece] = [Piece("text", lead)]
    wanted = max(len(items), 2 if role == "问题" else 1)
    for n in range(1, wanted + 1):
        suffix = "。" if n == wanted else "；"
        prefix = f"{int_to_cn(n)}是"
        if n <= len(items):
            piece = _fact_piece(items[n - 1], ids(items[n - 1]), role, prefix=prefix, suffix=suffix)
            if role == "计划":  # "我们将……：一是本馆将启动……" says who and when twice, and under "着力抓好以下
                # 工作：" the list is this unit's next year already ("一是本所将继续推进……")
                piece.text = without_plan_subject(piece.text, facts.unit)
            pieces.append(piece)
        else:
            what = ("存在的具体问题" if n == 1 else "另一个具体问题") if role == "问题" else "下一步工作计划"
            pieces.append(Piece("slot", slot(what), prefix=prefix, suffix=suffix))
    return SectionPlan(role, [pieces])


def compose(role: Role, facts: Facts, plan: HousePlan | None = None) -> str:
    """The text of one section with the facts as written (the template backend)."""
    return plan_section(role, facts, plan).text()


def bare_plan(facts: Facts) -> HousePlan:
    """The plan when no example is at hand: results grouped in their order, headings in their own words."""
    import numpy as np

    from assistant.house.profile import HouseProfile
    from assistant.writing.planner import notes_as_results, plan_house

    facts = notes_as_results(facts)
    n = len(facts.achievements)
    return plan_house(facts, HouseProfile(), np.zeros((n, 1), dtype=np.float32), [[] for _ in range(n)], "",
                      judge=lambda _: False, fits=lambda _: False)


def outline_text(plan: HousePlan) -> str:
    """The results part as an outline: level-1 headings, and under them the items with their lead phrases (or the
    facts, where the house writes no second level)."""
    lines = []
    for i, theme in enumerate(plan.themes, 1):
        if theme.heading:
            lines.append(f"{numeral(1, i)}{theme.heading}")
        if theme.items:
            for j, item in enumerate(theme.items, 1):
                lines.append(f"{numeral(2, j)}{item.lead}。" + "".join(f"{clean_fact(f)}。" for f in item.facts))
        else:
            lines += [f"{numeral(2, j)}{clean_fact(f)}" for j, f in enumerate(theme.facts, 1)]
    return "\n".join(lines)


def with_outline(plan: HousePlan, outline: str) -> HousePlan:
    """The plan under the user's own (possibly edited) level-1 headings: theirs replace the house's in order; when
    there are more or fewer, every result goes under the heading sharing most words with it."""
    from assistant.text.headings import parse_numbered
    from assistant.writing.planner import ThemePlan

    headings = [h.title for line in outline.splitlines() if (h := parse_numbered(line)) is not None and h.level == 1]
    if not headings:
        return plan
    if len(headings) == len(plan.themes):
        themes = [ThemePlan(h, t.facts, t.items, t.fallback) for h, t in zip(headings, plan.themes, strict=True)]
    else:
        themes = [ThemePlan(h, []) for h in headings]
        for theme in plan.themes:
            for fact in theme.facts:
                target = max(themes, key=lambda t: len(set(t.heading) & set(fact)))
                target.facts.append(fact)
    from dataclasses import replace

    return replace(plan, themes=themes)
