"""MCP server: search, outline, drafting, the check and Word export as tools for agent clients.

`assistant mcp` serves over stdio (Claude Desktop, Cherry Studio, Cursor, Cline start it as a child process);
`assistant mcp --http` serves streamable HTTP at http://127.0.0.1:7861/mcp. Built on the official SDK's
MCPServer; every tool calls the same services as the page, the API and the CLI.

Tools take `facts` in the forms a facts file takes (YAML, JSON or a free paste, as a string; or a JSON
object). A user's mistake comes back as a tool error (isError) carrying the same one-line Chinese message
as elsewhere, never a traceback. In stdio mode stdout is the protocol: the SDK points fd 1 at stderr while
serving, and logs go to stderr.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError, UnexpectedToolError
from mcp.server.transport_security import DEFAULT_MAX_REQUEST_BODY_SIZE
from mcp.shared.exceptions import MCPError
from mcp_types import INTERNAL_ERROR, INVALID_PARAMS, ToolAnnotations
from mcp_types import Resource as MCPResource
from pydantic import Field, ValidationError

from assistant.config import Settings
from assistant.errors import UserError, os_error_message
from assistant.facts.parse import parse_facts_text, validate_facts
from assistant.limits import DEFAULT_MAX_INPUT_BYTES, check_text_size
from assistant.schema import Facts, require_role, scrub_text

if TYPE_CHECKING:
    from mcp.server.mcpserver import Context

    from assistant.services import Services

log = logging.getLogger(__name__)

SERVER_NAME = "summary-writer"
DEFAULT_HTTP_PORT = 7861  # beside `assistant serve` on 7860
EXAMPLE_URI = "examples://house/{doc}"
EXPORT_FOLDER = "mcp"

INSTRUCTIONS = (
    "工作总结写作助手：按用户自己的事实起草单位的年度工作总结，并核查草稿。建议流程：search_examples 看本单位范文怎么写 → "
    "outline 生成“主要工作和成绩”提纲 → draft_section 依次起草 开头、成绩、问题、计划、结尾 → 改写后用 check_draft 核查 → "
    "export_docx 导出 Word。铁律：草稿里的每个数字、名称都必须来自事实；缺少的写成【待补充：……】，不要编造。"
)

FACTS_HELP = (
    "用户本年度的事实，与事实文件格式相同：YAML、JSON 或纯文本（字符串），也可以直接给 JSON 对象。键可用中文或英文："
    "单位/unit、年度/year、成绩/achievements、问题/problems、计划/plans。例：\"单位：市第一中学工会\\n年度：2024\\n"
    "成绩：\\n- 举办教职工技能培训班4期，培训340人次\\n问题：\\n- 青年教师参与积极性不高\\n计划：\\n- 开展心理健康讲座\""
)
SECTION_HELP = "要起草或核查的部分：开头、成绩、问题、计划、结尾（或 opening、achievements、problems、plans、closing）。例：\"成绩\""
BACKEND_HELP = ("模型后端（可不填，用服务器的设置）：embedded（内置小模型）、openai（兼容 OpenAI 的模型服务）、"
                "template（不用模型，按本单位格式套写事实，结果确定）。例：\"template\"")

# What a tool argument should be, for the Chinese message when a client sends a wrong value.
_ARGUMENT_HINTS = {
    "facts": "事实文本（YAML、JSON 或纯文本字符串）或 JSON 对象", "query": "一段要查找的文字",
    "role": "开头、成绩、问题、计划、结尾之一", "k": "1 到 20 的整数", "section": "开头、成绩、问题、计划、结尾之一",
    "backend": "embedded、openai 或 template", "text": "一段草稿正文", "outline": "一段提纲文字",
    "compare_to": "修改前的全文",
}

FactsArg = Annotated[str | dict[str, Any], Field(description=FACTS_HELP)]
BackendArg = Annotated[str | None, Field(description=BACKEND_HELP)]


def facts_from_argument(value: str | dict[str, Any], max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> Facts:
    """The `facts` argument → validated Facts; a JSON object goes through the same parser as JSON text.

    At most `max_bytes` (ASSISTANT_MAX_INPUT_KB), like a facts file on the CLI."""
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value
    facts = parse_facts_text(text, "facts", max_bytes)
    validate_facts(facts)
    return facts


def _text_argument(value: str, label: str, max_bytes: int) -> str:
    """A draft, outline or summary text: at most `max_bytes` like the CLI's draft files, not empty, text only."""
    check_text_size(value, label, max_bytes, "请只放一份总结的正文")
    if "\x00" in value:
        raise UserError(f"{label}不是文本（含有二进制数据）：请给出草稿的文字。")
    if not value.strip():
        raise UserError(f"{label}是空的：请给出要处理的文字。")
    return scrub_text(value)


