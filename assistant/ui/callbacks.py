"""What each button does: call a service, turn its answer into page updates.

Every handler takes the session's UiSession plus the inputs it needs and returns (or yields) a dict of
updates keyed by component name; layout.py maps names to components. No retrieval or prompt logic lives
here. A UserError becomes a status line and a warning toast; the user's facts and drafts are never dropped.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.errors import ModelUnavailable, UserError
from assistant.schema import (
    ROLES,
    CheckReport,
    Facts,
    Role,
    SearchHit,
    SectionDraft,
    SummaryDocument,
    normalize_role,
    require_role,
)
from assistant.services import Services
from assistant.services.drafting import DraftEvent
from assistant.services.sessions import FORM_FIELDS, SessionStore
from assistant.services.versions import WHOLE, CheckStatus, VersionStore, origin_of
from assistant.ui import rendering as R
from assistant.ui.state import (
    BACKEND_NAMES,
    SAMPLE_FORM,
    UiSession,
    assemble,
    build_document,
    facts_from_values,
    form_from_facts,
    model_choice,
)

log = logging.getLogger(__name__)

Updates = dict[str, Any]
N_FORM = len(FORM_FIELDS)
EXPORT_LABELS = {"docx": "Word", "md": "Markdown"}


TOAST_TITLE = "提示"  # Gradio titles toasts "Warning" in English unless told


def warn(message: str, title: str = TOAST_TITLE) -> None:
    """A toast in the page, titled in Chinese (a plain warning outside a request, e.g. in unit tests)."""
    import gradio as gr

    gr.Warning(message, title=title)


def split_rest(rest: Sequence[Any]) -> tuple[list[str], tuple[str, str, str, str]]:
    """The trailing inputs every drafting handler gets: the seven form fields, then the model panel."""
    form = [str(v or "") for v in rest[:N_FORM]]
    model = tuple(str(v or "") for v in (list(rest[N_FORM:N_FORM + 4]) + ["", "", "", ""])[:4])
    return form, model  # type: ignore[return-value]


class Actions:
    """The page's handlers, bound to one Services graph; all user data lives in the UiSession passed in."""

    def __init__(self, services: Services, store: SessionStore, download_dir: Path,
                 versions: VersionStore | None = None) -> None:
        self.services = services
        self.store = store
        self.download_dir = download_dir
        self.versions = versions or VersionStore(store.versions_dir)

    # --- session ------------------------------------------------------------------------------------
    def load(self, browser_sid: Any) -> Updates:
        """Restore this browser's session (or start one) and fill the page from it."""
        sid = browser_sid if self.store.is_valid(browser_sid) else self.store.new_id()
        data = self.store.load(sid)
        s = UiSession(sid=sid, data=data)
        role = normalize_role(data.section) or "成绩"
        text = data.sections.get(role, "")
        restored = any(data.form.values()) or any(data.sections.values())
        updates: Updates = {
            "sid": sid, "state": s, **dict(zip(FORM_FIELDS, s.form_values(), strict=True)),
            "backend": data.model.get("backend") or self.services.settings.backend,
            "base_url": data.model.get("base_url") or self.services.settings.openai_base_url,
            "model_name": data.model.get("model") or self.services.settings.openai_model,
            "outline": data.outline, "section": role, "draft": text, "chat": list(data.chat),
            "sources": R.render_sources([]), "check": R.render_check("", None),
            "status": R.render_status("已恢复上次填写的事实和草稿。" if restored else
                                      "第一步：在左侧填写事实（或点“填入示例”），然后点“生成提纲”或“起草全文”。"),
            "proposal": data.proposal.get("html", ""), "proposal_box": bool(data.proposal),
        }
        try:
            facts = facts_from_values(s.form_values())
            updates["document"] = self._document_text(s, facts)
            if text.strip():
                report = self.services.drafting.check(facts, text, role)
                updates["check"] = self._check_html(text, report, f"核查结果：{role}")
        except UserError:
            updates["document"] = data.document
        return updates

    def save_form(self, s: UiSession | None, *form: str) -> Updates:
        if s is not None:
            s.set_form(form)
            self._save(s)
        return {}

    def save_model(self, s: UiSession | None, backend: str, base_url: str, model: str) -> Updates:
        """Remember the backend, URL and model name (never the key) for the next visit."""
        if s is not None:
            s.data.model = {"backend": backend or "", "base_url": base_url or "", "model": model or ""}
            self._save(s)
        return {}

    def fill_sample(self, s: UiSession | None) -> Updates:
        if s is not None:
            s.set_form([SAMPLE_FORM[k] for k in FORM_FIELDS])
            self._save(s)
        return {**SAMPLE_FORM, "status": R.render_status("已填入示例事实，可直接点“起草全文”看看效果。", "ok")}

    def import_facts(self, s: UiSession | None, path: str | None) -> Updates:
        """A facts file (yaml/json/txt) fills the form; a bad file keeps the form as it was."""
        if not path:
            return {}
        from assistant.facts.parse import parse_facts_file

        try:
            facts = parse_facts_file(Path(path))
        except UserError as exc:
            warn(exc.message)
            return {"status": R.render_status(exc.message, "error")}
        form = form_from_facts(facts)
        if s is not None:
            s.set_form([form[k] for k in FORM_FIELDS])
            self._save(s)
        n = len(facts.achievements) + len(facts.problems) + len(facts.plans)
        return {**form,
                "status": R.render_status(f"已从文件“{Path(path).name}”读入事实（{n} 条）。", "ok")}

    # --- drafting -----------------------------------------------------------------------------------
    def outline(self, s: UiSession, *rest: Any) -> Iterator[Updates]:
        form, model = split_rest(rest)
        try:
            facts = self._facts(s, form)
            events = self.services.drafting.stream_outline(facts, model_choice(*model))
            draft, error = yield from self._consume(events, "outline", "提纲")
        except UserError as exc:
            yield self._failed(exc)
            return
        if draft is None:
            yield self._failed(UserError(error or "提纲没有生成，请重试。"))
            return
        s.data.outline = draft.text
        s.outline_sources = list(draft.sources)
        self._save(s)
        yield {"outline": draft.text, "state": s,
               "check": self._check_html(draft.text, draft.check, "核查结果：提纲"),
               "status": R.render_status("提纲已生成（可直接修改）。起草“成绩”时会按提纲分组。", "ok")}

    def section(self, s: UiSession, role_value: str, outline_text: str, *rest: Any) -> Iterator[Updates]:
        form, model = split_rest(rest)
        try:
            role = require_role(role_value)
            facts = self._facts(s, form)
            s.data.outline = outline_text or ""
            yield {"draft": "", "status": R.render_status(f"正在起草“{role}”……", "busy")}
            events = self.services.drafting.stream_section(facts, role, model_choice(*model), outline_text or "")
            draft, error = yield from self._consume(events, "draft", role)
        except UserError as exc:
            yield self._failed(exc, keep_draft=s.data.sections.get(s.data.section, ""))
            return
        yield self._finish(s, role, draft, facts, error)

    def draft_all(self, s: UiSession, role_value: str, outline_text: str, *rest: Any) -> Iterator[Updates]:
        """Every section in house order; ends on the 全文 tab. The radio stays where the user put it: only the
        section it shows streams into the draft box, the others show their progress in the status line."""
        form, model = split_rest(rest)
        shown = normalize_role(role_value) or normalize_role(s.data.section) or "成绩"
        try:
            facts = self._facts(s, form)
        except UserError as exc:
            yield self._failed(exc)
            return
        s.data.outline = outline_text or ""
        s.data.section = shown
        choice = model_choice(*model)
        done: list[str] = []
        backend = ""
        for i, role in enumerate(ROLES, start=1):
            label = f"正在起草全文：第 {i}/{len(ROLES)} 部分“{role}”"
            first: Updates = {"status": R.render_status(label + "……", "busy")}
            if i == 1:
                first["check"] = R.render_check("", None)  # the section in view is about to be redrafted
            if role == shown:
                first["draft"] = ""
            yield first
            try:
                events = self.services.drafting.stream_section(facts, role, choice, outline_text or "")
                draft, error = yield from self._consume(events, "draft" if role == shown else "", role, label)
            except UserError as exc:
                yield self._failed(exc, keep_draft=s.data.sections.get(shown, ""),
                                   prefix=f"起草到“{role}”时停止（已完成：{'、'.join(done) or '无'}）：")
                return
            final = self._finish(s, role, draft, facts, error, shown=shown, note="起草全文", whole=False)
            if error:
                yield final
                return
            done.append(role)
            backend = draft.backend if draft is not None else backend
            yield {k: v for k, v in final.items() if k != "status"}
        self._record_whole(s, facts, origin_of(backend), backend=backend, note="起草全文")
        problems = sum(1 for r in ROLES if (d := s.drafts.get(r)) and d.check and not d.check.ok)
        note = f"，其中 {problems} 部分核查有提示，可在“起草”页逐节查看" if problems else "，全部通过核查"
        yield {"tabs": "doc", "document": self._document_text(s, facts),
               "status": R.render_status(f"全文已起草（{len(done)} 部分）{note}。", "ok")}

    def revise(self, s: UiSession, role_value: str, draft_text: str, instruction: str, *rest: Any
               ) -> Iterator[Updates]:
        form, model = split_rest(rest)
        original = draft_text or ""
        try:
            role = require_role(role_value)
            facts = self._facts(s, form)
            s.set_section_text(role, original)
            events = self.services.drafting.stream_revise(facts, role, original, instruction or "",
                                                          model_choice(*model))
            draft, error = yield from self._consume(events, "draft", role)
        except UserError as exc:
            yield self._failed(exc, keep_draft=original)
            return
        if draft is not None and role in s.drafts and not draft.sources:
            draft.sources = list(s.drafts[role].sources)  # a revision keeps the evidence of the draft
        yield self._finish(s, role, draft, facts, error, verb="已按要求修改",
                           note=f"修改：{(instruction or '').strip()[:60]}")

    def check(self, s: UiSession, role_value: str, draft_text: str, *form: str) -> Updates:
        """Re-check the (possibly hand-edited) draft in the box."""
        try:
            role = require_role(role_value)
            facts = self._facts(s, list(form))
            text = draft_text or ""
            if not text.strip():
                raise UserError("草稿是空的：请先起草或写下这一部分。")
            s.set_section_text(role, text)
            report = self.services.drafting.check(facts, text, role)
        except UserError as exc:
            return self._failed(exc)
        if role in s.drafts:
            s.drafts[role].check = report
        self._save(s)
        self._record(s, role, text, "hand", report=report, facts=facts)
        kind = "ok" if report.ok else "warn"
        msg = f"“{role}”通过核查。" if report.ok else f"“{role}”核查发现 {len(report.problems())} 类问题，已在草稿中标出。"
        return {"check": self._check_html(text, report, f"核查结果：{role}"), "status": R.render_status(msg, kind),
                "document": self._document_text(s, facts), "state": s}

    def stopped(self, s: UiSession | None, role_value: str, text: str) -> Updates:
        """After 停止: keep what was generated so far; an empty box gets the section's last text back."""
        if s is None:
            return {}
        role = normalize_role(role_value) or "成绩"
        if text:
            s.set_section_text(role, text)
            self._save(s)
            draft = s.drafts.get(role)
            backend = draft.backend if draft is not None else ""
            self._record(s, role, text, origin_of(backend), backend=backend, note="停止时已生成的部分")
            return {}
        return {"draft": s.data.sections.get(role, "")}

    def pick_section(self, s: UiSession | None, role_value: str, current_text: str) -> Updates:
        """Switch the draft box to another section, keeping what was typed in the one left."""
        if s is None:
            return {}
        role = normalize_role(role_value) or "成绩"
        previous = normalize_role(s.data.section)
        if previous and previous != role and (current_text or previous in s.data.sections):
            s.set_section_text(previous, current_text or "")
        s.data.section = role
        self._save(s)
        text = s.data.sections.get(role, "")
        draft = s.drafts.get(role)
        status = f"当前部分：“{role}”。" + ("可修改后点“核查”，或点“起草本节”重新起草。" if text.strip()
                                          else "还没有草稿，点“起草本节”起草。")
        return {"draft": text, "state": s, "status": R.render_status(status),
                "check": self._check_html(text, draft.check if draft else None, f"核查结果：{role}"),
                "sources": self._sources_html(draft.sources if draft else [], f"“{role}”参考的范文段落")}

    def edit_draft(self, s: UiSession | None, role_value: str, text: str, *form: str) -> Updates:
        if s is None:
            return {}
        role = normalize_role(role_value) or "成绩"
        s.set_section_text(role, text or "")
        self._save(s)
        try:
            facts = facts_from_values(form)
        except UserError:
            return {"document": s.data.document}
        self._record(s, role, text or "", "hand", facts=facts)
        return {"document": self._document_text(s, facts)}

    def edit_outline(self, s: UiSession | None, text: str) -> Updates:
        if s is not None:
            s.data.outline = text or ""
            self._save(s)
        return {}

    def edit_document(self, s: UiSession | None, text: str, *form: str) -> Updates:
        """Hand edits of the full text are kept as they are and exported as typed."""
        if s is not None:
            edited = self._is_hand_edited(s, text, form)
            s.data.document = (text or "") if edited else ""
            self._save(s)
            if edited:
                self._record_text(s, WHOLE, text or "", "hand", form=form)
        return {}

    def reassemble(self, s: UiSession, *form: str) -> Updates:
        s.data.document = ""
        self._save(s)
        text = self._document_text_safe(s, form)
        self._record_text(s, WHOLE, text, "hand", form=form, note="按各部分重新拼合")
        return {"document": text, "status": R.render_status("已按各部分的最新草稿重新拼合全文。", "ok")}

    # --- export -------------------------------------------------------------------------------------
    def export(self, s: UiSession, fmt: str, document_text: str, *form: str) -> Updates:
        label = EXPORT_LABELS.get(fmt, fmt)
        try:
            facts = self._facts(s, list(form))
            doc = self._export_document(s, document_text, facts, form)
            path = self.services.exporter.export(doc, fmt, folder=s.sid)  # type: ignore[arg-type]
        except UserError as exc:
            return self._failed(exc)
        flagged = self._still_flagged(facts, doc)
        message = f"已导出 {label} 文件“{path.name}”，点下方文件名下载。" + flagged
        return {"export_file": self._offer(s, path), "status": R.render_status(message, "warn" if flagged else "ok")}

    def _still_flagged(self, facts: Facts, doc: SummaryDocument) -> str:
        """What export says about the text it wrote: "" when every sentence is accounted for."""
        from assistant.export.assemble import assemble_text

        report = self.services.drafting.check(facts, assemble_text(doc))
        if report.ok:
            return ""
        flagged = report.flagged
        if flagged:
            shown = "；".join(f"“{e.text[:20]}”" for e in flagged[:3])
            return f" 注意：全文仍有 {len(flagged)} 句被核查标记（{shown}{'等' if len(flagged) > 3 else ''}），已按原样导出。"
        return " 注意：" + "；".join(report.problems()[:2]) + "。"

    def export_tracked(self, s: UiSession, version_value: Any, document_text: str, *form: str) -> Updates:
        """The current full text as Word with tracked changes against an earlier version of the full text."""
        from assistant.export.text_document import document_from_text as parse_text
        from assistant.writing.template import document_title

        try:
            version_id = int(str(version_value or "").strip() or 0)
        except ValueError:
            version_id = 0
        try:
            if not version_id:
                raise UserError("请先在“与此版本比较导出 Word（修订模式）”中选一个较早的版本。")
            old = self.versions.get(s.sid, version_id)
            if old is None or old.target != WHOLE:
                raise UserError(f"找不到全文的版本 #{version_id}：请刷新版本列表后重选。")
            facts = self._facts(s, list(form))
            doc = self._export_document(s, document_text, facts, form)
            before = parse_text(old.text, document_title(facts))
            changes = self.services.exporter.count_changes(doc, before)
            path = self.services.exporter.export(doc, "docx", folder=s.sid, compare_to=before)
        except UserError as exc:
            return self._failed(exc)
        said = (f"与版本 #{old.id}（{old.time_label}，{old.origin_label}）相比修改了 {changes} 处，"
                "在 Word 或 WPS 的“审阅”中可逐条接受或拒绝" if changes else
                f"当前全文与版本 #{old.id} 相同，文件中没有修订")
        return {"export_file": self._offer(s, path),
                "status": R.render_status(f"已导出带修订的 Word 文件“{path.name}”：{said}。点下方文件名下载。", "ok")}

    def _export_document(self, s: UiSession, document_text: str, facts: Facts, form: Sequence[str]
                         ) -> SummaryDocument:
        """What export writes: the 全文 box as typed when the user edited it, else the sections."""
        from assistant.ui.document_text import document_from_text

        if self._is_hand_edited(s, document_text, form):
            s.data.document = document_text
            self._save(s)
            self._record_full(s, document_text, "hand", facts)
            return document_from_text(document_text, facts)
        return build_document(facts, s.data.sections, s.drafts)

    def _offer(self, s: UiSession, path: Path) -> str:
        """Copy an export where the page serves downloads from (a temp dir, whatever the data dir is)."""
        target = self.download_dir / s.sid / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        return str(target)

    # --- chat ---------------------------------------------------------------------------------------
    def chat(self, s: UiSession, message: str, document_text: str, *rest: Any) -> Iterator[Updates]:
        """A chat message: facts in it fill the form; a request to change the text ("把第二部分写得更简洁")
        becomes a proposed revision shown as a diff with 应用 / 放弃; anything else gets a gated reply."""
        from assistant.ui.chat_edit import ChatEdits
        from assistant.ui.parts import is_edit_request, request_of

        form, model = split_rest(rest)
        message = (message or "").strip()
        if not message:
            yield self._failed(UserError("消息为空：请写下你的要求。"))
            return
        form, read_note = _facts_from_message(message, form)  # facts in the message fill the form, to be checked
        s.set_form(form)
        pairs = _pairs(s.data.chat)
        s.data.chat += [{"role": "user", "content": message},
                        {"role": "assistant", "content": f"（{read_note}）\n\n" if read_note else ""}]
        filled = dict(zip(FORM_FIELDS, form, strict=True)) if read_note else {}
        yield {"chat": _copy(s.data.chat), "chat_input": "", **filled,
               "status": R.render_status(read_note or "正在回复……", "busy")}
        request = request_of(message)
        if is_edit_request(request) and any(t.strip() for t in s.data.sections.values()):
            role = normalize_role(s.data.section) or "成绩"  # the section in view (kept by pick_section)
            yield from ChatEdits(self).propose(s, request, form, model, role, read_note)
            return
        prefix = s.data.chat[-1]["content"]
        try:
            facts = facts_from_values(form)
            choice = model_choice(*model)
            history = chat_history(pairs)
            earlier = {_norm(_reply_body(a)) for _, a in pairs} - {""}
            body = ""
            for piece in self.services.drafting.stream_chat(facts, message, history, document_text or "", choice):
                body += piece
                shown = display_text(body)
                if any(e.startswith(_norm(shown)) for e in earlier):
                    continue  # it may be a copy of an earlier answer: shown only once it says something new
                s.data.chat[-1]["content"] = prefix + shown
                yield {"chat": _copy(s.data.chat)}
            if history and _norm(_reply_body(display_text(body))) in earlier:
                log.info("chat reply repeated an earlier answer; asking again without the history")
                body = "".join(self.services.drafting.stream_chat(facts, message, [], document_text or "", choice))
            s.data.chat[-1]["content"] = prefix + display_text(body)
        except UserError as exc:
            reply = s.data.chat[-1]["content"]
            s.data.chat[-1]["content"] = (reply + "\n\n" if reply else "") + f"【出错：{exc.message}】"
            self._save(s)
            yield {**self._failed(exc), "chat": _copy(s.data.chat)}
            return
        self._save(s)
        yield {"chat": _copy(s.data.chat), "state": s, "status": R.render_status(f"已回复。{read_note}", "ok")}

    def apply_proposal(self, s: UiSession | None, role_value: str, draft_text: str, document_text: str,
                       *form: str) -> Updates:
        from assistant.ui.chat_edit import ChatEdits

        if s is None:
            return {}
        return ChatEdits(self).apply(s, role_value, draft_text, document_text, list(form))

    def discard_proposal(self, s: UiSession | None) -> Updates:
        from assistant.ui.chat_edit import ChatEdits

        if s is None:
            return {}
        return ChatEdits(self).discard(s)

    def clear_chat(self, s: UiSession | None) -> Updates:
        if s is not None:
            s.data.chat = []
            self._save(s)
        return {"chat": []}

    # --- model --------------------------------------------------------------------------------------
    def test_model(self, backend: str, base_url: str, model: str, api_key: str) -> Updates:
        """Contact the chosen model for real (model list, or load the GGUF) and say what came back; the key is
        sent, never shown."""
        from assistant.ui.model_check import check_model

        report = check_model(self.services.settings, model_choice(backend, base_url, model, api_key))
        if report.kind == "error":
            warn(report.message)
        return {"model_status": R.render_status(report.message, report.kind)}

    def fact_use(self, s: UiSession, document: str, *form: str) -> Updates:
        """The form's fact-use panel: the whole-summary ledger of the 全文 box (or of the parts drafted so far)
        says where each fact is stated. Read-only: nothing is saved, a half-typed form only blanks the panel."""
        try:
            facts = facts_from_values(list(form))
            text = document if (document or "").strip() else self._document_text(s, facts)
            if not text.strip():
                return {"fact_use": R.render_fact_use("", None)}
            report = self.services.drafting.check(facts, text)
        except UserError:
            return {"fact_use": R.render_fact_use("", None)}
        return {"fact_use": R.render_fact_use(text, report)}

    # --- helpers ------------------------------------------------------------------------------------
    def _facts(self, s: UiSession, form: Sequence[str]) -> Facts:
        """Keep the form as typed (saved), then parse it; a parse error leaves the form untouched."""
        s.set_form(form)
        self._save(s)
        return facts_from_values(form)

    def _save(self, s: UiSession) -> None:
        try:
            self.store.save(s.sid, s.data)
        except (OSError, UserError) as exc:  # a full disk must not cost the user the draft on screen
            log.warning("could not save session: %s", exc)

    def _consume(self, events: Iterator[DraftEvent], target: str, role: str, label: str = ""
                 ) -> Iterator[Updates]:
        """Stream DraftEvents into the page; the generator's return value is (draft or None, error text).

        Token events carry only gated text, so what appears in the box stays; progress shows part i of n
        with the time still expected (after `label`, e.g. "第 2/5 部分"); the check panel is cleared while a
        new draft streams. `target` "" streams into no box (a section the page does not show).
        """
        text = ""
        label = label or f"正在起草“{role}”"
        if target:
            yield {"check": R.render_check("", None)}
        for ev in events:
            if ev.kind == "notice":
                yield {"status": R.render_status(ev.text, "warn")}
            elif ev.kind == "sources":
                if target:
                    yield {"sources": self._sources_html(ev.sources, f"“{role}”参考的范文段落")}
            elif ev.kind == "progress" and ev.progress is not None and ev.progress.total:
                yield {"status": R.render_status(f"{label}：{ev.text}……", "busy")}
            elif ev.kind == "token":
                text += ev.text
                if target:
                    yield {target: text}
            elif ev.kind == "done":
                return ev.draft, ""
            elif ev.kind == "error":
                if ev.draft is None:
                    raise ModelUnavailable(ev.text)
                return ev.draft, ev.text
        if text:
            raise ModelUnavailable("生成没有正常结束，请重试。")
        raise ModelUnavailable("模型没有返回内容，请重试或换用模板模式。")

    def _finish(self, s: UiSession, role: Role, draft: SectionDraft | None, facts: Facts, error: str,
                verb: str = "已起草", *, shown: Role | None = None, note: str = "起草", whole: bool = True
                ) -> Updates:
        """Keep the finished (or partial) draft in the session, as a version too, and show it with its evidence.

        `shown` is the section the page shows when it is not `role` (起草全文): then the radio, the draft box,
        the check and the sources stay on it."""
        if draft is None:
            return self._failed(UserError(error or "没有生成内容，请重试。"))
        s.drafts[role] = draft
        s.data.sections[role] = draft.text
        if shown is None:
            s.data.section = role
        self._save(s)
        self._record(s, role, draft.text, origin_of(draft.backend), backend=draft.backend, report=draft.check,
                     note=note + ("（中断）" if error else ""), facts=facts if whole else None)
        report = draft.check
        backend = BACKEND_NAMES.get(draft.backend, draft.backend)
        slots = len(R.slot_spans(draft.text))
        if error:
            kind, msg = "error", f"“{role}”生成中断：{error} 已保留生成的部分（末尾已标注）。"
            warn(msg)
        elif report is not None and not report.ok:
            kind, msg = "warn", f"“{role}”{verb}（{backend}），核查发现 {len(report.problems())} 类问题，已在右侧标出。"
        else:
            kind, msg = "ok", f"“{role}”{verb}（{backend}），逐句核查通过。"
        if draft.sentences and draft.backend not in ("template", ""):
            msg += f" 模型写了其中 {draft.model_sentences}/{draft.sentences} 句"
            msg += f"，{len(draft.rejected)} 处模型原稿未采用（见核查面板）。" if draft.rejected else "。"
        if slots:
            msg += f" 有 {slots} 处【待补充】需要填写。"
        if s.data.document.strip():
            msg += " 全文已手动修改，未自动更新；可点“按各部分重新拼合”。"
        out: Updates = {"state": s, "status": R.render_status(msg, kind), "document": self._document_text(s, facts)}
        if shown is None or shown == role:
            out.update({"draft": draft.text,
                        "check": self._check_html(draft.text, report, f"核查结果：{role}", draft.attempts),
                        "sources": self._sources_html(draft.sources, f"“{role}”参考的范文段落")})
        if shown is None:
            out["section"] = role
        return out

    # --- versions -----------------------------------------------------------------------------------
    def _record(self, s: UiSession, role: Role, text: str, origin: str, *, backend: str = "",
                report: CheckReport | None = None, note: str = "", facts: Facts | None = None) -> None:
        """Keep a section's text as a version, and (given the facts) the full text it now assembles to.
        A hand edit is checked here so its version carries a check status too. Never fails the action."""
        try:
            if report is None and facts is not None and text.strip():
                report = self.services.drafting.check(facts, text, role)
            added = self.versions.add(s.sid, role, text, origin, backend=backend, check=CheckStatus.of(report),
                                      note=note)
            if added is not None and facts is not None and not s.data.document.strip():
                self._record_whole(s, facts, origin, backend=backend, note=f"“{role}”：{note}")
        except (OSError, UserError) as exc:
            log.warning("could not keep a version: %s", exc)

    def _record_whole(self, s: UiSession, facts: Facts, origin: str, *, backend: str = "", note: str = "") -> None:
        """The full text as the sections assemble it (when the user has not edited it by hand), as a version."""
        if s.data.document.strip():
            return
        self._record_full(s, self._document_text(s, facts), origin, facts, backend=backend, note=note)

    def _record_text(self, s: UiSession, target: str, text: str, origin: str, *, form: Sequence[str],
                     note: str = "") -> None:
        try:
            facts = facts_from_values(form)
        except UserError:
            return
        if target == WHOLE:
            self._record_full(s, text, origin, facts, note=note)
        else:
            self._record(s, target, text, origin, note=note, facts=facts)  # type: ignore[arg-type]

    def _record_full(self, s: UiSession, text: str, origin: str, facts: Facts, *, backend: str = "",
                     note: str = "") -> None:
        try:
            if not text.strip():
                return
            latest = self.versions.latest(s.sid, WHOLE)
            if latest is not None and latest.text.strip() == text.strip():
                return
            report = self.services.drafting.check(facts, text)
            self.versions.add(s.sid, WHOLE, text, origin, backend=backend, check=CheckStatus.of(report), note=note)
        except (OSError, UserError) as exc:
            log.warning("could not keep a version of the full text: %s", exc)

    def _failed(self, exc: UserError, *, keep_draft: str | None = None, prefix: str = "") -> Updates:
        warn(prefix + exc.message)
        out: Updates = {"status": R.render_status(prefix + exc.message, "error")}
        if keep_draft is not None:
            out["draft"] = keep_draft
        return out

    def _document_text(self, s: UiSession, facts: Facts) -> str:
        if s.data.document.strip():
            return s.data.document
        return assemble(build_document(facts, s.data.sections, s.drafts))

    def _is_hand_edited(self, s: UiSession, text: str | None, form: Sequence[str]) -> bool:
        """True when the 全文 box differs from what the sections assemble to (the user typed in it)."""
        text = (text or "").strip()
        if not text:
            return False
        try:
            assembled = assemble(build_document(facts_from_values(form), s.data.sections, s.drafts))
        except UserError:
            return True
        return text != assembled.strip()

    def _document_text_safe(self, s: UiSession, form: Sequence[str]) -> str:
        try:
            return self._document_text(s, facts_from_values(form))
        except UserError:
            return s.data.document

    def _check_html(self, text: str, report: CheckReport | None, title: str, attempts: Sequence[Any] = ()) -> str:
        if report is None or not text.strip():
            return R.render_check(text, None)
        if report.sentences:
            return R.render_ledger(text, report, attempts, title=title, style=self._style(text))
        from assistant.check.guard import highlight_spans

        return R.render_check(text, report, list(highlight_spans(text, report)), title=title)

    def _style(self, text: str) -> list[str]:
        """Concrete remarks on how the text differs from the house examples (beside the fact check)."""
        from assistant.check.style import style_report

        try:
            return style_report(text, self.services.knowledge.example_texts()).messages()
        except UserError:
            return []

    def _sources_html(self, hits: Sequence[SearchHit], title: str) -> str:
        titles: dict[str, str] = {}
        if hits:
            try:
                titles = {str(d["doc"]): str(d.get("title", "")) for d in self.services.knowledge.documents()}
            except UserError:
                titles = {}
        return R.render_sources(list(hits), titles, title=title)


