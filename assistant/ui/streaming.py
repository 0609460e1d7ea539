"""Streaming a service's DraftEvents into page updates, as a generator whose return value is the outcome.

Token events carry only gated text, so what appears in the box stays; progress shows part i of n with the time
still expected; the check panel is cleared while a new draft streams.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence

from assistant.errors import ModelUnavailable
from assistant.schema import SearchHit, SectionDraft
from assistant.services.drafting import DraftEvent
from assistant.ui import rendering as R
from assistant.ui.updates import Updates

SourcesHtml = Callable[[Sequence[SearchHit], str], str]


Outcome = tuple[SectionDraft | None, str]


def consume(events: Iterator[DraftEvent], target: str, role: str, sources_html: SourcesHtml, label: str = ""
            ) -> Generator[Updates, None, Outcome]:
    """Yield the updates of a stream; return (draft or None, error text).

    `target` is the box the text streams into ("" for none: a section the page does not show); `label` leads
    the progress line (e.g. "正在起草全文：第 2/5 部分"). A stream that ends without a draft raises
    ModelUnavailable, which the handlers show as a status line.
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
                yield {"sources": sources_html(ev.sources, f"“{role}”参考的范文段落")}
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

