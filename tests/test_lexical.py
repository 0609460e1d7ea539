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
