"""In Debian's chromium, on the template backend: a chat request to change a part of the drafted summary is shown
as a diff with 应用 / 放弃; 应用 changes that part (draft box, 全文, a version of origin 对话), 放弃 changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser_support import (
    SAMPLE_UNIT,
    RunningApp,
    act,
    box,
    fill_sample,
    pick_section,
    reload_restored,
    send_chat,
    value_re,
    versions_of,
    wait_idle,
    wait_until,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# An opening padded by hand with clauses that state no fact (as a model's or an older house's may be).
PADDED = f"2024年，{SAMPLE_UNIT}紧紧围绕中心工作，认真履行各项职责，团结带领广大职工扎实开展各项工作。现将2024年工作总结如下："
PADDING = "认真履行各项职责"


def draft_all(page: Any, section: str) -> None:
    """The sample facts, the radio on `section`, then 起草全文."""
    fill_sample(page)
    pick_section(page, section)
    act(page, "起草全文", "全文已起草")


def ask(page: Any, message: str) -> None:
    send_chat(page, message)
    wait_idle(page)


def test_a_more_concise_request_is_applied_from_the_chat(app: RunningApp, page: Any) -> None:
    draft_all(page, "开头")
    page.get_by_role("tab", name="起草").click()
    draft = box(page, "draft")
    draft.fill(PADDED)
    page.locator("#outline-box textarea").click()  # leaving the box keeps the hand edit
    wait_until(lambda: len(versions_of(app, SAMPLE_UNIT, "开头", containing="开头")) == 2, what="the hand edit")
    ask(page, "把开头写得更简洁一些")
    proposal = page.locator("#proposal-box")
    expect(proposal).to_be_visible()
    expect(page.locator("#status-line")).to_contain_text("已拟好修改（“开头”部分")
    expect(proposal.locator(".diff del").first).to_contain_text(PADDING)
    expect(page.locator("#chatbot")).to_contain_text("点“应用”替换原文")
    expect(draft).to_have_value(PADDED)  # nothing changes before 应用

    page.locator("#apply-btn").click()
    expect(page.locator("#status-line")).to_contain_text("已应用对“开头”部分的修改")
    expect(proposal).to_be_hidden()
    expect(page.locator("#chatbot")).to_contain_text("已应用对“开头”部分的修改")
    expect(draft).not_to_have_value(value_re(PADDING))
    expect(draft).to_have_value(value_re(f"2024年，{SAMPLE_UNIT}"))  # the subject stays
    page.get_by_role("tab", name="全文与导出").click()
    expect(box(page, "document")).not_to_have_value(value_re(PADDING))

    versions = versions_of(app, SAMPLE_UNIT, "开头", containing="开头")
    assert [v.origin for v in versions] == ["chat", "hand", "template"]
    assert PADDING not in versions[0].text and versions[1].text == PADDED

    reload_restored(page)  # the applied text is the section's text now
    expect(box(page, "draft")).not_to_have_value(value_re(PADDING))
    expect(page.locator("#proposal-box")).to_be_hidden()


def test_an_addition_can_be_discarded_and_the_text_stays(app: RunningApp, page: Any) -> None:
    draft_all(page, "成绩")
    before = box(page, "draft").input_value()
    ask(page, "加一段职工书屋的内容")
    proposal = page.locator("#proposal-box")
    expect(proposal).to_be_visible()
    expect(proposal.locator(".diff ins")).to_contain_text("【待补充：关于职工书屋的具体情况】")
    expect(page.locator("#chatbot")).to_contain_text("模板模式不会编写新内容")
    page.locator("#discard-btn").click()
    expect(page.locator("#status-line")).to_contain_text("已放弃修改")
    expect(proposal).to_be_hidden()
    expect(box(page, "draft")).to_have_value(before)
    assert "#" not in page.locator("#chatbot").inner_text()  # no Markdown marks anywhere in the chat
