"""The page as a user meets it, in Debian's chromium: 起草全文 shows section k/5 and unit i/n with an estimate and
leaves the section radio where the user put it; a paste over the limit gets a Chinese message (and a Chinese toast
title) before anything reaches a model; 检查模型 asks the server for its model list, or says why it cannot."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser_support import (
    RunningApp,
    box,
    fill_sample,
    open_app,
    pick_section,
    reload_restored,
    running_app,
    send_chat,
    use_openai,
    value_re,
    wait_idle,
)
from tests.conftest import make_settings
from tests.stub_openai_server import StubReply, running_stub

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KEY = "sk-page-check-never-shown-8d1"


def test_drafting_all_shows_progress_and_the_radio_stays(page: Any) -> None:
    with running_stub(default=StubReply("全年组织职工技能培训12期，参训860人次。", delay=1.5)) as stub:
        fill_sample(page)
        use_openai(page, stub.base_url, "stub-model")
        page.get_by_role("tab", name="起草").click()
        pick_section(page, "问题")
        page.get_by_role("button", name="起草全文", exact=True).click()
        status = page.locator("#status-line")
        expect(status).to_contain_text("正在起草全文：第 2/5 部分“成绩”：第 ", timeout=120_000)
        expect(status).to_contain_text("预计还需约")
        radio = page.locator('[data-testid="问题-radio-label"] input')
        expect(radio).to_be_checked()
        expect(status).to_contain_text("全文已起草", timeout=240_000)
        wait_idle(page)
        assert stub.requests, "the model was asked"
    page.get_by_role("tab", name="起草").click()
    expect(radio).to_be_checked()
    expect(box(page, "draft")).to_have_value(value_re("经费使用不够规范"))  # the box shows 问题, as the radio says
    reload_restored(page)
    expect(page.locator('[data-testid="问题-radio-label"] input')).to_be_checked()


def test_the_form_shows_where_each_fact_is_used_and_follows_hand_edits(page: Any) -> None:
    fill_sample(page)
    panel = page.locator("#fact-use-panel")
    page.get_by_role("tab", name="起草").click()
    page.get_by_role("button", name="起草全文", exact=True).click()
    expect(page.locator("#status-line")).to_contain_text("全文已起草", timeout=120_000)
    wait_idle(page)
    expect(panel).to_contain_text("条已写入全文", timeout=30_000)
    expect(panel).not_to_contain_text("全文未使用")
    expect(panel).to_contain_text("成绩 第 ")
    expect(panel).to_contain_text("计划 第 ")
    page.get_by_role("tab", name="全文").click()
    document = box(page, "document")
    text = document.input_value()
    problems = text.index("二、") if "二、" in text else -1
    assert problems > 0, text[:300]
    document.fill(text[:problems])  # the user cuts everything after the first part
    expect(panel).to_contain_text("全文未使用", timeout=30_000)
    expect(panel.locator("li.unused").first).to_be_visible()


_FACT_ID = r"\b(?:ach|prob|plan|note)\d+\b"


def test_after_drafting_all_the_check_and_fact_use_panels_agree(page: Any) -> None:
    """One ledger, one numbering: the 核查 panel's list of facts and the fact-use panel's say the same facts are
    used at the same places ("成绩 第 2 句"), and no internal id (ach1, prob2 …) is shown or in a tooltip."""
    import re

    fill_sample(page)
    page.get_by_role("tab", name="起草").click()
    page.get_by_role("button", name="起草全文", exact=True).click()
    expect(page.locator("#status-line")).to_contain_text("全文已起草", timeout=120_000)
    wait_idle(page)
    fact_use = page.locator("#fact-use-panel li")
    expect(page.locator("#fact-use-panel")).to_contain_text("条已写入全文", timeout=30_000)
    page.get_by_role("tab", name="起草").click()
    check = page.locator("#check-panel .fact-list li")
    expect(check.first).to_be_visible(timeout=30_000)
    beside_form = [t.strip() for t in fact_use.all_inner_texts()]
    in_check = [t.strip() for t in check.all_inner_texts()]
    assert beside_form and beside_form == in_check
    assert any("问题 第 " in t for t in in_check) and any("计划 第 " in t for t in in_check)
    places = page.locator("#check-panel [data-place]").evaluate_all("els => els.map(e => e.dataset.place)")
    numbered = [p for p in places if p != "标题"]
    assert numbered and all(re.fullmatch(r"(开头|成绩|问题|计划|结尾) 第 \d+ 句", p) for p in numbered)
    shown = page.locator("body").inner_text()
    titles = page.locator("[title]").evaluate_all("els => els.map(e => e.getAttribute('title'))")
    assert not re.search(_FACT_ID, shown), re.search(_FACT_ID, shown)
    assert not [t for t in titles if re.search(_FACT_ID, t or "")]


def test_the_model_check_reports_what_the_server_said(page: Any) -> None:
    with running_stub(models=["stub-model", "qwen2.5:7b"], api_key=KEY) as stub:
        use_openai(page, stub.base_url, "stub-model", KEY)
        page.get_by_role("button", name="检查模型").click()
        report = page.locator("#model-status")
        expect(report).to_contain_text("提供 2 个模型：stub-model、qwen2.5:7b", timeout=30_000)
        expect(report).to_contain_text("将使用“stub-model”")
        box(page, "api-key").fill("sk-wrong")
        page.get_by_role("button", name="检查模型").click()
        expect(report).to_contain_text("拒绝了访问（401）", timeout=30_000)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    box(page, "base-url").fill(f"http://127.0.0.1:{port}/v1")
    page.get_by_role("button", name="检查模型").click()
    expect(report).to_contain_text("连接被拒绝", timeout=30_000)
    assert KEY not in page.content() and "sk-wrong" not in page.content()


@pytest.fixture()
def small_app(tmp_path: Path) -> Iterator[RunningApp]:
    empty = tmp_path / "knowledge"
    empty.mkdir()
    with running_app(make_settings(tmp_path / "data", knowledge_dir=empty, max_input_kb=1)) as running:
        yield running


def test_a_paste_over_the_limit_is_refused_in_chinese(small_app: RunningApp, context: Any) -> None:
    page = open_app(context, small_app.url)
    box(page, "unit").fill("市第一中学工会")
    paste = "组织职工技能培训12期，参训860人次。" * 150  # about 7 KB against a 1 KB limit
    box(page, "free-text").click()
    page.keyboard.insert_text(paste)
    line = page.locator("#status-line .status-error")
    expect(line).to_contain_text("“其他材料（可粘贴）”中的文字太大（超过上限 1 KB，粘贴时已被截断）", timeout=30_000)
    assert len(box(page, "free-text").input_value()) == 1025  # the box keeps one character over the limit
    title = page.locator('[data-testid="toast-body"] .toast-title').first
    expect(title).to_be_visible()
    assert title.evaluate("e => getComputedStyle(e, '::before').content") == '"提示"'
    assert title.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # Gradio's English "Warning" is hidden
    expect(box(page, "unit")).to_have_value("市第一中学工会")

    send_chat(page, paste, paste=True)
    expect(line).to_contain_text("“对话消息”中的文字太大", timeout=30_000)
    wait_idle(page)
    expect(page.locator("#chatbot")).not_to_contain_text("组织职工技能培训")  # nothing was sent on
