"""In Debian's chromium, on the template backend: each draft and hand edit is a version; two versions are compared
as tracked changes and an earlier one restored (as a new version); the full text is exported as Word with tracked
changes against a chosen earlier version, and python-docx finds the w:ins / w:del in it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser_support import (
    RunningApp,
    act,
    box,
    fill_sample,
    pick_section,
    value_re,
    versions_of,
    wait_until,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]



def start(page: Any, unit: str) -> None:
    fill_sample(page)
    box(page, "unit").fill(unit)


def test_a_hand_edit_is_compared_and_the_draft_restored(app: RunningApp, page: Any) -> None:
    unit = "版本测试工会"
    start(page, unit)
    pick_section(page, "开头")
    act(page, "起草本节", "“开头”已起草")
    draft = box(page, "draft")
    drafted = draft.input_value()
    cut = re.search(r"(?<=。)[^。]+[：:]$", drafted)  # the opening's lead-in to the body ("现将……如下：")
    assert cut is not None, drafted
    draft.fill(drafted[:cut.start()])
    page.locator("#outline-box textarea").click()  # leaving the box keeps the edit
    wait_until(lambda: len(versions_of(app, unit, "开头")) == 2, what="the hand edit to become a version")

    page.get_by_role("tab", name="版本").click()
    page.locator("#ver-target").get_by_text("开头", exact=True).click()
    table = page.locator("#ver-table")
    expect(table).to_contain_text("手动")
    expect(table).to_contain_text("模板")
    expect(table).to_contain_text("通过")
    page.locator("#ver-compare-btn").click()  # the older version against the current text
    diff = page.locator("#ver-diff")
    expect(diff.locator(".diff del")).to_have_text(cut.group(0))
    expect(diff).to_contain_text("修改 1 处")
    expect(page.locator("#status-line")).to_contain_text("已比较“开头”")

    page.locator("#ver-restore-btn").click()
    expect(page.locator("#status-line")).to_contain_text("已把“开头”恢复为 #")
    expect(table.locator("tbody tr").first).to_contain_text("恢复")
    kept = versions_of(app, unit, "开头")
    assert [v.origin for v in kept] == ["restore", "hand", "template"]
    assert kept[0].text == kept[2].text == drafted and kept[0].id > kept[1].id
    page.get_by_role("tab", name="起草").click()
    expect(draft).to_have_value(drafted)
    page.get_by_role("tab", name="全文与导出").click()
    expect(box(page, "document")).to_have_value(value_re(re.escape(cut.group(0))))


def test_word_export_with_tracked_changes_against_a_chosen_version(app: RunningApp, page: Any) -> None:
    unit = "修订导出测试工会"
    start(page, unit)
    act(page, "起草全文", "全文已起草")
    first = versions_of(app, unit, "全文")
    assert len(first) == 1 and first[0].origin == "template"

    document = box(page, "document")
    expect(document).to_have_value(value_re("培训12期"))
    document.fill(document.input_value().replace("培训12期", "培训15期"))
    page.get_by_role("tab", name="版本").click()  # leaving the box keeps the edit
    wait_until(lambda: len(versions_of(app, unit, "全文")) == 2, what="the edited full text to become a version")
    page.get_by_role("tab", name="全文与导出").click()
    picker = page.locator("#ver-export-pick")
    expect(picker.locator("input")).to_have_value(re.compile(rf"^#{first[0].id} · "))  # the version before the edit

    page.locator("#tracked-btn").click()
    expect(page.locator("#status-line")).to_contain_text("已导出带修订的 Word 文件", timeout=60_000)
    expect(page.locator("#status-line")).to_contain_text(f"与版本 #{first[0].id}")
    link = page.locator("#export-file a").first
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        link.click()
    target = Path(app.services.settings.data_dir) / "tracked.docx"
    info.value.save_as(target)

    import docx

    body = docx.Document(str(target)).element.body
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    inserted = ["".join(t.text or "" for t in e.iter(f"{{{ns['w']}}}t")) for e in body.findall(".//w:ins", ns)]
    deleted = ["".join(t.text or "" for t in e.iter(f"{{{ns['w']}}}delText")) for e in body.findall(".//w:del", ns)]
    assert "15" in "".join(inserted) and "12" in "".join(deleted)
    authors = {e.get(f"{{{ns['w']}}}author") for e in body.findall(".//w:ins", ns) + body.findall(".//w:del", ns)}
    assert authors == {"写作助手"}
    assert len(inserted) == len(deleted) == 1, (inserted, deleted)  # one changed number, one revision pair
