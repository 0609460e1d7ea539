"""`assistant mcp`, driven by the official MCP SDK's own ClientSession over stdio and over streamable HTTP.

The server runs as a real child process (`python -m assistant mcp`) on a copy of the indexed data dir with
the template backend; the same scenario (every tool once, a resource, the prompt, bad input) runs over both
transports. A few unit tests cover the facts argument and the HTTP key guard without a child process.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from assistant.errors import UserError
from assistant.netutil import free_port
from assistant.schema import require_role
from tests.conftest import KNOWLEDGE, REPO, make_settings, run_cli
from tests.server_support import stop_process

FACTS_TEXT = ("单位：市第一中学工会\n年度：2024\n成绩：\n- 举办教职工技能培训班4期，培训340人次\n"
              "- 走访慰问困难教职工26户，发放慰问金11.6万元\n问题：\n- 部分青年教师参与工会活动积极性不高\n"
              "计划：\n- 开展教职工心理健康讲座\n")
FACTS_OBJECT = {"单位": "市第一中学工会", "年度": 2024,
                "成绩": ["举办教职工技能培训班4期，培训340人次", "走访慰问困难教职工26户，发放慰问金11.6万元"]}
INVENTED = "一年来，举办教职工技能培训班5期，培训340人次。"
TOOLS = {"search_examples", "outline", "interview", "draft_section", "check_draft", "export_docx"}
HUGE = 1024 * 1024 + 1  # over the default input limit (ASSISTANT_MAX_INPUT_KB, 512 KB)
CHILD_MAX_INPUT_KB = 64  # the child runs with a smaller limit, to see the setting applied
CALL_TIMEOUT = 180.0  # seconds for one request; the first search loads the query encoder
SCENARIO_TIMEOUT = 600.0


# --- unit: the facts argument and the key guard ----------------------------------------------------------
def test_facts_argument_takes_the_facts_file_forms() -> None:
    from assistant.interfaces.mcp_server import facts_from_argument

    yaml_text = "单位: 市第一中学工会\n年度: 2024年\n成绩:\n  - 举办教职工技能培训班4期，培训340人次\n"
    json_text = '{"unit": "市第一中学工会", "year": "2024", "achievements": ["举办教职工技能培训班4期，培训340人次"]}'
    for given in (yaml_text, json_text, "单位：市第一中学工会\n年度：2024\n成绩：举办教职工技能培训班4期，培训340人次",
                  {"单位": "市第一中学工会", "年度": 2024, "成绩": "举办教职工技能培训班4期，培训340人次"}):
        facts = facts_from_argument(given)
        assert (facts.unit, facts.year) == ("市第一中学工会", "2024"), given
        assert facts.achievements == ["举办教职工技能培训班4期，培训340人次"], given
    loose = facts_from_argument("- 举办培训班4期\n- 明年将开展心理健康讲座")  # a YAML list is a free paste
    assert loose.achievements == ["举办培训班4期"] and loose.plans == ["明年将开展心理健康讲座"]


@pytest.mark.parametrize(("given", "expected"), [
    ("", "是空的"), ("  \n ", "是空的"), ('{"unit": ', "不是有效的 JSON"), ("[1, 2]", "最外层"),
    ("单位: 某工会\n成绩: 5", "一条条的文字"), ("成绩: 培训\x00", "不是文本"), ("年度: 明年", "无法识别年度"),
    ("x" * HUGE, "太大"), ({"单位": ""}, "还没有填写事实"),
])
def test_bad_facts_argument_is_one_chinese_line(given: Any, expected: str) -> None:
    from assistant.interfaces.mcp_server import facts_from_argument

    with pytest.raises(UserError) as caught:
        facts_from_argument(given)
    assert expected in caught.value.message and "\n" not in caught.value.message


def test_http_key_guard_refuses_a_missing_or_wrong_key() -> None:
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from assistant.interfaces.mcp_server import _require_key

    inner = Starlette(routes=[Route("/mcp", lambda request: PlainTextResponse("served"), methods=["POST"])])
    client = TestClient(_require_key(inner, "s3cret"))
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}):
        refused = client.post("/mcp", headers=headers)
        assert refused.status_code == 401 and "ASSISTANT_API_KEY" in refused.json()["error"]
        assert "s3cret" not in refused.text
    assert client.post("/mcp", headers={"Authorization": "Bearer s3cret"}).text == "served"


def test_http_start_problems_are_one_chinese_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad or taken port is said in Chinese with exit code 2, before uvicorn would say it in English."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for argv, expected in ((["--port", "70000"], "端口 70000 无效"), (["--port", str(port)], f"端口 {port} 已被占用")):
            code, out, err = run_cli(["mcp", "--http", *argv], tmp_path, capsys)
            assert code == 2 and expected in err and "Traceback" not in err and out == ""


# --- the child process ----------------------------------------------------------------------------------
@pytest.fixture()
def data_dir(indexed_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the indexed data dir: exports and caches of the child stay out of the shared one."""
    target = tmp_path / "data"
    shutil.copytree(indexed_dir, target)
    return target


