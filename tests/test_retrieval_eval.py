"""Retrieval quality on a labelled set of reworded requests (tests/data/retrieval_eval.jsonl).

The queries share few words with their targets, as users write them. The hybrid retriever must hold
Recall@3 ≥ 0.9 and must not lose to dense alone (docs/MODELS.md: naive fusion did).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.index.evaluation import load_cases, markdown_table, recall
from assistant.services import build_services

CASES = load_cases(Path(__file__).parent / "data" / "retrieval_eval.jsonl")


@pytest.fixture(scope="module")
def results(indexed_dir: Path) -> dict[str, dict[int, float]]:
    from tests.conftest import make_settings

    settings: Settings = make_settings(indexed_dir)
    retriever = build_services(settings).knowledge.retriever
    out = {mode: recall(retriever, CASES, mode) for mode in ("dense", "lexical", "hybrid")}
    print("\n" + markdown_table(out))
    return out


def test_every_target_exists_in_the_index(indexed_settings: Settings) -> None:
    retriever = build_services(indexed_settings).knowledge.retriever
    snap = retriever.refresh(force=True)
    for case in CASES:
        assert any(case.target in t for t in snap.texts), case.target


def test_eval_set_is_large_enough() -> None:
    assert len(CASES) >= 25
    assert len({c.doc_prefix for c in CASES}) == 5


def test_hybrid_recall_at_3_holds(results: dict[str, dict[int, float]]) -> None:
    assert results["hybrid"][3] >= 0.9


def test_hybrid_does_not_lose_to_dense(results: dict[str, dict[int, float]]) -> None:
    assert results["hybrid"][1] >= results["dense"][1]
    assert results["hybrid"][3] >= results["dense"][3]
