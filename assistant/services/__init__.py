"""Use cases shared by the UI, the HTTP API and the CLI; `build_services` is the only wiring."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.config import Settings
from assistant.services.drafting import DraftingService
from assistant.services.exporting import ExportService
from assistant.services.knowledge import KnowledgeService


@dataclass
class Services:
    """Everything the adapters (UI, API, CLI) may call."""

    settings: Settings
    knowledge: KnowledgeService
    drafting: DraftingService
    exporter: ExportService


def build_services(settings: Settings) -> Services:
    """Build the service graph for these settings. Heavy parts (models, store) load on first use."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    knowledge = KnowledgeService(settings)
    return Services(settings=settings, knowledge=knowledge, drafting=DraftingService(settings, knowledge),
                    exporter=ExportService(settings))
