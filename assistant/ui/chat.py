"""The 对话 tab: a chat message's facts fill the form; a request to change the text becomes a proposal
(chat_edit.py) the user applies or discards; anything else gets a gated reply from the drafting service."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from assistant.errors import UserError
from assistant.schema import normalize_role
from assistant.services.sessions import FORM_FIELDS
from assistant.text.numbers import squash
from assistant.ui import rendering as R
from assistant.ui.chat_edit import ChatEdits
from assistant.ui.chat_text import (
    chat_history,
    copy_messages,
    display_text,
    message_pairs,
    reply_body,
)
from assistant.ui.state import UiSession, facts_from_values, model_choice
from assistant.ui.updates import Updates, split_rest

if TYPE_CHECKING:
    from assistant.ui.callbacks import Actions

log = logging.getLogger(__name__)


class ChatActions:
    """Chat handlers over the page's Actions (session, services, versions)."""

    def __init__(self, act: Actions) -> None:
        self.act = act
        self.edits = ChatEdits(act)

    def chat(self, s: UiSession, message: str, document_text: str, *rest: Any) -> Iterator[Updates]:
        """A chat message: facts in it fill the form; a request to change the text ("把第二部分写得更简洁")
        becomes a proposed revision shown as a diff with 应用 / 放弃; anything else gets a gated reply."""
        from assistant.ui.parts import is_edit_request, request_of

        act = self.act
        form, model = split_rest(rest)
        message = (message or "").strip()
        if not message:
            yield act.failed(UserError("消息为空：请写下你的要求。"))
            return
        if s.data.interview and not is_edit_request(request_of(message)):
            # the chat asked the interview's questions: this may answer them (a request to change text never does)
            answered = self.answers(s, message, form)
            if answered is not None:
                yield answered
                return
        form, read_note = facts_from_message(message, form)  # facts in the message fill the form, to be checked
        s.set_form(form)
        pairs = message_pairs(s.data.chat)
        s.data.chat += [{"role": "user", "content": message},
                        {"role": "assistant", "content": f"（{read_note}）\n\n" if read_note else ""}]
        filled = dict(zip(FORM_FIELDS, form, strict=True)) if read_note else {}
        yield {"chat": copy_messages(s.data.chat), "chat_input": "", **filled,
               "status": R.render_status(read_note or "正在回复……", "busy")}
        request = request_of(message)
        if is_edit_request(request) and any(t.strip() for t in s.data.sections.values()):
            role = normalize_role(s.data.section) or "成绩"  # the section in view (kept by pick_section)
            yield from self.edits.propose(s, request, form, model, role, read_note)
            return
        prefix = s.data.chat[-1]["content"]
        try:
            facts = facts_from_values(form)
            choice = model_choice(*model)
            history = chat_history(pairs)
            earlier = {squash(reply_body(a), punctuation=False) for _, a in pairs} - {""}
            body = ""
            for piece in act.services.drafting.stream_chat(facts, message, history, document_text or "", choice):
                body += piece
                shown = display_text(body)
                if any(e.startswith(squash(shown, punctuation=False)) for e in earlier):
                    continue  # it may be a copy of an earlier answer: shown only once it says something new
                s.data.chat[-1]["content"] = prefix + shown
                yield {"chat": copy_messages(s.data.chat)}
            if history and squash(reply_body(display_text(body)), punctuation=False) in earlier:
                log.info("chat reply repeated an earlier answer; asking again without the history")
                body = "".join(act.services.drafting.stream_chat(facts, message, [], document_text or "", choice))
            s.data.chat[-1]["content"] = prefix + display_text(body)
        except UserError as exc:
            reply = s.data.chat[-1]["content"]
            s.data.chat[-1]["content"] = (reply + "\n\n" if reply else "") + f"【出错：{exc.message}】"
            act.save(s)
            yield {**act.failed(exc), "chat": copy_messages(s.data.chat)}
            return
        act.save(s)
        yield {"chat": copy_messages(s.data.chat), "state": s,
               "status": R.render_status(f"已回复。{read_note}", "ok")}

    def answers(self, s: UiSession, message: str, form: list[str]) -> Updates | None:
        """The user's reply to the interview: its answers become details under their results in the form (shown,
        to be checked), "跳过" ends the interview; None when the message answers nothing (a chat message)."""
        from assistant.facts.answers import is_skip, read_answers
        from assistant.facts.details import attach, render_result_lines, split_result_lines
        from assistant.facts.fields import split_items

        asked = [(q["result"], q["kind"]) for q in s.data.interview]
        found = read_answers(asked, message)
        if not found and not is_skip(message):
            return None
        values = dict(zip(FORM_FIELDS, form, strict=True))
        results, details = split_result_lines(split_items(values["achievements"]))
        for result, kind, text in found:
            if result in results:
                attach(details, result, kind, text)
        values["achievements"] = render_result_lines(results, details)
        s.data.interview = []
        form = [values[k] for k in FORM_FIELDS]
        s.set_form(form)
        if found:
            lines = [f"{i}. {result[:20]}——{kind}：{text}" for i, (result, kind, text) in enumerate(found, 1)]
            reply = "已记下，写在左侧“主要工作与成绩”对应的条目下，请核对：\n" + "\n".join(lines) + \
                "\n再点“起草全文”，这些做法和成效就会写进总结。"
            note = f"已记下 {len(found)} 条补充"
        else:
            reply, note = "好的，不再补充，按现有事实起草。", "不再补充"
        s.data.chat += [{"role": "user", "content": message}, {"role": "assistant", "content": reply}]
        self.act.save(s)
        return {"chat": copy_messages(s.data.chat), "chat_input": "", "achievements": values["achievements"],
                "state": s, "status": R.render_status(note + "。", "ok")}

    def apply_proposal(self, s: UiSession | None, role_value: str, draft_text: str, document_text: str,
                       *form: str) -> Updates:
        if s is None:
            return {}
        return self.edits.apply(s, role_value, draft_text, document_text, list(form))

    def discard_proposal(self, s: UiSession | None) -> Updates:
        if s is None:
            return {}
        return self.edits.discard(s)

    def clear_chat(self, s: UiSession | None) -> Updates:
        if s is not None:
            s.data.chat = []
            self.act.save(s)
        return {"chat": []}


