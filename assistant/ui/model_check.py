"""检查模型: contact the configured model for real and say what came back, in one Chinese sentence.

An OpenAI-compatible server is asked for its model list (GET {base_url}/models with the key), so a wrong
URL, a refused connection, a bad key, a timeout or a server that is not OpenAI-compatible is named before the
first draft fails. The embedded model is loaded (it is cached, so the first draft does not pay again). The key
is sent, never shown: messages carry the URL without credentials (openai_compat.display_url) and no body text.
"""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from assistant.config import Settings
from assistant.services.drafting import ModelChoice

PROBE_TIMEOUT_S = 15.0  # a model list is small: a server slower than this will not draft well either
MAX_LIST_BYTES = 2 * 1024 * 1024
SHOWN_MODELS = 8


@dataclass(frozen=True)
class ModelReport:
    """What the check found: `kind` is ok | warn | error (the status line's colours)."""

    message: str
    kind: str


def check_model(settings: Settings, choice: ModelChoice) -> ModelReport:
    backend = (choice.backend or settings.backend or "").strip().lower()
    if backend == "template":
        return ModelReport("模板模式不使用模型，无需连接：起草时按你的事实和本单位的写法组织成文，不编写新内容。", "ok")
    if backend == "embedded":
        return check_embedded(settings)
    if backend == "openai":
        return check_openai(choice.base_url or settings.openai_base_url, choice.model or settings.openai_model,
                            choice.api_key or _settings_key(settings), min(settings.openai_timeout, PROBE_TIMEOUT_S))
    return ModelReport(f"未知的模型后端“{backend}”，请在上方重新选择。", "error")


def _settings_key(settings: Settings) -> str:
    key = settings.openai_api_key
    return key.get_secret_value() if key is not None and hasattr(key, "get_secret_value") else str(key or "")


def check_embedded(settings: Settings) -> ModelReport:
    """Is the GGUF there, and does llama.cpp load it?"""
    import importlib.util

    from assistant.llm.model_files import model_status

    if importlib.util.find_spec("llama_cpp") is None:
        return ModelReport("本地模型不可用：缺少 llama-cpp-python 运行库，请运行 make setup；起草时会改用模板模式。",
                           "error")
    status = model_status(settings)
    if status.path is None:
        return ModelReport(f"本地模型不可用：{status.reason}；起草时会改用模板模式。", "error")
    from assistant.errors import ModelUnavailable
    from assistant.llm.embedded import EmbeddedChatModel

    size_mb = Path(status.path).stat().st_size / 1024 / 1024
    try:
        seconds = EmbeddedChatModel.from_settings(settings, status.path).load()
    except ModelUnavailable as exc:
        return ModelReport(f"找到了本地模型文件 {status.path.name}（{size_mb:.0f} MB），但{exc}", "error")
    took = f"，加载用了 {seconds:.1f} 秒" if seconds >= 0.05 else "（已在内存中）"
    return ModelReport(f"本地模型可用：{status.path.name}（{size_mb:.0f} MB）已加载{took}。", "ok")


def check_openai(base_url: str, model: str, api_key: str, timeout: float) -> ModelReport:
    """GET {base_url}/models and report the model list, or why there is none."""
    from assistant.llm.openai_compat import display_url

    url = (base_url or "").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ModelReport(f"服务地址“{display_url(url) or url[:60]}”无效，应形如 http://127.0.0.1:11434/v1。", "error")
    where = display_url(url)
    request = urllib.request.Request(f"{url}/models", headers={"Accept": "application/json"})
    if api_key:
        request.add_header("Authorization", f"Bearer {api_key}")
    try:
        with _opener().open(request, timeout=timeout) as response:
            raw = response.read(MAX_LIST_BYTES + 1)
    except urllib.error.HTTPError as exc:
        return ModelReport(_http_reason(exc.code, where), "error")
    except TimeoutError:
        return ModelReport(f"{where} 在 {timeout:.0f} 秒内没有响应：服务可能太忙或地址不对。", "error")
    except urllib.error.URLError as exc:
        return ModelReport(_connection_reason(exc.reason, where, timeout), "error")
    except http.client.HTTPException:
        return ModelReport(f"{where} 的回答不是 HTTP：不是 OpenAI 兼容服务，或协议不对（http/https）。", "error")
    except (OSError, ValueError) as exc:
        return ModelReport(_connection_reason(exc, where, timeout), "error")
    ids = _model_ids(raw)
    if ids is None:
        return ModelReport(f"{where} 有响应，但不是 OpenAI 兼容服务（/models 没有返回模型列表）：请确认地址以 /v1 结尾。",
                           "error")
    shown = "、".join(ids[:SHOWN_MODELS]) + ("等" if len(ids) > SHOWN_MODELS else "")
    listing = f"提供 {len(ids)} 个模型：{shown}" if ids else "连接成功，但服务没有列出任何模型"
    name = (model or "").strip()
    if not name:
        return ModelReport(f"已连接 {where}，{listing}。请在“模型名称”中填写其中一个。", "warn")
    if ids and name not in ids:
        return ModelReport(f"已连接 {where}，{listing}；但其中没有“{name}”，请检查模型名称。", "warn")
    return ModelReport(f"已连接 {where}，{listing}；将使用“{name}”。", "ok")


def _opener() -> urllib.request.OpenerDirector:
    """No proxy for loopback servers (a desktop's proxy settings must not hide a local Ollama)."""
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _model_ids(raw: bytes) -> list[str] | None:
    if len(raw) > MAX_LIST_BYTES:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    items = data.get("data") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    return [str(m["id"]) for m in items if isinstance(m, dict) and isinstance(m.get("id"), str | int)]


def _http_reason(status: int, where: str) -> str:
    if status in (401, 403):
        return f"{where} 拒绝了访问（{status}）：请检查 API 密钥。"
    if status == 404:
        return f"{where} 上没有 /models 接口（404）：不是 OpenAI 兼容服务，或地址少了 /v1。"
    if status == 429:
        return f"{where} 请求过于频繁或额度已用完（429），请稍后再试。"
    if status >= 500:
        return f"{where} 内部出错（{status}），请稍后重试或查看该服务的日志。"
    return f"{where} 拒绝了请求（{status}）：可能不是 OpenAI 兼容服务。"


def _connection_reason(reason: object, where: str, timeout: float) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return f"连不上 {where}：连接被拒绝，请确认服务已经启动、地址和端口正确。"
    if isinstance(reason, TimeoutError):
        return f"{where} 在 {timeout:.0f} 秒内没有响应：服务可能太忙或地址不对。"
    if isinstance(reason, socket.gaierror):
        return f"找不到主机 {where}：请检查地址拼写和网络。"
    if isinstance(reason, ConnectionResetError):
        return f"{where} 断开了连接：可能不是 HTTP 服务，或协议不对（http/https）。"
    text = str(reason)
    if "SSL" in text or "ssl" in text:
        return f"与 {where} 的加密连接失败：请确认地址应是 http 还是 https。"
    return f"连不上 {where}：请检查地址和网络。"
