"""Chinese ordinals for headings and 一是/二是 runs: correct past 九十九 (a long paste has hundreds of items)."""

from __future__ import annotations

import re

import pytest

from assistant.schema import Facts
from assistant.text.headings import int_to_cn, numeral
from assistant.text.numbers import cn_to_number
from assistant.writing.compose import bare_plan, compose, outline_text
from assistant.writing.template import enumerate_run


@pytest.mark.parametrize(("n", "cn"), [
    (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (99, "九十九"), (100, "一百"), (101, "一百零一"),
    (110, "一百一十"), (111, "一百一十一"), (150, "一百五十"), (999, "九百九十九"), (1000, "一千"),
    (1001, "一千零一"), (1010, "一千零一十"), (1100, "一千一百"), (10000, "一万"), (10010, "一万零一十"),
    (100000, "十万"), (1010000, "一百零一万"), (100000001, "一亿零一"),
])
def test_int_to_cn(n: int, cn: str) -> None:
    assert int_to_cn(n) == cn


def test_int_to_cn_reads_back_for_every_count_a_paste_can_hold() -> None:
    wrong = [n for n in range(1, 20001) if cn_to_number(int_to_cn(n)) != n]
    assert wrong == []


def test_int_to_cn_refuses_negative() -> None:
    with pytest.raises(ValueError):
        int_to_cn(-1)


def test_numeral_levels_past_ninety_nine() -> None:
    assert numeral(1, 100) == "一百、"
    assert numeral(2, 101) == "（一百零一）"
    assert numeral(3, 120) == "120."


def test_enumeration_of_150_items() -> None:
    items = [f"开展第{i}项活动" for i in range(1, 151)]
    run = enumerate_run(items)
    parts = run.rstrip("。").split("；")
    assert len(parts) == 150
    for i, part in enumerate(parts, 1):
        m = re.fullmatch(r"(.+?)是开展第(\d+)项活动", part)
        assert m is not None and cn_to_number(m.group(1)) == i == int(m.group(2))
    assert parts[99].startswith("一百是") and parts[100].startswith("一百零一是") and parts[109].startswith("一百一十是")


def test_a_section_with_150_facts_composes() -> None:
    facts = Facts(unit="某工会", year="2024", achievements=[f"慰问困难职工{i}户" for i in range(1, 151)],
                  problems=[f"问题{i}不到位" for i in range(1, 151)], plans=[f"明年建设项目{i}个" for i in range(1, 151)])
    plan = bare_plan(facts)
    outline = outline_text(plan)
    assert all(f"慰问困难职工{i}户" in outline for i in (1, 75, 150))
    text = compose("成绩", facts, plan)
    assert all(f"慰问困难职工{i}户" in text for i in range(1, 151))
    for line in text.splitlines():  # every run of a theme counts 一是、二是…… without a gap
        runs = re.findall(r"([一二三四五六七八九十百零]+)是慰问", line)
        assert [cn_to_number(r) for r in runs] == list(range(1, len(runs) + 1)), line[:80]
    assert "一百五十是问题150不到位" in compose("问题", facts)
    assert "一百五十是明年建设项目150个" in compose("计划", facts)
