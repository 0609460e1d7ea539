"""The interview in the page: while most results lack 做法 and 成效, the chat asks what the house writes and the
facts lack (at most three questions); the questions wait in the session until the user answers or skips
(ui/chat.py reads the answers into the form)."""

from __future__ import annotations

from typing import Any

from assistant.errors import UserError
from assistant.ui.chat_text import copy_messages
from assistant.ui.state import UiSession, facts_from_values


def offer(services: Any, s: UiSession, form: list[str]) -> dict[str, Any]:
    """Ask the interview's questions in the chat when the facts are thin; the page's updates ({} when nothing is
    asked: no results, enough details, nothing the house writes is missing, or questions already waiting)."""
    from assistant.services.interview import interview_text

    if s.data.interview:
        return {}
    try:
        facts = facts_from_values(form)
        if not facts.achievements or not services.interview.thin(facts):
            return {}
        asked = services.interview.questions(facts)
    except UserError:
        return {}
    if not asked:
        return {}
    s.data.interview = [{"result": q.result, "kind": q.kind, "ask": q.ask} for q in asked]
    s.data.chat += [{"role": "assistant", "content": interview_text(asked)}]
    return {"chat": copy_messages(s.data.chat)}