def _facts_from_message(message: str, form: list[str]) -> tuple[list[str], str]:
    """The form with the facts a chat message states merged in, and a note saying what was read ("" if none).

    Empty fields are filled and new items appended as lines; nothing the user typed is replaced or repeated."""
    from assistant.facts.intake import describe, fact_key, read_message
    from assistant.facts.parse import parse_free_text, split_items
    from assistant.text.numbers import parse_year

    read = read_message(message)
    if read.is_empty():
        return form, ""
    values = dict(zip(FORM_FIELDS, form, strict=True))
    before = dict(values)
    kept = []
    for name, label in (("unit", "单位"), ("year", "年度"), ("title", "标题")):
        new, old = getattr(read, name), values[name].strip()
        if new and not old:
            values[name] = new
        elif new and old != new and parse_year(old) != new:
            kept.append(f"{label}保留表单中的“{old}”")
    extra = parse_free_text(values["free_text"])
    seen = {fact_key(i) for f in ("achievements", "problems", "plans") for i in split_items(values[f])}
    seen |= {fact_key(i) for i in (*extra.achievements, *extra.problems, *extra.plans, *extra.notes)}
    for attr, name in (("achievements", "achievements"), ("problems", "problems"), ("plans", "plans"),
                       ("notes", "free_text")):
        new_items = [i for i in getattr(read, attr) if fact_key(i) not in seen]
        seen |= {fact_key(i) for i in new_items}
        if new_items:
            values[name] = "\n".join(filter(None, [values[name].rstrip(), *new_items]))
    done = "已填入左侧表单，请核对" if values != before else "左侧表单中已有，未重复填入"
    note = f"已从消息中读到：{describe(read)}，{done}"
    note += f"（{'；'.join(kept)}）。" if kept else "。"
    return [values[k] for k in FORM_FIELDS], note


