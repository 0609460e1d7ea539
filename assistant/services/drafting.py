"""Drafting use cases: outline, section draft, whole summary, revise, chat, check.

Faithful by construction: a section's shape — house formulas, headings, one slot per fact — is fixed before
any model writes (writing/compose.py). A model only words the facts, in units small enough for it to stay
faithful (services/composer.py), and each unit passes the delivery gate (check/gate.py) or the fact is
delivered as the user wrote it. Only gated text is ever streamed; the model's attempts are kept beside the
result (模型原稿). The template backend needs no model and is deterministic.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.check.document import check_text
from assistant.check.gate import gate_text
from assistant.check.masking import mask_example
from assistant.config import Settings
from assistant.errors import ModelUnavailable, UserError
from assistant.facts.ledger import build_ledger
from assistant.facts.parse import validate_facts
from assistant.facts.unit_type import unit_type_of
from assistant.llm.registry import stream_text
from assistant.lru import BoundedCache
from assistant.schema import (
    ROLE_TITLES,
    ROLES,
    Attempt,
    CheckReport,
    Facts,
    Role,
    SearchHit,
    SectionDraft,
    SummaryDocument,
)
from assistant.services.composer import ClauseWriter, Pace, ParagraphWriter, Progress
from assistant.services.knowledge import KnowledgeService
from assistant.services.planning import HousePlanner
from assistant.text.sentences import finished_sentences
from assistant.writing.chains import model_chain, to_messages
from assistant.writing.compose import compose, outline_text, plan_section, with_outline
from assistant.writing.outline import clauses, template_chat_reply, template_revise
from assistant.writing.planner import HousePlan
from assistant.writing.postprocess import clean_model_text
from assistant.writing.prompts import render
from assistant.writing.revise import concise, revision_kind, shorter_by, states_fact_with, structure_problems
from assistant.writing.template import document_title, next_year

log = logging.getLogger(__name__)

EventKind = Literal["notice", "sources", "progress", "token", "attempt", "retry", "done", "error"]

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
    """One step of a streamed draft: a notice, the sources, progress, a piece of delivered (already gated)
    text, a model attempt, the result or an error. Token events only ever carry text that stays."""

    kind: EventKind
    text: str = ""
    sources: list[SearchHit] = field(default_factory=list)
    draft: SectionDraft | None = None
    progress: Progress | None = None  # kind "progress": unit i of n and the seconds still expected
    attempt: Attempt | None = None  # kind "attempt": what the model wrote for a unit and what the gate did


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
        self._backends: BoundedCache[tuple[str, ...], Any] = BoundedCache(max_size=16)
        self._pace = Pace()
        self.planner = HousePlanner(knowledge)

    # --- backends -----------------------------------------------------------------------------------
    def resolve(self, choice: ModelChoice | None = None) -> Any:
        """The effective backend (ResolvedBackend); cached per choice, embedded falls back to template."""
        from assistant.llm.registry import resolve_backend

        choice = choice or ModelChoice()
        overrides = {k: v for k, v in (("base_url", choice.base_url), ("api_key", choice.api_key),
                                       ("model", choice.model)) if v}
        return self._backends.get_or_create(
            choice.key(), lambda: resolve_backend(self.settings, choice.backend, **overrides))

    # --- the house plan -----------------------------------------------------------------------------
    def house_plan(self, facts: Facts, choice: ModelChoice | None = None, outline_text: str = "") -> HousePlan:
        """What the examples make of these facts: themes, headings, leads, opening, closing (services/planning.py).
        The embedded model, when it is the backend, ranks the headings that passed the check by fluency."""
        resolved = self.resolve(choice)
        fluency = _fluency(resolved.chat_model) if resolved.name == "embedded" else None
        plan = self.planner.plan(facts, fluency=fluency, key=resolved.name)
        return with_outline(plan, outline_text) if outline_text.strip() else plan

    # --- evidence -----------------------------------------------------------------------------------
    def sources_for(self, role: Role, facts: Facts, k: int | None = None) -> list[SearchHit]:
        """House passages for a section: role-filtered, falling back to any role when none match."""
        words = " ".join(facts.for_role(role))[:300]
        query = f"{ROLE_QUERY_HINTS[role]} {words}".strip()
        k = k or self.settings.retrieval_k
        org = unit_type_of(facts.unit)  # examples of the user's kind of unit first (a boost, not a filter)
        hits = self.knowledge.search(query, k, role=role, org_type=org)
        return hits or self.knowledge.search(query, k, org_type=org)

    def check(self, facts: Facts, text: str, role: Role | None = None,
              examples: Sequence[str] | None = None) -> CheckReport:
        """The full report (categories, sentence ledger, fact use) on any text: a section when `role` is
        given, else a whole summary."""
        ledger = self.planner.ledger(facts)
        if examples is None:
            examples = self.knowledge.example_texts()
        return check_text(text, ledger, role=role, examples=list(examples))

    # --- outline ------------------------------------------------------------------------------------
    def stream_outline(self, facts: Facts, choice: ModelChoice | None = None) -> Iterator[DraftEvent]:
        """Numbered headings for the 成绩 part covering the facts (the done event's text is the outline): the house
        plan's, in the house frame. A stronger model (not the embedded one, whose part is ranking the plan's
        headings) may propose its own outline; it is kept only when every heading passes the heading check and
        the ledger, else the plan's outline stands."""
        validate_facts(facts)
        resolved = self.resolve(choice)
        if resolved.notice:
            yield DraftEvent("notice", resolved.notice)
        hits = self.sources_for("成绩", facts)
        yield DraftEvent("sources", sources=hits)
        house = self.house_plan(facts, choice)
        planned = outline_text(house)
        text = planned
        if resolved.chat_model is not None and resolved.name != "embedded":
            examples = [mask_example(t).masked for t in self.planner.example_headings(facts)]
            variables = {"unit": facts.unit, "year": facts.year or "", "facts": facts.achievements,
                         "examples": examples}
            raw = self._ask(resolved, "outline", variables)
            proposed = clean_model_text(raw)
            reasons = self._outline_problems(facts, proposed, hits)
            if reasons:
                yield DraftEvent("attempt", attempt=Attempt(raw.strip(), planned, False, [], reasons))
                yield DraftEvent("notice", "模型拟的提纲有不合要求的标题，已改用按范文和事实拟定的提纲。")
            else:
                text = proposed
        yield from _as_tokens(text)
        yield DraftEvent("done", text, draft=self._section("成绩", text, resolved.name, hits, facts, "提纲"))

    def _outline_problems(self, facts: Facts, text: str, hits: list[SearchHit]) -> list[str]:
        """Why a model's outline may not stand: a heading the heading check refuses, or anything the ledger flags."""
        from assistant.check.headings import heading_problems
        from assistant.text.headings import parse_numbered

        headings = [h.title for line in text.splitlines() if (h := parse_numbered(line)) is not None and h.level == 1]
        if not headings:
            return ["提纲不符合要求"]
        reasons = [f"“{h}”：{'；'.join(p)}" for h in headings
                   if (p := heading_problems(h, facts.achievements, unit=facts.unit,
                                             extra_words=self.planner.own_words(facts)))]
        seconds = [h.split("，")[-1] for h in headings if "，" in h]
        if len(seconds) != len(set(seconds)):
            reasons.append("两个标题用了同一个第二分句")
        examples = [*self.knowledge.example_texts(), *(h.text for h in hits)]
        report = self.check(facts, text, "成绩", examples)
        reasons += [r for e in report.sentences if e.flagged for r in e.reasons]
        if report.unsupported_numbers or report.leaks:
            reasons.append("提纲里有无事实依据的数字或范文的内容")
        return list(dict.fromkeys(reasons))

    # --- sections -----------------------------------------------------------------------------------
    def stream_section(self, facts: Facts, role: Role, choice: ModelChoice | None = None,
                       outline_text: str = "") -> Iterator[DraftEvent]:
        """Draft one section: sources, then gated text piece by piece, then the result with its attempts.

        The section's shape (formulas, headings, one slot per fact) is fixed before any model writes
        (writing/compose.py). The embedded model fills one fact per call; a stronger model one paragraph per
        call; every model sentence passes the gate (check/gate.py) or the fact is delivered as written.
        """
        validate_facts(facts)
        resolved = self.resolve(choice)
        if resolved.notice:
            yield DraftEvent("notice", resolved.notice)
        hits = self.sources_for(role, facts)
        yield DraftEvent("sources", sources=hits)
        house = self.house_plan(facts, choice, outline_text if role == "成绩" else "")
        if resolved.chat_model is None:
            text = compose(role, facts, house)
            yield from _as_tokens(text)
            draft = self._section(role, text, resolved.name, hits, facts)
            yield DraftEvent("done", text, draft=draft)
            return
        plan = plan_section(role, facts, house)
        ledger = build_ledger(facts)
        examples = [*self.knowledge.example_texts(), *(h.text for h in hits)]
        writer = self._writer(resolved, ledger, examples, facts, hits)
        streamed = ""
        attempts: list[Attempt] = []
        held: list[str] = []  # text before the model's first answer: a model that cannot answer shows nothing
        answered = False
        for work in writer.write(plan):
            if work.attempt is not None:
                attempts.append(work.attempt)
                answered = True
                yield DraftEvent("attempt", attempt=work.attempt)
            elif work.notice:
                if not answered:
                    yield DraftEvent("error", writer.failed_reason or work.notice)
                    return
                yield DraftEvent("notice", work.notice)
            elif work.progress is not None:
                yield DraftEvent("progress", _progress_text(work.progress), progress=work.progress)
            elif work.text:
                streamed += work.text
                if not answered:
                    held.append(work.text)
                    continue
            if answered and held:
                yield DraftEvent("token", "".join(held))
                held = []
            if work.text and answered:
                yield DraftEvent("token", work.text)
        if held:
            yield DraftEvent("token", "".join(held))
        text = plan.text() if isinstance(writer, ClauseWriter) else streamed
        draft = self._section(role, text, resolved.name, hits, facts, examples=examples)
        draft.attempts = attempts
        if isinstance(writer, ClauseWriter):
            draft.model_sentences = sum(1 for p in plan.facts() if p.writer == "model")
        else:
            draft.model_sentences = writer.model_sentences
        yield DraftEvent("done", text, draft=draft)

    def _writer(self, resolved: Any, ledger: Any, examples: list[str], facts: Facts, hits: list[SearchHit]
                ) -> ClauseWriter | ParagraphWriter:
        """The embedded model writes fact by fact; other models write a paragraph per call."""
        if resolved.name == "embedded":
            return ClauseWriter(resolved.chat_model, resolved.name, ledger, examples, self._pace)
        return ParagraphWriter(resolved.chat_model, resolved.name, ledger, examples, self._pace,
                               unit=facts.unit, year=facts.year or "", next_year=next_year(facts),
                               examples_for_prompt=[h.text for h in hits])

    def draft_section(self, facts: Facts, role: Role, choice: ModelChoice | None = None,
                      outline_text: str = "") -> SectionDraft:
        return _final(self.stream_section(facts, role, choice, outline_text))

    def outline(self, facts: Facts, choice: ModelChoice | None = None) -> SectionDraft:
        return _final(self.stream_outline(facts, choice))

    def draft_all(self, facts: Facts, choice: ModelChoice | None = None, outline_text: str = ""
                  ) -> SummaryDocument:
        """The whole summary, section by section in the house order."""
        sections = [self.draft_section(facts, role, choice, outline_text) for role in ROLES]
        house = self.house_plan(facts, choice, outline_text)
        titles = {"问题": house.problems_heading, "计划": house.plans_heading}
        for s in sections:
            s.heading = "" if s.role in ("开头", "结尾", "成绩") else titles.get(s.role) or ROLE_TITLES[s.role]
        return SummaryDocument(title=document_title(facts), sections=sections, unit=facts.unit)

    # --- revise -------------------------------------------------------------------------------------
    def stream_revise(self, facts: Facts, role: Role, draft_text: str, instruction: str,
                      choice: ModelChoice | None = None) -> Iterator[DraftEvent]:
        """Revise a section as asked, through the plan where the plan can do it, keeping its structure and the
        guard's guarantees (writing/revise.py): "更简洁" leaves out what states no fact; "多写成效" asks the user
        (only they know the effect); anything else goes to the model, whose text must keep every heading with its
        paragraph and pass the gate sentence by sentence. When nothing can change, the notice says why and the
        text comes back as it was."""
        if not draft_text.strip():
            raise UserError("没有可修改的草稿：请先起草这一部分。")
        if not instruction.strip():
            raise UserError("请写明修改要求，例如“更精炼”或“加一段关于职工培训的内容”。")
        kind = revision_kind(instruction)
        if kind == "concise":
            yield from self._concise(facts, role, draft_text)
            return
        if kind == "details":
            yield from self._ask_for_details(facts, role, draft_text)
            return
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
        # The draft itself is evidence the user accepted: what it states counts as facts for the revision.
        widened = Facts(**{**facts.to_json(), "notes": [*facts.notes, draft_text]})
        ledger = build_ledger(widened)
        raw = self._ask(resolved, "revise", variables)
        wanted = plan_section(role, facts, self.house_plan(facts, choice)).facts() \
            if role in ("成绩", "问题", "计划") else []
        renderings = {p.fact_id: p.text for p in wanted if p.fact_id}
        gated = gate_text(clean_model_text(raw), renderings, ledger, role, self.knowledge.example_texts(),
                          keep_headings=True)
        text = gated.text or draft_text
        broken = structure_problems(draft_text, text, instruction)
        reasons = [f"“{s[:30]}”：{'；'.join(r)}" for s, r, _ in gated.replaced] + broken
        if broken:  # a heading lost, renumbered or turned into a sentence: the part stays as it was
            yield DraftEvent("notice", "修改稿没有保住这一部分的结构（" + "；".join(broken) + "），未采用，原文未改。")
            text = draft_text
        attempt = Attempt(raw.strip(), text, not reasons and not gated.appended, list(renderings), reasons)
        yield DraftEvent("attempt", attempt=attempt)
        yield from _as_tokens(text)
        draft = self._section(role, text, resolved.name, [], widened)
        draft.attempts, draft.model_sentences = [attempt], 0 if broken else gated.model_sentences
        yield DraftEvent("done", text, draft=draft)

    def _concise(self, facts: Facts, role: Role, draft_text: str) -> Iterator[DraftEvent]:
        """"更简洁": every clause that states none of the user's facts goes; headings, facts and slots stay."""
        ledger = build_ledger(facts)
        states = states_fact_with([f.terms for f in ledger.facts if f.field in _STATED_FIELDS])
        text = concise(draft_text, states)
        cut = shorter_by(draft_text, text)
        if cut <= 0.0:
            yield DraftEvent("notice", "这一部分已经只有标题和事实本身，没有不陈述事实的套话或补充语可删，未作改动。")
            text = draft_text
        else:
            yield DraftEvent("notice", f"已删去不陈述事实的套话和补充语，标题和事实都保留，篇幅缩短约{round(cut * 100)}%。")
        yield from _as_tokens(text)
        yield DraftEvent("done", text, draft=self._section(role, text, "template", [], facts))

    def _ask_for_details(self, facts: Facts, role: Role, draft_text: str) -> Iterator[DraftEvent]:
        """"多写成效": only the user knows how the work was done and what came of it — ask them."""
        from assistant.services.interview import InterviewService, interview_text

        asked = InterviewService(self.knowledge).questions(facts) if role in ("成绩", "开头") else []
        if asked:
            yield DraftEvent("notice", "成效和做法只有您清楚，不能替您编写；请回答下面的问题，补充后重新起草：\n"
                             + interview_text(asked))
        else:
            yield DraftEvent("notice", "这些事实的做法和成效需要您补充：请在“主要工作与成绩”的条目下写“做法：……”“成效：……”后重新起草。")
        yield from _as_tokens(draft_text)
        yield DraftEvent("done", draft_text, draft=self._section(role, draft_text, "template", [], facts))

    def propose_revision(self, facts: Facts, role: Role, part_text: str, request: str,
                         choice: ModelChoice | None = None, rest_text: str = "") -> Iterator[DraftEvent]:
        """A chat's revision of one part of a section (`rest_text`: the section's other lines, "" for a whole
        section), through stream_revise and its gate. Only the facts the part states, or the request names, are
        the facts it must carry: the gate never appends the rest of the section's facts to this part."""
        if rest_text.strip():
            from assistant.check.guard import fact_used

            def keep(item: str) -> bool:
                fact = build_ledger(Facts(achievements=[item])).facts
                if not fact:
                    return True
                return fact_used(fact[0], part_text) or any(t in request for t in fact[0].terms if len(t) >= 2)

            facts = Facts(**{**facts.to_json(), **{name: [i for i in getattr(facts, name) if keep(i)]
                                                   for name in ("achievements", "problems", "plans")}})
        yield from self.stream_revise(facts, role, part_text, request, choice)

    # --- chat ---------------------------------------------------------------------------------------
    def stream_chat(self, facts: Facts, message: str, history: Sequence[tuple[str, str]] = (),
                    document: str = "", choice: ModelChoice | None = None) -> Iterator[str]:
        """A free request about the summary. The reply is gated sentence by sentence as it streams: a sentence
        with an invented number, an example's specifics, a placeholder or a dated formula never reaches the user;
        an echo of the prompt (a delimiter, a masked 〔数字〕) likewise; a note at the end says how many were left
        out. (Text meant for the summary goes through revisions, which the full ledger gates.)"""
        if not message.strip():
            raise UserError("消息为空：请写下你的要求。")
        resolved = self.resolve(choice)
        if resolved.notice:
            yield resolved.notice + "\n\n"
        if resolved.chat_model is None:
            yield template_chat_reply(message, facts, self.house_plan(facts, choice) if facts.achievements else None)
            return
        hits = self.knowledge.search(message, self.settings.retrieval_k)
        messages = render("chat", unit=facts.unit, year=facts.year or "", message=message,
                          facts=[*facts.achievements, *facts.problems, *facts.plans, *facts.notes],
                          document=document, examples=[mask_example(h.text).masked for h in hits])
        lc_messages = to_messages(messages[:1])
        for user, assistant in list(history)[-6:]:
            lc_messages += to_messages([{"role": "user", "content": user},
                                        {"role": "assistant", "content": assistant}])
        lc_messages += to_messages(messages[1:])
        widened = Facts(**{**facts.to_json(), "notes": [*facts.notes, document, message]})
        ledger = build_ledger(widened)
        examples = [*self.knowledge.example_texts(), *(h.text for h in hits)]
        buffer, dropped = "", 0
        for piece in stream_text(resolved.chat_model, lc_messages):
            buffer += piece
            done, buffer = finished_sentences(buffer, newline=True, quotes=False)
            for sentence in done:
                ok = self._chat_sentence_ok(sentence, ledger, examples)
                dropped += not ok
                if ok:
                    yield sentence
        if buffer.strip():
            if self._chat_sentence_ok(buffer, ledger, examples):
                yield clean_model_text(buffer)
            else:
                dropped += 1
        if dropped:
            yield f"\n\n（核查：已略去 {dropped} 句没有事实依据或不合规的内容。）"

    @staticmethod
    def _chat_sentence_ok(sentence: str, ledger: Any, examples: list[str]) -> bool:
        text = clean_model_text(sentence) if sentence.strip() else sentence
        if not text.strip():
            return not sentence.strip()
        report = check_text(text, ledger, None, examples)
        # A chat answer talks about the draft ("可以删去套话"), so its words are not held to the facts; what it
        # may never carry is an invented number, an example's specifics, a placeholder or a dated formula.
        hard = any(r.startswith(("过时提法", "混入了提示语")) for e in report.sentences for r in e.reasons)
        return not (report.unsupported_numbers or report.leaks or report.placeholders or hard)

    # --- internals ----------------------------------------------------------------------------------
    def _ask(self, resolved: Any, prompt: str, variables: dict[str, Any]) -> str:
        """A prompt file through the chat model, collected (nothing is shown before the gate)."""
        from assistant.llm.openai_compat import friendly_error

        try:
            return "".join(model_chain(prompt, resolved.chat_model).stream(variables))
        except ModelUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - any client error becomes one clear sentence
            raise friendly_error(exc) from exc

    def _section(self, role: Role, text: str, backend: str, hits: list[SearchHit], facts: Facts,
                 heading: str = "", examples: Sequence[str] | None = None) -> SectionDraft:
        report = self.check(facts, text, role, examples)
        if heading == "提纲":
            report.unused_facts = []
        draft = SectionDraft(role=role, text=text, heading=heading, backend=backend, sources=hits, check=report)
        draft.sentences = sum(1 for e in report.sentences if not e.heading)
        return draft


# --- helpers -------------------------------------------------------------------------------------------
_STATED_FIELDS = ("achievements", "problems", "plans", "details", "unit")


def _fluency(chat_model: Any) -> Any:
    """The embedded model's fluency score of headings after the house's own (llm/scoring.py)."""
    from assistant.llm.scoring import score_continuations
    from assistant.text.headings import numeral

    def score(context: Sequence[str], candidates: Sequence[str]) -> list[float]:
        lines = [f"{numeral(1, i)}{h}" for i, h in enumerate(context, 1)]
        prompt = "工作总结的小标题：\n" + "\n".join(lines) + f"\n{numeral(1, len(lines) + 1)}"
        return score_continuations(chat_model, prompt, candidates)

    return score


def _progress_text(p: Progress) -> str:
    return f"第 {min(p.done + 1, p.total)}/{p.total} 项，预计还需约 {max(0, round(p.eta_s))} 秒"


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
