"""The per-browser session store: round trip, confinement of ids, no API key on disk, tolerant reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import UserError
from assistant.services.sessions import FORM_FIELDS, MAX_CHAT_MESSAGES, SessionData, SessionStore


def test_round_trip_keeps_form_sections_and_chat(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "sessions")
    sid = store.new_id()
    data = SessionData()
    data.form.update(unit="区总工会", year="2024", achievements="培训12期\n慰问45户")
    data.sections["成绩"] = "一是培训12期。"
    data.outline = "一、职工培训"
    data.section = "问题"
    data.chat = [{"role": "user", "content": "更精炼"}, {"role": "assistant", "content": "好的"}]
    store.save(sid, data)

    again = store.load(sid)
    assert again.form["unit"] == "区总工会"
    assert again.form["achievements"] == "培训12期\n慰问45户"
    assert again.sections == {"成绩": "一是培训12期。"}
    assert again.outline == "一、职工培训"
    assert again.section == "问题"
    assert again.chat[1]["content"] == "好的"
    assert (tmp_path / "sessions" / f"{sid}.json").is_file()


def test_new_ids_are_distinct_and_valid() -> None:
    ids = {SessionStore.new_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(SessionStore.is_valid(i) for i in ids)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ABCDEF" * 6, "", "a" * 31, "a" * 33, None, 42,
                                 "0123456789abcdef0123456789abcde/", "..%2f" + "a" * 27])
def test_bad_ids_never_become_paths(tmp_path: Path, bad: object) -> None:
    store = SessionStore(tmp_path / "sessions")
    assert not store.is_valid(bad)
    with pytest.raises(UserError):
        store.path(bad)  # type: ignore[arg-type]
    with pytest.raises(UserError):
        store.save(bad, SessionData())  # type: ignore[arg-type]
    assert not any(tmp_path.rglob("*.json"))


def test_api_key_is_never_written(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    sid = store.new_id()
    data = SessionData(model={"backend": "openai", "base_url": "http://127.0.0.1:9/v1", "model": "m",
                              "api_key": "sk-secret-123"})
    path = store.save(sid, data)
    raw = path.read_text(encoding="utf-8")
    assert "sk-secret-123" not in raw
    assert "api_key" not in raw
    assert store.load(sid).model == {"backend": "openai", "base_url": "http://127.0.0.1:9/v1", "model": "m"}


def test_missing_or_corrupt_files_give_an_empty_session(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    sid = store.new_id()
    assert store.load(sid).form == dict.fromkeys(FORM_FIELDS, "")
    store.path(sid).write_text("{not json", encoding="utf-8")
    assert store.load(sid).sections == {}
    store.path(sid).write_text(json.dumps({"form": ["x"], "sections": {"成绩": 3, "问题": "ok"},
                                           "chat": [{"role": "system", "content": "x"}, "junk"]}),
                               encoding="utf-8")
    loaded = store.load(sid)
    assert loaded.form["unit"] == ""
    assert loaded.sections == {"问题": "ok"}
    assert loaded.chat == []


def test_chat_history_is_capped(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    sid = store.new_id()
    data = SessionData(chat=[{"role": "user", "content": str(i)} for i in range(MAX_CHAT_MESSAGES + 15)])
    store.save(sid, data)
    chat = store.load(sid).chat
    assert len(chat) == MAX_CHAT_MESSAGES
    assert chat[-1]["content"] == str(MAX_CHAT_MESSAGES + 14)


def test_sessions_are_separate_files(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    a, b = store.new_id(), store.new_id()
    store.save(a, SessionData(form={**dict.fromkeys(FORM_FIELDS, ""), "unit": "甲单位"}))
    store.save(b, SessionData(form={**dict.fromkeys(FORM_FIELDS, ""), "unit": "乙单位"}))
    assert store.load(a).form["unit"] == "甲单位"
    assert store.load(b).form["unit"] == "乙单位"
    store.delete(a)
    assert store.load(a).form["unit"] == ""
    assert store.load(b).form["unit"] == "乙单位"


def test_browser_secret_is_stable(tmp_path: Path) -> None:
    first = SessionStore(tmp_path).browser_secret()
    assert len(first) >= 16
    assert SessionStore(tmp_path).browser_secret() == first
