"""The heading check (check/headings.py): what a reader stumbles on never ships as a heading.

The broken headings are the ones readers found last round on units the rules had never seen (docs/GENRE.md
§C.13e); each must get at least one reason, each good one none. Reasons are asserted by what they name, not
by their wording.
"""

from __future__ import annotations

import pytest

from assistant.check.headings import heading_problems

FACTS = [
    "召开第五届职工代表大会第三次会议", "不良贷款率控制在1.2%以内", "火灾起数同比下降12%", "全院护理人员586人",
    "查处违法行为56起", "压力性损伤发生率由0.8%降至0.5%", "开展消防宣传进企业活动30场", "全校38个教学班",
    "新发展工会会员126人", "网上办税率达到98%", "走访慰问困难职工35户", "设备完好率保持在98%以上",
    "招引亿元以上项目12个", "慰问生活困难的老党员56名",
    "新建“十五分钟便民生活圈”3个", "新建5G基站120个", "进站天桥新加了2部电梯",
    "旅客投诉率从每百万人次3.2件降到1.7件", "学员对教学质量的满意度达到97.6%", "车站现在一共214个职工",
    "新开通华东、西南方向客运航线4条", "职业高中部开设烘焙、洗车、手工编织3个专业", "安防系统升级改造完工，新增点位460个",
    "接收社会捐赠款物折合人民币486万元", "新增智慧教室148间", "医院管理水平持续提升", "为市里12家单位提供法律服务",
    "我们还抓了科技工作者服务", "新退役的276人全部参加", "辖区市场主体现在有1.93万户", "贴息/组合贷 办了 45笔",
    "本年度被巡察党组织应整改问题986个", "以水灭火能力建设取得突破", "承担轨道交通2号线等34个项目的基坑监测",
    "村集体经济收入搞到了48.6万元", "对问题较多的5个村开展提级巡察",
    "自营出口额5870万美元，同比增长3.1%", "表彰优秀妇女干部12名+女性健康讲座8场", "实现营业收入6860万元",
    "推行“互联网+执法”系统", "抓新型经营主体培育，新增家庭农场23家", "党风廉政建设责任制考核顺利完成",
    "完成集团“十五五”发展战略规划初稿", "开展“光盘行动”，节约粮食3吨",
    "完成“青川花灯”等5项非遗项目的申报", "代理人队伍流失", "化解交通事故纠纷36起", "开展打击电信诈骗宣传12场", "开展“便民办税春风行动”走访企业320户", "优良天数比例86.3%，比上年下降2.1个百分点", "化肥使用量比上年减少6%", "产品不合格率1.2%，比上年下降0.5个百分点",
]
BROKEN = [
    "召开第五届职工代表大会第",  # cut inside a phrase
    "组织消防宣传“进企业",  # a quotation left open
    "查处违法行",  # cut inside a word
    "做好不良贷款率控制在",  # a dangling word
    "下降火灾起数同比",
    "做好全院护理人员",  # people are no work
    "深化教学班",
    "推进工会会员",
    "提升压力性损伤发生率，守护群众健康",  # the rate fell
    "扎实做好各项工作",  # a catch-all
    "查处违法行为56起",  # a number
    "降低网上办税率",  # the rate rose
    "维护困难职工",
    "服务窗口评比中，维护职工权益",  # ends on a word of place or time: the work it introduces is missing
    "做好设备完好率保持",  # the verb's complement (在98%) is missing
    "新建基站120个",  # a number after a name is still a number
    "新建5G基站",  # so is a digit inside a name: a reader sees a number
    "招引亿元以上项目",  # an amount without its digits is still an amount
    "走访慰问困难职工，慰问生活困难的老党员",  # the second clause does the first one's work again
    "推进进站天桥新加",  # the fact's subject and verb ("新加了") taken for an object
    "减少旅客投诉率从每百万人次",  # a preposition's phrase left open, ending on a numeral
    "提高学员对教学质量",  # 对 opens a phrase no verb closes
    "推进车站现在一共",  # ends on a time word and an adverb
    "开通华东",  # a place is where, not what (the list's head noun 航线 is missing)
    "开设烘焙",  # the verb goes on with a list whose head noun (专业) the clause lacks
    "改造完工",  # only the fact's predicate, without what it is about
    "接收社会捐赠款物折合人民币",  # what the amount comes to, without its value
    "提升管理水平持续",  # an adverb whose verb the fact goes on with
    "加强市里",  # a place is where, not what
    "加强抓了科技工作者服务",  # 了 narrates what was done; no house heading has it
    "退役参加",  # verbs, and nothing they are done on
    "加强辖区市场主体现在有",  # the fact's present and a verb of having left open
    "贴息/组合贷办",  # cut before 了 where the notes had a blank ("组合贷 办了")
    "巡察党组织应整改问题",  # a duty (应), and what was done to others (被巡察)
    "建设取得",  # a verb whose object the fact goes on with
    "承担轨道交通",  # a numbered name cut ("轨道交通2号线")
    "加强村集体经济收入搞",  # a one-character verb after what it is about
    "服务水灭火能力建设",  # the means after 以 ("以水灭火能力建设取得突破") taken for the thing worked on
    "围绕问题较多",  # a thing and how much of it there is
    "自营出口额",  # an amount opened by no plain verb (自营 says which export)
    "表彰优秀妇女干部+女性健康讲座",  # the notes' shorthand "+"
    "表彰优秀妇女干部/女性健康讲座",
    "降低优良天数比例",  # a good measure that fell is a shortfall, no work
    "聚焦型经营主体培育",  # what it works on starts inside a word (型 of 新型)
    "建设责任制考核顺利完成",  # how a work went (顺利完成)
    "完成集团“十五五”",  # a quoted name the fact goes on from (“十五五”发展战略规划)
    "完成“青川花灯”",  # the first of a list ("“青川花灯”等5项非遗项目")
    "加强代理人队伍流失",  # a verb of effort on a harm
    "推进交通事故纠纷",
    "开展代理人队伍流失",
]
GOOD = [
    "召开职工代表大会，维护职工权益", "查处违法行为，维护良好秩序", "降低压力性损伤发生率", "开展消防宣传，守牢安全底线",
    "压降不良贷款率，守牢风险底线", "提高网上办税率", "关心困难职工", "减少旅客投诉", "提升教学质量",
    "新增智慧教室",  # a thing added, named before its count, is whole
    "降低不良贷款率",  # 率 ends a measure, though the tokenizer reads it as a verb
    "实现营业收入",  # an amount after the fact's own plain verb
    "表彰优秀妇女干部，举办女性健康讲座",
    "推行“互联网+执法”系统",  # a mark inside a quoted name is the name's
    "减少化肥使用量",  # what the unit lowers on purpose
    "降低产品不合格率",  # a good word negated names a bad measure
    "开展“光盘行动”",  # a quoted name the fact ends its clause on
    "开展“便民办税春风行动”",  # a campaign's name stands for it, whatever verb follows in the fact
    "化解交通事故纠纷",  # the verb that fights the harm
    "开展打击电信诈骗",  # a verb that fights it, after the verb of effort
]


