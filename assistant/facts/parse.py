"""The user's facts read from a file (YAML, JSON, or a .txt paste) or a string into Facts, and checked.

The paste's own reading is in facts/paste.py, the form's in facts/form.py, the fields they share in
facts/fields.py. The ledger the guard compares a draft with is built from these Facts in facts/ledger.py.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from assistant.errors import UserError
from assistant.facts.details import attach, from_mapping, split_result_lines
from assistant.facts.fields import FIELD_LABELS, LIST_FIELDS, field_of_key, read_year, split_items
from assistant.facts.paste import parse_free_text
from assistant.limits import DEFAULT_MAX_INPUT_BYTES, check_text_size, too_large
from assistant.schema import Facts
from assistant.text.decode import NotText, decode_text
from assistant.text.numbers import parse_year

log = logging.getLogger(__name__)

MAX_FACTS_BYTES = DEFAULT_MAX_INPUT_BYTES  # callers with Settings pass settings.max_input_bytes
_FACTS_HINT = "请只保留本年度的事实条目"

def load_facts_file(path: str | Path, max_bytes: int = MAX_FACTS_BYTES) -> Facts:
    """The facts file a user named (CLI, SDK): it must exist and be a file; parsed and validated."""
    p = Path(path)
    if not p.exists():
        raise UserError(f"找不到事实文件：{p}")
    if not p.is_file():
        raise UserError(f"事实文件路径不是文件：{p}")
    facts = parse_facts_file(p, max_bytes)
    validate_facts(facts)
    return facts


def parse_facts_file(path: Path, max_bytes: int = MAX_FACTS_BYTES) -> Facts:
    """A facts file (.yaml/.yml/.json, or .txt/.md as a free paste) → Facts; any defect is a UserError."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError(f"无法读取事实文件“{path.name}”：文件不存在或没有权限。") from exc
    if size > max_bytes:
        raise too_large(f"事实文件“{path.name}”", size, max_bytes, _FACTS_HINT)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取事实文件“{path.name}”：{exc.strerror or '读取失败'}。") from exc
    text = _decode(data, path.name)
    if not text.strip():
        raise UserError(f"事实文件“{path.name}”是空的：请写入单位、年度和成绩等事实。")
    suffix = path.suffix.lower()
    if suffix in (".json",):
        return facts_from_mapping(_load_json(text, path.name), path.name)
    if suffix in (".yaml", ".yml"):
        return facts_from_mapping(_load_yaml(text, path.name), path.name)
    stripped = text.lstrip()
    if suffix not in (".txt", ".md", ".markdown", ".text") and stripped.startswith(("{", "[")):
        return facts_from_mapping(_load_json(text, path.name), path.name)
    return parse_free_text(text)


def parse_facts_text(text: str, name: str = "facts", max_bytes: int = MAX_FACTS_BYTES) -> Facts:
    """Facts handed over as one string (MCP tools), in the forms a facts file takes: JSON when it opens like
    JSON, YAML when it is a mapping with a known key (单位:, achievements: …), else a free paste.

    Same size limit as a facts file; not validated (call validate_facts)."""
    check_text_size(text, f"事实“{name}”", max_bytes, _FACTS_HINT)
    if "\x00" in text:
        raise UserError(f"事实“{name}”不是文本：请给出 YAML、JSON 或纯文本格式的事实。")
    if not text.strip():
        raise UserError(f"事实“{name}”是空的：请写入单位、年度和成绩等事实。")
    if text.lstrip().startswith(("{", "[")):
        return facts_from_mapping(_load_json(text, name), name)
    try:
        data = _load_yaml(text, name)
    except UserError:  # not YAML: a free paste such as "单位：…\n成绩：…"
        data = None
    if isinstance(data, dict) and any(field_of_key(k) for k in data):
        return facts_from_mapping(data, name)
    return parse_free_text(text)


def _decode(data: bytes, name: str) -> str:
    try:
        return decode_text(data)
    except NotText as exc:
        if exc.reason == "binary":
            raise UserError(f"事实文件“{name}”不是文本文件：请上传 YAML、JSON 或纯文本（.txt）格式的事实。") from exc
        raise UserError(f"事实文件“{name}”无法按文本读取：请另存为 UTF-8 编码的 YAML、JSON 或 .txt 文件。") from exc


def _load_json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"事实文件“{name}”不是有效的 JSON（第 {exc.lineno} 行附近有格式错误）：请检查括号、引号和逗号。"
                        ) from exc
    except ValueError as exc:  # e.g. an integer too long to convert
        raise UserError(f"事实文件“{name}”中有无法读取的值：请检查其中的数字和文字。") from exc
    except RecursionError as exc:
        raise UserError(f"事实文件“{name}”嵌套层次过深，无法读取：请改成简单的“键: 值”结构。") from exc


