"""How headings are proposed (writing/headings.py, check/terms.py) and when none may ship (writing/planner.py).

Properties, not golden headings: what a result works on is read on whole words (never cut after a number or
from a quoted name that modifies the next word); a measure takes only the verb that moves it the way the fact
says; a house verb goes before a result's object only where the house itself pairs them, when the result says
its own verb; another kind of unit's purpose clause never travels; and a group no heading fits is written
under a neighbour's heading rather than under unchecked words.
"""

from __future__ import annotations

from assistant.check.headings import heading_problems
from assistant.check.terms import direction_of, head_of, is_background, terms_of
from assistant.house.frames import ClauseFrame, Frame
from assistant.house.profile import HouseProfile, Purpose
from assistant.schema import Facts
from assistant.writing.headings import heading_candidates, house_says, work_clauses
from assistant.writing.planner import ThemePlan, _heading_first, _merge_headless


def test_what_a_result_works_on_never_starts_inside_a_quantity() -> None:
    for fact in ("完成10千伏线路改造12公里", "新建3公里绿道", "改造35千伏变电站2座"):
        for term in terms_of(fact):
            at = fact.find(term.text.strip("“”"))
            assert at != 0 and not (at > 0 and fact[at - 1].isdigit()), (fact, term.text)
            assert term.text in fact or term.kind == "verbal", (fact, term.text)
    # a counter word ends the quantity: what follows it is the work
    assert any(t.text == "网点智能化改造" for t in terms_of("完成2个网点的智能化改造"))


def test_a_quoted_name_that_modifies_the_next_word_is_not_the_work() -> None:
    texts = [t.text for t in terms_of("建成“教工之家”示范点8个")]
    assert "“教工之家”" not in texts and any(t.endswith("示范点") for t in texts), texts
    assert "“春风行动”" in [t.text for t in terms_of("开展“春风行动”走访")] or \
        any("春风行动" in t.text for t in terms_of("开展“春风行动”"))


def test_a_measure_goes_the_way_its_own_clause_says() -> None:
    assert direction_of("儿童接种率达100%，传染病发病率下降12%", "儿童接种率") >= 0
    assert direction_of("不良贷款率1.2%，较年初下降0.3个百分点", "不良贷款率") < 0
    assert direction_of("投诉办结时间缩短至3天", "投诉办结时间") < 0
    # a "由 A 至 B" pair in another measure's clause says nothing about this one
    both = "客服热线接报处置率100%，抢修平均到场时间由28分钟缩短至19分钟"
    assert direction_of(both, "处置率") == 0 and direction_of(both, "到场时间") < 0


def test_an_honour_or_what_did_not_happen_is_no_work_to_head() -> None:
    for fact in ("获评省级文明单位", "在全省技能竞赛中获团体二等奖", "全年未发生较大安全责任事故",
                 "农机安全事故0起"):
        assert terms_of(fact) == [], (fact, [t.text for t in terms_of(fact)])
    # the same words as a work still give terms
    assert terms_of("组织参加全省技能竞赛")
    assert terms_of("开展安全生产大检查")


def test_a_thing_measured_before_its_change_is_a_measure_with_that_direction() -> None:
    measures = [t for t in terms_of("残疾人信访件同比减少15%") if t.kind == "measure"]
    assert measures and all(t.direction < 0 for t in measures), measures
    # no term keeps a verb of change inside it: "信访件同比减少" is no object of work
    for fact in ("残疾人信访件同比减少15%", "粮食烘干能力达到每日300吨"):
        for t in terms_of(fact):
            assert not any(w in t.text[1:] for w in ("减少", "达到")), (fact, t.text)


def test_a_verb_of_change_needs_the_change_said_and_said_that_way() -> None:
    rose_not_said = ["儿童接种率达100%，传染病发病率下降12%"]
    assert heading_problems("降低儿童接种率", rose_not_said, unit="某县疾控中心")
    assert heading_problems("提高儿童接种率", rose_not_said, unit="某县疾控中心")
    fell = ["逾期贷款率较年初下降0.4个百分点"]
    assert heading_problems("逾期贷款率有新提升", fell, unit="某银行支行")
    assert not heading_problems("降低逾期贷款率", fell, unit="某银行支行")