@pytest.mark.parametrize("heading", BROKEN)
def test_a_broken_heading_is_refused(heading: str) -> None:
    assert heading_problems(heading, FACTS, unit="某县人民医院"), heading


@pytest.mark.parametrize("heading", GOOD)
def test_a_good_heading_passes(heading: str) -> None:
    assert heading_problems(heading, FACTS, unit="某县人民医院") == [], heading


def test_direction_is_named_with_what_went_which_way() -> None:
    reasons = heading_problems("提升压力性损伤发生率", FACTS, unit="某县人民医院")
    assert any("压力性损伤发生率" in r and "下降" in r for r in reasons), reasons


def test_a_second_clause_used_by_another_heading_is_refused() -> None:
    heading = "查处违法行为，维护良好秩序"
    assert heading_problems(heading, FACTS, unit="某局", used_second={"维护良好秩序"})
    assert not heading_problems(heading, FACTS, unit="某局", used_second={"守牢安全底线"})


def test_an_example_heading_copied_whole_is_refused_unless_it_is_the_users_own() -> None:
    heading = "查处违法行为，维护良好秩序"
    assert heading_problems(heading, FACTS, unit="某局", example_headings=[heading])
    assert not heading_problems(heading, FACTS, unit="某局", example_headings=[heading], own_headings=[heading])


