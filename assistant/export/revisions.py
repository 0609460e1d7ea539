"""What changed between two versions of a summary, in pieces a reviewer can accept or reject one by one.

Word shows each w:ins / w:del as one revision, so the granularity is the whole point. A reviewer of a
Chinese summary thinks in paragraphs, sentences and words, never in characters, so the diff runs in three
steps, each on the layout blocks every exporter writes (`assemble.blocks`):

1. paragraphs are aligned (difflib on whole paragraphs; among the changed ones, a paragraph is paired with
   the most similar one of the same kind, in order; the rest are whole deleted or inserted paragraphs);
2. inside a paired paragraph, sentences are aligned the same way; a sentence with little in common with its
   counterpart becomes one deletion plus one insertion;
3. inside a paired sentence, words (jieba; numbers, 【待补充：…】 slots and Latin words kept whole) are
   diffed, and an equal run shorter than the changes on both sides is folded into them, so "培训12期，参训
   860人次" → "培训15期，参训900人次" reads as two small revisions, while a clause rewritten around a
   shared "的" stays one deletion and one insertion.

Pure Python, no python-docx: docx_export turns the result into w:ins / w:del runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from assistant.export.assemble import SLOT, Block, BlockKind, blocks
from assistant.schema import SummaryDocument
from assistant.text.sentences import sentence_spans

Change = Literal["same", "ins", "del"]

PARAGRAPH_PAIRING = 0.4  # a changed paragraph this similar (difflib ratio) to a new one is edited, not replaced
SENTENCE_PAIRING = 0.5  # a sentence less similar than this is rewritten: one deletion + one insertion
MAX_PAIRS = 250_000  # beyond this many candidate pairs (a huge rewrite), only pairs near the diagonal count
BAND = 50
_ATOMIC = re.compile(SLOT.pattern + r"|\d+(?:[.．]\d+)?%?|[A-Za-z]+(?:['’][A-Za-z]+)?|\s+")


@dataclass(frozen=True)
class Piece:
    """A run of text with one look (`kind`: the block kind whose font it takes) and one change."""

    text: str
    kind: BlockKind
    change: Change


@dataclass(frozen=True)
class RevisedParagraph:
    """One paragraph of the compared document.

    `block` gives the paragraph its formatting (the new block when the paragraph survives, the old one
    when it is deleted); `mark` is what happens to the paragraph itself: "ins" a new paragraph, "del" a
    removed one (its mark goes too, so accepting leaves no empty paragraph), "same" a kept one.
    """

    block: Block
    pieces: tuple[Piece, ...]
    mark: Change

    def accepted(self) -> str | None:
        """The paragraph's text once every change is accepted; None when the paragraph goes."""
        if self.mark == "del":
            return None
        return "".join(p.text for p in self.pieces if p.change != "del")

    def rejected(self) -> str | None:
        """The paragraph's text once every change is rejected; None when the paragraph goes."""
        if self.mark == "ins":
            return None
        return "".join(p.text for p in self.pieces if p.change != "ins")

    @property
    def changed(self) -> bool:
        return self.mark != "same" or any(p.change != "same" for p in self.pieces)


# ---- alignment ------------------------------------------------------------------------------------

Pair = tuple[int | None, int | None]


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _pair_changed(a: Sequence[str], b: Sequence[str], threshold: float,
                  compatible: Callable[[int, int], bool]) -> list[Pair]:
    """Order-keeping pairing of two runs of changed items that maximises the summed similarity (DP)."""
    n, m = len(a), len(b)
    banded = n * m > MAX_PAIRS
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    ratio: dict[tuple[int, int], float] = {}
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = max(score[i - 1][j], score[i][j - 1])
            if banded and abs(i * m / n - j) > BAND:
                score[i][j] = best
                continue
            if compatible(i - 1, j - 1):
                sm = SequenceMatcher(None, a[i - 1], b[j - 1], autojunk=False)
                if sm.real_quick_ratio() >= threshold and sm.quick_ratio() >= threshold:
                    r = sm.ratio()
                    if r >= threshold:
                        ratio[i - 1, j - 1] = r
                        best = max(best, score[i - 1][j - 1] + r)
            score[i][j] = best
    pairs: list[Pair] = []
    i, j = n, m
    while i > 0 and j > 0:
        r = ratio.get((i - 1, j - 1))
        if r is not None and score[i][j] == score[i - 1][j - 1] + r:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif score[i][j] == score[i - 1][j]:
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    pairs.extend((k, None) for k in range(i - 1, -1, -1))
    pairs.extend((None, k) for k in range(j - 1, -1, -1))
    pairs.reverse()
    return _deletions_first(pairs)


