"""A small real OpenAI-compatible HTTP server on 127.0.0.1 for tests: scripted replies, delays, errors, cut-offs.

Usage:
    with running_stub() as stub:                 # or the `stub_openai` pytest fixture
        stub.enqueue(StubReply("一段中文回复"))    # next request gets this; later ones get stub.default
        base_url = stub.base_url                 # "http://127.0.0.1:PORT/v1"
        ...
        stub.requests[-1]["body"]["messages"]    # what the client sent (header names are lower-case)

It speaks real HTTP/1.1 with chunked SSE, so clients see genuine timeouts, refusals and broken streams.
Run by hand: `python -m tests.stub_openai_server --port 8001 --reply 你好`.
"""

from __future__ import annotations

import argparse
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

_ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                404: "not_found_error", 429: "rate_limit_error"}


@dataclass
class StubReply:
    """One scripted answer. `text` may be a function of the request body (dynamic replies)."""

    text: str | Callable[[dict[str, Any]], str] = "好的。"
    status: int = 200  # >= 400: an OpenAI-style error JSON with this status
    delay: float = 0.0  # seconds before the response headers (provokes client timeouts)
    chunk_delay: float = 0.0  # seconds between streamed chunks
    chunk_chars: int = 2  # characters per streamed chunk
    cut_after: int | None = None  # drop the connection after this many content chunks (no finish, no [DONE])
    error_message: str = ""

    def render(self, body: dict[str, Any]) -> str:
        return self.text(body) if callable(self.text) else self.text


@dataclass
class StubServer:
    """Handle on a running stub: its address, the replies to give, and the requests it received."""

    host: str
    port: int
    default: StubReply = field(default_factory=StubReply)
    models: list[str] = field(default_factory=lambda: ["stub-model"])
    api_key: str | None = None  # when set, other keys get 401 (the message echoes the key, as some APIs do)
    requests: list[dict[str, Any]] = field(default_factory=list)
    _queue: deque[StubReply] = field(default_factory=deque)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def enqueue(self, *replies: StubReply | str) -> None:
        with self._lock:
            self._queue.extend(StubReply(r) if isinstance(r, str) else r for r in replies)

    def next_reply(self) -> StubReply:
        with self._lock:
            return self._queue.popleft() if self._queue else self.default

    def sleep(self, seconds: float) -> None:
        """Interruptible wait, so stopping the server never hangs on a scripted delay."""
        if seconds > 0:
            self._stopping.wait(seconds)


def _headers(handler: BaseHTTPRequestHandler) -> dict[str, str]:
    """Request headers with lower-case names (clients differ in case)."""
    return {k.lower(): v for k, v in handler.headers.items()}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "StubOpenAI/1.0"
    stub: StubServer  # set on the per-server subclass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # keep test output clean

    # --- helpers ------------------------------------------------------------------------------------
    def _json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": {"message": message, "type": _ERROR_TYPES.get(status, "server_error"),
                                      "code": status}})

    def _authorised(self) -> bool:
        if self.stub.api_key is None:
            return True
        given = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if given == self.stub.api_key:
            return True
        self._error(401, f"Incorrect API key provided: {given}")
        return False

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    # --- endpoints ----------------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self.stub.requests.append({"method": "GET", "path": self.path, "headers": _headers(self), "body": None})
        if self.path.rstrip("/") != "/v1/models":
            self._error(404, f"no route {self.path}")
            return
        if self._authorised():
            self._json(200, {"object": "list", "data": [
                {"id": m, "object": "model", "created": 0, "owned_by": "stub"} for m in self.stub.models]})

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        self.stub.requests.append({"method": "POST", "path": self.path, "headers": _headers(self),
                                   "body": body})
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._error(404, f"no route {self.path}")
            return
        if not self._authorised():
            return
        reply = self.stub.next_reply()
        self.stub.sleep(reply.delay)
        model = str(body.get("model", ""))
        if model not in self.stub.models:
            self._error(404, f"model '{model}' not found")
            return
        if reply.status >= 400:
            self._error(reply.status, reply.error_message or f"scripted error {reply.status}")
            return
        text = reply.render(body)
        if body.get("stream"):
            self._stream(model, text, reply)
        else:
            self._json(200, {
                "id": "chatcmpl-stub", "object": "chat.completion", "created": int(time.time()), "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": len(text), "total_tokens": 1 + len(text)},
            })

    def _stream(self, model: str, text: str, reply: StubReply) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def event(delta: dict[str, Any], finish: str | None = None) -> bytes:
            payload = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "created": int(time.time()),
                       "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()

        self._chunk(event({"role": "assistant", "content": ""}))
        step = max(1, reply.chunk_chars)
        pieces = [text[i:i + step] for i in range(0, len(text), step)]
        for n, piece in enumerate(pieces):
            if reply.cut_after is not None and n >= reply.cut_after:
                self._cut()
                return
            self.stub.sleep(reply.chunk_delay)
            self._chunk(event({"content": piece}))
        if reply.cut_after is not None:
            self._cut()
            return
        self._chunk(event({}, "stop"))
        self._chunk(b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")  # the terminating chunk a cut-off stream never gets
        self.wfile.flush()

    def _cut(self) -> None:
        """Drop the connection mid-body, as a crashed or restarted server would."""
        self.wfile.flush()
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out and hang up are part of the script, not failures


def start_stub(host: str = "127.0.0.1", port: int = 0, **options: Any) -> tuple[StubServer, Callable[[], None]]:
    """Start a stub in a daemon thread; returns it and a stop function."""
    stub = StubServer(host=host, port=0, **options)
    handler = type("StubHandler", (_Handler,), {"stub": stub})
    server = _Server((host, port), handler)
    stub.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True,
                              name=f"stub-openai-{stub.port}")
    thread.start()

    def stop() -> None:
        stub._stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return stub, stop


@contextmanager
def running_stub(**options: Any) -> Iterator[StubServer]:
    stub, stop = start_stub(**options)
    try:
        yield stub
    finally:
        stop()


@pytest.fixture()
def stub_openai() -> Iterator[StubServer]:
    """A fresh stub per test; import this name into a test module (or conftest) to use it."""
    with running_stub() as stub:
        yield stub


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the stub OpenAI-compatible server.")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--reply", default="好的。")
    parser.add_argument("--model", default="stub-model")
    args = parser.parse_args()
    stub, stop = start_stub(port=args.port, default=StubReply(args.reply), models=[args.model])
    print(f"stub OpenAI server at {stub.base_url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        stop()


if __name__ == "__main__":
    main()
