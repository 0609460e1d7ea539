"""CLI commands for the page's saved sessions: `assistant sessions list|remove ID…|prune`."""

from __future__ import annotations

import argparse
import json
import time

from assistant.config import Settings
from assistant.errors import UserError
from assistant.limits import size_label
from assistant.services.sessions import SessionStore


def _store(settings: Settings) -> SessionStore:
    return SessionStore(settings.sessions_dir, settings.session_days)


def _days(settings: Settings) -> str:
    return f"{settings.session_days:g}"


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    pruned = store.prune()
    sessions = store.list()
    if args.json:
        print(json.dumps({"sessions": [s.to_json() for s in sessions], "pruned": pruned,
                          "session_days": settings.session_days}, ensure_ascii=False))
        return 0
    if pruned:
        print(f"已删除 {len(pruned)} 个超过 {_days(settings)} 天未使用的会话。")
    if not sessions:
        print(f"没有保存的会话（{settings.sessions_dir}）。")
        return 0
    for s in sessions:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(s.modified))
        print(f"{s.id}  {when}  {size_label(s.size):>7}  {s.unit or '（未填单位）'}")
    print(f"共 {len(sessions)} 个会话；超过 {_days(settings)} 天未使用的会话会自动删除（ASSISTANT_SESSION_DAYS）。")
    return 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    bad = [i for i in args.ids if not store.is_valid(i)]
    if bad:
        raise UserError(f"会话编号“{bad[0][:40]}”无效：编号是 32 位十六进制字符，可用 assistant sessions list 查看。")
    missing = [i for i in args.ids if not store.path(i).is_file()]
    if missing:
        raise UserError(f"没有编号为“{missing[0]}”的会话：可用 assistant sessions list 查看。")
    for session_id in args.ids:
        store.remove(session_id)
    print(f"已删除 {len(args.ids)} 个会话。")
    return 0


def cmd_prune(args: argparse.Namespace, settings: Settings) -> int:
    pruned = _store(settings).prune()
    if args.json:
        print(json.dumps({"pruned": pruned, "session_days": settings.session_days}, ensure_ascii=False))
    else:
        print(f"已删除 {len(pruned)} 个超过 {_days(settings)} 天未使用的会话。")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add `sessions` with its three sub-commands to the CLI parser."""
    p = sub.add_parser("sessions", help="查看或删除网页中保存的会话（事实和草稿）")
    actions = p.add_subparsers(dest="action", parser_class=type(p), required=True)
    q = actions.add_parser("list", help="列出保存的会话（先删除过期的）")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_list)
    q = actions.add_parser("remove", help="删除指定编号的会话")
    q.add_argument("ids", nargs="+", metavar="ID", help="会话编号（见 sessions list）")
    q.set_defaults(func=cmd_remove)
    q = actions.add_parser("prune", help="删除超过 ASSISTANT_SESSION_DAYS 天未使用的会话")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_prune)
