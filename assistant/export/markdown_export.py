"""Markdown export: the same blocks as the Word file, as `#` title, `##`/`###`/`####` headings and paragraphs.

Body lines that a Markdown renderer would read as structure ("# 话题", "- 条目", "1. 项目", "---") get a
backslash so they stay text; 【待补充：…】 slots are written verbatim so the user still sees them.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.errors import UserError
from assistant.export.assemble import Block, blocks, has_text
from assistant.fsutil import atomic_write_text
from assistant.schema import SummaryDocument

EMPTY_MESSAGE = "全文还是空的：请先起草各部分再导出。"

_HEADING_PREFIX = {"title": "# ", "heading1": "## ", "heading2": "### ", "heading3": "#### "}
# Line starts that Markdown treats as block structure: ATX headings, quotes, bullets, ordered items,
# setext/thematic lines, fences, tables, raw HTML.
_BLOCK_START = re.compile(r"^(?:#{1,6}(?:\s|$)|>|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|[-=_*]{3,}\s*$|`{3,}|~{3,}|\||<)")


def _escape_start(text: str) -> str:
    return "\\" + text if _BLOCK_START.match(text) else text


def _heading(prefix: str, text: str) -> str:
    if text.endswith("#"):  # a trailing "#" run would be read as the heading's closing sequence
        text = text[:-1] + "\\#"
    return prefix + text


def _render(block: Block) -> list[str]:
    prefix = _HEADING_PREFIX.get(block.kind)
    if prefix is None:  # body or signature
        return [_escape_start(block.full_text)]
    out = [_heading(prefix, block.text)]
    if block.run_in:
        out.append(_escape_start(block.run_in))
    return out


def to_markdown(doc: SummaryDocument) -> str:
    """The summary as Markdown, one blank line between paragraphs, ending with a newline."""
    paragraphs: list[str] = []
    for block in blocks(doc):
        paragraphs.extend(_render(block))
    return "\n\n".join(paragraphs) + "\n"


def export_markdown(doc: SummaryDocument, path: str | Path) -> Path:
    """Write `doc` as UTF-8 Markdown at `path` atomically (parent folders created); returns the path."""
    if not has_text(doc):
        raise UserError(EMPTY_MESSAGE)
    return atomic_write_text(Path(path), to_markdown(doc))
