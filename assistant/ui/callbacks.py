"""What the page's session and drafting buttons do: call a service, turn its answer into page updates.

`Actions` is the core every handler module builds on: it holds the services, the session store, the version
recorder and the panels, and handles the session (load, form, model panel), the drafts (outline, section, whole
summary, revision, check, edits) and the fact-use panel. Chat (chat.py), export (exporting.py), the 版本 tab
(versions.py) and the 范文库 tab (knowledge_panel.py) are handler classes over it. Every handler takes the
session's UiSession plus the inputs it needs and returns (or yields) a dict of updates keyed by component name;
layout.py maps names to components. A UserError becomes a status line and a warning toast; the user's facts and
drafts are never dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.errors import UserError
from assistant.schema import ROLES, CheckReport, Facts, Role, SectionDraft, normalize_role, require_role
from assistant.services import Services
from assistant.services.drafting import DraftEvent
from assistant.services.sessions import FORM_FIELDS, SessionStore
from assistant.services.versions import WHOLE, VersionStore, origin_of
from assistant.ui import rendering as R
from assistant.ui.interview import offer as offer_interview
from assistant.ui.notices import model_unusable, say_notices, with_notice
from assistant.ui.panels import Panels
from assistant.ui.recording import Recorder
from assistant.ui.state import (
    BACKEND_NAMES,
    SAMPLE_FORM,
    UiSession,
    facts_from_values,
    form_from_facts,
    full_text,
    is_hand_edited,
    model_choice,
)
from assistant.ui.streaming import Outcome, consume
from assistant.ui.updates import Updates, split_rest, warn

log = logging.getLogger(__name__)


class Actions:
    """The page's core handlers, bound to one Services graph; all user data lives in the UiSession passed in."""

    def __init__(self, services: Services, store: SessionStore, download_dir: Path,
                 versions: VersionStore | None = None) -> None:
        self.services = services
        self.store = store
        self.download_dir = download_dir
        self.versions = versions or VersionStore(store.versions_dir)
        self.recorder = Recorder(services.drafting, self.versions)
        self.panels = Panels(services.knowledge)

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
        unusable = model_unusable(self.services.settings, str(updates["backend"]))
        if unusable:  # the 模型 tab says it before the first draft, not only after 检查模型
            updates["model_status"] = R.render_status(unusable, "warn")
        try:
            facts = facts_from_values(s.form_values())
            updates["document"] = full_text(s, facts)
            if text.strip():
                report = self.services.drafting.check(facts, text, role)
                updates["check"] = self.check_panel(s, facts, role, text, report)
        except UserError:
            updates["document"] = data.document
        return updates

    def save_form(self, s: UiSession | None, *form: str) -> Updates:
        if s is not None:
            s.set_form(form)
            self.save(s)
        return {}

    def save_model(self, s: UiSession | None, backend: str, base_url: str, model: str) -> Updates:
        """Remember the backend, URL and model name (never the key) for the next visit."""
        if s is not None:
            s.data.model = {"backend": backend or "", "base_url": base_url or "", "model": model or ""}
            self.save(s)
        return {}

    def fill_sample(self, s: UiSession | None) -> Updates:
        if s is not None:
            s.set_form([SAMPLE_FORM[k] for k in FORM_FIELDS])
            self.save(s)
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
            self.save(s)
        n = len(facts.achievements) + len(facts.problems) + len(facts.plans)
        return {**form,
                "status": R.render_status(f"已从文件“{Path(path).name}”读入事实（{n} 条）。", "ok")}

    # --- drafting -----------------------------------------------------------------------------------
    def outline(self, s: UiSession, *rest: Any) -> Iterator[Updates]:
        form, model = split_rest(rest)
        try:
            facts = self.facts(s, form)
            notice = yield from say_notices(self.services, s, model)
            events = self.services.drafting.stream_outline(facts, model_choice(*model))
            draft, error = yield from self._consume(events, "outline", "提纲")
        except UserError as exc:
            yield self.failed(exc)
            return
        if draft is None:
            yield self.failed(UserError(error or "提纲没有生成，请重试。"))
            return
        s.data.outline = draft.text
        s.outline_sources = list(draft.sources)
        self.save(s)
        yield {"outline": draft.text, "state": s,
               "check": self.panels.check_html(draft.text, draft.check, "核查结果：提纲"),
               **with_notice(s, notice, "提纲已生成（可直接修改）。起草“成绩”时会按提纲分组。")}

    def section(self, s: UiSession, role_value: str, outline_text: str, *rest: Any) -> Iterator[Updates]:
        form, model = split_rest(rest)
        try:
            role = require_role(role_value)
            facts = self.facts(s, form)
            s.data.outline = outline_text or ""
            yield {"draft": "", "status": R.render_status(f"正在起草“{role}”……", "busy")}
            notice = yield from say_notices(self.services, s, model)
            events = self.services.drafting.stream_section(facts, role, model_choice(*model), outline_text or "")
            draft, error = yield from self._consume(events, "draft", role)
        except UserError as exc:
            yield self.failed(exc, keep_draft=s.data.sections.get(s.data.section, ""))
            return
        yield self._finish(s, role, draft, facts, error, notice=notice)

    def draft_all(self, s: UiSession, role_value: str, outline_text: str, *rest: Any) -> Iterator[Updates]:
        """Every section in house order; ends on the 全文 tab. The radio stays where the user put it: only the
        section it shows streams into the draft box, the others show their progress in the status line."""
        form, model = split_rest(rest)
        shown = normalize_role(role_value) or normalize_role(s.data.section) or "成绩"
        try:
            facts = self.facts(s, form)
        except UserError as exc:
            yield self.failed(exc)
            return
        s.data.outline = outline_text or ""
        s.data.section = shown
        choice = model_choice(*model)
        try:
            notice = yield from say_notices(self.services, s, model)
        except UserError as exc:
            yield self.failed(exc)
            return
        asked = offer_interview(self.services, s, list(form))  # thin facts: the chat asks while the draft is written
        if asked:
            self.save(s)
            yield asked
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
                yield self.failed(exc, keep_draft=s.data.sections.get(shown, ""),
                                   prefix=f"起草到“{role}”时停止（已完成：{'、'.join(done) or '无'}）：")
                return
            final = self._finish(s, role, draft, facts, error, shown=shown, note="起草全文", whole=False)
            if error:
                yield final
                return
            done.append(role)
            backend = draft.backend if draft is not None else backend
            yield {k: v for k, v in final.items() if k != "status"}
        self.recorder.record_whole(s, facts, origin_of(backend), backend=backend, note="起草全文")
        problems = sum(1 for r in ROLES if (d := s.drafts.get(r)) and d.check and not d.check.ok)
        note = f"，其中 {problems} 部分核查有提示，可在“起草”页逐节查看" if problems else "，全部通过核查"
        if asked:  # the questions wait on the 对话 tab: say so where the user looks
            note += f"；“对话”页有 {len(s.data.interview)} 个补充提问，回答后再起草，总结会写得更充实"
        last: dict[str, str] = {}
        if (d := s.drafts.get(shown)) is not None:  # told again now that every part is in the whole summary
            last["check"] = self.check_panel(s, facts, shown, d.text, d.check, d.attempts)
        yield {**last, "tabs": "doc", "document": full_text(s, facts),
               **with_notice(s, notice, f"全文已起草（{len(done)} 部分）{note}。")}

    def revise(self, s: UiSession, role_value: str, draft_text: str, instruction: str, *rest: Any
               ) -> Iterator[Updates]:
        form, model = split_rest(rest)
        original = draft_text or ""
        try:
            role = require_role(role_value)
            facts = self.facts(s, form)
            s.set_section_text(role, original)
            notice = yield from say_notices(self.services, s, model)
            events = self.services.drafting.stream_revise(facts, role, original, instruction or "",
                                                          model_choice(*model))
            draft, error = yield from self._consume(events, "draft", role)
        except UserError as exc:
            yield self.failed(exc, keep_draft=original)
            return
        if draft is not None and role in s.drafts and not draft.sources:
            draft.sources = list(s.drafts[role].sources)  # a revision keeps the evidence of the draft
        yield self._finish(s, role, draft, facts, error, verb="已按要求修改",
                           note=f"修改：{(instruction or '').strip()[:60]}", notice=notice)

    def check(self, s: UiSession, role_value: str, draft_text: str, *form: str) -> Updates:
        """Re-check the (possibly hand-edited) draft in the box."""
        try:
            role = require_role(role_value)
            facts = self.facts(s, list(form))
            text = draft_text or ""
            if not text.strip():
                raise UserError("草稿是空的：请先起草或写下这一部分。")
            s.set_section_text(role, text)
            report = self.services.drafting.check(facts, text, role)
        except UserError as exc:
            return self.failed(exc)
        if role in s.drafts:
            s.drafts[role].check = report
        self.save(s)
        self.recorder.record(s, role, text, "hand", report=report, facts=facts)
        kind = "ok" if report.ok else "warn"
        msg = f"“{role}”通过核查。" if report.ok else f"“{role}”核查发现 {len(report.problems())} 类问题，已在草稿中标出。"
        return {"check": self.check_panel(s, facts, role, text, report),
                "status": R.render_status(msg, kind), "document": full_text(s, facts), "state": s}

    def stopped(self, s: UiSession | None, role_value: str, text: str) -> Updates:
        """After 停止: keep what was generated so far; an empty box gets the section's last text back."""
        if s is None:
            return {}
        role = normalize_role(role_value) or "成绩"
        if text:
            s.set_section_text(role, text)
            self.save(s)
            draft = s.drafts.get(role)
            backend = draft.backend if draft is not None else ""
            self.recorder.record(s, role, text, origin_of(backend), backend=backend, note="停止时已生成的部分")
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
        self.save(s)
        text = s.data.sections.get(role, "")
        draft = s.drafts.get(role)
        status = f"当前部分：“{role}”。" + ("可修改后点“核查”，或点“起草本节”重新起草。" if text.strip()
                                          else "还没有草稿，点“起草本节”起草。")
        return {"draft": text, "state": s, "status": R.render_status(status),
                "check": self.check_panel(s, None, role, text, draft.check if draft else None),
                "sources": self.panels.sources_html(draft.sources if draft else [], f"“{role}”参考的范文段落")}

    def edit_draft(self, s: UiSession | None, role_value: str, text: str, *form: str) -> Updates:
        if s is None:
            return {}
        role = normalize_role(role_value) or "成绩"
        s.set_section_text(role, text or "")
        self.save(s)
        try:
            facts = facts_from_values(form)
        except UserError:
            return {"document": s.data.document}
        self.recorder.record(s, role, text or "", "hand", facts=facts)
        return {"document": full_text(s, facts)}

    def edit_outline(self, s: UiSession | None, text: str) -> Updates:
        if s is not None:
            s.data.outline = text or ""
            self.save(s)
        return {}

    def edit_document(self, s: UiSession | None, text: str, *form: str) -> Updates:
        """Hand edits of the full text are kept as they are and exported as typed."""
        if s is not None:
            edited = is_hand_edited(s, text, form)
            s.data.document = (text or "") if edited else ""
            self.save(s)
            if edited:
                self.recorder.record_text(s, WHOLE, text or "", "hand", form=form)
        return {}

    def reassemble(self, s: UiSession, *form: str) -> Updates:
        s.data.document = ""
        self.save(s)
        text = self.full_text_or_typed(s, form)
        self.recorder.record_text(s, WHOLE, text, "hand", form=form, note="按各部分重新拼合")
        return {"document": text, "status": R.render_status("已按各部分的最新草稿重新拼合全文。", "ok")}

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
            text = document if (document or "").strip() else full_text(s, facts)
            if not text.strip():
                return {"fact_use": R.render_fact_use("", None)}
            report = self.services.drafting.check(facts, text)
        except UserError:
            return {"fact_use": R.render_fact_use("", None)}
        return {"fact_use": R.render_fact_use(text, report)}

    # --- helpers ------------------------------------------------------------------------------------
    def check_panel(self, s: UiSession, facts: Facts | None, role: Role, text: str, report: CheckReport | None,
                    attempts: Sequence[Any] = ()) -> str:
        """The 核查 panel of a section: its sentences numbered within their part, the facts' use told from the
        whole-summary ledger (the same one the fact-use panel and the export status read)."""
        return self.panels.check_html(text, report, f"核查结果：{role}", attempts, role=role,
                                      whole=self.whole_view(s, facts))

    def whole_view(self, s: UiSession, facts: Facts | None = None) -> tuple[str, CheckReport] | None:
        """The full text as the 全文 box holds it and its whole-summary report; None without a usable form."""
        try:
            facts = facts if facts is not None else facts_from_values(s.form_values())
            text = full_text(s, facts)
            return (text, self.services.drafting.check(facts, text)) if text.strip() else None
        except UserError:
            return None

    def facts(self, s: UiSession, form: Sequence[str]) -> Facts:
        """Keep the form as typed (saved), then parse it; a parse error leaves the form untouched."""
        s.set_form(form)
        self.save(s)
        return facts_from_values(form)

    def save(self, s: UiSession) -> None:
        try:
            self.store.save(s.sid, s.data)
        except (OSError, UserError) as exc:  # a full disk must not cost the user the draft on screen
            log.warning("could not save session: %s", exc)

    def _consume(self, events: Iterator[DraftEvent], target: str, role: str, label: str = ""
                 ) -> Generator[Updates, None, Outcome]:
        """Stream DraftEvents into the page (streaming.consume); returns (draft or None, error text)."""
        return (yield from consume(events, target, role, self.panels.sources_html, label))

    def _finish(self, s: UiSession, role: Role, draft: SectionDraft | None, facts: Facts, error: str,
                verb: str = "已起草", *, shown: Role | None = None, note: str = "起草", whole: bool = True,
                notice: str = "") -> Updates:
        """Keep the finished (or partial) draft in the session, as a version too, and show it with its evidence.

        `shown` is the section the page shows when it is not `role` (起草全文): then the radio, the draft box,
        the check and the sources stay on it."""
        if draft is None:
            return self.failed(UserError(error or "没有生成内容，请重试。"))
        s.drafts[role] = draft
        s.data.sections[role] = draft.text
        if shown is None:
            s.data.section = role
        self.save(s)
        self.recorder.record(s, role, draft.text, origin_of(draft.backend), backend=draft.backend, report=draft.check,
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
        out: Updates = {"state": s, **with_notice(s, notice, msg, kind), "document": full_text(s, facts)}
        if shown is None or shown == role:
            out.update({"draft": draft.text,
                        "check": self.check_panel(s, facts, role, draft.text, report, draft.attempts),
                        "sources": self.panels.sources_html(draft.sources, f"“{role}”参考的范文段落")})
        if shown is None:
            out["section"] = role
        return out

    def failed(self, exc: UserError, *, keep_draft: str | None = None, prefix: str = "") -> Updates:
        warn(prefix + exc.message)
        out: Updates = {"status": R.render_status(prefix + exc.message, "error")}
        if keep_draft is not None:
            out["draft"] = keep_draft
        return out

    def full_text_or_typed(self, s: UiSession, form: Sequence[str]) -> str:
        """The 全文 text for the form as typed; the session's own full text when the form does not parse."""
        try:
            return full_text(s, facts_from_values(form))
        except UserError:
            return s.data.document
