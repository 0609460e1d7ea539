"""The no-model backend: deterministic, faithful to the facts, visible slots for what is missing."""

from __future__ import annotations

from assistant.schema import Facts
from assistant.text.headings import parse_numbered
from assistant.writing.template import build_outline, clean_fact, compose, enumerate_run, theme_of

FACTS = Facts(
    unit="市第一中学工会", year="2024",
    achievements=["举办教职工技能培训班4期，培训340人次。", "走访慰问困难教职工26户", "组织教职工运动会1次"],
    problems=["部分青年教师参与积极性不高"], plans=["开展心理健康讲座"],
)


def test_clean_fact_drops_markers_and_trailing_punctuation() -> None:
    assert clean_fact("1. 举办培训班4期；") == "举办培训班4期"
    assert clean_fact("- 走访 慰问。") == "走访慰问"


def test_enumerate_run_counts_without_gaps() -> None:
    assert enumerate_run(["甲。", "乙", "丙"]) == "一是甲；二是乙；三是丙。"


def test_outline_groups_by_theme_with_numbered_parallel_headings() -> None:
    outline = build_outline(FACTS)
    assert theme_of("走访慰问困难教职工26户") != theme_of("组织教职工运动会1次")
    lines = outline.headings_text().splitlines()
    parsed = [parse_numbered(line) for line in lines]
    assert [p.ordinal for p in parsed if p] == list(range(1, len(lines) + 1))
    assert all("，" in p.title for p in parsed if p)  # two parallel clauses
    assert sum(len(item.facts) for item in outline.items) == 3


def test_achievements_keep_every_fact_and_number() -> None:
    text = compose("成绩", FACTS)
    for needle in ("4期", "340人次", "26户", "1次"):
        assert needle in text


def test_problems_pad_to_two_with_visible_slots() -> None:
    text = compose("问题", FACTS)
    assert "一是部分青年教师参与积极性不高" in text
    assert "二是【待补充：" in text


def test_missing_unit_and_year_become_slots() -> None:
    text = compose("开头", Facts(achievements=["举办培训班4期"]))
    assert "【待补充：单位名称】" in text and "【待补充：年度】" in text


def test_plans_use_next_year_only_through_the_formula() -> None:
    text = compose("计划", FACTS)
    assert "开展心理健康讲座" in text and "在新的一年里" in text


def test_deterministic() -> None:
    assert compose("成绩", FACTS) == compose("成绩", FACTS)


def _headings(unit: str, achievements: list[str]) -> list[str]:
    return [item.heading for item in build_outline(Facts(unit=unit, year="2025", achievements=achievements)).items]


def test_a_unit_that_is_not_a_union_gets_no_purpose_about_its_staff_for_work_done_for_the_public() -> None:
    bureau = _headings("县市场监督管理局", ["开展食品安全抽检1280批次，合格率97.6%", "查办各类违法案件156件"])
    clinic = _headings("青山镇卫生院", ["为辖区65岁以上老年人免费体检3850人", "门急诊诊疗4.6万人次"])
    for heading in bureau + clinic:
        assert "职工" not in heading, heading
    assert bureau[0].startswith("开展食品安全抽检，"), bureau
    assert bureau[1].startswith("查办各类违法案件，"), bureau
    assert clinic[0].startswith("做好免费体检，"), clinic
    # the same check-up done for the union's own members keeps the union's purpose
    union = _headings("县教育工会", ["为乡村学校教职工开展健康体检，体检人数2350人"])
    assert union == ["做好健康体检，维护职工身心健康"]


def test_taking_part_in_a_contest_is_not_holding_it() -> None:
    school = _headings("实验中学", ["组织学生参加省级科技创新大赛，获一等奖4项"])
    assert school[0].startswith("组织参加科技创新大赛，"), school  # "省级" goes: the house's headings are short
    opening = compose("开头", Facts(unit="县市场监督管理局", year="2025",
                                    achievements=["新登记各类市场主体3162户", "查办各类违法案件156件"]))
    assert "全年重点抓好市场主体登记、违法案件查办等工作" in opening


def test_a_noun_heading_gets_a_verb() -> None:
    clinic = _headings("青山镇卫生院", ["家庭医生签约服务12600人，重点人群签约率78%"])
    assert clinic[0].startswith("做好家庭医生签约服务，"), clinic
    school = _headings("实验中学", ["高考本科上线率达到86.5%，比上年提高3.2个百分点"])
    assert school[0].startswith("提升高考本科上线率，"), school


def test_a_measure_is_not_a_heading_the_work_behind_it_is() -> None:
    water = _headings("县自来水有限公司", ["供水水质综合合格率99.8%", "用户报修平均响应时间缩短至40分钟"])
    assert water[1].startswith("缩短用户报修平均响应时间，"), water
    assert water[0].startswith(("提高", "提升")) and "水质综合合格率，" in water[0], water
    village = _headings("县农业农村局", ["农村人居环境整治村庄覆盖率达到92%"])
    assert village[0].startswith("提高环境整治村庄覆盖率，"), village  # a long rate keeps its last words
    court = _headings("区人民法院", ["执行到位金额3.1亿元"])
    assert court[0].startswith("抓好执行工作，"), court


def test_headings_for_a_change_an_award_and_a_verb_of_the_trade() -> None:
    ward = _headings("县人民医院心血管内科", ["科室平均住院日由8.5天下降至7.2天", "护理团队获评市级“优质护理示范病区”"])
    assert ward[0].startswith("降低科室平均住院日，"), ward
    assert ward[1].startswith("争创“优质护理示范病区”，"), ward
    police = _headings("城东派出所", ["破获刑事案件132起", "办理户籍业务1.2万笔", "开展反诈宣传进社区活动60场次"])
    assert police[0].startswith("破获刑事案件，") and police[2].startswith("开展反诈宣传进社区活动，"), police
    assert len({h.rpartition("，")[2] for h in police}) == len(police), "parallel headings end differently"


def test_long_openings_keep_their_verb_and_the_head_of_their_object() -> None:
    weather = _headings("县气象局", ["发布灾害性天气预警信号126次，预警准确率91%",
                                     "组织“3·23”世界气象日科普开放活动，接待公众1500人次"])
    assert weather[0].startswith("发布天气预警信号，"), weather
    assert weather[1].startswith("组织科普开放活动，"), weather  # a number inside a quoted name is not a stop
    hospital = _headings("县中医院", ["门诊量达到28.6万人次，同比增长6.3%", "中医适宜技术推广至全县18个乡镇卫生院",
                                      "新开设治未病中心"])
    assert [h.split("，")[0] for h in hospital] == ["提升门诊量", "推广中医适宜技术", "新开设治未病中心"], hospital
    opening = compose("开头", Facts(unit="县中医院", year="2025", achievements=[
        "中医适宜技术推广至全县18个乡镇卫生院", "新开设治未病中心"]))
    assert "全年重点抓好中医适宜技术推广、治未病中心建设等工作" in opening
    union = _headings("市第三中学工会", ["开展“最美教师”评选活动，评出10名"])
    assert union[0].startswith("开展“最美教师”评选活动，"), union
