"""Worked examples for wording one fact, taken from the house: its own sentences nearest to the facts.

The embedded model words one fact per call; the worked examples it sees are what it imitates. Instead of fixed
shots, each theme's facts see two sentences of the house passages its results retrieved — the house's way of
stating such a result — masked (numbers, names and places become neutral slots, docs/GENRE.md §B.7) and paired
with the fact they state (the sentence's clauses that carry its figures), so the model learns "fact in, the
house's sentence out" and never sees another unit's specifics.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.check.masking import mask_example
from assistant.text.numbers import find_quantities
from assistant.text.sentences import split_sentences

SHOT_RANGE = (14, 70)  # characters: a sentence of a results paragraph, not a heading or a whole paragraph
_NUMBERED = re.compile(r"^[（(][一二三四五六七八九十]+[）)][^。]{0,14}。")


def _fact_of(sentence: str) -> str:
    """The clauses of a house sentence that carry its figures: the fact it states."""
    clauses = [c for c in re.split(r"[，；]", sentence.rstrip("。；")) if c.strip()]
    counted = [c for c in clauses if "〔数字〕" in c or find_quantities(c)]
    return "，".join(counted)


def _says_more(sentence: str, fact: str) -> bool:
    """The house sentence adds a clause of its own to the figures — how, or to what end ("把……送到职工心坎上")
    — in the genre's words: what a model can learn to add without adding a claim."""
    from assistant.check.sentences import words
    from assistant.check.vocabulary import general_words, unit_vocabulary

    vocab = unit_vocabulary("") | general_words()
    extra = [c for c in re.split(r"[，；]", sentence.rstrip("。；")) if c.strip() and c not in fact and len(c) >= 4]
    return any(all(w in vocab for w, _ in words(c)) for c in extra)


def shots_from(passages: Sequence[str], limit: int = 1) -> list[tuple[str, str]]:
    """(fact, house sentence) pairs from these passages, masked, at most `limit`: first those whose sentence adds
    a clause of the genre's own words to its figures, then the others, each in the order found; a sentence that
    only restates its fact adds nothing to learn from and is skipped. One pair by default: each theme's pairs are
    evaluated afresh by the embedded model (about 2.5 s a pair on two cores), and on six tuning units the gate
    accepted 47 of 63 sentences with one pair, 49 with two, and a summary took 34 s instead of 39."""
    found: list[tuple[bool, tuple[str, str]]] = []
    for passage in passages:
        for sentence in split_sentences(_NUMBERED.sub("", passage.strip()), semicolon=False):
            if not SHOT_RANGE[0] <= len(sentence) <= SHOT_RANGE[1] or not find_quantities(sentence):
                continue
            masked = mask_example(sentence).masked.strip()
            fact = _fact_of(masked)
            if not fact or len(fact) >= len(masked.rstrip("。")) - 4 or any(s == masked for _, (_, s) in found):
                continue
            found.append((_says_more(masked, fact), (fact, masked)))
    found.sort(key=lambda item: not item[0])  # stable: the first found first among equals
    return [pair for _, pair in found[:limit]]
