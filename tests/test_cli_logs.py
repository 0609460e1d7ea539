"""The CLI's stderr carries only the assistant's Chinese lines unless --verbose is given (issue 23 §7)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import KNOWLEDGE, REPO

CJK = re.compile(r"[\u4e00-\u9fff]")
NOISE = ("jieba", "DEBUG", "Building prefix dict", "Prefix dict", "Traceback", "Warning")

FACTS = """单位: 市疾病预防控制中心
年度: 2025
成绩:
  - 开展传染病监测12万人次
  - 举办健康教育讲座40场
问题:
  - 基层人员不足
计划:
  - 开展慢病筛查
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    return {**env, "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_KNOWLEDGE_DIR": str(KNOWLEDGE),
            "PYTHONPATH": str(REPO)}


def _run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          env=_env(data_dir), cwd=REPO, timeout=600)


def _lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


@pytest.fixture()
def facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [
    ["export", "--out", "OUT/总结.docx", "--backend", "template"],
    ["draft", "--section", "成绩", "--backend", "template"],
])
def test_stderr_holds_only_chinese_lines(command: list[str], facts_file: Path, indexed_dir: Path,
                                         tmp_path: Path) -> None:
    args = [a.replace("OUT", str(tmp_path)) for a in command] + ["--facts", str(facts_file)]
    quiet = _run(args, indexed_dir)
    assert quiet.returncode == 0, quiet.stderr
    for line in _lines(quiet.stderr):
        assert not any(n in line for n in NOISE), line
        assert CJK.search(line), line
    loud = _run(["--verbose", *args], indexed_dir)
    assert loud.returncode == 0, loud.stderr
    assert len(_lines(loud.stderr)) > len(_lines(quiet.stderr))
    assert any("DEBUG" in line for line in _lines(loud.stderr))


def test_library_records_and_warnings_are_routed(tmp_path: Path) -> None:
    """Whatever a library says (jieba's own handler included) is dropped without -v and shown with it; the
    assistant's own Chinese warnings are always shown, its English debugging lines only with -v."""
    script = textwrap.dedent("""
        import logging, sys, warnings
        from assistant.interfaces.cli_logging import configure_logging
        configure_logging(sys.argv[1] == "verbose")
        import jieba
        jieba.default_logger.debug("Building prefix dict from the default dictionary ...")
        logging.getLogger("chromadb.telemetry").warning("telemetry event failed")
        warnings.warn("this keyword is deprecated", FutureWarning)
        logging.getLogger("assistant.llm").warning("本地模型不可用，已改用模板模式。")
        logging.getLogger("assistant.llm").warning("embedded model failed to load")
        logging.getLogger("assistant.llm").debug("loaded model in 1.2s")
    """)
    runs = {mode: subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True,
                                 env=_env(tmp_path), cwd=REPO, timeout=120) for mode in ("quiet", "verbose")}
    quiet = _lines(runs["quiet"].stderr)
    assert quiet == ["本地模型不可用，已改用模板模式。"]
    loud = runs["verbose"].stderr
    for said in ("Building prefix dict", "telemetry event failed", "this keyword is deprecated",
                 "本地模型不可用", "embedded model failed to load", "loaded model in 1.2s"):
        assert loud.count(said) == 1, (said, loud)
