"""Bad input of every kind: facts and draft files on the CLI, junk in a knowledge folder, hostile uploads.

Each mistake must end in exit code 2 and one Chinese line (CLI) or a UserError (service), never a traceback,
and never a file written outside the data dir.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.errors import UserError
from tests.conftest import KNOWLEDGE, REPO, make_settings, run_cli
from tests.test_crash_safety import summary_text

FACTS_YAML = """单位: 市第一中学工会
年度: 2024
成绩:
  - 举办教职工技能培训班4期，培训340人次
  - 走访慰问困难教职工26户，发放慰问金11.6万元
问题:
  - 基层工会小组活动经费不足
计划:
  - 开展教职工心理健康讲座
"""
# A whole summary in brief: checked without --section, every fact must be used somewhere (docs/GENRE.md §B).
RESULTS_DRAFT = "一年来，工会举办教职工技能培训班4期，培训340人次；走访慰问困难教职工26户，发放慰问金11.6万元。"
GOOD_DRAFT = ("一年来，工会举办教职工技能培训班4期，培训340人次；走访慰问困难教职工26户，发放慰问金11.6万元。\n"
              "存在的问题\n工作中还存在一些不足：基层工会小组活动经费不足。\n"
              "下一步工作计划\n在新的一年里，我们将开展教职工心理健康讲座。")


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _one_chinese_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got: {err!r}"
    assert _cjk(lines[0]) and "Traceback" not in err, err
    return lines[0]


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    monkeypatch.setenv("ASSISTANT_BACKEND", "template")


@pytest.fixture()
def facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS_YAML, encoding="utf-8")
    return path


@pytest.fixture()
def draft_file(tmp_path: Path) -> Path:
    path = tmp_path / "draft.txt"
    path.write_text(GOOD_DRAFT, encoding="utf-8")
    return path


# --- facts files -------------------------------------------------------------------------------------
def _deep_json(depth: int) -> bytes:
    return ('{"成绩": ' + "[" * depth + "]" * depth + "}").encode()


BAD_FACTS: dict[str, tuple[str, bytes]] = {
    "empty": ("facts.yaml", b""),
    "blank": ("facts.json", b"  \n\n\t \n"),
    "comments only": ("facts.yaml", "# 只有注释\n# 没有事实\n".encode()),
    "huge": ("facts.yaml", ("成绩:\n" + "  - 举办职工技能培训班4期，培训340人次\n" * 90_000).encode()),
    "binary": ("facts.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20),
    "control chars": ("facts.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8, 11, 14, 15, 16]) * 300),
    "broken yaml": ("facts.yaml", "单位: 甲\n成绩: [未闭合\n问题: 有\n".encode()),
    "bad indentation": ("facts.yml", "单位: 甲\n  成绩:\n - a\n   - b: c: d\n".encode()),
    "python tag": ("facts.yaml", b"!!python/object/apply:os.system ['echo pwned']\n"),
    "broken json": ("facts.json", '{"单位": "甲", "成绩": [1, 2,}'.encode()),
    "json list": ("facts.json", '["举办培训4期", "慰问26户"]'.encode()),
    "json number": ("facts.json", b"42"),
    "json true": ("facts.json", b"true"),
    "deep json": ("facts.json", _deep_json(100_000)),
    "achievements a number": ("facts.yaml", "单位: 甲\n成绩: 42\n".encode()),
    "achievements a mapping": ("facts.yaml", "单位: 甲\n成绩: {培训: 4}\n".encode()),
    "unit a list": ("facts.yaml", "单位: [甲, 乙]\n成绩: [培训4期]\n".encode()),
    "nested items": ("facts.yaml", "单位: 甲\n成绩:\n  - [培训, 4期]\n".encode()),
    "bad year": ("facts.yaml", "单位: 甲\n年度: 明年\n成绩: [培训4期]\n".encode()),
    "alias bomb": ("facts.yaml", ("a: &a [培训,培训,培训,培训,培训,培训,培训,培训,培训]\n"
                                  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                                  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n单位: 甲\n成绩: *d\n").encode()),
    "no facts at all": ("facts.txt", b"!!! ??? ... --- ***\n@@@ ### $$$\n"),
}


@pytest.mark.parametrize("case", list(BAD_FACTS))
def test_bad_facts_file_is_exit_2_with_one_chinese_line(case: str, tmp_path: Path, draft_file: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    name, data = BAD_FACTS[case]
    path = tmp_path / name
    path.write_bytes(data)
    started = time.monotonic()
    code, out, err = run_cli(["check", "--facts", str(path), "--draft", str(draft_file)], tmp_path / "data", capsys)
    assert code == 2, err
    assert out == ""
    _one_chinese_line(err)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("command", [
    ["outline"], ["draft", "--section", "成绩"], ["export", "--out", "x.docx"], ["check", "--draft", "DRAFT"],
])
def test_every_command_refuses_a_broken_facts_file(command: list[str], tmp_path: Path, draft_file: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "facts.json"
    bad.write_text('{"单位": "甲",', encoding="utf-8")
    args = [str(draft_file) if a == "DRAFT" else str(tmp_path / a) if a == "x.docx" else a for a in command]
    code, out, err = run_cli([*args, "--facts", str(bad)], tmp_path / "data", capsys)
    assert code == 2 and out == ""
    assert "JSON" in _one_chinese_line(err)
    assert not (tmp_path / "x.docx").exists()


def test_facts_file_in_gbk_is_read(tmp_path: Path, draft_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "facts.yaml"
    path.write_bytes(FACTS_YAML.encode("gbk"))
    code, out, err = run_cli(["check", "--facts", str(path), "--draft", str(draft_file)], tmp_path / "data", capsys)
    assert code == 0, err
    assert "核查通过" in out


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_draft_in_a_windows_encoding_is_read(encoding: str, tmp_path: Path, facts_file: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_bytes(GOOD_DRAFT.encode(encoding))
    code, out, err = run_cli(["check", "--facts", str(facts_file), "--draft", str(draft)], tmp_path / "data", capsys)
    assert code == 0, err
    assert out.splitlines()[0] == "核查通过。"


def test_facts_file_saved_as_utf16_with_bom_is_read(tmp_path: Path, draft_file: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Windows Notepad's "Unicode" is UTF-16 with a BOM; example files in it are read, facts should be too."""
    path = tmp_path / "facts.yaml"
    path.write_bytes(FACTS_YAML.encode("utf-16"))
    code, out, err = run_cli(["check", "--facts", str(path), "--draft", str(draft_file)], tmp_path / "data", capsys)
    assert code == 0, err
    assert "核查通过" in out


