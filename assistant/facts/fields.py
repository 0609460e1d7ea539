"""The fields of a facts file, form or paste: their keys in English or Chinese, which hold lists, how a list
field's text becomes one fact per line, and how a year is read. Every reader of facts (files, the paste, the
form, chat intake, the ledger) takes them from here."""

from __future__ import annotations

import re
from typing import Any

from assistant.errors import UserError
from assistant.facts.cues import split_lead_in
from assistant.text.bullets import strip_bullet
from assistant.text.numbers import parse_year
from assistant.text.sections import label_alternation, label_role, label_text

# Keys that are not a part of the summary, and the English keys, → Facts fields. The parts' Chinese labels
# (成绩, 存在的主要问题, 明年准备, 2025年工作思路 …) are read by their grammar (text/sections.py). Unknown keys
# are ignored.
KEY_ALIASES: dict[str, str] = {
    "unit": "unit", "单位": "unit", "单位名称": "unit", "单位全称": "unit", "组织": "unit", "organisation": "unit", "organization": "unit",
    "year": "year", "年度": "year", "年份": "year", "年": "year",
    "title": "title", "标题": "title", "题目": "title",
    "achievements": "achievements", "results": "achievements",
    "problems": "problems", "plans": "plans",
    "notes": "notes", "其他": "notes", "其它": "notes", "备注": "notes", "补充": "notes", "other": "notes",
}
LIST_FIELDS = ("achievements", "problems", "plans", "notes")
FIELD_LABELS = {"unit": "单位", "year": "年度", "title": "标题", "achievements": "成绩", "problems": "问题",
                "plans": "计划", "notes": "其他"}
ROLE_FIELDS: dict[str, str] = {"成绩": "achievements", "问题": "problems", "计划": "plans"}
_NOTES_KEYS = tuple(k for k, v in KEY_ALIASES.items() if v == "notes" and re.search(r"[\u4e00-\u9fff]", k))


def field_of_key(key: Any) -> str | None:
    """The Facts field a key names ("单位", "Achievements", "明年准备", "存在的主要问题" → …); None when unknown."""
    text = str(key).strip()
    return KEY_ALIASES.get(text.lower()) or KEY_ALIASES.get(text) or ROLE_FIELDS.get(label_role(text) or "")


def heading_field(line: str) -> str | None:
    """The list field a line names when it is nothing but a heading ("二、存在的问题", "明年准备：", "备注")."""
    role = label_role(line)
    if role in ROLE_FIELDS:
        return ROLE_FIELDS[role]
    return "notes" if label_text(line) in _NOTES_KEYS else None


def field_named_in(text: str) -> str | None:
    """The list field the first part label inside a short text names ("存在的问题主要有" → problems,
    "明年我们打算做" → plans); None when it names none."""
    first = None
    for m in re.finditer(rf"(?:{label_alternation()})", text or ""):
        if m.group(0):
            first = m
            break
    if first is None:
        return None
    return field_of_key(first.group(0)) or heading_field(first.group(0))


def label_pattern() -> str:
    """Any key or part label, as one unanchored alternation (a label that starts a field inside a line)."""
    chinese = sorted((k for k in KEY_ALIASES if re.search(r"[\u4e00-\u9fff]", k)), key=len, reverse=True)
    return "|".join([*(re.escape(k) for k in chinese), label_alternation()])


def read_year(value: Any) -> str:
    """A year as a file, the form or a paste gives it ("2024", 2024, "2024年", "二〇二四年") → "2024"; "" for none.
    Anything else is a UserError saying how to write it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, bool) or isinstance(value, dict | list | tuple):
        raise UserError("“年度”应当是一个年份，例如 2024 或“2024年”。")
    year = parse_year(value)
    if not year:
        raise UserError(f"无法识别年度“{str(value)[:20]}”：请写成 2024、“2024年”或“二〇二四年”。")
    return year


def split_items(text: str) -> list[str]:
    """Multi-line text → one fact per non-empty line, bullets stripped; a lead-in ("主要工作如下：") is no fact.

    The fact's own words are kept as typed: only its list marker, surrounding blanks and an opening lead-in
    ("主要做了这些事：组织疗休养2批" → "组织疗休养2批") go."""
    out = []
    for line in (text or "").splitlines():
        item = strip_bullet(split_lead_in(strip_bullet(line))[1])
        if item and re.search(r"[\w\u4e00-\u9fff]", item):
            out.append(item)
    return out
