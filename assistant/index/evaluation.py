"""Recall@k of the retriever on a labelled set: (reworded query → the passage it means)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.index.retriever import Mode, Retriever


@dataclass(frozen=True)
class EvalCase:
    query: str
    doc_prefix: str  # the target document's id starts with this (e.g. "04")
    target: str  # a substring of the target chunk's text


def load_cases(path: Path) -> list[EvalCase]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            cases.append(EvalCase(row["query"], row["doc"], row["target"]))
    return cases


def rank_of(retriever: Retriever, case: EvalCase, mode: Mode, k: int) -> int | None:
    """1-based rank of the first hit that is the target passage, None if not in the top k."""
    for rank, hit in enumerate(retriever.search(case.query, k, mode=mode), 1):
        if hit.doc.startswith(case.doc_prefix) and case.target in hit.text:
            return rank
    return None


def recall(retriever: Retriever, cases: list[EvalCase], mode: Mode, ks: tuple[int, ...] = (1, 3)
           ) -> dict[int, float]:
    ranks = [rank_of(retriever, c, mode, max(ks)) for c in cases]
    return {k: sum(1 for r in ranks if r is not None and r <= k) / len(cases) for k in ks}


def markdown_table(results: dict[str, dict[int, float]]) -> str:
    lines = ["| retriever | Recall@1 | Recall@3 |", "|---|---|---|"]
    for mode, r in results.items():
        lines.append(f"| {mode} | {r[1]:.2f} | {r[3]:.2f} |")
    return "\n".join(lines)
