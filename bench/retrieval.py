"""Retrieval latency at several corpus sizes: our hybrid Retriever against a naive langchain-chroma store.

Both stores hold the same chunks with the same precomputed vectors (see bench.corpus); both embed the
query for real inside the timed region. Queries run one at a time, alternating which system goes first so
background load on the machine hits both alike. Stores are cached under the bench dir between runs.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.config import Settings, load_settings
from assistant.schema import ROLES, Chunk
from bench.corpus import Corpus

K = 5
ADD_BATCH = 1000


def percentiles(samples_s: list[float]) -> dict[str, float]:
    """p50/p95/mean/max in milliseconds (None when there are no samples, so the JSON stays valid)."""
    arr = np.asarray(samples_s, dtype=np.float64) * 1000.0
    if arr.size == 0:
        return {"p50_ms": None, "p95_ms": None, "mean_ms": None, "max_ms": None, "n": 0}
    return {"p50_ms": round(float(np.percentile(arr, 50)), 2), "p95_ms": round(float(np.percentile(arr, 95)), 2),
            "mean_ms": round(float(arr.mean()), 2), "max_ms": round(float(arr.max()), 2), "n": int(arr.size)}


class LookupEmbeddings(Embeddings):
    """Hands the precomputed chunk vectors to langchain-chroma; queries go to the real model."""

    def __init__(self, embedder: Embeddings, table: dict[str, np.ndarray]) -> None:
        self.embedder = embedder
        self.table = table

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.table[t].tolist() for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)


def _marker_ok(folder: Path, corpus: Corpus) -> dict[str, Any] | None:
    marker = folder / "bench.json"
    if not marker.is_file():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("signature") == corpus.signature and data.get("count") == len(corpus):
        return data
    return None


def _write_marker(folder: Path, corpus: Corpus, build_s: float) -> None:
    (folder / "bench.json").write_text(json.dumps({"signature": corpus.signature, "count": len(corpus),
                                                   "build_s": round(build_s, 2)}), encoding="utf-8")


def _fresh(folder: Path) -> None:
    """Empty a store folder; Chroma caches one client per path, so drop those first."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)


def _our_settings(folder: Path) -> Settings:
    return load_settings(data_dir=folder, collection="bench_chunks")


def open_ours(folder: Path, corpus: Corpus, embedder) -> tuple[Any, dict[str, Any]]:  # noqa: ANN001
    """Our ChunkStore with the corpus, built through replace_document unless a matching cache exists."""
    from assistant.index.store import ManifestEntry, open_store

    settings = _our_settings(folder)
    marker = _marker_ok(folder, corpus)
    if marker is not None:
        store = open_store(settings, embedder.model_id, embedder.dimension)
        if store.count() == len(corpus):
            return store, {"build_s": marker["build_s"], "cached": True}
    _fresh(folder)
    start = time.perf_counter()
    store = open_store(settings, embedder.model_id, embedder.dimension, reset=True)
    by_doc: dict[str, list[int]] = {}
    for i, doc in enumerate(corpus.docs):
        by_doc.setdefault(doc, []).append(i)
    for doc, rows in by_doc.items():
        chunks = [Chunk(chunk_id=corpus.ids[i], doc=doc, title=corpus.titles[i], heading_path=(),
                        role=corpus.roles[i], text=corpus.texts[i], order=corpus.orders[i]) for i in rows]  # type: ignore[arg-type]
        entry = ManifestEntry(doc, f"{corpus.signature}-{doc}", len(chunks), f"bench:{doc}", corpus.titles[rows[0]])
        store.replace_document(entry, chunks, corpus.vectors[rows].tolist())
    build_s = time.perf_counter() - start
    _write_marker(folder, corpus, build_s)
    return store, {"build_s": round(build_s, 2), "cached": False}


def open_naive(folder: Path, corpus: Corpus, embedder) -> tuple[Any, dict[str, Any]]:  # noqa: ANN001
    """A plain langchain_chroma.Chroma (default settings) with the same chunks and vectors."""
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    table = dict(zip(corpus.texts, corpus.vectors, strict=True))
    emb = LookupEmbeddings(embedder, table)
    client_settings = ChromaSettings(anonymized_telemetry=False, is_persistent=True,
                                     persist_directory=str(folder / "chroma"))
    marker = _marker_ok(folder, corpus)
    if marker is not None:
        vs = Chroma("naive", embedding_function=emb, persist_directory=str(folder / "chroma"),
                    client_settings=client_settings)
        if vs._collection.count() == len(corpus):
            return vs, {"build_s": marker["build_s"], "cached": True}
    _fresh(folder)
    start = time.perf_counter()
    vs = Chroma("naive", embedding_function=emb, persist_directory=str(folder / "chroma"),
                client_settings=client_settings)
    for s in range(0, len(corpus), ADD_BATCH):
        e = s + ADD_BATCH
        vs.add_texts(corpus.texts[s:e], metadatas=[{"source": d} for d in corpus.docs[s:e]], ids=corpus.ids[s:e])
    build_s = time.perf_counter() - start
    _write_marker(folder, corpus, build_s)
    return vs, {"build_s": round(build_s, 2), "cached": False}


