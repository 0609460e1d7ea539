"""A BM25 index over character bigrams, suited to Chinese without a word segmenter.

Built for 100k chunks: the corpus is folded (NFKC, lower case) and cut into tokens as numpy arrays of code
points — a CJK bigram or lone CJK character is an integer id computed from its characters, an ASCII word
gets an id from a small dictionary — so building is one sort of (token, chunk) pairs rather than a Python
Counter per chunk (measured 53.6 s → a few seconds at 100k). Postings are stored CSR-style (token → slice of
chunk positions with precomputed BM25 weights), so a query is one `bincount` over its tokens' postings.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_CJK = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in _CJK_RANGES) + "]+")
_WORD = re.compile(r"[a-z0-9]+")
_N_CJK = sum(b - a + 1 for a, b in _CJK_RANGES)
_LONE_BASE = _N_CJK * _N_CJK  # bigram ids are below this
_WORD_BASE = 1 << 30  # above every lone-character id; token ids stay below 2**31
_DOC_BITS = np.int64(32)


@functools.cache
def _tables() -> tuple[dict[int, str], np.ndarray, np.ndarray, re.Pattern[str]]:
    """Character-wise NFKC + lower case: the translate table, a one-to-one code point map, the dense CJK
    index of each code point (-1 elsewhere), and a pattern for characters that fold to several (rare: ①, ㈠)."""
    fold: dict[int, str] = {}
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        folded = unicodedata.normalize("NFKC", c).lower()
        if folded != c:
            fold[cp] = folded
    one_to_one = np.arange(0x110000, dtype=np.uint32)
    multi = []
    for cp, folded in fold.items():
        if len(folded) == 1:
            one_to_one[cp] = ord(folded)
        else:
            multi.append(chr(cp))
    dense = np.full(0x110000, -1, dtype=np.int64)
    offset = 0
    for a, b in _CJK_RANGES:
        dense[a : b + 1] = np.arange(offset, offset + b - a + 1)
        offset += b - a + 1
    expanding = re.compile("[" + re.escape("".join(multi)) + "]") if multi else re.compile(r"(?!x)x")
    return fold, one_to_one, dense, expanding


def fold(text: str) -> str:
    """The text as the index sees it: NFKC (character by character) and lower case."""
    return text.translate(_tables()[0])


def tokenize(text: str) -> list[str]:
    """Character bigrams of CJK runs (a lone character stands for itself) plus ASCII words."""
    norm = fold(text)
    tokens: list[str] = []
    for run in _CJK.findall(norm):
        if len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    tokens.extend(_WORD.findall(norm))
    return tokens


def _folded_codes(texts: Sequence[str]) -> tuple[np.ndarray, str, np.ndarray]:
    """Folded code points of the texts joined by "\\n" (never part of a token), that folded string, and
    the end offset of each text in it."""
    table, one_to_one, _, expanding = _tables()
    parts = [t.translate(table) if expanding.search(t) else t for t in texts]
    raw = np.frombuffer("\n".join(parts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes = one_to_one[raw]
    ends = np.cumsum([len(p) + 1 for p in parts], dtype=np.int64)
    return codes, codes.tobytes().decode("utf-32-le", "surrogatepass"), ends


def _cjk_tokens(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ids of the CJK tokens among folded code points, with the offset where each token starts."""
    dense = _tables()[2][codes]
    cjk = dense >= 0
    pair_at = np.flatnonzero(cjk[:-1] & cjk[1:])
    left = np.concatenate(([False], cjk[:-1]))
    right = np.concatenate((cjk[1:], [False]))
    lone_at = np.flatnonzero(cjk & ~left & ~right)
    ids = np.concatenate((dense[pair_at] * _N_CJK + dense[pair_at + 1], _LONE_BASE + dense[lone_at]))
    return ids, np.concatenate((pair_at, lone_at))


