"""House style: finding the examples by reworded requests, and the style report on template drafts.

1. Retrieval quality on the example library, with every example indexed. The tuning sets (TUNING_SETS: the
   seed's labelled set in tests/data and the sets in bench/retrieval_data) hold requests written to share few
   words with their target passage, the way users ask, with the target's document and section role; the
   weights of index/retriever.py were chosen on them. The held-out set (bench/heldout_queries_2), written by
   someone who saw neither the code nor the tuning sets, is only measured, never tuned on; it is reported
   apart. Recall@1/@3 is reported per set for hybrid search, with the role filter (how drafting retrieves),
   and with a unit-type preference for the target's own kind of unit and for another kind (a preference must
   re-rank, never hide: the wrong kind must cost nothing at top 3); dense, lexical and hybrid over all tuning
   requests; and the p50/p95 time of one hybrid search. The mean share of a request's character bigrams found
   in its target shows how little they share.
2. The style remarks (assistant.check.style) for the template backend's whole draft of each bench fact sheet
   (bench/guard_data/*.yaml), against the shipped examples.

`python -m bench.house_style` prints the Markdown and, on the last line, the numbers as JSON; `python -m bench`
runs it as its "house_style" section. The index lives in <data dir>/bench/house-style (built once, then
incremental).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.config import Settings, load_settings  # noqa: E402
from assistant.facts.unit_type import ORG_TYPES, parse_org_types, unit_type_of  # noqa: E402
from assistant.index.evaluation import EvalCase, load_cases, rank_of  # noqa: E402
from bench.retrieval import percentiles  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "retrieval_data"
# Tuning sets: the retriever's weights were measured on these (docs/EMBEDDING.md).
TUNING_SETS = {
    "seed": ROOT / "tests" / "data" / "retrieval_eval.jsonl",  # the seed's five examples
    "paraphrases": DATA / "paraphrases.jsonl",  # the project's fourteen
    "extra": DATA / "paraphrases_extra.jsonl",  # all nineteen, a few with request words
    "formal": DATA / "paraphrases_hard.jsonl",  # all nineteen, formal rewording of shared topics
    "synonyms": DATA / "paraphrases_synonyms.jsonl",  # all nineteen, key words replaced (least overlap)
}
# The first held-out set, spent: measured in several rounds and its misses read. It is reported beside the tuning
# sets and may be tuned on, but the suite's 0.95 floor holds for the sets above only (it stands at 0.68).
SPENT = {"spent held-out": Path(__file__).resolve().parent / "heldout_queries" / "paraphrases.jsonl"}
# measured, never tuned on: 95 requests over all nineteen examples by a helper who saw neither code nor the sets
HELDOUT = Path(__file__).resolve().parent / "heldout_queries_2" / "paraphrases.jsonl"


def _house_sectors() -> tuple[str, ...]:
    """The sector tags the house examples declare: unit_type also knows sectors with no example yet (疾控, 应急,
    金融), and preferring one of those would prefer nothing."""
    from assistant.ingest.readers import read_document

    declared = {t for p in (ROOT / "knowledge").glob("*.md") for t in parse_org_types(read_document(p).org_type)}
    return tuple(t for t in ORG_TYPES if t in declared and t != "工会")


SECTORS = _house_sectors()
K = 3

# (label, mode, role filter, preference) — the preference is "own" (the target's kind), "other" or None.
RUNS: tuple[tuple[str, str, bool, str | None], ...] = (
    ("dense", "dense", False, None),
    ("lexical", "lexical", False, None),
    ("hybrid", "hybrid", False, None),
    ("hybrid + role filter", "hybrid", True, None),
    ("hybrid + role + own unit type", "hybrid", True, "own"),
    ("hybrid + role + another unit type", "hybrid", True, "other"),
)
SET_RUNS = ("hybrid", "hybrid + role filter", "hybrid + role + own unit type", "hybrid + role + another unit type")


def _bigrams(text: str) -> set[str]:
    cjk = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {cjk[i:i + 2] for i in range(len(cjk) - 1)}


def word_overlap(query: str, target_text: str) -> float:
    """Share of the query's character bigrams that occur in the target passage (0: none shared)."""
    q = _bigrams(query)
    return len(q & _bigrams(target_text)) / len(q) if q else 0.0


def _other_kind(tags: tuple[str, ...], i: int) -> tuple[str, ...]:
    others = [t for t in SECTORS if t not in tags]
    return (others[i % len(others)],) if others else ()


