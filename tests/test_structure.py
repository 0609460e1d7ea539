"""Heading numbering checks (docs/GENRE.md §A.1) on small outlines, the house examples and the real reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.readers import read_document
from assistant.ingest.splitter import find_headings
from assistant.ingest.structure import check_numbering, outline_of
from assistant.schema import Document

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
CORPUS = REPO.parent / "shared" / "corpus" / "gov-work-reports"


def _issues(*lines: str) -> list[tuple[str, int, str]]:
    """Check an outline written as heading lines, each followed by a line of body text."""
    text = "\n\n".join(f"{line}\n\n正文内容写在这里。" for line in lines)
    return [(i.kind, i.line, i.message) for i in check_numbering(find_headings(text))]


def _report(year: int) -> Document:
    path = CORPUS / f"gwr_{year}.txt"
    if not path.is_file():
        pytest.skip(f"the shared corpus is not beside the repo ({CORPUS}); it is not shipped with the project")
    return read_document(path)


def test_a_well_numbered_outline_has_no_issues() -> None:
    assert _issues("一、学习", "（一）政治学习", "1.集中学习", "（1）每周一次", "（2）每月一次", "2.自学",
                   "（二）业务学习", "二、活动", "（一）文体活动", "三、存在的问题") == []


def test_gap_names_the_section_and_the_missing_numeral() -> None:
    found = _issues("一、回顾", "二、任务", "三、发展", "（一）甲", "（二）乙", "（四）丁", "（五）戊")
    assert [(k, m) for k, _, m in found] == [("gap", "第三部分中（二）之后缺少（三）")]
    assert found[0][1] == 4 * 5  # the line of "（四）丁": heading, blank, body, blank per item


def test_gap_of_several_and_at_level_one() -> None:
    found = _issues("一、甲", "四、丁")
    assert found == [("gap", 4, "一级标题中“一、”之后缺少“二、”和“三、”")]
    assert "至" in _issues("（一）甲", "（五）戊")[1][2]


def test_skip_level_wrong_start_and_restart() -> None:
    found = _issues("一、甲", "1.子项", "二、乙", "（二）乙二", "三、丙", "（一）丙一", "（二）丙二", "（一）又一")
    kinds = [k for k, _, _ in found]
    assert kinds == ["skip_level", "wrong_start", "restart"]
    assert found[0][2] == "第一部分中“1.”跳过了上一级标题（缺少（一）这一级）"
    assert found[1][2] == "第二部分中二级标题应从（一）开始，实际从（二）开始"
    assert found[2][2] == "第三部分中（二）之后又出现（一），编号没有依次递增"


def test_numbering_restarts_under_every_new_parent() -> None:
    assert _issues("一、甲", "（一）a", "（二）b", "二、乙", "（一）c", "三、丙", "（一）d", "（二）e", "（三）f") == []


def test_unnumbered_headings_open_a_new_parent() -> None:
    assert _issues("团结动员广大职工", "（一）劳动竞赛", "（二）劳模评选", "全面贯彻两个普遍", "（一）工会组建") == []
    found = _issues("团结动员广大职工", "（二）劳动竞赛")
    assert found == [("wrong_start", 4, "“团结动员广大职工”中二级标题应从（一）开始，实际从（二）开始")]


def test_house_examples_are_numbered_correctly() -> None:
    for path in sorted(KNOWLEDGE.glob("0*.md")):
        doc = read_document(path)
        assert outline_of(doc), path.name
        assert check_numbering(outline_of(doc)) == [], path.name


def test_2007_report_misses_section_three_item_three() -> None:
    issues = check_numbering(outline_of(_report(2007)))
    assert len(issues) == 1
    issue = issues[0]
    assert (issue.kind, issue.message) == ("gap", "第三部分中（二）之后缺少（三）")
    doc = _report(2007)
    assert doc.text.split("\n")[issue.line].startswith("（四）")


@pytest.mark.parametrize("year", [2005, 2012, 2018])
def test_reports_checked_by_hand_have_no_issues(year: int) -> None:
    outline = outline_of(_report(year))
    assert sum(h.level == 2 for h in outline) >= 9  # these reports do have level-2 sections to check
    assert check_numbering(outline) == []
