"""Per-browser-session state on disk, so a page reload (or a server restart) keeps the user's work.

One JSON file per session under data_dir/sessions/<id>.json, written atomically. The id comes from the
browser, so it is validated before it becomes part of a path. API keys are never stored: the model
settings kept here are a fixed allow-list of fields.

A session untouched for ASSISTANT_SESSION_DAYS (30 by default) expires: expired files are removed when the
page starts, at most hourly as pages load, and when sessions are listed (`assistant sessions list|remove|prune`).
Its versions (services/versions.py, under <sessions>/versions/) go with it.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import UserError
from assistant.fsutil import atomic_write_text, confined

log = logging.getLogger(__name__)

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
FORM_FIELDS: tuple[str, ...] = ("unit", "year", "title", "achievements", "problems", "plans", "free_text")
MODEL_FIELDS: tuple[str, ...] = ("backend", "base_url", "model")  # never "api_key"
MAX_CHAT_MESSAGES = 60
DEFAULT_SESSION_DAYS = 30.0
PRUNE_EVERY_S = 3600.0
MAX_FIELD_CHARS = 200_000  # a pasted report is long; a megabyte of text in one field is not a summary


def _text(value: Any) -> str:
    return value[:MAX_FIELD_CHARS] if isinstance(value, str) else ""


@dataclass
class SessionData:
    """What one browser session keeps: the facts form, model choice (no key), outline, drafts, chat."""

    form: dict[str, str] = field(default_factory=lambda: dict.fromkeys(FORM_FIELDS, ""))
    model: dict[str, str] = field(default_factory=dict)
    outline: str = ""
    sections: dict[str, str] = field(default_factory=dict)  # role -> the section's current text
    section: str = "成绩"  # the section picked in the page
    document: str = ""  # the full text as edited by the user; "" means "assemble it from the sections"
    chat: list[dict[str, str]] = field(default_factory=list)
    proposal: dict[str, Any] = field(default_factory=dict)  # a chat's revision waiting for 应用/放弃 ({} if none)
    interview: list[dict[str, str]] = field(default_factory=list)  # questions asked in the chat, awaiting answers

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["model"] = {k: v for k, v in self.model.items() if k in MODEL_FIELDS}
        data["chat"] = self.chat[-MAX_CHAT_MESSAGES:]
        return data

    @classmethod
    def from_json(cls, data: Any) -> SessionData:
        """Tolerant: a hand-edited or partly corrupt file gives what can be read, never an exception."""
        if not isinstance(data, dict):
            return cls()
        form = data.get("form") if isinstance(data.get("form"), dict) else {}
        model = data.get("model") if isinstance(data.get("model"), dict) else {}
        sections = data.get("sections") if isinstance(data.get("sections"), dict) else {}
        chat = data.get("chat") if isinstance(data.get("chat"), list) else []
        return cls(
            form={k: _text(form.get(k)) for k in FORM_FIELDS},
            model={k: _text(model.get(k)) for k in MODEL_FIELDS if isinstance(model.get(k), str)},
            outline=_text(data.get("outline")),
            sections={str(k): _text(v) for k, v in sections.items() if isinstance(v, str)},
            section=_text(data.get("section")) or "成绩",
            document=_text(data.get("document")),
            chat=[{"role": m["role"], "content": _text(m.get("content"))} for m in chat[-MAX_CHAT_MESSAGES:]
                  if isinstance(m, dict) and m.get("role") in ("user", "assistant")],
            proposal=_proposal(data.get("proposal")),
            interview=[{k: _text(q.get(k)) for k in ("result", "kind", "ask")}
                       for q in (data.get("interview") if isinstance(data.get("interview"), list) else [])
                       if isinstance(q, dict) and isinstance(q.get("result"), str)],
        )


def _proposal(value: Any) -> dict[str, Any]:
    """A saved revision proposal: string fields and the part's span; anything else reads as none."""
    if not isinstance(value, dict):
        return {}
    out: dict[str, Any] = {k: _text(v) for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}
    for k in ("start", "end"):
        if not isinstance(value.get(k), int):
            return {}
        out[k] = value[k]
    return out


@dataclass
class SessionInfo:
    """One saved session as `assistant sessions list` shows it."""

    id: str
    modified: float  # seconds since the epoch
    size: int
    unit: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "modified": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(self.modified)),
                "size": self.size, "unit": self.unit}