def retrieval_quality(settings: Settings) -> dict[str, Any]:
    """Recall@1/@3 per tuning set and on the held-out set, each run over all tuning requests, per-kind rows
    and the search time."""
    from assistant.services import build_services

    data_dir = settings.bench_dir / "house-style"
    knowledge = build_services(load_settings(data_dir=data_dir, knowledge_dir=settings.knowledge_dir.resolve(),
                                             backend="template")).knowledge
    start = time.perf_counter()
    report = knowledge.ingest()
    ingest_s = time.perf_counter() - start
    retriever = knowledge.retriever
    kinds = {str(d["doc"]): tuple(t for t in str(d.get("org_type", "")).split("、") if t)
             for d in knowledge.documents()}
    snap = retriever.refresh(force=True)

    def kind_of(case: EvalCase) -> tuple[str, ...]:
        return next((v for d, v in kinds.items() if d.startswith(case.doc_prefix)), ())

    def target_text(case: EvalCase) -> str:
        return next((t for t, m in zip(snap.texts, snap.metas, strict=True)
                     if str(m.get("doc", "")).startswith(case.doc_prefix) and case.target in t), "")

    def ranks(cases: list[EvalCase], label: str) -> list[int | None]:
        _, mode, use_role, pref = next(r for r in RUNS if r[0] == label)
        out = []
        for i, case in enumerate(cases):
            org = kind_of(case) if pref == "own" else _other_kind(kind_of(case), i) if pref == "other" else None
            out.append(rank_of(retriever, case, mode, K, use_role=use_role, org_type=org))  # type: ignore[arg-type]
        return out

    def measure(cases: list[EvalCase], *, name_misses: bool = True) -> dict[str, Any]:
        """Recall per run; the missed requests by name only for a tuning set (a held-out one names roles)."""
        overlaps = [word_overlap(c.query, target_text(c)) for c in cases]
        runs = {label: ranks(cases, label) for label in SET_RUNS}
        return {"queries": len(cases), "documents": len({c.doc_prefix for c in cases}),
                "mean_bigram_overlap": round(sum(overlaps) / len(overlaps), 3) if overlaps else None,
                "missing_targets": [c.target for c in cases if not target_text(c)],
                "runs": {label: _recall(r) for label, r in runs.items()},
                "misses": [c.query for c, r in zip(cases, runs["hybrid"], strict=True) if r is None and name_misses],
                "miss_roles": sorted({c.role for c, r in zip(cases, runs["hybrid"], strict=True) if r is None})}

    sets = {name: load_cases(path) for name, path in TUNING_SETS.items()}
    tuning = [c for cases in sets.values() for c in cases]
    per_set = {name: measure(cases) for name, cases in sets.items()}
    per_set.update({name: measure(load_cases(path)) for name, path in SPENT.items() if path.is_file()})
    runs: dict[str, dict[str, Any]] = {}
    ranks_by_run: dict[str, list[int | None]] = {}
    for label, *_ in RUNS:
        ranks_by_run[label] = ranks(tuning, label)
        runs[label] = _recall(ranks_by_run[label])
    by_kind: dict[str, dict[str, Any]] = {}
    own = ranks_by_run["hybrid + role + own unit type"]
    plain = ranks_by_run["hybrid + role filter"]
    for sector in SECTORS:
        picked = [i for i, c in enumerate(tuning) if sector in kind_of(c)]
        if picked:
            by_kind[sector] = {"queries": len(picked), "role": _recall([plain[i] for i in picked]),
                               "own_type": _recall([own[i] for i in picked])}
    samples = []
    for case in tuning:
        t0 = time.perf_counter()
        retriever.search(case.query, K)
        samples.append(time.perf_counter() - t0)
    heldout = measure(load_cases(HELDOUT), name_misses=False) if HELDOUT.is_file() else None
    return {"queries": len(tuning), "documents": len(kinds), "chunks": len(snap.ids),
            # as before the sets were split: the project's paraphrase set's overlap, every set's missing targets
            "mean_bigram_overlap": per_set["paraphrases"]["mean_bigram_overlap"],
            "missing_targets": [t for r in per_set.values() for t in r["missing_targets"]],
            "pieces": int(snap.pieces.matrix.shape[0]) if snap.pieces is not None else None,
            "ingest_s": round(ingest_s, 1), "embedded_now": report.chunks_added,
            "runs": runs, "by_unit_type": by_kind, "sets": per_set, "heldout": heldout,
            "search_ms": percentiles(samples)}


