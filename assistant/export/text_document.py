"""A summary's plain (or Markdown) text back into a SummaryDocument, so a user's own text can be exported.

The text is what `assemble_text` (the 全文 box) or the Markdown export produced, possibly edited: a title
line, the opening, the numbered work part, then the 问题 and 计划 parts under their own headings, a closing,
maybe a signature. Parsing is forgiving: whatever cannot be placed stays in the section it follows; no text
is ever dropped. Markdown marks our own export writes ("# ", "## ", a leading "\\") are taken off first.
"""

from __future__ import annotations

import re

from assistant.schema import Role, SectionDraft, SummaryDocument
from assistant.text.headings import parse_numbered

_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_ENDS_SENTENCE = ("。", "；", "：", ":", ";", "！", "？", "，")
_ROLE_HEADINGS: dict[Role, tuple[str, ...]] = {
    "问题": ("存在的问题", "存在问题", "存在的不足", "问题和不足", "问题与不足", "不足之处", "差距和不足"),
    "计划": ("下一步工作计划", "下一步计划", "下一步工作打算", "下一步打算", "明年工作打算", "明年工作计划",
            "新的一年工作打算", "今后工作打算", "工作打算", "工作计划"),
}
_ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十\d]+）|\d+[.．、])")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
# The line starts markdown_export escapes with a backslash (see its _BLOCK_START).
_MD_ESCAPED = re.compile(r"^\\(?=[#>+*\-=_`~|<\d])")


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


def _plain(line: str) -> str:
    """One line without the Markdown our exporter adds (heading marks, escapes); other text unchanged."""
    line = line.strip()
    if _MD_HEADING.match(line):
        line = _MD_HEADING.sub("", line)
        if line.endswith("\\#"):
            line = line[:-2] + "#"
    return _MD_ESCAPED.sub("", line).strip()


def text_lines(text: str) -> list[str]:
    """The non-empty paragraphs of a pasted or saved summary, Markdown marks removed."""
    return [line for line in (_plain(x) for x in text.splitlines()) if line]


def document_from_lines(lines: list[str], default_title: str) -> SummaryDocument:
    """Paragraphs → title, sections in order, signature; `default_title` when the first line is no title."""
    lines = list(lines)
    title = default_title
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


def document_from_text(text: str, default_title: str) -> SummaryDocument:
    """A whole summary text (plain or our Markdown) → SummaryDocument, for export only."""
    return document_from_lines(text_lines(text), default_title)
