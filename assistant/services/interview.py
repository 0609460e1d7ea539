"""Interview use cases: which questions to ask about thin results, and the user's answers into details.

Each result retrieves its nearest house passages (the user's own examples and the same kind of unit first); what
those passages tell that the result does not is asked (house/interview.py). Answers become details of the right
result (facts/answers.py), shown to the user and kept in the facts; only then do they reach a draft.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from assistant.check.terms import is_background
from assistant.facts.answers import read_answers
from assistant.facts.details import attach
from assistant.facts.ledger import ID_PREFIX
from assistant.facts.unit_type import unit_type_of
from assistant.house.interview import MAX_QUESTIONS, Passage, Question, questions
from assistant.schema import Facts
from assistant.services.knowledge import KnowledgeService

log = logging.getLogger(__name__)
PASSAGES_PER_RESULT = 4
INTERVIEW_MARK = "【补充提问】"  # how the questions open, so a conversation knows its next message answers them
THIN_SHARE = 0.5  # facts are thin while fewer than this share of the results carry details


def interview_text(questions: list[Question]) -> str:
    """The questions as the chat and the API ask them: numbered, so the answers can say which they answer."""
    lines = [f"{INTERVIEW_MARK}起草前想再了解几点，范文通常会写这些，事实里还没有："]
    lines += [f"{i}. {q.ask}" for i, q in enumerate(questions, 1)]
    lines.append("请按编号回答（如“1. ……”）；不想补充就回复“跳过”，我会按现有事实起草。")
    return "\n".join(lines)


class InterviewService:
    """Questions about the facts, and answers into details."""

    def __init__(self, knowledge: KnowledgeService) -> None:
        self.knowledge = knowledge

    def questions(self, facts: Facts, *, limit: int = MAX_QUESTIONS,
                  asked: list[tuple[str, str]] | None = None) -> list[Question]:
        """At most `limit` questions, the most useful first; none about what the facts already tell."""
        results = [(f"{ID_PREFIX['achievements']}{i}", fact) for i, fact in enumerate(facts.achievements, 1)
                   if not is_background(fact)]
        kinds = unit_type_of(facts.unit)
        passages: dict[str, list[Passage]] = {}
        for _, fact in results:
            try:
                hits = self.knowledge.search(fact, PASSAGES_PER_RESULT, role="成绩", org_type=kinds)
            except Exception:  # noqa: BLE001 - no store, no questions: drafting goes on without them
                log.warning("interview: search failed", exc_info=True)
                hits = []
            passages[fact] = [Passage(h.text, h.doc, _heading_of(h.heading), h.score) for h in hits]
        return questions(results, passages, facts.details, limit=limit, asked=asked or [])

    def thin(self, facts: Facts) -> bool:
        """The facts leave most results without details (and so the summary thin)."""
        results = [f for f in facts.achievements if not is_background(f)]
        told = sum(1 for f in results if facts.details_of(f))
        return bool(results) and told < THIN_SHARE * len(results)

    @staticmethod
    def answer(facts: Facts, asked: list[Question], message: str) -> tuple[Facts, list[tuple[str, str, str]]]:
        """The facts with the answers in `message` added as details, and what was added ((result, kind, text))."""
        found = read_answers([(q.result, q.kind) for q in asked], message)
        details = {fact: {k: list(v) for k, v in d.items()} for fact, d in facts.details.items()}
        for result, kind, text in found:
            if result in facts.achievements:
                attach(details, result, kind, text)
        return replace(facts, details=details), found


def _heading_of(path: str) -> str:
    """The innermost heading of a passage, without its numeral ("（二）做实帮扶救助" → "做实帮扶救助")."""
    from assistant.house.layout import bare_heading

    last = path.split(" > ")[-1] if path else ""
    bare = bare_heading(last) if last else ""
    return bare if 2 <= len(bare) <= 20 else ""
