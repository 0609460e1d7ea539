"""No silent fallback (issue 23 §1): a truly bad model file makes every face say, in one Chinese sentence, why
the local model cannot be used and what wrote the text instead; `--backend embedded` named explicitly exits 2.

The bad file is small (the packaged model's name, a few bytes): its sidecar cannot match and its size rules
out a rehash, so nothing here reads 1.1 GB. The rehash of a copied model is tested in test_llm_registry.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from assistant.llm import model_files
from tests.conftest import KNOWLEDGE, REPO, make_settings
from tests.server_support import serving

pytestmark = pytest.mark.integration

FACTS_YAML = """单位: 市疾病预防控制中心
年度: 2025
成绩:
  - 开展传染病监测12万人次
  - 举办健康教育讲座40场
问题:
  - 基层人员不足
计划:
  - 开展慢病筛查
"""
FACTS_MSG = "单位：市疾病预防控制中心\n年度：2025\n成绩：开展传染病监测12万人次\n起草主要成绩部分"


def _is_notice(text: str) -> bool:
    """The fallback sentence: names the local model, why (校验) and what was used instead (模板模式)."""
    return "本地模型不可用" in text and "校验" in text and "模板模式" in text


@pytest.fixture()
def bad_data(indexed_dir: Path, tmp_path: Path) -> Path:
    """A copy of the indexed data dir whose packaged model file is garbage (no valid sidecar)."""
    target = tmp_path / "data"
    shutil.copytree(indexed_dir, target)
    model = model_files.packaged_model_path(make_settings(target))
    model.parent.mkdir(parents=True, exist_ok=True)
    model.write_bytes(b"GGUF" + os.urandom(2048))
    model.with_name(model.name + ".sha256").write_text('{"sha256": "0", "size": 1, "mtime_ns": 1}', encoding="utf-8")
    return target


@pytest.fixture()
def facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS_YAML, encoding="utf-8")
    return path


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    return {**env, "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_KNOWLEDGE_DIR": str(KNOWLEDGE),
            "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", **extra}


def _cli(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          env=_env(data_dir), cwd=REPO, timeout=600)


# --- CLI ---------------------------------------------------------------------------------------------------
def test_cli_default_backend_falls_back_and_says_so_before_and_after(bad_data: Path, facts_file: Path,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "总结.docx"
    proc = _cli(["export", "--facts", str(facts_file), "--out", str(out)], bad_data)
    assert proc.returncode == 0, proc.stderr
    assert out.is_file() and "已导出" in proc.stdout
    said = [line for line in proc.stderr.splitlines() if _is_notice(line)]
    assert len(said) == 2 and said[0] == said[1]  # before drafting and after the result
    assert said[0].count("。") == 1  # one sentence

    drafted = _cli(["draft", "--facts", str(facts_file), "--section", "成绩", "--json"], bad_data)
    assert drafted.returncode == 0, drafted.stderr
    data = json.loads(drafted.stdout)
    assert data["backend"] == "template" and _is_notice(data["notice"])


@pytest.mark.parametrize("command", [["export", "--out", "OUT"], ["draft", "--section", "成绩"], ["outline"]])
def test_cli_explicit_embedded_backend_exits_2(command: list[str], bad_data: Path, facts_file: Path,
                                               tmp_path: Path) -> None:
    out = tmp_path / "总结.docx"
    args = [str(out) if a == "OUT" else a for a in command]
    proc = _cli([*args, "--facts", str(facts_file), "--backend", "embedded"], bad_data)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "本地模型不可用" in lines[0] and "校验" in lines[0] and "没有起草" in lines[0]
    assert proc.stdout == "" and not out.exists()


# --- API ---------------------------------------------------------------------------------------------------
def test_api_reply_and_headers_name_the_fallback(bad_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.interfaces.server import create_app

    for key in [k for k in os.environ if k.startswith("ASSISTANT_")]:
        monkeypatch.delenv(key)
    with serving(create_app(make_settings(bad_data, backend="embedded"))) as url:
        body = {"model": "summary-writer", "messages": [{"role": "user", "content": FACTS_MSG}]}
        plain = httpx.post(f"{url}/v1/chat/completions", json=body, timeout=120)
        assert plain.status_code == 200
        notice = unquote(plain.headers["X-Assistant-Notice"])
        assert _is_notice(notice) and plain.headers["X-Assistant-Backend"] == "template"
        reply = plain.json()
        assert reply["x_assistant"]["notice"] == notice and reply["x_assistant"]["backend"] == "template"
        content = reply["choices"][0]["message"]["content"]
        assert content.startswith(f"（{notice}）") and "12万人次" in content

        full = httpx.post(f"{url}/v1/chat/completions", json={**body, "model": "summary-writer-full"}, timeout=120)
        assert full.json()["choices"][0]["message"]["content"].count(notice) == 1  # once, not per section

        with httpx.stream("POST", f"{url}/v1/chat/completions", json={**body, "stream": True}, timeout=120) as resp:
            assert unquote(resp.headers["X-Assistant-Notice"]) == notice
            events = [json.loads(line[6:]) for line in resp.iter_lines() if line.startswith("data: {")]
        text = "".join(c["choices"][0]["delta"].get("content") or "" for c in events if c.get("choices"))
        assert text.startswith(f"（{notice}）")
        assert events[-1]["x_assistant"]["notice"] == notice

        fine = httpx.post(f"{url}/v1/chat/completions", json={**body, "model": "summary-writer@template"}, timeout=120)
        assert "X-Assistant-Notice" not in fine.headers and fine.headers["X-Assistant-Backend"] == "template"
        assert fine.json()["x_assistant"]["notice"] == "" and "本地模型" not in fine.text


# --- MCP ---------------------------------------------------------------------------------------------------
def test_mcp_tool_results_name_the_fallback(bad_data: Path, tmp_path: Path) -> None:
    from mcp import ClientSession, StdioServerParameters, stdio_client

    params = StdioServerParameters(command=sys.executable, args=["-m", "assistant", "mcp"], cwd=str(REPO),
                                   env=_env(bad_data, ASSISTANT_BACKEND="embedded"))

    async def scenario() -> tuple[dict, dict, dict]:
        with (tmp_path / "stderr.log").open("w", encoding="utf-8") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    calls = [("draft_section", {"facts": FACTS_YAML, "section": "成绩"}),
                             ("outline", {"facts": FACTS_YAML}),
                             ("draft_section", {"facts": FACTS_YAML, "section": "开头", "backend": "template"})]
                    results = []
                    for name, args in calls:
                        result = await session.call_tool(name, args)
                        assert not result.is_error, result.content
                        results.append(result.structured_content)
                    return results[0], results[1], results[2]

    async def bounded() -> tuple[dict, dict, dict]:
        async with asyncio.timeout(300):
            return await scenario()

    draft, outline, chosen = asyncio.run(bounded())
    assert _is_notice(draft["notice"]) and draft["backend"] == "template" and "12万人次" in draft["text"]
    assert outline["notice"] == draft["notice"]
    assert chosen["notice"] == ""  # the template asked for by name is no fallback


# --- the page ----------------------------------------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.slow
def test_page_status_model_tab_and_export_name_the_fallback(bad_data: Path, context: Any) -> None:
    from playwright.sync_api import expect

    from tests.browser_support import fill_sample, open_app, running_app, wait_idle

    with running_app(make_settings(bad_data, backend="embedded")) as app:
        page = open_app(context, app.url)
        page.get_by_role("tab", name="模型").click()
        model_tab = page.locator("#model-status")
        expect(model_tab).to_contain_text("本地模型不可用")  # before any draft: on page load
        expect(model_tab).to_contain_text("模板模式")
        fill_sample(page)
        page.get_by_role("tab", name="起草").click()
        page.get_by_role("button", name="起草全文", exact=True).click()
        status = page.locator("#status-line")
        expect(status).to_contain_text("全文已起草", timeout=180_000)
        wait_idle(page)
        expect(status).to_contain_text("本地模型不可用")  # after drafting, in the same line as the result
        expect(status).to_contain_text("校验")
        page.get_by_role("tab", name="全文与导出").click()
        page.get_by_role("button", name="导出 Word (.docx)").click()
        expect(status).to_contain_text("已导出", timeout=120_000)
        expect(status).to_contain_text("本地模型不可用")
        page.get_by_role("tab", name="模型").click()
        expect(model_tab).to_contain_text("本地模型不可用")


@pytest.mark.browser
@pytest.mark.slow
def test_page_says_when_there_are_no_examples(tmp_path: Path, context: Any) -> None:
    from playwright.sync_api import expect

    from tests.browser_support import act, fill_sample, open_app, running_app

    empty = tmp_path / "knowledge"
    empty.mkdir()
    with running_app(make_settings(tmp_path / "data", knowledge_dir=empty)) as app:
        page = open_app(context, app.url)
        page.get_by_role("tab", name="范文库").click()
        expect(page.locator("#kb-count")).to_contain_text("范文库是空的", timeout=60_000)
        fill_sample(page)
        page.get_by_role("tab", name="起草").click()
        act(page, "起草本节", "已起草")
        expect(page.locator("#status-line")).to_contain_text("范文库是空的")
