"""The Python API on the template backend, and the drafting Runnable composing with other LangChain pieces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langchain_core.runnables import RunnableLambda

from assistant.errors import UserError
from assistant.interfaces.sdk import Assistant
from assistant.schema import Facts, SummaryDocument
from tests.conftest import KNOWLEDGE

FACTS = {
    "unit": "市交通运输局工会",
    "year": "2024",
    "achievements": ["组织职工技能培训12期，参训860人次", "走访慰问困难职工45户，发放慰问金9.6万元"],
    "problems": ["基层工会经费使用不够规范"],
    "plans": ["完善困难职工帮扶机制"],
}


@pytest.fixture()
def assistant(indexed_dir: Path) -> Assistant:
    return Assistant.from_settings(data_dir=indexed_dir, knowledge_dir=KNOWLEDGE, backend="template")


def test_ingest_and_search(assistant: Assistant) -> None:
    report = assistant.ingest()
    assert report.chunks_added == 0 and report.unchanged  # already indexed: nothing embedded again
    hits = assistant.search("困难职工帮扶 送温暖", k=3, role="achievements")
    assert hits and all(h.role == "成绩" for h in hits)


def test_outline_draft_check_export(assistant: Assistant, tmp_path: Path) -> None:
    facts_file = tmp_path / "facts.json"
    facts_file.write_text(json.dumps(FACTS, ensure_ascii=False), encoding="utf-8")
    outline = assistant.outline(FACTS)
    assert outline.text.startswith("一、")
    draft = assistant.draft(facts_file, "成绩")  # the same facts, from a file
    assert "860人次" in draft.text and "9.6万元" in draft.text
    assert draft.check is not None and draft.check.ok
    assert assistant.check(Facts.from_json(FACTS), draft.text, "成绩").ok
    bad = assistant.check(FACTS, draft.text + "另组织培训99期。", "成绩")
    assert not bad.ok and any("99" in n for n in bad.unsupported_numbers)
    md = assistant.export(FACTS, tmp_path / "总结.md")
    text = md.read_text(encoding="utf-8")
    assert "市交通运输局工会" in text and "860人次" in text and "完善困难职工帮扶机制" in text
    doc = SummaryDocument(title="测试", sections=[draft], unit="市交通运输局工会")
    docx = assistant.export(doc, tmp_path / "总结.docx")
    assert docx.stat().st_size > 1000


def test_user_mistakes_are_user_errors(assistant: Assistant, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="未知的部分"):
        assistant.draft(FACTS, "序言")
    with pytest.raises(UserError, match="找不到事实文件"):
        assistant.draft(tmp_path / "missing.yaml")
    with pytest.raises(UserError):
        assistant.draft({})  # no facts at all


def test_drafting_runnable_streams_and_composes(assistant: Assistant) -> None:
    runnable = assistant.drafting_runnable("成绩")
    expected = assistant.draft(FACTS, "成绩").text
    pieces = list(runnable.stream(FACTS))
    assert len(pieces) > 3 and "".join(pieces) == expected
    assert runnable.invoke(FACTS) == expected
    chain = runnable | RunnableLambda(len)
    assert chain.invoke(FACTS) == len(expected)
    opening = RunnableLambda(lambda unit: {**FACTS, "unit": unit}) | assistant.drafting_runnable("opening")
    first, second = opening.batch(["甲区工会", "乙区工会"])
    assert "甲区工会" in first and "乙区工会" not in first and "乙区工会" in second
