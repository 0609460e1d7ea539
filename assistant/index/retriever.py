"""Hybrid retrieval: dense (Chroma) led, lexical (bigram BM25) as a bounded bonus.

Rank fusion of the two (RRF) lets a weak lexical ranking outvote a good dense one on reworded requests,
which is how users write (docs/MODELS.md: measured worse than dense alone). Here the dense cosine stays the
base of the score and the lexical score, normalised to [0, 1] over the candidates, adds at most
`lexical_weight`, so exact wording can break near-ties without overturning meaning. Measured on the
labelled set in tests/test_retrieval_eval.py.

Preferences re-rank, they never filter: a chunk of an example of the user's kind of unit (facts.unit_type tags
shared with `org_type`) gains up to `TYPE_BOOST`, one of the user's own examples (origin "user") `USER_BOOST`.
The preferred chunks are searched as a pool of their own as well, so a fitting one is never missed for lying
outside the global top; an example of another kind still wins when it fits the request clearly better
(measured on bench/retrieval_data/paraphrases.jsonl by bench.house_style).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from assistant.index.embedder import Embedder
from assistant.index.lexical import LexicalIndex
from assistant.index.store import ChunkStore
from assistant.schema import Role, SearchHit

Mode = Literal["hybrid", "dense", "lexical"]
LEXICAL_WEIGHT = 0.15
TYPE_BOOST = 0.06  # all of the user's unit-type tags shared; a share of them earns that share
USER_BOOST = 0.05  # the user's own examples (uploads, or their own files in knowledge/) over the shipped ones
USER_ORIGIN = "user"
REFRESH_SECONDS = 5.0
# Filtered queries (a role or a document): Chroma's own filtered search cost 75-500 ms at 100k chunks (it builds
# the allowed-id set from its metadata tables) against 2 ms unfiltered. A filter passing at most EXACT_LIMIT
# chunks is searched exactly here, over their vectors fetched once per snapshot (at most EXACT_LIMIT x 2 KB per
# cached filter); a wider one (成绩 is about two thirds of all chunks) asks Chroma for enough unfiltered
# neighbours that the filtered top is among them, up to MAX_OVERFETCH, and only then lets Chroma filter.
EXACT_LIMIT = 20_000
MAX_OVERFETCH = 3000
FILTER_CACHE = 24  # the five roles, kept from the start, and document / unit-type / own-example filters


@dataclass
class _Snapshot:
    """The live chunks at one moment: ids, metadata and the lexical index over their texts."""

    signature: tuple[tuple[str, str], ...]
    ids: list[str]
    texts: list[str]
    metas: list[dict[str, Any]]
    position: dict[str, int]
    docs: np.ndarray
    lexical: LexicalIndex
    role_masks: dict[str, np.ndarray]
    tag_masks: dict[str, np.ndarray] = field(default_factory=dict)  # unit-type tag → chunks of examples with it
    user_mask: np.ndarray | None = None  # chunks of the user's own examples
    filtered: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # filter → (positions, vectors)

    def mask(self, role: str | None, doc: str | None) -> np.ndarray | None:
        """Which positions pass the filters (None: no filter)."""
        if not role and not doc:
            return None
        mask = np.ones(len(self.ids), dtype=bool)
        if role:
            mask = mask & self.role_masks.get(role, np.zeros(len(self.ids), dtype=bool))
        if doc:
            mask = mask & (self.docs == doc)
        return mask


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
            roles = np.array([m.get("role", "") for m in metas], dtype=object)
            tags = [set(str(m.get("org_type", "")).split("、")) - {""} for m in metas]
            self._snap = _Snapshot(
                signature=sig, ids=ids, texts=texts, metas=metas,
                position={cid: i for i, cid in enumerate(ids)},
                docs=np.array([m.get("doc", "") for m in metas], dtype=object),
                lexical=LexicalIndex(texts),
                role_masks={str(r): roles == r for r in set(roles.tolist())},
                tag_masks={tag: np.array([tag in s for s in tags], dtype=bool) for tag in set().union(*tags)},
                user_mask=np.array([m.get("origin") == USER_ORIGIN for m in metas], dtype=bool),
            )
            # Every section's retrieval filters by role: fetch those vectors now, not on a user's first draft.
            for role, mask in self._snap.role_masks.items():
                if 0 < int(mask.sum()) <= EXACT_LIMIT:
                    self._filtered_vectors(self._snap, mask, _where(role, None))
            return self._snap

    # --- search ---------------------------------------------------------------------------------------
    def search(self, query: str, k: int = 3, *, role: Role | None = None, doc: str | None = None,
               mode: Mode = "hybrid", org_type: Sequence[str] | None = None,
               prefer_user: bool = False) -> list[SearchHit]:
        """Best k live chunks for the query; scores are comparable within one call.

        `org_type`: the user's unit-type tags (facts.unit_type.unit_type_of); `prefer_user`: rank the user's
        own examples first among near-equals. Both re-rank, neither filters.
        """
        snap = self.refresh()
        if not snap.ids or not query.strip():
            return []
        pool = max(4 * k, 20)
        scores: dict[str, float] = {}
        dense: dict[str, float] = {}
        lexical: dict[str, float] = {}
        mask = snap.mask(role, doc)
        boost, preferred = _preferences(snap, org_type, prefer_user)
        pools = [(mask, _where(role, doc))]
        for pref in preferred:
            narrowed = pref if mask is None else pref & mask
            if narrowed.any():
                pools.append((narrowed, _where(role, doc, sorted(set(snap.docs[pref].tolist())))))
        if mode in ("hybrid", "dense"):
            qvec = self.embedder.embed_query(query)
            for m, where in pools:
                dense.update(self._dense(snap, qvec, pool, m, where))
        if mode in ("hybrid", "lexical"):
            for m, _ in pools:
                lexical.update({snap.ids[i]: s for i, s in snap.lexical.top(query, pool, m)})
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
        if boost is not None:
            scores = {cid: s + float(boost[snap.position[cid]]) for cid, s in scores.items()}
        best = sorted(scores.items(), key=lambda kv: -kv[1])[:k]
        out: list[SearchHit] = []
        for cid, score in best:
            i = snap.position[cid]
            m = snap.metas[i]
            out.append(SearchHit(text=snap.texts[i], doc=str(m.get("doc", "")), heading=str(m.get("heading", "")),
                                 role=str(m.get("role", "")), score=float(score), chunk_id=cid))
        return out

    def _dense(self, snap: _Snapshot, qvec: list[float], pool: int, mask: np.ndarray | None,
               where: dict[str, Any] | None) -> dict[str, float]:
        """Best `pool` live chunks by cosine, within the filters.

        With a filter, unfiltered neighbours are fetched in proportion to how rare the filter is and filtered
        here; when at least `pool` pass, they are exactly the filtered top (every better one would be among
        them). Otherwise — or when the filter is too rare for that — Chroma filters itself.
        """
        def live(pairs: list[tuple[str, float]]) -> dict[str, float]:
            # A replaced version still being cleaned up is not in the snapshot, nor is a filtered-out chunk.
            return {cid: sim for cid, sim in pairs
                    if cid in snap.position and (mask is None or mask[snap.position[cid]])}

        if mask is None:
            return live(self.store.query(qvec, pool, None))
        passing = int(mask.sum())
        if passing == 0:
            return {}
        if passing <= EXACT_LIMIT:
            return self._exact(snap, qvec, pool, mask, where)
        total = len(snap.ids)
        want = min(total, int(pool * total / passing * 1.5) + 10)
        while want <= MAX_OVERFETCH:
            found = live(self.store.query(qvec, want, None))
            if len(found) >= min(pool, passing) or want >= total:
                return dict(sorted(found.items(), key=lambda kv: -kv[1])[:pool])
            want = min(total, want * 4)  # the neighbourhood of this query holds few of them: look wider
        return live(self.store.query(qvec, pool, where))

    def _exact(self, snap: _Snapshot, qvec: list[float], pool: int, mask: np.ndarray,
               where: dict[str, Any] | None) -> dict[str, float]:
        """Exact cosine top `pool` over the chunks passing the filter (their vectors cached per snapshot)."""
        positions, matrix = self._filtered_vectors(snap, mask, where)
        if positions.size == 0:
            return {}
        sims = matrix @ np.asarray(qvec, dtype=np.float32)
        n = min(pool, sims.size)
        top = np.argpartition(-sims, n - 1)[:n] if n < sims.size else np.arange(sims.size)
        return {snap.ids[positions[i]]: float(sims[i]) for i in top}

    def _filtered_vectors(self, snap: _Snapshot, mask: np.ndarray,
                          where: dict[str, Any] | None) -> tuple[np.ndarray, np.ndarray]:
        """(positions, vectors) of the chunks passing a filter, fetched from the store once per snapshot."""
        key = repr(where)
        cached = snap.filtered.get(key)
        if cached is None:
            positions = np.flatnonzero(mask)
            ids = [snap.ids[i] for i in positions]
            found: dict[str, Any] = {}
            for start in range(0, len(ids), 5000):
                found.update(self.store.embeddings(ids[start : start + 5000]))
            keep = [i for i, cid in zip(positions, ids, strict=True) if cid in found]
            matrix = np.asarray([found[snap.ids[i]] for i in keep], dtype=np.float32).reshape(len(keep), -1)
            cached = (np.asarray(keep, dtype=np.int64), matrix)
            if len(snap.filtered) >= FILTER_CACHE:
                snap.filtered.pop(next(iter(snap.filtered)))
            snap.filtered[key] = cached
        return cached

    def documents(self) -> list[dict[str, Any]]:
        """Indexed documents with their chunk counts, unit-type tags and origin, for the knowledge panel and CLI."""
        return [{"doc": e.doc, "title": e.title, "path": e.path, "chunks": e.count, "org_type": e.org_type,
                 "origin": e.origin}
                for e in sorted(self.store.manifest().values(), key=lambda e: e.doc)]


def _preferences(snap: _Snapshot, org_type: Sequence[str] | None, prefer_user: bool
                 ) -> tuple[np.ndarray | None, list[np.ndarray]]:
    """The score bonus of every position (None: no preference applies) and the preferred chunks' masks."""
    wanted = list(dict.fromkeys(t for t in (org_type or ()) if t))
    boost = np.zeros(len(snap.ids), dtype=np.float32)
    preferred: list[np.ndarray] = []
    if wanted:
        shared = sum((snap.tag_masks[t].astype(np.float32) for t in wanted if t in snap.tag_masks),
                     np.zeros(len(snap.ids), dtype=np.float32))
        if shared.any():
            boost += TYPE_BOOST * shared / len(wanted)
            preferred.append(shared > 0)
    if prefer_user and snap.user_mask is not None and snap.user_mask.any():
        boost += USER_BOOST * snap.user_mask
        preferred.append(snap.user_mask)
    return (boost if preferred else None), preferred


def _where(role: str | None, doc: str | None, docs: Sequence[str] | None = None) -> dict[str, Any] | None:
    """Chroma's filter for a role, a document and (a preference pool) a set of documents."""
    clauses = [c for c in ({"role": role} if role else None, {"doc": doc} if doc else None,
                           {"doc": {"$in": list(docs)}} if docs else None) if c]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
