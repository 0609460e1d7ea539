"""In Debian's chromium: facts pasted into the chat fill the facts form on the left, the page says what it read,
and the filled form survives a reload."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser_support import (
    RunningApp,
    box,
    reload_restored,
    saved_session,
    send_chat,
    value_re,
    wait_idle,
    wait_until,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ONE_LINE = "单位：某街道工会 年度：2025 成绩：组织职工疗休养2批，参加86人 请起草全文"
PLAIN = "我们是县水务局工会，今年组织职工疗休养2批，参加86人；走访困难职工12户。明年打算建职工书屋。请帮我写总结"


def paste_into_chat(page: Any, message: str) -> None:
    """Paste (insert text as a clipboard paste does) into the chat box, press Enter, wait for the reply."""
    send_chat(page, message, paste=True)
    expect(page.locator("#status-line")).to_contain_text("已回复", timeout=120_000)
    wait_idle(page)


def saved_year(app: RunningApp, unit: str) -> str | None:
    session = saved_session(app, unit)
    return session.form.get("year") if session else None


def test_a_one_line_labelled_message_fills_the_form(app: RunningApp, page: Any) -> None:
    paste_into_chat(page, ONE_LINE)
    expect(box(page, "unit")).to_have_value("某街道工会")
    expect(box(page, "year")).to_have_value("2025")
    expect(box(page, "achievements")).to_have_value("组织职工疗休养2批，参加86人")
    expect(page.locator("#status-line")).to_contain_text("已从消息中读到：单位、年度、成绩 1 条，已填入左侧表单，请核对")
    chat = page.locator("#chatbot")
    expect(chat).to_contain_text("某街道工会2025年工作总结")
    expect(chat).not_to_contain_text("【待补充：年度】")
    expect(chat).not_to_contain_text("右侧")
    wait_until(lambda: saved_year(app, "某街道工会") == "2025", what="the filled form saved")
    reload_restored(page)
    expect(box(page, "unit")).to_have_value("某街道工会")
    expect(box(page, "achievements")).to_have_value("组织职工疗休养2批，参加86人")


def test_a_plain_sentence_message_fills_the_form_and_merges(app: RunningApp, page: Any) -> None:
    box(page, "achievements").fill("举办职工运动会1次")
    paste_into_chat(page, PLAIN)
    expect(box(page, "unit")).to_have_value("县水务局工会")
    expect(box(page, "year")).to_have_value("")  # "今年" names no year
    expect(box(page, "achievements")).to_have_value(
        "举办职工运动会1次\n今年组织职工疗休养2批，参加86人；\n走访困难职工12户。")
    expect(box(page, "plans")).to_have_value("明年打算建职工书屋。")
    expect(page.locator("#status-line")).to_contain_text("已从消息中读到：单位、成绩 2 条、计划 1 条")
    # the same facts again: nothing is added twice
    paste_into_chat(page, "今年组织职工疗休养2批，参加86人。帮我写一下主要成绩部分")
    expect(box(page, "achievements")).to_have_value(
        "举办职工运动会1次\n今年组织职工疗休养2批，参加86人；\n走访困难职工12户。")
    expect(page.locator("#status-line")).to_contain_text("已从消息中读到：成绩 1 条，左侧表单中已有，未重复填入")
    expect(page.locator("#chatbot")).to_contain_text("走访困难职工12户")
    expect(box(page, "achievements")).not_to_have_value(value_re("请帮我写总结"))
