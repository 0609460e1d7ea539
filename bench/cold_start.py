"""Cold start: process start → first answered search, and → the app's page served; plus the server helper
the memory and load benchmarks share (a real `python -m assistant serve` on loopback, stopped by its id)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from assistant.netutil import free_port

REPO = Path(__file__).resolve().parents[1]
SEARCH_QUERY = "组织职工开展劳动竞赛和技能比武"


def child_env(data_dir: Path, knowledge_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for an app process: offline, no telemetry, this data dir, the template backend by default."""
    env = dict(os.environ)
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                "ASSISTANT_DATA_DIR": str(data_dir.resolve()), "ASSISTANT_KNOWLEDGE_DIR": str(knowledge_dir.resolve()),
                "ASSISTANT_BACKEND": "template", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def http_get(url: str, timeout: float = 5.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - loopback only
            resp.read()
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def http_json(url: str, payload: dict[str, Any] | None = None, timeout: float = 300.0,
              headers: dict[str, str] | None = None) -> tuple[int, Any]:
    """POST (or GET without payload) JSON; returns (status, parsed body or text)."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8") if payload is not None else None
    req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET",
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - loopback only
            status, body = int(resp.status), resp.read()
    except urllib.error.HTTPError as exc:
        status, body = int(exc.code), exc.read()
    text = body.decode("utf-8", errors="replace")
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


class AppServer:
    """`python -m assistant serve` in its own process group on a free loopback port."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = log_path.open("wb")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 120.0) -> float:
        """Seconds from process start to GET / answering 200."""
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with code {self.proc.returncode}: {self.log_tail()}")
            try:
                if http_get(self.base + "/", timeout=2.0) == 200:
                    return time.perf_counter() - self.started
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        raise TimeoutError(f"server not ready within {timeout:.0f} s: {self.log_tail()}")

    def log_tail(self, chars: int = 600) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Terminate the server's own process group (only what this object started)."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
        self._log.close()

    def __enter__(self) -> AppServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def search_cold_start(env: dict[str, str], runs: int) -> dict[str, Any]:
    """Wall time of `python -m assistant search … --json` on an indexed data dir, from process start."""
    times = []
    hits = 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "assistant", "search", SEARCH_QUERY, "--json"], cwd=REPO,
                              env=env, capture_output=True, text=True, timeout=300, check=False)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(f"search exited {proc.returncode}: {proc.stderr[-400:]}")
        data = json.loads(proc.stdout.strip().splitlines()[-1])
        hits = len(data.get("results", []))
        if hits == 0:
            raise RuntimeError("cold search answered with no results")
        times.append(elapsed)
    return {"search_cold_start_s": round(min(times), 2), "search_cold_start_median_s": round(sorted(times)[len(times) // 2], 2),
            "search_cold_start_runs_s": [round(t, 2) for t in times], "search_hits": hits}


def page_cold_start(env: dict[str, str], log_path: Path) -> tuple[dict[str, Any], AppServer]:
    """Start the app and time GET / → 200; the caller owns (and stops) the returned server."""
    server = AppServer(env, log_path)
    try:
        ready = server.wait_ready()
    except Exception:
        server.stop()
        raise
    return {"page_cold_start_s": round(ready, 2)}, server
