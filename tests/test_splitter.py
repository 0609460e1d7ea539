"""The structure-aware splitter: headings, heading paths, section roles, kept-together runs, no lost text."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.ingest.readers import read_document
from assistant.ingest.splitter import (
    MAX_CHUNK_CHARS,
    ROLE_CUES,
    find_headings,
    is_heading_only,
    split_document,
)
from assistant.schema import ROLES, Chunk, Document
from tests.conftest import KNOWLEDGE, SHARED

CORPUS = SHARED / "corpus" / "gov-work-reports"


def _doc(text: str, title: str = "", year: str = "") -> Document:
    return Document(doc_id="t", title=title, text=text, year=year)


def _knowledge(prefix: str) -> tuple[Document, list[Chunk]]:
    path = next(KNOWLEDGE.glob(f"{prefix}-*.md"))
    doc = read_document(path)
    return doc, split_document(doc)


def _squash(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def _body_without_headings(doc: Document) -> str:
    """The document text minus lines that are only headings (they live in heading_path)."""
    lines = doc.text.split("\n")
    heading_only = set()
    for h in find_headings(doc.text, title=doc.title):
        if h.ordinal is None or is_heading_only(lines[h.line]):
            heading_only.add(h.line)
    return _squash("".join(line for i, line in enumerate(lines) if i not in heading_only))


def _assert_round_trip(doc: Document, chunks: list[Chunk]) -> None:
    assert _squash("".join(c.text for c in chunks)) == _body_without_headings(doc)


def _corpus_docs() -> list[Document]:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not beside the repo ({CORPUS}); it is not shipped with the project")
    return [read_document(p) for p in sorted(CORPUS.glob("gwr_*.txt"))]


# ---- the five house examples ----------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["01", "02", "03", "04", "05"])
def test_knowledge_chunks_are_well_formed(prefix: str) -> None:
    doc, chunks = _knowledge(prefix)
    assert chunks[0].role == "开头" and chunks[0].heading_path == ()
    assert [c.order for c in chunks] == list(range(len(chunks)))
    assert all(c.chunk_id == f"{doc.doc_id}:{c.order}" and c.doc == doc.doc_id for c in chunks)
    assert all(c.title == doc.title and c.role in ROLES and c.text.strip() for c in chunks)
    _assert_round_trip(doc, chunks)


def test_numbered_level_one_headings_of_01() -> None:
    _, chunks = _knowledge("01")
    paths = list(dict.fromkeys(c.heading_path for c in chunks if c.heading_path))
    assert paths == [("一、学习工作方针政策,统一广大职工思想",), ("二、结合实际,积极开展各项工会工作",),
                     ("三、注重解决问题,切实做好服务基层、服务群众工作",)]
    # "注重解决问题" is a results heading, not a problems section
    assert [c.role for c in chunks if c.heading_path == paths[2]][0] == "成绩"


def test_unnumbered_headings_of_02() -> None:
    doc, chunks = _knowledge("02")
    headings = find_headings(doc.text, title=doc.title)
    assert [(h.text, h.level, h.ordinal) for h in headings] == [
        ("团结动员广大职工充分发挥主力军作用", 1, None), ("全面贯彻两个普遍", 1, None), ("工会大学校有作为", 1, None)]
    assert Counter(c.heading_path for c in chunks) == {
        (): 1, ("团结动员广大职工充分发挥主力军作用",): 4, ("全面贯彻两个普遍",): 5, ("工会大学校有作为",): 3}


def test_run_in_level_two_headings_of_04() -> None:
    doc, chunks = _knowledge("04")
    level_two = [h for h in find_headings(doc.text) if h.level == 2]
    assert [h.text for h in level_two] == ["(一)学习政治理论,提高全体干部职工的政治素质和思想政治觉悟",
                                           "(二)学习专业技术,不断提高职工专业技术水平,促进全员学习活动深入开展"]
    first = chunks[1]
    assert first.heading_path == ("一、围绕中心工作,始终抓住学习不放松,开展各项创优活动,促进职工队伍整体素质的提高",
                                  level_two[0].text)
    assert first.text.startswith("(一)学习政治理论") and "一年来根据各级部署安排" in first.text
    following = next(c for c in chunks if c.text.startswith("我们在注意培养的同时"))
    assert following.heading_path[-1] == level_two[1].text


def test_roles_of_the_examples_follow_the_documented_rules() -> None:
    roles = {p: [c.role for c in _knowledge(p)[1]] for p in ("01", "02", "03", "04", "05")}
    _, chunks04 = _knowledge("04")
    problem = next(c for c in chunks04 if "但是还存在一定的不足和问题" in c.text)
    assert problem.role == "问题" and problem.text.startswith("经过全体干部职工共同努力")
    ending04 = chunks04[-1]
    assert ending04.text.startswith("在新的一年里") and ending04.role == "结尾"  # a pledge, no task
    assert roles["01"][-1] == "结尾" and roles["03"][-1] == "结尾"  # 作出更大的贡献 / 总之
    _, chunks05 = _knowledge("05")
    assert "来年,局工会将倍加努力" in chunks05[-1].text and chunks05[-1].role == "计划"
    assert set(roles["02"][1:]) == {"成绩"}
    for role_list in roles.values():
        assert role_list[0] == "开头" and "成绩" in role_list


def test_enumeration_runs_stay_whole_in_the_examples() -> None:
    for prefix in ("02", "04", "05"):
        doc, chunks = _knowledge(prefix)
        runs = [p for p in doc.text.split("\n") if "一是" in p]
        assert runs
        for run in runs:
            assert sum(run in c.text for c in chunks) == 1


# ---- rules on small documents ---------------------------------------------------------------------

def test_long_paragraphs_are_cut_at_sentence_ends_but_runs_are_not() -> None:
    sentence = "全年组织职工开展技能培训和劳动竞赛，参训职工的操作水平有了明显提高。"
    long_para = sentence * 30
    run = "一是" + sentence * 12 + "二是" + sentence * 12
    doc = _doc(f"开头一段。\n\n{long_para}\n\n{run}")
    chunks = split_document(doc)
    pieces = [c.text for c in chunks if c.text != "开头一段。" and not c.text.startswith("一是")]
    assert len(pieces) > 1 and "".join(pieces) == long_para
    assert all(len(p) <= MAX_CHUNK_CHARS and p.endswith("。") for p in pieces)
    assert [c.text for c in chunks if c.text.startswith("一是")] == [run]


def test_dash_lines_and_lead_ins_join_their_paragraph() -> None:
    text = ("各位代表：\n现在，我代表国务院作报告。\n\n一、工作回顾\n\n一年来的主要工作是：\n\n"
            "——经济平稳快速增长。\n国内生产总值增长10.7%。\n\n——经济效益稳步提高。\n\n全国财政收入增加。")
    chunks = split_document(_doc(text))
    texts = [c.text for c in chunks]
    assert texts[0] == "各位代表：\n现在，我代表国务院作报告。"
    assert "一年来的主要工作是：\n——经济平稳快速增长。\n国内生产总值增长10.7%。" in texts
    assert "——经济效益稳步提高。\n全国财政收入增加。" in texts


def test_unnumbered_heading_needs_body_after_it() -> None:
    text = "今年工作取得成效。\n\n职工之家建设\n\n全年新建职工书屋15个。\n\n某某区总工会\n\n2021年12月20日"
    headings = find_headings(text)
    assert [h.text for h in headings] == ["职工之家建设"]
    chunks = split_document(_doc(text))
    assert chunks[-1].text == "2021年12月20日" and chunks[-1].heading_path == ("职工之家建设",)


def test_title_line_is_not_a_heading_or_a_chunk() -> None:
    text = "2021年测试工会工作总结\n\n今年以来，我会认真履职。\n\n一、加强学习\n\n全年学习12次。"
    doc = _doc(text, title="2021年测试工会工作总结")
    assert [h.text for h in find_headings(text, title=doc.title)] == ["一、加强学习"]
    chunks = split_document(doc)
    assert [c.text for c in chunks] == ["今年以来，我会认真履职。", "全年学习12次。"]
    assert [c.role for c in chunks] == ["开头", "成绩"]


def test_one_sentence_numbered_paragraph_is_body_text() -> None:
    line = "(二)继续推进科教兴交人才开发战略,强化交通职工业务技术教育培训,全面完成了市交通局下达的年度教育培训计划任务。"
    assert not is_heading_only(line)
    assert is_heading_only("一、学习工作方针政策,统一广大职工思想。")
    chunks = split_document(_doc(f"一、加强学习\n\n{line}"))
    assert [c.text for c in chunks] == [line]
    assert chunks[0].heading_path == ("一、加强学习", line[:-1])


def test_roles_by_headings_and_cues() -> None:
    text = ("今年以来，我局认真开展各项工作，现将工作总结如下：\n\n"
            "一、主要工作\n\n（一）加强学习\n\n全年组织学习12次。\n\n"
            "二、存在的问题\n\n一是学习不够深入。二是制度落实不到位。\n\n"
            "三、下一步工作打算\n\n（一）深化学习\n\n继续抓好理论学习。\n\n"
            "总之，我们将再接再厉，为全区发展作出更大贡献。")
    chunks = split_document(_doc(text))
    assert [c.role for c in chunks] == ["开头", "成绩", "问题", "计划", "结尾"]
    assert chunks[3].heading_path == ("三、下一步工作打算", "（一）深化学习")


def test_document_without_headings_gets_roles_from_cues() -> None:
    text = ("今年以来，我们在上级领导下开展工作。\n\n全年新建书屋15个。\n\n"
            "但是还存在一些不足，活动形式还比较单一。\n\n明年，我们将继续扩大书屋覆盖面。")
    assert [c.role for c in split_document(_doc(text))] == ["开头", "成绩", "问题", "计划"]


def test_plan_cues_with_next_year_and_problems_with_weak_cues() -> None:
    text = ("今年工作取得成效。\n\n一、工作开展情况\n\n全年开展活动20次。\n\n"
            "2022年，我们将围绕中心工作开展劳动竞赛。\n\n"
            "部分单位工作不够扎实，活动覆盖面不足，发展不平衡。\n\n针对存在的问题，我们及时整改。")
    chunks = split_document(_doc(text, year="2021"))
    assert [c.role for c in chunks] == ["开头", "成绩", "计划", "问题", "成绩"]


def test_role_cues_are_exported_for_every_role() -> None:
    assert set(ROLE_CUES) == set(ROLES)
    assert "清醒地看到" in ROLE_CUES["问题"] and "下一步" in ROLE_CUES["计划"] and "总之" in ROLE_CUES["结尾"]


# ---- the government work reports ------------------------------------------------------------------

def test_corpus_level_one_headings_count_from_one() -> None:
    for doc in _corpus_docs():
        ordinals = [h.ordinal for h in find_headings(doc.text, title=doc.title) if h.level == 1 and h.ordinal]
        assert ordinals == list(range(1, len(ordinals) + 1)), doc.doc_id
        assert len(ordinals) >= 2, doc.doc_id


def test_corpus_splits_round_trip_and_have_roles() -> None:
    for doc in _corpus_docs():
        chunks = split_document(doc)
        _assert_round_trip(doc, chunks)
        roles = Counter(c.role for c in chunks)
        assert chunks[0].role == "开头", doc.doc_id
        assert roles["成绩"] and roles["问题"], doc.doc_id
        long_ones = [c for c in chunks if len(c.text) > MAX_CHUNK_CHARS]
        # only enumeration runs or single long sentences may exceed the limit
        assert all(re.search(r"一是.*二是", c.text, re.S) or c.text.count("。") <= 1 for c in long_ones)


def test_corpus_2007_sections_and_roles() -> None:
    doc = next(d for d in _corpus_docs() if d.doc_id == "gwr_2007")
    chunks = split_document(doc)
    review = [c for c in chunks if c.heading_path and c.heading_path[0] == "一、2006年工作回顾"]
    tasks = [c for c in chunks if c.heading_path and c.heading_path[0].startswith(("二、", "三、", "四、"))]
    assert review and tasks
    assert {c.role for c in tasks} == {"计划"}
    problems = [c for c in review if c.role == "问题"]
    assert problems and problems[0].text.startswith("我们也清醒地看到")
    assert sum(c.role == "成绩" for c in review) > len(review) // 2
    run_in = [c for c in review if len(c.heading_path) == 2]
    assert run_in[0].heading_path[1] == "（一）加强和改善宏观调控" and run_in[0].text.startswith("（一）加强和改善宏观调控。")


# ---- properties -------------------------------------------------------------------------------------

_LINE_PARTS = st.sampled_from(["一、", "（二）", "3.", "(4)", "一是", "二是", "——", "总之，", "明年，", "但是还存在",
                               "清醒地看到", "。", "，", "：", "\n", "\n\n", " ", "\u3000", "职工之家", "工作总结",
                               "全年培训120人次", "x" * 30, "《", "》"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_split_never_crashes_and_keeps_text_for_any_unicode(text: str) -> None:
    doc = _doc(text)
    chunks = split_document(doc)
    _assert_round_trip(doc, chunks)
    assert all(c.role in ROLES for c in chunks)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE_PARTS, max_size=80).map("".join), st.sampled_from(["", "2021"]))
def test_split_keeps_text_for_heading_like_input(text: str, year: str) -> None:
    doc = _doc(text, year=year)
    chunks = split_document(doc)
    _assert_round_trip(doc, chunks)
    assert [c.order for c in chunks] == list(range(len(chunks)))
