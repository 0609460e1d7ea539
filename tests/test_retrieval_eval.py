"""Retrieval quality with the real model and real Chroma, every example indexed, on the TUNING sets.

The tuning sets (bench.house_style.TUNING_SETS: the seed's labelled set in tests/data and the sets in
bench/retrieval_data) are reworded requests that share few words with their target passage, as users write
them, over all nineteen examples. The retriever's weights were chosen on them, so these tests hold what was
reached; the held-out set (bench/heldout_queries_2) is measured by `python -m bench` only, never here.
Hybrid search must hold Recall@3 ≥ 0.95 on all of them together and on each set but "synonyms", must not
lose to dense alone, and a unit-type or own-example preference must not push out the passage asked for.
"synonyms" replaces every key word of its target (13 % of bigrams shared): it holds 0.9; its misses are
requests that another example answers about as well (docs/EMBEDDING.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.facts.unit_type import ORG_TYPES
from assistant.index.evaluation import EvalCase, load_cases, markdown_table, rank_of, recall
from assistant.index.retriever import USER_BOOST
from assistant.services import build_services
from bench.house_style import TUNING_SETS
from tests.conftest import KNOWLEDGE, make_settings

SETS = {name: load_cases(path) for name, path in TUNING_SETS.items()}
CASES = SETS["seed"]
TUNING = [c for cases in SETS.values() for c in cases]
SECTORS = tuple(t for t in ORG_TYPES if t != "工会")
FLOOR = {name: 0.9 if name == "synonyms" else 0.95 for name in SETS}


@pytest.fixture(scope="module")
def results(indexed_dir: Path) -> dict[str, dict[str, dict[int, float]]]:
    settings: Settings = make_settings(indexed_dir)
    retriever = build_services(settings).knowledge.retriever
    out = {name: {mode: recall(retriever, cases, mode) for mode in ("dense", "lexical", "hybrid")}
           for name, cases in SETS.items()}
    for name, table in out.items():
        print(f"\n{name}\n" + markdown_table(table))
    return out


def test_every_target_exists_in_the_index_once(indexed_settings: Settings) -> None:
    retriever = build_services(indexed_settings).knowledge.retriever
    snap = retriever.refresh(force=True)
    for case in TUNING:
        found = [m for t, m in zip(snap.texts, snap.metas, strict=True)
                 if case.target in t and str(m["doc"]).startswith(case.doc_prefix)]
        assert len(found) == 1, case.target
        assert not case.role or found[0]["role"] == case.role, case.target


def test_tuning_sets_cover_every_example() -> None:
    assert len(CASES) >= 25 and len({c.doc_prefix for c in CASES}) == 5
    assert len(TUNING) >= 200
    assert {c.doc_prefix for c in TUNING} == {p.name[:2] for p in KNOWLEDGE.glob("*.md")}


def _pooled(results: dict[str, dict[str, dict[int, float]]], mode: str, k: int) -> float:
    return sum(r[mode][k] * len(SETS[name]) for name, r in results.items()) / len(TUNING)


def test_hybrid_recall_at_3_holds_on_the_tuning_sets(results: dict[str, dict[str, dict[int, float]]]) -> None:
    assert _pooled(results, "hybrid", 3) >= 0.95


@pytest.mark.parametrize("name", list(SETS))
def test_hybrid_recall_at_3_holds_on_each_tuning_set(results: dict[str, dict[str, dict[int, float]]],
                                                     name: str) -> None:
    assert results[name]["hybrid"][3] >= FLOOR[name]


def test_hybrid_does_not_lose_to_dense(results: dict[str, dict[str, dict[int, float]]]) -> None:
    def pooled(mode: str, k: int) -> float:
        return _pooled(results, mode, k)

    assert pooled("hybrid", 1) >= pooled("dense", 1)
    assert pooled("hybrid", 3) >= pooled("dense", 3)


def _kind_of(retriever, case: EvalCase) -> tuple[str, ...]:  # noqa: ANN001
    doc = next(d for d in retriever.documents() if str(d["doc"]).startswith(case.doc_prefix))
    return tuple(t for t in str(doc["org_type"]).split("、") if t)


def test_unit_type_preference_helps_its_kind_and_never_hides_the_target(indexed_settings: Settings) -> None:
    """Role-filtered, as drafting retrieves: the own kind preferred finds at least as much; another kind
    preferred loses nothing at top 3, because the best two without it always stay."""
    retriever = build_services(indexed_settings).knowledge.retriever
    plain, own, other = [], [], []
    for i, case in enumerate(TUNING):
        kind = _kind_of(retriever, case)
        wrong = (next(t for t in SECTORS[i % len(SECTORS):] + SECTORS if t not in kind),)
        plain.append(rank_of(retriever, case, "hybrid", 3, use_role=True))
        own.append(rank_of(retriever, case, "hybrid", 3, use_role=True, org_type=kind))
        other.append(rank_of(retriever, case, "hybrid", 3, use_role=True, org_type=wrong))
        role = case.role or None
        without = [h.chunk_id for h in retriever.search(case.query, 3, role=role)]  # type: ignore[arg-type]
        with_wrong = [h.chunk_id for h in retriever.search(case.query, 3, role=role, org_type=wrong)]  # type: ignore[arg-type]
        assert set(without[:2]) <= set(with_wrong), case.query

    def at3(ranks: list[int | None]) -> float:
        return sum(1 for r in ranks if r is not None) / len(ranks)

    def at1(ranks: list[int | None]) -> float:
        return sum(1 for r in ranks if r == 1) / len(ranks)

    assert at3(own) >= 0.95 and at3(other) >= 0.95
    assert at3(own) >= at3(plain) and at1(own) >= at1(plain)


USER_EXAMPLE = """---
title: 县机械行业工会2023年工作总结
unit: 县机械行业工会
year: 2023
---

