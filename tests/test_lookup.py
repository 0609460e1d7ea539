"""Guessing the next tokens from the prompt (llm/lookup.py): what is guessed, and the repeat penalty's choice."""

from __future__ import annotations

import numpy as np

from assistant.llm.lookup import _pick, _until_stop, guess


def test_a_guess_is_what_followed_the_last_two_tokens_before() -> None:
    history = [5, 6, 7, 8, 9, 1, 6, 7]
    assert guess(history, 3) == [8, 9, 1]
    assert guess([1, 2, 3, 9, 3], 2) == [9, 3]  # no earlier pair: the last token alone
    assert guess([1, 2, 3], 3) == []  # nothing seen before
    assert guess(history, 0) == []


def test_the_latest_earlier_occurrence_is_followed() -> None:
    assert guess([1, 2, 3, 1, 2, 4, 1, 2], 1) == [4]


def test_the_repeat_penalty_can_change_the_greedy_choice() -> None:
    row = np.array([0.0, 2.0, 1.9, -1.0], dtype=np.float32)
    assert _pick(row, [], 1.1) == 1
    assert _pick(row, [1], 1.1) == 2  # 2.0 / 1.1 < 1.9
    assert _pick(row, [1], 1.0) == 1
    negative = np.array([-1.0, -1.05], dtype=np.float32)
    assert _pick(negative, [0], 1.1) == 1  # a negative logit is multiplied: -1.1 < -1.05


def test_text_ends_before_the_first_stop() -> None:
    assert _until_stop("清理河道垃圾1.2万吨。下一句", ["。", "\n"]) == ("清理河道垃圾1.2万吨", True)
    assert _until_stop("没有句号", ["。"]) == ("没有句号", False)


def test_a_model_without_a_chat_template_answers_on_the_ordinary_path() -> None:
    """A GGUF of the user's own without a chat template: llama-cpp-python's default format answers instead."""
    from langchain_core.messages import HumanMessage

    from assistant.llm.embedded import EmbeddedChatModel

    class Bare:
        metadata: dict[str, str] = {}

        def create_chat_completion(self, **kw: object) -> list[dict[str, object]]:
            return [{"choices": [{"delta": {"content": "好的"}}]}]

    params = {"max_tokens": 8, "stop": None, "repeat_penalty": 1.1, "temperature": 0.0}
    assert list(EmbeddedChatModel._pieces(Bare(), [HumanMessage(content="说好的")], params, True)) == ["好的"]
