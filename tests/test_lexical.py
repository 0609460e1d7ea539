"""The bigram BM25 index: tokenisation and ranking on small hand-made texts."""

from __future__ import annotations

import numpy as np

from assistant.index.lexical import LexicalIndex, tokenize


def test_tokenize_makes_cjk_bigrams_and_ascii_words() -> None:
    assert tokenize("职工书屋 ABC 2024") == ["职工", "工书", "书屋", "abc", "2024"]
    assert tokenize("会") == ["会"]
    assert tokenize("，。！") == []


def test_tokenize_folds_full_width() -> None:
    assert tokenize("ＡＢＣ１２") == ["abc12"]


def test_ranks_the_document_sharing_most_bigrams_first() -> None:
    index = LexicalIndex(["开展职工书屋建设活动", "召开职工代表大会", "组织文艺演出"])
    top = index.top("职工书屋", 3)
    assert top[0][0] == 0
    assert all(score > 0 for _, score in top)
    assert 2 not in [i for i, _ in top]  # shares no bigram


def test_mask_restricts_results() -> None:
    index = LexicalIndex(["职工书屋", "职工书屋建设", "书屋"])
    mask = np.array([False, True, True])
    assert [i for i, _ in index.top("职工书屋", 3, mask)][0] == 1


def test_rare_terms_weigh_more_than_common_ones() -> None:
    texts = ["工作工作 职工", "工作 书屋", "工作", "工作 工作"]
    index = LexicalIndex(texts)
    scores = index.scores("工作 书屋")
    assert scores.argmax() == 1


def test_empty_index_and_query() -> None:
    assert LexicalIndex([]).top("任何", 3) == []
    assert LexicalIndex(["内容"]).top("", 3) == []


def _reference_scores(texts: list[str], query: str, k1: float = 1.5, b: float = 0.75) -> np.ndarray:
    """Textbook BM25 over `tokenize`, one Counter per text: what the vectorised index must equal."""
    import math
    from collections import Counter

    counts = [Counter(tokenize(t)) for t in texts]
    avg = sum(sum(c.values()) for c in counts) / len(counts)
    out = np.zeros(len(texts))
    for tok in set(tokenize(query)):
        df = sum(1 for c in counts if tok in c)
        if not df:
            continue
        idf = math.log(1 + (len(texts) - df + 0.5) / (df + 0.5))
        for i, c in enumerate(counts):
            tf = c.get(tok, 0)
            if tf:
                norm = k1 * (1 - b + b * sum(c.values()) / avg)
                out[i] += idf * tf * (k1 + 1) / (tf + norm)
    return out


def test_vectorised_index_equals_textbook_bm25() -> None:
    texts = ["开展职工书屋建设活动，覆盖 2024 年全部 12 个基层工会。", "召开职工代表大会①次", "会",
             "ＡＢＣ培训 abc ABC", "", "，。！", "㈠组织文艺演出\n㈡走访慰问困难职工", "職工書屋 兼容字",
             "职工职工职工书屋", "X1 y2 z3 职"]
    index = LexicalIndex(texts)
    for query in ["职工书屋", "abc 2024", "会", "一组织", "困难职工 慰问", "12", "職工", "无关查询词"]:
        np.testing.assert_allclose(index.scores(query), _reference_scores(texts, query), rtol=1e-5, atol=1e-6)


def test_tokens_never_span_two_texts() -> None:
    index = LexicalIndex(["职工", "书屋"])
    assert index.top("工书", 2) == []  # the bigram 工书 exists only across the boundary
