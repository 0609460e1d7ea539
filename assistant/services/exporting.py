"""Export use case: the assembled summary to .docx (GB/T 9704 layout) or Markdown, under the data dir.

A .docx can carry the changes from an earlier version (`compare_to`) as tracked revisions a reviewer
accepts or rejects in Word or WPS; Markdown has no revisions, so asking for them there is refused.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace
from pathlib import Path
from typing import Literal

from assistant.config import Settings
from assistant.errors import UserError
from assistant.fsutil import confined, safe_filename
from assistant.schema import SummaryDocument, scrub_text

Format = Literal["docx", "md"]
MARKDOWN_NO_REVISIONS = "Markdown 文件无法记录修订：要带修订导出，请导出为 Word（.docx）；要导出纯文本，请不要选对比版本。"


class ExportService:
    """Writes exports; paths chosen by the service stay inside data/exports."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def export_to(self, doc: SummaryDocument, path: Path, compare_to: SummaryDocument | None = None) -> Path:
        """Export to an explicit path (CLI); the suffix picks the format. With `compare_to` (an earlier
        version), a .docx tracks the changes since it as revisions by 写作助手; a .md is refused.
        A document without a date line gets one: the 落款日期 setting, else today (docs/GENRE.md §D.16)."""
        doc = self._dated(_scrubbed(doc))
        if compare_to is not None:
            compare_to = self._dated(compare_to, doc.date)
        suffix = path.suffix.lower()
        if suffix == ".docx":
            from assistant.export.docx_export import export_docx

            return export_docx(doc, path, compare_to=_scrubbed(compare_to) if compare_to is not None else None)
        if suffix in (".md", ".markdown"):
            if compare_to is not None:
                raise UserError(MARKDOWN_NO_REVISIONS)
            from assistant.export.markdown_export import export_markdown

            return export_markdown(doc, path)
        raise UserError(f"不支持的导出格式“{suffix or '无后缀'}”：请用 .docx 或 .md 结尾的文件名。")

    def export(self, doc: SummaryDocument, fmt: Format, *, folder: str = "",
               compare_to: SummaryDocument | None = None) -> Path:
        """Export into data/exports/<folder>/ with a name from the title and a timestamp (UI, API, MCP);
        `compare_to` as in export_to."""
        if not any(s.text.strip() for s in doc.sections):
            raise UserError("全文还是空的：请先起草各部分再导出。")
        if compare_to is not None and fmt != "docx":
            raise UserError(MARKDOWN_NO_REVISIONS)
        doc = _scrubbed(doc)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        name = safe_filename(f"{doc.title or '工作总结'}-{stamp}.{fmt}", default=f"summary-{stamp}.{fmt}")
        parts = [safe_filename(folder, default="shared")] if folder else []
        target = confined(self.settings.exports_dir, *parts, name)
        return self.export_to(doc, target, compare_to)

    def sign_date(self) -> str:
        """The date line of an export: ASSISTANT_SIGN_DATE when set, else today, as 2026年1月15日."""
        from assistant.export.assemble import date_line

        return date_line(self.settings.sign_date or dt.date.today())

    def _dated(self, doc: SummaryDocument, date: str = "") -> SummaryDocument:
        return doc if doc.date.strip() else replace(doc, date=date or self.sign_date())

    def count_changes(self, doc: SummaryDocument, compare_to: SummaryDocument) -> int:
        """How many places a tracked-changes export of `doc` against `compare_to` marks (0: same text); a
        replaced word counts once, though Word lists its deletion and insertion as two revisions."""
        from assistant.export.revisions import compare, count_changes

        doc = self._dated(_scrubbed(doc))
        return count_changes(compare(self._dated(_scrubbed(compare_to), doc.date), doc))


def _scrubbed(doc: SummaryDocument) -> SummaryDocument:
    """The document as Word and UTF-8 files can hold it (edited text may carry lone surrogates)."""
    return replace(doc, title=scrub_text(doc.title), unit=scrub_text(doc.unit), date=scrub_text(doc.date),
                   sections=[replace(s, text=scrub_text(s.text), heading=scrub_text(s.heading))
                             for s in doc.sections])
