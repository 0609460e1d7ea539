"""Quantity normalisation: equal numbers written differently compare equal; ordinals and set phrases are no claims."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.text.numbers import cn_to_number, find_quantities, normalize_value, parse_year


def values(text: str) -> list[tuple[float, str, str]]:
    return [(q.value, q.unit, q.kind) for q in find_quantities(text)]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("发放慰问金11.6万元", 116000, "元"),
    ("发放慰问金116000元", 116000, "元"),
    ("发放慰问金十一点六万元", 116000, "元"),
    ("举办讲座四场", 4, "场"),
    ("参训三百四十人次", 340, "人次"),
    ("会员1,200人", 1200, "人"),
    ("会员１２００人", 1200, "人"),
    ("合格率95%", 95, "%"),
    ("合格率９５％", 95, "%"),
    ("合格率百分之九十五", 95, "%"),
    ("资金3.2亿元", 320_000_000, "元"),
    ("服务1.5万人次", 15000, "人次"),
    ("两千零五十名职工", 2050, "名"),
    ("一万二千人", 12000, "人"),
    ("300余人参加", 300, "人"),
    ("评出十名标兵", 10, "名"),
    ("协调解决欠薪纠纷十一起", 11, "起"),
])
def test_single_quantity_is_normalised(text: str, value: float, unit: str) -> None:
    qs = find_quantities(text)
    assert len(qs) == 1, qs
    assert qs[0].value == value
    assert qs[0].unit == unit
    assert text[qs[0].start:qs[0].end] == qs[0].raw


@pytest.mark.parametrize("text", [
    "一、加强思想政治建设\n（二）开展劳动竞赛\n1. 技能培训\n（3）其他工作",
    "一是加强学习；二是开展竞赛；三是做好帮扶。",
    "第三次会议，第一时间，第二届",
    "十分重视，两学一做，增强四个意识，坚决做到两个维护",
    "三八妇女节前夕，五一劳动节期间",
    "主要做法：1.加强学习；2.开展培训",
    "开展数十场活动，上百人参加",
    "做到（1）学习（2）培训",
])
def test_ordinals_enumerations_and_set_phrases_are_not_quantities(text: str) -> None:
    assert [q for q in find_quantities(text) if q.kind != "one"] == []


def test_heading_numeral_does_not_hide_a_number_in_the_heading() -> None:
    qs = find_quantities("（一）举办培训12期，培训1200人次")
    assert [(q.value, q.unit) for q in qs] == [(12, "期"), (1200, "人次")]


def test_holiday_numerals_are_not_counts_but_eleven_events_are() -> None:
    assert values("三八妇女节组织十一场活动") == [(11, "场", "count")]


def test_years_and_dates_are_their_own_kinds() -> None:
    assert values("2024年1月5日召开，2023年度，二〇二四年") == [
        (2024, "年", "year"), (105, "月日", "date"), (2023, "年", "year"), (2024, "年", "year")]
    assert values("连续3年") == [(3, "年", "count")]


def test_units_keep_kinds_apart() -> None:
    assert values("提高3个百分点") == [(3, "个百分点", "count")]
    assert values("三分之一") == [(pytest.approx(1 / 3, abs=1e-5), "分之", "fraction")]
    assert values("12个月") == [(12, "个月", "count")]


def test_range_first_end_takes_the_unit() -> None:
    assert values("培训3至5天") == [(3, "天", "count"), (5, "天", "count")]


def test_blanked_year_is_not_a_number() -> None:
    assert find_quantities("20xx年工作总结") == []


def test_chinese_one_is_an_article_not_a_claim() -> None:
    assert [q.kind for q in find_quantities("建成职工书屋一个")] == ["one"]


@pytest.mark.parametrize(("raw", "expected"), [
    ("三百四十", 340), ("十二", 12), ("二十", 20), ("一百零五", 105), ("两千", 2000), ("十一点六万", 116000),
    ("二〇二四", 2024), ("一亿二千万", 120_000_000),
])
def test_cn_to_number(raw: str, expected: float) -> None:
    assert cn_to_number(raw) == expected


def test_normalize_value() -> None:
    assert normalize_value("11.6", "万", "元") == (116000, "元")
    assert normalize_value("1,200", "", "人") == (1200, "人")
    assert normalize_value("三百四十", "", "人次") == (340, "人次")
    with pytest.raises(ValueError):
        normalize_value("abc")


@pytest.mark.parametrize(("value", "year"), [
    (2024, "2024"), ("2024", "2024"), ("2024年", "2024"), ("二〇二四年", "2024"), ("２０２４年度", "2024"),
    ("明年", ""), ("12345", ""), (None, ""), (True, ""), ("", ""),
])
def test_parse_year(value: object, year: str) -> None:
    assert parse_year(value) == year


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_find_quantities_never_crashes_and_spans_are_valid(text: str) -> None:
    for q in find_quantities(text):
        assert 0 <= q.start < q.end <= len(text)
        assert len(q.raw) == q.end - q.start


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿点0123456789.,%％人次场元万余多个年月日第是、（）() \n",
               max_size=40))
def test_find_quantities_on_number_soup(text: str) -> None:
    for q in find_quantities(text):
        assert q.value == q.value  # not NaN


def test_list_numerals_after_a_closing_quote_or_exclamation_are_not_claims() -> None:
    assert [q.raw for q in find_quantities("要求“做到三个到位”1. 开展培训")] == ["三个"]
    assert find_quantities("完成任务！2、组织比赛") == []
    assert [q.value for q in find_quantities("会上强调“节约”3.5万元")] == [35000.0]  # a decimal stays a number


def test_a_count_before_the_colon_that_ends_a_sentence_counts_its_enumeration() -> None:
    """The check cuts "原因主要两个：一是……；二是……" before 一是: "两个" still counts the reasons that follow,
    no claim (it was flagged as another fact's number); a count before other words stays a count."""
    assert find_quantities("这个下降原因主要两个：") == []
    assert [q.value for q in find_quantities("城区、城乡两个车队：")] == []
    assert [q.value for q in find_quantities("设有两个车队，运营良好。")] == [2]
