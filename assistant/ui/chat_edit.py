"""Chat that acts on the document: a request to change a part becomes a proposal the user applies or discards.

The proposal comes from DraftingService.propose_revision (stream_revise and its delivery gate), so it carries
the same guarantees as any draft; it is shown as the reviewer's diff of export.revisions (deleted words struck
through, new ones underlined). 应用 replaces the part in its section, only if the section is still the text the
proposal was made from, and keeps the result as a version (origin 对话); 放弃 changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from assistant.errors import ModelUnavailable, UserError
from assistant.schema import CheckReport, Role, SectionDraft, SummaryDocument, normalize_role
from assistant.ui import rendering as R
from assistant.ui.chat_text import copy_messages, display_text
from assistant.ui.parts import find_part, splice
from assistant.ui.state import UiSession, facts_from_values, full_text, model_choice
from assistant.ui.updates import Updates

if TYPE_CHECKING:
    from assistant.ui.callbacks import Actions


def section_diff(role: str, before: str, after: str) -> tuple[list[Any], int]:
    """The tracked changes between two texts of one section, and how many places changed."""
    from assistant.export.revisions import compare, count_changes

    def doc(text: str) -> SummaryDocument:
        return SummaryDocument(title="", sections=[SectionDraft(role=role, text=text)])  # type: ignore[arg-type]

    paragraphs = compare(doc(before), doc(after))
    return paragraphs, count_changes(paragraphs)


def check_line(report: CheckReport | None, role: str) -> str:
    """One line on the check of the text a proposal would leave."""
    if report is None:
        return ""
    c = report.counts()
    line = (f"修改后的“{role}”逐句核查：有依据 {c['supported']} 句 · 套语 {c['formula']} 句 · "
            f"无依据 {c['unverified']} 句 · 不合规 {c['violation']} 句。")
    problems = [p for p in report.problems() if not p.startswith("没有用到这些事实")]
    return line + (" " + "；".join(problems[:3]) if problems else "")


class ChatEdits:
    """The proposal side of the chat, over the page's Actions (sessions, versions, services)."""

    def __init__(self, act: Actions) -> None:
        self.act = act

    def propose(self, s: UiSession, request: str, form: Sequence[str], model: Sequence[str], default_role: Role,
                read_note: str) -> Iterator[Updates]:
        act = self.act
        prefix = s.data.chat[-1]["content"]

        def say(text: str, kind: str, status: str = "", **more: Any) -> Updates:
            s.data.chat[-1]["content"] = prefix + text
            act.save(s)
            return {"chat": copy_messages(s.data.chat), "state": s, "status": R.render_status(status or text, kind), **more}

        part, why = find_part(request, s.data.sections, default_role)
        if part is None:
            yield say(why, "warn")
            return
        section_text = s.data.sections.get(part.role, "")
        before = part.text(section_text)
        rest = section_text[:part.start] + section_text[part.end:]
        notices: list[str] = []
        draft = None
        yield {"status": R.render_status(f"正在拟改{part.label}……", "busy"), "proposal": "", "proposal_box": False}
        try:
            facts = facts_from_values(form)
            events = act.services.drafting.propose_revision(facts, part.role, before, request, model_choice(*model),
                                                            rest_text=rest)
            written = 0
            for ev in events:
                if ev.kind == "notice":
                    notices.append(ev.text)
                elif ev.kind == "token":
                    written += len(ev.text)
                    yield {"status": R.render_status(f"正在拟改{part.label}：已写 {written} 字……", "busy")}
                elif ev.kind == "done":
                    draft = ev.draft
                elif ev.kind == "error":
                    if ev.draft is None:
                        raise ModelUnavailable(ev.text)
                    draft = ev.draft
                    notices.append(ev.text)
            if draft is None:
                raise ModelUnavailable("模型没有给出修改稿，请重试或换用模板模式。")
        except UserError as exc:
            act.failed(exc)
            yield say(f"【出错：{exc.message}】", "error")
            return
        after = display_text(draft.text)
        said = "".join(n if n.endswith("。") else n + "。" for n in notices)
        if "".join(after.split()) == "".join(before.split()):
            yield say(f"{part.label}没有改动：{said or '修改稿与原文相同。'}", "warn")
            return
        new_section = splice(section_text, part, after)
        report = act.services.drafting.check(facts, new_section, part.role)
        paragraphs, changes = section_diff(part.role, before, after)
        html = R.render_diff(paragraphs, title=f"修改建议：{part.label}", changes=changes, show_title=False,
                             note=check_line(report, part.role))
        s.data.proposal = {"role": part.role, "start": part.start, "end": part.end, "base": section_text,
                           "before": before, "after": after, "new": new_section, "label": part.label,
                           "request": request, "backend": draft.backend, "html": html}
        size = f"原文 {len(before)} 字，修改稿 {len(after)} 字" + ("（比原文长）" if len(after) > len(before) else "")
        reply = (f"已拟好对{part.label}的修改（{changes} 处，{size}），差异见下方：点“应用”替换原文，点“放弃”保留原文。"
                 + (f"\n{said}" if said else ""))
        yield say(reply, "ok", status=f"已拟好修改（{part.label}，{changes} 处），请在下方确认后点“应用”或“放弃”。",
                  proposal=html, proposal_box=True)

    def apply(self, s: UiSession, role_value: str, draft_text: str, document_text: str, form: list[str]) -> Updates:
        act = self.act
        p = s.data.proposal
        if not p:
            return {"status": R.render_status("没有待应用的修改。", "warn"), "proposal": "", "proposal_box": False}
        role = normalize_role(p.get("role")) or "成绩"
        label = p.get("label", f"“{role}”")
        shown = normalize_role(role_value) or normalize_role(s.data.section) or "成绩"
        current = s.data.sections.get(role, "")
        if shown == role and draft_text is not None and (draft_text or "") != current:
            current = draft_text or ""  # typed in the box and not saved yet: that is the text now
        if current != p.get("base"):
            s.data.proposal = {}
            act.save(s)
            msg = f"{label}在拟改之后又改动过，为免覆盖你的修改，这条建议没有应用：请重新提出修改要求。"
            return {"status": R.render_status(msg, "error"), "proposal": "", "proposal_box": False, "state": s}
        try:
            facts = act.facts(s, form)
        except UserError as exc:
            return act.failed(exc)
        new = p["new"]
        s.set_section_text(role, new)
        report = act.services.drafting.check(facts, new, role)
        if role in s.drafts:
            s.drafts[role].check = report
        document = s.data.document
        if document.strip() and document.count(p["before"]) == 1:  # the user's own full text gets the change too
            s.data.document = document.replace(p["before"], p["after"])
            act.recorder.record_full(s, s.data.document, "chat", facts, backend=p.get("backend", ""),
                             note=f"对话：{p.get('request', '')[:60]}")
        s.data.proposal = {}
        act.recorder.record(s, role, new, "chat", backend=p.get("backend", ""), report=report,
                    note=f"对话：{p.get('request', '')[:60]}", facts=facts)
        s.data.chat.append({"role": "assistant", "content": f"（已应用对{label}的修改，可在“版本”页比较或恢复。）"})
        act.save(s)
        msg = f"已应用对{label}的修改。" + ("" if report.ok else f"核查发现 {len(report.problems())} 类问题，请查看。")
        if document.strip() and s.data.document == document:
            msg += " 全文已手动修改，未自动更新；可点“按各部分重新拼合”。"
        out: Updates = {"chat": copy_messages(s.data.chat), "proposal": "", "proposal_box": False, "state": s,
                        "document": full_text(s, facts), "status": R.render_status(msg, "ok")}
        if shown == role:
            out["draft"] = new
            out["check"] = act.check_panel(s, facts, role, new, report)
        return out

    def discard(self, s: UiSession) -> Updates:
        p = s.data.proposal
        s.data.proposal = {}
        if p:
            s.data.chat.append({"role": "assistant", "content": f"（已放弃对{p.get('label', '')}的修改，原文未变。）"})
        self.act.save(s)
        msg = f"已放弃修改，{p.get('label', '原文')}保持原样。" if p else "没有待处理的修改。"
        return {"chat": copy_messages(s.data.chat), "proposal": "", "proposal_box": False, "state": s,
                "status": R.render_status(msg, "ok" if p else "warn")}
