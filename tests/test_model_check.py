"""检查模型 asks the configured server for real (a stub OpenAI-compatible server and plain sockets on loopback) and
says what came back in Chinese; the key is sent but never shown."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from assistant.services.drafting import ModelChoice
from assistant.ui.model_check import check_model, check_openai
from tests.conftest import make_settings
from tests.stub_openai_server import running_stub

KEY = "sk-check-never-shown-31c"


def test_the_model_list_is_reported_and_the_key_is_sent(tmp_path: Path) -> None:
    with running_stub(models=["qwen2.5:7b", "deepseek-chat"], api_key=KEY) as stub:
        report = check_model(make_settings(tmp_path), ModelChoice("openai", stub.base_url, KEY, "qwen2.5:7b"))
        assert report.kind == "ok", report.message
        assert "提供 2 个模型：qwen2.5:7b、deepseek-chat" in report.message and "将使用“qwen2.5:7b”" in report.message
        assert KEY not in report.message
        wrong = check_model(make_settings(tmp_path), ModelChoice("openai", stub.base_url, "sk-wrong", "qwen2.5:7b"))
        assert wrong.kind == "error" and "拒绝了访问（401）" in wrong.message and "sk-wrong" not in wrong.message
        other = check_openai(stub.base_url, "llama3", KEY, 5)
        assert other.kind == "warn" and "没有“llama3”" in other.message


def test_a_refused_connection_and_a_bad_url_are_named() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nothing listens there
    refused = check_openai(f"http://127.0.0.1:{port}/v1", "m", "", 5)
    assert refused.kind == "error" and "连接被拒绝" in refused.message and f"127.0.0.1:{port}" in refused.message
    bad = check_openai("127.0.0.1:11434", "m", "", 5)
    assert bad.kind == "error" and "地址" in bad.message and "无效" in bad.message
    hidden = check_openai(f"http://user:{KEY}@127.0.0.1:{port}/v1", "m", "", 5)
    assert KEY not in hidden.message


class _Web(BaseHTTPRequestHandler):
    """An ordinary web server: a page, not a model list."""

    def log_message(self, *args: Any) -> None:
        return

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        status = 404 if self.path.startswith("/missing") else 200
        body = "<html><body>欢迎</body></html>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def web() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Web)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_server_that_is_not_openai_compatible_is_said_so(web: str) -> None:
    page = check_openai(f"{web}/v1", "m", "", 5)
    assert page.kind == "error" and "不是 OpenAI 兼容服务" in page.message
    missing = check_openai(f"{web}/missing", "m", "", 5)
    assert missing.kind == "error" and "404" in missing.message


def test_a_silent_server_times_out() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)  # accepts the connection, never answers
        port = s.getsockname()[1]
        report = check_openai(f"http://127.0.0.1:{port}/v1", "m", "", 0.5)
    assert report.kind == "error" and "没有响应" in report.message


def test_template_and_an_embedded_file_that_is_no_model(tmp_path: Path) -> None:
    template = check_model(make_settings(tmp_path), ModelChoice("template"))
    assert template.kind == "ok" and "不使用模型" in template.message
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"not a model at all")
    report = check_model(make_settings(tmp_path, llm_model_path=fake), ModelChoice("embedded"))
    assert report.kind == "error" and "本地模型不可用" in report.message
    assert "GGUF" in report.message or "llama-cpp-python" in report.message
