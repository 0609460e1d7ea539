"""Keeping the work as versions while it happens: every draft, regeneration, revision, chat change and hand edit
of a section, and the full text it now assembles to, each with its check status (services.versions).

Recording never fails an action: a full disk costs a version, never the text on screen.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.errors import UserError
from assistant.schema import CheckReport, Facts, Role
from assistant.services.versions import WHOLE, CheckStatus, VersionStore
from assistant.ui.state import UiSession, facts_from_values, full_text

if TYPE_CHECKING:
    from assistant.services.drafting import DraftingService

log = logging.getLogger(__name__)


class Recorder:
    """Adds versions to one store, checking a text when it comes without a report."""

    def __init__(self, drafting: DraftingService, versions: VersionStore) -> None:
        self.drafting = drafting
        self.versions = versions

    def record(self, s: UiSession, role: Role, text: str, origin: str, *, backend: str = "",
               report: CheckReport | None = None, note: str = "", facts: Facts | None = None) -> None:
        """Keep a section's text as a version, and (given the facts) the full text it now assembles to.
        A hand edit is checked here so its version carries a check status too."""
        try:
            if report is None and facts is not None and text.strip():
                report = self.drafting.check(facts, text, role)
            added = self.versions.add(s.sid, role, text, origin, backend=backend, check=CheckStatus.of(report),
                                      note=note)
            if added is not None and facts is not None and not s.data.document.strip():
                self.record_whole(s, facts, origin, backend=backend, note=f"“{role}”：{note}")
        except (OSError, UserError) as exc:
            log.warning("could not keep a version: %s", exc)

    def record_whole(self, s: UiSession, facts: Facts, origin: str, *, backend: str = "", note: str = "") -> None:
        """The full text as the sections assemble it (when the user has not edited it by hand), as a version."""
        if s.data.document.strip():
            return
        self.record_full(s, full_text(s, facts), origin, facts, backend=backend, note=note)

    def record_text(self, s: UiSession, target: str, text: str, origin: str, *, form: Sequence[str],
                    note: str = "") -> None:
        """A text of `target` (a section or the full text) as typed with the form as it stands."""
        try:
            facts = facts_from_values(form)
        except UserError:
            return
        if target == WHOLE:
            self.record_full(s, text, origin, facts, note=note)
        else:
            self.record(s, target, text, origin, note=note, facts=facts)  # type: ignore[arg-type]

    def record_full(self, s: UiSession, text: str, origin: str, facts: Facts, *, backend: str = "",
                    note: str = "") -> None:
        """The full text as a version, unless it is the newest one already."""
        try:
            if not text.strip():
                return
            latest = self.versions.latest(s.sid, WHOLE)
            if latest is not None and latest.text.strip() == text.strip():
                return
            report = self.drafting.check(facts, text)
            self.versions.add(s.sid, WHOLE, text, origin, backend=backend, check=CheckStatus.of(report), note=note)
        except (OSError, UserError) as exc:
            log.warning("could not keep a version of the full text: %s", exc)
