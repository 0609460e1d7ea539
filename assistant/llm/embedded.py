"""The embedded backend: a llama.cpp GGUF model as a LangChain chat model that streams token by token.

llama.cpp contexts are not thread-safe and a 1.5B model takes ~1.8 GB, so one process keeps at most one
loaded model (keyed by path, threads and context size) and serialises every call on its lock.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel, generate_from_stream
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ChatMessage,
    HumanMessage,
    SystemMessage,
)
from langchain_core.outputs import ChatGenerationChunk, ChatResult

from assistant.config import Settings
from assistant.errors import ModelUnavailable
from assistant.schema import scrub_text

log = logging.getLogger(__name__)

_MAX_LOADED = 1  # a second 1.8 GB model rarely pays for itself on a small machine


@dataclass
class _Loaded:
    llama: Any
    lock: threading.Lock = field(default_factory=threading.Lock)
    load_seconds: float = 0.0


_cache: dict[tuple[str, int, int], _Loaded] = {}
_cache_lock = threading.Lock()


def _load(path: str, n_threads: int, n_ctx: int) -> _Loaded:
    """Load (or reuse) the model; raises ModelUnavailable with a Chinese sentence on failure."""
    key = (path, n_threads, n_ctx)
    with _cache_lock:
        loaded = _cache.get(key)
        if loaded is not None:
            return loaded
        if not Path(path).is_file():
            raise ModelUnavailable(f"找不到本地模型文件 {path}，请运行 make setup 或改用其他模型。")
        try:
            import llama_cpp
        except ImportError as exc:
            raise ModelUnavailable("本地模型运行库 llama-cpp-python 未安装，请运行 make setup。") from exc
        while len(_cache) >= _MAX_LOADED:
            _cache.pop(next(iter(_cache)))  # freed once no running call holds it
        import time

        start = time.perf_counter()
        try:
            llama = llama_cpp.Llama(
                model_path=path, n_threads=n_threads, n_threads_batch=n_threads, n_ctx=n_ctx, verbose=False
            )
        except (ValueError, RuntimeError, OSError) as exc:
            log.warning("embedded model failed to load from %s: %s", path, exc)
            raise ModelUnavailable(
                f"本地模型 {Path(path).name} 加载失败（文件可能损坏或内存不足），请重新运行 make setup 或改用其他模型。"
            ) from exc
        loaded = _Loaded(llama, load_seconds=time.perf_counter() - start)
        log.info("loaded %s (threads=%d, n_ctx=%d) in %.1fs", path, n_threads, n_ctx, loaded.load_seconds)
        _cache[key] = loaded
        return loaded


def clear_cache() -> None:
    """Forget loaded models (benchmarks measure cold loads; tests free memory)."""
    with _cache_lock:
        _cache.clear()


@atexit.register
def _close_at_exit() -> None:
    """Free loaded models while the interpreter is still whole: left to the garbage collector at shutdown,
    llama-cpp-python's finaliser runs after its C bindings are gone and prints a TypeError traceback."""
    with _cache_lock:
        loaded = list(_cache.values())
        _cache.clear()
    for item in loaded:
        try:
            item.llama.close()
        except Exception:  # noqa: BLE001 - best effort at exit
            log.debug("closing the embedded model at exit failed", exc_info=True)


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    parts = [p if isinstance(p, str) else p.get("text", "") for p in content if isinstance(p, str | dict)]
    return "".join(parts)


def to_llama_messages(messages: list[BaseMessage]) -> list[dict[str, str]]:
    """LangChain messages → the OpenAI-style dicts llama.cpp's chat templates expect."""
    out: list[dict[str, str]] = []
    for m in messages:
        if isinstance(m, SystemMessage):
            role = "system"
        elif isinstance(m, HumanMessage):
            role = "user"
        elif isinstance(m, AIMessage):
            role = "assistant"
        elif isinstance(m, ChatMessage):
            role = m.role
        else:
            role = "user"
        out.append({"role": role, "content": scrub_text(_content_text(m.content))})
    return out