def _load_yaml(text: str, name: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"（第 {mark.line + 1} 行附近有格式错误）" if mark is not None else ""
        raise UserError(f"事实文件“{name}”不是有效的 YAML{where}：请检查缩进和冒号。") from exc
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. an impossible date such as 2024-13-45
        raise UserError(f"事实文件“{name}”中有无法读取的值（如不存在的日期）：请把它写成普通文字。") from exc
    except RecursionError as exc:
        raise UserError(f"事实文件“{name}”嵌套层次过深，无法读取：请改成简单的“键: 值”结构。") from exc


def facts_from_mapping(data: Any, name: str = "事实文件") -> Facts:
    """A loaded YAML/JSON value → Facts; wrong shapes and types are UserErrors naming the field."""
    if data is None or data == {} or data == "":
        raise UserError(f"“{name}”中没有任何事实：请写入单位、年度和成绩等条目。")
    if isinstance(data, str):
        return parse_free_text(data)
    if not isinstance(data, dict):
        raise UserError(f"“{name}”的格式不对：最外层应是“键: 值”的形式（如 单位、年度、成绩、问题、计划），而不是列表或数字。")
    values: dict[str, Any] = {}
    for raw_key, value in data.items():
        key = field_of_key(raw_key)
        if key is None:
            log.info("facts file %s: ignoring unknown key %r", name, raw_key)
            continue
        values[key] = value
    details: dict[str, dict[str, list[str]]] = {}
    facts = Facts(
        unit=_scalar(values.get("unit"), "unit"),
        year=read_year(values.get("year")),
        title=_scalar(values.get("title"), "title"),
        **{f: _items(values.get(f), f, details if f == "achievements" else None) for f in LIST_FIELDS},
    )
    facts.details = details
    return facts


def _scalar(value: Any, field_name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or isinstance(value, dict | list | tuple):
        raise UserError(f"“{FIELD_LABELS[field_name]}”应当是一段文字，例如“{_example(field_name)}”。")
    return re.sub(r"\s+", " ", str(value)).strip()


def _example(field_name: str) -> str:
    return {"unit": "某某医院工会", "title": "2024年工会工作总结"}.get(field_name, "……")


def _items(value: Any, field_name: str, details: dict[str, dict[str, list[str]]] | None = None) -> list[str]:
    """A list field: a list of texts, or one text with one fact per line. A result (with `details`) may be a
    mapping {事实, 做法, 成效}, or be followed by "做法：…"/"成效：…" lines."""
    if value is None:
        return []
    label = FIELD_LABELS[field_name]
    if isinstance(value, str):
        if details is None:
            return split_items(value)
        results, found = split_result_lines(split_items(value))
        details.update(found)
        return results
    if isinstance(value, bool) or isinstance(value, int | float) or isinstance(value, dict):
        raise UserError(f"“{label}”应当是一条条的文字（列表，或每行一条），而不是{_type_name(value)}。")
    if not isinstance(value, list | tuple):
        raise UserError(f"“{label}”的格式无法识别：请写成列表，或每行一条的文字。")
    out: list[str] = []
    for item in value:
        if item is None:
            continue
        if isinstance(item, dict) and details is not None:
            fact, own = from_mapping(item)
            out.append(fact)
            for kind, texts in own.items():
                for text in texts:
                    attach(details, fact, kind, text)
            continue
        if isinstance(item, dict | list | tuple):
            raise UserError(f"“{label}”中的每一条应当是一句文字，不能再嵌套列表或“键: 值”。")
        lines = split_items(str(item))
        if details is not None:
            results, found = split_result_lines(lines)
            lines = results
            for fact, own in found.items():
                for kind, texts in own.items():
                    for text in texts:
                        attach(details, fact, kind, text)
        out.extend(lines)
    return out


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "是/否"
    if isinstance(value, int | float):
        return "一个数字"
    return "“键: 值”结构"


def validate_facts(facts: Facts) -> None:
    """Refuse facts a draft cannot be built on; normalises the year ('2024年' → '2024') in place."""
    if facts is None or not isinstance(facts, Facts):
        raise UserError("还没有事实：请填写单位名称、年度和主要工作成绩。")
    items = [*facts.achievements, *facts.problems, *facts.plans, *facts.notes]
    if facts.is_empty() or not (facts.unit.strip() or any(_meaningful(i) for i in items)):
        raise UserError("还没有填写事实：请至少填写单位名称和一条主要工作或成绩。")
    if items and not any(_meaningful(i) for i in items) and not facts.unit.strip():
        raise UserError("填写的事实无法识别：请用中文写明做了哪些工作、取得了哪些成绩。")
    if facts.year.strip():
        year = parse_year(facts.year)
        if not year:
            raise UserError(f"无法识别年度“{facts.year[:20]}”：请写成 2024、“2024年”或“二〇二四年”。")
        facts.year = year


def _meaningful(item: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]{2,}|[A-Za-z]{2,}\d*|\d", item or ""))
