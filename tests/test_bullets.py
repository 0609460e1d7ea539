"""One bullet stripper for facts, the template writer and the chat API: it never eats a decimal."""

from __future__ import annotations

import pytest

from assistant.facts.fields import split_items
from assistant.facts.paste import parse_free_text
from assistant.interfaces.replies import detect_request
from assistant.text.bullets import is_list_item, marker_kind, strip_bullet, strip_markdown_bullets
from assistant.writing.template import clean_fact


@pytest.mark.parametrize(("line", "expected"), [
    ("1.5万元用于职工书屋建设", "1.5万元用于职工书屋建设"),
    ("1. 1.5万元用于职工书屋建设", "1.5万元用于职工书屋建设"),
    ("1、1.5万元用于职工书屋建设", "1.5万元用于职工书屋建设"),
    ("１．５万元用于职工书屋建设", "１．５万元用于职工书屋建设"),
    ("12.5%的职工参加体检", "12.5%的职工参加体检"),
    ("3.8%的增长", "3.8%的增长"),
    ("2024年举办技能竞赛3场", "2024年举办技能竞赛3场"),
    ("1、举办培训班4期", "举办培训班4期"),
    ("1. 举办培训班4期", "举办培训班4期"),
    ("1）举办培训班4期", "举办培训班4期"),
    ("（3）走访慰问困难职工26户", "走访慰问困难职工26户"),
    ("(3) 走访慰问困难职工26户", "走访慰问困难职工26户"),
    ("- 走访慰问困难职工26户", "走访慰问困难职工26户"),
    ("• 走访慰问困难职工26户", "走访慰问困难职工26户"),
    ("一是开展职工技能培训", "开展职工技能培训"),
    ("一、开展职工技能培训", "开展职工技能培训"),
    ("（一）开展职工技能培训", "开展职工技能培训"),
    ("①举办读书月活动", "举办读书月活动"),
    ("1. （1）举办读书月活动", "举办读书月活动"),
    ("\u3000\u3000- 12期培训", "12期培训"),
    ("一年来，工会举办培训12期", "一年来，工会举办培训12期"),
    ("3 上门服务进企业 跑了 27家", "上门服务进企业 跑了 27家"),  # notes typed without marks
    ("4 12329热线和窗口 好评率 99.6%", "12329热线和窗口 好评率 99.6%"),
    ("12 个村完成改造", "12 个村完成改造"),  # a count set off by a blank
    ("5 人获奖", "5 人获奖"),
    ("", ""),
])
def test_strip_bullet(line: str, expected: str) -> None:
    assert strip_bullet(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("1、举办培训班4期", True), ("（3）走访", True), ("- 走访", True), ("一是开展", True), ("①举办", True),
    ("  2. 走访", True),
    ("1.5万元用于职工书屋建设", False), ("12.5%", False), ("2024年举办", False), ("举办培训班4期", False),
    ("成绩：举办培训班4期", False),
])
def test_is_list_item(line: str, expected: bool) -> None:
    assert is_list_item(line) is expected


def test_every_user_keeps_the_decimal() -> None:
    assert split_items("1.5万元用于职工书屋建设\n2. 1.5万元用于帮扶") == ["1.5万元用于职工书屋建设", "1.5万元用于帮扶"]
    assert parse_free_text("成绩：\n1.5万元用于职工书屋建设").achievements == ["1.5万元用于职工书屋建设"]
    assert clean_fact("1.5万元用于职工书屋建设。") == "1.5万元用于职工书屋建设"
    assert clean_fact("1. 1.5万元用于职工书屋建设；") == "1.5万元用于职工书屋建设"


def test_chat_list_lines_are_facts_not_the_request() -> None:
    request = detect_request("单位：市一中工会\n成绩：\n1、举办培训班4期\n（2）走访慰问困难教职工26户\n请起草主要成绩部分")
    assert request.task == "section" and request.role == "成绩"
    assert request.spans == ("请起草主要成绩部分",)


def test_markdown_bullets_only_symbols() -> None:
    text = "- 走访慰问\n* 举办培训\n一、加强组织建设\n1. 开展竞赛\n-5%"
    assert strip_markdown_bullets(text) == "走访慰问\n举办培训\n一、加强组织建设\n1. 开展竞赛\n-5%"


def test_a_counted_item_past_ten_loses_its_marker_too() -> None:
    from assistant.text.bullets import strip_bullet

    # "十二是……" kept its marker in a paste of sixteen "一是…十六是" items
    assert strip_bullet("十二是全年救助资金支出236万元") == "全年救助资金支出236万元"
    assert strip_bullet("十分重视安全") == "十分重视安全"  # 十 before a word is no count


@pytest.mark.parametrize(("line", "kind"), [("一、基本医疗", "cn"), ("● 宣传培训", "sym"), (" - 新发现病人1例", "item"),
                                            ("1. 举办培训4期", "item"), ("3 上门服务", "item"), ("举办培训4期", ""),
                                            ("1.5万元用于职工书屋建设", "")])
def test_marker_kind_tells_a_part_of_the_notes_from_an_item(line: str, kind: str) -> None:
    assert marker_kind(line) == kind
