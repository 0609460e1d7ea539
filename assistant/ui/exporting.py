"""The 全文 tab's exports: Word or Markdown of the summary as the page holds it, and Word with tracked changes
against an earlier version of the full text; each offered for download with what the check still flags."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import UserError
from assistant.schema import Facts, SummaryDocument
from assistant.services.versions import WHOLE
from assistant.ui import rendering as R
from assistant.ui.numbering import sentence_label, sentence_places
from assistant.ui.state import UiSession, build_document, is_hand_edited
from assistant.ui.updates import Updates

if TYPE_CHECKING:
    from assistant.ui.callbacks import Actions

EXPORT_LABELS = {"docx": "Word", "md": "Markdown"}


class ExportActions:
    """Export handlers over the page's Actions (session, services, versions, download folder)."""

    def __init__(self, act: Actions) -> None:
        self.act = act

    def export(self, s: UiSession, fmt: str, document_text: str, *form: str) -> Updates:
        act = self.act
        label = EXPORT_LABELS.get(fmt, fmt)
        try:
            facts = act.facts(s, list(form))
            doc = self._document(s, document_text, facts, form)
            path = act.services.exporter.export(doc, fmt, folder=s.sid)  # type: ignore[arg-type]
        except UserError as exc:
            return act.failed(exc)
        flagged = self._still_flagged(facts, doc)
        said = f" {s.model_notice}" if s.model_notice else ""  # the text was drafted without the chosen model
        message = f"已导出 {label} 文件“{path.name}”，点下方文件名下载。" + flagged + said
        return {"export_file": self._offer(s, path),
                "status": R.render_status(message, "warn" if flagged or said else "ok")}

    def export_tracked(self, s: UiSession, version_value: Any, document_text: str, *form: str) -> Updates:
        """The current full text as Word with tracked changes against an earlier version of the full text."""
        from assistant.export.text_document import document_from_text as parse_text
        from assistant.writing.template import document_title

        act = self.act
        try:
            version_id = int(str(version_value or "").strip() or 0)
        except ValueError:
            version_id = 0
        try:
            if not version_id:
                raise UserError("请先在“与此版本比较导出 Word（修订模式）”中选一个较早的版本。")
            old = act.versions.get(s.sid, version_id)
            if old is None or old.target != WHOLE:
                raise UserError(f"找不到全文的版本 #{version_id}：请刷新版本列表后重选。")
            facts = act.facts(s, list(form))
            doc = self._document(s, document_text, facts, form)
            before = parse_text(old.text, document_title(facts))
            changes = act.services.exporter.count_changes(doc, before)
            path = act.services.exporter.export(doc, "docx", folder=s.sid, compare_to=before)
        except UserError as exc:
            return act.failed(exc)
        said = (f"与版本 #{old.id}（{old.time_label}，{old.origin_label}）相比修改了 {changes} 处，"
                "在 Word 或 WPS 的“审阅”中可逐条接受或拒绝" if changes else
                f"当前全文与版本 #{old.id} 相同，文件中没有修订")
        return {"export_file": self._offer(s, path),
                "status": R.render_status(f"已导出带修订的 Word 文件“{path.name}”：{said}。点下方文件名下载。", "ok")}

    def _still_flagged(self, facts: Facts, doc: SummaryDocument) -> str:
        """What export says about the text it wrote: "" when every sentence is accounted for."""
        from assistant.export.assemble import assemble_text

        text = assemble_text(doc)
        report = self.act.services.drafting.check(facts, text)
        if report.ok:
            return ""
        places = sentence_places(text, report)  # the numbering the 核查 and fact-use panels show
        flagged = [(i, e) for i, e in enumerate(report.sentences) if e.flagged]
        if flagged:
            shown = "；".join(f"{sentence_label(places, i)}“{e.text[:20]}”" for i, e in flagged[:3])
            return f" 注意：全文仍有 {len(flagged)} 句被核查标记（{shown}{'等' if len(flagged) > 3 else ''}），已按原样导出。"
        return " 注意：" + "；".join(report.problems()[:2]) + "。"

    def _document(self, s: UiSession, document_text: str, facts: Facts, form: Sequence[str]) -> SummaryDocument:
        """What export writes: the 全文 box as typed when the user edited it, else the sections."""
        from assistant.ui.document_text import document_from_text

        act = self.act
        if is_hand_edited(s, document_text, form):
            s.data.document = document_text
            act.save(s)
            act.recorder.record_full(s, document_text, "hand", facts)
            return document_from_text(document_text, facts)
        return build_document(facts, s.data.sections, s.drafts)

    def _offer(self, s: UiSession, path: Path) -> str:
        """Copy an export where the page serves downloads from (a temp dir, whatever the data dir is)."""
        target = self.act.download_dir / s.sid / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        return str(target)
