"""HTML for the page's read-only panels: sources, the check report with highlights, the status line.

Every piece of user or example text goes through `html.escape`; only the markup written here is raw.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from assistant.schema import CheckReport, SearchHit
from assistant.text.numbers import SLOT_RE
from assistant.ui.numbering import FactPlaces, fact_name, fact_places, sentence_label, sentence_places

Span = tuple[int, int, str]

KIND_LABELS: dict[str, str] = {
    "number": "无依据的数字",
    "leak": "照搬范文",
    "placeholder": "模板占位符",
    "plan": "计划写成了成绩",
    "slot": "待补充",
}
_KIND_ALIASES = {"numbers": "number", "unsupported": "number", "unsupported_number": "number", "leaks": "leak",
                 "placeholders": "placeholder", "plans": "plan", "plan_as_result": "plan",
                 "plans_as_results": "plan", "missing_slot": "slot", "slots": "slot"}

# Scoped by gr.HTML(css_template=...) to each panel, so the panels look right however the app is launched.
PANEL_CSS = """
.panel-empty { color: var(--body-text-color-subdued); padding: 10px 4px; line-height: 1.7; }
.panel-head { display: flex; align-items: center; gap: 8px; margin: 2px 0 8px; font-weight: 600; }
.badge { display: inline-block; padding: 1px 10px; border-radius: 10px; font-size: 0.85em; font-weight: 600; }
.badge-ok { background: #e3f4e8; color: #16653a; }
.badge-warn { background: #fdecea; color: #a4231b; }
.badge-info { background: #eef2fb; color: #2a4a8c; }
.problems { margin: 4px 0 10px 1.2em; padding: 0; line-height: 1.7; }
.problems li { margin: 2px 0; }
.facts-unused { background: #fff8e6; border-left: 3px solid #e0a800; padding: 6px 10px; margin: 8px 0;
  line-height: 1.7; }
.draft-view { white-space: pre-wrap; line-height: 1.9; font-size: 15px; padding: 10px 12px;
  border: 1px solid var(--border-color-primary); border-radius: 8px; background: var(--background-fill-secondary);
  max-height: 420px; overflow-y: auto; }
mark { padding: 0 2px; border-radius: 3px; }
mark.k-number { background: #ffd6d1; color: #8a1c12; border-bottom: 2px solid #d93025; }
mark.k-leak { background: #f3d9fa; color: #6b1d80; border-bottom: 2px solid #9c27b0; }
mark.k-placeholder { background: #ffe3b8; color: #7a4500; border-bottom: 2px solid #f29900; }
mark.k-plan { background: #dbe8ff; color: #1a3f8f; border-bottom: 2px dashed #1a73e8; }
mark.k-slot { background: #fff3a8; color: #5c4a00; border: 1px dashed #c9a400; font-weight: 600; }
mark.k-other { background: #eee; }
.ledger { white-space: pre-wrap; line-height: 1.9; font-size: 15px; padding: 10px 12px;
  border: 1px solid var(--border-color-primary); border-radius: 8px; background: var(--background-fill-secondary);
  max-height: 420px; overflow-y: auto; }
.s-supported { background: #e8f5ec; border-bottom: 2px solid #34a853; }
.s-formula { color: inherit; }
.s-unverified { background: #fff1d6; border-bottom: 2px dashed #e37400; }
.s-violation { background: #fde2df; border-bottom: 2px solid #d93025; }
.s-heading { font-weight: 600; }
.fact-list { margin: 6px 0 10px 1.2em; padding: 0; line-height: 1.7; }
.fact-list li.unused { color: #a4231b; }
.attempts { margin-top: 8px; }
.attempts summary { cursor: pointer; font-weight: 600; }
.attempt { border-left: 3px solid #e0a800; padding: 4px 10px; margin: 6px 0; line-height: 1.7; }
.attempt .raw { color: var(--body-text-color-subdued); }
.legend { margin-top: 8px; font-size: 0.85em; color: var(--body-text-color-subdued); }
.legend mark { margin-right: 8px; }
.src-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 12px; margin: 0 0 10px;
  background: var(--background-fill-secondary); }
.src-meta { display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 0.88em;
  color: var(--body-text-color-subdued); margin-bottom: 4px; }
.src-doc { font-weight: 600; color: var(--body-text-color); }
.src-score { font-variant-numeric: tabular-nums; }
.src-text { white-space: pre-wrap; line-height: 1.8; font-size: 14px; }
.diff { white-space: pre-wrap; line-height: 1.9; font-size: 15px; padding: 8px 12px; max-height: 460px;
  overflow-y: auto; border: 1px solid var(--border-color-primary); border-radius: 8px;
  background: var(--background-fill-secondary); }
.diff p { margin: 0 0 4px; }
.diff ins, .legend ins { background: #e3f4e8; color: #16653a; text-decoration: underline; }
.diff del, .legend del { background: #fde2df; color: #a4231b; text-decoration: line-through; }
.diff p.p-ins { border-left: 3px solid #34a853; padding-left: 6px; }
.diff p.p-del { border-left: 3px solid #d93025; padding-left: 6px; }
.diff .k-title { font-weight: 700; text-align: center; }
.diff .k-heading1, .diff .k-heading2 { font-weight: 600; }
.status { padding: 6px 12px; border-radius: 6px; line-height: 1.6; }
.status-idle { background: var(--background-fill-secondary); color: var(--body-text-color-subdued); }
.status-busy { background: #eef2fb; color: #2a4a8c; }
.status-busy::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 8px;
  border: 2px solid #2a4a8c; border-top-color: transparent; border-radius: 50%;
  animation: spin 0.8s linear infinite; vertical-align: -1px; }
.status-ok { background: #e3f4e8; color: #16653a; }
.status-warn { background: #fff8e6; color: #7a4500; }
.status-error { background: #fdecea; color: #a4231b; }
@keyframes spin { to { transform: rotate(360deg); } }
"""


def _kind(kind: str) -> str:
    kind = _KIND_ALIASES.get(kind, kind)
    return kind if kind in KIND_LABELS else "other"


def slot_spans(text: str) -> list[Span]:
    """Where the 【待补充：…】 slots are, so they stand out even when the guard reports nothing."""
    return [(m.start(), m.end(), "slot") for m in SLOT_RE.finditer(text)]


def spans_from_report(text: str, report: CheckReport) -> list[Span]:
    """Every occurrence of each flagged item; used when the guard gives no spans of its own."""
    spans: list[Span] = []
    for kind, items in (("number", report.unsupported_numbers), ("leak", report.leaks),
                        ("placeholder", report.placeholders), ("plan", report.plans_as_results)):
        for item in items:
            needle = item.strip()
            start = text.find(needle) if needle else -1
            while start >= 0:
                spans.append((start, start + len(needle), kind))
                start = text.find(needle, start + len(needle))
    return spans


def highlight_html(text: str, spans: Iterable[Span]) -> str:
    """The text escaped, with each span wrapped in <mark class="k-KIND">; overlapping spans are dropped."""
    usable = sorted({(max(0, s), min(len(text), e), _kind(k)) for s, e, k in spans if e > s and s < len(text)})
    out: list[str] = []
    pos = 0
    for start, end, kind in usable:
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        title = KIND_LABELS.get(kind, "")
        out.append(f'<mark class="k-{kind}" title="{escape(title)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def empty_panel(message: str) -> str:
    return f'<div class="panel-empty">{escape(message)}</div>'


def render_check(text: str, report: CheckReport | None, spans: Sequence[Span] = (), *, title: str = "") -> str:
    """The guard's report: a verdict badge, the problems, unused facts, and the draft with highlights."""
    if report is None or not text.strip():
        return empty_panel("起草一节或点击“核查”后，这里显示核查结果：无依据的数字、照搬范文的内容、"
                           "模板占位符会在草稿中标出，待补充的位置也会标亮。")
    slots = slot_spans(text)
    problems = report.problems()
    if report.ok:
        badge = '<span class="badge badge-ok">通过核查</span>'
    else:
        badge = f'<span class="badge badge-warn">发现 {len(problems)} 类问题</span>'
    if slots:
        badge += f' <span class="badge badge-info">待补充 {len(slots)} 处</span>'
    parts = [f'<div class="panel-head">{escape(title or "核查结果")} {badge}</div>']
    shown = [p for p in problems if not p.startswith("没有用到这些事实")]
    if shown:
        parts.append('<ul class="problems">' + "".join(f"<li>{escape(p)}</li>" for p in shown) + "</ul>")
    if report.unused_facts:
        items = "".join(f"<li>{escape(f)}</li>" for f in report.unused_facts)
        parts.append(f'<div class="facts-unused"><b>还没有用到的事实：</b><ul class="problems">{items}</ul></div>')
    if report.missing_slots and not slots:
        parts.append(f'<div class="facts-unused"><b>待补充：</b>{escape("、".join(report.missing_slots))}</div>')
    parts.append(f'<div class="draft-view">{highlight_html(text, [*spans, *slots])}</div>')
    legend = "".join(f'<mark class="k-{k}">{escape(v)}</mark>' for k, v in KIND_LABELS.items())
    parts.append(f'<div class="legend">标记说明：{legend}</div>')
    return "".join(parts)


STATUS_LABELS: dict[str, str] = {
    "supported": "有事实依据",
    "formula": "套语（无具体内容）",
    "unverified": "无事实依据",
    "violation": "不合规",
}


def render_ledger(text: str, report: CheckReport, attempts: Sequence[Any] = (), *, title: str = "",
                  style: Sequence[str] = (), role: str | None = None,
                  whole: tuple[str, CheckReport] | None = None) -> str:
    """The sentence ledger: every sentence coloured by status; hovering shows its place ("成绩 第 2 句") and the
    facts it rests on (by their own words) or why it is flagged; then each fact with where the whole summary
    states it, and the model's attempts that the gate did not deliver (模型原稿).

    `role` is the part of a section checked on its own; `whole` the full text and its report, from which the
    facts' use is told, so this panel and the fact-use panel say the same (ui/numbering.py)."""
    names = {f.id: fact_name(f.text) for f in report.facts}
    counts = report.counts()
    flagged = counts["unverified"] + counts["violation"]
    if flagged or not report.ok:
        badge = f'<span class="badge badge-warn">{flagged} 句有问题</span>' if flagged else \
            '<span class="badge badge-warn">有问题</span>'
    else:
        badge = '<span class="badge badge-ok">逐句核查通过</span>'
    slots = slot_spans(text)
    if slots:
        badge += f' <span class="badge badge-info">待补充 {len(slots)} 处</span>'
    parts = [f'<div class="panel-head">{escape(title or "核查结果")} {badge}</div>',
             f'<div class="legend">有依据 {counts["supported"]} 句 · 套语 {counts["formula"]} 句 · '
             f'无依据 {counts["unverified"]} 句 · 不合规 {counts["violation"]} 句</div>']
    problems = [p for p in report.problems() if not p.startswith(("无依据的句子", "不合规的句子", "没有用到这些事实"))]
    if problems:
        parts.append('<ul class="problems">' + "".join(f"<li>{escape(p)}</li>" for p in problems) + "</ul>")
    places = sentence_places(text, report, role)
    out: list[str] = []
    pos = 0
    for i, entry in sorted(enumerate(report.sentences), key=lambda x: x[1].start):
        if entry.start < pos or entry.end > len(text):
            continue
        out.append(highlight_html(text[pos:entry.start], slot_spans(text[pos:entry.start])))
        if entry.flagged:
            tip = "；".join(entry.reasons)
        elif entry.facts:
            tip = "依据：" + "；".join(f"“{names.get(fid, '单位名称' if fid == 'unit' else '事实')}”"
                                      for fid in entry.facts)
        else:
            tip = STATUS_LABELS[entry.status]
        where = "标题" if entry.heading else sentence_label(places, i)
        cls = f"s-{entry.status}" + (" s-heading" if entry.heading else "")
        inner = highlight_html(text[entry.start:entry.end], slot_spans(text[entry.start:entry.end]))
        out.append(f'<span class="{cls}" title="{escape(f"{where}：{tip}" if where else tip)}" '
                   f'data-status="{entry.status}" data-place="{escape(where)}">{inner}</span>')
        pos = entry.end
    out.append(highlight_html(text[pos:], slot_spans(text[pos:])))
    parts.append(f'<div class="ledger">{"".join(out)}</div>')
    used = fact_places(*whole) if whole is not None and whole[0].strip() else \
        [FactPlaces(f, tuple(sentence_label(places, i) for i in f.used_in)) for f in report.facts]
    if used:
        head = "事实的使用情况（全文）" if whole is not None else "事实的使用情况"
        parts.append(f'<details open><summary>{head}</summary>{_fact_list(used)}</details>')
    rejected = [a for a in attempts if not getattr(a, "accepted", True)]
    if rejected:
        rows = "".join(
            f'<div class="attempt"><div class="raw">模型原稿：{escape(a.text or "（空）")}</div>'
            f'<div>未采用的原因：{escape("；".join(a.reasons))}</div><div>改为：{escape(a.delivered)}</div></div>'
            for a in rejected)
        parts.append(f'<details class="attempts"><summary>模型原稿（{len(rejected)} 处未采用）</summary>{rows}</details>')
    if style:
        items = "".join(f"<li>{escape(m)}</li>" for m in style)
        parts.append(f'<details><summary>文风对照（与范文相比，{len(style)} 条）</summary>'
                     f'<ul class="problems">{items}</ul></details>')
    legend = "".join(f'<span class="s-{k}" style="margin-right:8px">{escape(v)}</span>' for k, v in STATUS_LABELS.items())
    parts.append(f'<div class="legend">颜色说明：{legend}；鼠标停在句子上可看它依据的事实或问题。</div>')
    return "".join(parts)


def _fact_list(facts: Sequence[FactPlaces]) -> str:
    """Each fact in its own words with the places that state it, or that the summary does not use it."""
    items = []
    for f in facts:
        if f.places:
            where = "、".join(f.places[:3]) + ("等" if len(f.places) > 3 else "")
            items.append(f'<li data-used="1">{escape(f.fact.text)} <span class="src-score">→ {escape(where)}</span></li>')
        else:
            items.append(f'<li class="unused" data-used="0">{escape(f.fact.text)} （全文未使用）</li>')
    return '<ul class="fact-list">' + "".join(items) + "</ul>"


def render_fact_use(text: str, report: CheckReport | None) -> str:
    """Beside the form: each of the user's facts with the part and sentence of the full text that states it, or
    that the full text does not use it yet (the whole-summary ledger, so a fact moved between parts still counts)."""
    if report is None or not report.facts:
        return empty_panel("起草后，这里列出每条事实写进了全文的哪一部分、第几句；没有用到的事实会标出来。")
    if not text.strip():
        return empty_panel("全文还是空的：起草后，这里列出每条事实用在哪里。")
    used = fact_places(text, report)
    n_used = sum(1 for f in used if f.places)
    kind = "badge-ok" if n_used == len(used) else "badge-warn"
    head = (f'<div class="panel-head">事实用在哪里 <span class="badge {kind}">'
            f'{n_used}/{len(used)} 条已写入全文</span></div>')
    return head + _fact_list(used)


def render_sources(hits: Sequence[SearchHit], titles: Mapping[str, str] | None = None, *, title: str = "") -> str:
    """One card per passage used: document, heading path, score, the original text."""
    if not hits:
        return empty_panel("起草后，这里列出参考的范文段落：来自哪篇文档、哪个标题之下、相似度和原文。"
                           "范文只用来学习写法，其中的数字和名称不会写进你的总结。")
    titles = titles or {}
    cards = [f'<div class="panel-head">{escape(title or "参考的范文段落")} '
             f'<span class="badge badge-info">{len(hits)} 段</span></div>']
    for hit in hits:
        doc_title = titles.get(hit.doc) or hit.doc
        heading = hit.heading.replace(" > ", " › ") if hit.heading else "（无标题）"
        cards.append(
            '<div class="src-card"><div class="src-meta">'
            f'<span class="src-doc">{escape(doc_title)}</span>'
            f'<span>文档：{escape(hit.doc)}</span>'
            f'<span>位置：{escape(heading)}</span>'
            f'<span class="src-score">相关度 {float(hit.score):.3f}</span>'
            + (f'<span>部分：{escape(hit.role)}</span>' if hit.role else "")
            + f'</div><div class="src-text">{escape(hit.text)}</div></div>'
        )
    return "".join(cards)


def render_status(message: str, kind: str = "idle") -> str:
    """The one-line status under the action buttons; `busy` shows a spinner."""
    kind = kind if kind in ("idle", "busy", "ok", "warn", "error") else "idle"
    return f'<div class="status status-{kind}">{escape(message)}</div>'


def render_diff(paragraphs: Sequence[Any], *, title: str = "", note: str = "", changes: int | None = None,
                show_title: bool = True) -> str:
    """Tracked changes as a reviewer reads them (export.revisions.compare): deleted words struck through,
    new ones underlined, a removed or added paragraph marked whole."""
    rows: list[str] = []
    for para in paragraphs:
        if para.block.kind == "title" and (not show_title or not para.changed):
            continue
        cls = f"k-{para.block.kind}" + (f" p-{para.mark}" if para.mark != "same" else "")
        inner = []
        for piece in para.pieces:
            text = escape(piece.text)
            if piece.change == "ins":
                inner.append(f"<ins>{text}</ins>")
            elif piece.change == "del":
                inner.append(f"<del>{text}</del>")
            else:
                inner.append(text)
        rows.append(f'<p class="{cls}">{"".join(inner)}</p>')
    if changes is None:
        changes = sum(1 for p in paragraphs if p.changed)
    badge = (f'<span class="badge badge-info">修改 {changes} 处</span>' if changes
             else '<span class="badge badge-ok">没有差别</span>')
    head = f'<div class="panel-head">{escape(title or "差异")} {badge}</div>'
    tail = f'<div class="legend">{escape(note)}</div>' if note else ""
    legend = '<div class="legend"><del>删去的文字</del> <ins>新增的文字</ins></div>'
    return head + f'<div class="diff">{"".join(rows)}</div>' + tail + legend
