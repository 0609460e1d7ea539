"""House fit: does a unit's own earlier summary shape this year's draft?

Each pair in bench/house_fit/ (written by a helper who never saw the code) holds one unit's own 2024 summary in a
distinctive house style, its 2025 facts, and the frame a reader would expect the draft to keep
(`<stem>.frame.yaml`: the level-1 heading frame as "以…为抓手，推动…", whether it writes （一） items, the words
its opening starts with and the fixed words of its closing). The example is added as the user would add it
(an upload), the whole summary is drafted, the example removed again; the same facts are drafted without it.
Reported per pair and in total:

- the share of level-1 result headings in the example's frame (each clause keeps the frame's fixed words);
- whether the opening starts as the example's does, and the closing keeps its fixed words;
- whether the draft differs from the one without the example;
- results per level-1 heading, and whether （一） items are written where the example writes them;
- headings the heading check refused, fallbacks shipped, and broken headings delivered by an independent
  reader's check (bench/reader_checks.py, written without seeing the app's own check).

bench/house_tuning/ holds pairs of the same kind that development was tuned on; house_fit/ is measured only.
`python -m bench.house_fit [--set fit|tuning] [--backend template|embedded]`
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from assistant.config import Settings

SETS = {"fit": Path(__file__).resolve().parent / "house_fit",
        "tuning": Path(__file__).resolve().parent / "house_tuning"}


def log(message: str) -> None:
    print(f"[house_fit] {message}", file=sys.stderr, flush=True)


def frame_parts(frame: str) -> list[tuple[str, str]]:
    """"以…为抓手，推动…" → [("以", "为抓手"), ("推动", "")]: each clause's fixed start and end."""
    out = []
    for clause in re.split(r"[，,]", frame):
        pieces = [p for p in re.split(r"…+|\.\.\.", clause)]
        start = pieces[0] if pieces else ""
        end = pieces[-1] if len(pieces) > 1 else ""
        out.append((start.strip(), end.strip()))
    return out


def in_frame(heading: str, frame: str, openers: list[str], seconds: list[str]) -> bool:
    """A heading keeps the frame: as many clauses, each starting and ending with the frame's fixed words; where
    the frame fixes no words at a clause's start, the reader's listed openers count."""
    parts = [p for p in re.split(r"[，,]", heading) if p]
    fixed = frame_parts(frame)
    if len(parts) != len(fixed):
        return False
    for i, (part, (start, end)) in enumerate(zip(parts, fixed, strict=True)):
        allowed = openers if i == 0 else seconds
        if start and not part.startswith(start):
            return False
        if not start and allowed and not any(part.startswith(o) for o in allowed):
            return False
        if end and not part.endswith(end):
            return False
    return True


def level1_results(text: str) -> list[str]:
    """The level-1 headings of the results part (not the problems or plans headings)."""
    from assistant.text.headings import parse_numbered
    from assistant.text.sections import part_heading

    return [h.title for line in text.splitlines() if (h := parse_numbered(line)) is not None and h.level == 1
            and part_heading(h.title) is None]


def results_problems(text: str, facts: list[str], summary_problems: Any) -> list[str]:
    """The reader's problems with the results part's headings (level 1 and the （一） leads): the problems and plans
    parts' own titles ("2026年工作打算") are the genre's, not headings written for the facts."""
    from assistant.text.sections import part_heading

    problems = summary_problems(text, facts)
    return [p for p in problems if part_heading(p.split(":", 1)[0]) is None]


def fixed_words(formula: str, year: str) -> list[str]:
    pieces = re.split(r"…+|\.\.\.", formula.replace("{year}", year))
    return [p.strip("，。：:") for p in pieces if len(p.strip("，。：:")) >= 2]


def measure(services: Any, facts: Any, frame: dict[str, Any], backend: str, before: str) -> dict[str, Any]:
    from assistant.export.assemble import assemble_text
    from assistant.services.drafting import ModelChoice
    from bench.reader_checks import summary_problems

    choice = ModelChoice(backend=backend)
    start = time.perf_counter()
    doc = services.drafting.draft_all(facts, choice)
    seconds = time.perf_counter() - start
    plan = services.drafting.house_plan(facts, choice)
    text = assemble_text(doc)
    headings = level1_results(text)
    year = str(facts.year or "")
    openers = list(frame.get("heading_openers") or [])
    seconds_openers = list(frame.get("second_clause_openers") or [])
    fitting = [h for h in headings if in_frame(h, frame["heading_frame"], openers, seconds_openers)]
    opening = next((s.text for s in doc.sections if s.role == "开头"), "")
    closing = next((s.text for s in doc.sections if s.role == "结尾"), "")
    start_words = str(frame.get("opening_start", "")).replace("{year}", year)
    closing_words = fixed_words(str(frame.get("closing_formula", "")), year)
    facts_text = [*facts.achievements, *facts.problems, *facts.plans]
    reader = results_problems(text, facts_text, summary_problems)
    return {
        "seconds": round(seconds, 1),
        "headings": headings,
        "in_frame": len(fitting),
        "frame_share": round(len(fitting) / len(headings), 3) if headings else 0.0,
        "opening_adopted": bool(start_words) and opening.startswith(start_words[: max(4, len(start_words))]),
        "closing_adopted": bool(closing_words) and sum(w in closing for w in closing_words) * 2 >= len(closing_words),
        "differs": text != before,
        "facts_per_heading": round(sum(len(t.facts) for t in plan.themes) / max(1, len(plan.themes)), 2),
        "two_level_expected": bool(frame.get("two_level")),
        "two_level_used": plan.two_level,
        "rejected": len(plan.rejected),
        "fallbacks": sum(1 for t in plan.themes if t.fallback),
        "reader_problems": reader,
        "text": text,
    }


