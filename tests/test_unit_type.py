"""Unit types: a unit name maps onto a small vocabulary, examples carry it, and retrieval prefers the user's
kind of unit and the user's own examples without filtering the others out."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.facts.unit_type import ORG_TYPES, document_org_types, parse_org_types, unit_type_of
from assistant.index.retriever import USER_BOOST
from assistant.ingest.readers import read_document
from assistant.services import build_services
from tests.conftest import KNOWLEDGE, make_settings


@pytest.mark.parametrize(("unit", "tags"), [
    ("县人民医院工会", ("医院", "工会")),
    ("和平街道办事处", ("街道社区",)),
    ("星河软件科技有限公司工会", ("企业", "工会")),
    ("市第一中学工会", ("学校", "工会")),
    ("市一中工会", ("学校", "工会")),
    ("县交通运输局", ("机关", "交通")),
    ("市公共交通集团有限公司", ("企业", "交通")),
    ("县公路养护中心工会", ("交通", "工会")),
    ("区市场监督管理局", ("机关",)),
    ("青石镇卫生院", ("医院",)),
    ("社区卫生服务中心", ("医院",)),
    ("柳背桥社区居委会", ("街道社区",)),
    ("青石镇人民政府", ("街道社区",)),
    ("县财政局机关工会", ("机关", "工会")),
    ("区总工会", ("工会",)),
    ("环境卫生管理处", ()),
    ("某单位", ()),
    ("", ()),
])
def test_unit_names_map_to_the_vocabulary(unit: str, tags: tuple[str, ...]) -> None:
    assert unit_type_of(unit) == tags


def test_header_tags_are_parsed_and_unknown_words_dropped() -> None:
    assert parse_org_types("医院、工会") == ("医院", "工会")
    assert parse_org_types("工会,医院") == ("医院", "工会")
    assert parse_org_types("工会 卫生系统") == ("工会",)
    assert parse_org_types(None) == () and parse_org_types(["交通", "x"]) == ("交通",)
    assert document_org_types("工会", "区交通局工会") == ("机关", "交通", "工会")  # the seed's header says less
    assert document_org_types("", None, "2023年县医院工会工作总结") == ("医院", "工会")  # an upload without a header


def test_every_shipped_example_is_typed_and_the_six_unit_types_are_covered() -> None:
    seen: set[str] = set()
    for path in sorted(KNOWLEDGE.glob("*.md")):
        doc = read_document(path)
        declared = parse_org_types(doc.org_type)
        assert declared and doc.org_type == "、".join(declared), path.name  # the header uses the vocabulary
        assert set(declared) <= set(document_org_types(doc.org_type, doc.meta.get("unit"), doc.title))
        if doc.meta.get("source") == "本项目编写的示例":
            assert unit_type_of(doc.meta["unit"]) == declared, path.name  # the unit name says the same
        seen |= set(document_org_types(doc.org_type, doc.meta.get("unit"), doc.title))
    house = {"学校", "医院", "机关", "街道社区", "企业", "交通", "工会"}
    assert house <= seen  # the tags the house examples speak for
    assert set(ORG_TYPES) - seen == {"疾控", "应急", "金融"}  # sectors with no example: typed, never borrowed


# Units typed by what they do, not by their suffix (中心, 站, 所, 队): (name, tags it must have, tags it may have).
# A tag outside the second set names a sector the unit is not in (issue 23 §5).
UNITS_BY_WORK: list[tuple[str, set[str], set[str]]] = [
    ("市疾病预防控制中心", {"疾控"}, {"疾控"}),
    ("县疾控中心", {"疾控"}, {"疾控"}),
    ("县卫生健康监督所", {"疾控"}, {"疾控"}),
    ("县结核病防治所", {"疾控"}, {"疾控"}),
    ("县消防救援大队", {"应急"}, {"应急"}),
    ("市应急救援支队", {"应急"}, {"应急"}),
    ("县应急管理局", {"应急", "机关"}, {"应急", "机关"}),
    ("县地震局", {"应急"}, {"应急", "机关"}),
    ("某农商银行城关支行", {"金融"}, {"金融", "企业"}),
    ("县农村信用合作联社", {"金融"}, {"金融", "企业"}),
    ("某银行营业厅", {"金融"}, {"金融", "企业"}),
    ("中国人寿保险公司县支公司", {"金融"}, {"金融", "企业"}),
    ("市气象局", {"机关"}, {"机关"}),
    ("城关派出所", {"机关"}, {"机关"}),
    ("县交警大队", set(), {"机关"}),
    ("县城市管理综合执法大队", set(), {"机关"}),
    ("县医疗保障局", {"机关"}, {"机关"}),
    ("县社会保险事业管理局", {"机关"}, {"机关"}),
    ("县档案馆", set(), set()),
    ("市图书馆", set(), set()),
    ("县融媒体中心", set(), set()),
    ("县动物卫生监督所", set(), {"机关"}),
    ("市环境卫生管理处", set(), {"机关"}),
    ("城关供电所", {"企业"}, {"企业"}),
    ("县第一幼儿园", {"学校"}, {"学校"}),
    ("城关镇中心小学", {"学校"}, {"学校"}),
    ("市急救中心", {"医院"}, {"医院"}),
    ("市中心血站", {"医院"}, {"医院"}),
    ("青石镇卫生院", {"医院"}, {"医院"}),
    ("县公路养护中心", {"交通"}, {"交通"}),
    ("县政务服务中心", set(), {"机关"}),
    ("县水文站", set(), set()),
    ("县农业技术推广站", set(), set()),
    ("县疾控中心工会", {"疾控", "工会"}, {"疾控", "工会"}),
    ("区公共卫生管理中心", {"疾控"}, {"疾控"}),
    ("全区卫生工会", {"医院", "工会"}, {"医院", "工会"}),
    ("县爱国卫生运动委员会办公室", set(), {"机关"}),
    ("县消防救援大队工会", {"应急", "工会"}, {"应急", "工会"}),
]


@pytest.mark.parametrize(("unit", "must", "may"), UNITS_BY_WORK)
def test_a_unit_is_typed_by_what_it_does_and_never_as_another_sector(unit: str, must: set[str],
                                                                     may: set[str]) -> None:
    tags = set(unit_type_of(unit))
    assert must <= tags, (unit, tags)
    assert tags <= may, (unit, tags)


def test_a_disease_control_centre_is_not_a_hospital_anywhere() -> None:
    """The retrieval preference and the writer both see the CDC's tags: neither may say 医院."""
    for unit in ("市疾病预防控制中心", "县疾控中心", "县疾病预防控制中心工会"):
        assert "医院" not in unit_type_of(unit)
        assert "医院" not in document_org_types(None, unit)


