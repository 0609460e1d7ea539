"""OpenAI-compatible HTTP endpoints over the drafting services, so chat clients can use the assistant as a model.

Routes (prefix /v1): `GET /models`, `GET /models/{id}`, `POST /chat/completions` (plain, or server-sent
events with `stream: true`). The last user message carries facts and a request, e.g.
"单位：市交通局工会\\n年度：2024\\n成绩：培训12期\\n起草主要成绩部分"; facts are read from every user message.

Model ids (`<task id>` optionally followed by `@<backend>`):
- `summary-writer`           the task is read from the request: 提纲 → outline, 全文 → whole summary, a section
                             name (开头/成绩/主要成绩/问题/计划/结尾) → that section, anything else → free chat
- `summary-writer-outline`   always the outline of the 成绩 part
- `summary-writer-draft`     the section named in the request (the whole summary when none is named)
- `summary-writer-full`      always the whole summary, section by section
- `summary-writer-chat`      always a free chat reply about the summary
- `…@template`, `…@embedded`, `…@openai`  the same on that backend instead of the configured one
  (`/v1/models` lists the task ids and `summary-writer@<backend>`; every combination is accepted).

Drafts are guarded; a draft that fails the check ends with one 【核查】 line naming the problems. When the chosen
model cannot be used (the embedded GGUF is missing, fails its checksum or does not load) the reply is drafted
on the template backend and says so, never silently: the text opens with the notice in full-width brackets
("（本地模型不可用（…），本次改用模板模式起草……）"), `x_assistant.notice` carries it (in the reply object, or in the
last chunk of a stream), and every reply has the headers `X-Assistant-Backend` (the backend that answered:
embedded, openai or template) and, on a fallback, `X-Assistant-Notice` (the notice, UTF-8 percent-encoded as
HTTP headers are Latin-1; `urllib.parse.unquote` reads it back). Errors
use OpenAI's shape `{"error": {"message", "type", "param", "code"}}` with Chinese messages. Sizes: one
message's text may hold ASSISTANT_MAX_INPUT_KB (512 KB), like a box on the page or a facts file on the CLI; the
request body may hold four times that (JSON escapes and the conversation so far). Larger gets 413 without the
body being read into memory. When
settings.api_key is set every route requires `Authorization: Bearer <key>`. Token counts in `usage` are
character counts (approximate). Generation runs in the thread pool, so requests do not block each other.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.errors import ModelUnavailable, UserError
from assistant.interfaces.replies import (
    Task,
    detect_request,
    facts_from_conversation,
    final_text,
    reply_stream,
)
from assistant.limits import size_label, text_bytes, too_large
from assistant.services.drafting import ModelChoice
from assistant.services.interview import INTERVIEW_MARK, interview_text

if TYPE_CHECKING:
    from assistant.services import Services

log = logging.getLogger(__name__)

BASE_MODEL = "summary-writer"
TASK_MODELS: dict[str, Task | None] = {
    BASE_MODEL: None,
    f"{BASE_MODEL}-outline": "outline",
    f"{BASE_MODEL}-draft": "section",
    f"{BASE_MODEL}-full": "full",
    f"{BASE_MODEL}-chat": "chat",
}
BACKEND_SUFFIXES = ("template", "embedded", "openai")
BODY_FACTOR = 4  # request body limit = this × the per-message limit (JSON escapes, history)
_CREATED = 1_735_689_600  # fixed "created" stamp for the model list (2025-01-01)


def model_ids() -> list[str]:
    """The ids /v1/models lists."""
    return [*TASK_MODELS, *(f"{BASE_MODEL}@{b}" for b in BACKEND_SUFFIXES)]


def parse_model_id(model: str) -> tuple[Task | None, str | None]:
    """`summary-writer-draft@openai` → ("section", "openai"); an unknown id raises KeyError."""
    base, _, backend = model.strip().partition("@")
    if base not in TASK_MODELS or (backend and backend not in BACKEND_SUFFIXES):
        raise KeyError(model)
    return TASK_MODELS[base], backend or None


class ApiError(Exception):
    """An error answered in OpenAI's shape."""

    def __init__(self, status: int, message: str, type_: str = "invalid_request_error",
                 code: str | None = None, param: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.code, self.param = status, message, type_, code, param
        self.headers = headers

    def response(self) -> JSONResponse:
        return JSONResponse(status_code=self.status, content=error_body(self.message, self.type, self.code,
                                                                        self.param), headers=self.headers)


def error_body(message: str, type_: str, code: str | None = None, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # multi-part content: keep the text parts
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type", "text") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    model: str = BASE_MODEL
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: dict[str, Any] | None = None


def _validation_message(exc: ValidationError) -> tuple[str, str | None]:
    first = exc.errors()[0]
    loc = [str(x) for x in first.get("loc", ())]
    param = loc[0] if loc else None
    if param == "messages" and first.get("type") == "missing":
        return "请求缺少 messages（对话消息列表）。", param
    if param == "messages" and first.get("type") == "too_short":
        return "messages 不能为空：请至少发送一条用户消息。", param
    return f"请求字段 {'.'.join(loc) or '?'} 的值无效：请按 OpenAI 的 chat/completions 格式发送。", param


def check_bearer(request: Request, api_key: str | None) -> None:
    """Constant-time bearer check; the messages never contain the key or what was sent."""
    if not api_key:
        return
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), api_key.encode()):
        raise ApiError(401, "API 密钥缺失或不正确：请在请求头中提供 Authorization: Bearer <密钥>（服务器的 "
                            "ASSISTANT_API_KEY）。", code="invalid_api_key")


