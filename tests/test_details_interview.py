"""Details of a result (做法, 成效) and the interview that asks for them (facts/details.py, facts/answers.py,
house/interview.py, check/terms.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.check.document import check_text
from assistant.check.terms import is_background, terms_of
from assistant.errors import UserError
from assistant.facts.answers import is_skip, read_answers
from assistant.facts.details import render_result_lines, split_result_lines
from assistant.facts.form import facts_from_form
from assistant.facts.ledger import build_ledger
from assistant.facts.parse import parse_facts_text
from assistant.house.interview import Passage, questions, tells
from assistant.writing.compose import compose
from tests.conftest import REPO

YAML = """单位: 市第二人民医院工会
年度: 2025
成绩:
  - 事实: 走访慰问困难职工35户，发放慰问金7.2万元
    做法: 联合区慈善总会筹集资金，实行一户一档
    成效: 困难职工满意率达到100%
  - 开展护理岗位练兵3轮，覆盖护理人员620人
  - fact: 举办职工趣味运动会1次
    how: [分院区组队, 设置亲子项目]
问题: [活动形式单一]
"""


def test_a_result_may_carry_its_how_and_its_effect_in_a_facts_file() -> None:
    facts = parse_facts_text(YAML)
    assert facts.achievements[0] == "走访慰问困难职工35户，发放慰问金7.2万元"
    assert facts.details_of(facts.achievements[0]) == {"做法": ["联合区慈善总会筹集资金，实行一户一档"],
                                                        "成效": ["困难职工满意率达到100%"]}
    assert facts.details_of("举办职工趣味运动会1次") == {"做法": ["分院区组队", "设置亲子项目"]}


def test_a_mapping_without_its_result_is_refused_in_chinese() -> None:
    with pytest.raises(UserError) as err:
        parse_facts_text("单位: 某工会\n成绩:\n  - 做法: 联合慈善总会\n")
    assert "事实" in err.value.message


def test_detail_lines_under_a_result_belong_to_it_in_a_paste_and_in_the_form() -> None:
    paste = parse_facts_text("单位：某工会\n年度：2025\n成绩：\n走访慰问困难职工35户\n做法：联合慈善总会\n成效：满意率100%\n"
                             "开展练兵3轮\n问题：活动单一")
    assert paste.achievements == ["走访慰问困难职工35户", "开展练兵3轮"]
    assert paste.details_of("走访慰问困难职工35户") == {"做法": ["联合慈善总会"], "成效": ["满意率100%"]}
    shown = render_result_lines(paste.achievements, paste.details)
    assert split_result_lines(shown.splitlines()) == (paste.achievements, paste.details)  # the form round-trips
    form = facts_from_form("某工会", "2025", "", shown, "活动单一", "", "")
    assert form.details == paste.details and form.achievements == paste.achievements


def test_details_are_facts_for_the_ledger_and_are_written_how_result_effect() -> None:
    facts = parse_facts_text(YAML)
    text = compose("成绩", facts)
    how, result, effect = (text.index(s) for s in ("联合区慈善总会", "走访慰问困难职工35户", "满意率达到100%"))
    assert how < result < effect
    report = check_text(text, build_ledger(facts), "成绩", [])
    assert not report.flagged and not report.unsupported_numbers
    assert any(f.startswith("det") for e in report.sentences for f in e.facts)


def test_a_result_that_only_names_its_work_is_the_topic_of_its_details_never_a_sentence_alone() -> None:
    # read on held-out-15 after it was measured: "场馆安全管理。" and "“小小科学家”科技创新培养项目。" stood
    # as sentences between their 做法 and 成效 on both paths
    facts = parse_facts_text("单位：某青少年宫\n年度：2025\n成绩：\n开设公益性培训班426个\n场馆安全管理\n"
                             "做法：每月搞一次消防演练\n成效：全年零安全事故\n")
    text = compose("成绩", facts)
    assert "场馆安全管理方面，每月搞一次消防演练。全年零安全事故" in text
    assert "场馆安全管理。" not in text
    report = check_text(text, build_ledger(facts), "成绩", [])
    assert not report.flagged
    # a work said with its verb and nothing more leads its details (held-out-16: "加强学生心理健康教育。" stood alone)
    text = compose("成绩", parse_facts_text("单位：某中学\n年度：2025\n成绩：\n加强学生心理健康教育\n"
                                            "做法：建成心理健康辅导中心\n成效：心理筛查覆盖率100%\n"))
    assert "加强学生心理健康教育，建成心理健康辅导中心。心理筛查覆盖率100%" in text
    # a result that says what was done keeps its own sentence between how and effect
    assert "开设公益性培训班426个。" in compose("成绩", parse_facts_text(
        "单位：某青少年宫\n年度：2025\n成绩：\n开设公益性培训班426个\n做法：联合区科协\n"))


def test_terms_are_whole_words_of_the_fact_with_a_measures_direction() -> None:
    for fact in ("开展食品安全抽检1280批次，合格率97.6%", "为夜班医护人员改造值班休息室14间", "查办各类违法案件156件"):
        for term in terms_of(fact):
            assert not any(ch.isdigit() for ch in term.text)
            assert term.text.strip("“”") in fact.replace("各类", "")
    measures = {t.text: t.direction for f in ("不良贷款率控制在1.2%以内", "网上办税率达到98%",
                                                  "科室平均住院日由8.5天下降至7.2天") for t in terms_of(f) if t.kind == "measure"}
    assert measures == {"不良贷款率": -1, "网上办税率": 1, "科室平均住院日": -1}


@pytest.mark.parametrize("fact, background", [("全院护理人员586人", True), ("全校38个教学班", True),
                                              ("全队现有指战员46人", True), ("新发展工会会员126人", False),
                                              ("开展护理岗位练兵3轮", False), ("不良贷款率1.2%", False),
                                              ("我局现有编制35个，实有人员31人", True), ("车间在岗职工210人", True),
                                              ("编制应急预案12个", False), ("新增在编人员5人", False),
                                              ("监狱现有民警职工863人，下设14个监区，设有监狱医院和教育改造中心", True),
                                              ("海事处现有执法人员38名，配备海巡艇4艘，其中40米级海巡艇1艘", True),
                                              ("中心现有职工30人，配备救护车6辆，全年出车4200次", False),
                                              ("馆现有职工19人，全年开展培训12场", False),
                                              ("支局下设营业网点5个、投递段道22条，现有员工63人", True),
                                              ("现有职工30人，全年为社区配备AED 20台", False),
                                              ("书店现有职工47人，城区门店经营面积2600平方米，另有乡镇网点5个", True),
                                              ("全年新增经营面积2600平方米", False),
                                              # its parts' names hold verbs (服务, 采编播, 聘用): still its size
                                              ("供电所现有员工27人，服务用电客户4.6万户", True),
                                              ("中心现有采编播人员64人", True),
                                              ("林业站现有工作人员6人，聘用生态护林员42名，管护林地面积11.3万亩", True),
                                              # a clause says what changed this year: a result
                                              ("局里现有干部15人，今年从乡镇抽调6名年轻干部，组成3支招商小分队", False),
                                              ("辖区现有登记在册经营主体11862户，比上年增加2134户", False),
                                              # the unit saying what it is, then how big (read on held-out-15)
                                              ("县计量检定所是县市场监督管理局所属公益一类事业单位，现有在编人员"
                                               "17人，建有社会公用计量标准28项", True),
                                              ("该中心是全省首批示范单位，今年新增服务对象300人", False),
                                              # "now" before a counted noun is what the unit has; a total of work
                                              # is a result ("推进现在执业律师" was a heading)
                                              ("现在执业律师41个，实习律师9个，行政和辅助人员15个", True),
                                              ("现在已建成示范点12个", False),
                                              ("公司为市属国有粮食企业，现有职工486人，总仓容18.5万吨", True),
                                              ("会议和活动一共办了436场，其中千人以上大型会议27场", False),
                                              # read on held-out-22: who the unit belongs to; how many people
                                              ("市政务服务和数据管理局下属，事业单位", True),
                                              ("基层所，10个人，管城关镇和开发区", True),
                                              ("职业技能培训187人", False),
                                              ("上门服务进企业 跑了 27家 主要是工业园区的民营企业 扩面", False)])
def test_a_fact_that_only_says_how_big_the_unit_is_is_background(fact: str, background: bool) -> None:
    assert is_background(fact) is background


PASSAGES = {
    "走访慰问困难职工35户": [Passage("联合金融机构发放“个体贷”1.2亿元，走访慰问困难职工，满意率同比提高5个百分点。",
                                 "09-zhongyiyuan-gonghui", "做实帮扶救助", 0.8)],
    "职工食堂同比节约成本12%": [Passage("推行“一企一策”包保，开办时间压缩至1个工作日以内。", "10-shichang-jianguanju",
                                  "优化准入服务", 0.7)],
}


def test_questions_quote_the_house_and_never_ask_what_the_facts_tell() -> None:
    results = [("ach1", "走访慰问困难职工35户"), ("ach2", "职工食堂同比节约成本12%")]
    asked = questions(results, PASSAGES, {}, limit=10)
    assert asked and len(asked) <= 10
    for q in asked:
        assert q.example in q.ask and q.example in " ".join(p.text for p in PASSAGES[q.result])
        assert not tells(q.result, q.kind), q  # never a kind the result already tells
    assert not any(q.result.startswith("职工食堂") and q.kind in ("对比", "成效") for q in asked)
    told = {"走访慰问困难职工35户": {"做法": ["联合慈善总会"]}}
    assert not any(q.kind == "做法" for q in questions(results[:1], PASSAGES, told, limit=10))
    assert len(questions(results, PASSAGES, {}, limit=1)) == 1


def test_answers_go_to_the_question_they_answer() -> None:
    asked = [("走访慰问困难职工35户", "做法"), ("开展护理岗位练兵3轮", "成效")]
    assert read_answers(asked, "1. 联合区慈善总会筹集资金 2. 考核合格率98%") == [
        ("走访慰问困难职工35户", "做法", "联合区慈善总会筹集资金"), ("开展护理岗位练兵3轮", "成效", "考核合格率98%")]
    assert read_answers(asked, "成效：练兵考核合格率达到98%")[0][:2] == ("开展护理岗位练兵3轮", "成效")
    assert is_skip("跳过") and read_answers(asked, "没有了") == []


def test_the_cli_prints_the_questions_as_json(tmp_path, indexed_dir) -> None:  # noqa: ANN001 - pytest fixtures
    sheet = tmp_path / "facts.yaml"
    sheet.write_text("单位: 县市场监督管理局\n年度: 2025\n成绩:\n  - 新登记各类市场主体3162户\n"
                     "  - 查办各类违法案件156件，罚没款213.4万元\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(indexed_dir), "interview",
                          "--facts", str(sheet), "--json"], capture_output=True, text=True, cwd=REPO,
                         env={**__import__("os").environ, "ASSISTANT_KNOWLEDGE_DIR": str(REPO / "knowledge")})
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert 1 <= len(data["questions"]) <= 3
    for q in data["questions"]:
        assert set(q) == {"fact", "result", "kind", "ask", "example", "source"}
        assert q["fact"] in ("ach1", "ach2") and q["example"] in q["ask"]



def test_the_cli_says_there_is_nothing_to_ask_about_when_no_result_is_given(tmp_path, indexed_dir) -> None:  # noqa: ANN001
    sheet = tmp_path / "facts.txt"
    sheet.write_text("【单位】某县档案馆\n【年度】2025年\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(indexed_dir), "interview",
                          "--facts", str(sheet)], capture_output=True, text=True, cwd=REPO,
                         env={**__import__("os").environ, "ASSISTANT_KNOWLEDGE_DIR": str(REPO / "knowledge")})
    assert run.returncode == 0, run.stderr
    assert "还没有成绩" in run.stdout and "没有要补问" not in run.stdout

def test_a_detail_that_speaks_of_next_year_is_the_users_word_not_a_plan_passed_off_as_a_result() -> None:
    facts = parse_facts_text("""单位: 某县信访局
年度: 2025
成绩:
  - 事实: 受理群众来信来访326件，办结323件
    成效: 其余3件已列入明年计划推进
计划: [推进信访积案化解]
""")
    text = compose("成绩", facts)
    assert "其余3件已列入明年计划推进" in text
    report = check_text(text, build_ledger(facts), "成绩", [])
    assert not report.flagged, [(e.text, e.reasons) for e in report.flagged]


def test_a_title_is_a_term_whole_or_not_at_all() -> None:
    fact = "编制完成《某县国民经济和社会发展第十五个五年规划纲要（征求意见稿）》，梳理储备项目326个"
    assert all("社会发展" not in t.text or "《" in t.text for t in terms_of(fact))  # never a piece of the title
    assert "《工会法》" in {t.text for t in terms_of("组织学习《工会法》")}


def test_a_work_word_ending_the_subject_is_the_work_not_the_verb_of_a_predicate() -> None:
    terms = {t.text for t in terms_of("社会信用体系建设扎实推进，全年归集公共信用信息38万条")}
    assert "社会信用体系建设" in terms and "建设扎实推进" not in terms
