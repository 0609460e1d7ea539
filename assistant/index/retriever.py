"""Hybrid retrieval: meaning first (a chunk's vector and its best piece's), shared wording as a bounded bonus.

The dense score of a chunk is the mean of its own cosine and its best piece's (a sentence, index/pieces.py):
a request names one thing a paragraph did, and the whole paragraph's vector averages that thing away. The
lexical bonus is `LEXICAL_WEIGHT` times the chunk's coverage of the query's bigrams, weighted by rarity
(lexical.LexicalIndex.coverage): exact wording counts when the query and a chunk share much, and a single
chance bigram earns little. Dividing BM25 by the best candidate's score (the former bonus) gave the full bonus
to whichever chunk shared most, however little that was, and rank fusion lets a weak lexical ranking outvote
a good dense one (docs/MODELS.md). The query is searched without its request words (query_text.py). Weights
measured on the tuning sets in bench/retrieval_data and tests/data (docs/EMBEDDING.md).

Preferences re-rank, they never filter, and they never hide: a chunk of an example of the user's kind of unit
(facts.unit_type tags shared with `org_type`) gains up to `TYPE_BOOST`, one of the user's own examples
(origin "user") `USER_BOOST`, but the best k-1 chunks without preferences always stay among the k returned;
a preferred chunk may take the last place only. The preferred chunks are searched as a pool of their own as
well, so a fitting one is never missed for lying outside the global top.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from assistant.index.embedder import Embedder
from assistant.index.lexical import LexicalIndex, best_of
from assistant.index.query_text import search_text
from assistant.index.store import ChunkStore, piece_id
from assistant.lru import BoundedCache
from assistant.schema import Role, SearchHit

Mode = Literal["hybrid", "dense", "lexical"]
CHUNK_SHARE = 0.5  # of the dense score; the best piece's cosine has the rest
LEXICAL_WEIGHT = 0.4  # times the coverage in [0, 1]
TYPE_BOOST = 0.02  # all of the user's unit-type tags shared; a share of them earns that share
USER_BOOST = 0.02  # the user's own examples (uploads, or their own files in knowledge/) over the shipped ones
PIECE_FANOUT = 3  # pieces fetched per chunk wanted: a chunk has about three, and the best few share chunks
PIECE_CACHE = 20_000  # chunks whose piece vectors are kept between queries (about 6 KB each)
# A store of at most this many pieces keeps them all in memory (2 KB each) and searches them exactly; a larger
# one asks Chroma for the nearest pieces and fetches the candidates' pieces (kept in PIECE_CACHE).
PIECE_EXACT_LIMIT = 20_000
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
class _Pieces:
    """All live pieces in memory: their vectors, in chunk order, and each chunk's slice of them."""

    matrix: np.ndarray  # (pieces, dim)
    owner: np.ndarray  # the chunk position of each row
    start: np.ndarray  # first row of each chunk position (its count in the chunk's metadata)


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
    pieces: _Pieces | None = None  # every live piece, when there are at most PIECE_EXACT_LIMIT

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
        self._piece_cache: BoundedCache[str, np.ndarray] = BoundedCache(max_size=PIECE_CACHE)  # ids name a version
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
            self._snap.pieces = self._load_pieces(self._snap)
            # Every section's retrieval filters by role: fetch those vectors now, not on a user's first draft.
            for role, mask in self._snap.role_masks.items():
                if 0 < int(mask.sum()) <= EXACT_LIMIT:
                    self._filtered_vectors(self._snap, mask, _where(role, None))
            return self._snap

    def _load_pieces(self, snap: _Snapshot) -> _Pieces | None:
        """Every live piece's vector, when they are few enough to keep (None otherwise)."""
        counts = np.array([int(m.get("pieces", 0) or 0) for m in snap.metas], dtype=np.int64)
        if not 0 < int(counts.sum()) <= PIECE_EXACT_LIMIT:  # none to keep, or too many
            return None
        ids = [piece_id(cid, j) for cid, n in zip(snap.ids, counts.tolist(), strict=True) for j in range(n)]
        found: dict[str, Any] = {}
        for start in range(0, len(ids), 5000):
            found.update(self.store.piece_embeddings(ids[start : start + 5000]))
        if len(found) != len(ids):  # a version being replaced right now: search pieces through Chroma
            return None
        matrix = np.asarray([found[i] for i in ids], dtype=np.float32).reshape(len(ids), -1)
        return _Pieces(matrix, np.repeat(np.arange(len(snap.ids)), counts),
                       np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64))

    # --- search ---------------------------------------------------------------------------------------
    def search(self, query: str, k: int = 3, *, role: Role | None = None, doc: str | None = None,
               mode: Mode = "hybrid", org_type: Sequence[str] | None = None,
               prefer_user: bool = False) -> list[SearchHit]:
        """Best k live chunks for the query; scores are comparable within one call.

        `org_type`: the user's unit-type tags (facts.unit_type.unit_type_of); `prefer_user`: rank the user's
        own examples first among near-equals. Both re-rank, neither filters, and neither pushes out the best
        k-1 chunks found without them.
        """
        snap = self.refresh()
        if not snap.ids or not query.strip():
            return []
        text = search_text(query)
        pool = max(4 * k, 20)
        mask = snap.mask(role, doc)
        boost, preferred = _preferences(snap, org_type, prefer_user)
        pools = [(mask, _where(role, doc))]
        for pref in preferred:
            narrowed = pref if mask is None else pref & mask
            if narrowed.any():
                pools.append((narrowed, _where(role, doc, sorted(set(snap.docs[pref].tolist())))))
        if mode == "lexical":
            scores: dict[str, float] = {}
            for m, _ in pools:
                scores.update({snap.ids[i]: s for i, s in snap.lexical.top(text, pool, m)})
        else:
            scores = self._meaning(snap, text, pool, pools, hybrid=mode == "hybrid")
        plain = sorted(scores.items(), key=lambda kv: -kv[1])
        if boost is None:
            best = plain[:k]
        else:
            boosted = {cid: s + float(boost[snap.position[cid]]) for cid, s in scores.items()}
            kept = {cid for cid, _ in plain[: k - 1]}
            rest = sorted((cid for cid in boosted if cid not in kept), key=lambda cid: -boosted[cid])
            chosen = [*kept, *rest[: k - len(kept)]]
            best = sorted(((cid, boosted[cid]) for cid in chosen), key=lambda kv: -kv[1])
        out: list[SearchHit] = []
        for cid, score in best:
            i = snap.position[cid]
            m = snap.metas[i]
            out.append(SearchHit(text=snap.texts[i], doc=str(m.get("doc", "")), heading=str(m.get("heading", "")),
                                 role=str(m.get("role", "")), score=float(score), chunk_id=cid))
        return out

    def _meaning(self, snap: _Snapshot, text: str, pool: int,
                 pools: list[tuple[np.ndarray | None, dict[str, Any] | None]], *, hybrid: bool) -> dict[str, float]:
        """Dense (and, when hybrid, lexical) score of every candidate chunk of the pools.

        Candidates are the best chunks by their own vector, the chunks of the best pieces and, when hybrid,
        the chunks covering most of the query's bigrams; each is then scored exactly.
        """
        q = np.asarray(self.embedder.embed_query(text), dtype=np.float32)
        qvec = q.tolist()
        own: dict[str, float] = {}
        candidates: set[str] = set()
        for m, where in pools:
            own.update(self._dense(snap, qvec, pool, m, where))
            candidates.update(self._piece_hits(snap, qvec, pool, m))
        coverage = snap.lexical.coverage(text) if hybrid else None
        if coverage is not None:
            for m, _ in pools:
                candidates.update(snap.ids[i] for i, _ in best_of(coverage, pool, m))
        candidates.update(own)
        missing = [cid for cid in candidates if cid not in own]
        for cid, vec in self.store.embeddings(missing).items():
            own[cid] = float(np.dot(q, np.asarray(vec, dtype=np.float32)))
        pieces = self._pieces_of(snap, [cid for cid in candidates if cid in own])
        scores: dict[str, float] = {}
        for cid in candidates:
            if cid not in own:  # deleted since the snapshot was taken
                continue
            mat = pieces.get(cid)
            best_piece = float(np.max(mat @ q)) if mat is not None and mat.size else own[cid]
            score = CHUNK_SHARE * own[cid] + (1 - CHUNK_SHARE) * best_piece
            if coverage is not None:
                score += self.lexical_weight * float(coverage[snap.position[cid]])
            scores[cid] = score
        return scores

    def _piece_hits(self, snap: _Snapshot, qvec: list[float], pool: int, mask: np.ndarray | None) -> set[str]:
        """Live chunks (within the filters) of the pieces nearest the query: about `pool` of them.

        Only candidates: `_dense` already finds the filtered top by the chunks' own vectors exactly. A filter
        is served by fetching unfiltered neighbours in proportion to its rarity (up to MAX_OVERFETCH) and
        filtering here; Chroma's own filtered search is never needed (it is slow on large stores).
        """
        if snap.pieces is not None:
            sims = snap.pieces.matrix @ np.asarray(qvec, dtype=np.float32)
            best = np.full(len(snap.ids), -np.inf, dtype=np.float32)
            np.maximum.at(best, snap.pieces.owner, sims)
            if mask is not None:
                best[~mask] = -np.inf
            n = min(pool, best.size)
            top = np.argpartition(-best, n - 1)[:n] if n < best.size else np.arange(best.size)
            return {snap.ids[i] for i in top if np.isfinite(best[i])}
        want = pool * PIECE_FANOUT
        if mask is not None:
            passing = int(mask.sum())
            if passing == 0:
                return set()
            want = max(want, min(MAX_OVERFETCH, int(want * len(snap.ids) / passing * 1.5) + 10))
        return {cid for cid, _ in self.store.query_pieces(qvec, want, None)
                if cid in snap.position and (mask is None or mask[snap.position[cid]])}

    def _pieces_of(self, snap: _Snapshot, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The piece vectors (one row each) of these chunks, from the cache or the store."""
        out: dict[str, np.ndarray] = {}
        wanted: list[str] = []
        for cid in ids:
            i = snap.position[cid]
            n = int(snap.metas[i].get("pieces", 0) or 0)
            if n == 0:
                continue
            if snap.pieces is not None:
                start = int(snap.pieces.start[i])
                out[cid] = snap.pieces.matrix[start : start + n]
                continue
            cached = self._piece_cache.get(cid)
            if cached is not None:
                out[cid] = cached
            else:
                wanted.extend(piece_id(cid, j) for j in range(n))
        if wanted:
            got = self.store.piece_embeddings(wanted)
            rows: dict[str, list[Any]] = {}
            for pid in wanted:
                if pid in got:
                    rows.setdefault(pid.rsplit("~", 1)[0], []).append(got[pid])
            for cid, vecs in rows.items():
                mat = np.asarray(vecs, dtype=np.float32).reshape(len(vecs), -1)
                self._piece_cache.put(cid, mat)
                out[cid] = mat
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