class AssistantMCP(MCPServer):
    """MCPServer whose tool errors read as the rest of the assistant's: one Chinese line, no prefix."""

    def __init__(self, services: Services) -> None:
        super().__init__(SERVER_NAME, title="工作总结写作助手", instructions=INSTRUCTIONS, log_level="WARNING")
        self.services = services
        self._index_lock = threading.Lock()
        self._index_checked = False

    def ensure_index(self) -> None:
        """Index the house examples on first use when the store is empty (a fresh data folder), saying so on
        stderr (the client's log; stdout is the protocol), or that there is nothing to index."""
        with self._index_lock:
            if not self._index_checked:
                self.services.knowledge.ensure_indexed(say=_say)
                self._index_checked = True

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Context | None = None) -> Any:
        try:
            return await super().call_tool(name, arguments, context)
        except MCPError:
            raise
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(cause, UserError):
                raise ToolError(cause.message) from cause
            if isinstance(cause, ValidationError):
                raise ToolError(_argument_message(cause)) from cause
            if cause is None and not isinstance(exc, UnexpectedToolError):
                names = "、".join(t.name for t in await self.list_tools())
                raise ToolError(f"没有名为“{name}”的工具：可用的工具有 {names}。") from exc
            if isinstance(cause, OSError):
                message = os_error_message(cause)
                if message is not None:
                    raise ToolError(message) from cause
            # A fault of ours: the SDK logs the traceback to stderr; the client reads one Chinese line.
            kind = type(cause).__name__ if cause is not None else type(exc).__name__
            raise UnexpectedToolError(f"内部错误：{kind}。请查看服务器日志（stderr），并把它报告给维护者。") from exc

    async def list_resources(self) -> list[MCPResource]:
        """The house examples in the index, one resource each, read through the examples:// template."""
        import anyio.to_thread

        docs = await anyio.to_thread.run_sync(self.documents)
        return [*await super().list_resources(), *(
            MCPResource(uri=example_uri(str(d["doc"])), name=str(d["doc"]), title=str(d.get("title") or d["doc"]),
                        description=f"范文《{d.get('title') or d['doc']}》，{d.get('chunks', 0)} 段",
                        mime_type="text/plain")
            for d in docs)]

    def documents(self) -> list[dict[str, object]]:
        """The indexed examples; a user's problem (an index built with another model) as a protocol error."""
        try:
            self.ensure_index()
            return self.services.knowledge.documents()
        except UserError as exc:
            raise MCPError(code=INTERNAL_ERROR, message=exc.message) from exc


def _say(line: str) -> None:
    import sys

    print(line, file=sys.stderr, flush=True)


def example_uri(doc: str) -> str:
    return EXAMPLE_URI.replace("{doc}", quote(doc, safe=""))


def _argument_message(exc: ValidationError) -> str:
    """A client's wrongly typed or missing argument, said in Chinese (pydantic's text is English)."""
    first = exc.errors()[0]
    loc = first.get("loc") or ("?",)
    name = str(loc[0])
    hint = _ARGUMENT_HINTS.get(name, "正确的值")
    if first.get("type") == "missing":
        return f"缺少参数“{name}”：应为{hint}。"
    return f"参数“{name}”的值无效：应为{hint}。"


