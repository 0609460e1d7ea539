"""Chat: seconds for one part revision and one fact intake, as the page runs them, on a backend (embedded default).

A part revision is `DraftingService.stream_revise` on a drafted part, consumed to its end, for requests of each
kind the chat meets (a free rewording that goes to the model, "更简洁" through the facts); a fact intake is what
the chat does with a message that states facts: read them into the form (`facts_from_message`) and answer
(`stream_chat`), consumed to its end. p50/p95 over the requests, on tuning sheets only.

`python -m bench.chat [--backend embedded] [--rounds N]` prints the numbers as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from typing import Any

from assistant.config import Settings
from bench.draft_quality import SHEETS, indexed_services

REVISIONS = ["把这一部分的表述改得更正式一些", "把这一部分写得更简洁一些", "把这一部分的语气改得更平实一些"]
INTAKES = ["今年还组织了消防演练2次，参加人员180人次", "补充一条：全年接待来访群众320人次，办结率98%",
           "另外，我们开展了志愿服务活动6场"]
SHEETS_USED = ("street_office.yaml", "county_tax_bureau.json")


def log(message: str) -> None:
    print(f"[bench.chat] {message}", file=sys.stderr, flush=True)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 2) if ordered else 0.0


def run(settings: Settings, backend: str = "embedded", rounds: int = 1) -> dict[str, Any]:
    from assistant.facts.parse import load_facts_file
    from assistant.services.drafting import ModelChoice
    from assistant.services.sessions import FORM_FIELDS
    from assistant.ui.chat import facts_from_message
    from assistant.ui.state import facts_from_values, form_from_facts

    services = indexed_services(settings)
    choice = ModelChoice(backend=backend)
    revise_s: list[float] = []
    intake_s: list[float] = []
    rows: list[dict[str, Any]] = []
    for name in SHEETS_USED:
        facts = load_facts_file(SHEETS / name)
        part = services.drafting.draft_section(facts, "成绩", choice).text
        for _ in range(rounds):
            for request in REVISIONS:
                start = time.perf_counter()
                events = list(services.drafting.stream_revise(facts, "成绩", part, request, choice))
                seconds = time.perf_counter() - start
                revise_s.append(seconds)
                done = next((e for e in reversed(events) if e.kind == "done"), None)
                rows.append({"sheet": name, "what": "revision", "request": request, "seconds": round(seconds, 2),
                             "changed": bool(done and done.text != part)})
            for message in INTAKES:
                start = time.perf_counter()
                shown = form_from_facts(facts)
                form, note = facts_from_message(message, [shown.get(k, "") for k in FORM_FIELDS])
                reply = "".join(services.drafting.stream_chat(facts_from_values(form), message, [], "", choice))
                seconds = time.perf_counter() - start
                intake_s.append(seconds)
                rows.append({"sheet": name, "what": "intake", "request": message, "seconds": round(seconds, 2),
                             "read": note, "reply_chars": len(reply)})
    totals = {"backend": backend,
              "revision_p50_s": _pct(revise_s, 0.5), "revision_p95_s": _pct(revise_s, 0.95),
              "intake_p50_s": _pct(intake_s, 0.5), "intake_p95_s": _pct(intake_s, 0.95),
              "revisions": len(revise_s), "intakes": len(intake_s),
              "revision_mean_s": round(statistics.mean(revise_s), 2) if revise_s else 0.0}
    return {"rows": rows, "totals": totals}


def markdown(result: dict[str, Any]) -> str:
    t = result["totals"]
    return (f"## Chat ({t['backend']} backend)\n\n- One part revision: p50 {t['revision_p50_s']} s, p95 "
            f"{t['revision_p95_s']} s over {t['revisions']} requests.\n- One fact intake (read into the form and "
            f"answered): p50 {t['intake_p50_s']} s, p95 {t['intake_p95_s']} s over {t['intakes']} messages.\n")


def main(argv: list[str] | None = None) -> int:
    from assistant.config import load_settings

    parser = argparse.ArgumentParser(prog="python -m bench.chat")
    parser.add_argument("--backend", default="embedded")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--data-dir")
    args = parser.parse_args(argv)
    result = run(load_settings(data_dir=args.data_dir), args.backend, args.rounds)
    print(markdown(result))
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
