"""What a heading may say of a measure and of a work: only a level or an amount is raised, a measure cut from its
"A占B的" takes no verb, a clause of aspect is no work, and the unit calling itself is no verb of work."""

from __future__ import annotations

from assistant.check.terms import Term, is_background, terms_of
from assistant.writing.headings import _verb_fits, measure_verbs


def test_only_a_level_or_an_amount_is_raised() -> None:
    assert measure_verbs("热费收缴率", 1)
    assert measure_verbs("非航业务收入", 1)
    assert measure_verbs("常年法律顾问单位", 1) == ()  # a count of things rises by 增加, never by 提高
    assert measure_verbs("公务用车平台全年派车", 1) == ()


def test_a_measure_cut_from_its_whole_takes_no_verb() -> None:
    assert measure_verbs("面积的比例", 1) == ()
    assert measure_verbs("面积的比例", -1) == ()


def test_a_work_is_raised_only_where_it_names_a_level() -> None:
    assert _verb_fits("提升", Term("服务质量", "nominal"))
    assert not _verb_fits("提升", Term("“青年律师成长计划”", "nominal"))
    assert _verb_fits("深化", Term("“青年律师成长计划”", "nominal"))


def test_a_clause_of_aspect_is_no_work() -> None:
    texts = [t.text for t in terms_of("种质资源库建设项目正在实施，库房主体已完工")]
    assert not any("正在" in t for t in texts)


def test_the_unit_calling_itself_is_no_verb_of_work() -> None:
    assert is_background("我办为市政府工作部门，核定行政编制18名、事业编制26名，内设综合科、工程建设科4个科室")
    assert not is_background("我办全年审批人防工程项目37个")


def test_what_the_unit_counted_and_lowered_takes_only_a_verb_of_falling() -> None:
    from assistant.check.headings import heading_problems

    fell = ["读者投诉12件，较上年减少5件"]
    assert any("方向反了" in p for p in heading_problems("强化读者投诉", fell))
    assert any("方向反了" in p for p in heading_problems("守牢读者投诉，维护合法权益", fell))
    assert not any("方向反了" in p for p in heading_problems("减少读者投诉", fell))
    # a work whose fact tells of a fall elsewhere keeps its verb
    assert not any("方向反了" in p for p in heading_problems("开展安全检查", ["开展安全检查120次，事故起数同比下降10%"]))


def test_a_month_as_a_word_is_no_blanked_date() -> None:
    import re

    from assistant.check.masking import BLANK_DATE

    assert re.search(BLANK_DATE, "于月日召开职代会")
    assert not re.search(BLANK_DATE, "开通首月日均客运量6.2万人次")
    assert not re.search(BLANK_DATE, "每月日常巡查")


def test_a_word_of_manner_before_the_verb_is_not_the_work() -> None:
    assert [t.text for t in terms_of("全面推行河长制，巡河1200次")][:2] == ["推行河长制", "河长制"]
    assert [t.text for t in terms_of("大力推进项目建设，完成投资3亿元")][:2] == ["推进项目建设", "项目建设"]
    assert "安全检查" in [t.text for t in terms_of("安全检查120次")]  # a noun before the verb is its object
