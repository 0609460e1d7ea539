"""Hub access of the embedder: never for the packaged model or a local folder; a hub id only when allowed.

The SentenceTransformer class is replaced by a recorder in the unit tests (no network here); the last test
loads for real with the hub not allowed and must fail fast with a message naming the setting.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from assistant.config import PACKAGED_EMBEDDING, load_settings
from assistant.errors import UserError
from assistant.index import embedder as E

HUB_ID = "BAAI/bge-small-zh-v1.5"


class Recorder:
    """Stands in for SentenceTransformer: remembers how it was called."""

    calls: list[tuple[str, dict[str, Any]]] = []

    def __init__(self, path: str, **kwargs: Any) -> None:
        Recorder.calls.append((path, kwargs))


@pytest.fixture()
def recorder(monkeypatch: pytest.MonkeyPatch) -> type[Recorder]:
    import sentence_transformers

    Recorder.calls = []
    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", Recorder)
    monkeypatch.setattr(E, "_MODELS", E.BoundedCache(max_size=2))
    return Recorder


def test_the_packaged_model_never_touches_the_hub(recorder: type[Recorder]) -> None:
    for allowed in (False, True):
        E.load_model(PACKAGED_EMBEDDING, allowed)
    assert [kw["local_files_only"] for _, kw in recorder.calls] == [True, True]
    path = E.packaged_model_path()
    assert path is not None and recorder.calls[0][0] == str(path)
    assert recorder.calls[0][1]["processor_kwargs"] == {"do_lower_case": True}


def test_a_local_folder_never_touches_the_hub(recorder: type[Recorder], tmp_path: Path) -> None:
    E.load_model(str(tmp_path), True)
    assert recorder.calls == [(str(tmp_path), {"device": "cpu", "local_files_only": True})]


def test_a_hub_id_is_fetched_only_when_allowed(recorder: type[Recorder]) -> None:
    E.load_model(HUB_ID, False)
    E.load_model(HUB_ID, True)
    assert [(p, kw["local_files_only"]) for p, kw in recorder.calls] == [(HUB_ID, True), (HUB_ID, False)]


def test_loading_sets_no_process_wide_offline_switch(recorder: type[Recorder],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    E.load_model(PACKAGED_EMBEDDING)
    assert "HF_HUB_OFFLINE" not in os.environ and "TRANSFORMERS_OFFLINE" not in os.environ


def test_the_model_cache_keeps_the_two_most_recent(recorder: type[Recorder], tmp_path: Path) -> None:
    folders = [tmp_path / str(i) for i in range(3)]
    for f in folders:
        f.mkdir()
        E.load_model(str(f))
    E.load_model(str(folders[2]))  # cached: no new load
    E.load_model(str(folders[0]))  # evicted earlier: loaded again
    assert [Path(p).name for p, _ in recorder.calls] == ["0", "1", "2", "0"]


def test_the_setting_reaches_the_embedder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.services import build_knowledge

    assert build_knowledge(load_settings(data_dir=tmp_path)).embedder.allow_hub_download is False
    monkeypatch.setenv("ASSISTANT_ALLOW_HUB_DOWNLOAD", "true")
    assert build_knowledge(load_settings(data_dir=tmp_path)).embedder.allow_hub_download is True


def test_a_hub_id_not_allowed_fails_fast_naming_the_setting(monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache: the model is not on this machine
    monkeypatch.setattr(E, "_MODELS", E.BoundedCache(max_size=2))
    with pytest.raises(UserError) as info:
        E.load_model("assistant-tests/no-such-model", False)
    assert "ASSISTANT_ALLOW_HUB_DOWNLOAD" in info.value.message
