"""The 版本 tab and the tracked-changes export picker: list, compare and restore versions (services.versions).

Versions are kept by the Actions as the work happens (drafts, regenerations, revisions, chat changes, hand
edits); this panel only reads them, and a restore writes the old text back as a new version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from assistant.errors import UserError
from assistant.schema import ROLES, normalize_role
from assistant.services.versions import WHOLE, CheckStatus, Version
from assistant.ui import rendering as R
from assistant.ui.state import BACKEND_NAMES, UiSession, facts_from_values, full_text
from assistant.ui.updates import Updates

if TYPE_CHECKING:
    from assistant.ui.callbacks import Actions

VERSION_HEADERS = ["编号", "时间", "来源", "模型", "核查", "字数", "说明"]
TARGET_CHOICES = [WHOLE, *ROLES]
CURRENT = "current"
EMPTY_DIFF = "选两个版本后点“比较”，这里用修订的样子显示差别：删去的文字划掉，新增的文字加下划线。"


def version_row(v: Version) -> list[Any]:
    check = v.check.label() if isinstance(v.check, CheckStatus) else "未核查"
    return [f"#{v.id}", v.time_label, v.origin_label, BACKEND_NAMES.get(v.backend, v.backend or "—"), check,
            len(v.text), v.note or "—"]


def choices(versions: Sequence[Version]) -> list[tuple[str, str]]:
    return [(v.label(), str(v.id)) for v in versions]


def _id(value: Any) -> int | None:
    try:
        return int(str(value or "").lstrip("#"))
    except ValueError:
        return None


class VersionActions:
    """Handlers of the 版本 tab; every write goes through the Actions' version store."""

    def __init__(self, act: Actions) -> None:
        self.act = act

    def view(self, s: UiSession | None, target: str, message: str = "") -> Updates:
        """The versions of `target`, newest first, and the pickers set to (previous, current)."""
        import gradio as gr

        if s is None:
            return {}
        target = target if target in TARGET_CHOICES else WHOLE
        versions = self.act.versions.list(s.sid, target)
        picks = choices(versions)
        older = picks[1][1] if len(picks) > 1 else (picks[0][1] if picks else None)
        out: Updates = {
            "ver_table": [version_row(v) for v in versions],
            "ver_a": gr.update(choices=picks, value=older),
            "ver_b": gr.update(choices=[("当前文本", CURRENT), *picks], value=CURRENT),
            "ver_diff": R.empty_panel(EMPTY_DIFF if versions else
                                      f"“{target}”还没有版本：起草、修改、在对话中应用修改或手动修改后，这里会记下每一稿。"),
        }
        if message:
            out["status"] = R.render_status(message, "ok")
        return out

    def export_choices(self, s: UiSession | None, document_text: str) -> Updates:
        """The full-text versions for the tracked-changes export, the newest one that differs from now first."""
        import gradio as gr

        if s is None:
            return {}
        versions = self.act.versions.list(s.sid, WHOLE)
        now = "".join((document_text or "").split())
        default = next((str(v.id) for v in versions if "".join(v.text.split()) != now), None)
        return {"ver_export_pick": gr.update(choices=choices(versions), value=default)}

    def current_text(self, s: UiSession, target: str, role_value: str, draft_text: str, document_text: str,
                     form: Sequence[str]) -> str:
        if target == WHOLE:
            if (document_text or "").strip():
                return document_text
            return self.act.full_text_or_typed(s, form)
        if normalize_role(role_value) == target and draft_text is not None:
            return draft_text or ""
        return s.data.sections.get(target, "")

    def compare(self, s: UiSession | None, target: str, a: Any, b: Any, role_value: str, draft_text: str,
                document_text: str, *form: str) -> Updates:
        from assistant.ui.chat_edit import section_diff

        if s is None:
            return {}
        target = target if target in TARGET_CHOICES else WHOLE
        try:
            old_id = _id(a)
            old = self.act.versions.get(s.sid, old_id) if old_id else None
            if old is None or old.target != target:
                raise UserError("请先在“较早的版本”中选一个版本。")
            if b == CURRENT or not b:
                new_text, new_name = self.current_text(s, target, role_value, draft_text, document_text, form), "当前文本"
            else:
                new_id = _id(b)
                newer = self.act.versions.get(s.sid, new_id) if new_id else None
                if newer is None or newer.target != target:
                    raise UserError("找不到要比较的另一个版本：请刷新版本列表。")
                new_text, new_name = newer.text, f"#{newer.id}"
            title = f"“{target}”：#{old.id} → {new_name}"
            if target == WHOLE:
                html, changes = self._whole_diff(old.text, new_text, form, title)
            else:
                paragraphs, changes = section_diff(target, old.text, new_text)
                html = R.render_diff(paragraphs, title=title, changes=changes, show_title=False)
        except UserError as exc:
            return self.act.failed(exc)
        msg = f"已比较“{target}”的 #{old.id} 和{new_name}：" + (f"修改 {changes} 处。" if changes else "没有差别。")
        return {"ver_diff": html, "status": R.render_status(msg, "ok")}

    def _whole_diff(self, before: str, after: str, form: Sequence[str], title: str) -> tuple[str, int]:
        from assistant.export.revisions import compare, count_changes
        from assistant.export.text_document import document_from_text
        from assistant.writing.template import document_title

        try:
            default_title = document_title(facts_from_values(form))
        except UserError:
            default_title = "工作总结"
        paragraphs = compare(document_from_text(before, default_title), document_from_text(after, default_title))
        changes = count_changes(paragraphs)
        return R.render_diff(paragraphs, title=title, changes=changes), changes

    def restore(self, s: UiSession | None, target: str, a: Any, role_value: str, *form: str) -> Updates:
        """Write version `a` back as the text of its target, as a new version (the history only grows)."""
        if s is None:
            return {}
        act = self.act
        target = target if target in TARGET_CHOICES else WHOLE
        try:
            old_id = _id(a)
            old = act.versions.get(s.sid, old_id) if old_id else None
            if old is None or old.target != target:
                raise UserError("请先在“较早的版本”中选要恢复的版本。")
            facts = act.facts(s, list(form))
        except UserError as exc:
            return act.failed(exc)
        if target == WHOLE:
            report = act.services.drafting.check(facts, old.text)
            s.data.document = old.text
            act.save(s)
            new = act.versions.restore(s.sid, old.id, CheckStatus.of(report))
            out = self.view(s, target, f"已把全文恢复为 #{old.id} 的内容（记为新版本 #{new.id}）。")
            out.update({"document": old.text, "state": s})
            return out
        role = target
        report = act.services.drafting.check(facts, old.text, role)  # type: ignore[arg-type]
        s.set_section_text(role, old.text)
        if role in s.drafts:
            s.drafts[role].check = report
        act.save(s)
        new = act.versions.restore(s.sid, old.id, CheckStatus.of(report))
        act.recorder.record_whole(s, facts, "restore", note=f"“{role}”：恢复自 #{old.id}")
        message = f"已把“{role}”恢复为 #{old.id} 的内容（记为新版本 #{new.id}）。"
        if s.data.document.strip():
            message += " 全文已手动修改，未自动更新；可点“按各部分重新拼合”。"
        out = self.view(s, target, message)
        out.update({"document": full_text(s, facts), "state": s})
        if normalize_role(role_value) == role:
            out["draft"] = old.text
            out["check"] = act.check_panel(s, facts, role, old.text, report)
        return out
