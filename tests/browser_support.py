"""Helpers for the browser tests: run the web app in-process on a free loopback port, drive Debian's chromium.

The fixtures here (app, browser, context, page) reach every test module through tests/conftest.py. They are
module-scoped where that is safe, so a module starts one app and one chromium; each test still gets a fresh
browser context (its own cookies and storage, hence its own session). A module that needs other settings
defines its own `app`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assistant.netutil import free_port

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from a test run
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
VIEWPORT = {"width": 1440, "height": 1000}
SAMPLE_UNIT = "市交通运输局工会"  # the unit 填入示例 fills in


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


@contextmanager
def running_app(settings: Any) -> Iterator[RunningApp]:
    """start_app for the length of a with-block."""
    running = start_app(settings)
    try:
        yield running
    finally:
        running.close()


def wait_until(condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    """Poll until true (a wait for the app's background work, not a speed assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


# --- fixtures (registered in tests/conftest.py) ---------------------------------------------------------
@pytest.fixture(scope="module")
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
        indexed_dir: Path) -> Iterator[RunningApp]:
    """The web app on the default test settings, one per test module: tests of one module share its sessions.

    Its store is a copy of the session's indexed one (the same examples and embedder): indexing anew costs
    about 20 s of CPU per module, a copy a tenth of a second."""
    from tests.conftest import make_settings  # not at the top: conftest imports this module

    name = request.module.__name__.rpartition(".")[2]
    data_dir = tmp_path_factory.mktemp(name)
    shutil.copytree(indexed_dir / "chroma", data_dir / "chroma")
    with running_app(make_settings(data_dir)) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless chromium per test module (not per session: sync Playwright holds an event loop open)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = launch_chromium(p)
        yield launched
        launched.close()


@pytest.fixture()
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser context per test: no cookies or storage, so the page opens a new session."""
    ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
    yield ctx
    ctx.close()


@pytest.fixture()
def page(app: RunningApp, context: Any) -> Any:
    """The module's app, opened and loaded in a fresh context."""
    return open_app(context, app.url)


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


def act(page: Any, button: str, status: str, *, error: bool = False) -> None:
    """Click an action and wait for its final status line (and the buttons to come back)."""
    from playwright.sync_api import expect

    page.get_by_role("button", name=button, exact=True).click()
    line = page.locator("#status-line .status-error" if error else "#status-line")
    expect(line).to_contain_text(status, timeout=180_000)
    wait_idle(page)


def pick_section(page: Any, role: str) -> None:
    """Set the section radio (开头, 成绩, 问题, 计划, 结尾)."""
    page.locator(f'[data-testid="{role}-radio-label"]').click()


def fill_form(page: Any, **fields: str) -> None:
    """Type each value into the facts box of that name (unit, year, title, achievements, problems, plans)."""
    for name, value in fields.items():
        box(page, name).fill(value)


def fill_sample(page: Any) -> None:
    """Press 填入示例 and wait until the form holds the sample facts."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="填入示例").click()
    expect(box(page, "unit")).to_have_value(SAMPLE_UNIT)


def use_openai(page: Any, base_url: str, model: str, key: str = "") -> None:
    """Choose an OpenAI-compatible server on the 模型 tab (the page stays on that tab)."""
    page.get_by_role("tab", name="模型").click()
    page.get_by_text("兼容 OpenAI 的服务").click()
    box(page, "base-url").fill(base_url)
    box(page, "model-name").fill(model)
    if key:
        box(page, "api-key").fill(key)


def send_chat(page: Any, message: str, *, paste: bool = False) -> None:
    """Send a chat message from the 对话 tab: typed, or inserted as a clipboard paste does."""
    page.get_by_role("tab", name="对话").click()
    field = box(page, "chat-input")
    if paste:
        field.click()
        page.keyboard.insert_text(message)
    else:
        field.fill(message)
    field.press("Enter")


def reload_restored(page: Any) -> None:
    """Reload the page and wait until it says the saved session is restored."""
    from playwright.sync_api import expect

    page.reload()
    expect(page.locator("#status-line")).to_contain_text("已恢复", timeout=60_000)


# --- what the app saved --------------------------------------------------------------------------------
@dataclass(frozen=True)
class SavedSession:
    """One session file as the app wrote it: its raw text (for "never saved" checks) and the parsed data."""

    sid: str
    raw: str
    data: dict[str, Any]

    @property
    def form(self) -> dict[str, Any]:
        form = self.data.get("form")
        return form if isinstance(form, dict) else {}


def saved_sessions(app: RunningApp) -> list[SavedSession]:
    """Every session file the app has saved; a file that does not parse keeps its raw text and empty data."""
    found = []
    for f in sorted(app.services.settings.sessions_dir.glob("*.json")):
        try:
            raw = f.read_text(encoding="utf-8")
        except OSError:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            data = {}
        found.append(SavedSession(f.stem, raw, data if isinstance(data, dict) else {}))
    return found


def saved_session(app: RunningApp, unit: str, containing: str = "") -> SavedSession | None:
    """The saved session whose form names `unit` (and whose file holds `containing`), if any."""
    return next((s for s in saved_sessions(app) if s.form.get("unit") == unit and containing in s.raw), None)


def versions_of(app: RunningApp, unit: str, target: str, containing: str = "") -> list[Any]:
    """The versions of `target` (a section or 全文) in the session of `unit`, newest first; none without one."""
    from assistant.services.versions import VersionStore

    session = saved_session(app, unit, containing)
    if session is None:
        return []
    return VersionStore(app.services.settings.sessions_dir / "versions").list(session.sid, target)


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
