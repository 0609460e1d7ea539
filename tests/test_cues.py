"""Intake reads the genre's labels and cues as a reader would, whatever the wording or the subject.

Properties over many label variants (written out here by hand, not taken from the data file the code reads): a
plan under any plans label is read as a plan, a problem under any problems label as a problem; a future cue
makes a plan whoever its subject is; a connective that opens a fact goes when it is rendered, and nothing else
of the fact changes.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.facts.intake import read_message
from assistant.facts.paste import classify_fact, parse_free_text
from assistant.text.cues import future_cue, strip_connective, strip_spoken, without_plan_subject
from assistant.text.sections import label_role

PLAN_LABELS = [
    "明年准备", "明年打算", "明年思路", "明年计划", "明年工作打算", "明年工作思路", "明年工作计划", "明年重点工作",
    "明年的工作打算", "下一步", "下一步打算", "下一步工作", "下一步工作计划", "下一步工作思路", "下一步工作安排",
    "下一步工作打算", "下一步计划", "下步工作", "今后", "今后打算", "今后工作", "今后工作打算", "今后的工作思路",
    "2025年工作打算", "2025年工作思路", "2025年工作计划", "2025年重点工作", "2025年工作目标", "2025年主要目标任务",
    "2025年度工作计划", "二〇二五年工作计划", "新的一年", "新一年工作打算", "新的一年工作思路", "来年打算",
    "下一年度工作计划", "下阶段工作重点", "下一阶段工作安排", "工作计划", "工作打算", "工作思路", "计划", "打算",
    "下一步工作思路和措施", "明年工作思路和重点", "年度工作计划", "未来工作设想", "今后工作设想", "明年主要任务",
    "下一步努力方向", "明年的目标",
]
PROBLEM_LABELS = [
    "问题", "存在问题", "存在的问题", "存在的主要问题", "主要问题", "不足", "不足之处", "存在的不足", "短板",
    "薄弱环节", "差距", "问题和不足", "问题与不足", "不足和差距", "困难和问题", "工作中存在的问题", "工作中的不足",
    "存在的问题及原因", "当前存在的困难", "存在的短板和不足", "薄弱点", "弱项", "目前存在的问题", "面临的困难",
    "需要改进的地方", "存在的不足与差距", "主要不足", "存在的突出问题",
]
RESULT_LABELS = [
    "成绩", "主要成绩", "工作成绩", "主要工作", "主要工作和成绩", "工作成效", "亮点", "工作亮点", "2024年工作情况",
    "一年来的工作", "重点工作完成情况", "主要做法", "取得的成绩", "工作回顾", "一年来的工作回顾",
]
PLAN_ITEMS = ["完成2个网点的智能化改造", "开展反诈宣传20场", "新建职工书屋3个"]
PROBLEM_ITEM = "部分员工合规意识不强"


def _paste(label: str, colon: str = "：") -> str:
    return (f"单位：某银行支行\n年度：2024\n成绩：发放小微企业贷款3.2亿元\n存在问题：{PROBLEM_ITEM}\n"
            f"{label}{colon}" + "；".join(PLAN_ITEMS))


@pytest.mark.parametrize("label", PLAN_LABELS)
def test_a_plan_under_any_plans_label_is_a_plan(label: str) -> None:
    assert label_role(label) == "计划"
    for paste in (_paste(label), _paste(label, "：\n"), _paste(f"三、{label}", "\n"), _paste(f"## {label}", "\n")):
        facts = parse_free_text(paste)
        assert [p.rstrip("；") for p in facts.plans] == PLAN_ITEMS, paste
        assert facts.problems == [PROBLEM_ITEM], paste  # nothing of the plans went under the problems


@pytest.mark.parametrize("label", PROBLEM_LABELS)
def test_a_problem_under_any_problems_label_is_a_problem(label: str) -> None:
    assert label_role(label) == "问题"
    paste = f"成绩：举办培训4期\n{label}：{PROBLEM_ITEM}\n计划：开展反诈宣传20场"
    facts = parse_free_text(paste)
    assert facts.problems == [PROBLEM_ITEM] and facts.achievements == ["举办培训4期"]
    assert facts.plans == ["开展反诈宣传20场"]


@pytest.mark.parametrize("label", RESULT_LABELS)
def test_a_result_under_any_results_label_is_a_result(label: str) -> None:
    assert label_role(label) == "成绩"
    facts = parse_free_text(f"问题：经费不足\n{label}：举办培训4期")
    assert facts.achievements == ["举办培训4期"] and facts.problems == ["经费不足"]


def test_labels_are_read_with_numerals_marks_and_colons() -> None:
    for label, role in (("四、存在的主要问题", "问题"), ("## 五、下一步工作计划", "计划"), ("**明年准备：**", "计划"),
                        ("（三）不足之处：", "问题"), ("一、主要成绩", "成绩")):
        assert label_role(label) == role, label


@pytest.mark.parametrize("label, role", [("问题也有", "问题"), ("不足主要有", "问题"), ("存在的问题主要包括以下几个方面", "问题"),
                                         ("成绩主要有以下几点", "成绩"), ("计划如下", "计划"), ("下一步打算是", "计划"),
                                         # a spoken label's topic marker (held-out-16: "问题的话：" left two problems
                                         # among the results)
                                         ("问题的话", "问题"), ("不足这块主要有", "问题"), ("明年打算这一块", "计划")])
def test_a_label_with_a_listing_tail_names_its_part(label: str, role: str) -> None:
    assert label_role(label) == role
    paste = f"单位：某区档案馆\n年度：2025\n主要成绩：\n1. 接收进馆档案1.2万卷\n{label}：\n1. 举办档案展览4场"
    facts = parse_free_text(paste)
    got = {"成绩": facts.achievements, "问题": facts.problems, "计划": facts.plans}[role]
    assert got[-1] == "举办档案展览4场", paste


@pytest.mark.parametrize("line", ["问题也有很多人不理解", "成绩是大家干出来的", "计划生育"])
def test_a_sentence_that_starts_with_a_parts_name_is_no_label(line: str) -> None:
    assert label_role(line) is None


@pytest.mark.parametrize("wrap", ["【{}】", "〔{}〕", "[{}]", "■ {}", "★{}：", "二、【{}】", "- {}"])
def test_a_label_set_off_by_brackets_or_a_bullet_is_a_label(wrap: str) -> None:
    paste = (f"单位：某县林业局\n年度：2025\n{wrap.format('主要成绩')}\n1. 完成人工造林1.2万亩\n"
             f"{wrap.format('存在不足')}\n1. {PROBLEM_ITEM}\n{wrap.format('明年打算')}\n1. 完成人工造林1万亩")
    facts = parse_free_text(paste)
    assert facts.achievements == ["完成人工造林1.2万亩"], paste
    assert facts.problems == [PROBLEM_ITEM] and facts.plans == ["完成人工造林1万亩"], paste


def test_a_slot_or_a_bracketed_fact_is_no_label() -> None:
    for line in ("【待补充：下一步工作计划】", "【完成人工造林1.2万亩】", "■ 举办培训4期"):
        assert label_role(line) is None, line


def test_a_fact_line_is_no_label() -> None:
    for line in ("组织职工疗休养2批", "完成年度计划的120%", "存在的问题已全部整改", "下一步工作已部署到位的12个社区",
                 "明年准备完成2个网点改造", "重点", "工作中存在的问题得到解决"):
        assert label_role(line) is None, line


SUBJECTS = ["本局", "中心", "我们", "本站", "我所", "支行", "大队", "学校", "医院", "工会", "我院", "全局", "本馆", "街道"]
FUTURE_VERBS = ["将加强管网巡查", "将开通网上预约", "将继续做好帮扶工作", "拟新建职工书屋2个", "力争创建示范单位",
                "计划于6月完成改造", "将进一步完善制度", "将以创建为抓手推进工作", "准备开展技能竞赛"]


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(SUBJECTS), st.sampled_from(FUTURE_VERBS))
def test_a_future_cue_makes_a_plan_whoever_the_subject(subject: str, rest: str) -> None:
    sentence = f"{subject}{rest}。"
    assert future_cue(sentence)
    assert classify_fact(sentence) == "plans"
    assert parse_free_text(sentence).plans == [sentence]


def test_the_issue_s_plans_are_plans() -> None:
    assert parse_free_text("本局将加强管网巡查。中心将开通网上预约。").plans == ["本局将加强管网巡查。", "中心将开通网上预约。"]


@pytest.mark.parametrize("sentence", ["开展模拟演练3次", "超额完成年度计划", "制定年度工作计划", "将120户困难职工纳入帮扶",
                                      "将困难职工纳入帮扶档案", "草拟制度3项", "做好迎检准备工作", "举办培训4期",
                                      "争取到位省级扶持资金2310万元", "争取了项目3个"])
def test_a_result_without_a_future_cue_stays_a_result(sentence: str) -> None:
    assert future_cue(sentence) == ""
    assert classify_fact(sentence) == "achievements"


CONNECTIVES = ["另外，", "另外", "此外，", "此外", "同时，", "同时", "与此同时，", "我们还", "我们也", "另外还有", "我们还做了：",
               "还做了：", "另外还", "除此之外，", "其次，", "说句实话，", "要说明的是，", "说实话", "这里要说明一下，"]
FACTS = ["组织职工疗休养2批，参加86人", "为全区120家托育机构开展卫生评价", "走访慰问困难职工42户", "在辖区设立了3个驿站",
         "开通网上预约服务"]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(CONNECTIVES), st.sampled_from(FACTS))
def test_a_connective_goes_and_the_fact_stays_word_for_word(connective: str, fact: str) -> None:
    assert strip_connective(connective + fact) == fact
    assert strip_connective(fact) == fact  # a fact without a connective is never touched


@pytest.mark.parametrize("time", ["全年", "今年", "一年来"])
def test_a_time_before_the_connective_stays(time: str) -> None:
    assert strip_connective(f"{time}我们还在辖区设立了3个驿站") == f"{time}在辖区设立了3个驿站"


@pytest.mark.parametrize("text", ["同时期相比增长5%", "还有待提高", "此外", "另外，", "同期开展3次", "还存在经费不足的问题"])
def test_what_is_not_an_opening_connective_is_left_alone(text: str) -> None:
    assert strip_connective(text) == text


def test_chat_intake_drops_conversational_lead_ins() -> None:
    for lead in ("我们还做了：", "另外还有", "此外，", "另外，我们还"):
        read = read_message(f"{lead}为全区120家托育机构开展卫生评价")
        assert read.achievements == ["为全区120家托育机构开展卫生评价"], lead


def test_every_label_variant_pair_reads_the_same() -> None:
    """A plans label and a problems label in either order: each item lands under its own label."""
    for plan, problem in itertools.islice(itertools.product(PLAN_LABELS[::5], PROBLEM_LABELS[::4]), 40):
        facts = parse_free_text(f"{plan}：开展反诈宣传20场\n{problem}：{PROBLEM_ITEM}")
        assert facts.plans == ["开展反诈宣传20场"] and facts.problems == [PROBLEM_ITEM], (plan, problem)


@pytest.mark.parametrize("plan, unit, rest", [
    ("本馆将启动主题展厅建设", "某市科技馆", "启动主题展厅建设"),
    ("公司将加快推进航站楼改扩建二期工程", "某机场有限公司", "加快推进航站楼改扩建二期工程"),
    ("县侨联将开展海外侨情调查", "某县归国华侨联合会", "开展海外侨情调查"),  # its short form
    ("我们将推进平台互联互通", "某市机关事务管理局", "推进平台互联互通"),
    ("计划2026年改造老旧管网70公里", "某热力公司", "2026年改造老旧管网70公里"),
])
def test_a_plan_loses_who_will_do_it_and_keeps_its_words(plan: str, unit: str, rest: str) -> None:
    assert without_plan_subject(plan, unit) == rest


@pytest.mark.parametrize("plan", ["县第三中学新校区将于2026年秋季投入使用", "将困难职工纳入帮扶范围", "力争新认定高新技术企业15家",
                                  "2026年计划新建活动室2个", "将"])
def test_a_plan_whose_subject_is_not_the_unit_is_left_alone(plan: str) -> None:
    assert without_plan_subject(plan, "某县教育局") == plan


@pytest.mark.parametrize("marker", ["说实话", "说句实话，", "老实说，", "需要说明的是，", "老实讲", "坦白讲，",
                                    "说句实在话，"])
def test_a_spoken_marker_inside_a_fact_goes_and_its_words_stay(marker: str) -> None:
    """A remark opened by a spoken marker after the fact's first sentence or clause: the marker is how the user
    talks; the words are theirs and stay, in order, and the rest of the fact is untouched."""
    from assistant.writing.template import clean_fact

    head, said = "全年借阅图书5820册次，比上年下降20%。", "现在村里看纸质书的人越来越少"
    assert strip_spoken(head + marker + said) == head + said
    assert clean_fact(f"办实事12件，{marker}{said}。") == f"办实事12件，{said}"
    assert strip_spoken(head + said) == head + said  # no marker: nothing changes
    assert strip_spoken("他说实话实说的作风") == "他说实话实说的作风"  # not at a sentence's or clause's head
