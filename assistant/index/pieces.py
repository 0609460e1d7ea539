"""The pieces a chunk is also searched by: its sentences, each with a vector of its own.

A chunk of the examples often packs several results into one paragraph ("一是……；二是……；三是……"), and a
request names one of them. The chunk's own vector averages them all, so a request about one piece loses to a
short chunk about something near it. Each piece of a chunk of several pieces is embedded too and a chunk
scores by its own vector and its best piece (retriever.py); measured on the tuning sets in
bench/retrieval_data, docs/EMBEDDING.md. A chunk of one piece has no pieces: its own vector is that piece.
"""

from __future__ import annotations

import re

from assistant.text.sentences import split_sentences

_CJK = re.compile(r"[\u3400-\u9fff]")
MIN_PIECE_CHARS = 5  # a shorter piece ("其中：", "对此，") joins the next one: alone it means nothing


def chunk_pieces(text: str) -> list[str]:
    """The chunk's sentences, in order (empty when it has fewer than two)."""
    pieces: list[str] = []
    carry = ""
    for raw in split_sentences(text):  # 。！？ or a semicolon ("一是……；二是……"), closing quotes kept
        piece = (carry + raw).strip()
        if not piece:
            continue
        if len(piece) < MIN_PIECE_CHARS:
            carry = piece
            continue
        carry = ""
        pieces.append(piece)
    if carry:
        if pieces:
            pieces[-1] += carry
        else:
            pieces.append(carry)
    pieces = [p for p in pieces if len(_CJK.findall(p)) >= 2]
    return pieces if len(pieces) > 1 else []
