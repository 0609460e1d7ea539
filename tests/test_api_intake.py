"""Natural fact intake through the real OpenAI-compatible server, driven by the official `openai` client."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest

from tests.conftest import make_settings
from tests.server_support import serving

pytestmark = pytest.mark.integration

ONE_LINE = "单位：某街道工会 年度：2025 成绩：组织职工疗休养2批，参加86人 请起草全文"
PLAIN = "我们是县水务局工会，今年组织职工疗休养2批，参加86人；走访困难职工12户。明年打算建职工书屋。请帮我写总结"


@pytest.fixture(scope="module")
def client(indexed_dir: Path) -> Iterator[openai.OpenAI]:
    """The real app (template backend) on a free loopback port."""
    from assistant.interfaces.server import create_app

    mp = pytest.MonkeyPatch()
    for key in list(os.environ):
        if key.startswith("ASSISTANT_"):
            mp.delenv(key)
    try:
        with serving(create_app(make_settings(indexed_dir))) as url:
            yield openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0, timeout=120)
    finally:
        mp.undo()


def _ask(client: openai.OpenAI, content: str) -> tuple[str, dict[str, object]]:
    resp = client.chat.completions.create(model="summary-writer", messages=[{"role": "user", "content": content}])
    return resp.choices[0].message.content or "", (resp.model_extra or {}).get("x_assistant", {})


def test_one_line_labels_give_a_full_draft_with_the_unit_year_and_number(client: openai.OpenAI) -> None:
    text, meta = _ask(client, ONE_LINE)
    assert meta["task"] == "full"
    assert text.startswith("某街道工会2025年工作总结")
    assert "某街道工会" in text and "86人" in text and "2批" in text
    assert "【待补充：年度】" not in text and "【待补充：单位名称】" not in text
    assert "年度：" not in text and "请起草全文" not in text  # labels and the request are not facts


def test_plain_sentences_give_a_draft_with_the_unit_and_no_invented_year(client: openai.OpenAI) -> None:
    text, meta = _ask(client, PLAIN)
    assert meta["task"] == "full"
    assert text.startswith("县水务局工会【待补充：年度】年工作总结")  # "今年" names no year: a visible slot
    for fact in ("参加86人", "走访困难职工12户", "明年打算建职工书屋"):
        assert fact in text
    assert "请帮我写总结" not in text and "我们是县水务局工会" not in text


def test_a_lead_in_line_never_reaches_the_draft(client: openai.OpenAI) -> None:
    text, _ = _ask(client, "单位：城关镇工会\n年度：2024\n今年我们中心工会主要做了这些事：\n"
                           "1. 1.5万元用于职工书屋建设，新购图书800册\n2. 组织职工疗休养2批\n起草主要成绩部分")
    assert "这些事" not in text
    assert "1.5万元用于职工书屋建设" in text and "800册" in text
