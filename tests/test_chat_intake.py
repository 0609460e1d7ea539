"""The page's chat handler: facts stated in a message fill the facts form (merged, never duplicated or replaced),
the reply and the status say what was read, and the template answer knows the form is filled."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from assistant.services.sessions import FORM_FIELDS
from assistant.ui.callbacks import Actions
from assistant.ui.chat import ChatActions
from assistant.ui.state import UiSession
from tests.conftest import make_settings

MODEL = ["template", "", "", ""]


@pytest.fixture()
def actions(tmp_path: Path, indexed_copy: Path) -> Actions:
    from assistant.services import build_services
    from assistant.services.sessions import SessionStore

    settings = make_settings(indexed_copy)
    services = build_services(settings)
    return Actions(services, SessionStore(settings.sessions_dir), tmp_path / "downloads")


def send(actions: Actions, s: UiSession, message: str, form: dict[str, str] | None = None) -> list[dict[str, Any]]:
    values = [(form or {}).get(k, "") for k in FORM_FIELDS]
    return list(ChatActions(actions).chat(s, message, "", *values, *MODEL))


def last(updates: list[dict[str, Any]], key: str) -> Any:
    return next(u[key] for u in reversed(updates) if key in u)


def _plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def names_what_was_read(text: str, *, read: tuple[str, ...], unread: tuple[str, ...], items: int) -> None:
    """A status says which fields it read (each by its label), how many items, and names no field it did not."""
    for label in read:
        assert label in text, (label, text)
    for label in unread:
        assert label not in text, (label, text)
    assert f"{items} 条" in text, text


def test_a_one_line_message_fills_the_empty_form(actions: Actions) -> None:
    s = UiSession(sid="a" * 32)
    updates = send(actions, s, "单位：某街道工会 年度：2025 成绩：组织职工疗休养2批，参加86人 请起草全文")
    assert last(updates, "unit") == "某街道工会"
    assert last(updates, "year") == "2025"
    assert last(updates, "achievements") == "组织职工疗休养2批，参加86人"
    assert s.data.form["unit"] == "某街道工会"  # kept in the session, survives a reload
    status = _plain(last(updates, "status"))
    names_what_was_read(status, read=("单位", "年度", "成绩"), unread=("问题", "计划", "标题"), items=1)
    reply = s.data.chat[-1]["content"]
    note = reply.split("\n", 1)[0]
    assert note.startswith("（") and note.endswith("）"), "the reply opens with the page's note on what was read"
    names_what_was_read(note, read=("单位", "年度", "成绩"), unread=("问题", "计划", "标题"), items=1)
    assert "某街道工会2025年工作总结" in reply and "参加86人" in reply and "【待补充：年度】" not in reply


def test_plain_sentences_merge_with_what_the_form_holds(actions: Actions) -> None:
    s = UiSession(sid="b" * 32)
    form = {"unit": "县水务局工会", "achievements": "今年组织职工疗休养2批，参加86人\n举办职工运动会1次"}
    updates = send(actions, s, "我们是县水务局工会，今年组织职工疗休养2批，参加86人；走访困难职工12户。"
                               "明年打算建职工书屋。请帮我写总结", form)
    assert last(updates, "unit") == "县水务局工会"
    assert last(updates, "year") == ""  # "今年" is no year
    assert last(updates, "achievements") == "今年组织职工疗休养2批，参加86人\n举办职工运动会1次\n走访困难职工12户。"
    assert last(updates, "plans") == "明年打算建职工书屋。"


def test_the_form_keeps_what_the_user_typed(actions: Actions) -> None:
    s = UiSession(sid="c" * 32)
    updates = send(actions, s, "单位：别的工会 成绩：举办培训4期", {"unit": "市一中工会", "year": "2024"})
    assert last(updates, "unit") == "市一中工会"
    assert last(updates, "achievements") == "举办培训4期"
    assert "单位保留表单中的“市一中工会”" in last(updates, "status")


def test_a_request_alone_changes_no_field_and_the_reply_sees_the_filled_form(actions: Actions) -> None:
    s = UiSession(sid="d" * 32)
    form = {"unit": "市交通运输局工会", "year": "2024", "achievements": "组织职工技能培训12期，参训860人次"}
    updates = send(actions, s, "这份总结的语气是不是太硬了？", form)
    assert not any("unit" in u for u in updates)
    reply = s.data.chat[-1]["content"]
    assert "已有的事实：单位、年度、成绩 1 条" in reply
    assert "右侧" not in reply and "还没有" not in reply
    assert "已从消息中读到" not in last(updates, "status")


def test_the_read_note_is_not_fed_back_to_the_model_as_history(actions: Actions,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    s = UiSession(sid="e" * 32)
    send(actions, s, "单位：某街道工会 成绩：组织职工疗休养2批，参加86人")
    seen: list[Any] = []

    def fake_chat(facts: Any, message: str, history: Any, document: str, choice: Any) -> Any:
        seen.append(list(history))
        yield "好的。"

    monkeypatch.setattr(actions.services.drafting, "stream_chat", fake_chat)
    send(actions, s, "再写一下存在的问题", dict(s.data.form))
    assert seen and seen[0][0][0].startswith("单位：某街道工会")
    assert "已从消息中读到" not in seen[0][0][1]


def test_facts_already_in_the_form_are_not_added_again(actions: Actions) -> None:
    s = UiSession(sid="f" * 32)
    form = {"unit": "县水务局工会", "achievements": "走访困难职工12户"}
    updates = send(actions, s, "我们是县水务局工会，走访困难职工12户。请帮我写总结", form)
    assert last(updates, "achievements") == "走访困难职工12户"
    assert "左侧表单中已有，未重复填入" in last(updates, "status")
