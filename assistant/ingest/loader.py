"""Turn the paths a user names (files and folders) into Documents, naming every file that was skipped.

A folder is walked recursively; hidden files and folders and README files (which document the folder,
they are not examples) are passed over, unsupported or unreadable files are skipped with a Chinese
reason so one bad upload never stops an ingest. A path that does not exist is the user's mistake and
raises UserError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import UserError
from assistant.ingest.readers import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, UnreadableFile, read_document
from assistant.schema import Document

README_STEMS = frozenset({"readme"})


@dataclass
class LoadResult:
    """Documents read, and (path, reason) for every file left out."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _folder_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not _is_hidden(p, root))


def load_paths(paths: list[Path], max_bytes: int = DEFAULT_MAX_BYTES) -> LoadResult:
    """Read every supported file under `paths` (in sorted order); a missing path raises UserError."""
    result = LoadResult()
    seen: dict[str, str] = {}  # doc_id -> path, so two files never share chunk ids
    for given in paths:
        given = Path(given)
        if not given.exists():
            raise UserError(f"找不到文件或文件夹：{given}，请检查路径是否正确。")
        in_folder = given.is_dir()
        for path in _folder_files(given) if in_folder else [given]:
            if in_folder and path.stem.lower() in README_STEMS:
                result.skipped.append((str(path), "说明文件（README），不是范文"))
                continue
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                result.skipped.append((str(path), f"不支持的类型“{path.suffix or '无扩展名'}”"
                                                  "（支持 .txt、.md、.docx、.pdf）"))
                continue
            try:
                doc = read_document(path, max_bytes=max_bytes)
            except UnreadableFile as exc:
                result.skipped.append((str(path), exc.reason))
                continue
            if doc.doc_id in seen:
                if seen[doc.doc_id] == str(path):
                    continue  # the same file named twice (a folder and a file in it)
                result.skipped.append((str(path), f"与 {seen[doc.doc_id]} 同名（{doc.doc_id}），已跳过"))
                continue
            seen[doc.doc_id] = str(path)
            result.documents.append(doc)
    return result
