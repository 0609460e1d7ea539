"""What every handler returns and shares: a dict of page updates keyed by component name, the Chinese toast,
and the split of the inputs every drafting handler gets (the form, then the model panel).

A leaf of ui/: handler modules import it, it imports none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.services.sessions import FORM_FIELDS

Updates = dict[str, Any]
N_FORM = len(FORM_FIELDS)
TOAST_TITLE = "提示"  # Gradio titles toasts "Warning" in English unless told


def warn(message: str, title: str = TOAST_TITLE) -> None:
    """A toast in the page, titled in Chinese (a plain warning outside a request, e.g. in unit tests)."""
    import gradio as gr

    gr.Warning(message, title=title)


def split_rest(rest: Sequence[Any]) -> tuple[list[str], tuple[str, str, str, str]]:
    """The trailing inputs every drafting handler gets: the seven form fields, then the model panel."""
    form = [str(v or "") for v in rest[:N_FORM]]
    model = tuple(str(v or "") for v in (list(rest[N_FORM:N_FORM + 4]) + ["", "", "", ""])[:4])
    return form, model  # type: ignore[return-value]
