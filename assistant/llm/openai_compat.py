"""Any OpenAI-compatible chat server (Ollama, llama.cpp server, vLLM, LM Studio, hosted providers).

One code path for "local" and "hosted" models. Client errors become one Chinese sentence that names the
server address (never the key) and says what to do.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import SecretStr

from assistant.config import Settings
from assistant.errors import ModelUnavailable, UserError

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI

log = logging.getLogger(__name__)

PLACEHOLDER_KEY = "not-needed"  # Ollama and llama.cpp ignore the key; the client insists on one
_ENDPOINT_SUFFIXES = ("/chat/completions", "/completions", "/models")


def display_url(url: str) -> str:
    """The URL without credentials, query or endpoint path: safe to show and to log."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "（无效地址）"
    host = parts.netloc.rsplit("@", 1)[-1]  # drop user:password, keep [ipv6]:port as written
    path = parts.path.rstrip("/")
    for suffix in _ENDPOINT_SUFFIXES:
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    return urlunsplit((parts.scheme, host, path, "", ""))


def _check_base_url(base_url: str) -> str:
    url = base_url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(f"模型服务地址 “{display_url(url) or url[:60]}” 无效，应形如 http://127.0.0.1:11434/v1。")
    return url


def _secret_value(key: str | SecretStr | None) -> str:
    if isinstance(key, SecretStr):
        key = key.get_secret_value()
    return key.strip() if key and key.strip() else PLACEHOLDER_KEY


def build_openai_chat(settings: Settings, *, base_url: str | None = None, api_key: str | SecretStr | None = None,
                      model: str | None = None) -> ChatOpenAI:
    """A streaming ChatOpenAI for the configured (or overridden) server; nothing is contacted yet."""
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:  # pragma: no cover - a project dependency
        raise ModelUnavailable("缺少 langchain-openai 组件，请运行 make setup。") from exc

    url = _check_base_url(base_url or settings.openai_base_url)
    name = (model or settings.openai_model).strip()
    if not name:
        raise UserError("请填写模型名称，例如 qwen2.5:7b-instruct。")
    key = _secret_value(api_key if api_key is not None else settings.openai_api_key)
    log.info("openai-compatible backend at %s, model %s", display_url(url), name)
    return ChatOpenAI(
        model=name,
        base_url=url,
        api_key=SecretStr(key),
        timeout=settings.openai_timeout,
        max_retries=settings.openai_max_retries,
        streaming=True,
        stream_usage=False,  # not every compatible server accepts stream_options
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
    )


# --- errors -----------------------------------------------------------------------------------------
def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _class_names(exc: BaseException) -> set[str]:
    """Class names along the cause chain: matches httpx, httpx2 and openai errors without importing them."""
    return {cls.__name__ for e in _chain(exc) for cls in type(e).__mro__}


def _request_of(exc: BaseException) -> Any:
    for e in _chain(exc):
        try:
            request = getattr(e, "request", None)
        except RuntimeError:  # httpx raises when an error has no request attached
            request = None
        if request is not None:
            return request
    return None


def _model_of(request: Any) -> str:
    try:
        body = json.loads(bytes(request.content or b"").decode("utf-8"))
    except Exception:  # noqa: BLE001 - a streamed or non-JSON body: the name is only a nicety
        return ""
    name = body.get("model") if isinstance(body, dict) else None
    return name if isinstance(name, str) else ""


def _status_of(exc: BaseException) -> int | None:
    for e in _chain(exc):
        status = getattr(e, "status_code", None)
        if isinstance(status, int):
            return status
    return None


def friendly_error(exc: BaseException, *, base_url: str | None = None, partial: str = "") -> ModelUnavailable:
    """One clear Chinese sentence for a model-client failure; `partial` is the text streamed before it."""
    if isinstance(exc, ModelUnavailable):
        if partial and not getattr(exc, "partial", ""):
            exc.partial = partial  # type: ignore[attr-defined]
        return exc
    request = _request_of(exc)
    where = display_url(base_url or (str(request.url) if request is not None else ""))
    srv = f"模型服务 {where}" if where else "模型服务"
    model = _model_of(request) if request is not None else ""
    model_part = f"“{model}”" if model else ""
    names = _class_names(exc)
    status = _status_of(exc)

    if status in (401, 403):
        msg = f"{srv} 拒绝了访问（{status}），请检查 API 密钥是否正确、是否有权使用该模型。"
    elif status == 404:
        msg = (f"{srv} 上找不到模型{model_part}（404），请检查模型名称，"
               "并确认地址包含 /v1（Ollama 需先 ollama pull 该模型）。")
    elif status == 429:
        msg = f"{srv} 请求过于频繁或额度已用完（429），请稍后再试或检查账户额度。"
    elif status is not None and status >= 500:
        msg = f"{srv} 内部出错（{status}），请稍后重试，或查看该服务的日志。"
    elif status is not None and status >= 400:
        msg = (f"{srv} 拒绝了请求（{status}），可能是输入太长或参数不受支持，"
               "请精简内容或检查模型设置。")
    elif partial and names & {"APIConnectionError", "RemoteProtocolError", "ReadError", "APIError",
                              "TimeoutException", "ReadTimeout", "APITimeoutError"}:
        msg = f"{srv} 的输出中途断开，已保留已生成的部分，请重试。"
    elif names & {"ConnectError", "ConnectionRefusedError"} and "RemoteProtocolError" not in names:
        msg = f"连不上{srv}，请确认服务已启动、地址和端口正确（Ollama 默认 http://127.0.0.1:11434/v1）。"
    elif names & {"APITimeoutError", "TimeoutException", "TimeoutError", "ReadTimeout"}:
        msg = f"{srv} 响应超时，请稍后重试，或在设置中调大超时时间（ASSISTANT_OPENAI_TIMEOUT）。"
    elif names & {"RemoteProtocolError", "ReadError", "APIConnectionError"}:
        msg = f"与{srv} 的连接中途断开，请重试。"
    elif "APIError" in names:
        msg = f"{srv} 返回了错误，请重试，或换一个模型。"
    else:
        log.warning("model call failed: %s", type(exc).__name__)
        msg = "模型生成出错，请重试或改用模板模式。"
    err = ModelUnavailable(msg)
    err.partial = partial  # type: ignore[attr-defined]
    return err
