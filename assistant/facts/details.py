"""Details of a result: how it was done (做法) and what came of it (成效), in the user's own words.

A result in the house says how, with whom, and what came of it (docs/GENRE.md §C.13h); when the user's fact lacks
them, the assistant asks (the interview) and never supplies them. What the user answers, or writes under a
result, is kept here — beside the result, never merged into it — and states facts exactly as the result does.

Where details come from:
- a facts file: a results item may be a mapping {事实: "…", 做法: "…" or […], 成效: "…" or […]} (English keys
  fact, how, effect too);
- a paste or the form: a line "做法：…" or "成效：…" under a result belongs to that result;
- the interview's answers (house/interview.py, services/interview.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from assistant.errors import UserError
from assistant.text.bullets import strip_bullet
from assistant.text.cues import cue_words
from assistant.text.wordlists import alternation

KINDS = ("做法", "成效")
_KEYS: dict[str, str] = {
    "事实": "fact", "fact": "fact", "成绩": "fact", "结果": "fact", "内容": "fact", "工作": "fact",
    "做法": "做法", "how": "做法", "措施": "做法", "方法": "做法", "举措": "做法",
    "成效": "成效", "effect": "成效", "效果": "成效", "成果": "成效", "effects": "成效",
}
_LINE = re.compile(r"^\s*[（(]?(?P<kind>做法|措施|举措|成效|效果)[)）]?\s*[：:]\s*(?P<text>.+?)\s*$")
Details = dict[str, dict[str, list[str]]]


def kind_of(key: Any) -> str | None:
    """"做法", "成效" or "fact" for a mapping key; None for a key details do not use."""
    return _KEYS.get(str(key).strip().lower()) or _KEYS.get(str(key).strip())


def detail_line(line: str) -> tuple[str, str] | None:
    """("做法", "联合区慈善总会筹集资金") for a line "做法：联合区慈善总会筹集资金"; None for any other line."""
    m = _LINE.match(strip_bullet(line) or "")
    if not m or not m.group("text").strip():
        return None
    kind = "做法" if m.group("kind") in ("做法", "措施", "举措") else "成效"
    return kind, m.group("text").strip().rstrip("；;")


@cache
def _told() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(kind, the pattern of a sentence that opens on its lead): built once, a paste reads every sentence with it."""
    return tuple((kind, re.compile(rf"^\s*(?P<lead>{alternation(cue_words(cue))})\s*(?P<mark>[，,：:]?)\s*(?P<text>\S.*)$"))
                 for kind, cue in (("做法", "how_lead"), ("成效", "effect_lead")))


def told_detail(sentence: str) -> tuple[str, str] | None:
    """("做法", "先做合规风险排查……") for a sentence of a paste that goes on telling the result before it: "具体是这么做的，
    先做……", "效果还不错，其中两家……" (text/data/cue_words.txt [how_lead], [effect_lead]); None for any other."""
    for kind, told in _told():
        m = told.match(sentence or "")
        if m and (m.group("mark") or m.group("lead").endswith("是")):  # "做法是院里派医生……" needs no comma
            return kind, m.group("text").strip().rstrip("。；;")
    return None


def texts(value: Any, label: str) -> list[str]:
    """A detail's value: one text or a list of texts."""
    if value is None:
        return []
    if isinstance(value, str):
        return [t.strip() for t in re.split(r"[\n；;]", value) if t.strip()]
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            if isinstance(item, dict | list | tuple):
                raise UserError(f"“{label}”应当是一句或几句文字。")
            out += texts(str(item), label)
        return out
    if isinstance(value, bool | dict):
        raise UserError(f"“{label}”应当是一句或几句文字。")
    return [str(value).strip()] if str(value).strip() else []


def from_mapping(item: dict[Any, Any]) -> tuple[str, dict[str, list[str]]]:
    """A results item written as a mapping → (the result, its details); a mapping without a 事实 is refused."""
    fact, details = "", {k: [] for k in KINDS}
    for key, value in item.items():
        kind = kind_of(key)
        if kind is None:
            raise UserError(f"成绩中的“{key}”无法识别：一条成绩可以写成 事实、做法、成效 三项（或 fact、how、effect）。")
        if kind == "fact":
            fact = " ".join(texts(value, "事实"))
        else:
            details[kind] += texts(value, kind)
    if not fact:
        raise UserError("成绩中有一条只写了做法或成效：请用“事实”写明这一条成绩本身。")
    return fact, {k: v for k, v in details.items() if v}


def attach(details: Details, fact: str, kind: str, text: str) -> None:
    """Add one detail to a result (a repeat is kept once)."""
    bucket = details.setdefault(fact, {}).setdefault(kind, [])
    if text and text not in bucket:
        bucket.append(text)


def split_result_lines(lines: Iterable[str]) -> tuple[list[str], Details]:
    """Lines of a results field → (results, details): a "做法：…"/"成效：…" line belongs to the result above it."""
    results: list[str] = []
    details: Details = {}
    for line in lines:
        found = detail_line(line)
        if found is not None and results:
            attach(details, results[-1], *found)
        elif found is None:
            results.append(line)
    return results, details


def render_result_lines(results: Iterable[str], details: Details) -> str:
    """The results field as the form shows it: each result, and under it its details, indented."""
    lines = []
    for result in results:
        lines.append(result)
        for kind in KINDS:
            lines += [f"  {kind}：{t}" for t in details.get(result, {}).get(kind, [])]
    return "\n".join(lines)


def keep_known(details: Details, results: Iterable[str]) -> Details:
    """Details of the results still there (a result edited away takes its details with it)."""
    present = set(results)
    return {fact: {k: list(v) for k, v in d.items() if v} for fact, d in details.items() if fact in present and d}
