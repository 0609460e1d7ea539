"""One numbering of a summary's sentences, and one name for each fact, for everything the page shows.

The 核查 panel, the fact-use panel and the export status all say "成绩 第 2 句": the part (the one reading of a
summary's parts, text/sections.py) and the sentence's number within it, headings not counted. A section checked
on its own numbers its sentences within its own part, which is the same number the whole summary gives them. A
fact is named by its own words, shortened; its ledger id (ach1, prob2 …) never reaches the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.schema import CheckReport, FactUse
from assistant.text.sections import section_roles

FACT_NAME_CHARS = 18
_OWN_PARTS = {"ach": ("开头", "成绩"), "prob": ("问题",), "plan": ("计划",)}


def place(part: str, n: int) -> str:
    """"成绩 第 2 句"; a sentence outside any part is "第 2 句"."""
    return f"{part} 第 {n} 句" if part else f"第 {n} 句"


def sentence_places(text: str, report: CheckReport, role: str | None = None) -> list[tuple[str, int]]:
    """(part, number within the part) of each of the report's sentences, in the report's order. `role` names the
    part of a section checked on its own; without it the parts are read from the whole text."""
    bounds = [] if role else section_roles(text)
    counters: dict[str, int] = {}
    out: list[tuple[str, int]] = []
    for entry in report.sentences:
        part = role or next((r for s, e, r in bounds if s <= entry.start < e), "")
        if not entry.heading:
            counters[part] = counters.get(part, 0) + 1
        out.append((part, counters.get(part, 0)))
    return out


def fact_name(text: str, limit: int = FACT_NAME_CHARS) -> str:
    """A fact named by its own words, shortened ("组织职工技能培训12期，参训860人次" → "组织职工技能培训12期，参训8…")."""
    words = re.sub(r"\s+", " ", text or "").strip().rstrip("。；;，,")
    return words if len(words) <= limit else words[: limit - 1] + "…"


@dataclass(frozen=True)
class FactPlaces:
    """A fact, and the places of the whole summary that state it (empty: not used)."""

    fact: FactUse
    places: tuple[str, ...]


def fact_places(text: str, report: CheckReport) -> list[FactPlaces]:
    """Each fact of a whole-summary report with where it is stated: in its own part when it is stated there (a
    plan that shares words with a result is not "used" in the results), else wherever it is."""
    places = sentence_places(text, report)
    out = []
    for f in report.facts:
        kind = re.sub(r"\d+$", "", f.id)
        used = [i for i in f.used_in if 0 <= i < len(places)]
        own = [i for i in used if places[i][0] in _OWN_PARTS.get(kind, ())]
        out.append(FactPlaces(f, tuple(place(*places[i]) for i in (own or used))))
    return out


def sentence_label(places: Sequence[tuple[str, int]], i: int) -> str:
    return place(*places[i]) if 0 <= i < len(places) else ""