def _works(facts: list[str], verbs: list[str], corpus: str = "") -> list[str]:
    terms = [t for i, f in enumerate(facts) for t in terms_of(f, i)]
    return [w for w, _, _ in work_clauses(terms, ClauseFrame(), verbs, corpus, {})]


def test_a_measure_is_never_the_object_of_a_work_verb() -> None:
    works = _works(["出厂水水质综合合格率达100%"], ["推进", "巩固", "深化", "坚持", "提高"])
    assert not any("合格率" in w for w in works), works
    works = _works(["投诉办结时间缩短至3天"], ["推进", "提升", "缩短"])
    assert works and all(w.startswith(("缩短", "压缩")) for w in works if "时间" in w), works


def test_a_house_verb_goes_before_a_results_object_only_where_the_house_pairs_them() -> None:
    facts = ["举办教学技能大赛1次，评出一等奖12名"]
    assert not any(w.startswith("深化") for w in _works(facts, ["深化"], corpus="深化医药卫生体制改革。"))
    assert any(w.startswith("深化") for w in _works(facts, ["深化"], corpus="持续深化教学技能大赛，以赛促练。"))
    assert any(w.startswith("举办") for w in _works(facts, ["深化"]))  # the result's own verb stays
    assert house_says("深化", "教学技能大赛", "持续深化教学技能大赛")
    assert not house_says("做好", "市场主体", "做好主体责任落实")
    # an act no prose pairs with the verb either: "开拓客户投诉" was a heading at a securities branch
    assert not any(w.startswith("开拓") for w in _works(["全年客户投诉4起，比去年少5起"], ["开拓"]))


def test_a_house_verb_before_a_thing_needs_prose_that_pairs_them() -> None:
    """"做好地下流体观测井", "深化教学班": a thing is no work a verb can do well unless prose pairs them; an act
    ("防控", "建设") or a pairing official prose knows ("优化营商环境") stays."""
    from assistant.writing.headings import fallback_heading, names_a_thing

    assert names_a_thing("地下流体观测井") and names_a_thing("主题团课") and not names_a_thing("疫情防控")
    facts = ["地下流体观测井2口运行正常"]
    assert not any(w.endswith("观测井") for w in _works(facts, ["做好", "深化", "推进"]))
    assert not fallback_heading(facts, unit="县地震局").endswith("观测井")
    from assistant.writing.headings import _collocation

    assert names_a_thing("营商环境") and _collocation("优化", "营商环境") > 0  # a pairing prose knows is kept


def _profile(purposes: list[Purpose]) -> HouseProfile:
    return HouseProfile(frame=Frame([ClauseFrame(work=True), ClauseFrame()]), purposes=purposes, verbs=["开展"])


def test_another_kinds_purpose_never_travels_but_a_kindred_one_does() -> None:
    facts = ["开展护理队伍岗位练兵3轮", "举办职工趣味运动会1次"]
    foreign = Purpose("守牢民生底线", "民生底线", "market", key="market/x")
    kin = Purpose("激发队伍活力", "队伍活力", "union", kin=True, key="union/y")
    both = {"market/x": 1.0, "union/y": 1.0}
    texts = [c.text for c in heading_candidates(facts, _profile([foreign]), None, "", retrieved=both)]
    assert texts and not any("民生底线" in t for t in texts), texts
    texts = [c.text for c in heading_candidates(facts, _profile([foreign, kin]), None, "", retrieved=both)]
    assert any(t.endswith("激发队伍活力") for t in texts), texts


def test_a_kindred_purpose_travels_only_to_works_that_retrieved_its_theme() -> None:
    facts = ["开展护理岗位练兵3轮", "举办职工趣味运动会1次"]
    kin = Purpose("激发队伍活力", "队伍活力", "union", kin=True, key="union/y")
    texts = [c.text for c in heading_candidates(facts, _profile([kin]), None, "", retrieved={"other/z": 1.0})]
    assert texts and not any("队伍活力" in t for t in texts), texts
    own = Purpose("激发队伍活力", "队伍活力", "mine", own=True, key="mine/y")
    texts = [c.text for c in heading_candidates(facts, _profile([own]), None, "", retrieved={})]
    assert any(t.endswith("激发队伍活力") for t in texts), texts  # the user's own purposes go wherever they fit


