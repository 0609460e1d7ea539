"""The text side of search on small hand-made texts: bigram BM25, the coverage bonus, request words."""

from __future__ import annotations

import numpy as np

from assistant.index.lexical import LexicalIndex, tokenize
from assistant.index.query_text import request_words, search_text


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


def _reference_coverage(texts: list[str], query: str) -> np.ndarray:
    """The idf-weighted share of the query's distinct tokens each text holds, one set per text."""
    import math

    sets = [set(tokenize(t)) for t in texts]
    n = len(texts)
    weights = {tok: math.log(1 + (n - sum(tok in s for s in sets) + 0.5) / (sum(tok in s for s in sets) + 0.5))
               for tok in set(tokenize(query))}
    total = sum(weights.values())
    return np.array([sum(w for tok, w in weights.items() if tok in s) / total if total else 0.0 for s in sets])


def test_coverage_equals_its_definition_and_stays_in_unit_range() -> None:
    texts = ["开展职工书屋建设活动", "召开职工代表大会", "组织文艺演出 abc", "职工职工职工", "", "書屋"]
    index = LexicalIndex(texts)
    for query in ["职工书屋", "职工 书屋 abc", "无关查询词", "abc xyz", "書屋建设"]:
        got = index.coverage(query)
        np.testing.assert_allclose(got, _reference_coverage(texts, query), rtol=1e-5, atol=1e-6)
        assert ((got >= 0) & (got <= 1 + 1e-6)).all()
    assert index.coverage("").tolist() == [0.0] * len(texts)


def test_coverage_is_small_when_a_query_shares_one_chance_bigram() -> None:
    """BM25 over the best candidate gave the full bonus to whichever text shared most, however little."""
    index = LexicalIndex(["家庭医生签约率达到43%", "开展工资集体协商，签订工资专项集体合同"])
    chance = index.coverage("劳资双方就薪酬进行谈判并签约")
    assert chance.max() < 0.2
    assert index.coverage("工资集体协商")[1] == 1.0


def test_request_words_are_cut_at_the_edges_only() -> None:
    assert search_text("帮我写一段关于职工书屋的范文") == "职工书屋"
    assert search_text("困难职工帮扶，这部分怎么写？") == "困难职工帮扶"
    assert search_text("如何写困难职工帮扶") == "困难职工帮扶"
    assert search_text("请找一段写劳动竞赛的例子") == "劳动竞赛"
    assert search_text("有没有工资集体协商的参考写法") == "工资集体协商"
    for content in ["组织职工参加技能竞赛", "请假管理制度", "写作培训班", "参考文献管理", "开展范文评选活动"]:
        assert search_text(content) == content  # content words that look like request words stay


def test_a_request_that_is_all_request_words_is_kept() -> None:
    for query in ["写法", "范文", "怎么写"]:
        assert search_text(query) == query
    assert search_text("  职工书屋  ") == "职工书屋"


def test_request_word_list_has_no_single_character_lead() -> None:
    lead, tail = request_words()
    assert lead and tail
    assert all(len(w) > 1 for w in lead)  # 请 or 写 alone would cut 请假, 写作
