"""Turn the hand-edited full text of the 全文 box back into a SummaryDocument, so export keeps the edits.

The parser lives in export.text_document (the CLI's `export --text` uses it too); here the default title
comes from the facts form.
"""

from __future__ import annotations

from assistant.export.text_document import document_from_text as _parse
from assistant.schema import Facts, SummaryDocument
from assistant.writing.template import document_title


def document_from_text(text: str, facts: Facts) -> SummaryDocument:
    """The edited full text → title, sections in order, signature; for export only."""
    return _parse(text, document_title(facts))
