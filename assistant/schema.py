"""Plain data passed between layers: documents, chunks, search hits, facts, drafts, check reports."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from assistant.errors import UserError

Role = Literal["开头", "成绩", "问题", "计划", "结尾"]
ROLES: tuple[Role, ...] = ("开头", "成绩", "问题", "计划", "结尾")
ROLE_ALIASES: dict[str, Role] = {
    "opening": "开头",
    "achievements": "成绩",
    "results": "成绩",
    "problems": "问题",
    "plans": "计划",
    "closing": "结尾",
    **{r: r for r in ROLES},
}
def scrub_text(text: str) -> str:
    """`text` with lone surrogates replaced by U+FFFD.

    They arrive from undecodable command-line bytes and from JSON "\\ud800" escapes (API, browser), and every
    byte-level library downstream (tokenizers, llama.cpp, docx, UTF-8 files) refuses them with a traceback.
    """
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


_SURROGATE = re.compile("[\ud800-\udfff]")


ROLE_TITLES: dict[Role, str] = {
    "开头": "开头",
    "成绩": "主要工作和成绩",
    "问题": "存在的问题",
    "计划": "下一步工作计划",
    "结尾": "结尾",
}


def normalize_role(value: str | None) -> Role | None:
    """Map a Chinese or English section name to its Role; None for unknown or empty."""
    if not value:
        return None
    return ROLE_ALIASES.get(value.strip().lower()) or ROLE_ALIASES.get(value.strip())


def require_role(value: str | None) -> Role:
    """normalize_role, or a UserError that lists the choices in Chinese and English."""
    role = normalize_role(value)
    if role is None:
        choices = f"开头、成绩、问题、计划、结尾（或 {'、'.join(k for k in ROLE_ALIASES if k.isascii())}）"
        if not (value or "").strip():
            raise UserError(f"未知的部分（没有选择）：请选择要起草的部分，可选 {choices}。")
        raise UserError(f"未知的部分“{value}”：可选 {choices}。")
    return role


@dataclass(frozen=True)
class Document:
    """One source file after reading and cleaning."""

    doc_id: str  # stable id: the file name stem
    title: str
    text: str  # body text without the metadata header
    path: str = ""
    org_type: str = ""
    year: str = ""
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Heading:
    """A heading found by the splitter."""

    text: str
    level: int  # 1 = 一、 / un-numbered, 2 = （一）, 3 = 1., 4 = （1）
    ordinal: int | None  # numeric value of its numeral; None for un-numbered headings
    line: int  # 0-based line index in the document text


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: one paragraph (or a kept-together 一是/二是 run) with its context."""

    chunk_id: str  # f"{doc_id}:{order}"
    doc: str  # doc_id
    title: str  # document title
    heading_path: tuple[str, ...]  # headings above it, outermost first
    role: Role
    text: str
    order: int  # position within the document

    @property
    def heading(self) -> str:
        return " > ".join(self.heading_path)


@dataclass(frozen=True)
class SearchHit:
    """One retrieval result, in the CLI's JSON shape."""

    text: str
    doc: str
    heading: str
    role: str
    score: float
    chunk_id: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "doc": self.doc, "heading": self.heading, "role": self.role,
                "score": round(float(self.score), 4)}


SentenceStatus = Literal["supported", "formula", "unverified", "violation"]


@dataclass
class SentenceEntry:
    """One sentence or heading of a draft, where it is, and what the sentence ledger says of it."""

    text: str
    start: int
    end: int
    status: SentenceStatus = "formula"
    facts: list[str] = field(default_factory=list)  # ids of the facts it states (ach1, prob2, unit …)
    reasons: list[str] = field(default_factory=list)  # Chinese, one per problem; empty unless flagged
    heading: bool = False

    @property
    def flagged(self) -> bool:
        return self.status in ("unverified", "violation")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text, "status": self.status, "facts": list(self.facts),
                                "reasons": list(self.reasons), "start": self.start, "end": self.end}
        if self.heading:
            data["heading"] = True
        return data


