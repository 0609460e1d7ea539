"""The summary laid out once, as typed blocks, so plain text, Markdown and Word agree on every heading.

House order (docs/GENRE.md §A.4): title, 开头, the numbered 成绩 part, 问题, 计划, 结尾, then the closing block:
the unit's name and the date line (成文日期), two "signature" blocks told apart by their role (docs/GENRE.md §D.16).
The 成绩 text keeps its own 一、/（一） headings; the 问题 and 计划 section headings are numbered on
from the last level-1 heading before them ("一、二、三、" → "四、存在的问题", "五、下一步工作计划").
Text is cleaned of characters XML cannot hold, so every exporter can write whatever the user typed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from assistant.schema import ROLES, SectionDraft, SummaryDocument
from assistant.text.headings import numeral, parse_numbered
from assistant.text.numbers import SLOT_RE

BlockKind = Literal["title", "heading1", "heading2", "heading3", "body", "signature"]
DEFAULT_TITLE = "工作总结"
UNNUMBERED_HEADING_MAX_CHARS = 25  # same bound as the splitter's un-numbered headings (docs/GENRE.md §A.3)

# XML 1.0 forbids C0 controls (except tab/newline/CR), surrogates and U+FFFE/U+FFFF; DEL and C1
# controls are legal but never meant, so they go too. python-docx raises on the forbidden ones.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SENTENCE_END = ("。", "！", "？", "；", "!", "?", ";")
_FINAL_PUNCT = "。！？；：，、…,.;:!?—-）)”"
_DATE_LINE = re.compile(r"^\d{2,4}\s*年(\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?)?$")
_ENUM_ITEM = re.compile(r"^[一二三四五六七八九十]+是")
SLOT = SLOT_RE  # the one slot pattern (text/numbers.py), under the name the exporters use
SIGNATURE_UNIT = "落款单位"  # the role of the signature block naming the unit
SIGNATURE_DATE = "成文日期"  # the role of the date line under it


@dataclass(frozen=True)
class Block:
    """One paragraph of the laid-out summary.

    `text` is what the paragraph's kind styles (the heading words for headings); `run_in` is body text
    that follows a run-in heading in the same paragraph ("（一）加强学习。" + "一年来……").
    """

    kind: BlockKind
    text: str
    run_in: str = ""
    role: str = ""  # the section it comes from; "" for the title, SIGNATURE_UNIT / SIGNATURE_DATE for the closing

    @property
    def full_text(self) -> str:
        return self.text + self.run_in


def clean_line(text: str) -> str:
    """One line without characters an XML file cannot hold, trimmed."""
    return _NOT_XML.sub("", text).strip()


def clean_lines(text: str | None) -> list[str]:
    """The non-empty cleaned lines of a text; vertical tabs and Unicode line separators split lines too."""
    out: list[str] = []
    for raw in (text or "").splitlines():
        line = clean_line(raw)
        if line:
            out.append(line)
    return out


def clean_title(title: str | None) -> str:
    return " ".join(clean_lines(title)) or DEFAULT_TITLE


def _role_rank(section: SectionDraft) -> int:
    try:
        return ROLES.index(section.role)
    except ValueError:  # an unknown role goes just before the closing
        return len(ROLES) - 1


def ordered_sections(doc: SummaryDocument) -> list[SectionDraft]:
    """Sections with text, in house order; sections of the same role keep their relative order."""
    kept = [s for s in doc.sections if clean_lines(s.text)]
    return sorted(kept, key=_role_rank)


def has_text(doc: SummaryDocument) -> bool:
    return bool(ordered_sections(doc))


def _looks_unnumbered_heading(line: str, following: str | None) -> bool:
    """A short unpunctuated line followed by body text (the 区总工会 style "工会大学校有作为")."""
    if following is None or not (2 <= len(line) <= UNNUMBERED_HEADING_MAX_CHARS) or line[-1] in _FINAL_PUNCT:
        return False
    if _DATE_LINE.match(line) or _ENUM_ITEM.match(line) or parse_numbered(line) is not None:
        return False
    if sum(1 for ch in line if ch.isalpha()) < 2:
        return False
    return len(following) > UNNUMBERED_HEADING_MAX_CHARS or following[-1] in _FINAL_PUNCT \
        or parse_numbered(following) is not None


def _split_run_in(line: str, rest: str) -> tuple[str, str]:
    """The heading sentence and the body after it; `rest` is a suffix of `line` (parse_numbered)."""
    if not rest:
        return line, ""
    cut = len(line) - len(rest)
    return line[:cut].rstrip(), rest


class _Layout:
    """Walks the sections once, keeping the last level-1 ordinal for the 问题/计划 numbering."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.last_level1 = 0
        self.numbered_level1_seen = False

    def section(self, section: SectionDraft) -> None:
        lines = clean_lines(section.text)
        heading = " ".join(clean_lines(section.heading))
        if heading:
            parsed = parse_numbered(heading)
            if parsed is not None and parsed.level == 1:
                heading = heading[len(parsed.marker):].strip() or heading
            own_level1 = any((p := parse_numbered(x)) is not None and p.level == 1 for x in lines)
            if section.role in ("问题", "计划") or (section.role == "成绩" and not own_level1):
                self.last_level1 += 1
                self.numbered_level1_seen = True
                heading = f"{numeral(1, self.last_level1)}{heading}"
            self.blocks.append(Block("heading1", heading, role=section.role))
        for i, line in enumerate(lines):
            following = lines[i + 1] if i + 1 < len(lines) else None
            self.blocks.append(self.line(line, following, section.role))

    def line(self, line: str, following: str | None, role: str) -> Block:
        parsed = parse_numbered(line)
        if parsed is None:
            if role not in ("开头", "结尾") and _looks_unnumbered_heading(line, following):
                return Block("heading2" if self.numbered_level1_seen else "heading1", line, role=role)
            return Block("body", line, role=role)
        head, run_in = _split_run_in(line, parsed.rest)
        if parsed.level == 1:
            self.last_level1 = parsed.ordinal
            self.numbered_level1_seen = True
            return Block("heading1", head, run_in, role)
        if parsed.level == 2:
            return Block("heading2", head, run_in, role)
        # 1. / （1）: a heading when it stands alone unpunctuated or runs into a paragraph; a single
        # sentence ("1.组织培训12期。") is an enumerated item of body text.
        if run_in or not head.endswith(_SENTENCE_END):
            return Block("heading3", head, run_in, role)
        return Block("body", line, role=role)


def blocks(doc: SummaryDocument) -> list[Block]:
    """The whole summary as typed paragraphs, in the order every exporter writes them."""
    layout = _Layout()
    layout.blocks.append(Block("title", clean_title(doc.title)))
    for section in ordered_sections(doc):
        layout.section(section)
    for value, role in ((doc.unit, SIGNATURE_UNIT), (doc.date, SIGNATURE_DATE)):
        line = " ".join(clean_lines(value))
        if line:
            layout.blocks.append(Block("signature", line, role=role))
    return layout.blocks


def date_line(day: dt.date) -> str:
    """成文日期 as GB/T 9704-2012 7.3.5.1 writes it: Arabic numerals, the year in full, no leading zeros
    (2026年1月15日, not 2026年01月15日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def assemble_text(doc: SummaryDocument) -> str:
    """The summary as plain text, one paragraph a line (the 全文 box; parsed back by ui.document_text)."""
    return "\n".join(b.full_text for b in blocks(doc))
