"""Backend name → factory, with lazy imports, and the one way callers stream text from a chat model.

A missing or unusable local model is not an error the user must fix before writing: the embedded backend
falls back to the template mode, but never silently. The ResolvedBackend carries the cause (`reason`) and one
Chinese sentence (`notice`) that every face shows before and after drafting (issue 23 §1). The model is loaded
here, not on the first fact, so a file that passes its checksum but does not load falls back the same way.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.errors import ModelUnavailable, UserError

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import BaseMessage


@dataclass
class ResolvedBackend:
    """The backend that will actually answer.

    `requested` is the backend that was asked for; when it could not be used, `reason` (a Chinese clause) says
    why and `notice` is the one sentence for users naming the cause and what is used instead; both "" if none.
    """

    name: str
    chat_model: BaseChatModel | None
    notice: str = ""
    requested: str = ""
    reason: str = ""

    @property
    def fell_back(self) -> bool:
        return bool(self.requested) and self.requested != self.name


def fallback_notice(reason: str) -> str:
    """The one sentence every face shows when the local model cannot be used."""
    return f"本地模型不可用（{reason}），本次改用模板模式起草：按你的事实和本单位的写法组织成文，没有用模型。"


def refusal_message(reason: str) -> str:
    """What `--backend embedded`, asked for explicitly, says instead of drafting with another backend."""
    return f"本地模型不可用（{reason}），按要求只用本地模型，因此没有起草；不指定 --backend 时会改用模板模式。"


def _template(settings: Settings, **_: Any) -> ResolvedBackend:
    return ResolvedBackend("template", None, requested="template")


def _fallback(reason: str) -> ResolvedBackend:
    return ResolvedBackend("template", None, fallback_notice(reason), requested="embedded", reason=reason)


def embedded_problem(settings: Settings) -> str:
    """Why the embedded model cannot be used, as a Chinese clause, or "" when its file and runtime are in place
    (without loading it: a page can ask this on every load)."""
    from assistant.llm.model_files import model_status

    if importlib.util.find_spec("llama_cpp") is None:
        return "缺少 llama-cpp-python 运行库，请运行 make setup"
    return model_status(settings).reason


def _embedded(settings: Settings, **_: Any) -> ResolvedBackend:
    from assistant.llm.model_files import model_status

    if importlib.util.find_spec("llama_cpp") is None:
        return _fallback(embedded_problem(settings))
    status = model_status(settings)
    if status.path is None:
        return _fallback(status.reason)
    from assistant.llm.embedded import EmbeddedChatModel

    model = EmbeddedChatModel.from_settings(settings, status.path)
    try:
        model.load()  # cached per process: the first fact does not pay again
    except ModelUnavailable:
        return _fallback(f"模型文件 {status.path.name} 无法加载，可能已损坏或内存不足")
    return ResolvedBackend("embedded", model, requested="embedded")


def _openai(settings: Settings, *, base_url: str | None = None, api_key: Any = None, model: str | None = None,
            **_: Any) -> ResolvedBackend:
    from assistant.llm.openai_compat import build_openai_chat

    return ResolvedBackend("openai", build_openai_chat(settings, base_url=base_url, api_key=api_key, model=model),
                           requested="openai")


BACKENDS: dict[str, Callable[..., ResolvedBackend]] = {
    "embedded": _embedded,
    "openai": _openai,
    "template": _template,
}

BACKEND_LABELS = {"embedded": "内置本地模型", "openai": "OpenAI 兼容服务", "template": "模板模式（不用模型）"}


def resolve_backend(settings: Settings, name: str | None = None, **openai_overrides: Any) -> ResolvedBackend:
    """Build the named backend (default: settings.backend); overrides: base_url, api_key, model."""
    key = (name or settings.backend).strip().lower()
    factory = BACKENDS.get(key)
    if factory is None:
        raise UserError(f"未知的模型后端 “{name}”，可选：{'、'.join(BACKENDS)}。")
    return factory(settings, **openai_overrides)


def _piece_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in content
                       if isinstance(p, str | dict))
    return ""


def stream_text(chat_model: BaseChatModel, messages: list[BaseMessage], **kw: Any) -> Iterator[str]:
    """Yield text pieces; any failure becomes ModelUnavailable (with `.partial`, the text so far).

    An OpenAI-compatible stream that ends without a finish reason was cut off, and is reported so.
    """
    partial = ""
    finished = False
    needs_finish = getattr(chat_model, "_llm_type", "") == "openai-chat"
    try:
        for chunk in chat_model.stream(messages, **kw):
            if getattr(chunk, "response_metadata", {}).get("finish_reason"):
                finished = True
            text = _piece_text(chunk.content)
            if text:
                partial += text
                yield text
    except Exception as exc:  # noqa: BLE001 - every client error becomes one Chinese sentence
        from assistant.llm.openai_compat import friendly_error

        raise friendly_error(exc, partial=partial) from exc
    if needs_finish and not finished:
        from assistant.llm.openai_compat import display_url

        where = display_url(str(getattr(chat_model, "openai_api_base", "") or ""))
        err = ModelUnavailable(f"模型服务 {where} 的输出没有正常结束（连接可能被中断），已保留已生成的部分，请重试。")
        err.partial = partial  # type: ignore[attr-defined]
        raise err
