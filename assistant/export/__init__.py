"""Export of a finished summary: plain text, Markdown and a GB/T 9704-style Word file (optionally with the
changes from an earlier version as tracked revisions, see export.revisions).

All three share one layout (`assemble.blocks`), so what the user sees in the 全文 box, the .md and
the .docx list the same headings in the same order. Imports are lazy: python-docx loads only when a
Word file is actually written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.schema import SummaryDocument

__all__ = ["assemble_text", "export_docx", "export_markdown"]


def assemble_text(doc: SummaryDocument) -> str:
    from assistant.export.assemble import assemble_text as impl

    return impl(doc)


def export_markdown(doc: SummaryDocument, path: str | Path) -> Path:
    from assistant.export.markdown_export import export_markdown as impl

    return impl(doc, path)


def export_docx(doc: SummaryDocument, path: str | Path, compare_to: SummaryDocument | None = None) -> Path:
    """With `compare_to`, the changes since that earlier version are Word revisions (w:ins / w:del)."""
    from assistant.export.docx_export import export_docx as impl

    return impl(doc, path, compare_to)