def _child_env(refused_port: int) -> dict[str, str]:
    return {"ASSISTANT_BACKEND": "template", "ASSISTANT_KNOWLEDGE_DIR": str(KNOWLEDGE),
            "ASSISTANT_MAX_INPUT_KB": str(CHILD_MAX_INPUT_KB),
            "ASSISTANT_OPENAI_BASE_URL": f"http://127.0.0.1:{refused_port}/v1", "ASSISTANT_OPENAI_MAX_RETRIES": "0",
            "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "PYTHONUNBUFFERED": "1"}


def _data(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    assert isinstance(result.structured_content, dict)
    return result.structured_content


def _error_text(result: Any) -> str:
    assert result.is_error, result
    text = "".join(getattr(c, "text", "") for c in result.content)
    assert text and "Traceback" not in text and "Error executing tool" not in text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    return text


async def _exercise(session: ClientSession, data_dir: Path) -> None:
    """Every tool once on the template backend, a resource, the prompt and bad input; asserts on content."""
    await session.initialize()

    tools = {t.name: t for t in (await session.list_tools()).tools}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in tool.description or ""), tool.name
        for name, prop in tool.input_schema["properties"].items():
            assert prop.get("description"), (tool.name, name)
    assert set(tools["draft_section"].input_schema["required"]) == {"facts", "section"}
    assert {n for n, t in tools.items() if not t.annotations.read_only_hint} == {"export_docx"}

    # search_examples: house passages with document, heading and score, filtered by section
    found = _data(await session.call_tool("search_examples", {"query": "困难职工帮扶 走访慰问", "role": "成绩", "k": 3}))
    house_docs = {p.stem for p in KNOWLEDGE.iterdir() if p.is_file()}
    assert 1 <= len(found["results"]) <= 3
    for hit in found["results"]:
        assert hit["doc"] in house_docs and hit["role"] == "成绩" and "heading" in hit and hit["text"]
        assert isinstance(hit["score"], float)

    # outline and draft_section: the facts' own numbers, from the template backend
    outline = _data(await session.call_tool("outline", {"facts": FACTS_TEXT, "backend": "template"}))
    assert outline["backend"] == "template" and outline["outline"].startswith("一、") and "340人次" in outline["outline"]
    draft = _data(await session.call_tool("draft_section", {"facts": FACTS_OBJECT, "section": "achievements",
                                                             "outline": outline["outline"]}))
    assert draft["section"] == "成绩" and draft["backend"] == "template"
    assert "340人次" in draft["text"] and "11.6万元" in draft["text"]
    assert draft["sources"] and all(s["doc"] in house_docs for s in draft["sources"])
    assert draft["check"]["unsupported_numbers"] == [] and draft["check"]["placeholders"] == []

    # interview: questions about what the house writes and the facts lack, each quoting a house example
    asked = _data(await session.call_tool("interview", {"facts": FACTS_TEXT, "max_questions": 2}))
    assert 1 <= len(asked["questions"]) <= 2
    for q in asked["questions"]:
        assert q["kind"] in ("做法", "成效", "对比", "范围") and q["fact"].startswith("ach")
        assert q["example"] and q["example"] in q["ask"] and q["source"] in house_docs

    # check_draft: an invented number is flagged, and the report is the service's own
    checked = _data(await session.call_tool("check_draft", {"facts": FACTS_TEXT, "text": INVENTED, "section": "成绩"}))
    assert checked["ok"] is False and "5期" in checked["unsupported_numbers"]
    assert any("5期" in p for p in checked["problems"])
    from assistant.facts.parse import parse_facts_text
    from assistant.services import build_services

    local = build_services(make_settings(data_dir)).drafting.check(parse_facts_text(FACTS_TEXT), INVENTED, "成绩")
    assert {k: v for k, v in checked.items() if k != "problems"} == local.to_json()

    # export_docx: a real .docx under the data folder that Word readers open, checked like the CLI's export
    summary = "市第一中学工会2024年工作总结\n" + draft["text"] + "\n存在的问题\n部分青年教师参与工会活动积极性不高。"
    exported = _data(await session.call_tool("export_docx", {"facts": FACTS_TEXT, "text": summary}))
    path = Path(exported["path"])
    assert path.suffix == ".docx" and path.is_file() and (data_dir / "exports").resolve() in path.resolve().parents
    body = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "市第一中学工会2024年工作总结" in body and "发放慰问金11.6万元" in body and "积极性不高" in body
    assert "revisions" not in exported and isinstance(exported["check_ok"], bool)
    earlier = summary.replace("11.6万元", "10万元")
    tracked = _data(await session.call_tool("export_docx", {"facts": FACTS_TEXT, "text": summary, "compare_to": earlier}))
    assert tracked["revisions"] >= 1
    xml = Document(tracked["path"]).element.xml
    assert "<w:ins " in xml and "<w:del " in xml and re.search(r"<w:delText[^>]*>[^<]*10", xml)  # 10 → 11.6
    assert "只有标题" in _error_text(await session.call_tool("export_docx", {"facts": FACTS_TEXT, "text": "总结"}))

    # resources: the house examples, listed and read
    listed = (await session.list_resources()).resources
    assert {r.name for r in listed} == house_docs
    first = next(r for r in listed if r.name == sorted(house_docs)[0])
    assert str(first.uri).startswith("examples://house/") and first.title
    read = await session.read_resource(str(first.uri))
    assert read.contents[0].text.startswith(first.title) and len(read.contents[0].text) > 500
    with pytest.raises(MCPError, match="范文库里没有"):
        await session.read_resource("examples://house/no-such-example")

    # the prompt: 起草年度工作总结 with the facts as its argument
    prompt = next(p for p in (await session.list_prompts()).prompts if p.title == "起草年度工作总结")
    assert [(a.name, a.required) for a in prompt.arguments or []] == [("facts", True)]
    got = await session.get_prompt(prompt.name, {"facts": FACTS_TEXT})
    message = got.messages[0].content.text
    assert "市第一中学工会2024年" in message and "check_draft" in message and "340人次" in message
    with pytest.raises(MCPError, match="是空的"):
        await session.get_prompt(prompt.name, {"facts": " "})

    # bad input: the same one-line Chinese messages as elsewhere, as tool errors
    with pytest.raises(UserError) as unknown:
        require_role("总结")
    bad = await session.call_tool("draft_section", {"facts": FACTS_TEXT, "section": "总结"})
    assert _error_text(bad) == unknown.value.message
    assert "是空的" in _error_text(await session.call_tool("check_draft", {"facts": "", "text": INVENTED}))
    assert "草稿是空的" in _error_text(await session.call_tool("check_draft", {"facts": FACTS_TEXT, "text": "  "}))
    huge = await session.call_tool("outline", {"facts": "成绩：培训4期\n" * 5000})  # ~100 KB
    assert "太大" in _error_text(huge) and f"上限 {CHILD_MAX_INPUT_KB} KB" in _error_text(huge)
    long_draft = await session.call_tool("check_draft", {"facts": FACTS_TEXT, "text": "举办培训班4期。" * 4000})
    assert "草稿太大" in _error_text(long_draft)
    assert "参数“k”" in _error_text(await session.call_tool("search_examples", {"query": "培训", "k": 0}))
    assert "缺少参数“section”" in _error_text(await session.call_tool("draft_section", {"facts": FACTS_TEXT}))
    assert "未知的模型后端" in _error_text(await session.call_tool("outline", {"facts": FACTS_TEXT, "backend": "gpt"}))
    unreachable = await session.call_tool("draft_section", {"facts": FACTS_TEXT, "section": "问题", "backend": "openai"})
    assert "连不上模型服务" in _error_text(unreachable)


def _run(scenario: Any) -> None:
    async def bounded() -> None:
        async with asyncio.timeout(SCENARIO_TIMEOUT):
            await scenario()

    asyncio.run(bounded())


@pytest.mark.integration
def test_stdio_transport_with_the_sdk_client(data_dir: Path, tmp_path: Path) -> None:
    """`assistant -v mcp` over stdio: debug logs go to stderr and never corrupt the protocol on stdout."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "assistant", "-v", "--data-dir", str(data_dir),
                                                                 "mcp"], env=_child_env(free_port()), cwd=str(REPO))
    stray: list[Exception] = []

    async def note(message: Any) -> None:
        if isinstance(message, Exception):
            stray.append(message)

    async def scenario() -> None:
        with (tmp_path / "stderr.log").open("w", encoding="utf-8") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write):
                async with ClientSession(read, write, read_timeout_seconds=CALL_TIMEOUT, message_handler=note) as s:
                    await _exercise(s, data_dir)

    _run(scenario)
    log = (tmp_path / "stderr.log").read_text(encoding="utf-8")
    assert "DEBUG" in log and "Traceback" not in log  # logs were written, to stderr
    assert stray == []  # nothing but protocol messages on stdout


@contextmanager
def _http_child(data_dir: Path, port: int, log_path: Path) -> Iterator[str]:
    """`assistant mcp --http` on a free loopback port until it answers; always stopped afterwards."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")} | _child_env(free_port())
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen([sys.executable, "-m", "assistant", "--data-dir", str(data_dir), "mcp", "--http",
                                 "--port", str(port)], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 120
            while True:
                assert proc.poll() is None, log_path.read_text(encoding="utf-8")
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    assert time.monotonic() < deadline, "the MCP HTTP server did not start"
                    time.sleep(0.2)
            yield f"http://127.0.0.1:{port}/mcp"
        finally:
            stop_process(proc)


@pytest.mark.integration
def test_streamable_http_transport_with_the_sdk_client(data_dir: Path, tmp_path: Path) -> None:
    port = free_port()
    log_path = tmp_path / "server.log"
    with _http_child(data_dir, port, log_path) as url:
        async def scenario() -> None:
            async with streamable_http_client(url) as (read, write):
                async with ClientSession(read, write, read_timeout_seconds=CALL_TIMEOUT) as s:
                    await _exercise(s, data_dir)

        _run(scenario)
    log = log_path.read_text(encoding="utf-8")
    assert f"http://127.0.0.1:{port}/mcp" in log and "Traceback" not in log