def test_a_word_neither_the_facts_nor_the_genre_use_is_refused() -> None:
    assert heading_problems("查处违法行为，守护海洋生态", FACTS, unit="某局")


def test_a_number_in_the_house_frame_is_the_frame_not_a_quantity() -> None:
    """"一手抓……，一手抓……" is a house's frame: its 一 counts nothing."""
    heading = "一手抓违法行为查处，一手抓消防宣传"
    assert heading_problems(heading, FACTS, unit="某局")
    assert not heading_problems(heading, FACTS, unit="某局", frame_words=["一手抓"])


def test_a_lead_phrase_has_the_length_of_one() -> None:
    assert heading_problems("查处违法行为", FACTS, unit="某局", level=2) == []
    assert heading_problems("查", FACTS, unit="某局", level=2)


@pytest.mark.parametrize(("heading", "sentence"), [
    ("做好人员全员参加法律知识考试", True),  # people and what they did: a sentence, not a work
    ("做好慈善志愿者开展服务活动", True),
    ("建设责任制落实到位", True),  # a thing and the state it reached
    ("组织干部参加培训", False),  # a verb of leading people makes it a heading's work again
    ("确保责任落实到位", False),  # so does a verb that takes a clause
    ("受理群众信访事项", False),  # people before a noun of their matters: a whole object
])
def test_a_clause_that_is_a_sentence_of_its_own_is_no_heading(heading: str, sentence: bool) -> None:
    facts = ["执法人员全员参加法律知识考试，合格率100%", "组织慈善志愿者开展服务活动136场次", "全站党风廉政建设责任制落实到位",
             "组织干部参加培训12次", "确保责任落实到位", "受理群众信访事项320件"]
    reasons = heading_problems(heading, facts, unit="某县文化市场综合执法大队")
    assert any("叙述" in r for r in reasons) == sentence, reasons


def test_a_clause_cut_before_the_rest_of_an_institutions_name_is_refused() -> None:
    facts = ["县公共法律服务中心全年接待群众咨询1200人次", "开展法律服务进社区活动36场"]
    assert any("断在" in r for r in heading_problems("加强县公共法律", facts, unit="某县司法局"))
    # whole where it stands in a fact; a place after it is where the work went, not the rest of a name
    assert not any("断在" in r for r in heading_problems("开展法律服务", facts, unit="某县司法局"))


def test_a_clause_carrying_the_facts_time_or_subject_is_refused() -> None:
    facts = ["园区全年排查整改安全隐患1840条"]
    assert any("时间或主语" in r for r in heading_problems("做好园区全年排查整改安全隐患", facts, unit="某物流园区管委会"))
    assert not any("时间或主语" in r for r in heading_problems("排查整改安全隐患", facts, unit="某物流园区管委会"))
    measure = ["数字文化馆平台全年访问量达到38.5万人次"]  # a time before its measure is the measure's
    assert not any("时间或主语" in r for r in heading_problems("提升数字文化馆平台全年访问量", measure, unit="某县文化馆"))
    scope = ["举办全县消防救援技能比武1次"]  # a scope is part of the work
    assert not any("时间或主语" in r for r in heading_problems("举办全县消防救援技能比武", scope, unit="某县消防救援大队"))