def build_server(services: Services) -> AssistantMCP:
    """The MCP server over these services: six tools, the house examples as resources, one prompt."""
    from assistant.services.drafting import ModelChoice

    mcp = AssistantMCP(services)
    drafting = services.drafting
    limit = services.settings.max_input_bytes
    # Hints for clients that ask before running tools: only export_docx writes anything (a new file).
    reads = ToolAnnotations(read_only_hint=True, open_world_hint=False)
    writes = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False)

    @mcp.tool(title="检索范文", annotations=reads, description=(
        "在本单位的范文库里检索写法相近的段落，返回每段的文档名（doc）、所在标题（heading）、部分（role）和相关度（score）。"
        "用来学习本单位的措辞和结构；范文中的具体数字、人名、地名属于别的单位，不得写进草稿。"))
    def search_examples(
        query: Annotated[str, Field(description="要查找的内容，例：\"困难职工帮扶\" 或 \"职工技能培训\"")],
        role: Annotated[str | None, Field(description="只看某一部分的段落（可不填）：开头、成绩、问题、计划、结尾。例：\"成绩\"")] = None,
        k: Annotated[int, Field(ge=1, le=20, description="返回几段，1 到 20。例：3")] = 3,
    ) -> dict[str, Any]:
        check_text_size(query, "查询内容", limit, "请只写要查找的几个词")
        query = scrub_text(query)
        section = require_role(role) if role is not None and role.strip() else None
        mcp.ensure_index()
        hits = services.knowledge.search(query, k, role=section)
        return {"query": query, "results": [h.to_json() for h in hits]}

    @mcp.tool(title="生成提纲", annotations=reads, description=(
        "按事实生成“主要工作和成绩”部分的提纲（一、二、三……的标题，每个标题下列出它用到的事实）。"
        "返回 outline（提纲文字）、sources（参考的范文段落）和 check（核查报告）。可把 outline 传给 draft_section。"
        "notice 不为空时，说明所选模型不可用、改用了什么（backend 是实际使用的后端），请转告用户。"))
    def outline(facts: FactsArg, backend: BackendArg = None) -> dict[str, Any]:
        parsed = facts_from_argument(facts, limit)
        mcp.ensure_index()
        choice = ModelChoice(backend=backend)
        notice = drafting.resolve(choice).notice
        data = drafting.outline(parsed, choice).to_json()
        data["outline"] = data.pop("text")
        return {"notice": notice, **data}

    @mcp.tool(title="补充提问", annotations=reads, description=(
        "对照范文，列出这些事实还缺的内容（做法、成效、与上年比较、覆盖范围），最多 max_questions 个问题。"
        "返回 questions：每个问题有 fact（事实编号，如 ach2）、result（那条事实）、kind（做法/成效/对比/范围）、"
        "ask（问题）、example（范文里的写法）、source（范文文档）。把用户的回答写成事实的“做法”或“成效”后再起草。"))
    def interview(facts: FactsArg, max_questions: Annotated[int, Field(ge=1, le=20, description="最多几个问题，例：3")] = 3
                  ) -> dict[str, Any]:
        parsed = facts_from_argument(facts, limit)
        mcp.ensure_index()
        return {"questions": [q.to_json() for q in services.interview.questions(parsed, limit=max_questions)]}

    @mcp.tool(title="起草一个部分", annotations=reads, description=(
        "按事实起草总结的一个部分，仿照本单位范文的写法，并自动核查。返回 text（交付的正文）、sources（参考的范文段落）"
        "和 check（核查报告：ok 为 true 表示通过；unsupported_numbers 是事实中没有的数字，leaks 是照搬范文的内容）。"
        "缺少的事实在正文里写成【待补充：……】。notice 不为空时，说明所选模型不可用、改用了什么（backend 是实际使用的后端），"
        "请转告用户。"))
    def draft_section(
        facts: FactsArg,
        section: Annotated[str, Field(description=SECTION_HELP)],
        backend: BackendArg = None,
        outline: Annotated[str, Field(description="（可选，仅用于“成绩”部分）outline 工具生成或用户改过的提纲文字")] = "",
    ) -> dict[str, Any]:
        role = require_role(section)
        parsed = facts_from_argument(facts, limit)
        outline_text = _text_argument(outline, "提纲", limit) if outline.strip() else ""
        mcp.ensure_index()
        choice = ModelChoice(backend=backend)
        notice = drafting.resolve(choice).notice
        return {"notice": notice, **drafting.draft_section(parsed, role, choice, outline_text).to_json()}

    @mcp.tool(title="核查草稿", annotations=reads, description=(
        "核查任何人或任何模型写的草稿是否只说了事实里有的内容：事实中没有的数字（unsupported_numbers）、照搬范文的具体内容"
        "（leaks）、残留的模板占位符（placeholders）、没用到的事实（unused_facts）、把计划写成成绩（plans_as_results）。"
        "ok 为 true 表示通过；problems 是每个问题的一句中文说明。交付前请对每一部分调用。"))
    def check_draft(
        facts: FactsArg,
        text: Annotated[str, Field(description="要核查的草稿正文（一部分或全文）。例：\"一年来，举办培训班4期，培训340人次。\"")],
        section: Annotated[str | None, Field(description="草稿所属部分（可不填，填了才检查遗漏的事实和“计划写成成绩”）：" + SECTION_HELP)] = None,
    ) -> dict[str, Any]:
        role = require_role(section) if section is not None and section.strip() else None
        parsed = facts_from_argument(facts, limit)
        report = drafting.check(parsed, _text_argument(text, "草稿", limit), role)
        data = report.to_json()
        data.setdefault("problems", report.problems())
        return data

    @mcp.tool(title="导出 Word", annotations=writes, description=(
        "把总结全文按原样导出为 Word（.docx，党政机关公文格式），保存在助手的数据目录下，返回文件路径（path）；"
        "同时核查全文（check_ok、problems），有问题也照样导出。text 是全文：标题、开头、一、二、三……、存在的问题、"
        "下一步工作计划、结尾。给出 compare_to（修改前的全文）时，把两版的差别写成 Word 修订（revisions 为修订处数），"
        "可在 Word 或 WPS 的“审阅”中逐条接受或拒绝。"))
    def export_docx(
        facts: FactsArg,
        text: Annotated[str, Field(description="要导出的总结全文，例：\"市第一中学工会2024年工作总结\\n2024年，……\"")],
        compare_to: Annotated[str | None, Field(description="（可选）修改前的全文；给出时导出带修订标记的 Word")] = None,
    ) -> dict[str, Any]:
        parsed = facts_from_argument(facts, limit)
        text = _text_argument(text, "全文", limit)
        doc = _summary_document(text, parsed, "全文")
        earlier = None
        if compare_to is not None and compare_to.strip():
            earlier = _summary_document(_text_argument(compare_to, "修改前的全文", limit), parsed, "修改前的全文")
        report = drafting.check(parsed, text)
        path = services.exporter.export(doc, "docx", folder=EXPORT_FOLDER, compare_to=earlier)
        data: dict[str, Any] = {"path": str(path), "title": doc.title, "sections": [s.role for s in doc.sections]}
        if earlier is not None:
            data["revisions"] = services.exporter.count_changes(doc, earlier)
        return {**data, "check_ok": report.ok, "problems": report.problems()}

    @mcp.resource(EXAMPLE_URI, name="house-example", title="本单位范文",
                  description="范文库中的一篇范文全文（doc 是文档名）", mime_type="text/plain")
    def house_example(doc: str) -> str:
        return _example_text(mcp, doc)

    @mcp.prompt(name="draft_annual_summary", title="起草年度工作总结",
                description="用本助手的工具，按给出的事实起草并核查一份年度工作总结。")
    def draft_annual_summary(facts: Annotated[str, Field(description=FACTS_HELP)]) -> str:
        try:
            parsed = facts_from_argument(facts, limit)
        except UserError as exc:
            raise MCPError(code=INVALID_PARAMS, message=exc.message) from exc
        return _prompt_text(facts, parsed)

    return mcp


