"""How often the embedded model's drafts pass the guard, and how fast they come.

For the fact sheets of the guard evaluation (bench/guard_data/*.yaml; not used by the tests) the sections
成绩, 问题 and 计划 are drafted through DraftingService with the embedded model, exactly as the app does
(role-filtered retrieval, masked examples, the guard, at most one regeneration of each model text; the
embedded model writes 成绩 one heading at a time, so a 成绩 draft is several guarded calls). Each draft is
counted as passed first time, passed after regeneration, never passed (delivered with its problems listed)
or failed with an error. Per model call: prompt tokens, time to first token, generated tokens and tokens/s (by the model's
own tokenizer) and characters/s.

`python -m bench.draft_eval [--sheets N] [--sections 成绩 …] [--budget-s S] [--threads T]` prints a Markdown table, the drafts that did not
pass with their problems, and on the last line the numbers as JSON. Full texts and reports go to
<data dir>/bench/draft_eval.json. The index lives in <data dir>/bench/draft-eval (built on first run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from langchain_core.callbacks import BaseCallbackHandler  # noqa: E402

from assistant.config import Settings, load_settings  # noqa: E402
from assistant.schema import Facts, Role  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SECTIONS: tuple[Role, ...] = ("成绩", "问题", "计划")


def log(message: str) -> None:
    print(f"[draft_eval] {message}", file=sys.stderr, flush=True)


@dataclass
class Call:
    """One model call (an attempt): its prompt size, timing and output size."""

    prompt_tokens: int = 0
    ttft_s: float = 0.0
    gen_s: float = 0.0
    gen_tokens: int = 0
    gen_chars: int = 0

    @property
    def tok_per_s(self) -> float:
        return round((self.gen_tokens - 1) / self.gen_s, 2) if self.gen_s > 0 and self.gen_tokens > 1 else 0.0

    @property
    def chars_per_s(self) -> float:
        return round(self.gen_chars / (self.ttft_s + self.gen_s), 2) if self.ttft_s + self.gen_s > 0 else 0.0


@dataclass
class DraftRun:
    """One section drafted for one sheet."""

    sheet: str
    section: str
    outcome: str = ""  # first | retry | never | error
    total_s: float = 0.0
    retries: int = 0  # the embedded model writes 成绩 heading by heading: one retry per failing paragraph
    calls: list[Call] = field(default_factory=list)
    retry_reason: str = ""
    problems: list[str] = field(default_factory=list)
    text: str = ""
    first_text: str = ""
    error: str = ""


class Timing(BaseCallbackHandler):
    """Times each chat-model call from its start to its first and last streamed token."""

    def __init__(self, count_tokens: Any) -> None:
        self.count_tokens = count_tokens
        self.calls: list[Call] = []
        self._start = self._first = self._last = 0.0
        self._text = ""

    def on_chat_model_start(self, serialized: Any, messages: list[list[Any]], **kwargs: Any) -> None:
        prompt = "".join(str(m.content) for batch in messages for m in batch)
        self.calls.append(Call(prompt_tokens=self.count_tokens(prompt)))
        self._start = time.perf_counter()
        self._first = self._last = 0.0
        self._text = ""

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        now = time.perf_counter()
        if not self._first:
            self._first = now
        self._last = now
        self._text += token

    def on_llm_end(self, response: Any, **kwargs: Any) -> None:
        self._close()

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self._close()

    def _close(self) -> None:
        if not self.calls:
            return
        call = self.calls[-1]
        end = self._last or time.perf_counter()
        first = self._first or end
        call.ttft_s = round(first - self._start, 2)
        call.gen_s = round(end - first, 2)
        call.gen_chars = len(self._text)
        call.gen_tokens = self.count_tokens(self._text) if self._text else 0


def load_sheets(limit: int | None = None) -> list[tuple[str, Facts]]:
    """(name, Facts) of the guard evaluation's fact sheets, in name order."""
    from bench.guard_eval import load_sheets as guard_sheets

    sheets = [(name, facts) for name, facts, _ in guard_sheets()]
    return sheets[:limit] if limit else sheets


