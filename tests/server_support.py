"""Run the real server (create_app under uvicorn) in a background thread on a free loopback port."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from assistant.netutil import free_port

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Yield the base URL ("http://127.0.0.1:PORT") while uvicorn serves `app`; stop it afterwards."""
    import uvicorn

    port = free_port()
    # log_config=None: uvicorn's loggers propagate to the root logger, so caplog sees them.
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info", log_config=None,
                            lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True, name=f"uvicorn-{port}")
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def stop_process(proc: Any, timeout: float = 15) -> None:
    """Stop a server subprocess: terminate, wait, and kill it if it does not exit in time."""
    import subprocess

    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)