@pytest.mark.parametrize("where", ["missing", "folder"])
def test_missing_facts_file_is_exit_2(where: str, tmp_path: Path, draft_file: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nope.yaml"
    if where == "folder":
        path.mkdir()
    code, out, err = run_cli(["check", "--facts", str(path), "--draft", str(draft_file)], tmp_path / "data", capsys)
    assert code == 2 and out == ""
    assert "nope.yaml" in _one_chinese_line(err)


# --- draft, outline, section, settings ---------------------------------------------------------------
@pytest.mark.parametrize("case", ["missing", "folder", "empty", "blank", "binary", "latin1", "huge"])
def test_bad_draft_file_is_exit_2(case: str, tmp_path: Path, facts_file: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "draft.txt"
    if case == "folder":
        path.mkdir()
    elif case != "missing":
        path.write_bytes({
            "empty": b"", "blank": b"\n \n\t", "binary": bytes(range(256)) * 40,
            "latin1": "Résumé annuel, été".encode("latin-1") * 50,
            "huge": (GOOD_DRAFT * 60_000).encode("utf-8"),  # ~9 MB
        }[case])
    started = time.monotonic()
    code, out, err = run_cli(["check", "--facts", str(facts_file), "--draft", str(path)], tmp_path / "data", capsys)
    assert code == 2, (code, err[:300])
    assert out == ""
    assert "draft.txt" in _one_chinese_line(err)
    assert time.monotonic() - started < 10


def test_a_long_draft_is_checked_in_reasonable_time(tmp_path: Path, facts_file: Path) -> None:
    """A long pasted draft (200 000 characters, ~600 KB, what a session field holds) must not hang the checker.

    Run as a real process with a time limit, so a regression fails instead of hanging the suite.
    """
    draft = tmp_path / "long.txt"
    draft.write_text("\n".join(summary_text(i, 1) for i in range(200)), encoding="utf-8")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    try:
        proc = subprocess.run([sys.executable, "-m", "assistant", "check", "--facts", str(facts_file),
                               "--draft", str(draft), "--json"], capture_output=True, text=True, env=env,
                              cwd=REPO, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("checking a 600 KB draft took more than 30 s (quadratic work in the checker)")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["ok"] is False  # it invents numbers the facts do not hold


@pytest.mark.parametrize("section", ["总结", "", "成绩 ", "../成绩", "opening;rm -rf /", "\x00"])
@pytest.mark.parametrize("command", ["draft", "check"])
def test_unknown_section_is_exit_2(command: str, section: str, tmp_path: Path, facts_file: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    draft_file = tmp_path / "results.txt"
    draft_file.write_text(RESULTS_DRAFT, encoding="utf-8")
    extra = ["--draft", str(draft_file)] if command == "check" else []
    if section == "成绩 " and command == "draft":
        return  # blanks are forgiven; drafting would load the embedding model, `check` shows it cheaply
    if section == "" and command == "check":
        return  # `check --section ""` means "no section", which is allowed
    code, out, err = run_cli([command, "--facts", str(facts_file), "--section", section, *extra], tmp_path / "data",
                         capsys)
    if section == "成绩 ":
        assert code == 0 and "核查通过" in out, err
        return
    assert code == 2 and out == ""
    assert "未知的部分" in _one_chinese_line(err)


@pytest.mark.parametrize("case", ["missing", "binary"])
def test_bad_outline_file_is_exit_2(case: str, tmp_path: Path, facts_file: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    outline = tmp_path / "outline.txt"
    if case == "binary":
        outline.write_bytes(b"\xff\xfe\xfd" + bytes(range(128, 256)) * 10)
    code, out, err = run_cli(["draft", "--facts", str(facts_file), "--section", "成绩", "--outline", str(outline)],
                         tmp_path / "data", capsys)
    assert code == 2, err
    assert out == ""
    assert "outline.txt" in _one_chinese_line(err)


def test_data_dir_that_is_a_file_is_exit_2(tmp_path: Path, facts_file: Path, draft_file: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("我是一个文件", encoding="utf-8")
    code, out, err = run_cli(["check", "--facts", str(facts_file), "--draft", str(draft_file)], not_a_dir, capsys)
    assert code == 2, err
    _one_chinese_line(err)
    assert not_a_dir.read_text(encoding="utf-8") == "我是一个文件"


@pytest.mark.parametrize("content", ["backend = [\n", "retrieval_k = 'many'\n", "port = -1\n"])
def test_bad_settings_file_is_exit_2(content: str, tmp_path: Path, facts_file: Path, draft_file: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(content, encoding="utf-8")
    code, out, err = run_cli(["--settings", str(settings), "check", "--facts", str(facts_file), "--draft",
                          str(draft_file)], tmp_path / "data", capsys)
    assert code == 2 and out == ""
    _one_chinese_line(err)


def test_check_with_a_good_draft_is_exit_0(tmp_path: Path, facts_file: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    draft_file = tmp_path / "results.txt"
    draft_file.write_text(RESULTS_DRAFT, encoding="utf-8")
    code, out, err = run_cli(["check", "--facts", str(facts_file), "--draft", str(draft_file), "--section", "成绩"],
                         tmp_path / "data", capsys)
    assert code == 0, err
    assert out.splitlines()[0] == "核查通过。" and err == ""


def test_real_process_never_shows_a_traceback(tmp_path: Path) -> None:
    """As users run it, with -v: a binary facts file is exit 2 with one line and no traceback."""
    facts = tmp_path / "facts.yaml"
    facts.write_bytes(bytes(range(256)) * 8)
    draft = tmp_path / "d.txt"
    draft.write_text(GOOD_DRAFT, encoding="utf-8")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_KNOWLEDGE_DIR": str(KNOWLEDGE)}
    proc = subprocess.run([sys.executable, "-m", "assistant", "-v", "check", "--facts", str(facts), "--draft",
                           str(draft)], capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    _one_chinese_line(proc.stderr)


# --- a knowledge folder with junk --------------------------------------------------------------------
def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))
    return buf.getvalue()


JUNK: dict[str, bytes] = {
    "binary.txt": bytes(range(256)) * 40,
    "empty.md": b"",
    "blank.md": b"\n   \n\t\n",
    "bomb.docx": _zip_bomb(),
    "renamed.docx": "这其实是一个改了扩展名的纯文本文件。".encode(),
    "garbage.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 20,
    "tool.exe": b"MZ\x90\x00" + bytes(64),
    "huge.txt": ("职工培训。" * 20_000).encode(),  # over the 0.05 MB limit set below
    "bad-header.md": "---\n: : [\n---\n正文一段。\n".encode(),
    "README.md": "# 说明\n本文件夹放范文。\n".encode(),
}


def test_junk_in_a_knowledge_folder_is_skipped_and_named(tmp_path: Path, hashed: None,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "examples"
    (folder / "sub").mkdir(parents=True)
    (folder / "good1.md").write_text(summary_text(1, 1), encoding="utf-8")
    (folder / "sub" / "good2.txt").write_text(summary_text(2, 1), encoding="utf-8")
    for name, data in JUNK.items():
        (folder / name).write_bytes(data)
    (folder / ".hidden.txt").write_text("隐藏文件不读。", encoding="utf-8")
    os.symlink(folder, folder / "sub" / "loop")  # a folder that contains itself
    os.mkfifo(folder / "pipe.txt")  # reading a FIFO would block forever
    monkeypatch.setenv("ASSISTANT_MAX_UPLOAD_MB", "0.05")
    data_dir = tmp_path / "data"

    code, out, err = run_cli(["ingest", str(folder), "--json"], data_dir, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert sorted(Path(p).name for p in report["read"]) == ["good1.md", "good2.txt"]
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert set(JUNK) <= set(skipped), set(JUNK) - set(skipped)
    assert all(_cjk(reason) for reason in skipped.values()), skipped
    assert "压缩" in skipped["bomb.docx"] and "过大" in skipped["huge.txt"]

    code, out, err = run_cli(["ingest", str(folder)], data_dir, capsys)  # text mode names them on stderr
    assert code == 0 and "Traceback" not in err
    for name in JUNK:
        assert any(line.startswith("跳过") and name in line for line in err.splitlines()), name
    code, out, _ = run_cli(["search", "第1号文档第0节", "--json", "-k", "1"], data_dir, capsys)
    assert code == 0
    assert json.loads(out)["results"][0]["doc"] == "good1"


# --- uploads -----------------------------------------------------------------------------------------
def _snapshot(root: Path, skip: Path) -> dict[str, tuple[int, int]]:
    """Every path under root but outside `skip`: files with size and mtime, folders by name only."""
    out: dict[str, tuple[int, int]] = {}
    for p in root.rglob("*"):
        if skip in p.parents or p == skip:
            continue
        st = p.lstat()
        out[str(p.relative_to(root))] = (0, 0) if p.is_dir() and not p.is_symlink() else (st.st_size,
                                                                                           st.st_mtime_ns)
    return out


@pytest.fixture()
def uploads(tmp_path: Path, hashed: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[object, Path]]:
    """A knowledge service with one bundled example, its data dir two levels below tmp_path, cwd beside it."""
    from assistant.services import build_services

    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "house.md").write_text(summary_text(9, 1), encoding="utf-8")
    data_dir = tmp_path / "a" / "b" / "data"
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    services = build_services(make_settings(data_dir, knowledge_dir=bundled, max_upload_mb=0.5))
    services.knowledge.ingest()
    before = _snapshot(tmp_path, data_dir)
    yield services.knowledge, data_dir
    assert _snapshot(tmp_path, data_dir) == before, "an upload wrote outside the data dir"
    for path in data_dir.rglob("*"):
        assert data_dir.resolve() in path.resolve().parents


GOOD = summary_text(5, 1).encode("utf-8")


@pytest.mark.parametrize("name,data,words", [
    ("empty.txt", b"", "空"),
    ("blank.md", b" \n\t\n ", "空"),
    ("big.txt", "职工培训。".encode() * 40_000, "太大"),
    ("tool.exe", GOOD, "不支持"),
    ("noext", GOOD, "不支持"),
    ("report.txt.exe", GOOD, "不支持"),
    ("evil.txt\x00.exe", GOOD, "不支持"),
    (".txt", GOOD, "不支持"),
    ("binary.txt", bytes(range(256)) * 40, "二进制"),
    ("renamed.docx", GOOD, "docx"),
    ("bomb.docx", _zip_bomb(), "压缩"),
    ("garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8, "PDF"),
    ("house.md", GOOD, "已有"),
])
def test_bad_uploads_are_refused_and_not_kept(name: str, data: bytes, words: str,
                                              uploads: tuple[object, Path]) -> None:
    knowledge, data_dir = uploads
    with pytest.raises(UserError) as info:
        knowledge.add_example(name, data)  # type: ignore[attr-defined]
    message = info.value.message
    assert words in message and _cjk(message) and "\n" not in message
    assert "\x00" not in message
    kept = list((data_dir / "knowledge").glob("*")) if (data_dir / "knowledge").exists() else []
    assert kept == []
    assert [d["doc"] for d in knowledge.documents()] == ["house"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", [
    "../../x.txt", "..\\..\\x.txt", "/etc/x.txt", "../../../../../../tmp/x.txt", "a" * 300 + ".txt",
    "报\n告\r\x1b[31m\x07.txt", "年度\x00总结.txt", "  ..  .md", "x.txt/../../y.txt", "~/x.md", "%2e%2e%2fx.txt",
    "总结" * 150 + ".md", "CON.txt", "x.TXT", "sub/dir/x.md", "😀" * 100 + ".txt", "𠀀" * 100 + ".md",
    "年度总结\u202etxt.md", "zero\u200bwidth\ufeff.md",
])
def test_hostile_upload_names_stay_inside_the_data_dir(name: str, uploads: tuple[object, Path]) -> None:
    knowledge, data_dir = uploads
    try:
        report = knowledge.add_example(name, GOOD)  # type: ignore[attr-defined]
    except UserError as exc:
        assert _cjk(exc.message)
        return
    assert report.updated
    saved = [p for p in (data_dir / "knowledge").iterdir()]
    assert len(saved) == 1
    path = saved[0]
    assert path.parent.resolve() == (data_dir / "knowledge").resolve()
    assert len(path.name.encode("utf-8")) <= 255
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") or ch in "/\\" for ch in path.name), repr(path.name)
    assert not path.name.startswith(".")
    assert path.read_bytes() == GOOD
    docs = {d["doc"]: d for d in knowledge.documents()}  # type: ignore[attr-defined]
    assert path.stem in docs and Path(str(docs[path.stem]["path"])).resolve() == path.resolve()


def test_upload_through_a_planted_symlink_is_refused(uploads: tuple[object, Path], tmp_path: Path) -> None:
    knowledge, data_dir = uploads
    outside = tmp_path / "cwd" / "victim.txt"
    outside.write_text("不能被覆盖。", encoding="utf-8")
    folder = data_dir / "knowledge"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "victim.txt").symlink_to(outside)
    with pytest.raises(UserError):
        knowledge.add_example("victim.txt", GOOD)  # type: ignore[attr-defined]
    assert outside.read_text(encoding="utf-8") == "不能被覆盖。"
    (folder / "victim.txt").unlink()
    outside.unlink()  # the fixture's outside-the-data-dir snapshot must match again


@pytest.mark.parametrize("doc_id", ["house", "../house", "../../bundled/house", "", "nope"])
def test_removing_bundled_or_unknown_examples_is_refused(doc_id: str, uploads: tuple[object, Path],
                                                         tmp_path: Path) -> None:
    knowledge, _ = uploads
    with pytest.raises(UserError) as info:
        knowledge.remove_example(doc_id)  # type: ignore[attr-defined]
    assert _cjk(info.value.message)
    assert (tmp_path / "bundled" / "house.md").is_file()
    assert [d["doc"] for d in knowledge.documents()] == ["house"]  # type: ignore[attr-defined]


# --- text no library can encode: lone surrogates ----------------------------------------------------------
def test_undecodable_command_line_bytes_still_search(indexed_dir: Path) -> None:
    """A query typed in a non-UTF-8 terminal reaches Python as lone surrogates; the search still answers."""
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(indexed_dir), "ASSISTANT_KNOWLEDGE_DIR": str(KNOWLEDGE)}
    proc = subprocess.run([sys.executable.encode(), b"-m", b"assistant", b"search", b"\xff\xfe\xe8\x81\x8c\xe5\xb7\xa5",
                           b"--json"], capture_output=True, env=env, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    data = json.loads(proc.stdout)
    assert data["results"] and data["query"].endswith("职工") and "\ufffd" in data["query"]


def test_lone_surrogates_in_facts_and_drafts_are_replaced_not_fatal(indexed_settings, tmp_path: Path) -> None:  # noqa: ANN001
    """JSON "\\ud800" escapes (API, browser) arrive as lone surrogates: drafting, checking and both export
    formats work, with U+FFFD in their place."""
    from assistant.schema import Facts, SectionDraft, SummaryDocument
    from assistant.services import build_services

    services = build_services(indexed_settings)
    facts = Facts(unit="市一中工会\ud800", year="2024", achievements=["举办培训班4期\udcff，培训340人次"],
                  problems=["活动经费不足\ud800"])
    assert facts.unit == "市一中工会\ufffd" and facts.achievements == ["举办培训班4期\ufffd，培训340人次"]
    draft = services.drafting.draft_section(facts, "成绩")
    assert "340人次" in draft.text and draft.check is not None
    assert services.knowledge.search("职工\udcff培训", 2)
    doc = SummaryDocument(title="总结\ud800", sections=[SectionDraft(role="成绩", text="培训340人次\udcff。")])
    for suffix in (".docx", ".md"):
        out = services.exporter.export_to(doc, tmp_path / f"out{suffix}")
        assert out.stat().st_size > 0
    assert "\ufffd" in (tmp_path / "out.md").read_text(encoding="utf-8")


def test_binary_query_file_is_refused(indexed_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "queries.txt"
    batch.write_bytes(b"\x00\x01\x02binary")
    code, out, err = run_cli(["search", "--batch", str(batch)], indexed_dir, capsys)
    assert code == 2 and out == "" and "不是文本文件" in err and "Traceback" not in err
