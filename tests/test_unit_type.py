"""Unit types: a unit name maps onto a small vocabulary, examples carry it, and retrieval prefers the user's
kind of unit and the user's own examples without filtering the others out."""

from __future__ import annotations

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
    assert set(ORG_TYPES) <= seen


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
