"""The OpenAI-compatible API, driven by the official `openai` client against the real server on loopback."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from assistant.interfaces.replies import detect_request
from tests.conftest import make_settings
from tests.server_support import serving
from tests.stub_openai_server import StubReply, running_stub

pytestmark = pytest.mark.integration

FACTS_MSG = ("单位：市交通运输局工会\n年度：2024\n"
             "成绩：组织职工技能培训12期，参训860人次；走访慰问困难职工45户，发放慰问金9.6万元\n"
             "问题：基层工会经费使用不够规范\n计划：完善困难职工帮扶机制\n"
             "起草主要成绩部分")


def _clean_env() -> pytest.MonkeyPatch:
    mp = pytest.MonkeyPatch()
    for key in list(os.environ):
        if key.startswith("ASSISTANT_"):
            mp.delenv(key)
    return mp


@pytest.fixture(scope="module")
def server(indexed_dir: Path) -> Iterator[str]:
    """The real app (template backend) on a free loopback port; yields its base URL."""
    from assistant.interfaces.server import create_app

    mp = _clean_env()
    try:
        settings = make_settings(indexed_dir)
        with serving(create_app(settings)) as url:
            yield url
    finally:
        mp.undo()


@pytest.fixture()
def client(server: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server}/v1", api_key="unused", max_retries=0, timeout=60)


def _ask(client: openai.OpenAI, content: str, model: str = "summary-writer") -> str:
    resp = client.chat.completions.create(model=model, messages=[{"role": "user", "content": content}])
    return resp.choices[0].message.content or ""


# --- request detection (pure) --------------------------------------------------------------------------
@pytest.mark.parametrize(("message", "task", "role"), [
    (FACTS_MSG, "section", "成绩"),
    ("单位：某局\n成绩：编写材料20篇\n请生成提纲", "outline", None),
    ("请起草存在的问题部分。单位：某局 问题：经费使用不规范", "section", "问题"),
    ("单位：某局 成绩：编写材料20篇 帮我写开头", "section", "开头"),
    ("单位：某局\n成绩：培训3期\n起草全文", "full", None),
    ("这份总结的语气是不是太硬了？", "chat", None),
])
def test_detect_request(message: str, task: str, role: str | None) -> None:
    req = detect_request(message)
    assert (req.task, req.role) == (task, role)


def test_facts_in_a_label_do_not_count_as_the_request() -> None:
    """"成绩：编写材料" names 成绩 and contains 写, but the request is the last line."""
    assert detect_request("成绩：编写材料20篇\n下一步计划怎么写？").role == "计划"


# --- the API over HTTP -----------------------------------------------------------------------------------
def test_models_list(client: openai.OpenAI) -> None:
    ids = {m.id for m in client.models.list()}
    assert {"summary-writer", "summary-writer-outline", "summary-writer-draft", "summary-writer@template",
            "summary-writer@embedded", "summary-writer@openai"} <= ids
    assert client.models.retrieve("summary-writer-draft@template").id == "summary-writer-draft@template"


def test_completion_drafts_the_requested_section_with_the_users_numbers(client: openai.OpenAI) -> None:
    resp = client.chat.completions.create(model="summary-writer@template",
                                          messages=[{"role": "user", "content": FACTS_MSG}])
    text = resp.choices[0].message.content or ""
    assert resp.object == "chat.completion" and resp.choices[0].finish_reason == "stop"
    for number in ("12期", "860人次", "45户", "9.6万元"):
        assert number in text
    assert "基层工会经费" not in text  # a problem, not an achievement: the 成绩 section only
    assert (resp.model_extra or {})["x_assistant"] == {"task": "section", "section": "成绩", "backend": "template",
                                                       "notice": ""}
    assert resp.usage is not None and resp.usage.completion_tokens == len(text)


def test_outline_and_full_tasks(client: openai.OpenAI) -> None:
    outline = _ask(client, FACTS_MSG.replace("起草主要成绩部分", "请生成提纲"))
    assert re.search(r"^一、", outline, re.M) and re.search(r"^（一）", outline, re.M)
    assert "一年来" not in outline  # headings with their facts, not the drafted prose
    full = _ask(client, FACTS_MSG, model="summary-writer-full")
    assert full.startswith("市交通运输局工会2024年工作总结")
    assert "存在的问题" in full and "下一步工作计划" in full and "860人次" in full


def test_follow_up_reuses_the_facts_of_earlier_messages(client: openai.OpenAI) -> None:
    first = _ask(client, FACTS_MSG)
    resp = client.chat.completions.create(model="summary-writer", messages=[
        {"role": "system", "content": "你是写作助手。"},
        {"role": "user", "content": FACTS_MSG},
        {"role": "assistant", "content": first},
        {"role": "user", "content": "再写一下存在的问题"},
    ])
    text = resp.choices[0].message.content or ""
    assert "基层工会经费使用不够规范" in text and "860人次" not in text
    assert (resp.model_extra or {})["x_assistant"]["section"] == "问题"


def test_streaming_chunks_reassemble_to_the_plain_answer(client: openai.OpenAI) -> None:
    plain = _ask(client, FACTS_MSG)
    stream = client.chat.completions.create(model="summary-writer", stream=True,
                                            stream_options={"include_usage": True},
                                            messages=[{"role": "user", "content": FACTS_MSG}])
    pieces: list[str] = []
    finishes: list[str] = []
    usage = None
    for chunk in stream:
        assert chunk.object == "chat.completion.chunk"
        if chunk.usage is not None:
            usage = chunk.usage
        for choice in chunk.choices:
            pieces.append(choice.delta.content or "")
            if choice.finish_reason:
                finishes.append(choice.finish_reason)
    assert len([p for p in pieces if p]) > 3  # really streamed, not one blob
    assert "".join(pieces) == plain
    assert finishes == ["stop"]
    assert usage is not None and usage.completion_tokens == len(plain)


def test_raw_stream_ends_with_done(server: str) -> None:
    body = {"model": "summary-writer", "stream": True, "messages": [{"role": "user", "content": FACTS_MSG}]}
    with httpx.stream("POST", f"{server}/v1/chat/completions", json=body, timeout=60) as resp:
        assert resp.headers["content-type"].startswith("text/event-stream")
        lines = [ln for ln in resp.iter_lines() if ln]
    assert lines[-1] == "data: [DONE]"
    assert all(ln.startswith("data: ") for ln in lines)


def test_five_concurrent_requests_get_their_own_drafts(client: openai.OpenAI) -> None:
    units = [f"第{i}分会" for i in range(1, 6)]

    def ask(i: int) -> str:
        msg = f"单位：{units[i]}\n年度：2024\n成绩：组织培训{i + 11}期，参训{i * 111 + 311}人次\n起草主要成绩部分"
        return _ask(client, msg)

    with ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(ask, range(5)))
    for i, text in enumerate(answers):
        assert f"{i + 11}期" in text and f"{i * 111 + 311}人次" in text
        others = [f"{j * 111 + 311}人次" for j in range(5) if j != i]
        assert not any(o in text for o in others)  # no state mixed between requests


def test_requests_run_in_parallel_on_a_model_backend(indexed_dir: Path, tmp_path: Path) -> None:
    """Five requests must be in flight at the model at once: a barrier in the stub only opens at five."""
    from assistant.interfaces.server import create_app

    barrier = threading.Barrier(5, timeout=30)
    calls: list[int] = []
    lock = threading.Lock()

    def reply(body: dict[str, Any]) -> str:
        with lock:
            calls.append(1)
            first_wave = len(calls) <= 5
        if first_wave:
            barrier.wait()  # raises BrokenBarrierError (the stub drops the request) if requests were serialised
        return "组织职工技能培训，提升了队伍素质。"

    with running_stub(default=StubReply(reply)) as stub:
        settings = make_settings(indexed_dir, backend="openai", openai_base_url=stub.base_url,
                                 openai_model="stub-model", openai_max_retries=0, openai_timeout=60)
        with serving(create_app(settings)) as url:
            client = openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0, timeout=90)
            with ThreadPoolExecutor(5) as pool:
                answers = list(pool.map(lambda i: _ask(client, f"单位：分会{i}\n成绩：培训{i + 3}期\n起草主要成绩部分"),
                                        range(5)))
        prompts = [str(r["body"]["messages"]) for r in stub.requests if r["method"] == "POST"]
    assert not barrier.broken
    # each answer holds its own fact and no other request's; the stub's "职工技能" is no fact, so it never ships
    assert all(f"培训{i + 3}期" in a and "职工技能" not in a for i, a in enumerate(answers)), answers
    assert all(f"培训{j + 3}期" not in a for i, a in enumerate(answers) for j in range(5) if j != i)
    for i in range(5):  # each request's own facts reached the model
        assert any(f"培训{i + 3}期" in p for p in prompts)


# --- errors ------------------------------------------------------------------------------------------------
def _error(resp: httpx.Response) -> dict[str, Any]:
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    assert re.search(r"[\u4e00-\u9fff]", body["error"]["message"])  # a Chinese sentence
    return body["error"]


def test_bad_requests_get_openai_shaped_chinese_errors(server: str) -> None:
    url = f"{server}/v1/chat/completions"
    resp = httpx.post(url, content=b"{not json", headers={"content-type": "application/json"})
    assert resp.status_code == 400 and _error(resp)["type"] == "invalid_request_error"
    resp = httpx.post(url, json={"model": "summary-writer"})
    assert resp.status_code == 400 and _error(resp)["param"] == "messages"
    resp = httpx.post(url, json={"model": "summary-writer", "messages": []})
    assert resp.status_code == 400 and _error(resp)["param"] == "messages"
    resp = httpx.post(url, json={"model": "gpt-4o", "messages": [{"role": "user", "content": "x"}]})
    assert resp.status_code == 404 and _error(resp)["code"] == "model_not_found"
    resp = httpx.post(url, json={"messages": [{"role": "assistant", "content": "x"}]})
    assert resp.status_code == 400 and "用户" in _error(resp)["message"]


# --- bounds --------------------------------------------------------------------------------------------------
BIG = 30 * 1024 * 1024


def _too_large(resp: httpx.Response, code: str) -> str:
    assert resp.status_code == 413
    error = _error(resp)
    assert error["type"] == "invalid_request_error" and error["code"] == code
    return error["message"]


def test_a_30_mb_body_gets_413_and_the_server_keeps_answering(server: str, client: openai.OpenAI) -> None:
    body = b'{"model": "summary-writer", "messages": [{"role": "user", "content": "' + b"x" * BIG + b'"}]}'
    resp = httpx.post(f"{server}/v1/chat/completions", content=body,
                      headers={"content-type": "application/json"}, timeout=60)
    message = _too_large(resp, "request_too_large")
    assert "请求体太大" in message and "30 MB" in message and "上限 2 MB" in message
    assert "2" in _ask(client, FACTS_MSG)  # the next request is served as usual


def test_a_body_of_unknown_length_is_cut_off_at_the_limit(server: str, client: openai.OpenAI) -> None:
    """Chunked, no Content-Length: the server stops reading past the limit instead of buffering 30 MB."""
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        yield b'{"model": "summary-writer", "messages": [{"role": "user", "content": "'
        for _ in range(BIG // 65536):
            sent += 65536
            yield b"x" * 65536

    resp = httpx.post(f"{server}/v1/chat/completions", content=chunks(),
                      headers={"content-type": "application/json"}, timeout=60)
    assert "上限 2 MB" in _too_large(resp, "request_too_large")
    assert sent < BIG, "the whole body was read"
    assert "2" in _ask(client, FACTS_MSG)


def test_a_message_over_the_paste_limit_gets_413_naming_it(client: openai.OpenAI) -> None:
    long_message = FACTS_MSG + "\n" + "开展职工技能培训。" * 20_000  # about 540 KB, under the body limit
    with pytest.raises(openai.APIStatusError) as info:
        _ask(client, long_message)
    assert info.value.status_code == 413
    error = info.value.body
    assert isinstance(error, dict) and error["code"] == "message_too_long" and error["param"] == "messages"
    assert "第 1 条消息太大" in error["message"] and "上限 512 KB" in error["message"]


def test_request_without_facts_is_a_user_error_even_when_streaming(client: openai.OpenAI) -> None:
    for stream in (False, True):
        with pytest.raises(openai.BadRequestError) as info:
            client.chat.completions.create(model="summary-writer", stream=stream,
                                           messages=[{"role": "user", "content": "起草开头"}])
        assert info.value.status_code == 400
        assert re.search(r"[\u4e00-\u9fff]", info.value.body["message"])  # type: ignore[index]


def test_api_key_required_when_set(indexed_dir: Path) -> None:
    from assistant.interfaces.server import create_app

    key = "sk-test-9f8e7d6c5b4a"
    settings = make_settings(indexed_dir, api_key=key)
    with serving(create_app(settings)) as url:
        resp = httpx.get(f"{url}/v1/models")
        assert resp.status_code == 401 and _error(resp)["code"] == "invalid_api_key"
        resp = httpx.post(f"{url}/v1/chat/completions", headers={"Authorization": "Bearer wrong-key"},
                          json={"model": "summary-writer", "messages": [{"role": "user", "content": FACTS_MSG}]})
        assert resp.status_code == 401 and "wrong-key" not in resp.text and key not in resp.text
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=f"{url}/v1", api_key="nope", max_retries=0).models.list()
        good = openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=60)
        assert "860人次" in _ask(good, FACTS_MSG)


def test_model_failures_are_reported(indexed_dir: Path) -> None:
    """Model server down → 503 in OpenAI's shape; an answer cut off before the gate could accept anything → an
    error too (an unchecked partial text is never delivered)."""
    from assistant.interfaces.server import create_app
    from assistant.netutil import free_port

    down = make_settings(indexed_dir, backend="openai", openai_base_url=f"http://127.0.0.1:{free_port()}/v1",
                         openai_max_retries=0, openai_timeout=5)
    with serving(create_app(down)) as url:
        resp = httpx.post(f"{url}/v1/chat/completions", timeout=60,
                          json={"model": "summary-writer", "messages": [{"role": "user", "content": FACTS_MSG}]})
        assert resp.status_code == 503 and _error(resp)["code"] == "model_unavailable"
        client = openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0, timeout=60)
        with pytest.raises(openai.InternalServerError):
            client.chat.completions.create(model="summary-writer", stream=True,
                                           messages=[{"role": "user", "content": FACTS_MSG}])
        # the template backend still answers on the same server
        assert "860人次" in _ask(client, FACTS_MSG, model="summary-writer@template")

    partial = "一年来，我们组织职工技能培训十二期，"
    with running_stub(default=StubReply(partial * 3, cut_after=4, chunk_chars=4)) as stub:
        cut = make_settings(indexed_dir, backend="openai", openai_base_url=stub.base_url,
                            openai_model="stub-model", openai_max_retries=0, openai_timeout=30)
        with serving(create_app(cut)) as url:
            resp = httpx.post(f"{url}/v1/chat/completions", timeout=60,
                              json={"model": "summary-writer", "messages": [{"role": "user", "content": FACTS_MSG}]})
    assert resp.status_code == 503 and _error(resp)["code"] == "model_unavailable"
    assert partial[:8] not in resp.text
