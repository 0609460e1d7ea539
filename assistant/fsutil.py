"""Crash-safe file writes and safe names: a crash never truncates a user's facts, drafts or exports."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import unicodedata
from pathlib import Path

from assistant.errors import UserError


def current_umask() -> int:
    """The process umask, read without changing it (os.umask can only read it by setting it, which races with
    other threads creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no /proc: the portable way, which sets it for a moment
    os.umask(mask)
    return mask


def plain_write_mode(path: Path) -> int:
    """The mode `open(path, "w")` would leave: an existing file keeps its own, a new one gets 0666 & ~umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write to a temp file in the same folder, fsync, then rename over the target.

    The temp file is created 0600; it is given the mode a plain write would leave before it takes the name, so
    an export or a session file is as readable as any other file the user writes there.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = plain_write_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename durable too
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
# File systems allow 255 bytes; atomic_write_bytes adds "." before and ".<8 random>.tmp" after the name.
MAX_NAME_BYTES = 200


def _invisible(ch: str) -> bool:
    """Control and format characters (NUL, U+202E right-to-left override, zero-width space, BOM)."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


def _fit(text: str, budget: int) -> str:
    """`text` cut to at most `budget` UTF-8 bytes, on a character boundary."""
    return text.encode("utf-8")[:max(budget, 0)].decode("utf-8", "ignore")


def safe_filename(name: str, *, max_len: int = 80, default: str = "file") -> str:
    """A file name that stays inside its folder: no separators, no control or invisible characters, no dot-dot,
    short enough in bytes (emoji and rare characters take 4) for the file system and the temp-file prefix."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join("_" if _invisible(ch) else ch for ch in name)
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name or set(name) <= {"_", "."}:
        name = default
    stem, dot, suffix = name.rpartition(".")
    if dot and len(suffix) <= 8:
        stem = _fit(stem[: max_len - len(suffix) - 1], MAX_NAME_BYTES - len(suffix.encode("utf-8")) - 1)
        return f"{stem or default}.{suffix}"
    return _fit(name[:max_len], MAX_NAME_BYTES)


def confined(base: Path, *parts: str) -> Path:
    """base/parts resolved, refused when it escapes base (symlinks, '..')."""
    base_resolved = base.resolve()
    target = base_resolved.joinpath(*parts).resolve()
    if target != base_resolved and base_resolved not in target.parents:
        raise UserError("文件路径不允许超出数据目录。")
    return target
