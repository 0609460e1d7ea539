"""What the page says about how a text was written: the chosen model could not be used and what wrote the text
instead (issue 23 §1), and an example library with nothing in it (issue 21 §5). Said before drafting, in the
status line and the 模型 tab, and again with the result; the export's status line repeats the model's.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

from assistant.ui import rendering as R
from assistant.ui.state import UiSession, model_choice
from assistant.ui.updates import Updates

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.services import Services


def model_unusable(settings: Settings, backend: str) -> str:
    """The fallback sentence when the embedded model, chosen, cannot be used (checked without loading it)."""
    from assistant.llm.registry import embedded_problem, fallback_notice

    if (backend or "").strip() != "embedded":
        return ""
    problem = embedded_problem(settings)
    return fallback_notice(problem) if problem else ""


def say_notices(services: Services, s: UiSession, model: Sequence[Any]) -> Generator[Updates, None, str]:
    """Before drafting: resolve the chosen backend (the drafting service caches it) and, when it cannot be used
    or the library is empty, say so in the status line and the 模型 tab. Returns what was said ("" if nothing)."""
    s.model_notice = services.drafting.resolve(model_choice(*model)).notice
    notice = " ".join(n for n in (s.model_notice, services.knowledge.empty_notice()) if n)
    if notice:
        yield {"status": R.render_status(notice, "warn"), **model_tab(s)}
    return notice


def model_tab(s: UiSession) -> Updates:
    """The 模型 tab's status panel, when the last draft could not use the chosen model."""
    return {"model_status": R.render_status(s.model_notice, "warn")} if s.model_notice else {}


def with_notice(s: UiSession, notice: str, message: str, kind: str = "ok") -> Updates:
    """After drafting: the result's status line, led by the notice when there is one."""
    if not notice:
        return {"status": R.render_status(message, kind)}
    return {"status": R.render_status(f"{notice} {message}", "error" if kind == "error" else "warn"),
            **model_tab(s)}
