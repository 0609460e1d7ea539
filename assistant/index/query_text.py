"""What a search request asks for, without the words of asking (帮我写一段关于……的范文, ……怎么写).

The request words carry no meaning of the passage wanted, but they pull a query's vector toward every
passage alike and add bigrams (一段, 关于) that match by chance. They are cut at the request's edges only —
inside a request a word like 参考 or 写 may be content — and the words live in data/request_words.txt.
"""

from __future__ import annotations

import functools
from importlib.resources import files

MIN_KEPT = 4  # characters a request keeps at least: "写法" alone is a request about writing
_EDGE_PUNCT = " \t\r\n，。？?！!：:；;、,.…~～\"'“”‘’"


@functools.cache
def request_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(lead words, tail words), longest first."""
    text = (files("assistant.index") / "data" / "request_words.txt").read_text(encoding="utf-8")
    lead: set[str] = set()
    tail: set[str] = set()
    for line in text.splitlines():
        kind, _, words = line.strip().partition(" ")
        if kind in ("lead", "tail"):
            (lead if kind == "lead" else tail).update(words.split())
    order = functools.partial(sorted, key=lambda w: (-len(w), w))
    return tuple(order(lead)), tuple(order(tail))


def search_text(query: str) -> str:
    """The query without request words at its edges (the query itself when too little would remain)."""
    lead, tail = request_words()
    text = query.strip(_EDGE_PUNCT)
    while True:
        before = text
        for word in lead:
            if text.startswith(word) and len(text) - len(word) >= MIN_KEPT:
                text = text[len(word):].strip(_EDGE_PUNCT)
                break
        for word in tail:
            if text.endswith(word) and len(text) - len(word) >= MIN_KEPT:
                text = text[: -len(word)].strip(_EDGE_PUNCT)
                break
        if text == before:
            return text if text else query.strip()
