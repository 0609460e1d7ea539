"""How fluent the embedded model finds a short text after a context: its mean log-probability per token.

Used to rank headings that already passed the heading check (writing/headings.py): among candidates that say
the same thing, the one the model itself would most expect to read is the better Chinese. The context is
evaluated once (llama.cpp keeps it in its cache) and each candidate is scored in one batch, about 0.1 s per
candidate on two cores — so ranking ten headings costs what generating two would.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from assistant.errors import ModelUnavailable

log = logging.getLogger(__name__)


def _log_softmax(rows: np.ndarray) -> np.ndarray:
    top = rows.max(axis=-1, keepdims=True)
    shifted = rows - top
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def score_continuations(chat_model: Any, context: str, candidates: Sequence[str], end: str = "\n") -> list[float]:
    """Mean log-probability per token of each candidate (followed by `end`) after `context`; [] when the model
    cannot score (another backend, or an error: ranking then falls back to the house's own order)."""
    from assistant.llm.embedded import EmbeddedChatModel, _load

    if not isinstance(chat_model, EmbeddedChatModel) or not candidates:
        return []
    try:
        loaded = _load(chat_model.model_path, chat_model.n_threads, chat_model.n_ctx)
    except ModelUnavailable:
        return []
    with loaded.lock:
        llm = loaded.llama
        try:
            return _score(llm, context, candidates, end)
        except (RuntimeError, ValueError, IndexError) as exc:
            log.warning("scoring with the embedded model failed: %s", exc)
            llm.reset()
            return []


def _score(llm: Any, context: str, candidates: Sequence[str], end: str) -> list[float]:
    from assistant.llm.lookup import decode, prefill

    prefix = llm.tokenize(context.encode("utf-8"), add_bos=False, special=True)
    first = _log_softmax(prefill(llm, prefix)[None, :])[0]  # the context's cached part is not evaluated again
    base = llm.n_tokens
    out: list[float] = []
    for text in candidates:
        toks = llm.tokenize((text + end).encode("utf-8"), add_bos=False, special=False)
        if not toks or base + len(toks) >= llm.n_ctx():
            out.append(float("-inf"))
            continue
        llm.n_tokens = base  # each candidate follows the context alone
        rows = decode(llm, toks)
        logp = first[toks[0]]
        if len(toks) > 1:
            lp = _log_softmax(rows[:-1])
            logp += float(lp[np.arange(len(toks) - 1), toks[1:]].sum())
        out.append(float(logp) / len(toks))
    llm._ctx.kv_cache_seq_rm(-1, base, -1)
    llm.n_tokens = base
    return out
