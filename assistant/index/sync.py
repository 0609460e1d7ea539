"""Incremental ingest keyed by content hash: unchanged files embed nothing, changed ones are replaced,
deleted ones removed (only for folders that were ingested, so indexing one extra file removes nothing)."""

from __future__ import annotations

import hashlib
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.facts.unit_type import document_org_types, join_org_types
from assistant.index.embedder import Embedder
from assistant.index.pieces import chunk_pieces
from assistant.index.store import ChunkStore, ManifestEntry
from assistant.ingest.loader import load_paths
from assistant.ingest.splitter import split_document
from assistant.schema import Chunk, Document, IngestReport

log = logging.getLogger(__name__)

# Bump when splitting or metadata change, so every document is re-indexed once.
# 2: chunks and manifest entries carry org_type and origin.
# 3: each chunk of several sentences also has its pieces embedded (index/pieces.py).
INDEX_FORMAT = "3"
SEED_SOURCE_WORDS = ("seed", "种子")
PROJECT_SOURCE = "本项目编写的示例"
ENCODE_WINDOW_BATCHES = 8

ProgressFn = Callable[[int, int], None]


def example_origin(doc: Document) -> str:
    """Where an example comes from, by its header's `source`: "seed" (the seed page), "project" (written for
    this project) or "user" (anything else: the user's own files, uploaded or put into knowledge/)."""
    source = doc.meta.get("source", "")
    if any(w in source.lower() for w in SEED_SOURCE_WORDS):
        return "seed"
    if PROJECT_SOURCE in source:
        return "project"
    return "user"


def example_org_types(doc: Document) -> str:
    """The example's unit-type tags as stored: its header's org_type and what its unit name or title says."""
    return join_org_types(document_org_types(doc.org_type, doc.meta.get("unit"), doc.title))


def document_hash(doc: Document) -> str:
    h = hashlib.sha256()
    for part in (INDEX_FORMAT, doc.title, doc.org_type, doc.year, doc.meta.get("unit", ""),
                 doc.meta.get("source", ""), doc.text):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _under(path: str, roots: Sequence[Path]) -> bool:
    p = Path(path).resolve()
    return any(p == r or r in p.parents for r in roots)


def sync_paths(paths: Sequence[Path], store: ChunkStore, embedder: Embedder, *, max_bytes: int,
               progress: ProgressFn | None = None) -> IngestReport:
    """Bring the store in line with the files under `paths`."""
    result = load_paths(list(paths), max_bytes=max_bytes)
    report = IngestReport(skipped=list(result.skipped))
    manifest = store.manifest()
    pending: list[tuple[ManifestEntry, list[Chunk]]] = []
    seen: set[str] = set()
    for doc in result.documents:
        if doc.doc_id in seen:
            report.skipped.append((doc.path, f"与已读入的文件重名（{doc.doc_id}），已跳过"))
            continue
        seen.add(doc.doc_id)
        report.read.append(doc.path)
        doc_hash = document_hash(doc)
        current = manifest.get(doc.doc_id)
        if current and current.doc_hash == doc_hash and store.count_version(doc.doc_id, doc_hash) == current.count:
            if store.has_stale(doc.doc_id, doc_hash):  # a killed run left the old version behind
                store.drop_stale(doc.doc_id, doc_hash)
            report.unchanged.append(doc.doc_id)
            continue
        chunks = split_document(doc)
        if not chunks:
            report.skipped.append((doc.path, "没有可用的正文段落"))
            continue
        entry = ManifestEntry(doc.doc_id, doc_hash, len(chunks), str(Path(doc.path).resolve()), doc.title,
                              example_org_types(doc), example_origin(doc))
        pending.append((entry, chunks))

    # Every text to embed: each chunk, then its pieces; (document, chunk, piece or -1, text).
    flat = [(i, j, n, text) for i, (_, chunks) in enumerate(pending) for j, c in enumerate(chunks)
            for n, text in ((-1, c.text), *enumerate(chunk_pieces(c.text)))]
    left = [0] * len(pending)  # texts of each document still to embed
    for row in flat:
        left[row[0]] += 1
    total = len(flat)
    done = 0
    bar = _progress_bar(total) if progress is None else None
    # Texts are encoded across documents in windows of several batches: small files would otherwise make
    # small batches, and within a window sentence-transformers sorts by length so a batch pads little
    # (measured 5.7 → 11 chunks/s against one call per batch). Each document is written, whole, as soon as
    # its last vector is ready, so a kill loses at most the unwritten ones.
    vectors: list[list[list[float]]] = [[[] for _ in chunks] for _, chunks in pending]
    pieces: list[list[list[list[float]]]] = [[[] for _ in chunks] for _, chunks in pending]
    written = 0
    window = max(1, embedder.batch_size) * ENCODE_WINDOW_BATCHES
    for start in range(0, len(flat), window):
        part = flat[start : start + window]
        for (i, j, n, _), vec in zip(part, embedder.encode([row[3] for row in part]).tolist(), strict=True):
            if n < 0:
                vectors[i][j] = vec
            else:
                pieces[i][j].append(vec)
            left[i] -= 1
        done += len(part)
        if progress:
            progress(done, total)
        if bar is not None:
            bar.update(len(part))
        while written < len(pending) and left[written] == 0:
            entry, chunks = pending[written]
            old = manifest.get(entry.doc)
            store.replace_document(entry, chunks, vectors[written], pieces[written])
            vectors[written], pieces[written] = [], []
            report.updated.append(entry.doc)
            report.chunks_added += len(chunks)
            report.chunks_removed += old.count if old else 0
            written += 1
    if bar is not None:
        bar.close()

    roots = [Path(p).resolve() for p in paths if Path(p).is_dir()]
    for doc_id, entry in manifest.items():
        if doc_id not in seen and roots and _under(entry.path, roots):
            report.chunks_removed += store.remove_document(doc_id)
            report.removed.append(doc_id)
    return report


def _progress_bar(total: int):  # noqa: ANN202 - tqdm type is optional
    """A tqdm bar on a terminal; nothing when output is piped (CI, JSON)."""
    if total == 0 or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="段", desc="嵌入", file=sys.stderr)
