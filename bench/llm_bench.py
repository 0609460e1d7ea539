"""Embedded-model benchmark: load time, time to first token, generation speed and peak RSS per thread count.

Each thread count runs in its own child process so load time and peak RSS are not shared between runs.
Usage: `python -m bench.llm_bench [--threads 1 2] [--quick]`; `run(settings)` returns the same numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from assistant.config import Settings, load_settings

SYSTEM = "你是单位办公室的文字秘书，用简洁规范的公文语言写作，只使用用户给出的事实，不编造数字。"
FACTS = [
    "举办业务培训班4期，培训职工340人次",
    "完成重点项目12个，完成投资2.3亿元",
    "开展安全生产检查26次，整改隐患58处",
    "新建职工书屋3个，组织文体活动9场",
]
CHILD_TIMEOUT_S = 900
PROMPT = ("请根据以下事实，写一段约300字的年度工作总结“主要成绩”段落，不要标题，不要分点：\n"
          + "\n".join(f"- {f}" for f in FACTS))
# A second request in the same process (other facts, same system prompt), as a user's next section would be:
# llama.cpp reuses the evaluated common prefix, so its first token shows the steady state after the first call.
SECOND_PROMPT = ("请根据以下事实，写一段约100字的年度工作总结“存在问题”段落，不要标题：\n"
                 "- 基层工会经费保障不足\n- 青年职工参与活动积极性不高")


def peak_rss_mb() -> int:
    """This process's own high-water RSS (VmHWM). Not ru_maxrss: Linux carries the forking parent's RSS into
    it across exec, so a child of a big bench process would report the parent's size."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _one(model_path: str, threads: int, n_ctx: int, max_tokens: int) -> dict[str, Any]:
    """Measure one thread count in this process (called in a child)."""
    from langchain_core.messages import HumanMessage, SystemMessage

    from assistant.llm.embedded import EmbeddedChatModel
    from assistant.llm.registry import stream_text

    model = EmbeddedChatModel(model_path=model_path, n_threads=threads, n_ctx=n_ctx, max_tokens=max_tokens,
                              temperature=0.3, seed=42)
    load_s = model.load()
    messages = [SystemMessage(content=SYSTEM), HumanMessage(content=PROMPT)]
    prompt_tokens = model.count_tokens(SYSTEM + PROMPT)
    start = time.perf_counter()
    first: float | None = None
    text = ""
    for piece in stream_text(model, messages):
        if first is None:
            first = time.perf_counter()
        text += piece
    end = time.perf_counter()
    first = first or end
    gen_tokens = model.count_tokens(text)
    second = [SystemMessage(content=SYSTEM), HumanMessage(content=SECOND_PROMPT)]
    start2 = time.perf_counter()
    first2: float | None = None
    for _ in stream_text(model, second):
        first2 = first2 or time.perf_counter()
        break
    return {
        "threads": threads,
        "load_s": round(load_s, 2),
        "ttft_s": round(first - start, 2),
        "prompt_tok_per_s": round(prompt_tokens / (first - start), 1) if first > start else 0.0,
        "second_ttft_s": round((first2 or time.perf_counter()) - start2, 2),
        "prompt_tokens": prompt_tokens,
        "gen_tokens": gen_tokens,
        "gen_chars": len(text),
        "gen_tok_per_s": round((gen_tokens - 1) / (end - first), 1) if end > first and gen_tokens > 1 else 0.0,
        "chars_per_s": round(len(text) / (end - start), 1) if end > start else 0.0,
        "total_s": round(end - start, 2),
        "peak_rss_mb": peak_rss_mb(),
        "sample": text[:80],
    }


def run(settings: Settings, threads: list[int] | None = None, quick: bool = False) -> dict[str, Any]:
    """Benchmark the embedded model at each thread count (default 1 and 2); returns a JSON-able dict."""
    from assistant.llm.model_files import model_status

    status = model_status(settings)
    if status.path is None:
        return {"name": "llm", "error": f"embedded model unavailable: {status.reason}", "runs": []}
    threads = threads or ([2] if quick else [1, 2])
    max_tokens = 48 if quick else 400
    runs = []
    for n in threads:
        cmd = [sys.executable, "-m", "bench.llm_bench", "--child", str(status.path), str(n),
               str(min(settings.llm_context, 4096)), str(max_tokens)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1],
                                  check=False, timeout=CHILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            runs.append({"threads": n, "error": f"no result within {CHILD_TIMEOUT_S} s"})
            continue
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if proc.returncode != 0 or not lines:
            runs.append({"threads": n, "error": (proc.stderr or proc.stdout)[-500:]})
            continue
        runs.append(json.loads(lines[-1]))
    result = {"name": "llm", "model": status.path.name, "cpus": os.cpu_count(), "quick": quick, "runs": runs}
    out = settings.bench_dir / "llm.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return result


def markdown(result: dict[str, Any]) -> str:
    """The runs as a Markdown table."""
    if result.get("error"):
        return f"embedded model benchmark skipped: {result['error']}"
    head = ("| threads | load s | first token s | prompt tok | prompt tok/s (incl. first token) "
            "| next request's first token s | gen tok | gen chars | gen tok/s | chars/s | total s | peak RSS MB |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|")
    rows = []
    for r in result["runs"]:
        if "error" in r:
            rows.append(f"| {r['threads']} | error: {r['error'].splitlines()[-1] if r['error'] else '?'} |")
            continue
        rows.append(f"| {r['threads']} | {r['load_s']} | {r['ttft_s']} | {r['prompt_tokens']} "
                    f"| {r.get('prompt_tok_per_s', '')} | {r.get('second_ttft_s', '')} | {r['gen_tokens']} "
                    f"| {r['gen_chars']} | {r['gen_tok_per_s']} | {r['chars_per_s']} | {r['total_s']} "
                    f"| {r['peak_rss_mb']} |")
    return "\n".join([head, *rows])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        path, threads, n_ctx, max_tokens = argv[1], int(argv[2]), int(argv[3]), int(argv[4])
        print(json.dumps(_one(path, threads, n_ctx, max_tokens), ensure_ascii=False), flush=True)
        return 0
    parser = argparse.ArgumentParser(description="Benchmark the embedded llama.cpp model.")
    parser.add_argument("--threads", type=int, nargs="+", default=None)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    result = run(load_settings(), args.threads, args.quick)
    print(markdown(result))
    print(json.dumps(result, ensure_ascii=False))
    return 1 if result.get("error") or any("error" in r for r in result["runs"]) else 0


if __name__ == "__main__":
    sys.exit(main())
