"""The OpenAI-compatible backend against real HTTP servers on loopback: the stub, and llama.cpp's server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.config import load_settings
from assistant.errors import ModelUnavailable
from assistant.llm.model_files import embedded_model_path
from assistant.llm.openai_compat import build_openai_chat, display_url, friendly_error
from assistant.llm.registry import resolve_backend, stream_text
from assistant.netutil import free_port
from tests.conftest import REPO, make_settings
from tests.server_support import stop_process
from tests.stub_openai_server import StubReply, StubServer

KEY = "sk-test-7f3a9c1e5b"
CJK = re.compile(r"[\u4e00-\u9fff]")
MESSAGES = [SystemMessage(content="你是办公室的文字秘书。"), HumanMessage(content="写一句年度总结的开头。")]


def _chat(tmp_path: Path, base_url: str, **settings: Any) -> Any:
    values: dict[str, Any] = {"openai_max_retries": 0, "openai_timeout": 5.0, **settings}
    return resolve_backend(make_settings(tmp_path, **values), "openai", base_url=base_url, api_key=KEY,
                           model="stub-model").chat_model


def _fail(chat: Any) -> ModelUnavailable:
    with pytest.raises(ModelUnavailable) as info:
        list(stream_text(chat, MESSAGES))
    err = info.value
    assert KEY not in err.message and KEY not in str(err)
    assert CJK.search(err.message), err.message
    return err


def test_streams_the_scripted_chinese_text(tmp_path: Path, stub: StubServer) -> None:
    reply = "今年以来，我单位坚持以人民为中心，扎实推进各项工作。"
    stub.enqueue(StubReply(reply, chunk_chars=3))
    pieces = list(stream_text(_chat(tmp_path, stub.base_url), MESSAGES))
    assert len(pieces) >= 2
    assert "".join(pieces) == reply
    sent = stub.requests[-1]
    assert sent["body"]["model"] == "stub-model" and sent["body"]["stream"] is True
    assert sent["body"]["messages"][1] == {"role": "user", "content": "写一句年度总结的开头。"}
    assert sent["headers"]["authorization"] == f"Bearer {KEY}"


def test_without_a_key_a_placeholder_is_sent(tmp_path: Path, stub: StubServer) -> None:
    chat = build_openai_chat(make_settings(tmp_path), base_url=stub.base_url, model="stub-model")
    assert "".join(stream_text(chat, MESSAGES)) == StubReply().text
    assert stub.requests[-1]["headers"]["authorization"] == "Bearer not-needed"


def test_invoke_returns_the_whole_reply(tmp_path: Path, stub: StubServer) -> None:
    stub.enqueue("全年共举办培训班4期。")
    assert _chat(tmp_path, stub.base_url).invoke(MESSAGES).content == "全年共举办培训班4期。"


def test_retries_follow_the_settings(tmp_path: Path, stub: StubServer) -> None:
    stub.enqueue(StubReply(status=503), "第二次成功。")
    chat = _chat(tmp_path, stub.base_url, openai_max_retries=1)
    assert "".join(stream_text(chat, MESSAGES)) == "第二次成功。"
    assert sum(r["method"] == "POST" for r in stub.requests) == 2


def test_server_error_names_the_address(tmp_path: Path, stub: StubServer) -> None:
    stub.enqueue(StubReply(status=500))
    err = _fail(_chat(tmp_path, stub.base_url))
    assert stub.base_url in err.message and "500" in err.message


def test_timeout_says_so(tmp_path: Path, stub: StubServer) -> None:
    stub.enqueue(StubReply(delay=3.0))
    err = _fail(_chat(tmp_path, stub.base_url, openai_timeout=0.5))
    assert "超时" in err.message and stub.base_url in err.message


def test_refused_connection_says_to_start_the_server(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    err = _fail(_chat(tmp_path, url))
    assert "连不上" in err.message and url in err.message


def test_stream_cut_off_keeps_the_partial_text(tmp_path: Path, stub: StubServer) -> None:
    stub.enqueue(StubReply("第一句话已经写完。第二句没有写完", chunk_chars=3, cut_after=3))
    got: list[str] = []
    with pytest.raises(ModelUnavailable) as info:
        for piece in stream_text(_chat(tmp_path, stub.base_url), MESSAGES):
            got.append(piece)
    assert "".join(got) == "第一句话已经写完。"
    assert info.value.partial == "第一句话已经写完。"  # type: ignore[attr-defined]
    assert "中途断开" in info.value.message and KEY not in info.value.message


def test_wrong_key_is_refused_without_echoing_it(tmp_path: Path, stub: StubServer) -> None:
    stub.api_key = "the-right-key"  # the stub's 401 body echoes the key it got, as some APIs do
    err = _fail(_chat(tmp_path, stub.base_url))
    assert "401" in err.message and "密钥" in err.message


def test_unknown_model_is_named(tmp_path: Path, stub: StubServer) -> None:
    chat = build_openai_chat(make_settings(tmp_path, openai_max_retries=0), base_url=stub.base_url,
                             api_key=KEY, model="qwen-nonexistent")
    err = _fail(chat)
    assert "qwen-nonexistent" in err.message and "404" in err.message


def test_rate_limit_says_to_wait(tmp_path: Path, stub: StubServer) -> None:
    stub.enqueue(StubReply(status=429))
    err = _fail(_chat(tmp_path, stub.base_url))
    assert "429" in err.message


def test_friendly_error_hides_credentials_in_urls() -> None:
    assert display_url("https://user:pw@api.example.com/v1/chat/completions?key=abc") == "https://api.example.com/v1"
    err = friendly_error(ValueError("boom"), base_url="https://user:pw@api.example.com/v1")
    assert "pw" not in err.message and "boom" not in err.message
    passthrough = ModelUnavailable("已有的说明。")
    assert friendly_error(passthrough) is passthrough


# --- the real llama.cpp server --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m llama_cpp.server` with the packaged model on a free loopback port; yields its base URL."""
    gguf = embedded_model_path(load_settings(data_dir=REPO / "data"))
    assert gguf is not None, "the packaged model is missing: run `make setup` (it assembles the GGUF)"
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama_server") / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
             "--port", str(port), "--n_threads", "2", "--n_ctx", "2048"],
            stdout=log, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180  # readiness wait, not a speed assertion
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited ({proc.returncode}):\n{log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/models", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not answer:\n{log_path.read_text()[-2000:]}")
            time.sleep(0.3)
        yield base
    finally:
        stop_process(proc)


@pytest.mark.model
@pytest.mark.integration
def test_openai_backend_against_the_real_llama_cpp_server(tmp_path: Path, llama_server: str) -> None:
    with urllib.request.urlopen(f"{llama_server}/models", timeout=5) as resp:
        model_id = json.load(resp)["data"][0]["id"]
    settings = make_settings(tmp_path, llm_max_tokens=60, llm_temperature=0.0, openai_max_retries=0)
    chat = build_openai_chat(settings, base_url=llama_server, model=model_id)
    pieces = list(stream_text(chat, [HumanMessage(content="用一句中文介绍培训工作的重要性。")]))
    assert len(pieces) >= 2
    assert CJK.search("".join(pieces))
