"""The CLI's shapes and exit codes (0 ok, 2 user mistake, 1 internal fault), in process and as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import KNOWLEDGE, REPO, run_cli

FACTS_YAML = """单位: 市第一中学工会
年度: 2024
成绩:
  - 举办教职工技能培训班4期，培训340人次
  - 走访慰问困难教职工26户，发放慰问金11.6万元
  - 组织教职工运动会1次，参赛520人
问题:
  - 部分青年教师参与工会活动积极性不高
  - 基层工会小组活动经费不足
计划:
  - 开展教职工心理健康讲座
  - 完善困难教职工档案
"""


@pytest.fixture()
def facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS_YAML, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _knowledge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    monkeypatch.setenv("ASSISTANT_BACKEND", "template")


def test_search_json_shape_and_role_filter(indexed_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Asked for more than the house examples' problems passages, the filter returns all of them and pads with no other.
    from assistant.ingest.readers import read_document
    from assistant.ingest.splitter import split_document

    problems = sum(c.role == "问题" for p in KNOWLEDGE.glob("*.md") for c in split_document(read_document(p)))
    code, out, _ = run_cli(["search", "工作中的不足", "-k", str(problems + 5), "--role", "problems", "--json"],
                           indexed_dir, capsys)
    assert code == 0
    data = json.loads(out)
    assert data["query"] == "工作中的不足"
    assert [r["role"] for r in data["results"]] == ["问题"] * problems
    assert any(w in data["results"][0]["text"] for w in ("不足", "不够", "不高", "差距", "问题"))
    assert set(data["results"][0]) == {"text", "doc", "heading", "role", "score"}
    code, out, _ = run_cli(["search", "职工培训", "-k", "3", "--role", "成绩", "--json"], indexed_dir, capsys)
    results = json.loads(out)["results"]
    assert code == 0 and len(results) == 3 and all(r["role"] == "成绩" for r in results)


def test_search_batch_one_json_per_line(indexed_dir: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "queries.txt"
    batch.write_text("劳动竞赛\n\n职工书屋\n困难职工帮扶\n", encoding="utf-8")
    code, out, _ = run_cli(["search", "--batch", str(batch), "-k", "1", "--json"], indexed_dir, capsys)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["query"] for r in rows] == ["劳动竞赛", "职工书屋", "困难职工帮扶"]
    assert all(len(r["results"]) == 1 for r in rows)


@pytest.mark.parametrize("args", [
    ["search", "x", "--role", "总结"],
    ["search", "x", "-k", "0"],
    ["search"],
    ["search", "--batch", "/nonexistent/queries.txt"],
    ["draft", "--facts", "/nonexistent.yaml", "--section", "成绩"],
    ["frobnicate"],
])
def test_user_mistakes_exit_2_with_one_chinese_line(args: list[str], indexed_dir: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code, _, err = run_cli(args, indexed_dir, capsys)
    except SystemExit as exc:  # argparse's own errors
        code, err = int(exc.code or 0), capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err)


def test_draft_json_shape(indexed_dir: Path, facts_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["draft", "--facts", str(facts_file), "--section", "achievements", "--json"],
                           indexed_dir, capsys)
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"section", "backend", "text", "sources", "check"}
    assert data["section"] == "成绩" and data["backend"] == "template"
    assert "340人次" in data["text"] and "11.6万元" in data["text"]
    assert data["sources"] and set(data["sources"][0]) == {"text", "doc", "heading", "score"}
    assert data["check"]["ok"] is True, data["check"]


def test_check_flags_invented_number(indexed_dir: Path, facts_file: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("一年来举办技能培训班4期，培训340人次，另有95名教师获奖。", encoding="utf-8")
    code, out, _ = run_cli(["check", "--facts", str(facts_file), "--draft", str(draft), "--json"], indexed_dir,
                           capsys)
    assert code == 0
    report = json.loads(out)
    assert report["ok"] is False
    assert any("95" in n for n in report["unsupported_numbers"])
    assert set(report) >= {"ok", "unsupported_numbers", "leaks", "placeholders", "unused_facts"}


def test_export_docx(indexed_dir: Path, facts_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from docx import Document

    out = tmp_path / "总结.docx"
    code, _, _ = run_cli(["export", "--facts", str(facts_file), "--out", str(out)], indexed_dir, capsys)
    assert code == 0
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "市第一中学工会" in text and "340人次" in text
    from assistant.text.sections import part_heading

    assert any(part_heading(line) == "问题" for line in text.splitlines()), text  # the house's problems heading


def test_real_process_exit_codes(indexed_dir: Path, tmp_path: Path) -> None:
    """The console entry point as users run it: a bad facts file is exit 2 with no traceback."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("成绩: [未闭合\n", encoding="utf-8")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(indexed_dir), "ASSISTANT_BACKEND": "template"}
    proc = subprocess.run([sys.executable, "-m", "assistant", "draft", "--facts", str(bad), "--section", "成绩"],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.strip()