2023年，县机械行业工会在县总工会的领导下，围绕维护职工权益开展工作。现将全年工作总结如下：

一、推进工资集体协商

指导会员企业与职工方就工资水平、调整幅度进行平等协商，全年签订行业工资专项集体合同1份，覆盖企业38家。

二、开展技能竞赛

组织车工、焊工技能比武，参赛职工210人次。
"""
USER_QUERY = "企业与职工一方协商工资并订立协议，培训协商指导员"  # a tuning request about 02's passage


@pytest.fixture(scope="module")
def user_store(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The examples that speak of wage bargaining, and the user's own summary that does too."""
    folder = tmp_path_factory.mktemp("examples")
    for path in KNOWLEDGE.glob("*.md"):
        if path.name[:2] in ("02", "09", "13", "14"):
            shutil.copy(path, folder / path.name)
    (folder / "my-2023.md").write_text(USER_EXAMPLE, encoding="utf-8")
    settings = make_settings(tmp_path_factory.mktemp("user-data"), knowledge_dir=folder)
    build_services(settings).knowledge.ingest()
    return settings


def test_own_example_is_preferred_but_never_hides_the_passage_asked_for(user_store: Settings) -> None:
    knowledge = build_services(user_store).knowledge
    assert {d["doc"]: d["origin"] for d in knowledge.documents()}["my-2023"] == "user"
    plain = knowledge.search(USER_QUERY, 3, prefer_uploads=False)
    preferred = knowledge.search(USER_QUERY, 3)  # the default: the user's own examples preferred
    assert any(h.doc.startswith("02") and "依法普遍开展工资集体协商" in h.text for h in plain)
    assert any(h.doc.startswith("02") and "依法普遍开展工资集体协商" in h.text for h in preferred)
    assert {h.chunk_id for h in plain[:2]} <= {h.chunk_id for h in preferred}
    own = [h for h in preferred if h.doc == "my-2023"]
    assert own and "工资专项集体合同" in own[0].text  # the user's own passage on the same subject is shown
    before = {h.chunk_id: h.score for h in knowledge.search(USER_QUERY, 20, prefer_uploads=False)}
    for hit in knowledge.search(USER_QUERY, 20):
        expected = before[hit.chunk_id] + (USER_BOOST if hit.doc == "my-2023" else 0.0)
        assert hit.score == pytest.approx(expected, abs=1e-5)