def test_without_a_fitting_purpose_the_heading_is_the_groups_own_works() -> None:
    facts = ["开展护理岗位练兵3轮", "举办职工趣味运动会1次"]
    cands = heading_candidates(facts, _profile([]), None, "")
    two = [c.text for c in cands if "，" in c.text]
    assert "开展护理岗位练兵，举办职工趣味运动会" in two, two
    for text in two:
        first, second = text.split("，")
        assert first in facts[0] or first in facts[1]
        assert second in facts[0] or second in facts[1]


def test_a_group_no_heading_fits_joins_a_neighbour_and_nothing_unchecked_ships() -> None:
    themes = [ThemePlan("开展护理岗位练兵", ["开展护理岗位练兵3轮"]),
              ThemePlan("", ["2025年清河县融媒体中心新媒体粉丝增长3万"]),
              ThemePlan("举办职工趣味运动会", ["举办职工趣味运动会1次"])]
    merged = _merge_headless(themes)
    assert [t.heading for t in merged] == ["开展护理岗位练兵", "举办职工趣味运动会"]
    assert sum(len(t.facts) for t in merged) == 3
    alone = _merge_headless([ThemePlan("", ["某事实1"]), ThemePlan("", ["某事实2"])])
    assert len(alone) == 1 and alone[0].heading == "" and len(alone[0].facts) == 2


def test_a_headless_group_joins_a_theme_with_room_not_the_largest() -> None:
    """A headless theme joined the theme sharing most characters, which is mostly the largest: one theme of 12 of
    20 results. It joins one that stays within the house's share (grouping.MAX_SHARE) while one has room."""
    big = ThemePlan("开展科普活动", [f"开展科普活动进校园{i}场" for i in range(1, 5)])
    small = ThemePlan("举办培训班", ["举办实用技术培训班6期"])
    lost = ThemePlan("", ["开展科普讲座进社区8场"])
    merged = _merge_headless([big, small, lost])
    assert [len(t.facts) for t in merged] == [4, 2], [t.facts for t in merged]
    full = _merge_headless([ThemePlan("开展科普活动", big.facts[:2]), ThemePlan("举办培训班", ["举办实用技术培训班6期"]),
                            ThemePlan("", ["开展科普讲座进社区8场"])])
    assert [len(t.facts) for t in full] == [3, 1], "with room everywhere, the nearest theme takes it"


