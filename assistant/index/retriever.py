"""Hybrid retrieval: dense (Chroma) led, lexical (bigram BM25) as a bounded bonus.

Rank fusion of the two (RRF) lets a weak lexical ranking outvote a good dense one on reworded requests,
which is how users write (MODELS.md measured it worse than dense alone). Here the dense cosine stays the
base of the score and the lexical score, normalised to [0, 1] over the candidates, adds at most
`lexical_weight`, so exact wording can break near-ties without overturning meaning. Measured on the
labelled set in tests/test_retrieval_eval.py.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from assistant.index.embedder import Embedder
from assistant.index.lexical import LexicalIndex
from assistant.index.store import ChunkStore
from assistant.schema import Role, SearchHit

Mode = Literal["hybrid", "dense", "lexical"]
LEXICAL_WEIGHT = 0.15
REFRESH_SECONDS = 5.0


@dataclass
class _Snapshot:
    """The live chunks at one moment: ids, metadata and the lexical index over their texts."""

    signature: tuple[tuple[str, str], ...]
    ids: list[str]
    texts: list[str]
    metas: list[dict[str, Any]]
    position: dict[str, int]
    roles: np.ndarray
    docs: np.ndarray
    lexical: LexicalIndex


class Retriever:
    """Search the store by meaning and wording, with role and document filters."""

    def __init__(self, store: ChunkStore, embedder: Embedder, lexical_weight: float = LEXICAL_WEIGHT) -> None:
        self.store = store
        self.embedder = embedder
        self.lexical_weight = lexical_weight
        self._snap: _Snapshot | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    # --- snapshot of live chunks ----------------------------------------------------------------------
    def _signature(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((d, e.doc_hash) for d, e in self.store.manifest().items()))

    def refresh(self, force: bool = False) -> _Snapshot:
        """Reload the lexical side when the manifest changed (checked at most every few seconds)."""
        with self._lock:
            now = time.monotonic()
            if self._snap is not None and not force and now - self._checked < REFRESH_SECONDS:
                return self._snap
            self._checked = now
            sig = self._signature()
            if self._snap is not None and self._snap.signature == sig:
                return self._snap
            live = dict(sig)
            rows = [r for r in self.store.all_chunks() if live.get(r[2].get("doc")) == r[2].get("doc_hash")]
            rows.sort(key=lambda r: (str(r[2].get("doc")), int(r[2].get("order", 0))))
            ids = [r[0] for r in rows]
            texts = [r[1] or "" for r in rows]
            metas = [r[2] for r in rows]
            self._snap = _Snapshot(
                signature=sig, ids=ids, texts=texts, metas=metas,
                position={cid: i for i, cid in enumerate(ids)},
                roles=np.array([m.get("role", "") for m in metas], dtype=object),
                docs=np.array([m.get("doc", "") for m in metas], dtype=object),
                lexical=LexicalIndex(texts),
            )
            return self._snap

    # --- search ---------------------------------------------------------------------------------------
    def search(self, query: str, k: int = 3, *, role: Role | None = None, doc: str | None = None,
               mode: Mode = "hybrid") -> list[SearchHit]:
        """Best k live chunks for the query; scores are comparable within one call."""
        snap = self.refresh()
        if not snap.ids or not query.strip():
            return []
        pool = max(4 * k, 20)
        scores: dict[str, float] = {}
        dense: dict[str, float] = {}
        lexical: dict[str, float] = {}
        if mode in ("hybrid", "dense"):
            qvec = self.embedder.embed_query(query)
            for cid, sim in self.store.query(qvec, pool, _where(role, doc)):
                if cid in snap.position:  # skip a replaced version still being cleaned up
                    dense[cid] = sim
        if mode in ("hybrid", "lexical"):
            mask = np.ones(len(snap.ids), dtype=bool)
            if role:
                mask &= snap.roles == role
            if doc:
                mask &= snap.docs == doc
            lexical = {snap.ids[i]: s for i, s in snap.lexical.top(query, pool, mask)}
        if mode == "dense":
            scores = dense
        elif mode == "lexical":
            scores = lexical
        else:
            missing = [cid for cid in lexical if cid not in dense]
            if missing:
                q = np.asarray(qvec, dtype=np.float32)
                for cid, vec in self.store.embeddings(missing).items():
                    dense[cid] = float(np.dot(q, np.asarray(vec, dtype=np.float32)))
            top_lex = max(lexical.values(), default=0.0) or 1.0
            for cid in set(dense) | set(lexical):
                scores[cid] = dense.get(cid, 0.0) + self.lexical_weight * lexical.get(cid, 0.0) / top_lex
        best = sorted(scores.items(), key=lambda kv: -kv[1])[:k]
        out: list[SearchHit] = []
        for cid, score in best:
            i = snap.position[cid]
            m = snap.metas[i]
            out.append(SearchHit(text=snap.texts[i], doc=str(m.get("doc", "")), heading=str(m.get("heading", "")),
                                 role=str(m.get("role", "")), score=float(score), chunk_id=cid))
        return out

    def documents(self) -> list[dict[str, Any]]:
        """Indexed documents with their chunk counts, for the knowledge panel and CLI."""
        return [{"doc": e.doc, "title": e.title, "path": e.path, "chunks": e.count}
                for e in sorted(self.store.manifest().values(), key=lambda e: e.doc)]


def _where(role: str | None, doc: str | None) -> dict[str, Any] | None:
    clauses = [c for c in ({"role": role} if role else None, {"doc": doc} if doc else None) if c]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
