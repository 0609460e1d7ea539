"""The one sentence splitter: a text cut after each sentence end, in pieces that join back to the text.

A sentence ends with 。！？ (or !?), with `semicolon` also ；; (the check and the revision diff count a
clause of an 一是……；二是…… run as a sentence; the style statistics and the examples' splitter do not), with
`newline` also at a line end. With `quotes`, the closing quotes and brackets right after the end stay with
their sentence ("……活动。”"). The variants are parameters of this one function, not copies of it.
"""

from __future__ import annotations

import re
from functools import cache

_CLOSERS = "”’」』）)"


def end_marks(*, semicolon: bool = True, newline: bool = False) -> str:
    """The characters that end a sentence, for a regex character class."""
    return "。！？!?" + ("；;" if semicolon else "") + ("\n" if newline else "")


@cache
def _pattern(semicolon: bool, newline: bool, quotes: bool) -> re.Pattern[str]:
    ends = end_marks(semicolon=semicolon, newline=newline)
    closers = f"[{_CLOSERS}]*" if quotes else ""
    return re.compile(rf"[^{ends}]*(?:[{ends}]+{closers}|$)")


def sentence_spans(text: str, *, semicolon: bool = True, newline: bool = False, quotes: bool = True
                   ) -> list[tuple[int, int]]:
    """(start, end) of each sentence, its end marks included; the spans cover the text exactly."""
    pattern = _pattern(semicolon, newline, quotes)
    return [(m.start(), m.end()) for m in pattern.finditer(text or "") if m.end() > m.start()]


def split_sentences(text: str, *, semicolon: bool = True, newline: bool = False, quotes: bool = True) -> list[str]:
    """The sentences of a text as pieces that join back to it (blanks and all)."""
    return [text[s:e] for s, e in sentence_spans(text, semicolon=semicolon, newline=newline, quotes=quotes)]


def finished_sentences(text: str, *, semicolon: bool = True, newline: bool = False, quotes: bool = True
                       ) -> tuple[list[str], str]:
    """(the finished sentences, the unfinished rest) of a text that is still growing (a model's stream)."""
    pieces = split_sentences(text, semicolon=semicolon, newline=newline, quotes=quotes)
    ends = end_marks(semicolon=semicolon, newline=newline) + (_CLOSERS if quotes else "")
    if pieces and not pieces[-1].endswith(tuple(ends)):
        return pieces[:-1], pieces[-1]
    return pieces, ""


def split_clauses(text: str, *, stop: bool = False, maxsplit: int = 0) -> list[str]:
    """The clauses of a sentence, cut at commas and semicolons (with `stop` also at 。): the one cut the checks,
    the gate and the intake make when they read a sentence clause by clause. Empty pieces stay, as re.split leaves
    them."""
    return re.split("[，,；;。]" if stop else "[，,；;]", text, maxsplit=maxsplit)
