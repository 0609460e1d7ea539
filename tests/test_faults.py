"""Model endpoint faults through the drafting service: down, slow, HTTP errors, a stream cut off midway.

The user must get one clear Chinese sentence (no traceback, no key), never text the gate has not accepted (a
model that fails before its first answer shows nothing; one that fails half-way leaves the rest of the section
as the facts, with a notice), and be able to retry with the same service once the server is back.
The knowledge base is the house examples embedded with HashEmbedder (retrieval quality is not under test).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from assistant.errors import ModelUnavailable
from assistant.netutil import free_port
from assistant.schema import Facts
from assistant.services import build_services
from assistant.services.drafting import DraftEvent, DraftingService
from tests.conftest import make_settings
from tests.stub_openai_server import StubReply, StubServer, start_stub

KEY = "sk-faults-SECRET-5d1c0e9b7a"
FACTS = Facts(unit="市第一中学工会", year="2024",
              achievements=["举办教职工技能培训班4期，培训340人次", "走访慰问困难教职工26户"],
              problems=["基层工会小组活动经费不足"], plans=["开展教职工心理健康讲座"])
TRAIN = "一年来，工会举办教职工技能培训班4期，培训340人次。"
VISIT = "工会深入走访慰问困难教职工26户。"


def answer(body: dict) -> str:
    """A good paragraph for whichever heading's facts the request carries."""
    return VISIT if "26户" in str((body.get("messages") or [{}])[-1]) else TRAIN


GOOD = StubReply(answer)


def drafting(data_dir: Path, base_url: str, *, timeout: float = 3.0) -> DraftingService:
    settings = make_settings(data_dir, backend="openai", openai_base_url=base_url, openai_model="stub-model",
                             openai_api_key=KEY, openai_timeout=timeout, openai_max_retries=0)
    return build_services(settings).drafting


def run(service: DraftingService, role: str = "成绩") -> list[DraftEvent]:
    return list(service.stream_section(FACTS, role))  # type: ignore[arg-type]


def assert_clear(message: str) -> None:
    """One Chinese sentence: no traceback, no exception class names, no key."""
    assert re.search(r"[\u4e00-\u9fff]", message), message
    assert "\n" not in message and "Traceback" not in message
    assert not re.search(r"\b[A-Z]\w*(Error|Exception)\b", message), message
    assert message.endswith("。") and message.count("。") == 1, message
    assert KEY not in message


def the_error(events: list[DraftEvent]) -> DraftEvent:
    errors = [e for e in events if e.kind == "error"]
    assert len(errors) == 1 and events[-1] is errors[0], [e.kind for e in events]
    assert not any(e.kind == "done" for e in events)
    assert_clear(errors[0].text)
    return errors[0]


def assert_works(service: DraftingService) -> None:
    events = run(service)
    assert events[-1].kind == "done", [(e.kind, e.text) for e in events if e.kind != "token"]
    draft = events[-1].draft
    assert draft is not None and TRAIN in draft.text and VISIT in draft.text and draft.backend == "openai"
    assert draft.check is not None and draft.check.ok, draft.check.problems()
    assert draft.model_sentences == 2


def test_endpoint_down_then_back(house_dir: Path) -> None:
    port = free_port()
    service = drafting(house_dir, f"http://127.0.0.1:{port}/v1")
    started = time.monotonic()
    error = the_error(run(service))
    assert time.monotonic() - started < 5
    assert "连不上" in error.text and f"127.0.0.1:{port}" in error.text
    assert error.draft is None  # nothing was streamed, so there is nothing to keep
    with pytest.raises(ModelUnavailable) as info:
        service.draft_section(FACTS, "成绩")
    assert info.value.message == error.text
    server, stop = start_stub(port=port, default=GOOD)
    try:
        assert_works(service)  # the same service, the same cached client: a retry just works
        assert len(server.requests) >= 1
    finally:
        stop()


def test_slow_endpoint_times_out_quickly_then_retry_works(house_dir: Path, stub: StubServer) -> None:
    stub.default = GOOD
    stub.enqueue(StubReply(TRAIN, delay=5.0))
    service = drafting(house_dir, stub.base_url, timeout=0.5)
    started = time.monotonic()
    error = the_error(run(service))
    assert time.monotonic() - started < 3, "the timeout setting was not honoured"
    assert "超时" in error.text and "ASSISTANT_OPENAI_TIMEOUT" in error.text
    assert_works(service)


@pytest.mark.parametrize("status,words", [(500, "内部出错"), (502, "内部出错"), (503, "内部出错"),
                                          (429, "429"), (400, "拒绝了请求"), (401, "密钥"), (403, "拒绝了访问")])