class SessionStore:
    """Loads and saves SessionData by session id; ids are 32 lowercase hex characters."""

    def __init__(self, root: Path, max_age_days: float = DEFAULT_SESSION_DAYS) -> None:
        self.root = Path(root)
        self.max_age_s = max_age_days * 86400
        self._lock = threading.Lock()
        self._pruned_at = 0.0

    @staticmethod
    def new_id() -> str:
        return secrets.token_hex(16)

    @staticmethod
    def is_valid(session_id: object) -> bool:
        return isinstance(session_id, str) and bool(SESSION_ID.match(session_id))

    def path(self, session_id: str) -> Path:
        if not self.is_valid(session_id):
            raise UserError("会话编号无效：请刷新页面。")
        return confined(self.root, f"{session_id}.json")

    def load(self, session_id: str) -> SessionData:
        """The saved session, or an empty one when there is none, it expired or it cannot be read."""
        path = self.path(session_id)
        if time.time() - self._pruned_at > PRUNE_EVERY_S:
            self.prune()
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return SessionData()
        except OSError as exc:
            log.warning("cannot read session file %s: %s", path.name, exc)
            return SessionData()
        try:
            return SessionData.from_json(json.loads(raw))
        except ValueError:
            log.warning("session file %s is not valid JSON; starting empty", path.name)
            return SessionData()

    def save(self, session_id: str, data: SessionData) -> Path:
        path = self.path(session_id)
        text = json.dumps(data.to_json(), ensure_ascii=False, indent=1)
        with self._lock:  # two tabs of one browser share an id; keep their writes whole
            return atomic_write_text(path, text)

    def delete(self, session_id: str) -> None:
        self.path(session_id).unlink(missing_ok=True)
        self._versions_path(session_id).unlink(missing_ok=True)

    @property
    def versions_dir(self) -> Path:
        """Where services.versions keeps each session's versions."""
        return self.root / "versions"

    def _versions_path(self, session_id: str) -> Path:
        return confined(self.root, "versions", f"{session_id}.jsonl")

    def _files(self) -> list[Path]:
        try:
            return [p for p in self.root.glob("*.json") if SESSION_ID.match(p.stem)]
        except OSError:
            return []

    def prune(self, now: float | None = None) -> list[str]:
        """Remove the sessions untouched for longer than max_age; the ids removed."""
        now = time.time() if now is None else now
        self._pruned_at = now
        removed = []
        for path in self._files():
            try:
                if now - path.stat().st_mtime > self.max_age_s:
                    path.unlink()
                    removed.append(path.stem)
                    self._versions_path(path.stem).unlink(missing_ok=True)
            except OSError:  # saved or removed meanwhile
                continue
        self._prune_orphan_versions(now)
        if removed:
            log.info("removed %d expired session(s)", len(removed))
        return sorted(removed)

    def _prune_orphan_versions(self, now: float) -> None:
        """Versions whose session file is gone and which are themselves older than max_age."""
        try:
            files = [p for p in self.versions_dir.glob("*.jsonl") if SESSION_ID.match(p.stem)]
        except OSError:
            return
        for path in files:
            try:
                if not (self.root / f"{path.stem}.json").exists() and now - path.stat().st_mtime > self.max_age_s:
                    path.unlink()
            except OSError:
                continue

    def list(self) -> list[SessionInfo]:
        """Saved sessions, most recently used first (expired ones are removed first)."""
        self.prune()
        out = []
        for path in self._files():
            try:
                stat = path.stat()
            except OSError:
                continue
            unit = self.load(path.stem).form.get("unit", "")
            out.append(SessionInfo(id=path.stem, modified=stat.st_mtime, size=stat.st_size, unit=unit))
        return sorted(out, key=lambda s: s.modified, reverse=True)

    def remove(self, session_id: str) -> bool:
        """Remove one session; False when there is none by that id."""
        path = self.path(session_id)
        self._versions_path(session_id).unlink(missing_ok=True)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True

    def browser_secret(self) -> str:
        """A stable per-data-dir secret for gr.BrowserState, so saved ids survive a server restart.

        It only scrambles the id in localStorage (the browser is given it); it protects nothing.
        """
        path = confined(self.root, ".browser-secret")
        try:
            value = path.read_text(encoding="utf-8").strip()
            if len(value) >= 16:
                return value
        except OSError:
            pass
        value = secrets.token_hex(16)
        atomic_write_text(path, value)
        return value