def _summary_document(text: str, facts: Facts, label: str) -> Any:
    """A whole summary text → SummaryDocument, as the CLI's `export --text` reads it."""
    from assistant.export.assemble import has_text
    from assistant.export.text_document import document_from_text
    from assistant.writing.template import document_title

    doc = document_from_text(text, document_title(facts))
    if not has_text(doc):
        raise UserError(f"{label}只有标题，没有正文：请给出一份完整的总结。")
    return doc


def _example_text(mcp: AssistantMCP, doc: str) -> str:
    """One indexed example's text, read from its file (the index holds passages, not whole documents)."""
    from assistant.ingest.loader import load_paths

    known = {str(d["doc"]): d for d in mcp.documents()}
    entry = known.get(doc)
    if entry is None:
        raise ResourceNotFoundError(f"范文库里没有“{doc}”：请先列出资源（examples://house/…）再读取。")
    loaded = load_paths([Path(str(entry.get("path", "")))])
    if not loaded.documents:
        raise ResourceNotFoundError(f"范文“{doc}”的文件已不在原处：请重新运行 assistant ingest。")
    document = loaded.documents[0]
    return document.text if document.text.startswith(document.title) else f"{document.title}\n\n{document.text}"


def _prompt_text(facts_text: str | dict[str, Any], facts: Facts) -> str:
    given = facts_text if isinstance(facts_text, str) else json.dumps(facts_text, ensure_ascii=False, indent=1)
    who = f"{facts.unit or '本单位'}{facts.year + '年' if facts.year else '本年度'}"
    return (
        f"请为{who}起草一份年度工作总结。\n\n"
        "步骤：\n"
        "1. 用 search_examples 查看本单位范文的写法（只学措辞和结构，范文里的数字、人名、地名不能用）。\n"
        "2. 用 outline 生成“主要工作和成绩”的提纲。\n"
        "3. 用 draft_section 依次起草 开头、成绩（带上提纲）、问题、计划、结尾。\n"
        "4. 需要润色时自己改写，改完用 check_draft 核查每一部分，按 problems 逐条改正，直到 ok 为 true。\n"
        "5. 把各部分按顺序拼成全文（标题、开头、一、二、三……、存在的问题、下一步工作计划、结尾），用 export_docx 导出 Word。\n\n"
        "要求：每个数字、名称、活动都必须来自下面的事实；计划不能写成已完成的成绩；缺少的内容写成【待补充：缺什么】，不要编造。"
        "调用工具时，facts 参数原样使用下面的事实。\n\n"
        f"事实：\n{given}"
    )


