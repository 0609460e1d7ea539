"""Keys never leak: not in reprs, exception messages, DEBUG logs, CLI output or API answers, on any error path.

The stub's 401 body echoes the key it was sent (as some providers do), so a client error that is passed on
verbatim would show it.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.errors import ModelUnavailable
from assistant.llm.registry import resolve_backend
from assistant.netutil import free_port
from assistant.schema import Facts
from assistant.services import build_services
from assistant.services.drafting import ModelChoice
from tests.conftest import REPO, make_settings
from tests.stub_openai_server import StubReply, StubServer

SECRET = "sk-live-SECRET-7c1e9a53b2d44f08"
SERVER_KEY = "srv-SECRET-api-key-31337"
PASSWORD = "pw-SECRET-hunter2"
SECRETS = (SECRET, SERVER_KEY, PASSWORD, "SECRET")
FACTS = Facts(unit="市第一中学工会", year="2024", achievements=["举办教职工技能培训班4期，培训340人次"])


def assert_clean(*texts: object) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in str(text), f"{secret!r} leaked in: {str(text)[:300]!r}"


# --- reprs -------------------------------------------------------------------------------------------
def test_settings_never_show_their_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path, openai_api_key=SECRET, api_key=SERVER_KEY, auth=f"admin:{PASSWORD}")
    assert settings.openai_api_key is not None and settings.openai_api_key.get_secret_value() == SECRET
    assert_clean(repr(settings), str(settings), f"{settings}", settings.model_dump_json(),
                 json.dumps(settings.model_dump(mode="json"), ensure_ascii=False))
    monkeypatch.setenv("ASSISTANT_OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("ASSISTANT_AUTH", f"admin:{PASSWORD}")
    from_env = load_settings(data_dir=tmp_path)
    assert_clean(repr(from_env), from_env.model_dump_json())


def test_model_choice_never_shows_the_key() -> None:
    choice = ModelChoice(backend="openai", base_url="http://127.0.0.1:9/v1", api_key=SECRET, model="m")
    assert choice.api_key == SECRET
    assert_clean(repr(choice), str(choice), f"{choice!r}", choice.key())


def test_resolved_backend_never_shows_the_key(tmp_path: Path) -> None:
    resolved = resolve_backend(make_settings(tmp_path), "openai", base_url="http://127.0.0.1:9/v1",
                               api_key=SECRET, model="m")
    assert_clean(repr(resolved), str(resolved), repr(resolved.chat_model))


# --- error paths -------------------------------------------------------------------------------------
def _faulty(kind: str, stub: StubServer) -> str:
    """Script the fault; return the base URL to use."""
    if kind == "401 echoing the key":
        stub.api_key = "the-right-key"
    elif kind == "500 naming the key":
        stub.default = StubReply(status=500, error_message=f"upstream rejected key {SECRET}")
    elif kind == "timeout":
        stub.default = StubReply(delay=3.0)
    elif kind == "cut off":
        stub.default = StubReply("一年来，工会举办教职工技能培训班4期，培训340人次。", chunk_chars=3, cut_after=3)
    elif kind == "unreachable":
        return f"http://127.0.0.1:{free_port()}/v1"
    elif kind == "password in the URL":
        return f"http://admin:{PASSWORD}@127.0.0.1:{free_port()}/v1"
    return stub.base_url


FAULTS = ["401 echoing the key", "500 naming the key", "timeout", "cut off", "unreachable", "password in the URL"]


@pytest.mark.parametrize("kind", FAULTS)
def test_error_paths_never_show_the_key(kind: str, house_dir: Path, stub: StubServer,
                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    base_url = _faulty(kind, stub)
    settings = make_settings(house_dir, openai_timeout=0.5, openai_max_retries=1, openai_api_key=SECRET,
                             api_key=SERVER_KEY)
    drafting = build_services(settings).drafting
    choice = ModelChoice(backend="openai", base_url=base_url, api_key=SECRET, model="stub-model")
    events = list(drafting.stream_section(FACTS, "成绩", choice))
    assert events[-1].kind == "error", [e.kind for e in events]
    seen: list[object] = [e.text for e in events]
    seen += [e.draft.text for e in events if e.draft is not None]
    seen += [json.dumps(e.draft.to_json(), ensure_ascii=False) for e in events if e.draft is not None]
    try:
        drafting.draft_section(FACTS, "成绩", choice)
    except ModelUnavailable as exc:
        seen += [exc.message, str(exc), repr(exc), exc.args]
    try:
        list(drafting.stream_chat(FACTS, "请精炼成绩部分", choice=choice))
    except ModelUnavailable as exc:
        seen += [exc.message, str(exc), repr(exc), getattr(exc, "partial", "")]
    assert caplog.records, "nothing was logged at DEBUG; the log check would prove nothing"
    seen += [caplog.text] + [r.getMessage() for r in caplog.records] + [repr(r.args) for r in caplog.records]
    assert_clean(*seen)
    if kind == "401 echoing the key":  # the stub really did receive (and echo) the key
        assert stub.requests and stub.requests[-1]["headers"]["authorization"] == f"Bearer {SECRET}"


def test_cli_stderr_with_verbose_logging_never_shows_the_key(house_dir: Path, tmp_path: Path,
                                                             stub: StubServer) -> None:
    """A real process with -v (DEBUG logs of every library on stderr); the key travels and is echoed back."""
    base_url = _faulty("401 echoing the key", stub)
    facts = tmp_path / "facts.yaml"
    facts.write_text("单位: 市第一中学工会\n年度: 2024\n成绩:\n  - 举办教职工技能培训班4期，培训340人次\n",
                     encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "ASSISTANT_DATA_DIR": str(house_dir),
           "ASSISTANT_OPENAI_API_KEY": SECRET, "ASSISTANT_OPENAI_BASE_URL": base_url,
           "ASSISTANT_OPENAI_MODEL": "stub-model", "ASSISTANT_OPENAI_MAX_RETRIES": "0",
           "ASSISTANT_API_KEY": SERVER_KEY, "ASSISTANT_AUTH": f"admin:{PASSWORD}"}
    code = ("import sys; from tests.fakes import use_hash_embedder; use_hash_embedder(); "
            "from assistant.interfaces.cli import main; sys.exit(main())")
    proc = subprocess.run([sys.executable, "-c", code, "-v", "draft", "--facts", str(facts), "--section", "成绩",
                           "--backend", "openai"], capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "DEBUG" in proc.stderr, "-v did not turn on debug logging; the check would prove nothing"
    assert "Traceback" not in proc.stderr
    assert_clean(proc.stdout, proc.stderr)
    assert stub.requests and stub.requests[-1]["headers"]["authorization"] == f"Bearer {SECRET}"


def test_api_answers_never_show_the_keys(house_dir: Path, stub: StubServer,
                                         caplog: pytest.LogCaptureFixture) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from assistant.interfaces.api import create_api

    caplog.set_level(logging.DEBUG)
    _faulty("401 echoing the key", stub)
    settings = make_settings(house_dir, openai_base_url=stub.base_url, openai_api_key=SECRET,
                             openai_model="stub-model", openai_max_retries=0, api_key=SERVER_KEY)
    app = FastAPI()
    app.include_router(create_api(build_services(settings)))
    body = {"model": "summary-writer-draft@openai",
            "messages": [{"role": "user", "content": "单位：市第一中学工会\n年度：2024\n成绩：举办培训班4期\n起草主要成绩部分"}]}
    with TestClient(app) as client:
        guessed = client.post("/v1/chat/completions", json=body, headers={"Authorization": "Bearer SECRET-guess"})
        assert guessed.status_code == 401
        failed = client.post("/v1/chat/completions", json=body,
                             headers={"Authorization": f"Bearer {SERVER_KEY}"})
        streamed = client.post("/v1/chat/completions", json={**body, "stream": True},
                               headers={"Authorization": f"Bearer {SERVER_KEY}"})
    assert failed.status_code >= 400 and "401" in failed.json()["error"]["message"]
    assert_clean(guessed.text, failed.text, streamed.text, caplog.text)
