"""A small Python API over the same services the UI, the CLI and the HTTP API use.

    from assistant.interfaces.sdk import Assistant
    a = Assistant.from_settings(backend="template")      # ASSISTANT_* env and settings file apply too
    a.ingest()                                            # index knowledge/ (only changed files re-embedded)
    a.search("困难职工帮扶", k=3, role="成绩")
    facts = {"unit": "市交通运输局工会", "year": "2024", "achievements": ["组织培训12期"]}
    print(a.outline(facts).text)
    draft = a.draft(facts, "成绩")                         # SectionDraft: .text, .sources, .check
    a.check(facts, draft.text, "成绩").ok
    a.export(facts, "总结.docx")                           # drafts the whole summary, then writes it

    chain = a.drafting_runnable("成绩") | RunnableLambda(str.strip)   # a LangChain Runnable
    for piece in chain.stream(facts): ...

Facts may be a `Facts`, a dict in the facts-file shape, or the path of a facts file (YAML/JSON/TXT).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.config import Settings, load_settings
from assistant.errors import UserError
from assistant.limits import DEFAULT_MAX_INPUT_BYTES, check_text_size
from assistant.schema import (
    CheckReport,
    Facts,
    IngestReport,
    SearchHit,
    SectionDraft,
    SummaryDocument,
    require_role,
)

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

    from assistant.services import Services
    from assistant.services.drafting import ModelChoice

FactsLike = Facts | dict[str, Any] | str | Path


def to_facts(value: FactsLike, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> Facts:
    """A Facts from a Facts, a dict in the facts-file shape, or a facts file path (at most `max_bytes`)."""
    if isinstance(value, Facts):
        return value
    if isinstance(value, dict):
        return Facts.from_json(value)
    if isinstance(value, str | Path):
        from assistant.facts.parse import load_facts_file

        return load_facts_file(value, max_bytes)
    raise UserError(f"不认识的事实类型 {type(value).__name__}：请传入 Facts、字典或事实文件路径。")


class Assistant:
    """The assistant's use cases as plain method calls; one instance may serve many threads."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @classmethod
    def from_settings(cls, settings_file: str | Path | None = None, **overrides: Any) -> Assistant:
        """Settings from the settings file < ASSISTANT_* environment < these overrides."""
        from assistant.services import build_services

        return cls(build_services(load_settings(settings_file, **overrides)))

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def _choice(self, backend: str | None) -> ModelChoice:
        from assistant.services.drafting import ModelChoice

        return ModelChoice(backend=backend)

    # --- knowledge ----------------------------------------------------------------------------------
    def ingest(self, paths: Sequence[str | Path] | None = None, *, reindex: bool = False) -> IngestReport:
        return self.services.knowledge.ingest([Path(p) for p in paths] if paths else None, reindex=reindex)

    def search(self, query: str, k: int | None = None, role: str | None = None) -> list[SearchHit]:
        return self.services.knowledge.search(query, k, role=require_role(role) if role else None)

    # --- drafting -----------------------------------------------------------------------------------
    def model_notice(self, *, backend: str | None = None) -> str:
        """"" when the chosen model will write; otherwise one Chinese sentence naming why it cannot and what is
        used instead (the embedded model falls back to the template). Drafts carry the backend that wrote them."""
        return self.services.drafting.resolve(self._choice(backend)).notice

    def outline(self, facts: FactsLike, *, backend: str | None = None) -> SectionDraft:
        return self.services.drafting.outline(self._valid(facts), self._choice(backend))

    def draft(self, facts: FactsLike, section: str = "成绩", *, outline: str = "",
              backend: str | None = None) -> SectionDraft:
        return self.services.drafting.draft_section(self._valid(facts), require_role(section), self._choice(backend),
                                                    outline)

    def draft_all(self, facts: FactsLike, *, backend: str | None = None) -> SummaryDocument:
        return self.services.drafting.draft_all(self._valid(facts), self._choice(backend))

    def check(self, facts: FactsLike, text: str, section: str | None = None) -> CheckReport:
        if not text.strip():
            raise UserError("要核查的文字是空的。")
        check_text_size(text, "要核查的文字", self.settings.max_input_bytes)
        return self.services.drafting.check(to_facts(facts, self.settings.max_input_bytes), text,
                                            require_role(section) if section else None)

    def export(self, facts_or_doc: FactsLike | SummaryDocument, path: str | Path, *,
               backend: str | None = None) -> Path:
        """Write a .docx or .md; facts are drafted into a whole summary first."""
        doc = facts_or_doc if isinstance(facts_or_doc, SummaryDocument) else self.draft_all(facts_or_doc,
                                                                                              backend=backend)
        return self.services.exporter.export_to(doc, Path(path))

    def stream_draft(self, facts: FactsLike, section: str = "成绩", *, backend: str | None = None
                     ) -> Iterator[str]:
        """The section's text piece by piece, ending with a 【核查】 line when the check fails."""
        from assistant.interfaces.replies import Request, reply_stream

        request = Request("section", require_role(section))
        return reply_stream(self.services.drafting, request, self._valid(facts), message="",
                            choice=self._choice(backend))

    def drafting_runnable(self, section: str = "成绩", *, backend: str | None = None) -> Runnable[Any, str]:
        """A LangChain Runnable: facts (Facts, dict or path) → the section's text, streamed piece by piece."""
        from langchain_core.runnables import RunnableLambda

        role = require_role(section)

        def draft(facts: FactsLike) -> Iterator[str]:
            yield from self.stream_draft(facts, role, backend=backend)

        return RunnableLambda(draft, name=f"draft_{role}")

    def _valid(self, facts: FactsLike) -> Facts:
        from assistant.facts.parse import validate_facts

        out = to_facts(facts, self.settings.max_input_bytes)
        validate_facts(out)
        return out
