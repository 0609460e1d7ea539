"""Interview: the questions the assistant asks about thin results, and what the user's answers do to the summary.

For each draft-quality sheet (tuning and held-out apart) the interview is run in process, exactly as
`assistant interview` does, without the three-a-round limit (every question it would ask over the rounds), and
its questions are read by checks that do not share its code:
- questions per result without details, and the share of such results that get at least one question;
- the share of questions whose quoted fragment is found word for word in a house example;
- questions that ask for what the sheet already states (a comparison the result already makes, a 做法 or 成效 the
  result already carries): must be 0.
Then the answers written once for the sheet (bench/interview_answers/<set>/<sheet>.yaml, by hand, as details)
are added and the whole summary is drafted again: its length before and after, against the median length of the
house examples of the same kind of unit (all examples when none is of that kind), whether every detail is used,
flagged sentences delivered, and seconds for the questions and for each draft.

`python -m bench.interview [--backends template embedded] [--sets tuning held-out]` prints the numbers as JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from assistant.config import Settings
from bench.draft_quality import SHEET_SETS, _han, indexed_services, sheet_runs

ANSWERS = Path(__file__).resolve().parent / "interview_answers"
# Independent of the interviewer's own markers: what makes a result already carry a comparison.
COMPARED = re.compile(r"同比|环比|比上年|较上年|比去年|较去年|与上年相比|增长[\d.]+%|下降[\d.]+%|由[\d.]+.{0,8}(?:至|到)[\d.]+")


def log(message: str) -> None:
    print(f"[bench.interview] {message}", file=sys.stderr, flush=True)


def with_answers(facts: Any, path: Path) -> tuple[Any, int]:
    """The facts with the sheet's written answers as details, and how many detail lines that is."""
    from dataclasses import replace

    from assistant.facts.details import attach, from_mapping

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    details = {fact: {k: list(v) for k, v in d.items()} for fact, d in facts.details.items()}
    count = 0
    for entry in data:
        result, told = from_mapping(entry)  # the facts file's own reading of {事实/fact, 做法, 成效}
        if result not in facts.achievements:
            raise ValueError(f"{path.name}: no result {result!r} in the sheet")
        for kind, lines in told.items():
            for text in lines:
                attach(details, result, kind, text)
                count += 1
    return replace(facts, details=details), count


def stated(question: Any, facts: Any) -> bool:
    """The question asks for what the sheet already says about its result."""
    told = facts.details_of(question.result)
    if question.kind == "对比":
        return bool(COMPARED.search(question.result)) or any(COMPARED.search(t) for t in told.get("成效", []))
    if question.kind in ("做法", "成效"):
        return bool(told.get(question.kind))
    return False


def same_type_median(services: Any, facts: Any) -> tuple[int, str]:
    """The median Han length of the house examples of this kind of unit (all examples when none is)."""
    from assistant.facts.unit_type import document_org_types, unit_type_of
    from assistant.index.sync import example_origin

    kinds = set(unit_type_of(facts.unit))
    docs = [d for d in services.knowledge.example_documents() if example_origin(d) != "user"]
    mine = [d for d in docs if kinds & set(document_org_types(d.org_type, d.meta.get("unit"), d.title))]
    pool, basis = (mine, "same type") if mine else (docs, "all examples")
    return int(statistics.median(len(_han(d.text)) for d in pool)) if pool else 0, basis


def one_sheet(services: Any, facts: Any, answers: Path, backend: str) -> dict[str, Any]:
    from assistant.check.document import check_text
    from assistant.export.assemble import assemble_text
    from assistant.facts.ledger import build_ledger
    from assistant.services.drafting import ModelChoice

    start = time.perf_counter()
    asked = services.interview.questions(facts, limit=100)
    ask_s = time.perf_counter() - start
    examples = [re.sub(r"\s", "", t) for t in services.knowledge.example_texts()]
    thin = [f for f in facts.achievements if not facts.details_of(f)]
    questioned = {q.result for q in asked}
    row: dict[str, Any] = {
        "results_without_details": len(thin),
        "questions": len(asked),
        "questions_per_result": round(len(asked) / max(1, len(thin)), 2),
        "results_questioned_share": round(len(questioned & set(thin)) / max(1, len(thin)), 2),
        "quoted_from_house": sum(1 for q in asked if q.example and any(re.sub(r"\s", "", q.example) in e
                                                                      for e in examples)),
        "asked_for_stated": [q.ask for q in asked if stated(q, facts)],
        "interview_s": round(ask_s, 2),
        "sample_questions": [q.ask for q in asked[:3]],
    }
    rich, n_details = with_answers(facts, answers)
    for label, version in (("before", facts), ("after", rich)):
        start = time.perf_counter()
        doc = services.drafting.draft_all(version, ModelChoice(backend=backend))
        seconds = time.perf_counter() - start
        text = assemble_text(doc)
        report = check_text(text, build_ledger(version), None, services.knowledge.example_texts())
        counts = report.counts()
        row[label] = {"han_chars": len(_han(text)), "seconds": round(seconds, 1),
                      "flagged_delivered": counts["unverified"] + counts["violation"],
                      "flagged": [s.text for s in report.flagged], "text": text}
        if label == "after":
            used = [f for f in report.facts if f.id.startswith("det")]
            row["details"] = n_details
            row["details_used"] = sum(1 for f in used if f.used_in)
            row["details_unused"] = [f.text for f in used if not f.used_in]
    median, basis = same_type_median(services, facts)
    row["house_median_han"], row["median_basis"] = median, basis
    row["growth"] = round(row["after"]["han_chars"] / max(1, row["before"]["han_chars"]), 2)
    row["after_vs_median"] = round(row["after"]["han_chars"] / max(1, median), 2)
    return row