class LexicalIndex:
    """BM25 (k1=1.5, b=0.75) over `tokenize`; documents are addressed by position."""

    def __init__(self, texts: Sequence[str], k1: float = 1.5, b: float = 0.75) -> None:
        self.size = len(texts)
        self._words: dict[str, int] = {}
        codes, folded, ends = _folded_codes(texts)
        ids, at = _cjk_tokens(codes)
        word_ids: list[int] = []
        word_at: list[int] = []
        for m in _WORD.finditer(folded):
            word_ids.append(_WORD_BASE + self._words.setdefault(m.group(), len(self._words)))
            word_at.append(m.start())
        ids = np.concatenate((ids, np.asarray(word_ids, dtype=np.int64)))
        docs = np.searchsorted(ends, np.concatenate((at, np.asarray(word_at, dtype=np.int64))), side="right")

        lengths = np.bincount(docs, minlength=self.size).astype(np.float32)
        avg = float(lengths.mean()) if self.size else 1.0
        norm_len = k1 * (1 - b + b * lengths / max(avg, 1e-9))
        # (token, chunk) pairs with their term frequency, sorted by token then chunk: one sort.
        pairs, tf = np.unique((ids << _DOC_BITS) | docs, return_counts=True)
        pair_token = pairs >> _DOC_BITS
        self._docs = pairs & ((1 << 32) - 1)
        first = np.flatnonzero(np.concatenate(([True], pair_token[1:] != pair_token[:-1]))) if pairs.size else pairs
        self._vocab = pair_token[first]
        self._starts = np.append(first, pairs.size)
        df = np.diff(self._starts)
        idf = np.log1p((self.size - df + 0.5) / (df + 0.5)).astype(np.float32)
        self._idf = idf
        self._unseen_idf = float(np.log1p((self.size + 0.5) / 0.5))  # a token no chunk has: the rarest
        tf = tf.astype(np.float32)
        self._weights = tf * (k1 + 1) / (tf + norm_len[self._docs]) * np.repeat(idf, df)

    def _query_tokens(self, query: str) -> np.ndarray:
        """Vocabulary positions of the query's distinct tokens (unknown tokens dropped)."""
        return self._query_vocab(query)[0]

    def _query_vocab(self, query: str) -> tuple[np.ndarray, int]:
        """Vocabulary positions of the query's distinct known tokens, and how many distinct tokens it has."""
        codes, folded, _ = _folded_codes([query])
        ids, _ = _cjk_tokens(codes)
        found = set(_WORD.findall(folded))
        words = [_WORD_BASE + self._words[w] for w in found if w in self._words]
        keys = np.unique(np.concatenate((ids, np.asarray(words, dtype=np.int64))))
        at = np.searchsorted(self._vocab, keys)
        inside = at < self._vocab.size
        at, keys = at[inside], keys[inside]
        return at[self._vocab[at] == keys], int(np.unique(ids).size) + len(found)

    def coverage(self, query: str) -> np.ndarray:
        """Per document, the idf-weighted share of the query's distinct tokens it contains, in [0, 1]."""
        tokens, distinct = self._query_vocab(query)
        if distinct == 0 or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        if tokens.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        idf = self._idf[tokens]
        total = float(idf.sum()) + (distinct - tokens.size) * self._unseen_idf
        spans = [slice(self._starts[t], self._starts[t + 1]) for t in tokens]
        docs = np.concatenate([self._docs[s] for s in spans])
        weights = np.repeat(idf, [s.stop - s.start for s in spans])
        return (np.bincount(docs, weights=weights, minlength=self.size) / total).astype(np.float32)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for the query."""
        tokens = self._query_tokens(query)
        if tokens.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        spans = [slice(self._starts[t], self._starts[t + 1]) for t in tokens]
        docs = np.concatenate([self._docs[s] for s in spans])
        weights = np.concatenate([self._weights[s] for s in spans])
        return np.bincount(docs, weights=weights, minlength=self.size).astype(np.float32)

    def top(self, query: str, n: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Best n (position, BM25 score) with score > 0, restricted to mask when given."""
        return best_of(self.scores(query), n, mask)


def best_of(scores: np.ndarray, n: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
    """Best n (position, score) with score > 0 of a score per document, restricted to mask when given."""
    s = np.where(mask, scores, 0.0) if mask is not None else scores
    n = min(n, s.size)
    if n <= 0:
        return []
    idx = np.argpartition(-s, n - 1)[:n] if n < s.size else np.arange(s.size)
    idx = idx[np.argsort(-s[idx])]
    return [(int(i), float(s[i])) for i in idx if s[i] > 0]