class EmbeddedChatModel(BaseChatModel):
    """Chat with a local GGUF model via llama.cpp; the chat template comes from the GGUF itself."""

    model_path: str
    n_threads: int = 2
    n_ctx: int = 4096
    max_tokens: int = 700
    temperature: float = 0.3
    repeat_penalty: float = 1.1  # a 1.5B model loops without it ("……部分：" 36 times)
    stop: list[str] | None = None
    seed: int | None = None

    @classmethod
    def from_settings(cls, settings: Settings, model_path: Path) -> EmbeddedChatModel:
        return cls(
            model_path=str(model_path),
            n_threads=settings.llm_threads,
            n_ctx=settings.llm_context,
            max_tokens=settings.llm_max_tokens,
            temperature=settings.llm_temperature,
        )

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-embedded"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": Path(self.model_path).name, "n_threads": self.n_threads, "n_ctx": self.n_ctx,
                "max_tokens": self.max_tokens, "temperature": self.temperature}

    def load(self) -> float:
        """Load the model now (not on the first message); returns the load time in seconds."""
        return _load(self.model_path, self.n_threads, self.n_ctx).load_seconds

    def count_tokens(self, text: str) -> int:
        """Tokens in `text` by the model's own tokenizer (prompt budgeting, benchmarks)."""
        loaded = _load(self.model_path, self.n_threads, self.n_ctx)
        with loaded.lock:
            return len(loaded.llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        return generate_from_stream(self._stream(messages, stop=stop, run_manager=run_manager, **kwargs))

    @staticmethod
    def _pieces(llama: Any, messages: list[BaseMessage], params: dict[str, Any], copying: bool) -> Iterator[str]:
        """The reply's text pieces. `copying`: a short text that mostly copies its prompt (a sentence for one
        fact) is decoded greedily with guesses from the prompt (llm/lookup.py), about a third faster."""
        if copying and (getattr(llama, "metadata", None) or {}).get("tokenizer.chat_template"):
            # (a GGUF without its own chat template gets llama-cpp-python's default format on the ordinary path)
            from assistant.llm.lookup import generate

            yield from generate(llama, to_llama_messages(messages), max_tokens=params["max_tokens"],
                                stop=params["stop"] or (), repeat_penalty=params["repeat_penalty"])
            return
        for event in llama.create_chat_completion(messages=to_llama_messages(messages), stream=True, **params):
            text = event["choices"][0].get("delta", {}).get("content") or ""
            if text:
                yield text

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any
                ) -> Iterator[ChatGenerationChunk]:
        loaded = _load(self.model_path, self.n_threads, self.n_ctx)
        stops = [*(self.stop or []), *(stop or [])] or None
        params: dict[str, Any] = {
            "max_tokens": kwargs.get("max_tokens", self.max_tokens),
            "temperature": kwargs.get("temperature", self.temperature),
            "repeat_penalty": kwargs.get("repeat_penalty", self.repeat_penalty),
            "stop": stops,
        }
        seed = kwargs.get("seed", self.seed)
        if seed is not None:
            params["seed"] = seed
        with loaded.lock:
            try:
                for text in self._pieces(loaded.llama, messages, params, bool(kwargs.get("copying"))):
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                    if run_manager:
                        run_manager.on_llm_new_token(text, chunk=chunk)
                    yield chunk
            except ValueError as exc:
                if "context window" in str(exc):
                    raise ModelUnavailable(
                        f"输入太长，超出了本地模型的上下文长度（{self.n_ctx}），请精简事实或调大 ASSISTANT_LLM_CONTEXT。"
                    ) from exc
                raise ModelUnavailable("本地模型生成出错，请重试或改用其他模型。") from exc
            except RuntimeError as exc:
                log.warning("embedded generation failed: %s", exc)
                raise ModelUnavailable("本地模型生成出错，请重试或改用其他模型。") from exc
        yield ChatGenerationChunk(
            message=AIMessageChunk(content="", response_metadata={"finish_reason": "stop"})
        )
