"""The chat's text as the page keeps it and as a model is shown it: copies of the messages for Gradio, an answer
without the page's own notes, the history a model sees, and an answer cleaned for display.

A leaf of ui/: the chat handlers (chat.py) and the proposals (chat_edit.py) both use it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.numbers import squash

_NOTE_LINE = re.compile(r"^（[^\n]*）$")
_CHECK_TAIL = re.compile(r"\n*（核查：[^\n]*）\s*$")
_LEAD_NOTES = re.compile(r"^(?:（[^\n]*）\n\n)+")
_DELIMITER_LINE = re.compile(r"^[ \t]*(?:<<<[^\n]{0,12}|[^\n]{0,12}>>>)[ \t]*$\n?", re.M)
MAX_HISTORY_PAIRS = 4


def copy_messages(messages: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """A copy for the page (Gradio must not hold the session's own list)."""
    return [dict(m) for m in messages]


def reply_body(answer: str) -> str:
    """An answer without the page's own notes (what was read, check notes, 已应用 notes)."""
    answer = _LEAD_NOTES.sub("", answer or "")
    answer = _CHECK_TAIL.sub("", answer)
    return "" if _NOTE_LINE.match(answer.strip()) else answer.strip()


def message_pairs(messages: Sequence[dict[str, str]]) -> list[tuple[str, str]]:
    """Chat messages → (user, assistant) pairs for the service."""
    pairs: list[tuple[str, str]] = []
    pending: str | None = None
    for m in messages:
        if m.get("role") == "user":
            pending = m.get("content", "")
        elif m.get("role") == "assistant" and pending is not None:
            pairs.append((pending, m.get("content", "")))
            pending = None
    return pairs


def chat_history(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """What a model is shown of the conversation: the page's notes taken out, failed and empty answers dropped,
    and an answer given more than once only at its last turn (a small model copies a repeated answer verbatim:
    the issue 13 refusal that came back word for word)."""
    cleaned = [(u, reply_body(a)) for u, a in pairs]
    cleaned = [(u, a) for u, a in cleaned if a and not a.startswith("【出错")]
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for user, answer in reversed(cleaned):
        if squash(answer, punctuation=False) in seen:
            continue
        seen.add(squash(answer, punctuation=False))
        out.append((user, answer))
    return list(reversed(out))[-MAX_HISTORY_PAIRS:]


def display_text(text: str) -> str:
    """A chat answer or proposal as the page shows it: no Markdown marks (the gate's cleaning) and none of the
    prompt's <<<草稿 … 草稿>>> delimiter lines a small model copies back."""
    from assistant.writing.postprocess import clean_model_text

    return clean_model_text(_DELIMITER_LINE.sub("", text)) if text.strip() else ""
