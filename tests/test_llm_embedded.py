"""The real embedded model (installed by scripts/setup.sh): loads, streams Chinese, keeps the user's numbers."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser

from assistant.config import Settings, load_settings
from assistant.errors import ModelUnavailable
from assistant.llm.embedded import EmbeddedChatModel
from assistant.llm.model_files import MODEL_SIZE, embedded_model_path
from assistant.llm.registry import resolve_backend, stream_text
from tests.conftest import REPO

CJK = re.compile(r"[\u4e00-\u9fff]")
SYSTEM = SystemMessage(content="你是单位办公室的文字秘书，用简洁规范的公文语言写作，只使用用户给出的事实。")

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def settings() -> Settings:
    """The repo's own data dir, where `make setup` assembled the model; short outputs keep runs lean."""
    s = load_settings(data_dir=REPO / "data", llm_max_tokens=80, llm_temperature=0.0, llm_context=2048)
    path = embedded_model_path(s)
    assert path is not None, "the packaged model is missing: run `make setup` (it assembles the GGUF)"
    assert path.stat().st_size == MODEL_SIZE
    return s


@pytest.fixture(scope="module")
def chat(settings: Settings) -> Any:
    resolved = resolve_backend(settings, "embedded")
    assert resolved.name == "embedded" and resolved.notice == ""
    assert isinstance(resolved.chat_model, EmbeddedChatModel)
    resolved.chat_model.load()
    return resolved.chat_model


def test_streams_chinese_text_token_by_token(chat: Any) -> None:
    pieces = list(stream_text(chat, [SYSTEM, HumanMessage(content="用一句话写年度工作总结的开头。")]))
    assert len(pieces) >= 2
    assert CJK.search("".join(pieces))


def test_restating_facts_keeps_the_numbers(chat: Any) -> None:
    ask = HumanMessage(content="把以下事实写成一句话：举办培训班4期，培训职工340人次")
    text = "".join(stream_text(chat, [SYSTEM, ask]))
    assert "340" in text
    assert "4" in text.replace("340", "") or "四" in text


def test_invoke_and_a_langchain_pipeline_work(chat: Any) -> None:
    message = chat.invoke([SYSTEM, HumanMessage(content="“安全生产”四个字的拼音首字母是什么？只回答字母。")])
    assert message.content.strip()
    text = (chat | StrOutputParser()).invoke([HumanMessage(content="说“你好”。")], max_tokens=8)
    assert CJK.search(text)


def test_stop_sequences_end_the_answer(chat: Any) -> None:
    ask = HumanMessage(content="依次写出一、二、三、四、五，用顿号分隔。")
    full = "".join(stream_text(chat, [ask]))
    assert "三" in full, full  # without the stop string the answer goes past it (temperature 0)
    text = "".join(stream_text(chat, [ask], stop=["三"]))
    assert text.strip(), "an empty answer is not an answer that stopped"
    assert full.startswith(text) and "一" in text and "二" in text, (text, full)
    assert "三" not in text and "四" not in text


def test_concurrent_calls_are_serialised_not_garbled(chat: Any) -> None:
    results: dict[int, str] = {}
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            results[i] = "".join(stream_text(chat, [HumanMessage(content="说“好的”。")], max_tokens=10))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results[0] == results[1]  # temperature 0: the same answer when the calls do not interfere
    assert CJK.search(results[0])


def test_a_corrupt_gguf_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + b"\xff" * 256)
    model = EmbeddedChatModel(model_path=str(broken), n_ctx=512)
    with pytest.raises(ModelUnavailable) as info:
        list(stream_text(model, [HumanMessage(content="你好")]))
    assert "加载失败" in info.value.message and "broken.gguf" in info.value.message


FACT_PROMPT = [SystemMessage(content="把用户给出的一条事实改写成年度工作总结里的一句话。数字照抄原文。只输出这一句话。"),
               HumanMessage(content="成绩：完成河道清淤疏浚58公里，清理河道垃圾1.2万吨")]


def test_copying_decodes_what_one_token_at_a_time_decodes(chat: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guessing ahead from the prompt only saves time: with no guesses (one token a batch) the same greedy text
    comes back, it keeps the fact's numbers, and it ends before the stop string."""
    from assistant.llm import lookup

    guessed = "".join(stream_text(chat, FACT_PROMPT, stop=["。", "\n"], copying=True, max_tokens=40))
    monkeypatch.setattr(lookup, "GUESS", 0)
    single = "".join(stream_text(chat, FACT_PROMPT, stop=["。", "\n"], copying=True, max_tokens=40))
    assert guessed == single and "58" in guessed and "1.2" in guessed, (guessed, single)
    assert "。" not in guessed and "\n" not in guessed
    cut = "".join(stream_text(chat, FACT_PROMPT, stop=["58"], copying=True, max_tokens=40))
    assert guessed.startswith(cut) and "58" not in cut


def test_after_copying_the_cache_serves_an_ordinary_call(chat: Any) -> None:
    """Copying rewrites the model's token cache by hand: the next ordinary call must read it as its own."""
    ask = [HumanMessage(content="说“好的”。")]
    before = "".join(stream_text(chat, ask, max_tokens=10))
    "".join(stream_text(chat, FACT_PROMPT, stop=["。"], copying=True, max_tokens=30))
    assert "".join(stream_text(chat, ask, max_tokens=10)) == before
    assert "".join(stream_text(chat, FACT_PROMPT, stop=["。"], copying=True, max_tokens=30)).strip()


def test_fluency_prefers_the_heading_a_reader_expects(chat: Any) -> None:
    """Ranking headings (llm/scoring.py): the model's mean log-probability is higher for good Chinese than for the
    same characters scrambled, and about the same when the context is already cached."""
    from assistant.llm.scoring import score_continuations

    context = "工作总结的小标题：\n守牢安全底线，确保运营平稳\n"
    good, scrambled = "强化安全监管，守护群众健康", "监健康守管，护强群化安众全"
    first = score_continuations(chat, context, [good, scrambled])
    assert len(first) == 2 and first[0] > first[1], first
    again = score_continuations(chat, context, [good])
    assert abs(again[0] - first[0]) < 0.05, (again, first)  # batched arithmetic rounds a little differently
