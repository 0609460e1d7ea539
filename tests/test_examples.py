"""The shipped example library: every example the project wrote is a whole summary the splitter reads right.

The seed's five examples (01–05) come from a saved web page and are kept as they were published; the
project's own (06 onwards) are held to the genre: header metadata, an opening, numbered results, a real
problems part, a real plans part and a closing, in that order.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.facts.unit_type import ORG_TYPES, parse_org_types
from assistant.ingest.readers import read_document
from assistant.ingest.splitter import split_document
from assistant.ingest.structure import check_numbering, outline_of
from assistant.schema import ROLES
from assistant.text.headings import parse_numbered
from tests.conftest import KNOWLEDGE, REPO

PROJECT_SOURCE = "本项目编写的示例"
ALL = sorted(KNOWLEDGE.glob("*.md"))
PROJECT = [p for p in ALL if read_document(p).meta.get("source") == PROJECT_SOURCE]
SEED = [p for p in ALL if p not in PROJECT]
DATED = ("全面建设小康社会", "三个代表", "科学发展观", "构建和谐社会", "构建社会主义和谐社会", "党的十七", "党的十八")
PLACEHOLDER = re.compile(r"(?<![A-Za-z])[xX×]{2,}|20[xX]{2}|\*{2,}|某某")


def test_the_library_has_the_seed_and_at_least_twelve_project_examples() -> None:
    assert [p.name[:2] for p in SEED] == ["01", "02", "03", "04", "05"]
    assert len(PROJECT) >= 12
    assert all(int(p.name[:2]) >= 6 for p in PROJECT)
    sectors = {t for p in PROJECT for t in parse_org_types(read_document(p).org_type) if t != "工会"}
    # school, hospital, bureau, street office, enterprise, transport; 疾控, 应急 and 金融 are typed (so that no other
    # sector's words reach them) but have no house example yet
    assert sectors == set(ORG_TYPES) - {"工会", "疾控", "应急", "金融"}
    unions = [p for p in PROJECT if "工会" in parse_org_types(read_document(p).org_type)]
    assert len(unions) >= 4 and len(PROJECT) - len(unions) >= 4  # unions of such units and the units themselves


@pytest.mark.parametrize("path", PROJECT, ids=lambda p: p.name)
def test_project_example_header_and_text(path: Path) -> None:
    doc = read_document(path)
    assert doc.title.endswith("工作总结") and doc.meta["unit"] in doc.title
    assert doc.year.isdigit() and doc.year in doc.title
    assert doc.org_type and doc.org_type == "、".join(parse_org_types(doc.org_type))
    assert 800 <= len(doc.text) <= 2000
    assert not any(w in doc.text for w in DATED)
    assert not PLACEHOLDER.search(doc.text)
    assert check_numbering(outline_of(doc)) == []
    level_one = [n for n in map(parse_numbered, doc.text.splitlines()) if n is not None and n.level == 1]
    results = [n.title for n in level_one if not re.search(r"问题|不足|打算|计划|思路|安排", n.title)]
    assert len(results) >= 2
    assert all(len(re.split(r"，", t)) == 2 for t in results), results  # two-clause 对仗 headings


@pytest.mark.parametrize("path", PROJECT, ids=lambda p: p.name)
def test_project_example_has_all_five_roles_in_order(path: Path) -> None:
    doc = read_document(path)
    chunks = split_document(doc)
    roles = [c.role for c in chunks]
    assert set(roles) == set(ROLES)
    # 开头, then results, then problems, then plans, then the closing: so no problem or plan passage is 成绩
    assert re.fullmatch(r"开头(成绩)+(问题)+(计划)+结尾", "".join(roles)), roles
    problems = [c.text for c in chunks if c.role == "问题"]
    plans = [c.text for c in chunks if c.role == "计划"]
    assert sum(len(re.findall(r"[一二三四五六七八九十]是|；", t)) for t in problems) >= 2 or len(problems) >= 2
    assert re.search(r"一是|（一）", "".join(plans)) and re.search(r"二是|（二）", "".join(plans))
    body = doc.text
    assert OPENING_RE.search(chunks[0].text) and CLOSING_RE.search(chunks[-1].text)
    assert body.index(problems[0][:20]) < body.index(plans[0][:20]) < body.index(chunks[-1].text[:20])


OPENING_RE = re.compile(r"现将.{0,12}总结如下：$")
CLOSING_RE = re.compile(r"贡献。$|再创佳绩。$")


def test_readme_says_which_examples_are_the_seeds_and_which_the_projects() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path in ALL:
        row = next((line for line in readme.splitlines() if line.startswith("|") and path.name in line), "")
        assert row, path.name
        assert ("种子" in row) == (path in SEED), row
        assert ("本项目" in row) == (path in PROJECT), row
