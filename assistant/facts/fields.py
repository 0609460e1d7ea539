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

# File keys, English or Chinese, → Facts fields. Unknown keys are ignored.
KEY_ALIASES: dict[str, str] = {
    "unit": "unit", "单位": "unit", "单位名称": "unit", "组织": "unit", "organisation": "unit", "organization": "unit",
    "year": "year", "年度": "year", "年份": "year", "年": "year",
    "title": "title", "标题": "title", "题目": "title",
    "achievements": "achievements", "成绩": "achievements", "主要工作": "achievements", "主要成绩": "achievements",
    "工作成绩": "achievements", "主要工作和成绩": "achievements", "主要工作与成绩": "achievements",
    "results": "achievements", "工作": "achievements",
    "problems": "problems", "问题": "problems", "不足": "problems", "存在的问题": "problems",
    "问题和不足": "problems", "存在问题": "problems",
    "plans": "plans", "计划": "plans", "下一步": "plans", "下一步计划": "plans", "明年计划": "plans",
    "工作计划": "plans", "打算": "plans", "下一步工作计划": "plans", "明年打算": "plans",
    "notes": "notes", "其他": "notes", "其它": "notes", "备注": "notes", "补充": "notes", "other": "notes",
}
LIST_FIELDS = ("achievements", "problems", "plans", "notes")
FIELD_LABELS = {"unit": "单位", "year": "年度", "title": "标题", "achievements": "成绩", "problems": "问题",
                 "plans": "计划", "notes": "其他"}



def field_of_key(key: Any) -> str | None:
    """The Facts field a key names ("成绩", "Achievements", "下一步计划" → …), None for an unknown key."""
    text = str(key).strip()
    return KEY_ALIASES.get(text.lower()) or KEY_ALIASES.get(text)


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
