"""Outline text and template answers: the text helpers of drafting that need no model and no service.

The user's (possibly edited) outline becomes an Outline again, a model's paragraph is tidied into one
paragraph under its heading, and the template backend's revise and chat answers are composed here.
"""

from __future__ import annotations

import re

from assistant.schema import Facts
from assistant.text.headings import parse_numbered
from assistant.writing.template import Outline, OutlineItem, build_outline, compose, slot, theme_of

# Stock phrases the template's "更精炼" revision may delete.
PADDING = ("高度重视", "扎实推进", "取得明显成效", "取得了明显成效", "取得了较好的成绩", "积极主动地",
           "认真履行各项职责，", "紧紧围绕中心工作，", "一年来，围绕这项工作，")


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


def outline_from_text(outline_text: str, facts: Facts) -> Outline:
    """Reuse the user's (possibly edited) outline headings; facts are regrouped under them in order."""
    default = build_outline(facts)
    headings = [h.title for line in outline_text.splitlines()
                if (h := parse_numbered(line)) is not None and h.level == 1]
    if not headings:
        return default
    by_theme = {item.heading: item for item in default.items}
    items = [OutlineItem(h, list(by_theme.pop(h).facts) if h in by_theme else []) for h in headings]
    leftovers = [f for item in by_theme.values() for f in item.facts]
    for fact in leftovers:  # put each remaining fact under the heading sharing most characters with it
        target = max(items, key=lambda it: len(set(it.heading) & set(theme_of(fact) + fact)))
        target.facts.append(fact)
    return Outline(items)


def template_revise(text: str, instruction: str) -> tuple[str, str]:
    """What a template can honestly do with a revision request; the notice says what it did not do."""
    add = re.search(r"(?:加|增加|补充|添加)(?:一段|一条|一些)?(?:关于)?(.+?)(?:的内容|的段落|的情况)?$", instruction.strip())
    if add and add.group(1).strip():
        topic = add.group(1).strip("：:，。 ")
        return f"{text.rstrip()}\n{slot(f'关于{topic}的具体情况')}", "模板模式不会编写新内容：已加上待补充位置，请填写事实后重新起草。"
    if any(w in instruction for w in ("精炼", "简洁", "精简", "压缩", "简短")):
        out = text
        for phrase in PADDING:
            out = out.replace(phrase, "")
        return out, "" if out != text else "这一部分已没有可删的套话。"
    return text, "模板模式只能删去套话或加上待补充位置；要按要求改写，请在“模型”面板选择本地模型或在线模型。"


def template_chat_reply(message: str, facts: Facts) -> str:
    """A helpful answer without a model: draft the section the user names, else explain the buttons."""
    for role, words in (("问题", ("问题", "不足")), ("计划", ("计划", "打算", "明年")),
                        ("开头", ("开头",)), ("结尾", ("结尾", "结束语")), ("成绩", ("成绩", "主要工作"))):
        if any(w in message for w in words) and facts.unit:
            return compose(role, facts)  # type: ignore[arg-type]
    return ("当前是模板模式（不使用模型）：请在右侧填写单位、年度和成绩等事实，然后点击“生成提纲”“起草本节”或“起草全文”。"
            "如需按自由要求改写，请在“模型”面板选择本地模型或兼容 OpenAI 的在线模型。")