def run(settings: Settings, backends: Sequence[str] = ("template",),
        sets: Sequence[str] = ("tuning", "held-out")) -> dict[str, Any]:
    from assistant.facts.parse import load_facts_file

    services = indexed_services(settings)
    rows: list[dict[str, Any]] = []
    for backend, set_name, path in sheet_runs(backends, sets):
        answers = ANSWERS / set_name / f"{path.stem}.yaml"
        if not answers.is_file():
            continue
        log(f"{backend}: {set_name}/{path.name}")
        try:
            row = one_sheet(services, load_facts_file(path), answers, backend)
        except Exception as exc:  # noqa: BLE001 - one sheet failing must not hide the others
            row = {"error": f"{type(exc).__name__}: {exc}"}
        rows.append({"sheet": path.name, "set": set_name, "backend": backend, **row})
    totals = {f"{b}/{s}": _totals([r for r in rows if r["backend"] == b and r["set"] == s and "error" not in r])
              for b in backends for s in sets}
    result = {"rows": rows, "totals": {k: v for k, v in totals.items() if v}}
    out = settings.bench_dir / "interview.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def _totals(mine: list[dict[str, Any]]) -> dict[str, Any]:
    if not mine:
        return {}
    questions = sum(r["questions"] for r in mine)
    return {
        "sheets": len(mine),
        "questions_per_result": round(questions / max(1, sum(r["results_without_details"] for r in mine)), 2),
        "results_questioned_share": round(statistics.mean(r["results_questioned_share"] for r in mine), 2),
        "quoted_from_house_share": round(sum(r["quoted_from_house"] for r in mine) / max(1, questions), 3),
        "asked_for_stated": sum(len(r["asked_for_stated"]) for r in mine),
        "growth_median": statistics.median(r["growth"] for r in mine),
        "growth_min": min(r["growth"] for r in mine),
        "after_vs_median_min": min(r["after_vs_median"] for r in mine),
        "after_vs_median_median": statistics.median(r["after_vs_median"] for r in mine),
        "sheets_at_80pct_of_median": sum(1 for r in mine if r["after_vs_median"] >= 0.8),
        "details": sum(r["details"] for r in mine),
        "details_used": sum(r["details_used"] for r in mine),
        "flagged_delivered_after": sum(r["after"]["flagged_delivered"] for r in mine),
        "interview_s_max": max(r["interview_s"] for r in mine),
        "draft_with_details_s_median": statistics.median(r["after"]["seconds"] for r in mine),
        "draft_with_details_s_max": max(r["after"]["seconds"] for r in mine),
    }


def markdown(result: dict[str, Any]) -> str:
    lines = ["## Interview", "", "| backend/set | q/result | questioned | quoted from house | asked-for-stated | "
             "growth (median) | after ÷ house median (min) | details used | flagged | interview s (max) | "
             "draft s (median) |", "|" + "---|" * 11]
    for key, t in result.get("totals", {}).items():
        lines.append(f"| {key} | {t['questions_per_result']} | {t['results_questioned_share']:.0%} | "
                     f"{t['quoted_from_house_share']:.0%} | {t['asked_for_stated']} | {t['growth_median']}× | "
                     f"{t['after_vs_median_min']} | {t['details_used']}/{t['details']} | "
                     f"{t['flagged_delivered_after']} | {t['interview_s_max']} | {t['draft_with_details_s_median']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from assistant.config import load_settings

    parser = argparse.ArgumentParser(prog="python -m bench.interview")
    parser.add_argument("--backends", nargs="+", default=["template"])
    parser.add_argument("--sets", nargs="+", default=["tuning", "held-out"], choices=sorted(SHEET_SETS))
    parser.add_argument("--data-dir")
    parser.add_argument("--show", action="store_true", help="print each summary with details")
    args = parser.parse_args(argv)
    result = run(load_settings(data_dir=args.data_dir), args.backends, args.sets)
    if args.show:
        for row in result["rows"]:
            if "after" in row:
                print(f"\n===== {row['set']}/{row['sheet']} ({row['backend']})\n{row['after']['text']}")
    print(markdown(result))
    print(json.dumps(result["totals"], ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
