"""Test doubles shared by several test modules (unit tests only; the product never uses them)."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.index.embedder import Embedder

HASH_DIM = 64


class HashEmbedder(Embedder):
    """Same interface as the real embedder; vectors from hashed character bigrams (fast, deterministic)."""

    def __init__(self, model_ref: str = "test-hash", batch_size: int = 8, **_options: Any) -> None:
        super().__init__(f"test-hash-{HASH_DIM}", batch_size)

    @property
    def dimension(self) -> int:
        return HASH_DIM

    def encode(self, texts: list[str], *, show_progress: bool = False) -> Any:
        out = np.zeros((len(texts), HASH_DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for j in range(len(text) - 1):
                out[i, zlib.crc32(text[j:j + 2].encode("utf-8")) % HASH_DIM] += 1.0
            out[i, 0] += 1e-3
            out[i] /= np.linalg.norm(out[i])
        return out


def use_hash_embedder(monkeypatch: pytest.MonkeyPatch | None = None) -> None:
    """Make every KnowledgeService built from now on embed with HashEmbedder."""
    import assistant.services.knowledge as knowledge_module

    if monkeypatch is None:
        knowledge_module.Embedder = HashEmbedder  # type: ignore[misc]
    else:
        monkeypatch.setattr(knowledge_module, "Embedder", HashEmbedder)


def release_chroma() -> None:
    """Drop Chroma's per-path client cache so the next open reads what is on disk now."""
    import gc

    from chromadb.api.client import SharedSystemClient

    gc.collect()
    SharedSystemClient.clear_system_cache()


def hashed_services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, examples: dict[str, str]) -> tuple[Any, Any]:
    """Services over these example files (name → text), embedded with HashEmbedder and indexed: a test of the
    drafting path that needs a store but not the real model. Returns the services and the ingest report; call
    release_chroma() when done."""
    from assistant.services import build_services
    from tests.conftest import make_settings

    use_hash_embedder(monkeypatch)
    release_chroma()
    folder = tmp_path / "examples"
    folder.mkdir()
    for name, text in examples.items():
        (folder / name).write_text(text, encoding="utf-8")
    built = build_services(make_settings(tmp_path / "data", knowledge_dir=folder))
    return built, built.knowledge.ingest()
