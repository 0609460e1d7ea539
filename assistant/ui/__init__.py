"""The Gradio web app: a thin adapter over the services (see layout.py for the page, callbacks.py for handlers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.ui.style import UI_CSS, launch_options

if TYPE_CHECKING:
    import gradio as gr

    from assistant.services import Services

__all__ = ["UI_CSS", "build_ui", "launch_options"]


def build_ui(services: Services) -> gr.Blocks:
    """The page for these services; per-browser state only, sessions saved under data_dir/sessions.

    Launch with `build_ui(s).queue(default_concurrency_limit=8).launch(**launch_options())`; the CSS and
    theme also apply when launch() is given none.
    """
    from assistant.services.sessions import SessionStore
    from assistant.ui.layout import attach_style, build_layout

    store = SessionStore(services.settings.sessions_dir, services.settings.session_days)
    store.prune()  # sessions untouched for ASSISTANT_SESSION_DAYS go when the page starts
    demo = build_layout(services, store)
    return attach_style(demo)
