"""Readers, cleaning, the folder loader and the knowledge files: every bad file gives a Chinese reason."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from assistant.errors import UserError
from assistant.ingest import readers
from assistant.ingest.cleaning import clean_text
from assistant.ingest.loader import load_paths
from assistant.ingest.readers import UnreadableFile, read_document
from assistant.schema import Document

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
SEED = REPO.parent / "shared" / "seed" / "000_1aa8af0fc3fa21d4.txt"
KNOWLEDGE_FILES = ("01-gongqu-gonghui.md", "02-quzong-gonghui.md", "03-shequ-gonghui.md",
                   "04-weisheng-gonghui.md", "05-jiaotong-gonghui.md")

BODY = "2021年，我会在上级工会领导下开展工作，现将工作总结如下：\n\n一、加强学习\n\n全年组织学习12次。"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# ---- text files -----------------------------------------------------------------------------------

def test_markdown_front_matter_gives_metadata_and_body(tmp_path: Path) -> None:
    path = _write(tmp_path / "example.md",
                  "---\ntitle: 2021年测试工会工作总结\norg_type: 工会\nyear: 2021\nunit: 测试工会\n---\n\n" + BODY)
    doc = read_document(path)
    assert doc.doc_id == "example"
    assert doc.title == "2021年测试工会工作总结"
    assert (doc.org_type, doc.year, doc.meta["unit"]) == ("工会", "2021", "测试工会")
    assert doc.text.startswith("2021年，我会") and "---" not in doc.text and "title:" not in doc.text


def test_txt_with_bom_and_crlf(tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.txt", "\ufeff---\r\ntitle: 带BOM的总结\r\n---\r\n" + BODY.replace("\n", "\r\n"))
    doc = read_document(path)
    assert doc.title == "带BOM的总结"
    assert "\r" not in doc.text and "全年组织学习12次。" in doc.text


def test_title_from_first_line_is_taken_out_of_the_body(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path / "t.txt", "2021年测试工会工作总结\n\n" + BODY))
    assert doc.title == "2021年测试工会工作总结"
    assert not doc.text.startswith("2021年测试工会工作总结")


def test_title_falls_back_to_the_stem(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path / "no-title.txt", BODY))
    assert doc.title == "no-title"
    assert doc.text.startswith("2021年，我会")


def test_gb18030_text_is_decoded(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path / "gbk.txt", "工会工作总结\n\n" + BODY, encoding="gb18030"))
    assert doc.title == "工会工作总结"
    assert "全年组织学习12次。" in doc.text


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path / "u16.txt", BODY, encoding="utf-16"))
    assert "全年组织学习12次。" in doc.text


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("empty.txt", b"", "空文件"),
    ("blank.md", "  \n\u3000\n\n".encode(), "空文件"),
    ("only-header.md", "---\ntitle: 只有文件头\n---\n".encode(), "空文件"),
    ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 50, "二进制"),
    ("controls.txt", bytes(range(1, 9)) * 200, "二进制"),
    ("undecodable.txt", b"abc\xff\xff\x80\xff" * 20, "编码"),
    ("bad-header.md", "---\ntitle: [unclosed\n---\n正文。".encode(), "元数据"),
    ("list-header.md", "---\n- a\n- b\n---\n正文。".encode(), "元数据"),
    ("old.doc", b"\xd0\xcf\x11\xe0", "不支持的类型"),
    ("noext", b"text", "不支持的类型"),
])
def test_unreadable_files_name_the_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableFile) as info:
        read_document(path)
    assert reason in info.value.message
    assert name in info.value.message
    assert isinstance(info.value, UserError)


def test_file_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.txt", BODY * 10)
    assert read_document(path, max_bytes=10_000).text
    with pytest.raises(UnreadableFile, match="文件过大"):
        read_document(path, max_bytes=100)


# ---- docx ------------------------------------------------------------------------------------------

def _make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("2021年测试工会工作总结", style="Title")
    document.add_paragraph("今年以来，我会认真开展各项工作。现将工作总结如下：")
    document.add_paragraph("")
    document.add_paragraph("一、加强职工学习")
    document.add_paragraph("（一）学习政治理论。全年组织集中学习12次。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "参训人数"
    table.rows[0].cells[1].text = "120人"
    document.add_paragraph("二、存在的问题")
    document.save(str(path))
    return path


def test_docx_paragraphs_tables_and_title(tmp_path: Path) -> None:
    doc = read_document(_make_docx(tmp_path / "report.docx"))
    assert doc.title == "2021年测试工会工作总结"
    lines = doc.text.split("\n")
    assert "一、加强职工学习" in lines and "二、存在的问题" in lines
    assert "参训人数\t120人" in lines
    assert doc.text.index("（一）学习政治理论") < doc.text.index("参训人数") < doc.text.index("二、存在的问题")
    assert "" in lines and "\n\n\n" not in doc.text  # paragraphs apart, empty paragraphs dropped


def test_broken_docx_is_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.docx"
    garbage.write_bytes(b"PK\x03\x04 this is not really a zip file" * 10)
    with pytest.raises(UnreadableFile, match="格式损坏"):
        read_document(garbage)
    not_word = tmp_path / "not-word.docx"
    with zipfile.ZipFile(not_word, "w") as zf:
        zf.writestr("hello.txt", "a zip, but not a Word document")
    with pytest.raises(UnreadableFile, match="格式损坏"):
        read_document(not_word)


def test_zip_bomb_docx_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _make_docx(tmp_path / "bomb.docx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/media/filler.bin", b"\0" * (4 * 1024 * 1024))  # ~4 KB compressed
    assert path.stat().st_size < 200_000
    with pytest.raises(UnreadableFile, match="压缩炸弹"):
        read_document(path)

    honest = _make_docx(tmp_path / "honest.docx")
    assert read_document(honest).text
    monkeypatch.setattr(readers, "DOCX_MAX_UNCOMPRESSED", 1024)  # total size check, independent of ratio
    with pytest.raises(UnreadableFile, match="解压后超过"):
        read_document(honest)


# ---- pdf -------------------------------------------------------------------------------------------

def _cjk_font() -> str | None:
    from matplotlib import font_manager

    for font in font_manager.fontManager.ttflist:
        if any(key in font.name for key in ("WenQuanYi", "Noto Sans CJK", "Noto Serif CJK", "Source Han",
                                            "SimHei", "SimSun", "Droid Sans Fallback", "AR PL")):
            return font.fname
    return None


def _make_pdf(path: Path, lines: list[str]) -> tuple[Path, list[str]]:
    """Render `lines` with matplotlib's PDF backend; Latin stand-ins when no CJK font is installed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from matplotlib.backends.backend_pdf import PdfPages

    fname = _cjk_font()
    if fname is None:
        stand_ins = ["Union Report", "Part one study", "Twelve study sessions held."]
        lines = stand_ins[: len(lines)]
    props = font_manager.FontProperties(fname=fname) if fname else None
    fig = plt.figure(figsize=(8.27, 11.69))
    for i, line in enumerate(lines):
        fig.text(0.1, 0.9 - 0.05 * i, line, fontproperties=props, fontsize=12)
    with PdfPages(path) as pdf:
        pdf.savefig(fig)
    plt.close(fig)
    return path, lines