def run(settings: Settings, which: str = "fit", backend: str = "template") -> dict[str, Any]:
    from assistant.export.assemble import assemble_text
    from assistant.facts.parse import load_facts_file
    from assistant.services.drafting import ModelChoice
    from bench.draft_quality import indexed_services

    folder = SETS[which]
    services = indexed_services(settings)
    rows = []
    for example in sorted(folder.glob("*.example.md")):
        stem = example.name[: -len(".example.md")]
        facts = load_facts_file(folder / f"{stem}.facts.yaml")
        frame = yaml.safe_load((folder / f"{stem}.frame.yaml").read_text(encoding="utf-8"))
        log(f"{which}/{stem} on {backend}")
        before = assemble_text(services.drafting.draft_all(facts, ModelChoice(backend=backend)))
        services.knowledge.add_example(example.name, example.read_bytes())
        try:
            row = measure(services, facts, frame, backend, before)
        except Exception as exc:  # noqa: BLE001 - one pair failing must not hide the others
            row = {"error": f"{type(exc).__name__}: {exc}"}
        finally:
            services.knowledge.remove_example(example.stem)
        row["pair"] = stem
        row["frame"] = frame.get("heading_frame")
        rows.append(row)
    ok = [r for r in rows if "error" not in r]
    headings = sum(len(r["headings"]) for r in ok)
    totals = {
        "pairs": len(rows), "errors": len(rows) - len(ok),
        "house_frame_share": round(sum(r["in_frame"] for r in ok) / headings, 3) if headings else 0.0,
        "opening_adopted": sum(r["opening_adopted"] for r in ok),
        "closing_adopted": sum(r["closing_adopted"] for r in ok),
        "differs": sum(r["differs"] for r in ok),
        "facts_per_heading": round(sum(r["facts_per_heading"] for r in ok) / max(1, len(ok)), 2),
        "two_level_where_expected": sum(r["two_level_used"] for r in ok if r["two_level_expected"]),
        "two_level_expected": sum(r["two_level_expected"] for r in ok),
        "headings_rejected": sum(r["rejected"] for r in ok),
        "fallbacks_shipped": sum(r["fallbacks"] for r in ok),
        "broken_headings_delivered": sum(len(r["reader_problems"]) for r in ok),
        "seconds_per_summary": round(sum(r["seconds"] for r in ok) / max(1, len(ok)), 1),
    }
    return {"set": which, "backend": backend, "rows": rows, "totals": totals}


def markdown(result: dict[str, Any]) -> str:
    t = result["totals"]
    lines = [f"## House fit ({result['set']} set, {result['backend']} backend: a unit's own earlier summary added)",
             "", "| pair | frame | headings in frame | opening / closing adopted | differs | results per heading "
             "| two levels (expected) | rejected / fallbacks | reader's problems |", "|---|---|---|---|---|---|---|---|---|"]
    for r in result["rows"]:
        if "error" in r:
            lines.append(f"| {r['pair']} | error: {r['error'][:80]} ||||||||")
            continue
        lines.append(f"| {r['pair']} | {r['frame']} | {r['in_frame']}/{len(r['headings'])} | "
                     f"{'yes' if r['opening_adopted'] else 'no'} / {'yes' if r['closing_adopted'] else 'no'} | "
                     f"{'yes' if r['differs'] else 'no'} | {r['facts_per_heading']} | "
                     f"{'yes' if r['two_level_used'] else 'no'} ({'yes' if r['two_level_expected'] else 'no'}) | "
                     f"{r['rejected']} / {r['fallbacks']} | {len(r['reader_problems'])} |")
    lines += ["", f"- Headings in the example's frame: **{t['house_frame_share']:.0%}**; opening adopted "
                  f"{t['opening_adopted']}/{t['pairs']}, closing {t['closing_adopted']}/{t['pairs']}; the draft "
                  f"differs from the one without the example in {t['differs']}/{t['pairs']}.",
              f"- Results per level-1 heading {t['facts_per_heading']}; two levels where the example uses them "
              f"{t['two_level_where_expected']}/{t['two_level_expected']}; broken headings delivered (independent "
              f"reader's check) {t['broken_headings_delivered']}; fallbacks shipped {t['fallbacks_shipped']}; "
              f"{t['seconds_per_summary']} s per summary."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.house_fit")
    parser.add_argument("--set", choices=sorted(SETS), default="fit")
    parser.add_argument("--backend", default="template")
    parser.add_argument("--data-dir")
    parser.add_argument("--show", action="store_true", help="print each delivered summary")
    args = parser.parse_args(argv)
    from assistant.config import load_settings

    result = run(load_settings(data_dir=args.data_dir), args.set, args.backend)
    if args.show:
        for r in result["rows"]:
            print(f"==== {r['pair']}\n{r.get('text', r.get('error'))}\n")
    print(markdown(result))
    print(json.dumps(result["totals"], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