# --- running -------------------------------------------------------------------------------------------
def run_stdio(settings: Settings) -> None:
    """Serve over stdin/stdout until the client closes the pipe."""
    from assistant.services import build_services

    build_server(build_services(settings)).run("stdio")


def http_app(settings: Settings, host: str) -> Any:
    """The streamable HTTP app at /mcp; behind a bearer key when ASSISTANT_API_KEY is set."""
    from assistant.services import build_services

    # Room for three texts at the input limit (facts, text, compare_to) with JSON escapes, as the API allows.
    body_limit = max(DEFAULT_MAX_REQUEST_BODY_SIZE, 8 * settings.max_input_bytes)
    app = build_server(build_services(settings)).streamable_http_app(host=host, max_request_body_size=body_limit)
    key = settings.api_key.get_secret_value() if settings.api_key is not None else ""
    return _require_key(app, key) if key else app


def _require_key(app: Any, key: str) -> Any:
    """ASGI wrapper refusing HTTP requests without `Authorization: Bearer <key>` (lifespan passes through)."""
    from starlette.responses import JSONResponse

    async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            header = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
            scheme, _, given = header.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), key.encode()):
                response = JSONResponse({"error": "API 密钥缺失或不正确：请在请求头中提供 Authorization: Bearer <密钥>"
                                                  "（服务器的 ASSISTANT_API_KEY）。"}, status_code=401)
                await response(scope, receive, send)
                return
        await app(scope, receive, send)

    return guarded


def run_http(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Serve streamable HTTP until interrupted; loopback unless told otherwise."""
    import sys

    import uvicorn

    from assistant.interfaces.server import check_free, display_host, is_loopback, uvicorn_level

    host = host or settings.host
    port = DEFAULT_HTTP_PORT if port is None else port
    if not 0 < port < 65536:
        raise UserError(f"端口 {port} 无效：请用 1 到 65535 之间的整数，例如 --port {DEFAULT_HTTP_PORT}。")
    check_free(host, port)
    if not is_loopback(host) and settings.api_key is None:
        log.warning("MCP over HTTP on %s, reachable from other machines, without ASSISTANT_API_KEY", host)
        print(f"警告：MCP 服务监听在 {host}，其他电脑也能访问，但没有设置密钥（ASSISTANT_API_KEY）。"
              "如只在本机使用，请改用 --host 127.0.0.1。", file=sys.stderr, flush=True)
    app = http_app(settings, host)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else display_host(host)
    print(f"工作总结写作助手 MCP 服务（streamable HTTP）：http://{shown}:{port}/mcp", file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level=uvicorn_level())
