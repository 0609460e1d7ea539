"""Shared fixtures: repo paths, the shared corpus, and one indexed store per test session.

The index is built once with the real m3e-small model and real Chroma; tests that only read it share it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings, load_settings
from tests.browser_support import app, browser, context, page  # noqa: F401 - the browser tests' fixtures

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
KNOWLEDGE = REPO / "knowledge"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No developer's ASSISTANT_* settings leak into tests."""
    for key in list(os.environ):
        if key.startswith("ASSISTANT_"):
            monkeypatch.delenv(key, raising=False)


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Test settings: a private data dir, the repo's examples, the template backend unless told otherwise."""
    values: dict[str, object] = {"data_dir": data_dir, "knowledge_dir": KNOWLEDGE, "backend": "template"}
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture(scope="session")
def indexed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir whose store holds the five house examples (built once per session)."""
    import fcntl
    import shutil

    from assistant.services import build_services

    # Built once per run and copied into each xdist worker (the workers would otherwise both spend ~20 s
    # embedding the same examples at the same time); each worker writes only to its own copy.
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "indexed-shared"  # this run's
    with open(f"{shared}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / ".ready").exists():
            shutil.rmtree(shared, ignore_errors=True)
            build_services(make_settings(shared)).knowledge.ingest()
            (shared / ".ready").touch()
        data_dir = tmp_path_factory.mktemp("indexed")
        shutil.copytree(shared, data_dir, dirs_exist_ok=True)
    return data_dir


@pytest.fixture()
def indexed_copy(indexed_dir: Path, tmp_path: Path) -> Path:
    """A private data dir that starts as a copy of `indexed_dir`: a test may write sessions and versions without
    paying for indexing the examples again (a few MB, copied in milliseconds)."""
    import shutil

    data_dir = tmp_path / "indexed-copy"
    shutil.copytree(indexed_dir, data_dir)
    return data_dir


@pytest.fixture()
def indexed_settings(indexed_dir: Path) -> Settings:
    return make_settings(indexed_dir)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"the shared corpus is not beside the repo ({SHARED}); it is not shipped with the project")
    return SHARED


def run_cli(args: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The CLI in process on this data dir: (exit code, stdout, stderr)."""
    from assistant.interfaces.cli import main

    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def hashed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Knowledge services built during the test embed with the fast HashEmbedder."""
    from tests.fakes import release_chroma, use_hash_embedder

    use_hash_embedder(monkeypatch)
    release_chroma()
    yield
    release_chroma()


@pytest.fixture(scope="module")
def house_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data dir (one per test module) with the house examples indexed by HashEmbedder: for tests of
    everything around retrieval, where its quality is not under test."""
    from assistant.services import build_services
    from tests.fakes import release_chroma, use_hash_embedder

    with pytest.MonkeyPatch.context() as mp:
        use_hash_embedder(mp)
        release_chroma()
        data_dir = tmp_path_factory.mktemp("house")
        build_services(make_settings(data_dir)).knowledge.ingest()
        yield data_dir
        release_chroma()


@pytest.fixture()
def stub() -> Iterator[object]:
    """A scripted OpenAI-compatible server on loopback (tests/stub_openai_server.py)."""
    from tests.stub_openai_server import running_stub

    with running_stub() as server:
        yield server