@pytest.mark.parametrize(("heading", "refused"), [
    ("演出安全零事故", True), ("做好导向和意识形态工作零差错", True),
    ("推进无障碍设施建设", False), ("开展“零距离”服务", False),  # words of their own
])
def test_a_clause_of_what_did_not_happen_is_no_work(heading: str, refused: bool) -> None:
    facts = ["全年演出安全零事故", "导向和意识形态工作零差错", "推进无障碍设施建设12处", "开展“零距离”服务36场"]
    reasons = heading_problems(heading, facts, unit="某市歌舞剧院")
    assert any("没有发生" in r for r in reasons) == refused, reasons


@pytest.mark.parametrize(("heading", "refused"), [
    ("服务文化惠民工作持续推进", True), ("做好巡察反馈问题整改有序推进", True),  # how a work went: a predicate
    ("扎实推进乡村振兴", False), ("推动高质量发展", False), ("推进节能改造", False),  # a manner before the verb is the house's
])
def test_a_clause_that_says_how_a_work_went_is_no_heading(heading: str, refused: bool) -> None:
    facts = ["文化惠民工作持续推进，送戏下乡120场", "巡察反馈问题整改有序推进，完成整改36项", "扎实推进乡村振兴",
             "推动高质量发展", "推进节能改造，节约经费9万元"]
    reasons = heading_problems(heading, facts, unit="某县委宣传部")
    assert any("进展" in r for r in reasons) == refused, reasons


def test_a_clause_of_what_did_not_go_wrong_is_no_work() -> None:
    reasons = heading_problems("围绕营区安全管理没出问题", ["营区安全管理没出问题"], unit="某县人民武装部")
    assert any("没有发生" in r for r in reasons), reasons


def test_a_heading_that_names_the_unit_itself_is_refused() -> None:
    """The unit is who did the work, never the work: its name, or the first part of it, is no heading."""
    facts = ["岳川市美术馆全年接待观众12万人次", "丰源县果树技术推广站推广果树新品种8个"]
    assert heading_problems("做好岳川市美术馆", facts, unit="岳川市美术馆")
    assert heading_problems("加强丰源县果树技术", facts, unit="丰源县果树技术推广站")
    assert not heading_problems("推广果树新品种", facts, unit="丰源县果树技术推广站")


def test_what_did_not_happen_is_no_work_even_as_one_word() -> None:
    """"……无事故" is one word to the tokenizer: still what did not happen; "无偿献血" is work."""
    facts = ["全所安全生产无事故，危化品管理通过了专项检查", "开展无偿献血活动3次"]
    assert heading_problems("改善全所安全生产无事故", facts, unit="某县药品检验所", level=2)
    assert not heading_problems("开展无偿献血", facts, unit="某县药品检验所", level=2)


@pytest.mark.parametrize("heading", ["聚焦营业收入", "聚焦汛期成功防御", "聚焦人口小额信贷新发放"])
def test_an_amount_under_a_verb_that_does_nothing_to_it_or_a_work_said_to_have_gone_well_is_refused(heading: str) -> None:
    facts = ["营业收入2.3亿元，同比增长5%", "汛期成功防御台风3次", "脱贫人口小额信贷新发放4820万元"]
    assert heading_problems(heading, facts, unit="某县某局"), heading
    assert not heading_problems("实现营业收入", facts, unit="某县某局")


def test_an_object_of_the_genres_words_alone_is_no_work_unless_a_light_verb_names_the_activity() -> None:
    """"聚焦专项行动" could head any unit's results (the campaign's name was the work); "开展宣传活动" names the
    activity itself, and the fact's own phrase stands."""
    facts = ["开展“图斑清零”专项行动，核查整改141个", "开展宣传活动12场", "非法垂钓有所反弹，查处12起"]
    assert heading_problems("聚焦专项行动", facts, unit="某县某站", frame_words=["聚焦"])
    assert heading_problems("加强队伍建设", facts, unit="某县某站")
    assert not heading_problems("开展宣传活动", facts, unit="某县某站")
    assert heading_problems("聚焦垂钓有所反弹", facts, unit="某县某站")  # how it went, not the work
