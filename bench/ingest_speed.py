"""Indexing throughput of the real pipeline (sync_paths: read → split → embed → store) against the raw encoder.

The raw limit is one `Embedder.encode` call on exactly the chunk texts the pipeline produced (same batch
size; sentence-transformers sorts a call's texts by length, so batches carry little padding), measured in the
same run with the model already loaded, before and after the pipeline (the mean is used). The full run also
times encode in the pipeline's own windows (consecutive slices of several batches in document order, as
sync_paths cuts them), which shows how much of the gap is batching rather than reading, splitting or storing. A naive
LangChain ingest (RecursiveCharacterTextSplitter + Chroma.from_texts, same model) is timed on the same files.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from assistant.config import Settings


def ingest_paths(knowledge_dir: Path, shared: Path | None, quick: bool) -> list[Path]:
    """knowledge/ (about 50 chunks) for --quick; plus one real report (about 150 chunks) for the full run.

    Every chunk is embedded four or five times here (raw before and after, the pipeline's batches in the full
    run, pipeline, naive) at roughly 7-10 chunks/s on 2 cores, so this stays small; throughput does not depend
    on corpus size.
    """
    paths = [knowledge_dir]
    if shared is not None and not quick:
        reports = sorted((shared / "corpus" / "gov-work-reports").glob("gwr_*.txt"))
        paths.extend(reports[-1:])
    return paths


def _raw_limit(embedder, texts: list[str]) -> float:  # noqa: ANN001 - Embedder
    start = time.perf_counter()
    embedder.encode(texts)
    return time.perf_counter() - start


def _raw_pipeline_batches(embedder, texts: list[str]) -> float:  # noqa: ANN001 - Embedder
    """Encode the way sync_paths calls the encoder: consecutive windows of ENCODE_WINDOW_BATCHES batches over
    all chunks in document order (length sorting works only within a window)."""
    from assistant.index.sync import ENCODE_WINDOW_BATCHES

    window = max(1, embedder.batch_size) * ENCODE_WINDOW_BATCHES
    start = time.perf_counter()
    for s in range(0, len(texts), window):
        embedder.encode(texts[s:s + window])
    return time.perf_counter() - start


def _chunk_texts(paths: list[Path], max_bytes: int) -> list[list[str]]:
    """The chunk texts the pipeline embeds, grouped per document in its order."""
    from assistant.ingest.loader import load_paths
    from assistant.ingest.splitter import split_document

    docs = load_paths(paths, max_bytes=max_bytes).documents
    return [[c.text for c in split_document(d)] for d in docs]


def _naive_ingest(paths: list[Path], embedder, folder: Path) -> dict[str, Any]:  # noqa: ANN001
    """What a user would otherwise write: read files, split by characters, Chroma.from_texts."""
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    files = [f for p in paths for f in (sorted(p.rglob("*")) if p.is_dir() else [p])
             if f.is_file() and f.suffix in (".md", ".txt") and f.stem.lower() != "readme"]
    splitter = RecursiveCharacterTextSplitter(chunk_size=300, chunk_overlap=50)
    texts, metas = [], []
    for f in files:
        for piece in splitter.split_text(f.read_text(encoding="utf-8")):
            texts.append(piece)
            metas.append({"source": f.name})
    Chroma.from_texts(texts, embedder, metadatas=metas, collection_name="naive_ingest",
                      persist_directory=str(folder),
                      client_settings=ChromaSettings(anonymized_telemetry=False, is_persistent=True,
                                                     persist_directory=str(folder)))
    seconds = time.perf_counter() - start
    return {"chunks": len(texts), "seconds": round(seconds, 2), "chunks_per_s": round(len(texts) / seconds, 2)}


def run(settings: Settings, embedder, paths: list[Path], pipeline_batches: bool = True) -> dict[str, Any]:  # noqa: ANN001
    """Fresh store under settings.data_dir; returns throughput numbers and leaves that data dir indexed."""
    from chromadb.api.client import SharedSystemClient

    from assistant.index.store import open_store
    from assistant.index.sync import sync_paths

    max_bytes = int(settings.max_upload_mb * 1024 * 1024)
    SharedSystemClient.clear_system_cache()
    shutil.rmtree(settings.data_dir, ignore_errors=True)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    embedder.encode(["预热"])  # model loaded before either timing
    texts = [t for doc in _chunk_texts(paths, max_bytes) for t in doc]
    n_raw = len(texts)
    raw_runs = [_raw_limit(embedder, texts)]
    batches_s = _raw_pipeline_batches(embedder, texts) if pipeline_batches else None

    store = open_store(settings, embedder.model_id, embedder.dimension, reset=True)
    start = time.perf_counter()
    report = sync_paths(paths, store, embedder, max_bytes=max_bytes, progress=lambda done, total: None)
    pipeline_s = time.perf_counter() - start
    raw_runs.append(_raw_limit(embedder, texts))  # before and after, so drift on a shared machine hits both
    raw_s = sum(raw_runs) / len(raw_runs)
    chunks = report.chunks_added
    if chunks != n_raw:
        raise RuntimeError(f"pipeline indexed {chunks} chunks but the splitter gives {n_raw}")
    naive = _naive_ingest(paths, embedder, settings.data_dir.parent / "naive-ingest")
    ingest_cps = chunks / pipeline_s
    raw_cps = n_raw / raw_s
    return {
        "files": len(report.read), "chunks": chunks, "batch_size": embedder.batch_size,
        "pipeline_s": round(pipeline_s, 2), "raw_encode_s": round(raw_s, 2),
        "raw_encode_runs_s": [round(r, 2) for r in raw_runs],
        "ingest_chunks_per_s": round(ingest_cps, 2), "raw_encode_chunks_per_s": round(raw_cps, 2),
        "ingest_vs_raw": round(ingest_cps / raw_cps, 3),
        "overhead_s": round(pipeline_s - raw_s, 2),
        "raw_pipeline_batches_s": round(batches_s, 2) if batches_s else None,
        "raw_pipeline_batches_chunks_per_s": round(n_raw / batches_s, 2) if batches_s else None,
        "ingest_vs_pipeline_batches": round(batches_s / pipeline_s, 3) if batches_s else None,
        "mean_chunk_chars": round(sum(map(len, texts)) / max(n_raw, 1)),
        "naive_ingest_chunks": naive["chunks"], "naive_ingest_s": naive["seconds"],
        "naive_ingest_chunks_per_s": naive["chunks_per_s"],
    }
