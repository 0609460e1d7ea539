"""Cleaning a model's raw output into official prose."""

from assistant.writing.postprocess import clean_model_text, to_full_width


def test_strips_markdown_and_chatter() -> None:
    raw = "好的，以下是草稿：\n```\n## 一、加强学习\n**一年来**，我们举办培训班4期。\n\n\n- 走访慰问26户\n```"
    assert clean_model_text(raw) == "一、加强学习\n一年来，我们举办培训班4期。\n\n走访慰问26户"


def test_full_width_punctuation_next_to_chinese_only() -> None:
    assert to_full_width("培训,学习;完成:100%") == "培训，学习；完成：100%"
    assert to_full_width("增长3.5%, up") == "增长3.5%, up"
    assert to_full_width("(一)加强学习") == "（一）加强学习"
