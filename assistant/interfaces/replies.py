"""Drafting results as plain text, for adapters that only carry text (the OpenAI API, the LangChain runnable).

A chat message mixes facts and a request ("单位：… 成绩：… 起草主要成绩部分"). `detect_request` finds the
request and the task it names; `reply_stream` runs that task on the services and yields text pieces. The
drafting services stream only text that has passed the delivery gate, so a reply never takes anything back;
the model's own attempts (模型原稿) stay in the section's JSON, not in the reply text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from assistant.errors import ModelUnavailable, UserError
from assistant.schema import ROLE_TITLES, ROLES, CheckReport, Facts, Role
from assistant.services.drafting import DraftEvent, DraftingService, ModelChoice
from assistant.writing.template import document_title

Task = Literal["outline", "section", "full", "chat"]

# A request for the whole summary in other words ("请帮我写总结", "起草一份年度总结材料").
_WHOLE = re.compile(r"(?:写|起草|撰写|草拟|拟写|生成|出)[^，。；]{0,8}(?:总结|材料|报告|全稿)")
# "有什么问题" asks about the text; it does not name the 问题 section.
_ASKS_ABOUT = re.compile(r"(?:什么|哪些|哪里|有没有|啥)(?:样的)?(?:问题|不足)")
_TASK_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("outline", ("提纲", "大纲", "outline")),
    ("full", ("全文", "全篇", "整篇", "完整", "全部", "whole", "full")),
)
_SECTION_WORDS: tuple[tuple[Role, tuple[str, ...]], ...] = (
    ("开头", ("开头", "开篇", "opening")),
    ("结尾", ("结尾", "结束语", "closing")),
    ("问题", ("问题", "不足", "problems")),
    ("计划", ("计划", "打算", "下一步", "明年", "plans")),
    ("成绩", ("成绩", "主要工作", "成效", "achievements", "results")),
)


@dataclass(frozen=True)
class Request:
    """What the user asked for: the task, the section for a section draft, and the request's own words."""

    task: Task
    role: Role | None = None
    words: str = ""
    spans: tuple[str, ...] = ()  # the request's pieces as they appear in the message


def _request_spans(message: str) -> list[str]:
    """The request's own words in a message ("请起草全文", "帮我写一下主要成绩部分"); the rest are facts."""
    from assistant.facts.intake import request_spans

    return request_spans(message)


def detect_request(message: str, forced: Task | None = None) -> Request:
    """Classify the last user message. `forced` (from a per-task model id) overrides the words."""
    spans = tuple(_request_spans(message))
    words = " ".join(spans)
    low = words.lower()
    named = _ASKS_ABOUT.sub("", low)
    role = next((r for r, keys in _SECTION_WORDS if any(k in named for k in keys)), None)
    if forced == "section":
        return Request("section" if role else "full", role, words, spans)
    if forced is not None:
        return Request(forced, None, words, spans)
    for task, keys in _TASK_WORDS:
        if any(k in low for k in keys):
            return Request(task, None, words, spans)  # type: ignore[arg-type]
    if role is not None:
        return Request("section", role, words, spans)
    if _WHOLE.search(low):
        return Request("full", None, words, spans)
    return Request("chat", None, words, spans)


def facts_from_conversation(user_texts: Sequence[str]) -> Facts:
    """Facts from every user message of the conversation, each found in the user's own text; the requests'
    own words are left out."""
    from assistant.facts.intake import read_conversation

    return read_conversation(user_texts)


def check_line(report: CheckReport | None) -> str:
    """The short 【核查】 line appended to a draft that did not pass; "" when it passed."""
    if report is None or report.ok:
        return ""
    return "\n\n【核查】" + "；".join(report.problems())


def events_text(events: Iterator[DraftEvent], said: set[str] | None = None) -> Iterator[str | CheckReport]:
    """Text pieces of a streamed draft, then its CheckReport (last item) when there is one.

    `said`: notices already given in this reply (a whole summary drafts five sections; the model's fallback
    is said once, not five times)."""
    streamed = ""
    said = set() if said is None else said
    for ev in events:
        if ev.kind == "notice" and ev.text:
            if ev.text not in said:
                said.add(ev.text)
                yield f"（{ev.text}）\n\n"
        elif ev.kind == "token":
            streamed += ev.text
            yield ev.text
        elif ev.kind == "error":
            if ev.draft is None and not streamed:
                raise ModelUnavailable(ev.text)  # nothing to keep: the caller reports the error
            kept = ev.draft.text.split("\n【生成中断")[0].strip() if ev.draft is not None else streamed.strip()
            if kept != streamed.strip() and ev.draft is not None:
                yield "\n\n【最终稿】\n" + ev.draft.text
            else:
                yield f"\n【生成中断：{ev.text}】"
            if ev.draft is not None and ev.draft.check is not None:
                yield ev.draft.check
            return
        elif ev.kind == "done" and ev.draft is not None:
            if ev.draft.text.strip() != streamed.strip():
                yield "\n\n【最终稿】\n" + ev.draft.text
            if ev.draft.check is not None:
                yield ev.draft.check
            return


def final_text(text: str) -> str:
    """A non-streamed reply carries only the delivered version: the attempts before 【最终稿】 are dropped.

    A stream must show the attempt as it is written; a plain reply has no such reason to repeat it.
    """
    notices = re.match(r"(?:（[^）\n]*）\n\n)*", text)
    head = notices.group(0) if notices else ""
    if "【最终稿】\n" not in text:
        return text
    return head + text.rsplit("【最终稿】\n", 1)[1]


def _with_check(events: Iterator[DraftEvent], said: set[str] | None = None) -> Iterator[str]:
    for item in events_text(events, said):
        yield check_line(item) if isinstance(item, CheckReport) else item


def full_text_stream(drafting: DraftingService, facts: Facts, choice: ModelChoice | None) -> Iterator[str]:
    """The whole summary, section by section in house order, each with its own check line."""
    said: set[str] = set()
    notice = drafting.resolve(choice).notice
    if notice:  # before the title: the reader learns first what wrote the text
        said.add(notice)
        yield f"（{notice}）\n\n"
    yield document_title(facts) + "\n\n"
    house = drafting.house_plan(facts, choice)
    titles = {"问题": house.problems_heading, "计划": house.plans_heading}
    for i, role in enumerate(ROLES):
        if i:
            yield "\n\n"
        if role in ("问题", "计划"):
            yield (titles.get(role) or ROLE_TITLES[role]) + "\n"
        try:
            yield from _with_check(drafting.stream_section(facts, role, choice), said)
        except ModelUnavailable as exc:
            if i == 0:
                raise
            yield f"【生成中断：{exc.message}】"  # keep the sections already written
            return


def reply_stream(drafting: DraftingService, request: Request, facts: Facts, *, message: str,
                 history: Sequence[tuple[str, str]] = (), document: str = "",
                 choice: ModelChoice | None = None) -> Iterator[str]:
    """Run the request's task and yield the reply text piece by piece (errors raise before any text)."""
    if request.task == "outline":
        return _with_check(drafting.stream_outline(facts, choice))
    if request.task == "section":
        if request.role is None:
            raise UserError("没有看出要起草哪一部分：请写明开头、主要成绩、存在问题、下一步计划或结尾。")
        return _with_check(drafting.stream_section(facts, request.role, choice))
    if request.task == "full":
        return full_text_stream(drafting, facts, choice)
    return drafting.stream_chat(facts, message, history, document, choice)