_NOTE_LINE = re.compile(r"^（[^\n]*）$")
_CHECK_TAIL = re.compile(r"\n*（核查：[^\n]*）\s*$")
_LEAD_NOTES = re.compile(r"^(?:（[^\n]*）\n\n)+")
MAX_HISTORY_PAIRS = 4


def _reply_body(answer: str) -> str:
    """An answer without the page's own notes (what was read, check notes, 已应用 notes)."""
    answer = _LEAD_NOTES.sub("", answer or "")
    answer = _CHECK_TAIL.sub("", answer)
    return "" if _NOTE_LINE.match(answer.strip()) else answer.strip()


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def chat_history(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """What a model is shown of the conversation: the page's notes taken out, failed and empty answers dropped,
    and an answer given more than once only at its last turn (a small model copies a repeated answer verbatim:
    the issue 13 refusal that came back word for word)."""
    cleaned = [(u, _reply_body(a)) for u, a in pairs]
    cleaned = [(u, a) for u, a in cleaned if a and not a.startswith("【出错")]
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for user, answer in reversed(cleaned):
        if _norm(answer) in seen:
            continue
        seen.add(_norm(answer))
        out.append((user, answer))
    return list(reversed(out))[-MAX_HISTORY_PAIRS:]


_DELIMITER_LINE = re.compile(r"^[ \t]*(?:<<<[^\n]{0,12}|[^\n]{0,12}>>>)[ \t]*$\n?", re.M)


def display_text(text: str) -> str:
    """A chat answer or proposal as the page shows it: no Markdown marks (the gate's cleaning) and none of the
    prompt's <<<草稿 … 草稿>>> delimiter lines a small model copies back."""
    from assistant.writing.postprocess import clean_model_text

    return clean_model_text(_DELIMITER_LINE.sub("", text)) if text.strip() else ""


def _pairs(messages: Sequence[dict[str, str]]) -> list[tuple[str, str]]:
    """Chat messages → (user, assistant) pairs for the service."""
    pairs: list[tuple[str, str]] = []
    pending: str | None = None
    for m in messages:
        if m.get("role") == "user":
            pending = m.get("content", "")
        elif m.get("role") == "assistant" and pending is not None:
            pairs.append((pending, m.get("content", "")))
            pending = None
    return pairs


def _copy(messages: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    return [dict(m) for m in messages]
