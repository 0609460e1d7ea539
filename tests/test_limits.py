"""One setting, ASSISTANT_MAX_INPUT_KB, bounds a text handed over in one piece on the CLI, the page and the API.

Over the bound: one Chinese message naming the limit, before anything is parsed or sent to a model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import UserError
from assistant.limits import DEFAULT_MAX_INPUT_KB, check_text_size, size_label, too_large
from tests.conftest import KNOWLEDGE, make_settings, run_cli

FACTS = "单位: 市第一中学工会\n年度: 2024\n成绩:\n  - 举办教职工技能培训班4期，培训340人次\n"
LINE = "  - 走访慰问困难教职工26户，发放慰问金11.6万元\n"


def test_size_labels() -> None:
    assert size_label(512 * 1024) == "512 KB"
    assert size_label(300) == "1 KB"
    assert size_label(1024 * 1024) == "1 MB" and size_label(1.5 * 1024 * 1024) == "1.5 MB"


def test_the_message_names_the_size_and_the_limit() -> None:
    message = too_large("事实文件“a.yaml”", 600 * 1024, 512 * 1024).message
    assert message.startswith("事实文件“a.yaml”太大") and "600 KB" in message and "上限 512 KB" in message
    assert message.endswith("。") and "\n" not in message


def test_check_text_size_counts_utf8_bytes() -> None:
    check_text_size("a" * 1024, "文字", 1024)
    with pytest.raises(UserError, match="上限 1 KB"):
        check_text_size("培" * 342, "文字", 1024)  # 342 characters, 1026 bytes


def test_the_default_is_stated_in_settings(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    assert settings.max_input_kb == DEFAULT_MAX_INPUT_KB == 512
    assert settings.max_input_bytes == 512 * 1024


# --- CLI ---------------------------------------------------------------------------------------------------
@pytest.fixture()
def cli_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    monkeypatch.setenv("ASSISTANT_BACKEND", "template")
    monkeypatch.setenv("ASSISTANT_MAX_INPUT_KB", "2")


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_cli_facts_file_over_the_setting_is_exit_2(cli_env: None, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACTS + LINE * 40, encoding="utf-8")  # about 2.6 KB
    code, out, err = run_cli(["check", "--facts", str(facts), "--draft", str(facts)], tmp_path / "d", capsys)
    assert code == 2 and out == ""
    line = _one_line(err)
    assert "事实文件“facts.yaml”太大" in line and "上限 2 KB" in line


@pytest.mark.parametrize("command", [["check", "--draft"], ["draft", "--section", "成绩", "--outline"]])
def test_cli_draft_and_outline_files_over_the_setting_are_exit_2(command: list[str], cli_env: None,
                                                                 tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text("一年来，工会举办教职工技能培训班4期。\n" * 60, encoding="utf-8")  # about 3.4 KB
    code, out, err = run_cli([command[0], "--facts", str(facts), *command[1:], str(big)], tmp_path / "d", capsys)
    assert code == 2 and out == ""
    line = _one_line(err)
    assert "big.txt" in line and "太大" in line and "上限 2 KB" in line


def test_cli_text_under_the_setting_is_read(cli_env: None, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACTS + LINE * 20, encoding="utf-8")  # about 1.4 KB: under 2 KB
    draft = tmp_path / "draft.txt"
    draft.write_text("一年来，工会举办教职工技能培训班4期，培训340人次。", encoding="utf-8")
    code, out, err = run_cli(["check", "--facts", str(facts), "--draft", str(draft), "--json"],
                             tmp_path / "d", capsys)
    assert code == 0, err
    assert out.strip().startswith("{")


# --- SDK ---------------------------------------------------------------------------------------------------
def test_sdk_holds_facts_files_and_texts_to_the_setting(tmp_path: Path) -> None:
    from assistant.interfaces.sdk import Assistant

    a = Assistant.from_settings(data_dir=tmp_path / "d", knowledge_dir=KNOWLEDGE, backend="template",
                                max_input_kb=2)
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACTS + LINE * 40, encoding="utf-8")
    with pytest.raises(UserError, match="上限 2 KB"):
        a.check(facts, "一年来，工会举办教职工技能培训班4期。")
    with pytest.raises(UserError, match="要核查的文字太大.*上限 2 KB"):
        a.check({"unit": "市第一中学工会"}, "一年来，工会举办教职工技能培训班4期。" * 100)
