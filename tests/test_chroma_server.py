"""Chroma server mode against a real `chroma run` server on loopback, started and stopped by this test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.config import load_settings
from assistant.errors import EmbeddingMismatch
from assistant.index.store import open_store
from assistant.netutil import free_port
from tests.conftest import KNOWLEDGE
from tests.server_support import stop_process

pytestmark = pytest.mark.integration


def _chroma_cli() -> str:
    found = Path(sys.executable).with_name("chroma")
    if found.exists():
        return str(found)
    which = shutil.which("chroma")
    assert which, "the chroma CLI (installed with chromadb) is missing from the virtualenv"
    return which


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server with its own data folder; killed at the end."""
    path = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = (path.parent / f"chroma-{port}.log").open("wb")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen([_chroma_cli(), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, "chroma run exited: " + (path.parent / f"chroma-{port}.log").read_text()
            assert time.monotonic() < deadline, "chroma run did not answer its heartbeat"
            time.sleep(0.2)
        yield url
    finally:
        stop_process(proc)
        log.close()


def test_ingest_search_and_guards_on_a_chroma_server(chroma_url: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.services import build_services

    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_url)
    data_dir = tmp_path / "data"
    settings = load_settings(data_dir=data_dir, knowledge_dir=KNOWLEDGE, backend="template")
    assert settings.chroma_url == chroma_url

    services = build_services(settings)
    report = services.knowledge.ingest()
    assert len(report.updated) == len(list(KNOWLEDGE.glob("*.md"))) and report.chunks_added > 0
    assert services.knowledge.chunk_count() == report.chunks_added

    # No embedded Chroma files anywhere under the data dir.
    assert not settings.chroma_dir.exists()
    assert not [p for p in data_dir.rglob("*") if "chroma" in p.name or p.suffix in (".sqlite3", ".bin")]

    hits = services.knowledge.search("困难职工帮扶 送温暖", 4, role="成绩")
    assert hits and all(h.role == "成绩" for h in hits)
    assert len({h.chunk_id for h in hits}) == len(hits)

    # A second process's view: a fresh service graph on the same server embeds nothing again.
    again = build_services(load_settings(data_dir=data_dir, knowledge_dir=KNOWLEDGE, backend="template"))
    second = again.knowledge.ingest()
    assert second.chunks_added == 0 and not second.updated
    assert sorted(second.unchanged) == sorted(report.updated)
    assert again.knowledge.chunk_count() == report.chunks_added

    # The model guard holds on the server too: another embedding model id is refused.
    dimension = services.knowledge.embedder.dimension
    with pytest.raises(EmbeddingMismatch):
        open_store(settings, "another/embedding-model", dimension)
