"""Written from the house examples: the examples shape the plan of a draft, the user's own first.

With the real index and the template backend (the deterministic version of the same method): the draft differs
with and without examples; with the user's own earlier summary uploaded, its heading frame, its opening and its
closing come back for this year's facts; every heading passes the heading check; facts are all used and nothing
is flagged. An independent reader's check (bench/reader_checks.py, written without seeing the app's) finds no
broken heading.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.check.headings import heading_problems
from assistant.export.assemble import assemble_text
from assistant.facts.parse import parse_facts_text
from assistant.house.frames import clauses
from assistant.services import build_services
from bench.reader_checks import heading_problems as reader_problems
from tests.conftest import REPO, make_settings

OWN = REPO / "tests" / "data" / "own_example_meteorology.md"
FACTS = parse_facts_text("""单位: 东山县气象局
年度: 2025
成绩:
  - 新建区域自动气象站5个
  - 24小时晴雨预报准确率达到90%
  - 发布预警信号58次
  - 为种植大户提供直通式服务260次
  - 组织业务培训10期，参训人员150人次
  - 开展廉政教育5次
问题: [山区观测站网仍有空白, 专业人才偏少]
计划: [开展预报员轮训]
""")


def _draft(services) -> tuple[str, object]:  # noqa: ANN001 - Services
    doc = services.drafting.draft_all(FACTS)
    return assemble_text(doc), services.drafting.house_plan(FACTS)


@pytest.fixture()
def own_services(indexed_dir: Path, tmp_path: Path):  # noqa: ANN201 - Services
    import shutil

    data = tmp_path / "data"
    shutil.copytree(indexed_dir, data)
    services = build_services(make_settings(data))
    services.knowledge.add_example(OWN.name, OWN.read_bytes())
    return services


def test_the_examples_shape_the_draft(indexed_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "no-examples"
    empty.mkdir()
    without, _ = _draft(build_services(make_settings(tmp_path / "d", knowledge_dir=empty)))
    with_examples, plan = _draft(build_services(make_settings(indexed_dir)))
    assert without != with_examples
    assert plan.sources and all(not s.startswith("own_example") for s in plan.sources)


def test_the_users_own_summary_is_followed(own_services, indexed_dir: Path) -> None:  # noqa: ANN001
    before, _ = _draft(build_services(make_settings(indexed_dir)))
    text, plan = _draft(own_services)
    assert text != before and plan.own and plan.sources[0] == OWN.stem
    headings = plan.headings()
    framed = [h for h in headings if clauses(h)[0].startswith("聚焦") and clauses(h)[-1].startswith("推动")]
    assert len(framed) * 3 >= 2 * len(headings), headings
    assert plan.two_level  # the own example writes （一） items, so does this year's
    opening = next(line for line in text.splitlines() if line.startswith("2025年"))
    assert opening.startswith("2025年，东山县气象局锚定“监测精密、预报精准、服务精细”目标"), opening
    assert "2024" not in opening and "如下" in opening
    assert "2026年，东山县气象局将继续锚定“三精”目标" in text
    assert plan.problems_heading == "存在的不足" and plan.plans_heading == "2026年工作打算"


def test_every_heading_passes_the_check_and_a_readers_eye(own_services, indexed_dir: Path) -> None:  # noqa: ANN001
    for services in (own_services, build_services(make_settings(indexed_dir))):
        _, plan = _draft(services)
        facts_text = [*FACTS.achievements]
        for theme in plan.themes:
            assert theme.fallback or not heading_problems(theme.heading, theme.facts, unit=FACTS.unit,
                                                          extra_words=plan.own_words,
                                                          frame_words=["聚焦", "推动"]), theme.heading
            assert not reader_problems(theme.heading, facts_text), theme.heading
            for item in theme.items:
                assert not reader_problems(item.lead, facts_text), item.lead
        seconds = [h.split("，")[-1] for h in plan.headings() if "，" in h]
        assert len(seconds) == len(set(seconds))


def test_the_draft_stays_faithful(own_services) -> None:  # noqa: ANN001
    doc = own_services.drafting.draft_all(FACTS)
    text = assemble_text(doc)
    report = own_services.drafting.check(FACTS, text)
    assert not report.flagged, [(e.text, e.reasons) for e in report.flagged]
    assert not report.unused_facts and not report.unsupported_numbers and not report.leaks


def test_another_kinds_words_stay_in_its_opening_and_closing(indexed_dir: Path) -> None:
    """A unit no example covers borrows the house's formulas, never another kind's business ("办好人民满意的教育",
    "以预防为主", "为全县群众的健康")."""
    from assistant.check.sentences import words
    from assistant.check.vocabulary import other_kinds_words
    from assistant.facts.parse import load_facts_file

    facts = load_facts_file(REPO / "bench" / "draft_sheets" / "unit_science_association.txt")
    services = build_services(make_settings(indexed_dir))
    plan = services.drafting.house_plan(facts)
    known = "".join([facts.unit, *facts.achievements, *facts.problems, *facts.plans])
    foreign = other_kinds_words(facts.unit, everyday=True)
    assert foreign, "the unit's kind is unknown: every kind's everyday words are another's"
    for part in (plan.opening, plan.closing):
        borrowed = [w for w, _ in words(part) if w in foreign and w not in known]
        assert not borrowed, (part, borrowed)


def test_a_result_that_is_no_work_is_stated_within_an_item_not_under_a_heading_of_its_own(own_services) -> None:  # noqa: ANN001
    """An honour or what did not happen names no work: it never heads a theme, and it does not stop the house's
    second level — it is stated in an item beside the work it crowns."""
    from assistant.schema import Facts

    loose = ["获评省级文明单位", "全年未发生安全责任事故"]
    facts = Facts(unit=FACTS.unit, year=FACTS.year, achievements=[*FACTS.achievements, *loose],
                  problems=FACTS.problems, plans=FACTS.plans)
    plan = own_services.drafting.house_plan(facts)
    assert plan.two_level
    for theme in plan.themes:
        assert not any(w in theme.heading for w in ("获评", "文明单位", "未发生")), theme.heading
        for item in theme.items:
            assert item.facts[0] not in loose, item.lead  # no item is led by a result that is no work
    itemised = [f for t in plan.themes for it in t.items for f in it.facts]
    assert any(f in itemised for f in loose), [(t.heading, [i.facts for i in t.items]) for t in plan.themes]


def test_the_leads_of_problems_and_plans_come_from_the_examples(indexed_dir: Path) -> None:
    """Each part's lead-in is an example's, in this unit's words and never another unit's word for word; the
    genre's fixed lead (template.py) is left for when no example's fits."""
    from assistant.ingest.readers import read_document
    from assistant.writing.template import PLANS_LEAD, PROBLEMS_LEAD

    services = build_services(make_settings(indexed_dir))
    plan = services.drafting.house_plan(FACTS)
    examples = "\n".join(read_document(p).text for p in (REPO / "knowledge").glob("*.md"))
    for lead, fixed in ((plan.problems_lead, PROBLEMS_LEAD), (plan.plans_lead, PLANS_LEAD)):
        assert lead and lead != fixed and lead.endswith("：")
        assert lead.split("，")[-1] in examples, lead  # its colon clause is a house's
    report = services.drafting.check(FACTS, assemble_text(services.drafting.draft_all(FACTS)))
    assert not report.leaks and not report.flagged


def test_a_breakdown_stays_right_after_what_it_breaks_down(own_services) -> None:  # noqa: ANN001
    """"其中网上信访892件……" was written under a heading of its own, away from "受理群众信访事项1426件"; it now
    follows its total in the same theme (and item), and names no heading."""
    from assistant.schema import Facts

    # the breakdown's words are nearer another result's (直通式服务, 种植大户) than its total's
    total, part = "发布预警信号58次", "其中通过直通式服务向种植大户推送32次"
    achievements = list(FACTS.achievements)
    achievements.insert(achievements.index(total) + 1, part)
    facts = Facts(unit=FACTS.unit, year=FACTS.year, achievements=achievements, problems=FACTS.problems,
                  plans=FACTS.plans)
    services = own_services  # the user's own example has a second level: the theme and the item are both checked
    plan = services.drafting.house_plan(facts)
    assert plan.two_level
    theme = next(t for t in plan.themes if part in t.facts)
    assert theme.facts.index(part) == theme.facts.index(total) + 1, theme.facts
    assert "推送" not in theme.heading, theme.heading
    for item in theme.items:
        assert item.facts[0] != part, item.lead
        if part in item.facts:
            assert total in item.facts
    text = assemble_text(services.drafting.draft_all(facts))
    assert text.index(part) > text.index(total)
    assert "\n" not in text[text.index(total):text.index(part)], "the breakdown is written in its total's paragraph"


def test_the_units_make_up_read_from_a_paste_is_stated_in_the_opening(indexed_dir: Path) -> None:
    """A paste's line on how big the unit is goes to the facts' notes; it is the opening's background, never lost
    (before, no part of the draft stated it)."""
    from assistant.facts.paste import parse_free_text

    facts = parse_free_text("单位：某县实验幼儿园\n年度：2025\n全园在园幼儿426名，教职工58人。\n"
                            "开展家长开放日活动12场。\n组织教师培训30人次。\n")
    assert facts.notes and not any("426" in a for a in facts.achievements)
    doc = build_services(make_settings(indexed_dir)).drafting.draft_all(facts)
    opening = next(s.text for s in doc.sections if s.role == "开头")
    assert "全园在园幼儿426名" in opening, opening


def test_what_the_user_files_under_other_is_stated_among_the_results(indexed_dir: Path) -> None:
    """A note under 其他/备注 is the user's fact: the draft states it (before, no part of the draft did)."""
    facts = parse_facts_text("单位: 某县实验幼儿园\n年度: 2025\n成绩:\n  - 开展家长开放日活动12场\n"
                             "  - 组织教师培训30人次\n其他:\n  - 幼儿园被评为市级“平安校园”\n")
    assert facts.notes == ["幼儿园被评为市级“平安校园”"]
    text = assemble_text(build_services(make_settings(indexed_dir)).drafting.draft_all(facts))
    assert "幼儿园被评为市级“平安校园”" in text, text
