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


def test_a_fall_is_read_from_the_next_clause_alone_and_from_last_years_number() -> None:
    from assistant.check.terms import direction_of

    # the clause after the count tells the fall; a measure further on ("满意度") does not hide it
    assert direction_of("读者投诉14件，较去年减少9件；年度读者满意度调查得分93.2分，比上年提高1.6分", "读者投诉") == -1
    assert direction_of("游客投诉27件，去年是47件，少了20件", "游客投诉") == -1
    assert direction_of("接待游客52万人次，去年是47万人次", "接待游客") == 1
    assert direction_of("游客投诉27件，满意度98%", "游客投诉") == 0


def test_what_only_happened_to_the_unit_heads_no_part_where_it_fell() -> None:
    from assistant.check.headings import heading_problems

    fell = ["全年发生生产安全事故2起，较上年减少3起"]
    assert any("方向反了" in p for p in heading_problems("发生生产安全事故", fell))
    assert any("方向反了" in p for p in heading_problems("收到群众投诉", ["全年收到群众投诉4件，较上年减少7件"]))
    # the fact's own verb of work still may head it
    assert not any("方向反了" in p for p in heading_problems("查处涉林违法案件", ["查处涉林违法案件23起，同比下降18%"]))


def test_a_first_clause_of_structure_or_ground_makes_the_fact_background() -> None:
    assert is_background("中心内设9个科室，在编在岗职工86人，服务大厅面积1200平方米，设综合窗口26个")
    assert is_background("学校占地126亩，现有在校学生412名，开设田径、游泳等14个运动项目，在编教练员46名")
    assert is_background("院本部设8个职能处室，下辖6个地质队，在职职工1386人")
    assert not is_background("全年新开设课程12门")
    assert not is_background("全年在社区设立服务点12个，服务群众3000人次")


def test_what_the_unit_has_is_no_work_and_a_verdict_is_not_the_work() -> None:
    assert not any(t.work for t in terms_of("辖区现有登记在册经营主体11862户，全年新增2134户"))
    texts = [t.text for t in terms_of("松材线虫病疫情防控成效明显，清理枯死松树3412株")]
    assert texts and not any("明显" in t for t in texts)


def test_a_count_inside_a_quoted_name_is_a_number_in_a_heading() -> None:
    from assistant.check.headings import heading_problems

    # tried exempting quoted names; the embedded path then shipped "新建“十五分钟便民生活圈”" on the tuning set
    facts = ["新建“十五分钟便民生活圈”3个", "开展“百日攻坚”行动，排查整改隐患1126项"]
    assert "标题里有数字" in heading_problems("新建“十五分钟便民生活圈”", facts)
    assert "标题里有数字" in heading_problems("开展“百日攻坚”行动", facts)


def test_an_amount_takes_no_verb_of_effort() -> None:
    for verb in ("加强", "改善", "守牢", "提高"):
        assert not _verb_fits(verb, Term("客房收入", "nominal"))
    assert _verb_fits("加强", Term("客房管理", "nominal"))
    assert _verb_fits("提高", Term("营业收入", "measure", direction=1))  # a measure that rose is raised


def test_a_measure_that_held_has_no_direction_and_no_verb_after_it() -> None:
    from assistant.check.terms import direction_of

    fact = "捐赠款物信息公开率保持100%，社会公众对捐赠款物使用的投诉率由0.5%降至0。"
    assert direction_of(fact, "捐赠款物信息公开率") == 0
    assert [(t.text, t.direction) for t in terms_of("园区工业废水集中处理率保持100%") if t.kind == "measure"][:1] \
        == [("园区工业废水集中处理率", 0)]


def test_a_clause_of_light_verbs_alone_says_no_work() -> None:
    from assistant.check.headings import heading_problems

    facts = ["组织开展第十个“民族团结进步宣传月”活动，举办各类宣讲42场次"]
    assert any("只有动词" in p for p in heading_problems("组织开展", facts))
    assert not any("只有动词" in p for p in heading_problems("组织开展宣讲活动", ["组织开展宣讲活动42场次"]))


