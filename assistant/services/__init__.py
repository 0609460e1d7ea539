"""Use cases shared by the UI, the HTTP API and the CLI; `build_services` is the only wiring.

Drafting and export are imported when the graph is built, not with this package, so a process that only
searches (`assistant search`) does not pay for the LLM and export stacks at start.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.services.knowledge import KnowledgeService

if TYPE_CHECKING:
    from assistant.services.drafting import DraftingService
    from assistant.services.exporting import ExportService
    from assistant.services.interview import InterviewService


@dataclass
class Services:
    """Everything the adapters (UI, API, CLI) may call."""

    settings: Settings
    knowledge: KnowledgeService
    drafting: DraftingService
    exporter: ExportService
    interview: InterviewService


def build_knowledge(settings: Settings) -> KnowledgeService:
    """The knowledge side alone: indexing and search."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return KnowledgeService(settings)


def build_services(settings: Settings) -> Services:
    """Build the service graph for these settings. Heavy parts (models, store) load on first use."""
    from assistant.services.drafting import DraftingService
    from assistant.services.exporting import ExportService
    from assistant.services.interview import InterviewService

    knowledge = build_knowledge(settings)
    return Services(settings=settings, knowledge=knowledge, drafting=DraftingService(settings, knowledge),
                    exporter=ExportService(settings), interview=InterviewService(knowledge))