def facts_from_message(message: str, form: list[str]) -> tuple[list[str], str]:
    """The form with the facts a chat message states merged in, and a note saying what was read ("" if none).

    Empty fields are filled and new items appended as lines; nothing the user typed is replaced or repeated."""
    from assistant.facts.fields import split_items
    from assistant.facts.intake import describe, fact_key, read_message
    from assistant.facts.paste import parse_free_text
    from assistant.text.numbers import parse_year

    read = read_message(message)
    if read.is_empty():
        return form, ""
    values = dict(zip(FORM_FIELDS, form, strict=True))
    before = dict(values)
    kept = []
    for name, label in (("unit", "单位"), ("year", "年度"), ("title", "标题")):
        new, old = getattr(read, name), values[name].strip()
        if new and not old:
            values[name] = new
        elif new and old != new and parse_year(old) != new:
            kept.append(f"{label}保留表单中的“{old}”")
    extra = parse_free_text(values["free_text"])
    seen = {fact_key(i) for f in ("achievements", "problems", "plans") for i in split_items(values[f])}
    seen |= {fact_key(i) for i in (*extra.achievements, *extra.problems, *extra.plans, *extra.notes)}
    for attr, name in (("achievements", "achievements"), ("problems", "problems"), ("plans", "plans"),
                       ("notes", "free_text")):
        new_items = [i for i in getattr(read, attr) if fact_key(i) not in seen]
        seen |= {fact_key(i) for i in new_items}
        if new_items:
            values[name] = "\n".join(filter(None, [values[name].rstrip(), *new_items]))
    done = "已填入左侧表单，请核对" if values != before else "左侧表单中已有，未重复填入"
    note = f"已从消息中读到：{describe(read)}，{done}"
    note += f"（{'；'.join(kept)}）。" if kept else "。"
    return [values[k] for k in FORM_FIELDS], note
