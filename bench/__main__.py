"""`python -m bench [--quick]`: retrieval latency against a naive baseline, indexing throughput against the raw
encoder, cold start, the embedded model, peak memory and a 20-user load test, in one run.

Each section fails soft (the reason is printed and the run goes on). Outputs go to settings.bench_dir:
report.md, latency.png, results.json; the last line printed is the summary JSON.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.config import Settings, load_settings  # noqa: E402
from bench import report  # noqa: E402
from bench.corpus import shared_dir  # noqa: E402

FULL_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 5_000)
QUICK_SENTENCES_PER_DOC = 30
QUICK_QUERIES = 40
LOAD_USERS = 20


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def section(name: str, results: dict[str, Any], fn: Callable[[], dict[str, Any]]) -> None:
    """Run one part; on failure record why and carry on."""
    log(f"{name} …")
    start = time.perf_counter()
    try:
        results[name] = fn()
    except Exception as exc:  # noqa: BLE001 - a missing module or a failed run must not end the bench
        message = f"{type(exc).__name__}: {str(exc)[:400]}"
        log(f"{name} could not run: {message}")
        if os.environ.get("BENCH_DEBUG"):
            traceback.print_exc()
        results[name] = {"error": message}
    results.setdefault("_section_s", {})[name] = round(time.perf_counter() - start, 1)
    results.setdefault("_load_avg", {})[name] = round(os.getloadavg()[0], 2)
    log(f"{name} done in {results['_section_s'][name]} s (1-min load average {results['_load_avg'][name]})")


def retrieval_part(settings: Settings, embedder: Any, sizes: tuple[int, ...], quick: bool, notes: list[str],
                   n_queries: int | None, shared: Path | None) -> dict[str, Any]:
    from assistant.index.embedder import Embedder
    from bench.corpus import SentenceCache, build_corpus, load_queries, load_source
    from bench.retrieval import CORE_SYSTEMS, SYSTEMS, measure_size, time_embedding

    source = load_source(settings.knowledge_dir, shared, QUICK_SENTENCES_PER_DOC if quick else None)
    notes.append(source.note)
    sentences = [s for _, _, sents in source.docs for s in sents]
    cache = SentenceCache(settings.bench_dir / "cache", embedder.model_id)
    embedded, secs = cache.ensure(sentences, embedder)
    log(f"sentences: {len(set(sentences))} unique, {embedded} embedded now in {secs:.0f} s "
        f"({len(cache.vectors)} cached in all)")
    queries = load_queries(n_queries or (QUICK_QUERIES if quick else None))
    # The baseline embeds its queries the way a LangChain user would: sentence-transformers (torch).
    baseline = Embedder(embedder.model_id, embedder.batch_size, fast_queries=False, cache_queries=False)
    out: dict[str, Any] = {"sentences": len(set(sentences)), "sentences_embedded_now": embedded,
                           "sentence_embed_s": round(secs, 1), "queries": len(queries),
                           "query_encoder": "numpy" if embedder._query_encoder() is not None else "sentence-transformers",
                           "embed_only": time_embedding(embedder, queries),
                           "embed_only_st": time_embedding(baseline, queries),
                           "embed_only_st_1_thread": time_embedding(baseline, queries, threads=1), "sizes": []}
    for n in sizes:
        log(f"retrieval at {n} chunks")
        try:
            t = time.perf_counter()
            corpus = build_corpus(source, cache, n)
            log(f"  corpus of {len(corpus)} chunks composed in {time.perf_counter() - t:.1f} s")
            notes.extend(f"{n} chunks: {x}" for x in corpus.notes if "windows of" not in x)
            out.setdefault("windows", {})[n] = next((x for x in corpus.notes if "windows of" in x), "")
            res = measure_size(settings.bench_dir / "stores", corpus, embedder, queries,
                               CORE_SYSTEMS if quick else SYSTEMS, baseline_embedder=baseline)
            log(f"  ours p50/p95 {res['ours']['p50_ms']}/{res['ours']['p95_ms']} ms, "
                f"naive {res['naive']['p50_ms']}/{res['naive']['p95_ms']} ms (build ours {res['ours_build_s']} s, "
                f"naive {res['naive_build_s']} s, lexical warm-up {res['lexical_warmup_s']} s, "
                f"queries {res['query_loop_s']} s)")
            out["sizes"].append(res)
        except Exception as exc:  # noqa: BLE001 - one size failing keeps the others
            log(f"  size {n} failed: {type(exc).__name__}: {str(exc)[:300]}")
            out["sizes"].append({"chunks": n, "error": f"{type(exc).__name__}: {str(exc)[:300]}"})
        gc.collect()
    return out


def app_settings(settings: Settings) -> Settings:
    """The indexed data dir the cold-start, memory and load parts run the app on."""
    return load_settings(data_dir=settings.bench_dir / "app-data", knowledge_dir=settings.knowledge_dir.resolve())


def ensure_app_index(app: Settings, embedder: Any) -> None:
    """If the ingest part failed, index knowledge/ so the app parts still have a store."""
    from assistant.index.store import open_store
    from assistant.index.sync import sync_paths

    store = open_store(app, embedder.model_id, embedder.dimension)
    if store.count() == 0:
        sync_paths([app.knowledge_dir], store, embedder, max_bytes=int(app.max_upload_mb * 1048576),
                   progress=lambda d, t: None)


def embedded_model(settings: Settings) -> tuple[Path | None, str]:
    """The verified GGUF under the main data dir (the bench's app data dir has none of its own), or why not."""
    try:
        from assistant.llm.model_files import model_status

        status = model_status(settings)
    except Exception as exc:  # noqa: BLE001 - a half-installed llm package must not end the bench
        return None, f"{type(exc).__name__}: {exc}"
    return status.path, status.reason or ""


def server_parts(settings: Settings, app: Settings, quick: bool, skip: list[str], results: dict[str, Any]) -> None:
    """Cold start of a search and of the page, then on that same server (embedded backend configured, as a user
    runs it) the load test on the template backend and the app's peak memory with the embedded model."""
    from bench import cold_start, load, memory

    model_path, model_reason = embedded_model(settings)
    extra = {"ASSISTANT_BACKEND": "embedded"}
    if model_path is not None:
        extra["ASSISTANT_LLM_MODEL_PATH"] = str(model_path.resolve())
    # Peak memory needs the model loaded and one generation (the KV cache is sized by the context, not by the
    # answer), so the draft is kept short; the load test's template backend ignores this.
    extra["ASSISTANT_LLM_MAX_TOKENS"] = "32" if quick else "64"
    env = cold_start.child_env(app.data_dir, app.knowledge_dir, **extra)
    cold: dict[str, Any] = {}
    if "cold_start" not in skip:
        results["cold_start"] = cold
        sub: dict[str, Any] = {}
        section("cold_start_search", sub, lambda: cold_start.search_cold_start(env, 1 if quick else 3))
        if "error" in sub["cold_start_search"]:
            cold["search_error"] = sub["cold_start_search"]["error"]
        else:
            cold.update(sub["cold_start_search"])
        for key in ("_section_s", "_load_avg"):
            results.setdefault(key, {})["cold_start_search"] = sub[key]["cold_start_search"]
    if "cold_start" in skip and "load" in skip and "memory" in skip:
        return
    try:
        log("cold_start_page …")
        page, server = cold_start.page_cold_start(env, settings.bench_dir / "logs" / "serve.log")
        log(f"cold_start_page: {page['page_cold_start_s']} s")
        if "cold_start" not in skip:
            cold.update(page)
    except Exception as exc:  # noqa: BLE001
        message = f"{type(exc).__name__}: {str(exc)[:400]}"
        log(f"server did not start: {message}")
        cold["page_error"] = message
        for name in ("load", "memory"):
            if name not in skip:
                results[name] = {"error": f"no server (see cold start): {message}"}
        return
    try:
        if "load" not in skip:
            def load_part() -> dict[str, Any]:
                _, listing = cold_start.http_json(server.base + "/v1/models", timeout=30)
                ids = [str(m.get("id")) for m in (listing.get("data") or [])] if isinstance(listing, dict) else []
                models = load.step_models(ids, "template")
                exporter = load.services_exporter(app.data_dir, app.knowledge_dir)
                # One untimed pass first: the server loads its embedding model, store and lexical index lazily.
                warm = load.run(server.base, models, exporter, users=1, time_limit_s=300, first_user=LOAD_USERS)
                single = load.run(server.base, models, exporter, users=1, time_limit_s=120,
                                  first_user=LOAD_USERS + 1)
                res = load.run(server.base, models, exporter, users=LOAD_USERS, time_limit_s=240 if quick else 600)
                res["single_user"] = single
                res["warm_up_s"] = warm["wall_s"]
                res["errors"] += warm["errors"] + single["errors"]
                res["mixing"] += warm["mixing"] + single["mixing"]
                res["problems"] = (res["problems"] + warm["problems"] + single["problems"])[:20]
                res["export_via"] = "ExportService.export(docx) in the bench process, read back with python-docx"
                return res

            section("load", results, load_part)
        if "memory" not in skip:
            if model_path is None:
                results["memory"] = {"error": f"embedded model unavailable: {model_reason}"}
                log(f"memory skipped: {model_reason}")
            else:
                def memory_part() -> dict[str, Any]:
                    return {**memory.run(server, model_path, quick), "max_tokens": int(extra["ASSISTANT_LLM_MAX_TOKENS"])}

                section("memory", results, memory_part)
    finally:
        server.stop()


def llm_part(settings: Settings, quick: bool) -> dict[str, Any]:
    try:
        from bench import llm_bench
    except ImportError as exc:
        raise RuntimeError(f"bench.llm_bench missing: {exc}") from exc
    return llm_bench.run(settings, quick=quick)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Measure speed, memory and scale.")
    parser.add_argument("--quick", action="store_true",
                        help="small corpora (1k, 5k chunks), ours and naive only, knowledge/ for indexing, short "
                             "LLM run; < 3 min on an idle 2-core machine")
    parser.add_argument("--sizes", type=int, nargs="+", help="corpus sizes in chunks (overrides the default)")
    parser.add_argument("--queries", type=int, help="number of distinct queries per size")
    parser.add_argument("--skip", nargs="*", default=[],
                        choices=["retrieval", "ingest", "cold_start", "load", "llm", "memory", "house_style",
                                 "draft_quality", "house_fit", "interview", "chat"])
    parser.add_argument("--data-dir", help="data dir (bench output goes to <data dir>/bench)")
    parser.add_argument("--no-shared", action="store_true", help="ignore ../shared: corpora from knowledge/ alone")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    settings = load_settings(data_dir=args.data_dir)
    settings.bench_dir.mkdir(parents=True, exist_ok=True)
    sizes = tuple(args.sizes) if args.sizes else (QUICK_SIZES if args.quick else FULL_SIZES)
    notes = [
        "Method: each unique sentence of the corpus is embedded once with the real model (cached under "
        "bench/cache by text hash); a chunk is a window of consecutive sentences of one document (1–8 sentences, "
        "longer only when a size needs more distinct windows; varied lengths and offsets across all documents, "
        "no text repeated) whose vector is the normalised mean of its "
        "sentences' vectors. The same chunks and vectors go into our ChunkStore (replace_document) and into a "
        "default langchain_chroma.Chroma (add_texts with a lookup Embeddings); the query is embedded for real "
        "inside the timed region for both. Naive chunking (RecursiveCharacterTextSplitter) is timed in the "
        "indexing section.",
        "Timed region: ours = Retriever.search(q, k=5) (hybrid: dense HNSW + bigram BM25, role filter where "
        "stated), its query embedded by the numpy encoder of the packaged model (identical vectors, no torch); naive = "
        "Chroma.similarity_search(q, k=5), its query embedded by sentence-transformers as a LangChain user's "
        "would be. 'Search only' times the same calls with the query "
        "vector computed beforehand (ours: the same Retriever with a lookup embedder; naive: "
        "similarity_search_by_vector), i.e. each system's own cost around the shared encoder. Queries alternate "
        "the order of the systems.",
        f"Machine: {os.cpu_count()} CPUs, shared with other work while measured; numbers are ±20 %.",
    ]
    shared = None if args.no_shared else shared_dir()
    if shared is None:
        why = "--no-shared given" if args.no_shared else "../shared is absent"
        notes.append(f"{why}: every corpus comes from knowledge/ alone ({settings.knowledge_dir}).")
    results: dict[str, Any] = {}
    embedder = None
    try:
        from assistant.index.embedder import Embedder

        embedder = Embedder(settings.embedding_model, settings.embedding_batch_size, cache_queries=False)
        embedder.encode(["预热"])
    except Exception as exc:  # noqa: BLE001
        log(f"embedding model unavailable: {exc}")
        results["retrieval"] = results["ingest"] = {"error": f"embedding model unavailable: {exc}"}

    if embedder is not None and "retrieval" not in args.skip:
        section("retrieval", results, lambda: retrieval_part(settings, embedder, sizes, args.quick, notes,
                                                             args.queries, shared))
    app = app_settings(settings)
    if embedder is not None and "ingest" not in args.skip:
        from bench import ingest_speed

        paths = ingest_speed.ingest_paths(app.knowledge_dir, shared, args.quick)
        section("ingest", results, lambda: ingest_speed.run(app, embedder, paths, pipeline_batches=not args.quick))
    server_wanted = any(name not in args.skip for name in ("cold_start", "load", "memory"))
    if embedder is not None and server_wanted:
        try:
            ensure_app_index(app, embedder)
        except Exception as exc:  # noqa: BLE001
            log(f"could not index the app data dir: {exc}")
    gc.collect()
    if server_wanted:
        server_parts(settings, app, args.quick, args.skip, results)
    if "llm" not in args.skip:
        section("llm", results, lambda: llm_part(settings, args.quick))
    if "house_style" not in args.skip:
        from bench import house_style

        section("house_style", results, lambda: house_style.run(settings))
    if "draft_quality" not in args.skip:
        from bench import draft_quality

        # On the bench's own indexed data dir, with the models of the main one (the GGUF lives there).
        dq = load_settings(data_dir=app.data_dir, knowledge_dir=app.knowledge_dir,
                           llm_model_path=embedded_model(settings)[0])
        section("draft_quality", results, lambda: draft_quality.run(dq, quick=args.quick))
    dq_settings = load_settings(data_dir=app.data_dir, knowledge_dir=app.knowledge_dir,
                                llm_model_path=embedded_model(settings)[0])
    if "house_fit" not in args.skip:  # a unit's own earlier summary added: held-out pairs, default backend
        from bench import house_fit

        section("house_fit", results, lambda: house_fit.run(dq_settings, "fit", "embedded"))
    if "interview" not in args.skip:
        from bench import interview

        section("interview", results, lambda: interview.run(dq_settings, ("embedded",)))
    if "chat" not in args.skip:
        from bench import chat

        section("chat", results, lambda: chat.run(dq_settings, "embedded", 1))
    elapsed = time.perf_counter() - started
    notes.append(f"Section times (s): {json.dumps(results.get('_section_s', {}))}")
    notes.append(f"1-min load average at the end of each section (this run alone would be about 1-2 on 2 CPUs; "
                 f"more means other work competed for the CPUs): {json.dumps(results.get('_load_avg', {}))}")
    raw_path = settings.bench_dir / "results.json"
    raw_path.write_text(json.dumps({"results": results, "notes": notes}, ensure_ascii=False, indent=1, default=str),
                        encoding="utf-8")  # kept even if the report below fails
    md = report.markdown(results, notes, args.quick, elapsed)
    if "house_style" in results:
        from bench import house_style

        md = md.rstrip("\n") + "\n\n" + house_style.markdown(results["house_style"])
    if "rows" in (results.get("draft_quality") or {}):
        from bench import draft_quality

        md = md.rstrip("\n") + "\n\n" + draft_quality.markdown(results["draft_quality"])
    for name in ("house_fit", "interview", "chat"):
        if "rows" in (results.get(name) or {}):
            module = __import__(f"bench.{name}", fromlist=["markdown"])
            md = md.rstrip("\n") + "\n\n" + module.markdown(results[name])
    (settings.bench_dir / "report.md").write_text(md, encoding="utf-8")
    png = None
    try:
        png = report.plot(results, settings.bench_dir / "latency.png")
    except Exception as exc:  # noqa: BLE001
        log(f"plot failed: {exc}")
    print(md)
    summary = report.summary(results, args.quick, elapsed)
    if "rows" in (results.get("draft_quality") or {}):
        from bench import draft_quality

        summary.update(draft_quality.summary_keys(results["draft_quality"]))
    if "totals" in (results.get("house_fit") or {}):
        fit = results["house_fit"]["totals"]
        summary["house_frame_share"] = fit["house_frame_share"]
        summary["house_fit_broken_headings_delivered"] = fit["broken_headings_delivered"]
        summary["house_fit_differs"] = f"{fit['differs']}/{fit['pairs']}"
    if "totals" in (results.get("chat") or {}):
        summary.update({f"chat_{k}": v for k, v in results["chat"]["totals"].items() if k.endswith("_s")})
    if (results.get("interview") or {}).get("totals"):
        for key, t in results["interview"]["totals"].items():
            tag = key.replace("/", "_").replace("-", "_")
            summary[f"interview_{tag}_growth_median"] = t["growth_median"]
            summary[f"interview_{tag}_asked_for_stated"] = t["asked_for_stated"]
    summary["report"] = str(settings.bench_dir / "report.md")
    summary["plot"] = str(png) if png else None
    raw_path.write_text(
        json.dumps({"summary": summary, "results": results, "notes": notes}, ensure_ascii=False, indent=1,
                   default=str), encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False, default=str), flush=True)
    failed = summary.get("sections_failed") or []
    if failed:  # the report is written all the same; the exit status says the run is not whole
        log(f"failed sections: {', '.join(map(str, failed))}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
