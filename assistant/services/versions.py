"""Versions: every text the assistant or the user gives a section or the full text, kept so it can be listed,
compared, restored and used as the "before" of a Word export with tracked changes.

A version is immutable: restoring one appends a new version carrying the old text, so the history only grows.
One JSON-lines file per session under <sessions>/versions/<id>.jsonl, rewritten atomically on each change
(fsutil.atomic_write_text: a crash leaves the old file or the new one, never half of one). It is bounded to the
newest MAX_VERSIONS versions and MAX_FILE_BYTES, so a long session cannot fill the disk; the session store
removes it with its session.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.errors import UserError
from assistant.fsutil import atomic_write_text, confined
from assistant.schema import ROLES, CheckReport

log = logging.getLogger(__name__)

WHOLE = "全文"
TARGETS: tuple[str, ...] = (WHOLE, *ROLES)
ORIGINS: dict[str, str] = {"model": "模型", "template": "模板", "chat": "对话", "hand": "手动", "restore": "恢复"}
MAX_VERSIONS = 200
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_TEXT_CHARS = 200_000  # as a session field (services.sessions.MAX_FIELD_CHARS)
_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


def origin_of(backend: str) -> str:
    """The origin of a text the assistant wrote with this backend: the template, or a model."""
    return "template" if backend in ("template", "") else "model"


@dataclass(frozen=True)
class CheckStatus:
    """The check of a version in two numbers: sentences that are fine and sentences flagged."""

    ok: int
    flagged: int
    passed: bool

    @classmethod
    def of(cls, report: CheckReport | None) -> CheckStatus | None:
        if report is None:
            return None
        counts = report.counts() if report.sentences else {}
        flagged = counts.get("unverified", 0) + counts.get("violation", 0)
        return cls(ok=counts.get("supported", 0) + counts.get("formula", 0), flagged=flagged, passed=report.ok)

    def label(self) -> str:
        if self.passed and not self.flagged:
            return f"通过（{self.ok} 句）"
        return f"{self.flagged} 句有问题" if self.flagged else "有问题"


@dataclass(frozen=True)
class Version:
    """One text of one target (全文 or a section) at one time; never changed once written."""

    id: int
    target: str
    text: str
    created: float  # seconds since the epoch
    origin: str  # a key of ORIGINS
    backend: str = ""
    check: CheckStatus | None = None
    note: str = ""

    @property
    def origin_label(self) -> str:
        return ORIGINS.get(self.origin, self.origin)

    @property
    def time_label(self) -> str:
        return time.strftime("%m-%d %H:%M:%S", time.localtime(self.created))

    def label(self) -> str:
        """How a picker names it: "#12 · 05-12 10:31 · 对话：把开头写得更简洁"."""
        when = time.strftime("%m-%d %H:%M", time.localtime(self.created))
        what = self.note if self.note.startswith(self.origin_label) else \
            f"{self.origin_label}：{self.note}" if self.note else self.origin_label
        return f"#{self.id} · {when} · {what[:24]}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Version | None:
        """A stored line back; None for anything malformed (a hand-edited or damaged file loses that line only)."""
        if not isinstance(data, dict):
            return None
        try:
            check = data.get("check")
            status = CheckStatus(int(check["ok"]), int(check["flagged"]), bool(check["passed"])) \
                if isinstance(check, dict) else None
            target, text = str(data["target"]), data["text"]
            if target not in TARGETS or not isinstance(text, str):
                return None
            return cls(id=int(data["id"]), target=target, text=text[:MAX_TEXT_CHARS], created=float(data["created"]),
                       origin=str(data.get("origin", "hand")), backend=str(data.get("backend", "")),
                       check=status, note=str(data.get("note", ""))[:200])
        except (KeyError, TypeError, ValueError):
            return None


class VersionStore:
    """The versions of each session, by session id (32 lowercase hex characters, as the session store's)."""

    def __init__(self, root: Path, max_versions: int = MAX_VERSIONS, max_bytes: int = MAX_FILE_BYTES) -> None:
        self.root = Path(root)
        self.max_versions = max_versions
        self.max_bytes = max_bytes
        self._lock = threading.Lock()

    def path(self, session_id: str) -> Path:
        if not isinstance(session_id, str) or not _SESSION_ID.match(session_id):
            raise UserError("会话编号无效：请刷新页面。")
        return confined(self.root, f"{session_id}.jsonl")

    # --- reading ------------------------------------------------------------------------------------
    def _read(self, session_id: str) -> list[Version]:
        path = self.path(session_id)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            log.warning("cannot read versions file %s: %s", path.name, exc)
            return []
        out: list[Version] = []
        for line in raw.splitlines():
            try:
                version = Version.from_json(json.loads(line))
            except ValueError:
                version = None
            if version is not None:
                out.append(version)
        return out

    def list(self, session_id: str, target: str | None = None) -> list[Version]:
        """The versions, newest first; only those of `target` when given."""
        versions = self._read(session_id)
        return [v for v in reversed(versions) if target is None or v.target == target]

    def get(self, session_id: str, version_id: int) -> Version | None:
        return next((v for v in self._read(session_id) if v.id == version_id), None)

    def latest(self, session_id: str, target: str) -> Version | None:
        return next(iter(self.list(session_id, target)), None)

    # --- writing ------------------------------------------------------------------------------------
    def add(self, session_id: str, target: str, text: str, origin: str, *, backend: str = "",
            check: CheckStatus | None = None, note: str = "", force: bool = False) -> Version | None:
        """Keep `text` as the newest version of `target`; the new version, or None when the text is empty or
        the same as the newest version of that target (unless `force`: a restore is always a new version)."""
        if target not in TARGETS:
            raise ValueError(f"unknown version target {target!r}")
        if origin not in ORIGINS:
            raise ValueError(f"unknown version origin {origin!r}")
        text = (text or "")[:MAX_TEXT_CHARS]
        if not text.strip():
            return None
        with self._lock:
            versions = self._read(session_id)
            last = next((v for v in reversed(versions) if v.target == target), None)
            if not force and last is not None and last.text.strip() == text.strip():
                return None
            version = Version(id=(versions[-1].id + 1) if versions else 1, target=target, text=text,
                              created=time.time(), origin=origin, backend=backend, check=check, note=note[:200])
            self._write(session_id, [*versions, version])
            return version

    def restore(self, session_id: str, version_id: int, check: CheckStatus | None = None) -> Version:
        """A new version of the same target with the text of `version_id`."""
        old = self.get(session_id, version_id)
        if old is None:
            raise UserError(f"找不到版本 #{version_id}：它可能已因版本过多被清理，请刷新版本列表。")
        version = self.add(session_id, old.target, old.text, "restore", backend=old.backend,
                           check=check or old.check, note=f"恢复自 #{old.id}", force=True)
        assert version is not None  # a stored version is never empty
        return version

    def delete(self, session_id: str) -> None:
        self.path(session_id).unlink(missing_ok=True)

    def _write(self, session_id: str, versions: list[Version]) -> None:
        lines = [json.dumps(v.to_json(), ensure_ascii=False) for v in versions[-self.max_versions:]]
        while len(lines) > 1 and sum(len(x.encode("utf-8")) + 1 for x in lines) > self.max_bytes:
            lines.pop(0)
        atomic_write_text(self.path(session_id), "\n".join(lines) + "\n")

    def session_ids(self) -> Iterable[str]:
        try:
            return [p.stem for p in self.root.glob("*.jsonl") if _SESSION_ID.match(p.stem)]
        except OSError:
            return []