def time_embedding(embedder, queries: list[str], threads: int | None = None) -> dict[str, Any]:  # noqa: ANN001
    """Query embedding alone, the floor under both systems' latency; optionally at a given torch thread count
    (restored afterwards), which shows what one query costs without intra-op parallelism."""
    import torch  # the numpy encoder ignores the thread count; sentence-transformers uses it

    before = torch.get_num_threads()
    if threads:
        torch.set_num_threads(threads)
    try:
        embedder.embed_query("预热")
        samples = []
        for q in queries:
            t = time.perf_counter()
            embedder.embed_query(q)
            samples.append(time.perf_counter() - t)
    finally:
        torch.set_num_threads(before)
    return {**percentiles(samples), "threads": threads or before}


class QueryVectors(Embeddings):
    """Query vectors computed before the timed loop: a search timed with these shows each system's own cost
    without the model, whose latency swings most when other work shares the CPUs."""

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.vectors[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.vectors[text]


# Always timed: ours and naive end to end, and both again with the query vector precomputed ("search only").
CORE_SYSTEMS = ("ours", "naive", "ours_search_only", "naive_search_only")
SYSTEMS = (*CORE_SYSTEMS, "ours_dense", "ours_role")


def measure_size(root: Path, corpus: Corpus, embedder, queries: list[str],  # noqa: ANN001
                 systems: tuple[str, ...] = SYSTEMS, baseline_embedder=None) -> dict[str, Any]:  # noqa: ANN001
    """Build or reuse both stores for one corpus, then time every query on each system (CORE_SYSTEMS always;
    ours dense-only and ours with a role filter unless left out). The naive store embeds its queries with
    `baseline_embedder` (default: the same embedder as ours)."""
    import copy

    from assistant.index.retriever import Retriever

    n = len(corpus)
    store, ours_build = open_ours(root / f"ours-{n}", corpus, embedder)
    naive, naive_build = open_naive(root / f"naive-{n}", corpus, baseline_embedder or embedder)
    retriever = Retriever(store, embedder)
    t = time.perf_counter()
    retriever.refresh(force=True)
    warmup_s = time.perf_counter() - t
    for _ in range(2):  # first-call costs (HNSW load into memory) are not steady-state latency
        retriever.search("年度工作总结", K)
        naive.similarity_search("年度工作总结", k=K)
    vectors = QueryVectors({q: embedder.embed_query(q) for q in queries})
    fixed = copy.copy(retriever)  # shares the store and the lexical snapshot; only the query embedding differs
    fixed.embedder = vectors
    loop_start = time.perf_counter()
    systems = tuple(dict.fromkeys((*CORE_SYSTEMS, *systems)))
    samples: dict[str, list[float]] = {name: [] for name in systems}
    roles = [r for r in ROLES if r in set(corpus.roles)] or list(ROLES)  # a filter on an absent role finds nothing
    for i, q in enumerate(queries):
        role = roles[i % len(roles)]
        runs = [("ours", lambda q=q: retriever.search(q, K)),
                ("naive", lambda q=q: naive.similarity_search(q, k=K)),
                ("ours_search_only", lambda q=q: fixed.search(q, K)),
                ("naive_search_only", lambda q=q: naive.similarity_search_by_vector(vectors.embed_query(q), k=K)),
                ("ours_dense", lambda q=q: retriever.search(q, K, mode="dense")),
                ("ours_role", lambda q=q, r=role: retriever.search(q, K, role=r))]
        runs = [run for run in runs if run[0] in samples]
        if i % 2:
            runs.reverse()
        for name, fn in runs:
            t = time.perf_counter()
            hits = fn()
            samples[name].append(time.perf_counter() - t)
            if not hits:
                raise RuntimeError(f"{name} returned nothing for {q!r} at {n} chunks")
    out = {"chunks": n, "queries": len(queries), "lexical_warmup_s": round(warmup_s, 2),
           "query_loop_s": round(time.perf_counter() - loop_start, 1),
           "ours_build_s": ours_build["build_s"], "ours_build_cached": ours_build["cached"],
           "naive_build_s": naive_build["build_s"], "naive_build_cached": naive_build["cached"],
           **{name: percentiles(s) for name, s in samples.items()}}
    return out
