"""A summary's plain (or Markdown) text back into a SummaryDocument, so a user's own text can be exported.

The text is what `assemble_text` (the 全文 box) or the Markdown export produced, possibly edited: a title
line, the opening, the numbered work part, then the 问题 and 计划 parts, a closing, maybe a signature. Its
parts are read by the one reader every face shares (text/sections.py read_summary), so the check, the page,
the exporter and the revision diff agree on where each part starts. Parsing is forgiving: whatever cannot be
placed stays in the part it follows; no text is ever dropped. Markdown marks our own export writes ("# ",
"## ", a leading "\\") are taken off.
"""

from __future__ import annotations

from assistant.schema import SectionDraft, SummaryDocument
from assistant.text.sections import label_text, read_summary


def document_from_text(text: str, default_title: str) -> SummaryDocument:
    """A whole summary text (plain or our Markdown) → title, sections in order, signature; for export only.

    `default_title` when the text opens with no title line. A part that starts at its heading
    ("四、存在的主要问题") keeps the heading's words (the exporter numbers it on); a part opened by a body line
    ("还存在一些不足：……") keeps that line as text and gets no heading."""
    summary = read_summary(text)
    sections: list[SectionDraft] = []
    for part in summary.parts:
        heading = label_text(part.heading.text) if part.heading is not None else ""
        body = "\n".join(line.text for line in part.body)
        if body or heading:
            sections.append(SectionDraft(role=part.role, heading=heading, text=body))
    return SummaryDocument(title=summary.title.text if summary.title else default_title, sections=sections,
                           unit=summary.unit.text if summary.unit else "", date=summary.date.text if summary.date else "")