def _chunk(cid: str, model: str, delta: dict[str, Any], finish: str | None = None,
           extra: dict[str, Any] | None = None) -> str:
    payload = {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **(extra or {})}
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


class Completion:
    """One chat/completions call: parsed request → text stream on the services."""

    def __init__(self, services: Services, body: ChatRequest) -> None:
        try:
            forced, backend = parse_model_id(body.model)
        except KeyError:
            raise ApiError(404, f"没有名为“{body.model[:60]}”的模型：可用的模型见 GET /v1/models。",
                           code="model_not_found", param="model") from None
        if body.messages[-1].role != "user":
            raise ApiError(400, "最后一条消息应当来自用户（role 为 user）。", param="messages")
        self.body = body
        self.model = body.model
        self.id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        limit = services.settings.max_input_bytes
        for i, m in enumerate(body.messages, 1):
            size = text_bytes(m.text())
            if size > limit:
                raise ApiError(413, too_large(f"第 {i} 条消息", size, limit, "请只发送本年度的事实和要求").message,
                               code="message_too_long", param="messages")
        message = body.messages[-1].text()
        if not message.strip():
            raise ApiError(400, "最后一条用户消息是空的：请写下事实和要求。", param="messages")
        self.request = detect_request(message, forced)
        self.services = services
        self.choice = ModelChoice(backend=backend)
        self.message = message
        users = [m.text() for m in body.messages if m.role == "user"]
        prior = [m for m in body.messages[:-1] if m.role in ("user", "assistant")]
        self.history = [(a.text(), b.text()) for a, b in zip(prior, prior[1:], strict=False)
                        if a.role == "user" and b.role == "assistant"]
        self.document = next((m.text() for m in reversed(prior) if m.role == "assistant"), "")
        self.users = users
        self.backend = ""
        self.notice = ""

    def pieces(self) -> Iterator[str]:
        """Blocking: parse the facts, resolve the backend (its fallback notice) and generate (thread pool).

        With ASSISTANT_INTERVIEW_FIRST, a request for the whole summary while most results lack 做法 and 成效 is
        answered with the interview's questions first; the next message's answers become details, and the
        summary the user asked for is drafted with them."""
        resolved = self.services.drafting.resolve(self.choice)
        self.backend, self.notice = resolved.name, resolved.notice
        interview = self.services.interview
        if self.document.startswith(INTERVIEW_MARK) and len(self.users) >= 2:
            facts = facts_from_conversation(self.users[:-1])  # the answers are not read as facts of their own
            asked = interview.questions(facts)
            facts, _ = interview.answer(facts, asked, self.message)
            request = detect_request(self.users[-2])
            return reply_stream(self.services.drafting, request, facts, message=self.users[-2],
                                history=self.history[:-1], document="", choice=self.choice)
        facts = facts_from_conversation(self.users)
        if self.services.settings.interview_first and self.request.task == "full" and interview.thin(facts):
            asked = interview.questions(facts)
            if asked:
                return iter([interview_text(asked)])
        return reply_stream(self.services.drafting, self.request, facts, message=self.message,
                            history=self.history, document=self.document, choice=self.choice)

    def prompt_chars(self) -> int:
        return sum(len(m.text()) for m in self.body.messages)

    def meta(self) -> dict[str, Any]:
        return {"task": self.request.task, "section": self.request.role, "backend": self.backend,
                "notice": self.notice}

    def headers(self) -> dict[str, str]:
        """The backend that answered, and the fallback notice percent-encoded (headers are Latin-1)."""
        headers = {"X-Assistant-Backend": self.backend} if self.backend else {}
        if self.notice:
            headers["X-Assistant-Notice"] = quote(self.notice, safe="")
        return headers

    def completion(self, text: str) -> dict[str, Any]:
        n_in, n_out = self.prompt_chars(), len(text)
        return {"id": self.id, "object": "chat.completion", "created": int(time.time()), "model": self.model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": n_in, "completion_tokens": n_out, "total_tokens": n_in + n_out},
                "x_assistant": self.meta()}

    async def sse(self, first: str | None, rest: Iterator[str]) -> AsyncIterator[str]:
        yield _chunk(self.id, self.model, {"role": "assistant", "content": ""})
        out = first or ""
        if first:
            yield _chunk(self.id, self.model, {"content": first})
        try:
            async for piece in iterate_in_threadpool(rest):
                out += piece
                yield _chunk(self.id, self.model, {"content": piece})
        except UserError as exc:  # e.g. the model server went away mid-answer: say so, keep the text
            yield _chunk(self.id, self.model, {"content": f"\n【生成中断：{exc.message}】"})
        except Exception:  # noqa: BLE001 - reported in-stream; the status line is already sent
            log.exception("chat completion stream failed")
            payload = error_body("生成时服务器出错：请重试，或查看服务器日志。", "server_error")
            yield f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"
        # An extra field on the last chunk: OpenAI clients ignore it, ours read the backend and notice here.
        yield _chunk(self.id, self.model, {}, "stop", {"x_assistant": self.meta()})
        if (self.body.stream_options or {}).get("include_usage"):
            n_in = self.prompt_chars()
            usage = {"prompt_tokens": n_in, "completion_tokens": len(out), "total_tokens": n_in + len(out)}
            payload = {"id": self.id, "object": "chat.completion.chunk", "created": int(time.time()),
                       "model": self.model, "choices": [], "usage": usage}
            yield f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"
        yield "data: [DONE]\n\n"


