"""Small network helpers shared by the app's tests and benchmarks."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A loopback port nobody listens on right now (for child servers and 'connection refused' cases)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