@dataclass
class FactUse:
    """One of the user's facts and the sentences (indexes into CheckReport.sentences) that state it."""

    id: str
    text: str
    used_in: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "used_in": list(self.used_in)}


@dataclass
class CheckReport:
    """The check's verdict on one draft; `to_json` is the CLI/API shape.

    The category lists name problems across the text; `sentences` is the per-sentence ledger and `facts`
    says where each fact is used. `ok` holds only when no category has an item and no sentence is flagged.
    """

    unsupported_numbers: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    unused_facts: list[str] = field(default_factory=list)
    plans_as_results: list[str] = field(default_factory=list)
    missing_slots: list[str] = field(default_factory=list)  # 【待补充：…】 present (informational)
    conflicts: list[str] = field(default_factory=list)  # one metric with two values in the document
    sentences: list[SentenceEntry] = field(default_factory=list)
    facts: list[FactUse] = field(default_factory=list)

    @property
    def flagged(self) -> list[SentenceEntry]:
        return [s for s in self.sentences if s.flagged]

    @property
    def ok(self) -> bool:
        return not (self.unsupported_numbers or self.leaks or self.placeholders or self.unused_facts
                    or self.plans_as_results or self.conflicts or self.flagged)

    def counts(self) -> dict[str, int]:
        """Sentences (not headings) by status."""
        out = dict.fromkeys(("supported", "formula", "unverified", "violation"), 0)
        for s in self.sentences:
            if not s.heading:
                out[s.status] += 1
        return out

    def problems(self) -> list[str]:
        """Chinese one-liners naming each problem, for the UI, the CLI and API replies."""
        out: list[str] = []
        if self.unsupported_numbers:
            out.append("出现了事实中没有的数字：" + "、".join(self.unsupported_numbers))
        if self.leaks:
            out.append("照搬了范文中的具体内容：" + "、".join(self.leaks))
        if self.placeholders:
            out.append("残留了模板占位符：" + "、".join(self.placeholders))
        if self.unused_facts:
            out.append("没有用到这些事实：" + "；".join(self.unused_facts))
        if self.plans_as_results:
            out.append("把计划写成了成绩：" + "；".join(self.plans_as_results))
        if self.conflicts:
            out.append("同一指标前后数字不一致：" + "；".join(self.conflicts))
        listed = "".join(out)
        for s in self.flagged:
            reasons = [r for r in s.reasons if r.split("：", 1)[-1] not in listed]
            if reasons:
                label = "无依据" if s.status == "unverified" else "不合规"
                out.append(f"{label}的句子“{_short(s.text)}”：" + "；".join(reasons))
        return out

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"ok": self.ok}
        for name in ("unsupported_numbers", "leaks", "placeholders", "unused_facts", "plans_as_results",
                     "missing_slots", "conflicts"):
            data[name] = list(getattr(self, name))
        data["sentences"] = [s.to_json() for s in self.sentences]
        data["facts"] = [f.to_json() for f in self.facts]
        data["counts"] = self.counts()
        return data


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# Which fact list feeds which section. 开头/结尾 draw on the unit, year and the whole year's facts.
FACT_FIELDS_BY_ROLE: dict[Role, tuple[str, ...]] = {
    "开头": (),
    "成绩": ("achievements",),
    "问题": ("problems",),
    "计划": ("plans",),
    "结尾": (),
}


