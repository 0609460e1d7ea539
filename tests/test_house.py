"""The house layer: layouts read from examples, heading frames learnt from a house's own headings, results
grouped, and an example's opening and closing adapted to another unit (house/)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.house.formulas import compose_closing, compose_opening
from assistant.house.frames import learn_frame
from assistant.house.grouping import group_results, target_groups
from assistant.house.layout import Layout, layout_of
from assistant.ingest.loader import load_paths
from assistant.ingest.splitter import split_document
from assistant.text.numbers import find_quantities
from tests.conftest import KNOWLEDGE


def _layout(name: str) -> Layout:
    doc = next(d for d in load_paths([KNOWLEDGE]).documents if d.doc_id.startswith(name))
    return layout_of(split_document(doc), title=doc.title, unit=doc.meta.get("unit", ""), year=doc.year,
                     origin="project")


def test_a_layout_holds_the_examples_parts() -> None:
    lay = _layout("12-heping")
    assert len(lay.themes) == 5 and lay.two_level
    assert all("，" in t.heading and not t.heading.startswith("一、") for t in lay.themes)
    assert "深化网格化治理" in lay.leads
    assert lay.opening.startswith("2024年") and "如下" in lay.opening
    assert lay.closing.startswith("新的一年")
    assert lay.plans_heading.endswith("工作打算")


def test_a_fixed_opener_and_a_fixed_ending_are_learnt_from_the_headings_themselves() -> None:
    focus = learn_frame(["聚焦项目建设，完善路网体系", "聚焦运输服务，便利群众出行", "聚焦安全监管，守牢行业底线"])
    assert focus.clauses[0].prefix == "聚焦" and focus.size == 2
    effort = learn_frame(["在服务大局上下功夫", "在改革创新上下功夫", "在队伍建设上下功夫"])
    assert (effort.clauses[0].prefix, effort.clauses[0].suffix) == ("在", "上下功夫")
    for frame in (focus, effort):
        assert all(frame.fits(h) for h in frame.examples)
    assert not focus.fits("强化安全监管，守牢行业底线")


def test_the_clause_that_states_an_outcome_is_the_purpose() -> None:
    frame = learn_frame(["以执法办案为抓手，推动审判质效稳步提升", "以诉源治理为抓手，推动矛盾纠纷就地化解",
                         "以队伍建设为抓手，推动司法作风持续向好"])
    assert [c.work for c in frame.clauses] == [True, False]
    assert frame.clauses[0].prefix == "以" and frame.clauses[0].suffix == "为抓手"


def test_results_are_grouped_into_the_houses_number_of_themes_in_their_order() -> None:
    rng = np.random.default_rng(7)
    base = rng.normal(size=(3, 16))
    vectors = np.vstack([base[i % 3] + 0.05 * rng.normal(size=16) for i in range(9)])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    groups = group_results(vectors, [[] for _ in range(9)], 3)
    assert sorted(i for g in groups for i in g) == list(range(9))
    assert [sorted(g) for g in groups] == [[0, 3, 6], [1, 4, 7], [2, 5, 8]]
    assert [g[0] for g in groups] == sorted(g[0] for g in groups)  # a group stands where its first result did
    assert target_groups(12) in range(2, 6) and target_groups(2) == 2 and target_groups(8, preferred=3) == 3


def test_no_theme_takes_far_more_than_its_share() -> None:
    """24 results, most of them alike, in 5 themes: no theme takes more than 1.6 times the even share (it had
    taken 11, a catch-all under a heading that named two of them); every result is kept."""
    from assistant.house.grouping import group_cap

    rng = np.random.default_rng(7)
    alike = rng.normal(size=16)
    vectors = np.vstack([alike + (0.05 if i < 16 else 1.0) * rng.normal(size=16) for i in range(24)])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    groups = group_results(vectors, [[] for _ in range(24)], 5)
    assert sorted(i for g in groups for i in g) == list(range(24))
    assert max(len(g) for g in groups) <= group_cap(24, 5) == 8
    assert group_cap(24) == 11 and group_cap(4, 2) == 4  # without k the share alone; few results: no cap


def test_the_same_theme_in_the_house_pulls_two_results_together() -> None:
    vectors = np.eye(4)
    apart = group_results(vectors, [[], [], [], []], 3)
    together = group_results(vectors, [["doc/甲"], [], ["doc/甲"], []], 3)
    assert [0, 2] in together and [0, 2] not in apart


def _fits(clause: str) -> bool:
    return True


def _judge(sentence: str) -> bool:
    return True


def test_another_units_opening_is_adapted_not_copied() -> None:
    lay = _layout("12-heping")
    opening = compose_opening([lay], unit="县供电所", year="2025", fits=_fits, judge=_judge)
    assert opening.startswith("2025年") and opening.endswith("如下：")
    assert "县供电所" in opening and "和平街道" not in opening and "2024" not in opening
    assert "区委" not in opening  # another unit's superiors
    assert not [q for q in find_quantities(opening) if q.kind != "year"]


def test_the_users_own_opening_and_closing_come_back_whole_in_this_year() -> None:
    own = Layout(doc="mine", unit="县气象局", year="2024", origin="user",
                 opening="2024年，我局在市气象局的正确领导下，坚持“监测精密、预报精准”，各项工作稳步推进。现将全年工作总结如下：",
                 closing="2025年，我局将以更加饱满的热情，为全县防灾减灾作出新的更大贡献。")
    opening = compose_opening([own], unit="县气象局", year="2025", fits=lambda c: False, judge=_judge)
    assert opening.startswith("2025年，我局在市气象局的正确领导下，坚持“监测精密、预报精准”")
    closing = compose_closing([own], unit="县气象局", year="2025", fits=lambda c: False, judge=_judge)
    assert closing.startswith("2026年，我局将") and "防灾减灾" in closing


def test_an_opening_names_this_units_works_the_way_the_house_lists_its_own() -> None:
    """Another unit's opening, adapted: where the house lists its year's works ("统筹推进……等工作"), this unit's
    opening lists its own, before the clause that states the outcome."""
    from assistant.house.formulas import enumeration_leads

    lays = [_layout("19-jiaotong"), _layout("12-heping")]
    assert enumeration_leads(lays)[0] == "统筹推进"
    lay = Layout(doc="x", unit="某县某中心", year="2024", origin="project",
                 opening="2024年，某县某中心较好完成了全年目标任务。现将主要工作总结如下：")
    opening = compose_opening([lay, *lays], unit="平川县农机中心", year="2025", fits=lambda c: "完成" in c,
                              judge=_judge, themes=["农机安全检验", "农机手培训"])
    assert "统筹推进农机安全检验和农机手培训等工作" in opening, opening
    assert opening.index("等工作") < opening.index("完成"), opening
    same = compose_opening([lay], unit="平川县农机中心", year="2025", fits=lambda c: True, judge=_judge,
                           themes=["农机安全检验", "农机手培训"])
    assert "等工作" not in same  # no example lists its works: nothing is invented in their place


@pytest.mark.parametrize("unit, field", [("西林县林业和草原局", "林业和草原"), ("国家税务总局某县税务局", "税务"),
                                         ("青石县委老干部局", "老干部"), ("白沙湾海事局东港海事处", "海事"),
                                         ("平川县残疾人联合会", "残疾人"), ("县公路养护中心工会", "工会"),
                                         ("实验中学", ""), ("枫泽站（枫泽县火车站）", ""), ("某县公安局城关派出所", ""),
                                         # 县直 is part of the name; the formula says 工作 itself ("…工作工作")
                                         ("中共枫林县委县直机关工作委员会", "县直机关"), ("县老干部工作委员会", "老干部")])
def test_a_units_name_says_its_line_of_work_or_nothing(unit: str, field: str) -> None:
    from assistant.text.names import unit_field

    assert unit_field(unit) == field


def test_a_closing_takes_this_units_line_of_work_in_the_examples_slot() -> None:
    """"为推动财政事业高质量发展" of a finance bureau's union becomes this unit's line; a line its facts name
    and a general "各项工作" stay; two units of different lines get different closings."""
    from assistant.house.formulas import own_field

    assert own_field("为推动财政事业高质量发展", "水利", "县水利局") == "为推动水利事业高质量发展"
    assert own_field("推动各项工作再上新台阶", "水利", "县水利局") == "推动各项工作再上新台阶"
    assert own_field("加强党建工作", "水利", "县水利局 加强党建工作") == "加强党建工作"
    lay = Layout(doc="x", unit="县财政局", year="2024", origin="project",
                 closing="新的一年，我们将凝心聚力，推动财政工作再上新台阶，为全县发展作出新的更大贡献。")
    closings = {unit: compose_closing([lay], unit=unit, year="2025", fits=lambda c: "财政" not in c, judge=_judge,
                                      known=unit) for unit in ("县水利局", "县体育局")}
    assert "推动水利工作再上新台阶" in closings["县水利局"], closings
    assert "推动体育工作再上新台阶" in closings["县体育局"], closings


def test_another_institutions_mission_is_not_this_units() -> None:
    from assistant.house.formulas import institution_words

    # "把牢办院方向" reached an emergency centre's heading, "坚持公益性办院方向" a special school's opening
    assert {"办院", "兴院"} <= institution_words("市第一人民医院", "澄溪市急救中心")
    assert not institution_words("市第一人民医院", "县人民医院工会")  # a union at a hospital runs no other kind
    assert not institution_words("实验小学", "墨岭县特殊教育学校")  # a school is run as a school
    assert "办学" in institution_words("实验小学", "县档案馆")


def test_the_examples_own_work_is_foreign_even_where_the_facts_name_its_place() -> None:
    from assistant.house.formulas import foreign_words
    from assistant.house.layout import Layout

    street = Layout(doc="12", unit="和平街道办事处")
    # a charity whose facts name 乡镇（街道） got "街道工作还存在一些问题和不足" from the street office's lead
    avoid = foreign_words(street, "蕖阳县慈善总会", known="在全县14个乡镇（街道）设立慈善分会")
    assert "街道工作" in avoid and "街道" not in avoid
    assert "街道" in foreign_words(street, "蕖阳县慈善总会", known="")


def test_an_opening_lists_a_work_only_as_its_fact_says_it() -> None:
    """The opening's list of works read "统筹推进国家和省承担和人才培养加强等工作" and "……干毛茶生产和季季节性用工采茶
    等工作": a verb put after its object, an object cut after a place, a phrase cut inside a word. A listed work now
    stands in its fact from a word's start to a word's end, and an amount is no work."""
    from assistant.writing.planner import ThemePlan, _listable, _opening_works

    def works(*facts: str) -> list[str]:
        return _opening_works([ThemePlan(heading="", facts=[f]) for f in facts], {})

    garbled = works("承担国家和省、市各级监督抽查任务3860批次", "加强人才培养，引进博士2名",
                    "春季季节性用工采茶1200人次", "实现营业收入1.68亿元")
    assert garbled == [], garbled
    said = ["组织学员参加全国青少年科技大赛", "组织委员开展视察调研12次"]
    for cut in ("学员参加全国", "委员开展视察调研"):  # a place at the end; a subject and its verb
        assert not _listable(cut, said), cut
    listed = works("开展食品安全抽检1200批次", "完成馆藏档案数字化扫描3.2万卷")
    assert listed == ["食品安全抽检", "馆藏档案数字化扫描"], listed
    for phrase in listed:  # each as the user wrote it
        assert any(phrase in f for f in ("开展食品安全抽检1200批次", "完成馆藏档案数字化扫描3.2万卷"))
