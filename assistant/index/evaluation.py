"""Recall@k of the retriever on a labelled set: (reworded query → the passage it means)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.index.retriever import Mode, Retriever


@dataclass(frozen=True)
class EvalCase:
    query: str
    doc_prefix: str  # the target document's id starts with this (e.g. "04")
    target: str  # a substring of the target chunk's text
    role: str = ""  # the target chunk's section role, for role-filtered runs (as drafting retrieves)


def load_cases(path: Path) -> list[EvalCase]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            cases.append(EvalCase(row["query"], row["doc"], row["target"], row.get("role", "")))
    return cases


def rank_of(retriever: Retriever, case: EvalCase, mode: Mode, k: int, *, use_role: bool = False,
            org_type: Sequence[str] | None = None) -> int | None:
    """1-based rank of the first hit that is the target passage, None if not in the top k.

    `use_role` filters by the case's role; `org_type` passes a unit-type preference (see Retriever.search).
    """
    role = case.role if use_role and case.role else None
    for rank, hit in enumerate(retriever.search(case.query, k, mode=mode, role=role, org_type=org_type), 1):  # type: ignore[arg-type]
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