def _recall(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    return {"recall@1": round(sum(1 for r in ranks if r == 1) / n, 3),
            "recall@3": round(sum(1 for r in ranks if r is not None and r <= K) / n, 3)}


def style_of_template_drafts(settings: Settings) -> dict[str, Any]:
    """The style remarks on the template backend's whole draft of every bench fact sheet."""
    from assistant.check.style import style_report
    from assistant.export.assemble import assemble_text
    from assistant.services import build_services
    from assistant.services.drafting import ModelChoice
    from bench.guard_eval import load_sheets

    services = build_services(load_settings(data_dir=settings.bench_dir / "house-style",
                                            knowledge_dir=settings.knowledge_dir.resolve(), backend="template"))
    examples = services.knowledge.example_texts()
    rows = []
    for name, facts, _ in load_sheets():
        start = time.perf_counter()
        text = assemble_text(services.drafting.draft_all(facts, ModelChoice(backend="template")))
        report = style_report(text, examples)
        rows.append({"sheet": name, "unit": facts.unit, "unit_type": "、".join(unit_type_of(facts.unit)),
                     "remarks": [r.to_json() for r in report.remarks], "draft": report.draft,
                     "seconds": round(time.perf_counter() - start, 2)})
    house = style_report("一、", examples).house  # the examples' measures (any non-empty text gives them)
    return {"sheets": rows, "house": house, "examples": len(examples)}


def run(settings: Settings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, fn in (("retrieval", retrieval_quality), ("style", style_of_template_drafts)):
        try:
            out[name] = fn(settings)
        except Exception as exc:  # noqa: BLE001 - one part failing keeps the other
            out[name] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    return out


def markdown(result: dict[str, Any] | None) -> str:
    """The section of the bench report: two tables of retrieval recall and one of style remarks."""
    lines = ["## House style: retrieval of the examples and the style report", ""]
    if not result:
        return "\n".join([*lines, "Not measured: not run", ""])
    ret = result.get("retrieval") or {}
    if "error" in ret:
        lines += [f"Retrieval not measured: {ret['error']}", ""]
    elif ret:
        lines += _retrieval_lines(ret)
    style = result.get("style") or {}
    if "error" in style:
        lines += [f"Style report not measured: {style['error']}", ""]
    elif style:
        lines += [f"Style remarks on the template backend's whole draft of each fact sheet (against the "
                  f"{style['examples']} shipped examples):", "",
                  "| fact sheet | unit | unit type | remarks | aspects | what the report says |", "|---|---|---|---|---|---|"]
        for row in style["sheets"]:
            aspects = ", ".join(dict.fromkeys(r["aspect"] for r in row["remarks"])) or "—"
            said = "<br>".join(r["message"] for r in row["remarks"]) or "与范文一致"
            lines.append(f"| {row['sheet']} | {row['unit']} | {row['unit_type'] or '—'} | {len(row['remarks'])} "
                         f"| {aspects} | {said} |")
        lines.append("")
    return "\n".join(lines)


def _retrieval_lines(ret: dict[str, Any]) -> list[str]:
    """The retrieval tables: per set (tuning, then held-out), each run over all tuning requests, by kind."""
    head = "| set | requests | shared bigrams | " + " | ".join(f"{r} R@1 / R@3" for r in SET_RUNS) + " |"
    lines = [f"{ret['documents']} examples indexed whole ({ret['chunks']} passages, {ret['pieces']} pieces); "
             f"top {K}. Tuning sets (the weights were chosen on them) and the held-out set (measured only):", "",
             head, "|" + "---|" * (3 + len(SET_RUNS))]
    rows = [(name, r) for name, r in ret["sets"].items()]
    if ret.get("heldout"):
        rows.append(("**held-out**", ret["heldout"]))
    for name, r in rows:
        cells = " | ".join(f"{r['runs'][label]['recall@1']:.2f} / {r['runs'][label]['recall@3']:.2f}"
                           for label in SET_RUNS)
        lines.append(f"| {name} | {r['queries']} | {r['mean_bigram_overlap']:.0%} | {cells} |")
    lines += ["", f"All {ret['queries']} tuning requests; one hybrid search: p50 {ret['search_ms']['p50_ms']} ms, "
              f"p95 {ret['search_ms']['p95_ms']} ms:", "", "| retrieval | Recall@1 | Recall@3 |", "|---|---|---|"]
    for label, r in ret["runs"].items():
        lines.append(f"| {label} | {r['recall@1']:.2f} | {r['recall@3']:.2f} |")
    lines += ["", "By the target's kind of unit (hybrid + role filter → with the own unit type preferred):", "",
              "| unit type | requests | Recall@1 | Recall@3 |", "|---|---|---|---|"]
    for kind, r in ret["by_unit_type"].items():
        lines.append(f"| {kind} | {r['queries']} | {r['role']['recall@1']:.2f} → {r['own_type']['recall@1']:.2f} "
                     f"| {r['role']['recall@3']:.2f} → {r['own_type']['recall@3']:.2f} |")
    for name, r in rows:
        if r.get("missing_targets"):
            lines += ["", f"{name}: targets not found in the index: {r['missing_targets']}"]
        if r.get("misses"):
            lines += ["", f"{name}: not in the top {K} (hybrid, no filter): " + "；".join(r["misses"])]
        elif r.get("miss_roles"):
            lines += ["", f"{name}: the roles of requests not in the top {K} (hybrid, no filter): "
                      + "、".join(r["miss_roles"])]
    return [*lines, ""]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.house_style", description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", help="data dir (the index goes to <data dir>/bench/house-style)")
    args = parser.parse_args(argv)
    settings = load_settings(data_dir=args.data_dir)
    settings.bench_dir.mkdir(parents=True, exist_ok=True)
    result = run(settings)
    print(markdown(result))
    print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
