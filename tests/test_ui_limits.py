"""The page's bounds: text boxes hold ASSISTANT_MAX_INPUT_KB, a paste over it gets a Chinese message naming the
box and the limit before any handler runs; exported files wait in one download folder per process, pruned and
removed at exit; Gradio's own cache is bounded."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import pytest

from tests.conftest import REPO, make_settings

BIG = "组织职工技能培训12期，参训860人次。" * 120  # about 6.5 KB


@pytest.fixture()
def wiring() -> Any:
    from assistant.ui.layout import Wiring, _text

    w = Wiring(max_input_bytes=1024)
    with gr.Blocks():
        _text(w, "achievements", "主要工作与成绩")
        _text(w, "chat_input")
        w.add("status", gr.HTML(""))
    return w


def test_a_handler_never_sees_a_text_over_the_limit(wiring: Any) -> None:
    calls: list[tuple[Any, ...]] = []

    def handler(*args: Any) -> dict[str, Any]:
        calls.append(args)
        return {"status": "ok"}

    wrapped = wiring.wrap(handler, ("status",), [wiring["achievements"], wiring["chat_input"]])
    with pytest.warns(UserWarning):  # gr.Warning outside a request is a plain warning
        out = wrapped(BIG, "请起草")
    assert calls == []
    status = out[wiring["status"]]
    assert "“主要工作与成绩”中的文字太大" in status and "上限 1 KB" in status
    with pytest.warns(UserWarning):
        out = wrapped("培训12期", BIG)
    assert calls == [] and "“对话消息”中的文字太大" in out[wiring["status"]]
    assert wrapped("培训12期", "请起草") == {wiring["status"]: "ok"} and len(calls) == 1


def test_a_streaming_handler_is_refused_before_it_starts(wiring: Any) -> None:
    started: list[bool] = []

    def stream(text: str) -> Iterator[dict[str, Any]]:
        started.append(True)
        yield {"status": "writing"}

    wrapped = wiring.wrap(stream, ("status",), [wiring["achievements"]])
    with pytest.warns(UserWarning):
        updates = list(wrapped(BIG))
    assert started == [] and len(updates) == 1 and "上限 1 KB" in updates[0][wiring["status"]]


@pytest.fixture()
def page_settings(tmp_path: Path) -> Any:
    empty = tmp_path / "knowledge"
    empty.mkdir()
    return make_settings(tmp_path / "data", knowledge_dir=empty, max_input_kb=1)


def test_every_text_box_is_bounded_by_the_setting(page_settings: Any) -> None:
    from assistant.services import build_services
    from assistant.ui import build_ui
    from assistant.ui.layout import GRADIO_CACHE

    demo = build_ui(build_services(page_settings))
    boxes = [b for b in demo.blocks.values() if isinstance(b, gr.Textbox)]
    assert len(boxes) >= 10
    assert {b.max_length for b in boxes} == {1025}
    assert demo.delete_cache == GRADIO_CACHE


def test_one_download_folder_per_process(page_settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from assistant.services import build_services
    from assistant.ui import build_ui
    from assistant.ui.downloads import download_folder

    folder = download_folder()
    made: list[str] = []
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp(*args: Any, **kwargs: Any) -> str:
        made.append(str(kwargs.get("prefix", "")))
        return real_mkdtemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    services = build_services(page_settings)
    for _ in range(2):
        build_ui(services)
    assert not [m for m in made if m.startswith("assistant-downloads")]
    assert download_folder() == folder and folder.is_dir()


def test_prune_removes_old_files_and_the_folders_they_leave(tmp_path: Path) -> None:
    from assistant.ui.downloads import prune

    old = tmp_path / "a" / "old.docx"
    old.parent.mkdir()
    old.write_bytes(b"x")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    new = tmp_path / "b" / "new.docx"
    new.parent.mkdir()
    new.write_bytes(b"y")
    assert prune(tmp_path, max_age_s=3600) == 1
    assert not old.parent.exists() and new.exists()
    assert prune(tmp_path / "missing") == 0


def test_the_download_folder_is_removed_when_the_process_ends() -> None:
    code = ("from assistant.ui.downloads import download_folder; f = download_folder(); "
            "(f / 'x.docx').write_bytes(b'x'); print(f)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    folder = Path(out.stdout.strip())
    assert folder.name.startswith("assistant-downloads-") and not folder.exists()


@pytest.mark.browser
def test_a_paste_over_the_limit_is_named_in_the_page(page_settings: Any, context: Any) -> None:
    from playwright.sync_api import expect

    from tests.browser_support import box, open_app, running_app

    with running_app(page_settings) as app:
        page = open_app(context, app.url)
        field = box(page, "achievements")
        assert field.get_attribute("maxlength") == "1025"
        box(page, "unit").fill("市第一中学工会")
        field.fill(BIG)
        page.get_by_role("button", name="起草本节", exact=True).click()
        line = page.locator("#status-line .status-error")
        expect(line).to_contain_text("“主要工作与成绩”中的文字太大", timeout=60_000)
        expect(line).to_contain_text("上限 1 KB")