def test_every_tag_has_cues_and_the_cue_file_has_one_loader() -> None:
    from importlib.resources import files

    from assistant.facts import unit_type

    text = (files("assistant.facts") / "data" / "unit_types.txt").read_text(encoding="utf-8")
    assert tuple(t for t in ORG_TYPES) == tuple(re.findall(r"^\[(.+)\]$", text, re.M))
    for tag in ORG_TYPES:
        assert unit_type._cues()[tag].words, tag


# ---- retrieval --------------------------------------------------------------------------------------

def test_index_records_each_examples_unit_type_and_origin(indexed_settings: Settings) -> None:
    knowledge = build_services(indexed_settings).knowledge
    docs = {d["doc"]: d for d in knowledge.documents()}
    assert len(docs) == len(list(KNOWLEDGE.glob("*.md")))
    for doc_id, entry in docs.items():
        doc = read_document(KNOWLEDGE / f"{doc_id}.md")
        assert entry["org_type"] == "、".join(document_org_types(doc.org_type, doc.meta.get("unit"), doc.title))
        assert entry["origin"] == ("seed" if doc_id[:2] in {"01", "02", "03", "04", "05"} else "project")
    got = knowledge.store.collection.get(include=["metadatas"])
    assert all(m.get("org_type") and m.get("origin") in ("seed", "project") for m in got["metadatas"])


