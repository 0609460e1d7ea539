"""Errors a user can cause. They carry one Chinese sentence that says what to do; never a traceback."""

from __future__ import annotations

import errno


class UserError(Exception):
    """A mistake in the user's input or environment (bad file, empty facts, model unreachable)."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ModelUnavailable(UserError):
    """The chosen model backend cannot answer (not installed, unreachable, refused)."""


class EmbeddingMismatch(UserError):
    """The index was built with another embedding model; re-indexing is needed."""


_OS_REASONS = {
    errno.EEXIST: "这里已有一个同名文件，不是文件夹", errno.ENOTDIR: "路径中有一段是文件，不是文件夹",
    errno.EISDIR: "这是文件夹，不是文件", errno.ENOENT: "不存在", errno.EACCES: "没有权限",
    errno.EPERM: "没有权限", errno.ENOSPC: "磁盘空间不足", errno.EROFS: "磁盘是只读的",
}


def os_error_message(exc: OSError) -> str | None:
    """One Chinese line for a file-system problem with a named path (a wrong --data-dir, a full disk), or None.

    Shared by the CLI and the MCP server, which both turn such an error into a user's message.
    """
    if exc.filename is None:
        return None
    reason = _OS_REASONS.get(exc.errno or 0, exc.strerror or "无法访问")
    return f"无法使用“{exc.filename}”：{reason}。请检查路径（如 --data-dir）和磁盘。"