def test_results_without_work_join_a_theme_and_never_make_one() -> None:
    import numpy as np

    from assistant.writing.planner import _groups

    results = ["开展安全生产大检查32次", "整治安全隐患126处", "获评省级文明单位",
               "举办农机驾驶培训班6期", "培训农机手480人次", "全年未发生较大安全责任事故"]
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(len(results), 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    groups = _groups(results, vectors, [[] for _ in results], 0)
    assert sorted(i for g in groups for i in g) == list(range(len(results)))
    for g in groups:  # every theme has a result a heading can be built on
        assert any(terms_of(results[i]) for i in g), [results[i] for i in g]


def test_a_headless_plan_renders_no_empty_numbered_heading() -> None:
    from assistant.writing.compose import outline_text, plan_section
    from assistant.writing.planner import HousePlan

    facts = Facts(unit="某单位", year="2025", achievements=["某事实1", "某事实2"])
    plan = HousePlan(themes=[ThemePlan("", list(facts.achievements))])
    text = plan_section("成绩", facts, plan).text()
    assert "一、" not in text and "某事实1" in text
    assert "一、" not in outline_text(plan)


def test_an_opening_lists_works_as_nouns_never_a_result_a_measure_or_people() -> None:
    from assistant.check.terms import work_phrase

    def phrases(fact: str) -> set[str]:
        return {p for t in terms_of(fact) if (p := work_phrase(t))}

    assert "食品安全抽检" in phrases("开展食品安全抽检1280批次")  # a light verb goes
    assert "违法案件查办" in phrases("查办各类违法案件156件")  # any other verb follows its object
    for fact in ("新建录播教室2间", "不良贷款率1.2%", "营业收入1.2亿元", "走访慰问困难职工35户", "获评省级文明单位"):
        assert not phrases(fact), (fact, phrases(fact))
    for fact in ("开展食品安全抽检1280批次", "查办各类违法案件156件", "调解邻里纠纷86起"):
        for p in phrases(fact):  # every character of the phrase is the fact's own
            assert set(p) <= set(fact), (fact, p)


def test_a_listed_object_is_read_whole_never_cut_at_its_first_item() -> None:
    # "组建篮球、羽毛球、书法等职工兴趣小组": the work is what the list is of, after its verb
    texts = [t.text for t in terms_of("组建篮球、羽毛球、书法等职工兴趣小组6个")]
    assert "组建职工兴趣小组" in texts and "组建篮球" not in texts, texts
    # a short list sharing its last word is kept whole, never "完成食品"
    texts = [t.text for t in terms_of("完成食品、药品抽检300批次")]
    assert "完成食品" not in texts and any(t.endswith("抽检") for t in texts), texts
    for fact in ("新建、改建道班5个", "完成食品、药品抽检300批次"):
        assert all(not t.text.startswith("、") and not t.text.endswith("、") for t in terms_of(fact))
    # a long list without 等 names nothing whole: never its first item ("运用CCTV" was a heading)
    assert not any("CCTV" in t.text for t in terms_of("运用CCTV、QV管道检测设备检测管网418公里"))


def test_a_scope_word_is_not_the_work_and_a_long_measure_still_heads_its_group() -> None:
    fact = "全县残疾儿童康复救助覆盖率达到100%"
    measures = [t for t in terms_of(fact) if t.kind == "measure"]
    assert measures and not measures[0].text.startswith("全县"), measures
    works = _works([fact], ["提高", "推进"])
    assert any(w.endswith("覆盖率") for w in works), works
    # a doctor is people, not work: "推进家庭医生" never
    assert not any(t.work and t.text.endswith("医生") for t in terms_of("家庭医生签约服务12600人"))


def test_a_partner_or_people_is_never_the_work_and_a_compound_is_never_cut_short() -> None:
    partner = "与县司法局等13家单位联动开展诉前调解，调解成功纠纷2296件"
    assert not any(t.work and "司法局" in t.text for t in terms_of(partner))
    for fact in ("引进硕士以上人才63名", "发展新团员150名"):
        assert not any(t.work and t.kind == "nominal" for t in terms_of(fact)), fact
    # "劳动保障监察案件" is one thing: "保障监察案件" would be another
    texts = [t.text for t in terms_of("办结劳动保障监察案件172件")]
    assert "劳动保障监察案件" in texts and "保障监察案件" not in texts, texts
    # a level word is no body: "市级示范园" is work, "县总工会" a partner
    assert any(t.work for t in terms_of("建成市级示范园3个"))


def test_a_partner_a_means_or_whom_the_work_was_for_before_the_verb_is_not_the_work() -> None:
    """"配合公安、城管部门开展……", "对全县68家企业开展……", "委托第三方开展……": the work is the verb after them (terms had
    been "全县", "协助总部投行" or none)."""
    for fact, work in (("配合公安、城管部门开展街面联合巡查146次", "开展街面联合巡查"),
                       ("对全县68家企业开展统计执法检查，立案查处案件5件", "开展统计执法检查"),
                       ("委托第三方开展业主满意度测评，综合得分86.5分", "开展业主满意度测评")):
        texts = [t.text for t in terms_of(fact) if t.work]
        assert texts and texts[0] == work, (fact, texts)
        assert not any(w in "".join(texts) for w in ("公安", "全县", "第三方")), texts
    assert terms_of("对接重点企业120家")[0].text.startswith("对接")  # 对接 is the verb itself


def test_what_a_unit_has_is_background_even_when_it_breaks_its_staff_down() -> None:
    from assistant.check.terms import is_background

    for fact in ("中心现有在编人员42人，另有聘用人员20人", "馆现有在编职工19人，聘用人员6人", "站现有在编职工15人"):
        assert is_background(fact), fact
    for fact in ("全年聘用社区工作者12人", "现有会员860人，全年新发展会员126人", "开展技能培训8期，培训420人次"):
        assert not is_background(fact), fact
    # what the unit is charged with, after what it has, is still how it is made up
    assert is_background("本关现有在编关员168人，内设综合业务科、查验科等9个科室，并设缉私分局1个，负责监管作业场所14个")
    assert not is_background("全年负责监管作业场所14个")
    # where the unit sits and its staffing: a verb that begins the unit's name ("巡察办") does no work
    assert is_background("巡察办设在县纪委监委机关，核定编制7名，实有6人。")
    assert not is_background("督查办督办事项120件")


def test_a_clause_is_not_an_object_and_a_verb_keeps_its_first_character() -> None:
    # an adverb or a preposition inside makes a state, not a work: "深化空气质量持续改善" never
    for fact in ("空气质量持续改善，优良天数比例达到88%", "严格环境执法，全年检查企业763家次"):
        assert not [t for t in terms_of(fact) if t.kind != "measure"], (fact, [t.text for t in terms_of(fact)])
    assert terms_of("推行“最多跑一次”改革")  # a quoted name's words are the name's
    texts = [t.text for t in terms_of("全年新增城市绿地面积46.5公顷")]
    assert texts and not any(t.startswith("增") for t in texts), texts
    assert "登记市场主体" in [t.text for t in terms_of("新登记各类市场主体3162户")]


def test_a_manner_word_is_not_the_work_and_the_work_is_what_follows_it() -> None:
    # "聚焦圆满完成", "聚焦成功应对" were headings: the manner word was taken for the thing worked on
    for fact in ("圆满完成第五次全国经济普查登记工作，普查对象2.3万个", "成功应对3次强降雨过程，确保大坝安全",
                 "积极参与司法辅助工作", "深入开展“清源”专项行动，查处案件12起"):
        texts = [t.text for t in terms_of(fact)]
        assert texts and not any(t.startswith(("圆满", "成功", "积极", "深入")) for t in texts), (fact, texts)
    assert "应对强降雨过程" in [t.text for t in terms_of("成功应对3次强降雨过程，确保大坝安全")]
    assert not terms_of("全年未发生安全生产事故")  # a negation is no manner: nothing happened, no work


def test_a_term_ends_on_a_whole_word_and_a_measure_starts_after_its_verb() -> None:
    # "开拓县电商公共" (of 县电商公共服务中心), "开展土地托管服务面积", "提高全系统实现销售总额" were headings
    texts = [t.text for t in terms_of("县电商公共服务中心运营“枫渚好物”线上平台，全年农产品网络销售额1.86亿元")]
    assert not any(t.endswith("公共") for t in texts), texts
    terms = terms_of("开展土地托管服务面积18.6万亩，其中全程托管6.2万亩")
    assert "开展土地托管服务" in [t.text for t in terms if t.kind == "verbal"]
    assert not any(t.text.endswith("面积") for t in terms if t.kind != "measure")
    assert [t.text for t in terms_of("全系统实现销售总额26.4亿元，同比增长8.9%") if t.kind == "measure"] == ["销售总额"]
    # a dash is no part of a work ("加强——安平历史文化展等临时展览" was a heading while tuning)
    assert not any("—" in t.text for t in terms_of("举办——安平历史文化展等临时展览6个"))
    # a verb of content inside a measure is part of it; a work word ending a subject names the work
    assert "家庭医生签约服务覆盖率" in [t.text for t in terms_of("家庭医生签约服务覆盖率85%")]
    assert "困难群众医疗救助" in [t.text for t in terms_of("困难群众医疗救助1.2万人次，支出3200万元")]
    assert "限上商贸企业" in [t.text for t in terms_of("全区限上商贸企业新增27家，总数达到318家")]
    # "提高调度效率明显" was a heading: how much a measure moved is no part of it
    measures = [t for t in terms_of("调度效率明显提升，平均接警到派车时间缩短至1.2分钟") if t.kind == "measure"]
    assert [(t.text, t.direction) for t in measures][:1] == [("调度效率", 1)]


def test_units_that_share_only_their_form_are_no_kin() -> None:
    from assistant.facts.unit_type import form_types, kindred

    assert {"机关", "企业"} <= form_types()
    assert not kindred(("机关",), ("机关",))  # an ecology bureau and a market bureau
    assert not kindred(("机关", "企业"), ("企业",))
    assert kindred(("机关", "交通"), ("企业", "交通"))
    assert kindred(("工会",), ("医院", "工会"))


def test_an_aside_a_subject_or_a_place_is_never_what_a_heading_works_on() -> None:
    from assistant.check.terms import work_noun
    from assistant.writing.headings import fallback_heading

    texts = [t.text for t in terms_of("全年实现遗体（角膜）捐献9例、器官捐献3例")]
    assert "实现遗体捐献" in texts and "实现遗体" not in texts, texts  # an aside in brackets is no stop
    for fact in ("另外，我们组织开展“非遗进校园”活动32场", "其中网上信访892件，占比62.6%"):
        assert not any(t.text.startswith(("我们", "其中")) for t in terms_of(fact)), fact
    assert not fallback_heading(["此外，我们还配合县水利局完成5处水源地水质监测"], unit="某县水文站").startswith("配合")
    for place in ("全县", "城区", "乡镇"):
        assert not work_noun(place), place


def test_a_name_with_a_digit_or_in_quotes_and_a_long_measure_can_head_a_group() -> None:
    """A code name ("5G") is no count, quotation marks are no characters of a name, and a long measure also
    heads by its last words; a measure that keeps a level ("保持在41%") ends before its verb."""
    assert any(t.text == "5G智慧农机示范基地" for t in terms_of("建成5G智慧农机示范基地2个"))
    assert any(t.kind == "verbal" and t.text == "组织“百村千队”农民篮球联赛"
               for t in terms_of("组织“百村千队”农民篮球联赛，覆盖全县126个行政村"))
    long = terms_of("全县主要农作物耕种收综合机械化率达到88.6%")
    assert {"综合机械化率", "主要农作物耕种收综合机械化率"} <= {t.text for t in long if t.kind == "measure"}
    kept = terms_of("全县经常参加体育锻炼人口比例保持在41%以上")
    assert kept and all(not t.text.endswith("保持") for t in kept)


def test_a_numeral_inside_a_word_or_a_counted_name_never_cuts_the_work() -> None:
    """"红十字会" holds no count: the head goes on past it; a count inside a quoted name leaves a heading the
    name's own words ("新建便民生活圈"), since no heading may carry the count."""
    assert "县红十字会" in head_of("为县红十字会募集资金")
    texts = {t.text for t in terms_of("新建“十五分钟便民生活圈”3个，覆盖居民4.2万人")}
    assert "新建便民生活圈" in texts
    assert "组织农民篮球联赛" in {t.text for t in terms_of("组织“百村千队”农民篮球联赛，覆盖全县126个行政村")}
    assert heading_problems("新建便民生活圈", ["新建“十五分钟便民生活圈”3个"]) == []
    assert not any("数字" in r for r in heading_problems("募集县红十字会资金", ["为县红十字会募集资金"]))


def test_what_the_unit_newly_opened_is_work_and_its_staff_are_background() -> None:
    assert not is_background("县老年大学新开设书法、摄影等课程6门，在校学员1260名")
    assert is_background("局机关现有工作人员12人")
    assert is_background("局机关现有在编人员18人，下属县体育中心、业余体校两个单位")
    assert not is_background("新发展工会会员126人")


def test_a_body_is_never_what_a_house_verb_works_on() -> None:
    """"做好……调处化解中心" reads wrong: a body is built or joined; its own made verb may still head it."""
    terms = terms_of("建成矛盾纠纷调处化解中心，受理纠纷1260件")
    assert not any(t.kind == "nominal" and t.work for t in terms)
    assert any(t.kind == "verbal" and t.text == "建成矛盾纠纷调处化解中心" for t in terms)
    long = terms_of("完成县本级预算执行和其他财政收支审计")
    assert any(t.kind == "verbal" and t.text == "完成财政收支审计" for t in long)  # a long object by its last words


def test_a_list_of_what_was_newly_opened_is_read_whole_after_its_verb() -> None:
    """"县老年大学新开设书法、摄影等课程6门" opened courses: never the heading "……新开设书法"."""
    assert head_of("县老年大学新开设书法、摄影等课程6门，在校学员1260名") == "县老年大学新开设课程"
    terms = terms_of("县老年大学新开设书法、摄影等课程6门，在校学员1260名")
    assert any(t.kind == "verbal" and t.text == "开设课程" for t in terms)
    assert not any(t.work and t.text.endswith("书法") for t in terms)
    assert head_of("组建篮球、羽毛球等职工兴趣小组12个") == "组建职工兴趣小组"


def test_an_adverb_of_wholeness_is_no_whole_unit() -> None:
    """"全面落实……" is a result; "全校……", "全镇……" say how big the unit is."""
    assert not is_background("全面落实河湖长制，县乡村三级河湖长巡河2.6万人次")
    assert is_background("全校38个教学班") and is_background("全镇有12个行政村")


def test_a_heading_counts_every_mark_a_reader_sees() -> None:
    heading = "组织实施县级科技计划项目，新建省级工程技术研究中心"  # 23 characters and a comma
    facts = ["组织实施县级科技计划项目38项", "新建省级工程技术研究中心3家"]
    assert any("太长" in r for r in heading_problems(heading, facts))


def test_a_time_word_before_the_work_is_not_what_it_works_on() -> None:
    assert head_of("汛期转移受威胁群众4100人，实现了不死人、少伤人的目标") == "转移受威胁群众"
    assert head_of("年初召开职代会1次") == "召开职代会"
    # "服务春节期间" was a heading: a phrase of time before the verb is when, and the work follows it
    texts = [t.text for t in terms_of("春节期间开展“情暖万家”走访慰问活动，慰问困难家庭2860户")]
    assert "春节期间" not in texts and "开展“情暖万家”走访慰问活动" in texts, texts


def test_people_counted_and_a_counted_noun_that_runs_on_are_no_work() -> None:
    # "加强毕业生", "完成村集体经济组织" (of "……2024年度财务审计") were headings
    assert terms_of("毕业生2640人，就业率98.3%") == []
    assert "困难群众医疗救助" in [t.text for t in terms_of("困难群众医疗救助1.2万人次")]  # services, not people
    texts = [t.text for t in terms_of("全年完成186个村集体经济组织2024年度财务审计")]
    assert not any(t.endswith("经济组织") for t in texts), texts
    assert "新建村级服务站" in [t.text for t in terms_of("新建3个村级服务站")]
    # the unit naming itself names no work ("加强本行注册资本" on held-out-16, read after it was measured)
    assert terms_of("本行注册资本1.2亿元，现有员工137人") == []


def test_a_fixed_opener_takes_a_field_of_work_as_long_as_the_houses() -> None:
    """"聚焦项目建设 / 聚焦运输服务 / 聚焦安全监管": the house puts a field of work of four characters or more after
    聚焦, ending on an action; a place, a thing or a lone word after it reads wrong ("聚焦车管所", "聚焦政务")."""
    from assistant.house.frames import learn_frame

    frame = learn_frame(["聚焦项目建设，完善路网体系", "聚焦运输服务，便利群众出行", "聚焦安全监管，守牢行业底线"])
    first = frame.clauses[0]
    assert first.prefix == "聚焦" and first.fill_min == 4 and first.fill_acts
    plain = learn_frame(["守牢安全底线，确保运营平稳", "优化线路网络，方便群众出行"]).clauses[0]
    assert plain.fill_min == 0 and not plain.fill_acts
    facts = ["车管所办理业务1.2万笔", "完成河道清淤疏浚58公里", "查处水事违法案件23起", "受理政务服务事项3万件"]
    terms = [t for i, f in enumerate(facts) for t in terms_of(f, i)]
    works = [w for w, _, _ in work_clauses(terms, first, ["推进"], "", {})]
    assert "聚焦河道清淤疏浚" in works, works
    assert not any(w in works for w in ("聚焦车管所", "聚焦水事违法案件", "聚焦政务")), works
    assert works and all(w.startswith("聚焦") for w in works)


def test_a_manner_word_before_the_verb_is_no_object() -> None:
    terms = terms_of("成功举办第三届山水文化旅游节，接待游客12万人次")
    assert terms and not any(t.text == "成功" for t in terms), [t.text for t in terms]
    assert any(t.text.startswith("举办") for t in terms)


def test_a_measure_never_keeps_the_facts_verb() -> None:
    """"完成旅客吞吐量87.4万人次": the measure is 旅客吞吐量 (a heading "提升完成旅客吞吐量" stacks two verbs); a
    measure whose name starts with a verb-like word stays whole ("办结率", "综合机械化率")."""
    assert [t.text for t in terms_of("全年完成旅客吞吐量87.4万人次，同比增长16.3%") if t.kind == "measure"] == ["旅客吞吐量"]
    assert [t.text for t in terms_of("办结率达到98%") if t.kind == "measure"] == ["办结率"]


def test_a_one_level_theme_opens_with_the_result_its_heading_names() -> None:
    group = ["秸秆综合利用率93.2%", "汛期巡查山塘水库38座，处置险情3处", "其中小型水库12座", "农残快速检测1480批次"]
    first = _heading_first(group, "巡查山塘水库", {"其中小型水库12座"})
    assert first[:2] == group[1:3]  # the named result with its breakdown, then the rest in the user's order
    assert first[2:] == [group[0], group[3]]
    # a two-clause heading follows its first clause, not its second
    pair = ["外贸进出口总额12.6亿元", "社会消费品零售总额达到86.4亿元"]
    assert _heading_first(pair, "提高社会消费品零售总额，提升外贸进出口总额", set()) == pair[::-1]
    assert _heading_first(pair, "提升外贸进出口总额，提高社会消费品零售总额", set()) == pair


def test_a_house_purpose_travels_only_where_the_results_name_what_it_is_about() -> None:
    kin = Purpose("激发队伍活力", "队伍活力", "union", kin=True, key="union/y")
    retrieved = {"union/y": 1.0}
    blood = ["采集全血15.9万单位", "单采血小板1.21万治疗量"]  # nothing of a team: the purpose claims an effect
    texts = [c.text for c in heading_candidates(blood, _profile([kin]), None, "", retrieved=retrieved)]
    assert texts and not any("队伍活力" in t for t in texts), texts
    team = ["开展护理队伍岗位练兵3轮", "举办职工趣味运动会1次"]
    texts = [c.text for c in heading_candidates(team, _profile([kin]), None, "", retrieved=retrieved)]
    assert any(t.endswith("激发队伍活力") for t in texts), texts
    own = Purpose("激发队伍活力", "队伍活力", "mine", own=True, key="mine/y")  # the user's own goes anywhere
    texts = [c.text for c in heading_candidates(blood, _profile([own]), None, "", retrieved={})]
    assert any(t.endswith("激发队伍活力") for t in texts), texts


def test_a_things_head_must_pair_with_the_verb_whatever_its_other_words_pair() -> None:
    """"加强“乡村振兴金融服务站”": 加强 pairs with 金融服务 but not with the station the name ends on."""
    from assistant.writing.headings import _collocation, names_a_thing

    assert names_a_thing("“乡村振兴金融服务站”") and names_a_thing("“智慧物流园区”信息平台")
    assert _collocation("加强", "“乡村振兴金融服务站”", head_only=True) == 0
    assert _collocation("加强", "安全管理", head_only=True) > 0
    facts = ["建成“乡村振兴金融服务站”12个", "“智慧物流园区”信息平台上线运行"]
    assert not any(w.startswith("加强") for w in _works(facts, ["加强"]))


def test_a_name_typed_in_straight_quotes_is_set_in_chinese_ones() -> None:
    """'开展"安商回归"活动' in the notes: the heading reads “安商回归”, as the genre sets it; its words unchanged."""
    from assistant.writing.headings import choose_heading

    facts = ['开展"安商回归"活动5场，促成回归项目14个', '举办招商推介会5场']
    used: set[str] = set()
    choice = choose_heading(facts, _profile([]), None, "", unit="某县投资促进局", used=used)
    assert "安商回归" in choice.text and '"' not in choice.text, choice.text
    assert "“安商回归”" in choice.text
    used.add(choice.text)
    again = choose_heading(facts, _profile([]), None, "", unit="某县投资促进局", used=used)
    assert again.text != choice.text  # a heading already used, in either quotes, is not chosen again