def _body_too_large(limit: int, size: int | None) -> ApiError:
    """413; the connection is closed after it, since the rest of the body is left unread."""
    what = f"约 {size_label(size)}，" if size is not None else ""
    message = f"请求体太大（{what}上限 {size_label(limit)}）：请只发送本年度的事实和要求，不要附带整份材料。"
    return ApiError(413, message, code="request_too_large", headers={"Connection": "close"})


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it is known to exceed `limit` bytes: by its Content-Length
    before anything is read, or while it streams in, so a huge body never sits in memory."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise _body_too_large(limit, int(declared))
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise _body_too_large(limit, None)
        chunks.append(chunk)
    return b"".join(chunks)


async def _parse_body(request: Request, limit: int) -> ChatRequest:
    raw = await read_body(request, limit)
    try:
        data = json.loads(raw or b"")
    except ValueError:
        raise ApiError(400, "请求体不是有效的 JSON：请发送 OpenAI chat/completions 格式的 JSON。") from None
    if not isinstance(data, dict):
        raise ApiError(400, "请求体应当是一个 JSON 对象。")
    try:
        return ChatRequest.model_validate(data)
    except ValidationError as exc:
        message, param = _validation_message(exc)
        raise ApiError(400, message, param=param) from None


def _start(completion: Completion) -> tuple[str | None, Iterator[str]]:
    """Start generating and take the first piece, so errors before any output get a proper status."""
    pieces = iter(completion.pieces())
    return next(pieces, None), pieces


def _as_api_error(exc: Exception) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, ModelUnavailable):
        return ApiError(503, exc.message, "server_error", code="model_unavailable")
    if isinstance(exc, UserError):
        return ApiError(400, exc.message)
    log.exception("chat completion failed", exc_info=exc)
    return ApiError(500, "服务器内部错误：请稍后重试，或查看服务器日志。", "server_error")


def create_api(services: Services) -> APIRouter:
    """The /v1 router for these services (mount with `app.include_router(create_api(services))`)."""
    router = APIRouter(prefix="/v1")
    key_secret = services.settings.api_key
    body_limit = BODY_FACTOR * services.settings.max_input_bytes
    api_key = key_secret.get_secret_value() if key_secret is not None else None

    @router.get("/models")
    async def list_models(request: Request) -> JSONResponse:
        try:
            check_bearer(request, api_key)
        except ApiError as exc:
            return exc.response()
        data = [{"id": m, "object": "model", "created": _CREATED, "owned_by": "assistant"} for m in model_ids()]
        return JSONResponse({"object": "list", "data": data})

    @router.get("/models/{model_id:path}")
    async def get_model(model_id: str, request: Request) -> JSONResponse:
        try:
            check_bearer(request, api_key)
            parse_model_id(model_id)
        except ApiError as exc:
            return exc.response()
        except KeyError:
            return ApiError(404, f"没有名为“{model_id[:60]}”的模型。", code="model_not_found").response()
        return JSONResponse({"id": model_id, "object": "model", "created": _CREATED, "owned_by": "assistant"})

    @router.post("/chat/completions", response_model=None)
    async def chat_completions(request: Request) -> JSONResponse | StreamingResponse:
        try:
            check_bearer(request, api_key)
            completion = Completion(services, await _parse_body(request, body_limit))
            log.info("chat completion model=%s task=%s stream=%s", completion.model,
                     completion.request.task, completion.body.stream)
            if not completion.body.stream:
                text = await run_in_threadpool(lambda: final_text("".join(completion.pieces())))
                return JSONResponse(completion.completion(text), headers=completion.headers())
            first, rest = await run_in_threadpool(_start, completion)
        except Exception as exc:  # noqa: BLE001 - every failure answers in OpenAI's error shape
            return _as_api_error(exc).response()
        return StreamingResponse(completion.sse(first, rest), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no",
                                          **completion.headers()})

    return router
