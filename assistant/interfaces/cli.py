"""Command line: `assistant ingest|search|outline|draft|check|export|serve|mcp|sessions`.

Exit codes: 0 success, 2 a user's mistake (one Chinese line on stderr), 1 an internal fault.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from assistant.config import Settings, load_settings
from assistant.errors import UserError, os_error_message
from assistant.interfaces.cli_logging import configure_logging
from assistant.schema import require_role, scrub_text

log = logging.getLogger("assistant")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage mistakes in Chinese with exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"参数错误：{message}（运行 assistant --help 查看用法）", file=sys.stderr)
        raise SystemExit(2)


def _emit(data: Any, as_json: bool, text: str) -> None:
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(text)


# --- commands --------------------------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.services import build_services

    services = build_services(settings)
    paths = [Path(p) for p in args.paths] if args.paths else None
    report = services.knowledge.ingest(paths, reindex=args.reindex)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
        return 0
    for path, reason in report.skipped:
        print(f"跳过 {path}：{reason}", file=sys.stderr)
    print(f"读入 {len(report.read)} 个文件，跳过 {len(report.skipped)} 个；"
          f"更新 {len(report.updated)} 个、未变 {len(report.unchanged)} 个、删除 {len(report.removed)} 个；"
          f"新增 {report.chunks_added} 段，移除 {report.chunks_removed} 段。")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.interfaces.cli_drafting import ensure_examples
    from assistant.services import build_knowledge

    role = require_role(args.role) if args.role is not None else None
    knowledge = build_knowledge(settings)
    ensure_examples(knowledge)
    if args.batch:
        batch = Path(args.batch)
        if not batch.is_file():
            raise UserError(f"找不到查询文件：{batch}")
        try:
            content = batch.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise UserError(f"查询文件不是 UTF-8 文本：{batch}") from exc
        if "\x00" in content:
            raise UserError(f"查询文件不是文本文件（含有二进制数据）：{batch}")
        lines = content.splitlines()
        for line in lines:
            if not line.strip():
                continue
            hits = knowledge.search(line.strip(), args.k, role=role, mode=args.mode)
            print(json.dumps({"query": line.strip(), "results": [h.to_json() for h in hits]},
                             ensure_ascii=False), flush=True)
        return 0
    if not args.query:
        raise UserError("请给出要查找的内容，或用 --batch 指定查询文件。")
    query = scrub_text(" ".join(args.query))  # undecodable terminal bytes arrive as lone surrogates
    hits = knowledge.search(query, args.k, role=role, mode=args.mode)
    data = {"query": query, "results": [h.to_json() for h in hits]}
    text = "\n\n".join(f"[{i}] {h.doc} · {h.heading or '（无标题）'} · {h.role} · {h.score:.3f}\n{h.text}"
                       for i, h in enumerate(hits, 1)) or "没有找到相关段落。"
    _emit(data, args.json, text)
    return 0


def cmd_mcp(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.interfaces import mcp_server  # the MCP SDK takes a second to import: only for this command

    if args.http:
        mcp_server.run_http(settings, host=args.host, port=args.port)
    else:
        mcp_server.run_stdio(settings)
    return 0


Command = Callable[[argparse.Namespace, Settings], int]
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="assistant", description="工作总结写作助手")
    parser.add_argument("--settings", help="设置文件（TOML 或 YAML）")
    parser.add_argument("--data-dir", help="数据目录（默认 ./data）")
    parser.add_argument("-v", "--verbose", action="store_true", help="输出调试日志")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("ingest", help="把范文编入索引（默认 knowledge/）")
    p.add_argument("paths", nargs="*", help="文件或文件夹")
    p.add_argument("--reindex", action="store_true", help="清空索引后全部重建（换嵌入模型后使用）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="检索范文段落")
    p.add_argument("query", nargs="*")
    p.add_argument("-k", type=int, default=3)
    p.add_argument("--role", help="按部分过滤：开头/成绩/问题/计划/结尾")
    p.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    p.add_argument("--batch", help="每行一个查询的文件；每行输出一个 JSON")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    from assistant.interfaces import cli_drafting, cli_sessions

    cli_drafting.register(sub)
    cli_sessions.register(sub)

    p = sub.add_parser("mcp", help="作为 MCP 服务运行，供智能体客户端调用（默认 stdio）")
    p.add_argument("--http", action="store_true", help="改用 streamable HTTP（地址 http://127.0.0.1:7861/mcp）")
    p.add_argument("--host", help="HTTP 监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, help="HTTP 端口（默认 7861）")
    p.set_defaults(func=cmd_mcp)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        if getattr(args, "k", 1) is not None and getattr(args, "k", 1) < 1:
            raise UserError("-k 必须是正整数。")
        settings = load_settings(args.settings, data_dir=args.data_dir)
        return int(args.func(args, settings))
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # The reader went away (`assistant search … | head`): nothing is wrong, and nothing more can be said.
        _silence_stdout()
        return 0
    except OSError as exc:
        message = os_error_message(exc)
        if message is None:
            log.debug("internal error", exc_info=True)
            print(f"内部错误：{type(exc).__name__}。请加 -v 重试查看详情，并把它报告给维护者。", file=sys.stderr)
            return 1
        print(message, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        log.debug("internal error", exc_info=True)
        print(f"内部错误：{type(exc).__name__}。请加 -v 重试查看详情，并把它报告给维护者。", file=sys.stderr)
        return 1


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail on the closed pipe again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