def _deletions_first(pairs: list[Pair]) -> list[Pair]:
    """Between two pairs, the old items go before the new ones (Word's order: deletion, then insertion)."""
    out: list[Pair] = []
    run: list[Pair] = []
    for pair in pairs:
        if pair[0] is not None and pair[1] is not None:
            out.extend(sorted(run, key=lambda p: p[0] is None))
            run = []
            out.append(pair)
        else:
            run.append(pair)
    out.extend(sorted(run, key=lambda p: p[0] is None))
    return out


def align(a: Sequence[str], b: Sequence[str], threshold: float,
          compatible: Callable[[int, int], bool] = lambda i, j: True) -> list[Pair]:
    """Every item of `a` and `b` once, in order: (i, j) kept or edited, (i, None) deleted, (None, j) inserted."""
    out: list[Pair] = []
    matcher = SequenceMatcher(None, list(a), list(b), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        sub = _pair_changed(a[i1:i2], b[j1:j2], threshold,
                            lambda i, j, i1=i1, j1=j1: compatible(i + i1, j + j1))
        out.extend((None if i is None else i + i1, None if j is None else j + j1) for i, j in sub)
    return out


# ---- inside a paragraph ---------------------------------------------------------------------------

Span = tuple[int, int]
Edit = tuple[bool, Span, Span]  # (equal?, span in the old text, span in the new text)


def sentences(text: str) -> list[Span]:
    """Spans of the sentences of `text`, each with its closing punctuation; they cover the text exactly."""
    return sentence_spans(text) or [(0, len(text))]


@lru_cache(maxsize=1)
def _jieba():  # noqa: ANN202 - the jieba module
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(text: str) -> list[str]:
    """Tokens a reviewer would accept or reject: jieba words; numbers, slots and Latin words whole."""
    out: list[str] = []
    pos = 0
    for m in _ATOMIC.finditer(text):
        if m.start() > pos:
            out.extend(_jieba().lcut(text[pos:m.start()], HMM=False))
        out.append(m.group(0))
        pos = m.end()
    if pos < len(text):
        out.extend(_jieba().lcut(text[pos:], HMM=False))
    return [w for w in out if w]


def _offsets(tokens: list[str]) -> list[int]:
    out = [0]
    for t in tokens:
        out.append(out[-1] + len(t))
    return out


def _fold_short_equalities(edits: list[Edit]) -> list[Edit]:
    """Fold an equal run into the changes around it when it is shorter than both of them, then merge
    neighbouring changes (after diff-match-patch's semantic clean-up): one revision per rewritten phrase."""
    def size(e: Edit) -> int:
        return max(e[1][1] - e[1][0], e[2][1] - e[2][0])

    changed = True
    while changed:
        changed = False
        merged: list[Edit] = []
        for e in edits:
            if merged and not e[0] and not merged[-1][0]:
                prev = merged.pop()
                e = (False, (prev[1][0], e[1][1]), (prev[2][0], e[2][1]))
            merged.append(e)
        edits = merged
        for k in range(1, len(edits) - 1):
            eq, before, after = edits[k], edits[k - 1], edits[k + 1]
            if eq[0] and not before[0] and not after[0] and size(eq) < min(size(before), size(after)):
                edits[k] = (False, eq[1], eq[2])
                changed = True
                break
    return edits


def _word_edits(a: str, b: str, a0: int, b0: int) -> list[Edit]:
    ta, tb = words(a), words(b)
    oa, ob = _offsets(ta), _offsets(tb)
    edits: list[Edit] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        edits.append((tag == "equal", (a0 + oa[i1], a0 + oa[i2]), (b0 + ob[j1], b0 + ob[j2])))
    return _fold_short_equalities(edits)


def paragraph_edits(a: str, b: str) -> list[Edit]:
    """Sentence-aligned, then word-level edits turning `a` into `b`; equal runs and changes alternate."""
    sa, sb = sentences(a), sentences(b)
    edits: list[Edit] = []
    for i, j in align([a[s:e] for s, e in sa], [b[s:e] for s, e in sb], SENTENCE_PAIRING):
        if i is not None and j is not None:
            (s1, e1), (s2, e2) = sa[i], sb[j]
            if a[s1:e1] == b[s2:e2]:
                edits.append((True, (s1, e1), (s2, e2)))
            else:
                edits.extend(_word_edits(a[s1:e1], b[s2:e2], s1, s2))
        elif i is not None:
            at_b = edits[-1][2][1] if edits else 0
            edits.append((False, sa[i], (at_b, at_b)))
        elif j is not None:
            at_a = edits[-1][1][1] if edits else 0
            edits.append((False, (at_a, at_a), sb[j]))
    merged: list[Edit] = []
    for e in edits:
        if e[1][0] == e[1][1] and e[2][0] == e[2][1]:
            continue
        if merged and merged[-1][0] == e[0]:
            prev = merged.pop()
            e = (e[0], (prev[1][0], e[1][1]), (prev[2][0], e[2][1]))
        merged.append(e)
    return merged


# ---- whole document -------------------------------------------------------------------------------

def _pieces(block: Block, span: Span, change: Change) -> list[Piece]:
    """The part of `block`'s text in `span`, split where the heading's look gives way to run-in body text."""
    start, end = span
    cut = len(block.text)
    out = []
    if start < cut:
        out.append(Piece(block.full_text[start:min(end, cut)], block.kind, change))
    if end > cut:
        out.append(Piece(block.full_text[max(start, cut):end], "body" if block.run_in else block.kind, change))
    return [p for p in out if p.text]


def _whole(block: Block, change: Change) -> RevisedParagraph:
    return RevisedParagraph(block, tuple(_pieces(block, (0, len(block.full_text)), change)), change)


def _edited(old: Block, new: Block) -> RevisedParagraph:
    pieces: list[Piece] = []
    for equal, span_a, span_b in paragraph_edits(old.full_text, new.full_text):
        if equal:
            pieces.extend(_pieces(new, span_b, "same"))
        else:
            pieces.extend(_pieces(old, span_a, "del"))
            pieces.extend(_pieces(new, span_b, "ins"))
    return RevisedParagraph(new, tuple(pieces), "same")


def compare_blocks(before: Sequence[Block], after: Sequence[Block]) -> list[RevisedParagraph]:
    """The paragraphs of `after`, with what `before` had marked as deleted and what is new as inserted."""
    out: list[RevisedParagraph] = []
    pairs = align([b.full_text for b in before], [b.full_text for b in after], PARAGRAPH_PAIRING,
                  lambda i, j: before[i].kind == after[j].kind)
    for i, j in pairs:
        if i is not None and j is not None:
            old, new = before[i], after[j]
            out.append(_whole(new, "same") if old == new else _edited(old, new))
        elif i is not None:
            out.append(_whole(before[i], "del"))
        elif j is not None:
            out.append(_whole(after[j], "ins"))
    return _join_final_replacement(out)


def _join_final_replacement(out: list[RevisedParagraph]) -> list[RevisedParagraph]:
    """The document's final paragraph mark cannot be tracked, so when the last paragraphs are replaced
    (deleted ones, then inserted ones, nothing kept after them), the last deleted and the first inserted
    paragraph of the same kind become one edited paragraph: its mark is kept on both sides. Otherwise some
    mark would have to go both on accepting and on rejecting, which LibreOffice does not do."""
    k = len(out)
    while k > 0 and out[k - 1].mark != "same":
        k -= 1
    tail = out[k:]
    deleted = [i for i, p in enumerate(tail) if p.mark == "del"]
    inserted = [i for i, p in enumerate(tail) if p.mark == "ins"]
    if not deleted or not inserted:
        return out
    old, new = tail[deleted[-1]], tail[inserted[0]]
    if old.block.kind != new.block.kind:
        return out
    joined = RevisedParagraph(new.block, old.pieces + new.pieces, "same")
    return [*out[:k + deleted[-1]], joined, *out[k + inserted[0] + 1:]]


def compare(before: SummaryDocument, after: SummaryDocument) -> list[RevisedParagraph]:
    """`after` laid out as every exporter writes it, with the changes since `before` tracked."""
    return compare_blocks(blocks(before), blocks(after))


def count_changes(paragraphs: Sequence[RevisedParagraph]) -> int:
    """How many places changed: a deletion and the insertion right after it (a replacement) count once,
    as does a whole inserted or deleted paragraph."""
    total = 0
    for para in paragraphs:
        if para.mark != "same":
            total += 1
            continue
        last: Change = "same"
        for piece in para.pieces:
            if piece.change != "same" and last == "same":
                total += 1
            last = piece.change
    return total