def eval_settings(base: Settings, max_tokens: int, threads: int | None = None) -> Settings:
    """A private indexed data dir under bench/, the packaged (or configured) GGUF, the embedded backend."""
    from assistant.llm.model_files import model_status

    status = model_status(base)
    if status.path is None:
        raise SystemExit(f"embedded model unavailable: {status.reason}")
    return load_settings(data_dir=base.bench_dir / "draft-eval", knowledge_dir=base.knowledge_dir.resolve(),
                         backend="embedded", llm_model_path=status.path, llm_max_tokens=max_tokens,
                         llm_threads=threads or base.llm_threads, llm_context=base.llm_context,
                         llm_temperature=base.llm_temperature, retrieval_k=base.retrieval_k)


def draft_one(drafting: Any, timing: Timing, sheet: str, facts: Facts, role: Role) -> DraftRun:
    """Draft one section through the service and classify the result."""
    run = DraftRun(sheet, role)
    timing.calls = []
    start = time.perf_counter()
    pieces: list[str] = []
    final = None
    for event in drafting.stream_section(facts, role):
        if event.kind == "token":
            pieces.append(event.text)
        elif event.kind == "retry":
            run.retries += 1
            run.retry_reason = "；".join(filter(None, [run.retry_reason, event.text]))
            run.first_text = run.first_text or "".join(pieces)
            pieces = []
        elif event.kind == "notice":
            raise SystemExit(f"the embedded backend did not load: {event.text}")
        elif event.kind in ("done", "error"):
            final = event
    run.total_s = round(time.perf_counter() - start, 2)
    run.calls = list(timing.calls)
    if final is None or final.kind == "error":
        run.outcome = "error"
        run.error = final.text if final is not None else "no result"
        run.text = final.draft.text if final is not None and final.draft is not None else ""
        return run
    draft = final.draft
    run.text = draft.text
    run.problems = draft.check.problems() if draft.check is not None else []
    ok = draft.check is not None and draft.check.ok
    run.outcome = "never" if not ok else ("retry" if run.retry_reason else "first")
    return run


def summarise(runs: list[DraftRun], elapsed: float, sheets: list[str], max_tokens: int) -> dict[str, Any]:
    calls = [c for r in runs for c in r.calls if c.gen_tokens]
    firsts = [r.calls[0] for r in runs if r.calls and r.calls[0].gen_tokens]

    def median(values: list[float]) -> float | None:
        return round(statistics.median(values), 2) if values else None

    by_outcome = {k: sum(1 for r in runs if r.outcome == k) for k in ("first", "retry", "never", "error")}
    per_section = {s: {k: sum(1 for r in runs if r.section == s and r.outcome == k)
                       for k in ("first", "retry", "never", "error")} for s in SECTIONS}
    return {
        "name": "draft_eval", "drafts": len(runs), "sheets": sheets, "max_tokens": max_tokens,
        "passed_first": by_outcome["first"], "passed_after_retry": by_outcome["retry"],
        "never_passed": by_outcome["never"], "errors": by_outcome["error"], "per_section": per_section,
        "model_calls": sum(len(r.calls) for r in runs), "retries": sum(r.retries for r in runs),
        "ttft_s_median": median([c.ttft_s for c in firsts]),
        "ttft_s_max": max((c.ttft_s for c in firsts), default=None),
        "prompt_tokens_median": median([float(c.prompt_tokens) for c in calls]),
        "gen_tok_per_s_median": median([c.tok_per_s for c in calls]),
        "chars_per_s_median": median([c.chars_per_s for c in calls]),
        "draft_s_median": median([r.total_s for r in runs]),
        "elapsed_s": round(elapsed, 1), "cpus": os.cpu_count(),
    }