QUERIES = [("明年的工作打算", "计划"), ("存在的问题和不足", "问题"), ("现将全年工作总结如下", "开头"),
           ("关心职工生活，走访慰问困难职工", "成绩")]


@pytest.mark.parametrize("wanted", [("交通",), ("企业",), ("医院", "工会")])
def test_the_users_kind_of_unit_comes_forward(indexed_settings: Settings, wanted: tuple[str, ...]) -> None:
    knowledge = build_services(indexed_settings).knowledge
    tags = {d["doc"]: set(str(d["org_type"]).split("、")) for d in knowledge.documents()}
    plain_total = preferred_total = 0
    for query, role in QUERIES:
        plain = knowledge.search(query, 3, role=role)  # type: ignore[arg-type]
        preferred = knowledge.search(query, 3, role=role, org_type=wanted)  # type: ignore[arg-type]
        count_plain = sum(1 for h in plain if tags[h.doc] & set(wanted))
        count_preferred = sum(1 for h in preferred if tags[h.doc] & set(wanted))
        assert count_preferred >= count_plain, (query, wanted)
        assert all(h.role == role for h in preferred)
        plain_total += count_plain
        preferred_total += count_preferred
    assert preferred_total > plain_total


def test_a_preference_is_not_a_filter(indexed_settings: Settings) -> None:
    """A request only a hospital example answers still finds it for a school."""
    knowledge = build_services(indexed_settings).knowledge
    hits = knowledge.search("心梗脑梗急救平台拿到国家认证，引进微创新术式", 3, role="成绩", org_type=("学校",))
    assert any(h.doc.startswith("08") and "胸痛中心" in h.text for h in hits)
    hits = knowledge.search("给老年人办食堂、建家门口的养老站", 3, org_type=("企业",))
    assert any(h.doc.startswith("12") for h in hits)


def test_the_users_own_examples_come_before_the_shipped_ones(tmp_path: Path, hashed: None) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for name in ("06-shiyan-xiaoxue.md", "08-renmin-yiyuan.md"):
        shutil.copy(KNOWLEDGE / name, folder / name)
    services = build_services(make_settings(tmp_path / "data", knowledge_dir=folder))
    services.knowledge.ingest()
    shipped = (KNOWLEDGE / "08-renmin-yiyuan.md").read_text(encoding="utf-8")
    body = shipped.split("---", 2)[2]  # the same summary as the user's own file, without the shipped header
    services.knowledge.add_example("我院2024年总结.md", ("县人民医院2024年工作总结\n" + body).encode("utf-8"))
    (folder / "mine.txt").write_text("我们单位的总结\n\n一、加强学习，提高素质\n\n全年组织学习12次。\n", encoding="utf-8")
    services.knowledge.ingest()
    origins = {d["doc"]: d["origin"] for d in services.knowledge.documents()}
    assert origins == {"06-shiyan-xiaoxue": "project", "08-renmin-yiyuan": "project", "我院2024年总结": "user",
                       "mine": "user"}
    query = "胸痛中心通过国家标准版认证，卒中中心建成运行"
    first, second = services.knowledge.search(query, 2, prefer_uploads=False)
    assert {first.doc, second.doc} == {"08-renmin-yiyuan", "我院2024年总结"}
    assert first.score == pytest.approx(second.score, abs=1e-5)  # the same passage: a tie without the preference
    first, second = services.knowledge.search(query, 2)
    assert first.doc == "我院2024年总结" and second.doc == "08-renmin-yiyuan"
    assert first.score - second.score == pytest.approx(USER_BOOST, abs=1e-5)