def test_what_the_unit_has_built_up_is_background() -> None:
    assert is_background("全县建有乡镇计生协13个、村（社区）计生协196个，会员2.1万人")
    assert not is_background("全年建有示范点3个，开展活动12场")


def test_an_amount_alone_is_no_heading_clause() -> None:
    from assistant.check.headings import heading_problems

    facts = ["销售收入2460万元，去年是2130万，增长15.5%", "全年实现营业收入8640万元"]
    assert any("只有金额" in p for p in heading_problems("生产干毛茶，销售收入", facts + ["生产干毛茶87吨"]))
    assert not any("只有金额" in p for p in heading_problems("实现营业收入", facts))


def test_a_clause_cut_after_a_level_or_place_is_left_open() -> None:
    from assistant.check.headings import heading_problems

    assert any("没有说完" in p for p in heading_problems("承担国家和省", ["承担国家和省监督抽查任务1200批次"]))
    assert any("没有说完" in p for p in heading_problems("组织学员参加全国", ["组织学员参加全国比赛3次"]))
    assert not any("没有说完" in p for p in heading_problems("建设园区", ["建设园区3个"]))


def test_a_fall_said_in_everyday_words_and_after_a_connective() -> None:
    from assistant.check.terms import direction_of

    assert direction_of("客户投诉9起，比上年少了6起", "客户投诉") == -1
    assert [(t.text, t.direction) for t in terms_of("结果化学农药用量比去年少了28%")][:1] == [("化学农药用量", -1)]


def test_a_noun_that_opens_with_a_verbs_characters_has_no_verb() -> None:
    from assistant.check.terms import verb_head

    assert verb_head("献血者满意度测评得分97.2") == ""  # 献血者 is who gave blood, not "献血" done to something
    assert verb_head("服务中心全年接待群众咨询") == ""
    assert verb_head("采集全血15.9万单位") == "采集"
    assert verb_head("开展培训班12期") == "开展"


def test_a_fact_that_opens_on_the_units_extent_and_goes_on_with_what_it_has_is_background() -> None:
    assert is_background("园区规划面积12.6平方公里，已建成区8.3平方公里，入驻企业412家；管委会内设6个部门，工作人员58人。")
    assert is_background("风电场总装机容量19.8万千瓦，安装3.3兆瓦风电机组60台，配套220千伏升压站1座，现有运维人员38人")
    # a year's work or change is no background, whatever the unit has
    assert not is_background("全镇粮食播种面积3.82万亩，总产1.67万吨，同比增长4.2%，现有示范社7家")
    assert not is_background("新建标准化厂房2.4万平方米，现有入驻企业12家")


def test_a_qualifier_an_amounts_kind_and_a_verb_tagged_otherwise_are_read_as_such() -> None:
    # 以上 makes 规模 a qualifier: "规模以上工业企业" is no measure a heading raises ("提高规模")
    assert not [t for t in terms_of("规模以上工业企业达到318家，净增27家") if t.kind == "measure"]
    # the verb before an amount names its kind: "演出总收入" is no work done to an income
    assert all(not t.verb for t in terms_of("演出总收入286万元，同比增长19%。"))
    assert any(t.text == "实现营业收入" for t in terms_of("实现营业收入5.73亿元"))
    # a verb of work is never a word of manner, whatever its tag: the work is 清理, not 拖欠
    assert terms_of("清理拖欠中小企业账款4360万元")[0].text == "清理拖欠中小企业账款"


def test_a_spoken_marker_before_a_fact_names_no_work() -> None:
    texts = [t.text for t in terms_of("说句实话，县级河长巡河次数是上去了，但村级巡河还存在“打卡式巡河”的现象")]
    assert texts and not any("实话" in t for t in texts)  # "聚焦说句实话" was a heading


def test_what_the_unit_has_opens_no_work() -> None:
    assert terms_of("全县还有乡镇调委会14个、村（社区）调委会286个。") == []  # "推进有乡镇调委会" was a heading
    assert terms_of("设立法律援助工作站12个")[0].text == "设立法律援助工作站"
