"""Never search or draft silently without examples (issue 21 §5): the first use on an empty store indexes the
example folder with a progress line; with nothing to index, one Chinese line says so."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import KNOWLEDGE, REPO, make_settings

CJK = re.compile(r"[\u4e00-\u9fff]")
FACTS = "单位: 县疾控中心\n年度: 2025\n成绩:\n  - 开展传染病监测12万人次\n"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI as a new user runs it: in a folder of their own, no settings, the default ./data."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env |= {"PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=600)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.integration
def test_a_fresh_checkouts_first_search_indexes_and_answers(tmp_path: Path) -> None:
    shutil.copytree(KNOWLEDGE, tmp_path / "knowledge")
    first = _run(["search", "帮扶", "--json"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["results"]
    said = _lines(first.stderr)
    assert len(said) == 2 and all(CJK.search(line) for line in said), said
    assert "建立索引" in said[0] and str(len(list(KNOWLEDGE.glob("*.md")))) in said[0]
    again = _run(["search", "帮扶", "--json"], tmp_path)
    assert again.returncode == 0 and json.loads(again.stdout)["results"] and again.stderr.strip() == ""


@pytest.mark.integration
def test_nothing_to_index_is_said_in_one_chinese_line(tmp_path: Path) -> None:
    (tmp_path / "facts.yaml").write_text(FACTS, encoding="utf-8")
    searched = _run(["search", "帮扶", "--json"], tmp_path)
    assert searched.returncode == 0 and json.loads(searched.stdout)["results"] == []
    assert len(_lines(searched.stderr)) == 1 and "范文库是空的" in searched.stderr
    drafted = _run(["draft", "--facts", "facts.yaml", "--section", "成绩", "--backend", "template"], tmp_path)
    assert drafted.returncode == 0 and "12万人次" in drafted.stdout
    assert [line for line in _lines(drafted.stderr) if "范文库是空的" in line], drafted.stderr


def test_ensure_indexed_says_what_it_does_once(tmp_path: Path, hashed: None) -> None:
    from assistant.services import build_knowledge

    folder = tmp_path / "knowledge"
    folder.mkdir()
    for name in ("06-shiyan-xiaoxue.md", "08-renmin-yiyuan.md"):
        shutil.copy(KNOWLEDGE / name, folder / name)
    (folder / ".hidden.md").write_text("不读", encoding="utf-8")
    knowledge = build_knowledge(make_settings(tmp_path / "data", knowledge_dir=folder))
    assert "范文库是空的" in knowledge.empty_notice()
    said: list[str] = []
    report = knowledge.ensure_indexed(say=said.append)
    assert report is not None and len(report.updated) == 2
    assert len(said) == 2 and "2 篇范文" in said[0] and "2 篇" in said[1]
    assert knowledge.empty_notice() == "" and knowledge.search("胸痛中心", 1)
    assert knowledge.ensure_indexed(say=said.append) is None and len(said) == 2


def test_an_empty_folder_is_named_in_the_notice(tmp_path: Path, hashed: None) -> None:
    from assistant.services import build_knowledge

    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "notes.xls").write_bytes(b"\0")
    knowledge = build_knowledge(make_settings(tmp_path / "data", knowledge_dir=tmp_path / "knowledge"))
    said: list[str] = []
    assert knowledge.ensure_indexed(say=said.append) is None
    assert said == [knowledge.empty_notice()] and "没有可用的范文" in said[0] and "assistant ingest" in said[0]
