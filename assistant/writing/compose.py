"""The shape of a section before any model writes: formulas, headings, and one slot per fact.

A section is a list of paragraphs; a paragraph is a list of pieces. A piece is either fixed text (a heading, a
house formula, a 【待补充】 slot) or one fact of the user's, with its id in the fact ledger and a faithful
rendering of it (the fact as the user wrote it, as a clause). A model may replace a fact piece's text with its
own sentence when the gate accepts it; otherwise the faithful rendering stays. So what a section says is fixed
here, by construction: each fact once, in its place, and nothing else specific.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from assistant.facts.ledger import ID_PREFIX
from assistant.schema import Facts, Role
from assistant.text.headings import int_to_cn, numeral
from assistant.writing.template import (
    PLANS_LEAD,
    PROBLEMS_LEAD,
    RESULT_LEADS,
    Outline,
    build_outline,
    clean_fact,
    compose,
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


def _fact_piece(fact: str, fact_id: str, section: str, prefix: str = "", suffix: str = "") -> Piece:
    return Piece("fact", clean_fact(fact), fact_id=fact_id, fact=fact, section=section, prefix=prefix,
                 suffix=suffix)


def plan_section(role: Role, facts: Facts, outline: Outline | None = None) -> SectionPlan:
    """The section's pieces for a model to fill: one sentence per fact, formulas around them.

    开头 and 结尾 are house formulas with the unit and year (no model writes them); 成绩 is the outline's
    headings, each followed by one paragraph of its facts; 问题 and 计划 are a lead-in and a 一是/二是 run.
    """
    if role in ("开头", "结尾"):
        return SectionPlan(role, [[Piece("text", compose(role, facts))]])
    if role == "成绩":
        outline = outline or build_outline(facts)
        paragraphs: list[list[Piece]] = []
        for i, item in enumerate(outline.items, 1):
            paragraphs.append([Piece("heading", f"{numeral(1, i)}{item.heading}")])
            real = [f for f in item.facts if not f.startswith("【待补充")]
            ids = fact_ids(facts.achievements, "achievements", real)
            lead = RESULT_LEADS[(i - 1) % len(RESULT_LEADS)]
            para = [_fact_piece(f, fid, "成绩", prefix=lead if j == 0 else "", suffix="。")
                    for j, (f, fid) in enumerate(zip(real, ids, strict=True))]
            if not para:
                para = [Piece("slot", slot("这一方面的具体工作和成效"))]
            paragraphs.append(para)
        if not paragraphs:
            paragraphs = [[Piece("slot", slot("主要工作和成绩，请在“主要工作与成绩”中填写"))]]
        return SectionPlan(role, paragraphs)
    field_name = "problems" if role == "问题" else "plans"
    items = list(getattr(facts, field_name))
    ids = fact_ids(items, field_name, items)
    pieces: list[Piece] = [Piece("text", PROBLEMS_LEAD if role == "问题" else PLANS_LEAD)]
    wanted = max(len(items), 2 if role == "问题" else 1)
    for n in range(1, wanted + 1):
        suffix = "。" if n == wanted else "；"
        prefix = f"{int_to_cn(n)}是"
        if n <= len(items):
            pieces.append(_fact_piece(items[n - 1], ids[n - 1], role, prefix=prefix, suffix=suffix))
        else:
            what = ("存在的具体问题" if n == 1 else "另一个具体问题") if role == "问题" else "下一步工作计划"
            pieces.append(Piece("slot", slot(what), prefix=prefix, suffix=suffix))
    return SectionPlan(role, [pieces])

