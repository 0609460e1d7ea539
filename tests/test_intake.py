"""Natural fact intake: facts read from a chat message or paste in any of its forms, the request's own words never
taken for facts, and every fact verified against the user's text."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.facts.intake import (
    describe,
    merge_into,
    read_conversation,
    read_message,
    request_spans,
    verified,
    verify_fact,
)
from assistant.interfaces.replies import detect_request, facts_from_conversation
from assistant.schema import Facts
from assistant.text.numbers import find_quantities

ONE_LINE = "单位：某街道工会 年度：2025 成绩：组织职工疗休养2批，参加86人 请起草全文"
PLAIN = "我们是县水务局工会，今年组织职工疗休养2批，参加86人；走访困难职工12户。明年打算建职工书屋。请帮我写总结"
MANY_LINES = ("单位：市交通运输局工会\n年度：2024\n"
              "成绩：\n1. 组织职工技能培训12期，参训860人次\n2. 走访慰问困难职工45户，发放慰问金9.6万元\n"
              "问题：基层工会经费使用不够规范\n计划：完善困难职工帮扶机制\n起草主要成绩部分")


def test_labels_on_one_line() -> None:
    facts = read_message(ONE_LINE)
    assert (facts.unit, facts.year) == ("某街道工会", "2025")
    assert facts.achievements == ["组织职工疗休养2批，参加86人"]
    assert facts.problems == facts.plans == facts.notes == []
    assert request_spans(ONE_LINE) == ["请起草全文"]
    assert detect_request(ONE_LINE).task == "full"


def test_labels_on_many_lines() -> None:
    facts = read_message(MANY_LINES)
    assert (facts.unit, facts.year) == ("市交通运输局工会", "2024")
    assert facts.achievements == ["组织职工技能培训12期，参训860人次", "走访慰问困难职工45户，发放慰问金9.6万元"]
    assert facts.problems == ["基层工会经费使用不够规范"]
    assert facts.plans == ["完善困难职工帮扶机制"]
    assert (detect_request(MANY_LINES).task, detect_request(MANY_LINES).role) == ("section", "成绩")


def test_plain_sentences() -> None:
    facts = read_message(PLAIN)
    assert facts.unit == "县水务局工会"
    assert facts.year == ""  # "今年" names no year: left empty, not invented
    assert facts.achievements == ["今年组织职工疗休养2批，参加86人；", "走访困难职工12户。"]
    assert facts.plans == ["明年打算建职工书屋。"]
    assert request_spans(PLAIN) == ["请帮我写总结"]
    assert detect_request(PLAIN).task == "full"


def test_plain_sentences_with_a_stated_year() -> None:
    facts = read_message("我们是县水务局工会。2025年，我们组织职工疗休养2批，参加86人。帮我写一下主要成绩部分")
    assert (facts.unit, facts.year) == ("县水务局工会", "2025")
    assert facts.achievements == ["2025年，我们组织职工疗休养2批，参加86人。"]


def test_full_width_colons_and_a_number_with_wan() -> None:
    message = "单位：市一中工会　年度：２０２４　成绩：走访慰问困难教职工26户，发放慰问金11.6万元　请起草全文"
    facts = read_message(message)
    assert (facts.unit, facts.year) == ("市一中工会", "2024")
    assert facts.achievements == ["走访慰问困难教职工26户，发放慰问金11.6万元"]
    assert [q.raw for q in find_quantities(facts.achievements[0])] == ["26户", "11.6万元"]


def test_half_width_colons_and_comma_separated_labels() -> None:
    facts = read_message("单位:县医院工会，年度:2024，成绩:开展义诊5次，服务群众300人次。请生成提纲")
    assert (facts.unit, facts.year) == ("县医院工会", "2024")
    assert facts.achievements == ["开展义诊5次，服务群众300人次。"]


@pytest.mark.parametrize("message", ["请起草全文", "帮我写一下主要成绩部分", "再写一下存在的问题", "请写800字左右",
                                     "这份总结的语气是不是太硬了？", "下一步计划怎么写？"])
def test_a_message_that_is_only_a_request_has_no_facts(message: str) -> None:
    assert read_message(message).is_empty()
    assert request_spans(message)


def test_a_fact_line_and_a_revision_request() -> None:
    message = "成绩：组织职工疗休养2批，参加86人\n请把第二部分写简洁些"
    facts = read_message(message)
    assert facts.achievements == ["组织职工疗休养2批，参加86人"]
    assert request_spans(message) == ["请把第二部分写简洁些"]
    assert detect_request(message).task == "chat"


@pytest.mark.parametrize("fact", ["写春联送万家活动3场", "请专家为职工授课3次", "编写材料20篇"])
def test_a_fact_that_opens_like_a_request_stays_a_fact(fact: str) -> None:
    assert read_message(f"成绩：{fact}").achievements == [fact]


def test_a_request_before_a_fact_leaves_the_fact() -> None:
    assert read_message("请起草全文，今年组织疗休养2批").achievements == ["今年组织疗休养2批"]


def test_a_lead_in_in_a_chat_message_is_no_fact() -> None:
    facts = read_message("今年我们中心工会主要做了这些事：\n1. 1.5万元用于职工书屋建设，新购图书800册\n请起草全文")
    assert facts.achievements == ["1.5万元用于职工书屋建设，新购图书800册"]


def test_conversation_reads_every_user_message() -> None:
    facts = facts_from_conversation([ONE_LINE, "问题：活动形式单一\n再写一下存在的问题"])
    assert facts.unit == "某街道工会" and facts.problems == ["活动形式单一"]
    assert facts == read_conversation([ONE_LINE, "问题：活动形式单一\n再写一下存在的问题"])


# --- the verifier -----------------------------------------------------------------------------------------
SOURCE = "我们是县水务局工会，今年组织职工疗休养2批，参加86人；走访慰问困难职工35户，发放慰问金7.2万元。"


def test_verify_accepts_the_users_own_words() -> None:
    assert verify_fact("组织职工疗休养2批，参加86人", SOURCE) == []
    assert verify_fact("组织职工疗休养2批， 参加86人", SOURCE) == []  # blanks do not matter


@pytest.mark.parametrize(("fact", "reason"), [
    ("组织职工疗休养3批，参加86人", "3批"),  # a changed number
    ("参加860人", "860"),  # a number that is only part of a written one
    ("筹集爱心捐款7.2万元", "爱心捐款"),  # a real number on an invented event
    ("组织职工疗休养2批，参加86人，满意度100%", "100%"),  # an added quantity
    ("开展技术操作比赛", "技术操作比赛"),  # an invented activity without a number
])
def test_verify_refuses_what_the_user_did_not_write(fact: str, reason: str) -> None:
    reasons = verify_fact(fact, SOURCE)
    assert reasons and any(reason in r for r in reasons)


def test_a_fact_that_fails_verification_is_dropped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    forged = Facts(unit="县水务局工会", year="2025", title="市总工会工作总结",
                   achievements=["组织职工疗休养2批，参加86人", "开展技术操作比赛3场"],
                   problems=["走访慰问困难职工35户"], plans=["明年建职工书屋"])
    with caplog.at_level(logging.WARNING, logger="assistant.facts.intake"):
        kept = verified(forged, SOURCE)
    assert kept.unit == "县水务局工会"
    assert kept.year == "" and kept.title == ""  # neither is in the user's text
    assert kept.achievements == ["组织职工疗休养2批，参加86人"]
    assert kept.problems == ["走访慰问困难职工35户"]
    assert kept.plans == []
    logged = caplog.text
    assert "开展技术操作比赛3场" in logged and "明年建职工书屋" in logged and "2025" in logged


def test_a_chinese_year_is_found_in_the_text() -> None:
    assert verified(Facts(year="2024"), "二〇二四年我们培训3期").year == "2024"


# --- the form ---------------------------------------------------------------------------------------------
def test_merge_fills_empty_fields_and_appends_without_duplicates() -> None:
    form = Facts(unit="县水务局工会", achievements=["今年组织职工疗休养2批，参加86人"], plans=[])
    read = read_message(PLAIN)
    merged = merge_into(form, read)
    assert merged.unit == "县水务局工会"
    assert merged.achievements == ["今年组织职工疗休养2批，参加86人", "走访困难职工12户。"]  # "…86人；" is the same fact
    assert merged.plans == ["明年打算建职工书屋。"]
    other = merge_into(Facts(unit="别的单位"), read)
    assert other.unit == "别的单位"  # what the user typed in the form is never replaced


def test_describe_says_what_was_read() -> None:
    assert describe(read_message(ONE_LINE)) == "单位、年度、成绩 1 条"
    assert describe(read_message(PLAIN)) == "单位、成绩 2 条、计划 1 条"
    assert describe(Facts()) == ""


# --- the template's chat answer says what the facts really hold --------------------------------------------
def test_template_chat_never_asks_for_facts_that_are_there() -> None:
    from assistant.writing.outline import template_chat_reply

    filled = Facts(unit="市交通运输局工会", year="2024", achievements=["组织职工技能培训12期", "走访困难职工45户"])
    reply = template_chat_reply("这份总结的语气是不是太硬了？", filled)
    assert "已有的事实：单位、年度、成绩 2 条" in reply
    assert "还没有" not in reply and "右侧" not in reply and "请填写" not in reply
    empty = template_chat_reply("这份总结的语气是不是太硬了？", Facts())
    assert "还没有收到任何事实" in empty and "左侧" in empty and "右侧" not in empty
    partial = template_chat_reply("你好", Facts(achievements=["组织职工技能培训12期"]))
    assert "还缺：单位、年度" in partial


def test_template_chat_drafts_what_the_request_names_not_what_the_facts_mention() -> None:
    from assistant.writing.outline import template_chat_reply

    facts = read_message(ONE_LINE)
    whole = template_chat_reply(ONE_LINE, facts)
    assert whole.startswith("某街道工会2025年工作总结") and "参加86人" in whole and "【待补充：年度】" not in whole
    only_facts = "单位：某街道工会 年度：2025 成绩：组织职工疗休养2批，参加86人"
    assert template_chat_reply(only_facts, read_message(only_facts)).startswith("当前是模板模式")
    problems = template_chat_reply("帮我写存在的问题", Facts(unit="某工会", problems=["活动形式单一"]))
    assert "活动形式单一" in problems


# --- more of what people type -------------------------------------------------------------------------------
def test_a_greeting_and_a_self_introduction_are_not_facts() -> None:
    message = ("你好，我是市人民医院工会的干事，今年我们开展了护士节技能竞赛3场，慰问困难职工42户，发放慰问金6.3万元。"
               "存在的问题是青年医护人员参加活动少。明年计划建成母婴关爱室2间。麻烦帮我起草一份年度工作总结，谢谢！")
    facts = read_message(message)
    assert facts.unit == "市人民医院工会"
    assert facts.achievements == ["今年我们开展了护士节技能竞赛3场，慰问困难职工42户，发放慰问金6.3万元。"]
    assert facts.problems == ["青年医护人员参加活动少。"]  # the label is no fact
    assert facts.plans == ["明年计划建成母婴关爱室2间。"]
    assert detect_request(message).task == "full"


def test_unit_and_year_stated_after_the_request() -> None:
    facts = read_message("帮我写开头。单位是城南街道总工会，2024年。")
    assert (facts.unit, facts.year) == ("城南街道总工会", "2024")
    assert facts.achievements == []
    assert detect_request("帮我写开头。单位是城南街道总工会，2024年。").role == "开头"


def test_a_list_numbered_inside_one_line() -> None:
    facts = read_message("主要工作：1. 培训3期 2. 慰问10户 3）1.5万元用于职工书屋\n起草全文")
    assert facts.achievements == ["培训3期", "慰问10户", "1.5万元用于职工书屋"]


def test_asking_what_is_wrong_is_not_a_request_for_the_problems_section() -> None:
    assert detect_request("能不能帮我看看这段有什么问题？").task == "chat"
    assert detect_request("帮我写存在的问题").role == "问题"


def test_a_long_paste_of_hundreds_of_items_is_read_and_drafted() -> None:
    from assistant.writing.compose import compose

    lines = [f"{i}. 组织第{i}批职工技能培训{i % 17 + 2}期，参训{i * 3 + 100}人次\n" for i in range(1, 301)]
    facts = read_message("单位：某工会\n年度：2024\n主要工作如下：\n" + "".join(lines) + "请起草全文")
    assert len(facts.achievements) == 300 and facts.achievements[149] == "组织第150批职工技能培训16期，参训550人次"
    text = compose("成绩", facts)
    assert all(f"组织第{i}批职工技能培训" in text for i in (1, 150, 300))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_message_gives_verified_facts(text: str) -> None:
    spans = request_spans(text)
    assert all(span in text for span in spans)
    facts = read_message(text)
    for item in (*facts.achievements, *facts.problems, *facts.plans, *facts.notes):
        assert verify_fact(item, text) == []


def test_a_lead_in_that_names_the_unit_and_year_gives_them() -> None:
    message = ("我们是县农业农村局，2025年主要做了这些：建成高标准农田2.6万亩；培育家庭农场48家。"
               "问题是农业社会化服务体系不健全。请帮我写全文")
    facts = read_message(message)
    assert (facts.unit, facts.year) == ("县农业农村局", "2025")
    assert facts.achievements == ["建成高标准农田2.6万亩；", "培育家庭农场48家。"]


def test_a_paste_that_asks_for_the_summary_gives_no_fact_of_its_asking() -> None:
    """"以下是……的主要工作情况，请帮忙写一份年度工作总结。" asks; it states nothing but who and which year."""
    from assistant.facts.paste import parse_free_text

    facts = parse_free_text("以下是安平县疾病预防控制中心2025年的主要工作情况，请帮忙写一份年度工作总结。\n"
                            "1. 完成儿童免疫规划疫苗接种12.6万剂次\n2. 撰写调研报告3篇\n3. 请示上级追加经费30万元")
    assert facts.unit == "安平县疾病预防控制中心" and facts.year == "2025"
    assert not any("请帮忙" in a or "以下是" in a for a in facts.achievements), facts.achievements
    # an instruction verb or 请示 inside a fact is the fact's own
    assert "撰写调研报告3篇" in facts.achievements and "请示上级追加经费30万元" in facts.achievements
