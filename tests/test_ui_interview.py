"""In Debian's chromium, on the template backend: while the facts are thin, 起草全文 makes the chat ask what the house
writes and the facts lack; three numbered answers become details under their results in the form, and the next
draft says them and nothing else new."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser_support import RunningApp, act, box, fill_sample, send_chat, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ANSWERS = ["联合区总工会逐户上门核实", "按工种分班由技师现场授课", "由各基层工会分片区组织报名"]


def _han(text: str) -> str:
    return "".join(re.findall(r"[\u4e00-\u9fff]", text))


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", text))


def test_three_answers_become_details_and_the_next_draft_says_them(app: RunningApp, page: Any) -> None:
    fill_sample(page)
    act(page, "起草全文", "全文已起草")
    expect(page.locator("#status-line")).to_contain_text("“对话”页有 3 个补充提问")
    page.get_by_role("tab", name="全文与导出").click()
    before = box(page, "document").input_value()
    page.get_by_role("tab", name="对话").click()
    chat = page.locator("#chatbot")
    expect(chat).to_contain_text("【补充提问】")
    asked = chat.inner_text()
    assert asked.count("范文写") == 3 and asked.count("）：") >= 3  # three questions, each quoting the house

    send_chat(page, "\n".join(f"{i}. {a}" for i, a in enumerate(ANSWERS, 1)))
    wait_idle(page)
    expect(chat).to_contain_text("已记下")
    form = box(page, "achievements")
    for answer in ANSWERS:  # shown under their results, to be checked before they are drafted
        expect(form).to_have_value(re.compile(rf"\n\s+(?:做法|成效)：{answer}"))

    page.get_by_role("tab", name="起草").click()
    act(page, "起草全文", "全文已起草")
    page.get_by_role("tab", name="全文与导出").click()
    after = box(page, "document").input_value()
    for answer in ANSWERS:
        assert _han(answer) in _han(after), answer
    assert len(_han(after)) > len(_han(before))
    assert _numbers(after) <= _numbers(before)  # the answers have no number: none may appear
    # every sentence the first draft did not have says one of the answers (or is a heading over them)
    old = {s for s in re.split(r"[。\n]", before) if s.strip()}
    new = [s for s in re.split(r"[。\n]", after) if s.strip() and s not in old]
    for sentence in new:
        assert any(_han(a)[:4] in _han(sentence) for a in ANSWERS) or len(_han(sentence)) <= 16, sentence
