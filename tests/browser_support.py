"""Helpers for the browser tests: run the web app in-process on a free loopback port, drive Debian's chromium."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.netutil import free_port

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from a test run
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
VIEWPORT = {"width": 1440, "height": 1000}


def chromium_path() -> str:
    """Debian's chromium; the project's set-up script installs it (apt-get install chromium fonts-wqy-microhei)."""
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not found:
        raise RuntimeError("chromium is not installed: run `apt-get install -y chromium fonts-wqy-microhei` "
                           "(scripts/setup does it) before the browser tests")
    return found


def launch_chromium(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)


@dataclass
class RunningApp:
    """The web app served by this test process."""

    url: str
    demo: Any
    services: Any

    def close(self) -> None:
        self.demo.close()


def start_app(settings: Any) -> RunningApp:
    """build_services → build_ui → queue → launch on 127.0.0.1, returning once it serves."""
    from assistant.services import build_services
    from assistant.ui import build_ui, launch_options

    services = build_services(settings)
    # Index before the page loads: an embedding still running in a Gradio worker when the interpreter exits
    # aborts the test process (rc 134).
    services.knowledge.ensure_indexed()
    demo = build_ui(services)
    port = free_port()
    demo.queue(default_concurrency_limit=8).launch(
        server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, show_error=False,
        **launch_options())
    return RunningApp(url=f"http://127.0.0.1:{port}/", demo=demo, services=services)


def wait_until(condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    """Poll until true (a wait for the app's background work, not a speed assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


# --- page helpers --------------------------------------------------------------------------------------
def box(page: Any, name: str) -> Any:
    """The input or textarea of the Textbox whose elem_id is `<name>-box`."""
    return page.locator(f"#{name}-box textarea, #{name}-box input").first


def value_re(text: str) -> re.Pattern[str]:
    """A regex matching a value that contains `text` anywhere (multi-line)."""
    return re.compile(re.escape(text), re.S)


def open_app(context: Any, url: str) -> Any:
    """A new page on the app, waited until the session is loaded (the status line has its first message)."""
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(url)
    expect(page.locator("#status-line")).not_to_contain_text("正在载入", timeout=60_000)
    return page


def wait_idle(page: Any, timeout: float = 120_000) -> None:
    """Wait until no stream runs: the stop button is disabled again."""
    from playwright.sync_api import expect

    expect(page.locator("#stop-btn")).to_be_disabled(timeout=timeout)


# --- a slow OpenAI-compatible server, so a stream is still running when the test presses 停止 -------------
class SlowChatServer:
    """Streams a long Chinese reply piece by piece from /v1/chat/completions on a loopback port."""

    def __init__(self, pieces: int = 400, delay: float = 0.25) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                return

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                self._json({"object": "list", "data": [{"id": "slow-stub", "object": "model"}]})

            def do_POST(self) -> None:  # noqa: N802
                import json

                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests += 1
                if not body.get("stream"):
                    self._json({"id": "c1", "object": "chat.completion", "created": 0, "model": "slow-stub",
                                "choices": [{"index": 0, "message": {"role": "assistant", "content": "一是"},
                                             "finish_reason": "stop"}]})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                try:
                    for i in range(server.pieces):
                        chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "slow-stub",
                                 "choices": [{"index": 0, "delta": {"content": f"第{i + 1}句工作正在推进。"},
                                              "finish_reason": None}]}
                        self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                        self.wfile.flush()
                        time.sleep(server.delay)
                    self.wfile.write(b"data: [DONE]\n\n")
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client stopped listening: that is what the test wants

            def _json(self, data: dict[str, Any]) -> None:
                import json

                raw = json.dumps(data, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.pieces = pieces
        self.delay = delay
        self.requests = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