def markdown(runs: list[DraftRun]) -> str:
    head = ("| sheet | section | outcome | calls | retries | prompt tok | first token s | gen tok | tok/s | chars/s | draft s "
            "| problems of the delivered draft |\n|---|---|---|---|---|---|---|---|---|---|---|---|")
    rows = []
    for r in runs:
        c = r.calls[0] if r.calls else Call()
        speeds = " / ".join(str(x.tok_per_s) for x in r.calls) or "-"
        chars = " / ".join(str(x.chars_per_s) for x in r.calls) or "-"
        gen = " / ".join(str(x.gen_tokens) for x in r.calls) or "-"
        ttft = " / ".join(str(x.ttft_s) for x in r.calls) or "-"
        problems = "；".join(r.problems) or r.error or ""
        rows.append(f"| {r.sheet} | {r.section} | {r.outcome} | {len(r.calls)} | {r.retries} | {c.prompt_tokens} | {ttft} "
                    f"| {gen} | {speeds} | {chars} | {r.total_s} | {problems[:160]} |")
    return "\n".join([head, *rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.draft_eval",
                                     description="Guard pass rates and speed of the embedded model's drafts.")
    parser.add_argument("--sheets", type=int, help="use only the first N fact sheets")
    parser.add_argument("--budget-s", type=float, default=900.0,
                        help="start no new draft after this many seconds (default 900)")
    parser.add_argument("--max-tokens", type=int, default=500, help="generation limit per call (default 500)")
    parser.add_argument("--sections", nargs="+", choices=SECTIONS, default=list(SECTIONS),
                        help="sections to draft per sheet (default: 成绩 问题 计划)")
    parser.add_argument("--threads", type=int, help="llama.cpp threads (default: ASSISTANT_LLM_THREADS, 2)")
    parser.add_argument("--data-dir", help="data dir holding the model cache (bench output under <dir>/bench)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    base = load_settings(data_dir=args.data_dir)
    settings = eval_settings(base, args.max_tokens, args.threads)
    from assistant.services import build_services

    services = build_services(settings)
    if services.knowledge.chunk_count() == 0:
        log("indexing knowledge/ …")
        services.knowledge.ingest()
    resolved = services.drafting.resolve()
    if resolved.name != "embedded":
        log(f"embedded backend unavailable: {resolved.notice}")
        return 1
    model = resolved.chat_model
    log(f"model {Path(model.model_path).name} loaded in {model.load():.1f} s; threads={model.n_threads}")
    timing = Timing(model.count_tokens)
    model.callbacks = [timing]
    sheets = load_sheets(args.sheets)
    runs: list[DraftRun] = []
    used: list[str] = []
    for name, facts in sheets:
        if time.perf_counter() - started > args.budget_s:
            log(f"time budget reached; {len(runs)} drafts done")
            break
        used.append(name)
        for role in args.sections:
            if time.perf_counter() - started > args.budget_s:
                break
            run = draft_one(services.drafting, timing, name, facts, role)
            runs.append(run)
            log(f"{name} {role}: {run.outcome} in {run.total_s} s "
                f"({', '.join(f'ttft {c.ttft_s}s {c.tok_per_s} tok/s' for c in run.calls)})")
    elapsed = time.perf_counter() - started
    summary = summarise(runs, elapsed, used, args.max_tokens)
    summary["threads"] = settings.llm_threads
    out = base.bench_dir / "draft_eval.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"summary": summary, "runs": [asdict(r) for r in runs]}, ensure_ascii=False,
                              indent=1), encoding="utf-8")
    print(markdown(runs))
    failing = [r for r in runs if r.outcome in ("retry", "never", "error")]
    if failing:
        print("\nDrafts that failed the guard at least once:")
        for r in failing:
            print(f"- {r.sheet} {r.section} ({r.outcome}): first try → {r.retry_reason or r.error}; "
                  f"delivered → {'；'.join(r.problems) or 'ok'}")
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
