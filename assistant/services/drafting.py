"""Drafting use cases: outline, section draft, whole summary, revise, chat, check.

Every text a model writes goes through the guard. A failing draft is regenerated once with its problems
named; if it still fails it is delivered with the problems reported, never silently. The template backend
needs no model and is deterministic.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.check.guard import check_draft
from assistant.check.masking import mask_example
from assistant.config import Settings
from assistant.errors import ModelUnavailable, UserError
from assistant.facts.ledger import build_ledger
from assistant.facts.parse import validate_facts
from assistant.schema import (
    ROLE_TITLES,
    ROLES,
    CheckReport,
    Facts,
    Role,
    SearchHit,
    SectionDraft,
    SummaryDocument,
)
from assistant.services.knowledge import KnowledgeService
from assistant.text.headings import numeral
from assistant.writing.chains import model_chain
from assistant.writing.outline import (
    clauses,
    has_numbered_heading,
    one_paragraph,
    outline_from_text,
    template_chat_reply,
    template_revise,
)
from assistant.writing.postprocess import clean_model_text
from assistant.writing.template import Outline, build_outline, compose, document_title, next_year, slot

log = logging.getLogger(__name__)

EventKind = Literal["notice", "sources", "token", "retry", "done", "error"]

# What each section retrieves besides the user's own words: the house's typical phrasing for it.
ROLE_QUERY_HINTS: dict[Role, str] = {
    "开头": "年度工作总结开头 在上级的正确领导下 现将工作总结如下",
    "成绩": "主要工作和成绩",
    "问题": "存在的问题和不足 但是还存在",
    "计划": "新的一年 下一步工作打算",
    "结尾": "总结结尾 作出更大贡献 努力奋斗",
}


@dataclass
class DraftEvent:
    """One step of a streamed draft: a notice, the sources, a text piece, a retry, the result or an error."""

    kind: EventKind
    text: str = ""
    sources: list[SearchHit] = field(default_factory=list)
    draft: SectionDraft | None = None


@dataclass(frozen=True)
class ModelChoice:
    """A backend picked at run time (UI model panel, API, CLI); None fields fall back to settings."""

    backend: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never in logs or error reports
    model: str | None = None

    def key(self) -> tuple[str, ...]:
        digest = hashlib.sha256((self.api_key or "").encode()).hexdigest()[:12]
        return (self.backend or "", self.base_url or "", self.model or "", digest)


class DraftingService:
    """Outline, draft, revise and chat over the knowledge base, guarded."""

    def __init__(self, settings: Settings, knowledge: KnowledgeService) -> None:
        self.settings = settings
        self.knowledge = knowledge
        self._backends: dict[tuple[str, ...], Any] = {}
        self._lock = threading.Lock()

    # --- backends -----------------------------------------------------------------------------------
    def resolve(self, choice: ModelChoice | None = None) -> Any:
        """The effective backend (ResolvedBackend); cached per choice, embedded falls back to template."""
        from assistant.llm.registry import resolve_backend

        choice = choice or ModelChoice()
        with self._lock:
            resolved = self._backends.get(choice.key())
            if resolved is None:
                overrides = {k: v for k, v in (("base_url", choice.base_url), ("api_key", choice.api_key),
                                               ("model", choice.model)) if v}
                resolved = resolve_backend(self.settings, choice.backend, **overrides)
                self._backends[choice.key()] = resolved
            return resolved

    # --- evidence -----------------------------------------------------------------------------------
    def sources_for(self, role: Role, facts: Facts, k: int | None = None) -> list[SearchHit]:
        """House passages for a section: role-filtered, falling back to any role when none match."""
        words = " ".join(facts.for_role(role))[:300]
        query = f"{ROLE_QUERY_HINTS[role]} {words}".strip()
        k = k or self.settings.retrieval_k
        hits = self.knowledge.search(query, k, role=role)
        return hits or self.knowledge.search(query, k)

    def check(self, facts: Facts, text: str, role: Role | None = None,
              examples: Sequence[str] | None = None) -> CheckReport:
        """The guard's report on any text against these facts and the house examples."""
        ledger = build_ledger(facts)
        if examples is None:
            examples = self.knowledge.example_texts()
        return check_draft(text, ledger, role=role, examples=list(examples))

    # --- outline ------------------------------------------------------------------------------------
    def stream_outline(self, facts: Facts, choice: ModelChoice | None = None) -> Iterator[DraftEvent]:
        """Numbered headings for the 成绩 part covering the facts; the done event's text is the outline."""
        validate_facts(facts)
        resolved = self.resolve(choice)
        if resolved.notice:
            yield DraftEvent("notice", resolved.notice)
        template_outline = build_outline(facts)
        if resolved.chat_model is None:
            text = template_outline.to_text()
            yield from _as_tokens(text)
            yield DraftEvent("done", text, draft=self._section("成绩", text, resolved.name, [], facts, "提纲"))
            return
        hits = self.sources_for("成绩", facts)
        yield DraftEvent("sources", sources=hits)
        headings = sorted({h.heading.split(" > ")[0] for h in hits if h.heading})
        variables = {"unit": facts.unit, "year": facts.year or "", "facts": facts.achievements,
                     "examples": [mask_example(h).masked for h in headings]}
        text = yield from self._stream_model(resolved, "outline", variables)
        text = clean_model_text(text)
        report = self.check(facts, text, None, [h.text for h in hits])
        report.unused_facts = []  # an outline names themes; facts are used when the section is drafted
        if report.unsupported_numbers or report.leaks or not has_numbered_heading(text):
            yield DraftEvent("retry", "提纲不符合要求，已改用按事实分组的提纲。")
            text = template_outline.to_text()
            yield from _as_tokens(text)
        draft = self._section("成绩", text, resolved.name, hits, facts, "提纲")
        yield DraftEvent("done", text, draft=draft)

    # --- sections -----------------------------------------------------------------------------------
    def stream_section(self, facts: Facts, role: Role, choice: ModelChoice | None = None,
                       outline_text: str = "") -> Iterator[DraftEvent]:
        """Draft one section: sources, streamed text, at most one guarded retry, then the result."""
        validate_facts(facts)
        resolved = self.resolve(choice)
        if resolved.notice:
            yield DraftEvent("notice", resolved.notice)
        hits = self.sources_for(role, facts)
        yield DraftEvent("sources", sources=hits)
        if resolved.chat_model is None:
            outline = outline_from_text(outline_text, facts) if role == "成绩" else None
            text = compose(role, facts, outline)
            yield from _as_tokens(text)
            yield DraftEvent("done", text, draft=self._section(role, text, resolved.name, hits, facts))
            return
        if role == "成绩" and resolved.name == "embedded":
            # Heading by heading: the small embedded model writes one heading's facts as prose reliably,
            # while given the whole section it copies the outline or repeats facts under every heading.
            yield from self._guarded_outline(outline_from_text(outline_text, facts), resolved, facts, hits)
            return
        if role == "成绩":  # headings with their facts beneath, so each fact is written once, in its place
            outline_text = outline_from_text(outline_text, facts).to_text()
        variables = {
            "section": role, "section_title": ROLE_TITLES[role], "unit": facts.unit,
            "year": facts.year or "", "next_year": next_year(facts), "facts": _facts_for_prompt(facts, role),
            "outline": outline_text if role == "成绩" else "",
            "examples": [mask_example(h.text).masked for h in hits], "problems": [],
        }
        yield from self._guarded("draft_section", variables, resolved, role, facts, hits)

    def draft_section(self, facts: Facts, role: Role, choice: ModelChoice | None = None,
                      outline_text: str = "") -> SectionDraft:
        return _final(self.stream_section(facts, role, choice, outline_text))

    def outline(self, facts: Facts, choice: ModelChoice | None = None) -> SectionDraft:
        return _final(self.stream_outline(facts, choice))

    def draft_all(self, facts: Facts, choice: ModelChoice | None = None, outline_text: str = ""
                  ) -> SummaryDocument:
        """The whole summary, section by section in the house order."""
        sections = [self.draft_section(facts, role, choice, outline_text) for role in ROLES]
        for s in sections:
            s.heading = "" if s.role in ("开头", "结尾", "成绩") else ROLE_TITLES[s.role]
        return SummaryDocument(title=document_title(facts), sections=sections, unit=facts.unit)

    # --- revise -------------------------------------------------------------------------------------
    def stream_revise(self, facts: Facts, role: Role, draft_text: str, instruction: str,
                      choice: ModelChoice | None = None) -> Iterator[DraftEvent]:
        """Rewrite a section as instructed, keeping the guard's guarantees."""
        if not draft_text.strip():
            raise UserError("没有可修改的草稿：请先起草这一部分。")
        if not instruction.strip():
            raise UserError("请写明修改要求，例如“更精炼”或“加一段关于职工培训的内容”。")
        resolved = self.resolve(choice)
        if resolved.notice:
            yield DraftEvent("notice", resolved.notice)
        if resolved.chat_model is None:
            text, notice = template_revise(draft_text, instruction)
            if notice:
                yield DraftEvent("notice", notice)
            yield from _as_tokens(text)
            yield DraftEvent("done", text, draft=self._section(role, text, resolved.name, [], facts))
            return
        variables = {"section_title": ROLE_TITLES[role], "draft": draft_text, "instruction": instruction,
                     "facts": _facts_for_prompt(facts, role), "problems": []}
        # The draft itself is evidence the user accepted: its numbers count as facts for the revision.
        widened = Facts(**{**facts.to_json(), "notes": [*facts.notes, draft_text]})
        yield from self._guarded("revise", variables, resolved, role, widened, [])

    # --- chat ---------------------------------------------------------------------------------------
    def stream_chat(self, facts: Facts, message: str, history: Sequence[tuple[str, str]] = (),
                    document: str = "", choice: ModelChoice | None = None) -> Iterator[str]:
        """A free request about the summary; numbers the reply invents are pointed out after it."""
        if not message.strip():
            raise UserError("消息为空：请写下你的要求。")
        resolved = self.resolve(choice)
        if resolved.notice:
            yield resolved.notice + "\n\n"
        if resolved.chat_model is None:
            yield template_chat_reply(message, facts)
            return
        from assistant.writing.chains import to_messages

        hits = self.knowledge.search(message, self.settings.retrieval_k)
        from assistant.writing.prompts import render

        messages = render("chat", unit=facts.unit, year=facts.year or "", message=message,
                          facts=[*facts.achievements, *facts.problems, *facts.plans, *facts.notes],
                          document=document, examples=[mask_example(h.text).masked for h in hits])
        lc_messages = to_messages(messages[:1])
        for user, assistant in list(history)[-6:]:
            lc_messages += to_messages([{"role": "user", "content": user},
                                        {"role": "assistant", "content": assistant}])
        lc_messages += to_messages(messages[1:])
        from assistant.llm.registry import stream_text

        reply = ""
        for piece in stream_text(resolved.chat_model, lc_messages):
            reply += piece
            yield piece
        widened = Facts(**{**facts.to_json(), "notes": [*facts.notes, document]})
        report = self.check(widened, reply, None, [h.text for h in hits])
        report.unused_facts = []
        if not report.ok:
            yield "\n\n【核查提示】" + "；".join(report.problems())

    # --- internals ----------------------------------------------------------------------------------
    def _stream_model(self, resolved: Any, prompt: str, variables: dict[str, Any]) -> Iterator[DraftEvent]:
        """Stream a prompt file through the chat model; returns the full text (generator return value)."""
        from assistant.llm.openai_compat import friendly_error

        text = ""
        try:
            for piece in model_chain(prompt, resolved.chat_model).stream(variables):
                text += piece
                yield DraftEvent("token", piece)
        except ModelUnavailable as exc:
            exc.partial = text  # type: ignore[attr-defined]
            raise
        except Exception as exc:  # noqa: BLE001 - any client error becomes one clear sentence
            err = friendly_error(exc)
            err.partial = text  # type: ignore[attr-defined]
            raise err from exc
        return text

    def _guarded(self, prompt: str, variables: dict[str, Any], resolved: Any, role: Role, facts: Facts,
                 hits: list[SearchHit]) -> Iterator[DraftEvent]:
        """Generate, check, regenerate once with the problems named, deliver the better attempt."""
        examples = [*self.knowledge.example_texts(), *(h.text for h in hits)]
        best: tuple[str, CheckReport] | None = None
        for attempt in (1, 2):
            try:
                raw = yield from self._stream_model(resolved, prompt, variables)
            except ModelUnavailable as exc:
                if best is not None:  # the guarded retry broke off: keep the complete first attempt
                    yield DraftEvent("notice", f"重新生成时中断（{exc.message}），已保留上一稿。")
                    break
                partial = getattr(exc, "partial", "")
                draft = None
                if partial:
                    marked = f"{clean_model_text(partial)}\n【生成中断：{exc.message}】"
                    draft = self._section(role, marked, resolved.name, hits, facts, examples=examples)
                yield DraftEvent("error", exc.message, draft=draft)
                return
            text = clean_model_text(raw)
            report = self.check(facts, text, role, examples)
            if best is None or _badness(report) <= _badness(best[1]):
                best = (text, report)
            if report.ok or attempt == 2:
                break
            yield DraftEvent("retry", "；".join(report.problems()))
            variables = {**variables, "problems": report.problems()}
            if report.leaks:  # a model that copied the examples copies them again when shown them again
                variables["examples"] = []
        assert best is not None
        text, report = best
        draft = SectionDraft(role=role, text=text, backend=resolved.name, sources=hits, check=report)
        yield DraftEvent("done", text, draft=draft)

    def _guarded_outline(self, outline: Outline, resolved: Any, facts: Facts, hits: list[SearchHit]
                         ) -> Iterator[DraftEvent]:
        """The 成绩 part written one heading at a time, each paragraph guarded against its own facts.

        A paragraph's retry restarts the display: the finished paragraphs are streamed again after it.
        The assembled section is checked once more against all the facts.
        """
        from assistant.writing.template import clean_fact

        examples = [mask_example(h.text).masked for h in hits[:2]]
        done: list[str] = []
        for i, item in enumerate(outline.items, 1):
            heading = f"{numeral(1, i)}{item.heading}"
            yield DraftEvent("token", ("\n" if done else "") + heading + "\n")
            if not item.facts:
                done.append(f"{heading}\n{slot('这一方面的具体工作和成效')}")
                yield DraftEvent("token", done[-1].split("\n", 1)[1])
                continue
            sub = Facts(unit=facts.unit, year=facts.year, achievements=list(item.facts))
            variables = {"unit": facts.unit, "year": facts.year or "", "heading": item.heading,
                         "facts": [clean_fact(f) for f in item.facts], "examples": examples, "problems": []}
            body = ""
            for ev in self._guarded("draft_paragraph", variables, resolved, "成绩", sub, hits):
                if ev.kind == "done" and ev.draft is not None:
                    body = one_paragraph(ev.draft.text, item.heading)
                elif ev.kind == "error":
                    partial = one_paragraph(ev.draft.text, item.heading) if ev.draft is not None else ""
                    draft = None  # nothing written yet: nothing to keep, the error says it all
                    if done or partial:
                        text = "\n".join([*done, f"{heading}\n{partial}".rstrip()])
                        if "【生成中断" not in text:
                            text += f"\n【生成中断：{ev.text}】"
                        draft = self._section("成绩", text, resolved.name, hits, facts)
                    yield DraftEvent("error", ev.text, draft=draft)
                    return
                elif ev.kind == "retry":
                    yield ev
                    yield DraftEvent("token", "\n".join([*done, heading]) + "\n")
                else:
                    yield ev
            done.append(f"{heading}\n{body}")
        text = "\n".join(done)
        report = self.check(facts, text, "成绩", [*self.knowledge.example_texts(), *(h.text for h in hits)])
        yield DraftEvent("done", text, draft=SectionDraft(role="成绩", text=text, backend=resolved.name,
                                                          sources=hits, check=report))

    def _section(self, role: Role, text: str, backend: str, hits: list[SearchHit], facts: Facts,
                 heading: str = "", examples: Sequence[str] | None = None) -> SectionDraft:
        report = self.check(facts, text, role, examples)
        if heading == "提纲":
            report.unused_facts = []
        return SectionDraft(role=role, text=text, heading=heading, backend=backend, sources=hits, check=report)


# --- helpers -------------------------------------------------------------------------------------------
def _badness(report: CheckReport) -> int:
    return (3 * len(report.unsupported_numbers) + 3 * len(report.leaks) + 2 * len(report.placeholders)
            + len(report.unused_facts) + len(report.plans_as_results))


def _final(events: Iterator[DraftEvent]) -> SectionDraft:
    """Run a stream to its end; a model error with nothing to show is raised as a user error."""
    last_error = ""
    for ev in events:
        if ev.kind == "done" and ev.draft is not None:
            return ev.draft
        if ev.kind == "error":
            if ev.draft is not None:
                return ev.draft
            last_error = ev.text
    raise ModelUnavailable(last_error or "模型没有返回内容，请重试或换用模板模式。")


def _as_tokens(text: str) -> Iterator[DraftEvent]:
    """Template text streamed clause by clause so every backend looks alike to the UI."""
    for piece in clauses(text):
        yield DraftEvent("token", piece)


def _facts_for_prompt(facts: Facts, role: Role) -> list[str]:
    if role in ("开头", "结尾"):
        return [*facts.achievements[:3], *facts.notes]
    return [*facts.for_role(role), *facts.notes] if role == "成绩" else facts.for_role(role)