def test_http_errors_are_one_sentence_then_retry_works(status: int, words: str, house_dir: Path,
                                                       stub: StubServer) -> None:
    stub.default = GOOD
    stub.enqueue(StubReply(status=status, error_message=f"upstream failure, key was {KEY}"))
    service = drafting(house_dir, stub.base_url)
    error = the_error(run(service))
    assert words in error.text and str(status) in error.text
    assert error.draft is None
    assert_works(service)


def test_unknown_model_names_it(house_dir: Path, stub: StubServer) -> None:
    stub.models = ["another-model"]
    error = the_error(run(drafting(house_dir, stub.base_url)))
    assert "404" in error.text and "stub-model" in error.text


@pytest.mark.parametrize("role", ["成绩", "问题"])
def test_a_stream_cut_off_before_any_answer_shows_nothing(role: str, house_dir: Path, stub: StubServer) -> None:
    stub.default = GOOD
    stub.enqueue(StubReply(TRAIN, chunk_chars=4, cut_after=5))
    service = drafting(house_dir, stub.base_url)
    events = run(service, role)
    assert "".join(e.text for e in events if e.kind == "token") == "", "an unchecked fragment reached the user"
    error = the_error(events)
    assert error.draft is None and "重试" in error.text
    stub.enqueue(StubReply(TRAIN, chunk_chars=4, cut_after=5))  # the same cut again, for the blocking call
    with pytest.raises(ModelUnavailable):
        service.draft_section(FACTS, role)  # type: ignore[arg-type]
    if role == "成绩":
        assert_works(service)


def test_a_stream_cut_off_half_way_leaves_the_rest_as_the_facts(house_dir: Path, stub: StubServer) -> None:
    """The first heading's paragraph comes whole; the second is cut off: its facts are delivered as written."""
    stub.enqueue(StubReply(TRAIN), StubReply(VISIT, chunk_chars=3, cut_after=2))
    events = run(drafting(house_dir, stub.base_url))
    final = events[-1]
    assert final.kind == "done" and final.draft is not None, [(e.kind, e.text) for e in events if e.kind != "token"]
    assert not any(e.kind == "error" for e in events), "a section with a whole paragraph was delivered as a failure"
    assert TRAIN in final.draft.text and "走访慰问困难教职工26户。" in final.draft.text
    assert "".join(e.text for e in events if e.kind == "token") == final.draft.text
    told = [e.text for e in events if e.kind == "notice"]
    assert any("按原文写入" in t for t in told), told
    assert final.draft.check is not None and final.draft.check.ok, final.draft.check.problems()


def test_chat_fault_raises_one_sentence_and_shows_nothing_unchecked(house_dir: Path, stub: StubServer) -> None:
    stub.enqueue(StubReply("好的，我来帮您精炼这一段，首先", chunk_chars=3, cut_after=3))
    service = drafting(house_dir, stub.base_url)
    got: list[str] = []
    with pytest.raises(ModelUnavailable) as info:
        for piece in service.stream_chat(FACTS, "请把成绩部分写得更精炼", history=[("你好", "您好")]):
            got.append(piece)
    assert_clear(info.value.message)
    assert "".join(got) == "", "a half sentence is not checked, so it is not shown"
    assert getattr(info.value, "partial", "") == "好的，我来帮您精炼"
    stub.enqueue(StubReply("可以删去“积极主动地”等套话。"))
    assert "".join(service.stream_chat(FACTS, "请把成绩部分写得更精炼")).startswith("可以删去")


def test_outline_fault_is_a_clear_user_error(house_dir: Path) -> None:
    service = drafting(house_dir, f"http://127.0.0.1:{free_port()}/v1")
    with pytest.raises(ModelUnavailable) as info:
        service.outline(FACTS)
    assert_clear(info.value.message)


def test_cli_draft_with_the_endpoint_down_is_exit_2(house_dir: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.interfaces.cli import main

    facts = tmp_path / "facts.yaml"
    facts.write_text("单位: 市第一中学工会\n年度: 2024\n成绩:\n  - 举办教职工技能培训班4期，培训340人次\n",
                     encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    monkeypatch.setenv("ASSISTANT_OPENAI_API_KEY", KEY)
    monkeypatch.setenv("ASSISTANT_OPENAI_MAX_RETRIES", "0")
    code = main(["--data-dir", str(house_dir), "draft", "--facts", str(facts), "--section", "成绩",
                 "--backend", "openai"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1
    assert_clear(lines[0])
