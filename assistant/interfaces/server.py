"""One process serving the Gradio app at / and the OpenAI-compatible API at /v1.

Binds 127.0.0.1 unless told otherwise. Bound elsewhere without a login (ASSISTANT_AUTH) or an API key
(ASSISTANT_API_KEY), anyone on the network can read and write the data: that is warned about loudly.
Secrets are read from settings only where they are checked and never logged or printed.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.errors import UserError

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.services import Services

log = logging.getLogger(__name__)

QUEUE_CONCURRENCY = 8


def is_loopback(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1; names other than localhost count as exposed."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def exposure_warning(settings: Settings, host: str) -> tuple[str, str] | None:
    """(English log line, Chinese message) when bound beyond loopback with the app or the API left open."""
    if is_loopback(host):
        return None
    open_parts_en: list[str] = []
    open_parts_zh: list[str] = []
    if settings.auth is None:
        open_parts_en.append("the web app has no login (ASSISTANT_AUTH)")
        open_parts_zh.append("网页应用没有设置登录（ASSISTANT_AUTH）")
    if settings.api_key is None:
        open_parts_en.append("the /v1 API has no key (ASSISTANT_API_KEY)")
        open_parts_zh.append("/v1 接口没有设置密钥（ASSISTANT_API_KEY）")
    if not open_parts_en:
        return None
    english = f"Listening on {host}, reachable from other machines, but " + " and ".join(open_parts_en) + "."
    chinese = (f"警告：服务监听在 {host}，其他电脑也能访问，但" + "，".join(open_parts_zh)
               + "。任何人都能查看和修改这里的数据；如只在本机使用，请改用 --host 127.0.0.1。")
    return english, chinese


def auth_pair(settings: Settings) -> tuple[str, str] | None:
    """ASSISTANT_AUTH "user:password" → Gradio's (user, password)."""
    if settings.auth is None:
        return None
    user, sep, password = settings.auth.get_secret_value().partition(":")
    if not sep or not user.strip() or not password:
        raise UserError("ASSISTANT_AUTH 的格式应为“用户名:密码”，例如 admin:换成你的密码。")
    return user.strip(), password


def create_app(settings: Settings, services: Services | None = None) -> FastAPI:
    """FastAPI app with the API under /v1 and the Gradio page at / (behind a login when settings.auth)."""
    import gradio as gr
    from fastapi import FastAPI

    from assistant.interfaces.api import create_api
    from assistant.services import build_services
    from assistant.ui import build_ui, launch_options

    services = services or build_services(settings)
    app = FastAPI(title="工作总结写作助手", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(create_api(services))  # before the mount, so /v1 is not swallowed by Gradio
    demo = build_ui(services).queue(default_concurrency_limit=QUEUE_CONCURRENCY)
    return gr.mount_gradio_app(
        app, demo, path="/", auth=auth_pair(settings), auth_message="请登录工作总结写作助手。",
        max_file_size=f"{settings.max_upload_mb:g}mb", **launch_options(),
    )


def check_free(host: str, port: int) -> None:
    """Say in Chinese that the port is taken, before uvicorn says it in English and exits."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise UserError(f"无法识别监听地址“{host}”：请用 127.0.0.1、0.0.0.0 或本机的 IP 地址。") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UserError(f"端口 {port} 已被占用：请换一个端口，例如 --port {port + 1}。") from exc
            raise UserError(f"无法在 {host}:{port} 上监听：{exc.strerror or exc}。") from exc


def uvicorn_level() -> str:
    """uvicorn's own log level: its start-up and access lines (English) only when the assistant logs at INFO
    (`assistant -v`); otherwise warnings and errors alone (cli_logging)."""
    return "info" if logging.getLogger("assistant").isEnabledFor(logging.INFO) else "warning"


def display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def run(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Serve until interrupted; prints where the app and the API are."""
    import uvicorn

    host = host or settings.host
    port = settings.port if port is None else port
    warning = exposure_warning(settings, host)
    if warning is not None:
        log.warning(warning[0])
        print(warning[1], flush=True)
    app = create_app(settings)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else display_host(host)
    print(f"工作总结写作助手：http://{shown}:{port}/  （兼容 OpenAI 的接口：http://{shown}:{port}/v1）",
          flush=True)
    uvicorn.run(app, host=host, port=port, log_level=uvicorn_level())
