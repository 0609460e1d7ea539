"""Fill a section's plan with a model's words, through the gate, piece by piece.

The small embedded model writes one fact per call (`ClauseWriter`): one short sentence, checked on its own
against that fact; a sentence the gate refuses is replaced by the fact as the user wrote it. A stronger model
writes one paragraph per call (`ParagraphWriter`): its flagged sentences are replaced the same way and facts it
left out are added. Only gated text is streamed, so nothing a user sees is ever taken back; the model's
attempts travel with the result as 模型原稿.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.check.gate import gate_text, judge_clause
from assistant.check.masking import mask_example
from assistant.errors import ModelUnavailable
from assistant.facts.ledger import FactLedger
from assistant.llm.registry import stream_text
from assistant.schema import ROLE_TITLES, Attempt, Role
from assistant.text.cues import strip_connective
from assistant.writing.chains import to_messages
from assistant.writing.clauses import tidy_clause
from assistant.writing.compose import Piece, SectionPlan
from assistant.writing.outline import one_paragraph
from assistant.writing.postprocess import clean_model_text
from assistant.writing.prompts import render
from assistant.writing.template import clean_fact

log = logging.getLogger(__name__)


@dataclass
class Progress:
    """Where a section's writing is: unit `done` of `total`, and the seconds still expected."""

    done: int
    total: int
    eta_s: float


@dataclass
class Piecework:
    """What a writer yields: a piece of delivered text, a progress step, or a finished attempt."""

    text: str = ""
    progress: Progress | None = None
    attempt: Attempt | None = None
    notice: str = ""


@dataclass
class Pace:
    """Seconds per unit, remembered per backend so the first unit of the next section has an estimate."""

    seconds: dict[str, float] = field(default_factory=dict)

    def estimate(self, backend: str, default: float) -> float:
        return self.seconds.get(backend, default)

    def record(self, backend: str, seconds: float) -> None:
        old = self.seconds.get(backend)
        self.seconds[backend] = seconds if old is None else 0.7 * old + 0.3 * seconds


class _Writer:
    """Shared by both writers: the model, the facts' ledger, the examples the gate compares with."""

    default_pace = 3.0

    def __init__(self, chat_model: Any, backend: str, ledger: FactLedger, examples: Sequence[str],
                 pace: Pace, max_tokens: int | None = None) -> None:
        self.chat_model = chat_model
        self.backend = backend
        self.ledger = ledger
        self.examples = list(examples)
        self.pace = pace
        self.max_tokens = max_tokens
        self.failed: str = ""  # set once the model became unreachable: the rest is written as the facts
        self.failed_reason: str = ""  # the model's error in one Chinese sentence
        self.model_sentences = 0  # sentences of the model delivered as written (paragraph mode)
        self._noticed = False

    def _ask(self, messages: list[dict[str, str]], **kw: Any) -> str:
        return "".join(stream_text(self.chat_model, to_messages(messages), **kw))

    def _notice(self) -> Iterator[Piecework]:
        """Say once that the model failed and the rest is the facts as written."""
        if self.failed and not self._noticed:
            self._noticed = True
            yield Piecework(notice=self.failed)

    def _progress(self, done: int, total: int) -> Piecework:
        per = self.pace.estimate(self.backend, self.default_pace)
        return Piecework(progress=Progress(done, total, round(per * (total - done), 1)))


class ClauseWriter(_Writer):
    """One fact per model call, one short sentence, judged on its own (the embedded model).

    Only the results are worded by the model. A problem, a plan or the unit's background is already one short
    clause in the user's words: on three tuning units the model's rewordings of them passed the gate 5 times in
    11, four of them the user's words unchanged, and each call costs about 3 s on two cores.
    """

    default_pace = 3.0
    model_roles: tuple[Role, ...] = ("成绩",)

    def write(self, plan: SectionPlan) -> Iterator[Piecework]:
        if plan.role not in self.model_roles:
            yield Piecework(plan.text())
            return
        units = [p for p in plan.facts() if not p.topic]
        total, done = len(units), 0
        for i, para in enumerate(plan.paragraphs):
            if i:
                yield Piecework("\n")
            for piece in para:
                if piece.kind == "fact" and not piece.topic:
                    yield self._progress(done, total)
                    attempt = self._fill(piece)
                    done += 1
                    if attempt is not None:
                        yield Piecework(attempt=attempt)
                    yield from self._notice()
                yield Piecework(piece.render())
        yield self._progress(done, total)

    def _fill(self, piece: Piece) -> Attempt | None:
        if self.failed:
            return None
        start = time.perf_counter()
        fact = clean_fact(piece.fact)  # "我们还……", "另外，……": how the user went on is not for the model to keep
        messages = render("fact_sentence", section=piece.section, fact=fact)
        if piece.shots:  # the house's own sentences for this theme, in place of the file's fixed ones
            shots = [m for fact, sentence in piece.shots
                     for m in ({"role": "user", "content": f"{piece.section}：{fact}"},
                               {"role": "assistant", "content": sentence})]
            messages = [messages[0], *shots, messages[-1]]
        kw: dict[str, Any] = {"max_tokens": min(160, len(fact) + 60), "stop": ["\n", "。"], "copying": True}
        try:
            raw = self._ask(messages, **kw)
        except ModelUnavailable as exc:
            self.failed = f"模型出错（{exc.message}），其余事实按原文写入。"
            self.failed_reason = exc.message
            log.warning("model failed on a fact; the rest is written as the facts: %s", exc.message)
            return None
        self.pace.record(self.backend, time.perf_counter() - start)
        clause = strip_connective(tidy_clause(raw, fact))
        reasons = judge_clause(clause, piece.fact_id, self.ledger, piece.section, self.examples)  # type: ignore[arg-type]
        faithful = piece.render()
        if not reasons:
            piece.text, piece.writer = clause, "model"
        piece.attempt, piece.reasons = raw.strip(), reasons
        return Attempt(text=raw.strip(), delivered=piece.render() if not reasons else faithful,
                       accepted=not reasons, facts=[piece.fact_id], reasons=reasons)


