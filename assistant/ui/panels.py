"""The HTML of the check (核查) and sources (来源) panels, with what they need from the knowledge service: the
house examples' style for the remarks beside the check, the examples' titles for the sources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from assistant.errors import UserError
from assistant.schema import CheckReport, SearchHit
from assistant.ui import rendering as R

if TYPE_CHECKING:
    from assistant.services.knowledge import KnowledgeService


class Panels:
    """Renders the panels of one page; holds no user data."""

    def __init__(self, knowledge: KnowledgeService) -> None:
        self.knowledge = knowledge

    def check_html(self, text: str, report: CheckReport | None, title: str, attempts: Sequence[Any] = (), *,
                   role: str | None = None, whole: tuple[str, CheckReport] | None = None) -> str:
        """The 核查 panel of a text; `role` the part a section is, `whole` the full text and its report (the facts'
        use is told from the whole summary, as in the fact-use panel)."""
        if report is None or not text.strip():
            return R.render_check(text, None)
        if report.sentences:
            return R.render_ledger(text, report, attempts, title=title, style=self.style(text), role=role,
                                   whole=whole)
        from assistant.check.guard import highlight_spans

        return R.render_check(text, report, list(highlight_spans(text, report)), title=title)

    def style(self, text: str) -> list[str]:
        """Concrete remarks on how the text differs from the house examples (beside the fact check)."""
        from assistant.check.style import style_report

        try:
            return style_report(text, self.knowledge.example_texts()).messages()
        except UserError:
            return []

    def sources_html(self, hits: Sequence[SearchHit], title: str) -> str:
        titles: dict[str, str] = {}
        if hits:
            try:
                titles = {str(d["doc"]): str(d.get("title", "")) for d in self.knowledge.documents()}
            except UserError:
                titles = {}
        return R.render_sources(list(hits), titles, title=title)
