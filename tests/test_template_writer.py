"""The no-model backend: the house plan with every fact as written — deterministic, faithful, visible slots.

Properties, not one sheet's wording: every fact is stated once, headings number without gaps and pass the
heading check, missing facts show as named slots, and the same input gives the same text in two processes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from assistant.check.headings import heading_problems
from assistant.schema import Facts
from assistant.text.headings import parse_numbered
from assistant.writing.compose import bare_plan, compose, outline_text
from assistant.writing.template import clean_fact, enumerate_run
from tests.conftest import REPO

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


def test_the_outline_numbers_its_themes_and_holds_every_result() -> None:
    plan = bare_plan(FACTS)
    lines = [p for line in outline_text(plan).splitlines() if (p := parse_numbered(line)) and p.level == 1]
    assert [p.ordinal for p in lines] == list(range(1, len(lines) + 1))
    assert sorted(f for t in plan.themes for f in t.facts) == sorted(FACTS.achievements)


def test_every_heading_passes_the_heading_check_or_is_marked_a_fallback() -> None:
    plan = bare_plan(FACTS)
    for theme in plan.themes:
        assert theme.fallback or not heading_problems(theme.heading, theme.facts, unit=FACTS.unit), theme


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


def test_plans_keep_the_plan_as_written() -> None:
    text = compose("计划", FACTS)
    assert "开展心理健康讲座" in text and text.startswith(("在新的一年", "下一步", "2025年"))


def test_a_plan_list_does_not_say_who_twice_whatever_its_lead() -> None:
    facts = Facts(unit="城关市场监管所", year="2025", plans=["本所将继续推进食品安全网格化监管", "拟建设快检室1个"])
    plan = bare_plan(facts)
    plan.plans_lead = "2026年，着力抓好以下工作："  # a lead without 将: the list is still this unit's next year
    text = compose("计划", facts, plan)
    assert "一是继续推进食品安全网格化监管" in text and "本所将" not in text
    assert "拟建设快检室1个" in text


def test_a_fact_that_only_says_how_big_the_unit_is_goes_to_the_opening() -> None:
    facts = Facts(unit="县人民医院", year="2025",
                  achievements=["全院护理人员586人", "开展护理岗位练兵3轮", "门急诊诊疗4.6万人次"])
    plan = bare_plan(facts)
    assert plan.background == ["全院护理人员586人"]
    assert all("全院护理人员586人" not in t.facts for t in plan.themes)
    assert "全院护理人员586人" in compose("开头", facts)
    assert "586人" not in compose("成绩", facts)


_SCRIPT = """
import json, sys
from assistant.schema import Facts
from assistant.writing.compose import compose
facts = Facts(**json.loads(sys.argv[1]))
print(json.dumps([compose(r, facts) for r in ("开头", "成绩", "问题", "计划", "结尾")], ensure_ascii=False))
"""


def test_deterministic_across_processes() -> None:
    """Two interpreters (different hash seeds) compose the same text from the same facts."""
    outs = []
    for seed in ("1", "2"):
        run = subprocess.run([sys.executable, "-c", _SCRIPT, json.dumps(FACTS.to_json(), ensure_ascii=False)],
                             capture_output=True, text=True, cwd=REPO,
                             env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        outs.append(json.loads(run.stdout))
    assert outs[0] == outs[1]
    assert all(re.search(r"[\u4e00-\u9fff]", part) for part in outs[0])


def test_a_note_filed_under_other_is_written_without_examples_too() -> None:
    """The plan of no examples (compose.bare_plan) reads the same facts as the house's: a 其他 note is a result."""
    facts = Facts(unit="某县实验幼儿园", year="2025", achievements=["开展家长开放日活动12场"],
                  notes=["幼儿园被评为市级“平安校园”"])
    assert "幼儿园被评为市级“平安校园”" in compose("成绩", facts)
