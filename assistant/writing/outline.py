"""Outline text and template answers: the text helpers of drafting that need no model and no service.

The user's (possibly edited) outline becomes an Outline again, a model's paragraph is tidied into one
paragraph under its heading, and the template backend's revise and chat answers are composed here.
"""

from __future__ import annotations

import re

from assistant.schema import ROLE_TITLES, ROLES, Facts
from assistant.text.headings import parse_numbered
from assistant.writing.compose import compose
from assistant.writing.planner import HousePlan
from assistant.writing.template import document_title, slot


def clauses(text: str) -> list[str]:
    """The text cut after each clause mark (，。；：and line ends), so template text can stream like a model's."""
    return [piece for piece in re.findall(r"[^，。；：\n]*[，。；：\n]?", text) if piece]


def one_paragraph(text: str, heading: str) -> str:
    """A model's paragraph without a repeated heading or numbered lines, joined into one paragraph."""

    def is_heading(line: str) -> bool:
        h = parse_numbered(line)
        bare = h.title if h is not None else line
        if bare.strip("：:。 ") == heading or (h is not None and "。" not in line and len(line) <= 30):
            return True
        return "。" not in line and line.endswith(("工作总结", "年度总结"))  # an echoed document title

    body = "".join(ln.strip() for ln in text.splitlines() if ln.strip() and not is_heading(ln.strip()))
    return re.sub(r"^[^。，；]{0,30}(?:工作总结|正文|效果)[：:]", "", body)  # an echoed title or prompt label


def has_numbered_heading(text: str) -> bool:
    """True when some line is a level-1 numbered heading (一、…)."""
    return any((h := parse_numbered(line)) is not None and h.level == 1 for line in text.splitlines())


def template_revise(text: str, instruction: str) -> tuple[str, str]:
    """What a template can honestly do with a revision request other than "更简洁" (writing/revise.py handles that
    for every backend); the notice says what it did not do."""
    add = re.search(r"(?:加|增加|补充|添加)(?:一段|一条|一些)?(?:关于)?(.+?)(?:的内容|的段落|的情况)?$", instruction.strip())
    if add and add.group(1).strip():
        topic = add.group(1).strip("：:，。 ")
        return f"{text.rstrip()}\n{slot(f'关于{topic}的具体情况')}", "模板模式不会编写新内容：已加上待补充位置，请填写事实后重新起草。"
    return text, "模板模式只能删去套话或加上待补充位置；要按要求改写，请在“模型”面板选择本地模型或在线模型。"


def template_chat_reply(message: str, facts: Facts, plan: HousePlan | None = None) -> str:
    """A helpful answer without a model: draft the section the user names, else say what the form holds.

    The answer states what the facts really hold (the page's form, or what the API conversation gave) and what is
    still missing; it never asks for facts that are already there. Only the request's own words choose the
    section: "成绩：……" in the facts of the message is not a request for the 成绩 section."""
    from assistant.facts.intake import describe, request_spans

    asked = " ".join(request_spans(message))
    if not facts.is_empty() and asked:
        if re.search(r"全文|全篇|整篇|(?:写|起草|撰写|草拟|生成)[^，。；]{0,8}(?:总结|全稿)", asked):
            return _whole_summary(facts, plan)
        for role, words in (("问题", ("问题", "不足")), ("计划", ("计划", "打算", "明年")),
                            ("开头", ("开头",)), ("结尾", ("结尾", "结束语")), ("成绩", ("成绩", "主要工作"))):
            if any(w in asked for w in words):
                return compose(role, facts, plan)  # type: ignore[arg-type]

    model_hint = "如需按自由要求改写，请在“模型”面板选择本地模型或兼容 OpenAI 的在线模型。"
    if facts.is_empty():
        return ("当前是模板模式（不使用模型），还没有收到任何事实：请在页面左侧的事实表单中填写单位、年度和主要工作与成绩，"
                "或直接在消息里写明（如“单位：…… 年度：…… 成绩：……”），再说明要起草哪一部分或全文。" + model_hint)
    missing = [label for label, value in (("单位", facts.unit), ("年度", facts.year),
                                          ("主要工作与成绩", facts.achievements)) if not value]
    gaps = f"还缺：{'、'.join(missing)}（草稿中会留出【待补充】）。" if missing else ""
    return (f"当前是模板模式（不使用模型）。已有的事实：{describe(facts)}。{gaps}"
            "请说明要起草哪一部分（开头、主要成绩、存在问题、下一步计划、结尾），或在页面上点击“生成提纲”“起草本节”"
            "“起草全文”。" + model_hint)


def _whole_summary(facts: Facts, plan: HousePlan | None) -> str:
    """Every section in house order under the document title, as the template drafts the full text."""
    parts = [document_title(facts)]
    titles = {"问题": plan.problems_heading, "计划": plan.plans_heading} if plan else ROLE_TITLES
    for role in ROLES:
        heading = titles[role] + "\n" if role in ("问题", "计划") else ""
        parts.append(heading + compose(role, facts, plan))
    return "\n\n".join(parts)
