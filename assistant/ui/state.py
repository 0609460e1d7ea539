"""Per-browser-session state held in gr.State, and the conversions between form fields and services' types.

Nothing here is a module-level store of user data: each browser session gets its own UiSession.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assistant.errors import UserError
from assistant.schema import ROLE_TITLES, ROLES, Facts, SearchHit, SectionDraft, SummaryDocument
from assistant.services.drafting import ModelChoice
from assistant.services.sessions import FORM_FIELDS, SessionData
from assistant.writing.template import document_title

MODEL_INPUTS: tuple[str, ...] = ("backend", "base_url", "model_name", "api_key")
BACKEND_CHOICES: list[tuple[str, str]] = [
    ("本地模型", "embedded"),
    ("兼容 OpenAI 的服务", "openai"),
    ("模板（不用模型）", "template"),
]
BACKEND_NAMES = {value: label for label, value in BACKEND_CHOICES}

# A realistic example a first-time user can load with one click, to see the whole flow before typing.
SAMPLE_FORM: dict[str, str] = {
    "unit": "市交通运输局工会",
    "year": "2024",
    "title": "",
    "achievements": "组织职工技能培训12期，参训860人次\n"
                    "开展“安康杯”劳动竞赛，38个班组参加\n"
                    "走访慰问困难职工45户，发放慰问金9.6万元\n"
                    "举办职工运动会1次，参加职工420人",
    "problems": "基层工会经费使用不够规范\n部分青年职工参与工会活动积极性不高",
    "plans": "完善困难职工帮扶机制\n开展职工技能竞赛\n加强基层工会经费管理",
    "free_text": "",
}


@dataclass
class UiSession:
    """One browser session: its saved data plus this process's evidence for each draft."""

    sid: str
    data: SessionData = field(default_factory=SessionData)
    drafts: dict[str, SectionDraft] = field(default_factory=dict)  # role -> last draft with sources/check
    outline_sources: list[SearchHit] = field(default_factory=list)
    model_notice: str = ""  # the chosen model could not be used for the last draft: why, and what wrote it

    def set_form(self, values: Sequence[str]) -> None:
        self.data.form = {k: (v or "") for k, v in zip(FORM_FIELDS, values, strict=False)}

    def form_values(self) -> list[str]:
        return [self.data.form.get(k, "") for k in FORM_FIELDS]

    def set_section_text(self, role: str, text: str) -> None:
        """Keep the user's text for a section; its evidence stays, its check is redone on 核查."""
        self.data.sections[role] = text
        draft = self.drafts.get(role)
        if draft is not None and draft.text != text:
            draft.text = text


def facts_from_values(values: Sequence[str]) -> Facts:
    """The form's seven fields → Facts, through the facts module's parser (numbers, lists, notes)."""
    from assistant.facts.form import facts_from_form

    form = dict(zip(FORM_FIELDS, (v or "" for v in values), strict=False))
    return facts_from_form(form["unit"], form["year"], form["title"], form["achievements"], form["problems"],
                           form["plans"], form["free_text"])


def form_from_facts(facts: Facts) -> dict[str, str]:
    """Facts loaded from a file → the form's fields (one item per line; a result's 做法 and 成效 indented under it)."""
    from assistant.facts.details import render_result_lines

    return {
        "unit": facts.unit, "year": facts.year, "title": facts.title,
        "achievements": render_result_lines(facts.achievements, facts.details), "problems": "\n".join(facts.problems),
        "plans": "\n".join(facts.plans), "free_text": "\n".join(facts.notes),
    }


def model_choice(backend: str | None, base_url: str | None, model: str | None, api_key: str | None
                 ) -> ModelChoice:
    """The model panel's fields → ModelChoice; empty fields fall back to the server's settings."""
    backend = (backend or "").strip() or None
    if backend != "openai":
        return ModelChoice(backend=backend)
    return ModelChoice(backend=backend, base_url=(base_url or "").strip() or None,
                       api_key=(api_key or "").strip() or None, model=(model or "").strip() or None)


def build_document(facts: Facts, sections: Mapping[str, str], drafts: Mapping[str, SectionDraft] | None = None
                   ) -> SummaryDocument:
    """The drafted sections in house order as one SummaryDocument (headings as `draft_all` sets them)."""
    drafts = drafts or {}
    out: list[SectionDraft] = []
    for role in ROLES:
        text = (sections.get(role) or "").strip()
        if not text:
            continue
        heading = "" if role in ("开头", "结尾", "成绩") else ROLE_TITLES[role]
        old = drafts.get(role)
        out.append(SectionDraft(role=role, text=text, heading=heading, backend=old.backend if old else "",
                                sources=list(old.sources) if old else [], check=old.check if old else None))
    return SummaryDocument(title=document_title(facts), sections=out, unit=facts.unit)


def assemble(doc: SummaryDocument) -> str:
    """The plain text of the whole summary, as the exporters lay it out."""
    if not doc.sections:
        return ""
    from assistant.export.assemble import assemble_text

    return assemble_text(doc)


def full_text(s: UiSession, facts: Facts) -> str:
    """The 全文 box's text: the user's own when edited by hand, else the sections as they assemble."""
    if s.data.document.strip():
        return s.data.document
    return assemble(build_document(facts, s.data.sections, s.drafts))


def is_hand_edited(s: UiSession, text: str | None, form: Sequence[str]) -> bool:
    """True when the 全文 box differs from what the sections assemble to (the user typed in it)."""
    text = (text or "").strip()
    if not text:
        return False
    try:
        assembled = assemble(build_document(facts_from_values(form), s.data.sections, s.drafts))
    except UserError:
        return True
    return text != assembled.strip()
