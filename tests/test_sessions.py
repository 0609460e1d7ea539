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


# --- expiry and the CLI ------------------------------------------------------------------------------------
DAY = 86400.0


def _aged(store: SessionStore, unit: str, days: float) -> str:
    import os
    import time

    sid = store.new_id()
    data = SessionData()
    data.form["unit"] = unit
    path = store.save(sid, data)
    stamp = time.time() - days * DAY
    os.utime(path, (stamp, stamp))
    return sid


def test_sessions_untouched_past_the_setting_are_pruned(tmp_path: Path) -> None:
    store = SessionStore(tmp_path, max_age_days=30)
    old = _aged(store, "旧单位", 31)
    fresh = _aged(store, "新单位", 29)
    secret = store.browser_secret()
    assert store.prune() == [old]
    assert not store.path(old).exists() and store.path(fresh).exists()
    assert store.browser_secret() == secret  # not a session: never pruned
    assert [s.id for s in store.list()] == [fresh] and store.list()[0].unit == "新单位"


def test_loading_prunes_at_most_hourly_and_an_expired_session_loads_empty(tmp_path: Path) -> None:
    store = SessionStore(tmp_path, max_age_days=1)
    old = _aged(store, "旧单位", 2)
    assert store.load(old).form["unit"] == ""  # the first load prunes: the expired session is gone
    assert not store.path(old).exists()
    again = _aged(store, "旧单位", 2)
    assert store.load(again).form["unit"] == "旧单位"  # within the hour: not pruned again yet
    store._pruned_at -= 2 * 3600
    assert store.load(again).form["unit"] == ""


def test_the_page_prunes_on_start(tmp_path: Path) -> None:
    from assistant.services import build_services
    from assistant.ui import build_ui
    from tests.conftest import make_settings

    empty = tmp_path / "knowledge"
    empty.mkdir()
    settings = make_settings(tmp_path / "data", knowledge_dir=empty, session_days=7)
    store = SessionStore(settings.sessions_dir)
    old, fresh = _aged(store, "甲", 8), _aged(store, "乙", 6)
    build_ui(build_services(settings))
    assert not store.path(old).exists() and store.path(fresh).exists()


def test_cli_lists_removes_and_prunes(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import run_cli

    monkeypatch.setenv("ASSISTANT_SESSION_DAYS", "10")
    store = SessionStore(tmp_path / "sessions")
    a, b = _aged(store, "市第一中学工会", 1), _aged(store, "市交通运输局工会", 3)
    old = _aged(store, "过期单位", 11)
    code, out, err = run_cli(["sessions", "list"], tmp_path, capsys)
    assert code == 0 and err == ""
    assert "已删除 1 个超过 10 天未使用的会话" in out and "过期单位" not in out
    assert out.index(a) < out.index(b) and "市第一中学工会" in out and "共 2 个会话" in out
    code, out, _ = run_cli(["sessions", "list", "--json"], tmp_path, capsys)
    data = json.loads(out)
    assert [s["id"] for s in data["sessions"]] == [a, b] and data["pruned"] == [] and data["session_days"] == 10
    assert not store.path(old).exists()

    code, out, _ = run_cli(["sessions", "remove", a], tmp_path, capsys)
    assert code == 0 and "已删除 1 个会话" in out and not store.path(a).exists() and store.path(b).exists()
    for bad, words in ((a, "没有编号为"), ("../../etc/passwd", "无效")):
        code, out, err = run_cli(["sessions", "remove", bad], tmp_path, capsys)
        assert code == 2 and out == "" and words in err and len(err.strip().splitlines()) == 1

    _aged(store, "又一个过期的", 12)
    code, out, _ = run_cli(["sessions", "prune", "--json"], tmp_path, capsys)
    assert code == 0 and len(json.loads(out)["pruned"]) == 1 and store.path(b).exists()


def test_the_form_is_saved_by_one_listener_over_every_field(tmp_path: Path) -> None:
    """Each save carries the whole form as it was when sent. One listener for all fields with always_last
    sends the next save only after the last came back, so an older form never lands after a newer one;
    one listener per field let two saves race (the reload test lost its facts so under load)."""
    from assistant.services import build_services
    from assistant.ui import build_ui
    from tests.conftest import make_settings

    empty = tmp_path / "knowledge"
    empty.mkdir()
    demo = build_ui(build_services(make_settings(tmp_path / "data", knowledge_dir=empty)))
    ids = {getattr(b, "elem_id", None): i for i, b in demo.blocks.items()}
    fields = {ids[name.replace("_", "-") + "-box"] for name in FORM_FIELDS}
    for name, extra in (("save_form", set()), ("fact_use", {ids["document-box"]})):  # the panel: so as well
        listeners = [f for f in demo.fns.values() if f.name == name]
        assert len(listeners) == 1, name
        assert {target for target, event in listeners[0].targets if event == "change"} == fields | extra
        assert listeners[0].trigger_mode == "always_last"
