"""One reading of a summary's parts: the check, the exporter's text reader, the revision diff and the page agree
on where each part starts, and `check` accepts the project's own Markdown and Word exports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.export.assemble import assemble_text
from assistant.export.markdown_export import to_markdown
from assistant.export.revisions import compare
from assistant.export.text_document import document_from_text
from assistant.facts.parse import load_facts_file
from assistant.schema import SummaryDocument
from assistant.services import build_services
from assistant.text.sections import read_summary, section_roles, summary_lines
from assistant.ui.rendering import render_fact_use
from tests.conftest import REPO, make_settings

SHEETS = sorted((REPO / "bench" / "draft_sheets").glob("*.yaml"))[:4]
PROBLEMS_HEADING = "四、存在的主要问题"


@pytest.fixture(scope="module")
def services(indexed_dir: Path):  # noqa: ANN201 - the Services graph
    return build_services(make_settings(indexed_dir))


@pytest.fixture(scope="module")
def drafted(services) -> list[tuple[object, SummaryDocument]]:  # noqa: ANN001
    out = []
    for sheet in SHEETS:
        facts = load_facts_file(sheet)
        doc = services.drafting.draft_all(facts)
        doc.date = "2026年1月15日"
        out.append((facts, doc))
    return out


def _flagged_by_layout(report) -> list[str]:  # noqa: ANN001 - a CheckReport
    return [f"{e.text}：{'；'.join(e.reasons)}" for e in report.sentences
            if e.flagged and any("格式符号" in r or "1月15日" in r or "2026" in r for r in e.reasons)]


def test_check_accepts_our_own_markdown_export(services, drafted) -> None:  # noqa: ANN001
    for facts, doc in drafted:
        plain = services.drafting.check(facts, assemble_text(doc))
        markdown = services.drafting.check(facts, to_markdown(doc))
        assert not _flagged_by_layout(markdown), _flagged_by_layout(markdown)
        assert markdown.ok == plain.ok and markdown.counts() == plain.counts()
        assert markdown.unsupported_numbers == plain.unsupported_numbers == []


def test_check_accepts_text_read_from_our_word_export(services, drafted, tmp_path: Path) -> None:  # noqa: ANN001
    from assistant.ingest.readers import read_document

    for i, (facts, doc) in enumerate(drafted):
        path = services.exporter.export_to(doc, tmp_path / f"s{i}.docx")
        text = read_document(path).text
        assert "2026年1月15日" in text  # the signature's date is in the text the check reads
        report = services.drafting.check(facts, text)
        assert not _flagged_by_layout(report) and report.unsupported_numbers == []


def test_a_markdown_heading_is_read_without_its_marks() -> None:
    text = "# 某局2024年工作总结\n\n## 一、抓好培训\n\n举办培训4期。\n\n## 二、存在的问题\n\n经费不足。"
    assert [ln.text for ln in summary_lines(text)] == ["某局2024年工作总结", "一、抓好培训", "举办培训4期。",
                                                        "二、存在的问题", "经费不足。"]
    for line in summary_lines(text):
        assert text[line.start:line.end] == line.text


# --- every reader agrees -----------------------------------------------------------------------------------
def _variants(doc: SummaryDocument) -> list[str]:
    """The same summary as the page, the .md export and hand edits write it: plain, Markdown, with the
    problems part under "四、存在的主要问题", and with the problems opened by a lead-in instead of a heading."""
    plain = assemble_text(doc)
    renamed = re.sub(r"^([一二三四五六七八九十]+、)存在的问题$", lambda m: PROBLEMS_HEADING, plain, flags=re.M)
    lead_in = re.sub(r"^[一二三四五六七八九十]+、存在的问题\n", "", plain, flags=re.M)
    return [plain, to_markdown(doc), renamed, lead_in]


def _check_roles(text: str) -> dict[str, str]:
    spans = section_roles(text)
    return {ln.text: next(r for s, e, r in spans if s <= ln.start < e) for ln in summary_lines(text)}


def _export_roles(text: str) -> dict[str, str]:
    doc = document_from_text(text, "标题")
    out = {}
    for s in doc.sections:
        for line in s.text.split("\n"):
            out[line] = s.role
    return out


def _revision_roles(text: str) -> dict[str, str]:
    doc = document_from_text(text, "标题")
    return {p.block.full_text: p.block.role for p in compare(doc, doc) if p.block.role}


def test_every_reader_agrees_on_the_parts(drafted) -> None:  # noqa: ANN001
    for _, doc in drafted:
        for text in _variants(doc):
            check = _check_roles(text)
            exported = _export_roles(text)
            revised = _revision_roles(text)
            assert exported, text
            for line, role in exported.items():
                assert check[line] == role, (line, check[line], role)
            for line, role in revised.items():
                if line in exported:
                    assert exported[line] == role, (line, role)
            problems = [line for line, role in check.items() if role == "问题"]
            plans = [line for line, role in check.items() if role == "计划"]
            assert problems and plans, text


def test_the_main_problems_heading_starts_the_problems_for_every_reader(drafted, services) -> None:  # noqa: ANN001
    facts, doc = drafted[0]
    text = _variants(doc)[2]
    assert PROBLEMS_HEADING in text
    summary = read_summary(text)
    problems = next(p for p in summary.parts if p.role == "问题")
    assert problems.heading is not None and problems.heading.text == PROBLEMS_HEADING
    exported = document_from_text(text, "标题")
    assert next(s for s in exported.sections if s.role == "问题").heading == "存在的主要问题"
    start = text.index(PROBLEMS_HEADING)
    assert any(s == start and r == "问题" for s, _, r in section_roles(text))
    # the page's fact-use panel names the problems by the part the same reader gives
    report = services.drafting.check(facts, text)
    panel = render_fact_use(text, report)
    for fact in facts.problems:
        assert re.search(re.escape(fact) + r".{0,80}问题 第 \d+ 句", panel), fact