def test_text_pdf_is_read(tmp_path: Path) -> None:
    path, lines = _make_pdf(tmp_path / "report.pdf",
                            ["2021年测试工会工作总结", "一、加强职工学习", "全年组织集中学习12次。"])
    doc = read_document(path)
    assert doc.title == lines[0]
    for line in lines[1:]:
        assert line in doc.text


def test_pdf_without_text_is_called_scanned(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure()
    fig.add_artist(plt.Rectangle((0.2, 0.2), 0.5, 0.5))
    fig.savefig(tmp_path / "scan.pdf", format="pdf")
    plt.close(fig)
    with pytest.raises(UnreadableFile, match="扫描版"):
        read_document(tmp_path / "scan.pdf")


def test_damaged_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n" + bytes(range(256)) * 4)
    with pytest.raises(UnreadableFile):
        read_document(path)


# ---- cleaning ---------------------------------------------------------------------------------------

def test_cleaning_normalises_whitespace_only() -> None:
    raw = "\u3000\u3000第一段，达家。 \r\n\r\n\r\n\r\n  第二段月日共余份xx。\u00a0\r第三行"
    assert clean_text(raw) == "第一段，达家。\n\n第二段月日共余份xx。\n第三行"


def test_cleaning_drops_scrape_debris_and_rejoins_broken_markup() -> None:
    raw = "——经济平稳快速增长。\n'\n——改革开放进一步深化。'\n粗体文字\n我国第一部《\n国防法\n》开始实施。\n\n'重要'的话"
    assert clean_text(raw) == "——经济平稳快速增长。\n——改革开放进一步深化。\n我国第一部《国防法》开始实施。\n\n'重要'的话"


def test_cleaning_keeps_prose_verbatim() -> None:
    prose = "XX年,我工区……“xxxx”重要思想,在***道班、***道班开辟菜园。\n\n全区开展此项活动的单位达家。家单位被评为xx市示范岗。"
    assert clean_text(prose) == prose


# ---- loader -----------------------------------------------------------------------------------------

def test_loader_walks_folders_and_names_what_it_skips(tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    _write(root / "a.md", BODY)
    _write(root / "sub" / "b.txt", BODY)
    _write(root / "README.md", "# 说明\n\n这个文件夹放范文。")
    _write(root / ".secret.md", BODY)
    _write(root / ".hidden" / "c.md", BODY)
    _write(root / "notes.csv", "a,b")
    (root / "empty.txt").write_bytes(b"")
    _write(root / "sub" / "a.txt", BODY)  # same stem as a.md

    result = load_paths([root], max_bytes=1_000_000)
    assert sorted(Path(d.path).name for d in result.documents) == ["a.md", "b.txt"]
    skipped = {Path(p).name: reason for p, reason in result.skipped}
    assert set(skipped) == {"README.md", "notes.csv", "empty.txt", "a.txt"}
    assert "不支持" in skipped["notes.csv"] and "空文件" in skipped["empty.txt"]
    assert "README" in skipped["README.md"] and "同名" in skipped["a.txt"]


def test_loader_accepts_files_and_rejects_missing_paths(tmp_path: Path) -> None:
    one = _write(tmp_path / "one.txt", BODY)
    result = load_paths([one, one], max_bytes=1_000_000)
    assert [d.doc_id for d in result.documents] == ["one"] and result.skipped == []
    with pytest.raises(UserError, match="找不到"):
        load_paths([tmp_path / "missing.md"], max_bytes=1_000_000)


# ---- the knowledge files -------------------------------------------------------------------------------

def _knowledge_docs() -> list[Document]:
    return [read_document(KNOWLEDGE / name) for name in KNOWLEDGE_FILES]


def test_knowledge_files_have_headers_and_keep_the_placeholders() -> None:
    docs = _knowledge_docs()
    for doc in docs:
        assert (doc.org_type, doc.year) == ("工会", "2021")
        assert doc.meta["unit"] and doc.meta["source"] == "house example (seed page)"
        assert doc.title.endswith("工作总结") and doc.title not in doc.text
    text = "\n".join(d.text for d in docs)
    for placeholder in ("达家", "月日", "共余份", "xx", "XX", "***", "20xx"):
        assert placeholder in text
    for chrome in ("搜索", "发布时间", "一寸光阴一寸金", "dg15.com", "延伸阅读", "小编"):
        assert chrome not in text


def test_knowledge_files_are_faithful_to_the_seed() -> None:
    if not SEED.is_file():
        pytest.skip(f"the shared seed page is not beside the repo ({SEED})")
    seed_lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    ours = [p for d in _knowledge_docs() for p in d.text.split("\n") if p.strip()]
    assert len(ours) == len(set(ours))
    assert all(p in seed_lines for p in ours)  # nothing changed or invented
    titles = {d.title for d in _knowledge_docs()}
    left_out = [line for line in seed_lines if line not in ours and line not in titles]
    # only page chrome is left out
    assert len(left_out) == 5
    assert all(any(c in line for c in ("搜索", "发布时间", "一寸光阴", "dg15.com", "延伸阅读")) for line in left_out)


def test_reader_survives_a_bytes_io_roundtrip(tmp_path: Path) -> None:
    """A docx written to memory first (as an upload is) reads the same as one saved directly."""
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("上传的总结正文。")
    document.save(buffer)
    path = tmp_path / "upload.docx"
    path.write_bytes(buffer.getvalue())
    assert read_document(path).text == "上传的总结正文。"
