"""Turn the hand-edited full text of the 全文 box back into a SummaryDocument, so export keeps the edits.

The text is what `assemble_text` produced, possibly edited: a title line, the opening, the numbered work
part, then the 问题 and 计划 parts under their own headings, a closing, maybe a signature. Parsing is
forgiving: whatever cannot be placed stays in the section it follows; no text is ever dropped.
"""

from __future__ import annotations

import re

from assistant.schema import Facts, Role, SectionDraft, SummaryDocument
from assistant.text.headings import parse_numbered
from assistant.writing.template import document_title

_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_ENDS_SENTENCE = ("。", "；", "：", ":", ";", "！", "？", "，")
_ROLE_HEADINGS: dict[Role, tuple[str, ...]] = {
    "问题": ("存在的问题", "存在问题", "存在的不足", "问题和不足", "问题与不足", "不足之处", "差距和不足"),
    "计划": ("下一步工作计划", "下一步计划", "下一步工作打算", "下一步打算", "明年工作打算", "明年工作计划",
            "新的一年工作打算", "今后工作打算", "工作打算", "工作计划"),
}
_ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十\d]+）|\d+[.．、])")


def _heading_role(line: str) -> tuple[Role, str] | None:
    """(role, heading text without its numeral) when the line heads the 问题 or 计划 part."""
    parsed = parse_numbered(line)
    title = (parsed.title if parsed is not None and parsed.level == 1 else line).strip().rstrip("：:")
    if len(title) > 20:
        return None
    for role, names in _ROLE_HEADINGS.items():
        if title in names:
            return role, title
    return None


def _paragraphs(lines: list[str]) -> list[str]:
    return [line for line in (x.strip() for x in lines) if line]


def document_from_text(text: str, facts: Facts) -> SummaryDocument:
    """The edited full text → title, sections in order, signature; for export only."""
    lines = _paragraphs(text.splitlines())
    title = document_title(facts)
    if lines and len(lines[0]) <= 60 and not lines[0].endswith(_ENDS_SENTENCE) and not _heading_role(lines[0]):
        title = lines.pop(0)
    unit, date = "", ""
    if lines and _DATE.match(lines[-1]):
        date = lines.pop()
        if lines and len(lines[-1]) <= 30 and not lines[-1].endswith(_ENDS_SENTENCE):
            unit = lines.pop()

    parts: list[tuple[Role, str, list[str]]] = [("成绩", "", [])]
    for line in lines:
        found = _heading_role(line)
        if found:
            parts.append((found[0], found[1], []))
        else:
            parts[-1][2].append(line)

    sections: list[SectionDraft] = []
    head_role, _, head = parts[0]
    if len(head) >= 2 and parse_numbered(head[0]) is None:
        sections.append(SectionDraft(role="开头", text=head[0]))
        head = head[1:]
    if head:
        sections.append(SectionDraft(role="开头" if not sections and len(head) == 1 else head_role,
                                     text="\n".join(head)))
    for role, heading, body in parts[1:]:
        closing = ""
        if role == "计划" and len(body) >= 2 and not _ENUMERATION.match(body[-1]) and parse_numbered(body[-1]) is None:
            closing = body.pop()
        sections.append(SectionDraft(role=role, heading=heading, text="\n".join(body)))
        if closing:
            sections.append(SectionDraft(role="结尾", text=closing))
    return SummaryDocument(title=title, sections=[s for s in sections if s.text or s.heading], unit=unit, date=date)
