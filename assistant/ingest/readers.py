"""Read one example file (.txt, .md, .docx, text .pdf) into a cleaned Document.

Files come from users (uploads, folders), so every way a file can be bad ends in `UnreadableFile` with a
Chinese sentence naming the file and the reason, never in a traceback. Parsers are imported lazily so
that reading plain text needs neither python-docx nor pypdf.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from assistant.errors import UserError
from assistant.ingest.cleaning import clean_text
from assistant.schema import Document
from assistant.text.decode import NotText, decode_text
from assistant.text.headings import parse_numbered

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DOCX_MAX_UNCOMPRESSED = 50 * 1024 * 1024  # all zip members together
DOCX_MAX_RATIO = 200  # uncompressed / compressed for one member; real documents stay far below
TITLE_MAX_CHARS = 40
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_TITLE_PUNCT = re.compile(r"[。，；：！？、,.;:!?]")


class UnreadableFile(UserError):
    """A file that cannot be turned into text: empty, binary, damaged, scanned, unsupported or too big."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"无法读取文件 {Path(path).name}：{reason}。")
        self.path = str(path)
        self.reason = reason


# ---- text -----------------------------------------------------------------------------------------

_NOT_TEXT_REASONS = {"binary": "看起来是二进制文件，不是文本", "bad-utf16": "文本编码无法识别",
                     "encoding": "文本编码无法识别（请另存为 UTF-8）"}


def decode_file_text(data: bytes, path: Path) -> str:
    """The file's bytes as text (see assistant.text.decode); UnreadableFile naming the file otherwise."""
    try:
        return decode_text(data)
    except NotText as exc:
        raise UnreadableFile(path, _NOT_TEXT_REASONS[exc.reason]) from exc


def split_front_matter(text: str, path: Path) -> tuple[dict[str, str], str]:
    """Separate a YAML header between '---' lines from the body; no header gives an empty mapping."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    import yaml

    try:
        data: Any = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        raise UnreadableFile(path, "文件开头的元数据（两行 --- 之间）格式有误") from exc
    if not isinstance(data, dict):
        raise UnreadableFile(path, "文件开头的元数据（两行 --- 之间）应为“键: 值”的形式")
    meta = {str(k).strip(): "" if v is None else str(v).strip() for k, v in data.items()}
    return meta, text[m.end():]


# ---- docx / pdf -----------------------------------------------------------------------------------

def _check_zip(path: Path) -> None:
    """Refuse archives that would inflate to an absurd size (zip bombs) before python-docx opens them."""
    if not zipfile.is_zipfile(path):
        raise UnreadableFile(path, "格式损坏（不是有效的 Word .docx 文件）")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(path, "格式损坏（压缩包无法打开）") from exc
    total = sum(i.file_size for i in infos)
    if total > DOCX_MAX_UNCOMPRESSED:
        raise UnreadableFile(path, f"解压后超过 {DOCX_MAX_UNCOMPRESSED // (1024 * 1024)} MB，文件过大或已损坏")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > DOCX_MAX_RATIO * max(info.compress_size, 1):
            raise UnreadableFile(path, "压缩比异常（疑似压缩炸弹），已拒绝读取")


def _read_docx(path: Path) -> tuple[str, str]:
    """Paragraph texts (tables row by row) in body order, and the title from the properties or style."""
    _check_zip(path)
    try:
        import docx
        from docx.table import Table

        document = docx.Document(str(path))
        parts: list[str] = []
        title = (document.core_properties.title or "").strip()
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                for row in item.rows:
                    cells = [c.text.strip() for c in row.cells]
                    parts.append("\t".join(c for c in cells if c))
                continue
            text = item.text.strip()
            if not text:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            if not title and not parts and style.lower().startswith("title"):
                title = text
                continue
            parts.append(text)
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on damaged files
        raise UnreadableFile(path, "格式损坏（Word 文件无法解析）") from exc
    return "\n\n".join(p for p in parts if p), title


_PDF_PARA_END = re.compile(r"[。！？：:；]$")


def _reflow_pdf(text: str) -> str:
    """PDF lines are visual lines: end a paragraph after sentence-final punctuation and around headings."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if parse_numbered(line) is not None and out and out[-1]:
            out.append("")
        out.append(line)
        if _PDF_PARA_END.search(line) or parse_numbered(line) is not None or len(line) <= 25:
            out.append("")
    return "\n".join(out)


def _read_pdf(path: Path) -> str:
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(path, "PDF 已加密，请先解除密码")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        raise UnreadableFile(path, "格式损坏（PDF 无法解析）") from exc
    text = "\n".join(pages)
    if not any(ch.isalnum() for ch in text):
        raise UnreadableFile(path, "扫描版 PDF 没有文字层，请先做文字识别（OCR）或另存为 Word")
    return _reflow_pdf(text)


# ---- document -------------------------------------------------------------------------------------

def _first_block(text: str) -> tuple[list[str], str]:
    """The stripped lines of the first paragraph and the text after it."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return [line.strip() for line in lines[start:end]], "\n".join(lines[end:]).strip("\n")


def guess_title(text: str) -> str | None:
    """The first paragraph if it looks like a title: names a 总结/报告, or is short and unpunctuated.

    A title a scrape broke over several short lines ("政府工作报" / "告") is joined back.
    """
    block, _ = _first_block(text)
    if not block or (len(block) > 1 and any(len(line) > 25 for line in block)):
        return None
    s = "".join(block)
    if len(s) > TITLE_MAX_CHARS or parse_numbered(s) is not None:
        return None
    if ("总结" in s or "报告" in s) and not s.endswith(("。", "：", ":")):
        return s
    if len(s) <= 25 and not _TITLE_PUNCT.search(s):
        return s
    return None


def read_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read, decode, clean and title one file; raise UnreadableFile with the reason when it cannot be."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(path, f"不支持的类型“{path.suffix or '无扩展名'}”（支持 .txt、.md、.docx、.pdf）")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile(path, f"打不开（{exc.strerror or exc}）") from exc
    if size > max_bytes:
        raise UnreadableFile(path, f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {max_bytes / 1024 / 1024:.0f} MB）")
    if size == 0:
        raise UnreadableFile(path, "空文件")

    meta: dict[str, str] = {}
    title = ""
    if suffix in (".txt", ".md"):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableFile(path, f"打不开（{exc.strerror or exc}）") from exc
        meta, raw = split_front_matter(decode_file_text(data, path), path)
    elif suffix == ".docx":
        raw, title = _read_docx(path)
    else:
        raw = _read_pdf(path)

    text = clean_text(raw)
    title = meta.get("title") or title
    if not title:
        guessed = guess_title(text)
        rest = _first_block(text)[1] if guessed else text
        if guessed and rest.strip():
            title, text = guessed, rest
    if not text.strip():
        raise UnreadableFile(path, "空文件（没有正文）")
    return Document(
        doc_id=path.stem,
        title=title or path.stem,
        text=text,
        path=str(path),
        org_type=meta.get("org_type", ""),
        year=meta.get("year", ""),
        meta=meta,
    )
