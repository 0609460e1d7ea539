"""One example summary read into its parts, the way a reader sees it.

The splitter (ingest/splitter.py) already tags every passage with its heading path and section role; this
module turns a document's chunks into what drafting imitates: the opening and closing paragraphs, the result
themes (level-1 headings) with their items (level-2 run-in lead phrases, "（一）做实帮扶救助。……"), and the
headings and lead-ins of the problems and plans parts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.schema import Chunk
from assistant.text.headings import parse_numbered
from assistant.text.numbers import YEAR
from assistant.text.sentences import split_sentences

_ENUM = re.compile(r"[一二三四五六七八九十]是")


@dataclass
class Item:
    """A level-2 item under a theme: its lead phrase ("做实帮扶救助") and its text."""

    lead: str
    text: str


@dataclass
class Theme:
    """A level-1 heading of an example's results part, with what stands under it."""

    heading: str  # without its numeral
    items: list[Item] = field(default_factory=list)
    text: str = ""  # the body under the heading (items included)
    chunk_ids: list[str] = field(default_factory=list)  # the indexed passages under it

    @property
    def enumerates(self) -> bool:
        """Whether its paragraphs run 一是……二是……."""
        return bool(_ENUM.search(self.text))


@dataclass
class Layout:
    """An example summary as parts. `origin` is "seed", "project" or "user" (index/sync.example_origin);
    `org_types` its unit-type tags; `unit` the unit it was written for (header or title)."""

    doc: str
    title: str = ""
    unit: str = ""
    year: str = ""
    origin: str = ""
    org_types: tuple[str, ...] = ()
    opening: str = ""
    closing: str = ""
    themes: list[Theme] = field(default_factory=list)
    problems_heading: str = ""
    problems_lead: str = ""
    plans_heading: str = ""
    plans_lead: str = ""
    plans_items: list[Item] = field(default_factory=list)
    specific: frozenset[str] = frozenset()  # words only this example uses, often: its unit's own business
    rare: frozenset[str] = frozenset()  # words no other example uses (even once): no formula of the genre

    @property
    def two_level(self) -> bool:
        """The house writes level-2 items under its result themes (two or more under one of them at least)."""
        return any(len(t.items) >= 2 for t in self.themes)

    @property
    def leads(self) -> list[str]:
        return [i.lead for t in self.themes for i in t.items]

    @property
    def headings(self) -> list[str]:
        return [t.heading for t in self.themes]


def bare_heading(heading: str) -> str:
    """A heading path element without its numeral ("一、守牢安全底线" → "守牢安全底线")."""
    numbered = parse_numbered(heading)
    return numbered.title.rstrip("。；;") if numbered is not None else heading.strip().rstrip("。；;")


def _level(heading: str) -> int:
    numbered = parse_numbered(heading)
    return numbered.level if numbered is not None else 1


def _lead_in(text: str) -> str:
    """A part's lead-in: its first sentence when that ends with a colon or before 一是
    ("但是，我们也清醒地看到，……还存在一些问题和不足：")."""
    first = re.split(r"(?<=[：:])|(?=一是)", text.strip(), maxsplit=1)[0].strip()
    return first if first.endswith(("：", ":")) and len(first) <= 60 else ""


def layout_of(chunks: Sequence[Chunk], *, title: str = "", unit: str = "", year: str = "", origin: str = "",
              org_types: tuple[str, ...] = ()) -> Layout:
    """The parts of one example from its chunks (in document order)."""
    doc = chunks[0].doc if chunks else ""
    out = Layout(doc=doc, title=title, unit=unit, year=year, origin=origin, org_types=org_types)
    themes: dict[str, Theme] = {}
    last_plan: Chunk | None = None
    for chunk in chunks:
        path = list(chunk.heading_path)
        text = chunk.text.strip()
        if chunk.role == "开头":
            out.opening = (out.opening + text) if not out.opening else out.opening
        elif chunk.role == "结尾":
            out.closing = text
        elif chunk.role == "成绩" and path:
            top = path[0]
            theme = themes.get(top)
            if theme is None:
                theme = themes[top] = Theme(bare_heading(top))
                out.themes.append(theme)
            theme.text = f"{theme.text}\n{text}".strip()
            theme.chunk_ids.append(chunk.chunk_id)
            if len(path) > 1 and _level(path[1]) == 2:
                numbered = parse_numbered(text)
                lead = bare_heading(path[1])
                if lead and not any(i.lead == lead for i in theme.items):
                    theme.items.append(Item(lead, numbered.rest if numbered is not None else text))
        elif chunk.role == "问题":
            heading = next((bare_heading(h) for h in path if _is_part_heading(h, "问题")), "")
            out.problems_heading = out.problems_heading or heading
            out.problems_lead = out.problems_lead or _lead_in(text)
        elif chunk.role == "计划":
            last_plan = chunk
            heading = next((bare_heading(h) for h in path if _is_part_heading(h, "计划")), "")
            out.plans_heading = out.plans_heading or heading
            out.plans_lead = out.plans_lead or _lead_in(text)
            if len(path) > 1 and _level(path[-1]) == 2:
                numbered = parse_numbered(text)
                out.plans_items.append(Item(bare_heading(path[-1]), numbered.rest if numbered is not None else text))
    if not out.closing and last_plan is not None and _pledge(last_plan.text):
        out.closing = last_plan.text.strip()  # "新的一年，我院将……提供更加有力的司法服务和保障。"
    return out


_PLEDGE_OPEN = re.compile(rf"^(?:新的一年|在新的一年里|展望{YEAR}年|{YEAR}年[，,]|下一步[，,]|站在新的起点)")


def _pledge(text: str) -> bool:
    """A last paragraph of the plans part that is the closing pledge: a sentence of it opens like one and
    promises ("新的一年，护理部将……", "2025年，东山县气象局将继续……"), it is short and lists no tasks (no 一是, no
    numbered items, no "；" between tasks)."""
    t = text.strip()
    opens = any(_PLEDGE_OPEN.match(s.strip()) and "将" in s for s in split_sentences(t, semicolon=False))
    return opens and len(t) <= 250 and not re.search(r"一是|[（(][一二三四五]|；", t)


def _is_part_heading(heading: str, role: str) -> bool:
    from assistant.text.sections import part_heading

    return part_heading(heading) == role