class ParagraphWriter(_Writer):
    """One paragraph per model call (a stronger model): 成绩 heading by heading, 问题 and 计划 whole."""

    default_pace = 8.0

    def __init__(self, *args: Any, unit: str = "", year: str = "", next_year: str = "",
                 examples_for_prompt: Sequence[str] = (), **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.unit, self.year, self.next_year = unit, year, next_year
        self.examples_for_prompt = [mask_example(e).masked for e in examples_for_prompt]

    def write(self, plan: SectionPlan) -> Iterator[Piecework]:
        work = [i for i, para in enumerate(plan.paragraphs) if any(p.kind == "fact" for p in para)]
        total, done = len(work), 0
        heading = ""
        for i, para in enumerate(plan.paragraphs):
            if i:
                yield Piecework("\n")
            if para and para[0].kind == "heading":
                heading = para[0].text
            if i not in work:
                yield Piecework("".join(p.render() for p in para))
                continue
            run_in = "".join(p.render() for p in para if p.kind == "heading")  # "（一）做实帮扶救助。"
            if run_in:
                heading = run_in
            yield self._progress(done, total)
            attempt, text = self._paragraph(plan.role, heading, [p for p in para if p.kind != "heading"])
            done += 1
            if attempt is not None:
                yield Piecework(attempt=attempt)
            yield from self._notice()
            yield Piecework(run_in + text)
        yield self._progress(done, total)

    def _paragraph(self, role: Role, heading: str, para: list[Piece]) -> tuple[Attempt | None, str]:
        pieces = [p for p in para if p.kind == "fact"]
        faithful = "".join(p.render() for p in para)
        if self.failed:
            return None, faithful
        from assistant.text.headings import parse_numbered

        bare = parse_numbered(heading).title if heading and parse_numbered(heading) else heading
        if role == "成绩":
            messages = render("draft_paragraph", unit=self.unit, year=self.year, heading=bare,
                              facts=[clean_fact(p.fact) for p in pieces], examples=self.examples_for_prompt[:2],
                              problems=[])
        else:
            messages = render("draft_section", section=role, section_title=ROLE_TITLES[role], unit=self.unit,
                              year=self.year, next_year=self.next_year, facts=[clean_fact(p.fact) for p in pieces],
                              outline="", examples=self.examples_for_prompt, problems=[])
        start = time.perf_counter()
        try:
            raw = self._ask(messages)
        except ModelUnavailable as exc:
            self.failed = f"模型出错（{exc.message}），其余事实按原文写入。"
            self.failed_reason = exc.message
            return None, faithful
        self.pace.record(self.backend, time.perf_counter() - start)
        text = one_paragraph(clean_model_text(raw), bare)
        gated = gate_text(text, {p.fact_id: p.text for p in pieces if p.fact_id}, self.ledger, role,
                               self.examples)
        if not gated.text.strip():
            return Attempt(raw.strip(), faithful, False, [p.fact_id for p in pieces], ["模型没有写出可用的内容"]), faithful
        reasons = [f"“{s[:30]}”：{'；'.join(r)}" for s, r, _ in gated.replaced]
        if gated.appended:
            reasons.append("漏写的事实已按原文补上：" + "、".join(gated.appended))
        for p in pieces:
            p.writer = "model"
        delivered = gated.text
        self.model_sentences += gated.model_sentences
        return Attempt(raw.strip(), delivered, not reasons, [p.fact_id for p in pieces], reasons), delivered
