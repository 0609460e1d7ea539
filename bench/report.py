"""The bench's outputs: a Markdown report, a PNG plot of latency against corpus size, and the summary JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _f(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _ratio(a: Any, b: Any) -> float | None:
    try:
        return round(float(a) / float(b), 3) if a is not None and b else None
    except (TypeError, ValueError):
        return None


def _p95(size: dict[str, Any], name: str) -> Any:
    return (size.get(name) or {}).get("p95_ms")


def _pair(stats: dict[str, Any] | None) -> str:
    if not stats:
        return "–"
    return f"{_f(stats.get('p50_ms'), 2)} / {_f(stats.get('p95_ms'), 2)}"


def summary(results: dict[str, Any], quick: bool, elapsed_s: float) -> dict[str, Any]:
    """The flat JSON line: the required keys first, then everything else measured, with ratios."""
    out: dict[str, Any] = {"quick": quick}
    sizes = [r for r in (results.get("retrieval") or {}).get("sizes", []) if "ours" in r]
    top = sizes[-1] if sizes else {}
    out["retrieval_p95_ms"] = (top.get("ours") or {}).get("p95_ms")
    out["naive_retrieval_p95_ms"] = (top.get("naive") or {}).get("p95_ms")
    ing = results.get("ingest") or {}
    out["ingest_chunks_per_s"] = ing.get("ingest_chunks_per_s")
    out["raw_encode_chunks_per_s"] = ing.get("raw_encode_chunks_per_s")
    out["chunks"] = top.get("chunks")
    out["retrieval_p50_ms"] = (top.get("ours") or {}).get("p50_ms")
    out["naive_retrieval_p50_ms"] = (top.get("naive") or {}).get("p50_ms")
    out["retrieval_p95_vs_naive"] = _ratio(out["retrieval_p95_ms"], out["naive_retrieval_p95_ms"])
    out["search_only_p95_ms"] = _p95(top, "ours_search_only")
    out["naive_search_only_p95_ms"] = _p95(top, "naive_search_only")
    out["search_only_p95_vs_naive"] = _ratio(out["search_only_p95_ms"], out["naive_search_only_p95_ms"])
    for r in sizes:
        n = r["chunks"]
        for name in ("ours", "naive", "ours_search_only", "naive_search_only", "ours_dense", "ours_role"):
            for p in ("p50_ms", "p95_ms"):
                if name in r:
                    out[f"{name}_{p}_{n}"] = r[name][p]
        out[f"p95_vs_naive_{n}"] = _ratio(r["ours"]["p95_ms"], r["naive"]["p95_ms"])
        out[f"ours_build_s_{n}"] = r.get("ours_build_s")
        out[f"naive_build_s_{n}"] = r.get("naive_build_s")
        out[f"lexical_warmup_s_{n}"] = r.get("lexical_warmup_s")
    emb = (results.get("retrieval") or {}).get("embed_only") or {}
    out["query_embed_p50_ms"] = emb.get("p50_ms")
    out["query_embed_p95_ms"] = emb.get("p95_ms")
    st = (results.get("retrieval") or {}).get("embed_only_st") or {}
    out["query_embed_st_p95_ms"] = st.get("p95_ms")
    one = (results.get("retrieval") or {}).get("embed_only_st_1_thread") or {}
    out["query_embed_st_1_thread_p95_ms"] = one.get("p95_ms")
    out["ingest_vs_raw"] = ing.get("ingest_vs_raw")
    out["ingest_chunks"] = ing.get("chunks")
    out["raw_pipeline_batches_chunks_per_s"] = ing.get("raw_pipeline_batches_chunks_per_s")
    out["ingest_vs_pipeline_batches"] = ing.get("ingest_vs_pipeline_batches")
    out["naive_ingest_chunks_per_s"] = ing.get("naive_ingest_chunks_per_s")
    out["ingest_vs_naive"] = _ratio(ing.get("ingest_chunks_per_s"), ing.get("naive_ingest_chunks_per_s"))
    cold = results.get("cold_start") or {}
    out["search_cold_start_s"] = cold.get("search_cold_start_s")
    out["page_cold_start_s"] = cold.get("page_cold_start_s")
    for run in (results.get("llm") or {}).get("runs", []):
        if "error" not in run:
            t = run["threads"]
            for key in ("load_s", "ttft_s", "second_ttft_s", "gen_tok_per_s", "chars_per_s", "peak_rss_mb"):
                out[f"llm_{key}_{t}t"] = run.get(key)
    mem = results.get("memory") or {}
    out["app_peak_rss_mb"] = mem.get("app_peak_rss_mb")
    out["app_rss_with_model_mb"] = mem.get("app_rss_after_mb")
    load = results.get("load") or {}
    out["load_users"] = load.get("users")
    out["load_errors"] = load.get("errors") if load else None
    out["load_mixing"] = load.get("mixing") if load else None
    for step, stats in (load.get("steps") or {}).items():
        out[f"load_{step}_p50_ms"] = stats.get("p50_ms")
        out[f"load_{step}_p95_ms"] = stats.get("p95_ms")
        out[f"load_{step}_alone_ms"] = (((load.get("single_user") or {}).get("steps") or {}).get(step) or {}).get(
            "p50_ms")
    out["sections_failed"] = [name for name, r in results.items() if isinstance(r, dict) and r.get("error")]
    if cold.get("search_error") or cold.get("page_error"):
        out["sections_failed"].append("cold_start")
    out["sections_failed"] += [f"retrieval_{r.get('chunks')}" for r in (results.get("retrieval") or {}).get("sizes", [])
                               if "error" in r]
    out["sections_failed"] += [f"llm_{r.get('threads')}t" for r in (results.get("llm") or {}).get("runs", [])
                               if "error" in r]
    out["elapsed_s"] = round(elapsed_s, 1)
    return out


def markdown(results: dict[str, Any], notes: list[str], quick: bool, elapsed_s: float) -> str:
    """The whole report as Markdown."""
    lines = [f"# Benchmark{' (quick)' if quick else ''}", "", f"Total time: {elapsed_s:.0f} s.", ""]
    ret = results.get("retrieval") or {}
    lines += ["## Retrieval latency (query embedding + search, one query at a time, k=5)", ""]
    if ret.get("error") or not ret:
        lines.append(f"Not measured: {ret.get('error', 'not run')}")
    else:
        emb = ret.get("embed_only") or {}
        lines += ["| chunks | ours hybrid p50 | ours hybrid p95 | naive p50 | naive p95 | ours/naive p95 "
                  "| search only: ours p50 / p95 | search only: naive p50 / p95 | ours/naive search-only p95 "
                  "| ours dense p95 | ours hybrid+role p95 | build ours s | build naive s | lexical warm-up s |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in ret.get("sizes", []):
            if "error" in r:
                lines.append(f"| {r.get('chunks')} | error: {r['error']} |")
                continue
            cached = lambda c: " (cached)" if c else ""  # noqa: E731
            lines.append(
                f"| {r['chunks']} | {_f(r['ours']['p50_ms'])} | {_f(r['ours']['p95_ms'])} | {_f(r['naive']['p50_ms'])} "
                f"| {_f(r['naive']['p95_ms'])} | {_f(_ratio(r['ours']['p95_ms'], r['naive']['p95_ms']), 2)} "
                f"| {_pair(r.get('ours_search_only'))} | {_pair(r.get('naive_search_only'))} "
                f"| {_f(_ratio(_p95(r, 'ours_search_only'), _p95(r, 'naive_search_only')), 2)} "
                f"| {_f(r.get('ours_dense', {}).get('p95_ms'))} | {_f(r.get('ours_role', {}).get('p95_ms'))} "
                f"| {_f(r['ours_build_s'])}{cached(r['ours_build_cached'])} "
                f"| {_f(r['naive_build_s'])}{cached(r['naive_build_cached'])} | {_f(r['lexical_warmup_s'], 2)} |")
        st = ret.get("embed_only_st") or {}
        one = ret.get("embed_only_st_1_thread") or {}
        lines += ["", f"Query embedding alone, ours ({ret.get('query_encoder', '?')} encoder): p50 "
                  f"{_f(emb.get('p50_ms'))} ms, p95 {_f(emb.get('p95_ms'))} ms; sentence-transformers (the naive "
                  f"system's) at {st.get('threads', '?')} torch threads: p50 {_f(st.get('p50_ms'))} ms, p95 "
                  f"{_f(st.get('p95_ms'))} ms; at 1 thread: p50 {_f(one.get('p50_ms'))} ms, p95 "
                  f"{_f(one.get('p95_ms'))} ms; over {emb.get('n', 0)} queries. "
                  f"{ret.get('queries', 0)} distinct queries per size, each run on every system of the table.",
                  "",
                  f"How the chunk vectors were made: {ret.get('sentences', 0)} unique sentences of the source "
                  f"were embedded with the real model ({ret.get('sentences_embedded_now', 0)} in this run, "
                  f"{_f(ret.get('sentence_embed_s'))} s; the rest from the cache under bench/cache); each chunk is a "
                  "window of consecutive sentences of one document and its vector is the normalised mean of its "
                  "sentences' vectors. Windows per size: "
                  + "; ".join(f"{n}: {w}" for n, w in (ret.get("windows") or {}).items()) + ".", ""]
    ing = results.get("ingest") or {}
    lines += ["## Indexing throughput", ""]
    if ing.get("error") or not ing:
        lines.append(f"Not measured: {ing.get('error', 'not run')}")
    else:
        lines += ["| chunks (mean chars) | files | batch | pipeline chunks/s | raw encoder limit chunks/s "
                  "| pipeline/raw | raw encode in the pipeline's own batches chunks/s | pipeline/that "
                  "| naive LangChain ingest chunks/s (its own chunks) |", "|---|---|---|---|---|---|---|---|---|",
                  f"| {ing['chunks']} ({ing.get('mean_chunk_chars', '?')}) | {ing['files']} | {ing['batch_size']} "
                  f"| {_f(ing['ingest_chunks_per_s'])} | {_f(ing['raw_encode_chunks_per_s'])} "
                  f"| {_f(ing['ingest_vs_raw'], 3)} | {_f(ing.get('raw_pipeline_batches_chunks_per_s'))} "
                  f"| {_f(ing.get('ingest_vs_pipeline_batches'), 3)} "
                  f"| {_f(ing['naive_ingest_chunks_per_s'])} ({ing['naive_ingest_chunks']} chunks) |", "",
                  f"Raw encode runs (s): {ing.get('raw_encode_runs_s')} (before and after the pipeline; their spread "
                  f"is the machine's noise); pipeline {_f(ing.get('pipeline_s'), 2)} s."]
    lines.append("")
    cold = results.get("cold_start") or {}
    lines += ["## Cold start (process start, warm OS file cache)", ""]
    if not cold:
        lines += ["Not measured: not run", ""]
    elif cold.get("search_error") or cold.get("page_error") or cold.get("error"):
        for key in ("error", "search_error", "page_error"):
            if cold.get(key):
                lines.append(f"- {key.replace('_', ' ')}: {cold[key]}")
        lines.append("")
    if cold:
        lines += ["| to first answered search s (best / median) | to page served s |", "|---|---|",
                  f"| {_f(cold.get('search_cold_start_s'), 2)} / {_f(cold.get('search_cold_start_median_s'), 2)} "
                  f"| {_f(cold.get('page_cold_start_s'), 2)} |", "",
                  "Search: `python -m assistant search … --json` on the indexed app data dir, process start to "
                  "its answer. Page: `python -m assistant serve`, process start to GET / answering 200.", ""]
    llm = results.get("llm") or {}
    lines += ["## Embedded model (bench.llm_bench)", ""]
    if llm.get("error") or not llm:
        lines.append(f"Not measured: {llm.get('error', 'not run')}")
    else:
        try:
            from bench.llm_bench import markdown as llm_markdown

            lines.append(llm_markdown(llm))
        except Exception as exc:  # noqa: BLE001 - the other helper's table is optional
            lines.append(f"(table unavailable: {exc})")
    lines.append("")
    mem = results.get("memory") or {}
    lines += ["## Peak memory of the app with the embedded model", ""]
    if mem.get("error") or not mem:
        lines.append(f"Not measured: {mem.get('error', 'not run')}")
    else:
        lines += ["| RSS before the request MB (peak so far) | request s | answer chars | RSS after MB (file-backed) "
                  "| peak RSS (VmHWM) MB | GGUF MB |", "|---|---|---|---|---|---|",
                  f"| {_f(mem['rss_before_draft_mb'])} ({_f(mem['peak_before_draft_mb'])}) | {_f(mem['draft_s'], 2)} "
                  f"| {mem['draft_chars']} | {_f(mem['app_rss_after_mb'])} ({_f(mem.get('app_rss_file_after_mb'))}) "
                  f"| {_f(mem['app_peak_rss_mb'])} | {mem.get('model_file_mb', '?')} |", "",
                  "The same server as the page cold start and the load test (so the peak so far includes the "
                  f"load test); the request used {mem.get('model_id')} (at most "
                  f"{mem.get('max_tokens', '?')} tokens) and the GGUF was checked to be mapped into the process."]
    lines.append("")
    load = results.get("load") or {}
    lines += [f"## Load: {load.get('users', 20)} concurrent users, facts → outline → draft → export, template backend",
              ""]
    if load.get("error") or not load:
        lines.append(f"Not measured: {load.get('error', 'not run')}")
    else:
        single = (load.get("single_user") or {}).get("steps") or {}
        lines += [f"Errors: {load['errors']}; replies mixed between users: {load['mixing']}; "
                  f"wall time {_f(load['wall_s'], 1)} s (after one untimed warm-up user, "
                  f"{_f(load.get('warm_up_s'), 1)} s); models {load.get('models')}; "
                  f"export via {load.get('export_via', '?')}.", "",
                  "| step | one user alone ms | p50 ms | p95 ms | max ms | n |", "|---|---|---|---|---|---|"]
        for step, s in load["steps"].items():
            alone = (single.get(step) or {}).get("p50_ms")
            lines.append(f"| {step} | {_f(alone)} | {_f(s['p50_ms'])} | {_f(s['p95_ms'])} | {_f(s.get('max_ms'))} "
                         f"| {s['n']} |")
        for problem in load.get("problems", [])[:10]:
            lines.append(f"- {problem}")
    lines += ["", "## Method and notes", ""] + [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def plot(results: dict[str, Any], path: Path) -> Path | None:
    """Latency against corpus size, ours and the naive baseline, p50 and p95 (log x): end to end, and the
    search alone when it was measured."""
    sizes = [r for r in (results.get("retrieval") or {}).get("sizes", []) if "ours" in r]
    if not sizes:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [r["chunks"] for r in sizes]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), dpi=120)
    panels = (("", "end to end: query embedding + search", "ms per query (embedding + search)"),
              ("_search_only", "search only: query vector precomputed", "ms per query (search alone)"))
    for ax, (suffix, title, ylabel) in zip(axes, panels, strict=True):
        for name, label, color in (("ours", "ours (hybrid)", "tab:blue"),
                                   ("naive", "naive LangChain+Chroma", "tab:orange")):
            key = name + suffix
            if not all(key in r for r in sizes):
                continue
            ax.plot(xs, [r[key]["p50_ms"] for r in sizes], "o-", color=color, label=f"{label} p50")
            ax.plot(xs, [r[key]["p95_ms"] for r in sizes], "s--", color=color, label=f"{label} p95")
        ax.set_xscale("log")
        ax.set_xlabel("chunks in the store")
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
        ax.set_ylim(bottom=0)
        ax.grid(True, which="both", alpha=0.3)
    ret = results.get("retrieval") or {}
    for key, label, style in (("embed_only", "our query embedding alone p50", ":"),
                              ("embed_only_st", "sentence-transformers query embedding p50", "-.")):
        emb = ret.get(key) or {}
        if emb.get("p50_ms"):
            axes[0].axhline(emb["p50_ms"], color="grey", linestyle=style, label=label)
    for ax in axes:
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    fig.suptitle("Retrieval latency vs corpus size")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