@dataclass
class Facts:
    """The user's own facts, as typed in the side form or loaded from a facts file."""

    unit: str = ""
    year: str = ""
    title: str = ""
    achievements: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # A result's 做法 and 成效 in the user's own words, keyed by the result's text (facts/details.py).
    details: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("unit", "year", "title"):
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, scrub_text(value))
        for name in ("achievements", "problems", "plans", "notes"):
            items = getattr(self, name)
            if isinstance(items, list):
                setattr(self, name, [scrub_text(i) if isinstance(i, str) else i for i in items])
        if isinstance(self.details, dict):
            self.details = {scrub_text(str(fact)): {str(kind): [scrub_text(str(t)) for t in texts if str(t).strip()]
                                                    for kind, texts in (d or {}).items() if isinstance(texts, list)}
                            for fact, d in self.details.items() if isinstance(d, dict)}

    def details_of(self, fact: str) -> dict[str, list[str]]:
        """A result's 做法 and 成效 ({} when it has none)."""
        return self.details.get(fact, {})

    def detail_items(self) -> list[tuple[str, str, str]]:
        """(result, kind, text) for every detail, in the order of the results."""
        return [(fact, kind, text) for fact in self.achievements for kind in ("做法", "成效")
                for text in self.details.get(fact, {}).get(kind, [])]

    def for_role(self, role: Role) -> list[str]:
        """The fact items a section must use."""
        items: list[str] = []
        for name in FACT_FIELDS_BY_ROLE[role]:
            items.extend(getattr(self, name))
        return items

    def is_empty(self) -> bool:
        return not (self.unit.strip() or self.achievements or self.problems or self.plans or self.notes)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Facts:
        def as_list(v: Any) -> list[str]:
            if v is None:
                return []
            if isinstance(v, str):
                return [line.strip() for line in v.splitlines() if line.strip()]
            return [str(x).strip() for x in v if str(x).strip()]

        return cls(
            unit=str(data.get("unit") or "").strip(),
            year=str(data.get("year") or "").strip(),
            title=str(data.get("title") or "").strip(),
            achievements=as_list(data.get("achievements")),
            problems=as_list(data.get("problems")),
            plans=as_list(data.get("plans")),
            notes=as_list(data.get("notes")),
            details=data.get("details") if isinstance(data.get("details"), dict) else {},
        )


@dataclass
class Attempt:
    """What a model wrote for one unit (a fact, or a paragraph of facts) and what the gate did with it."""

    text: str  # the model's own words (模型原稿)
    delivered: str  # what reached the user in their place
    accepted: bool
    facts: list[str] = field(default_factory=list)  # ids of the facts the unit was to state
    reasons: list[str] = field(default_factory=list)  # why it was not delivered as written

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "delivered": self.delivered, "accepted": self.accepted,
                "facts": list(self.facts), "reasons": list(self.reasons)}


@dataclass
class SectionDraft:
    """One drafted section with its evidence: the passages used, the check's report, and the model's attempts.

    `model_sentences` of the delivered sentences (not headings) were written by the model and passed the gate;
    the rest are house formulas and the faithful renderings of facts.
    """

    role: Role
    text: str
    heading: str = ""  # e.g. "存在的问题"; 开头/结尾 usually have none
    backend: str = ""
    sources: list[SearchHit] = field(default_factory=list)
    check: CheckReport | None = None
    attempts: list[Attempt] = field(default_factory=list)
    model_sentences: int = 0
    sentences: int = 0

    @property
    def rejected(self) -> list[Attempt]:
        return [a for a in self.attempts if not a.accepted]

    def to_json(self) -> dict[str, Any]:
        return {
            "section": self.role,
            "backend": self.backend,
            "heading": self.heading,
            "text": self.text,
            "sources": [{k: v for k, v in s.to_json().items() if k != "role"} for s in self.sources],
            "check": self.check.to_json() if self.check else None,
            "attempts": [a.to_json() for a in self.attempts],
            "model_sentences": self.model_sentences,
            "sentences": self.sentences,
        }


@dataclass
class SummaryDocument:
    """The whole summary in section order, as exported to Word or Markdown."""

    title: str
    sections: list[SectionDraft] = field(default_factory=list)
    unit: str = ""
    date: str = ""  # signature date line, e.g. "2024年12月20日"; "" to omit


@dataclass
class IngestReport:
    """What one ingest run did, for the CLI and the knowledge panel."""

    read: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    chunks_added: int = 0
    chunks_removed: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "read": self.read, "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "unchanged": self.unchanged, "updated": self.updated, "removed": self.removed,
            "chunks_added": self.chunks_added, "chunks_removed": self.chunks_removed,
        }
