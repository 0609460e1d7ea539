"""Access: loopback by default, a warning when exposed without protection, secrets never shown, optional login."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.config import Settings
from assistant.errors import UserError
from assistant.interfaces.server import auth_pair, exposure_warning, is_loopback
from tests.conftest import make_settings
from tests.server_support import serving

API_KEY = "sk-secret-a1b2c3d4e5f6"
PASSWORD = "pw-Z9y8x7w6"
FACTS_MSG = "单位：市交通运输局工会\n年度：2024\n成绩：组织职工技能培训12期，参训860人次\n起草主要成绩部分"


def test_default_bind_is_loopback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any,
                                  caplog: pytest.LogCaptureFixture) -> None:
    import uvicorn

    from assistant.interfaces import server

    settings = make_settings(tmp_path)
    assert settings.host == "127.0.0.1" and Settings.model_fields["host"].default == "127.0.0.1"
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    with caplog.at_level(logging.WARNING):
        server.run(settings)
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 7860
    out = capsys.readouterr().out
    assert "http://127.0.0.1:7860/" in out and "警告" not in out
    assert not [r for r in caplog.records if r.name == "assistant.interfaces.server"]


def test_warning_decision() -> None:
    bare = Settings(data_dir=Path("unused"))
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.5"):
        assert is_loopback(host) and exposure_warning(bare, host) is None
    for host in ("0.0.0.0", "192.168.1.20", "::", "my-server.lan"):
        assert not is_loopback(host)
        english, chinese = exposure_warning(bare, host) or ("", "")
        assert "ASSISTANT_AUTH" in english and "ASSISTANT_API_KEY" in english and "警告" in chinese
    only_login = Settings(data_dir=Path("unused"), auth="admin:pw")
    english, _ = exposure_warning(only_login, "0.0.0.0") or ("", "")
    assert "ASSISTANT_API_KEY" in english and "ASSISTANT_AUTH" not in english
    both = Settings(data_dir=Path("unused"), auth="admin:pw", api_key="k")
    assert exposure_warning(both, "0.0.0.0") is None


def test_run_on_all_interfaces_warns_in_log_and_console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: Any, caplog: pytest.LogCaptureFixture) -> None:
    """run() is called with 0.0.0.0 but uvicorn is replaced, so nothing is bound for real."""
    import uvicorn

    from assistant.interfaces import server

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    with caplog.at_level(logging.WARNING, logger="assistant.interfaces.server"):
        server.run(make_settings(tmp_path, auth=f"admin:{PASSWORD}"), host="0.0.0.0", port=8123)
    assert calls[0]["host"] == "0.0.0.0" and calls[0]["port"] == 8123
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("ASSISTANT_API_KEY" in w for w in warnings)
    out = capsys.readouterr().out
    assert "警告" in out and "ASSISTANT_API_KEY" in out
    assert PASSWORD not in out and PASSWORD not in caplog.text


def test_auth_setting_format() -> None:
    assert auth_pair(Settings(data_dir=Path("u"), auth="admin:p:w")) == ("admin", "p:w")
    assert auth_pair(Settings(data_dir=Path("u"))) is None
    with pytest.raises(UserError, match="用户名:密码"):
        auth_pair(Settings(data_dir=Path("u"), auth="no-colon"))


@pytest.fixture()
def guarded_url(indexed_dir: Path) -> Any:
    from assistant.interfaces.server import create_app

    settings = make_settings(indexed_dir, api_key=API_KEY, auth=f"editor:{PASSWORD}")
    with serving(create_app(settings)) as url:
        yield url


def test_secrets_never_appear_in_responses_or_logs(guarded_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    auth = {"Authorization": f"Bearer {API_KEY}"}
    bodies: list[str] = []
    resp = httpx.get(f"{guarded_url}/v1/models", headers=auth)
    assert resp.status_code == 200 and "summary-writer" in resp.text
    bodies.append(resp.text)
    for headers in ({}, {"Authorization": "Bearer " + API_KEY[:-1]}, {"Authorization": API_KEY}):
        resp = httpx.get(f"{guarded_url}/v1/models", headers=headers)
        assert resp.status_code == 401
        bodies.append(resp.text)
    chat = {"model": "summary-writer", "messages": [{"role": "user", "content": FACTS_MSG}]}
    resp = httpx.post(f"{guarded_url}/v1/chat/completions", headers=auth, json=chat, timeout=60)
    assert resp.status_code == 200 and "860人次" in resp.json()["choices"][0]["message"]["content"]
    bodies.append(resp.text)
    resp = httpx.post(f"{guarded_url}/v1/chat/completions", headers=auth, content=b"{", timeout=60)
    assert resp.status_code == 400
    bodies.append(resp.text)
    for path in ("/", "/config", "/login_check"):
        bodies.append(httpx.get(f"{guarded_url}{path}").text)
    for text in [*bodies, caplog.text]:
        assert API_KEY not in text and API_KEY[:-1] not in text and PASSWORD not in text
    assert "/v1/models" in caplog.text  # the access log was captured, so the check above means something


def test_login_required_for_the_page_when_auth_set(guarded_url: str) -> None:
    with httpx.Client(base_url=guarded_url, timeout=30) as anon:
        assert anon.get("/config").status_code == 401
        assert "生成提纲" not in anon.get("/").text
        bad = anon.post("/login", data={"username": "editor", "password": "wrong"})
        assert bad.status_code >= 400
        assert anon.get("/config").status_code == 401
    with httpx.Client(base_url=guarded_url, timeout=30) as user:
        assert user.post("/login", data={"username": "editor", "password": PASSWORD}).status_code == 200
        config = user.get("/config")
        assert config.status_code == 200 and "生成提纲" in config.text


def test_page_is_open_without_auth(indexed_dir: Path) -> None:
    from assistant.interfaces.server import create_app

    with serving(create_app(make_settings(indexed_dir))) as url:
        config = httpx.get(f"{url}/config", timeout=30)
        assert config.status_code == 200 and "生成提纲" in config.text
