"""One bound on text a user hands over in one piece, the same number on the page, the API and the CLI.

A pasted or typed box on the page, one message to /v1/chat/completions, a facts, draft or outline file on the
CLI: each may hold at most `Settings.max_input_kb` (ASSISTANT_MAX_INPUT_KB, 512 KB by default) of UTF-8 text.
A whole year's facts or a whole summary is tens of KB; the bound keeps the parser, the check and the model
prompt from being fed megabytes. Example documents uploaded to the library are a different thing (Word and PDF
files with layout and images) and keep their own bound, ASSISTANT_MAX_UPLOAD_MB.
"""

from __future__ import annotations

from assistant.errors import UserError

DEFAULT_MAX_INPUT_KB = 512
DEFAULT_MAX_INPUT_BYTES = DEFAULT_MAX_INPUT_KB * 1024


def size_label(n_bytes: int | float) -> str:
    """'512 KB', '1.5 MB': how a limit or a size is shown to the user."""
    if n_bytes >= 1024 * 1024:
        return f"{n_bytes / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(n_bytes / 1024))} KB"


def too_large(what: str, size: int, limit: int, hint: str = "请删去与本年度总结无关的内容") -> UserError:
    """The one Chinese message for a text over the limit: what, how big, the limit, what to do."""
    return UserError(f"{what}太大（约 {size_label(size)}，上限 {size_label(limit)}）：{hint}。")


def text_bytes(text: str) -> int:
    """Size of a text as UTF-8 (lone surrogates counted, never an error)."""
    return len(text.encode("utf-8", "surrogatepass"))


def check_text_size(text: str, what: str, limit: int, hint: str = "请删去与本年度总结无关的内容") -> None:
    """Refuse a text over `limit` bytes with the message of `too_large`."""
    size = text_bytes(text)
    if size > limit:
        raise too_large(what, size, limit, hint)
