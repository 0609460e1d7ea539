"""Which part of a summary a label or heading names (成绩, 问题, 计划, 结尾), read by the genre's grammar of labels
rather than a list of the ones seen so far.

A plans label is [time] [scope] head: 明年准备, 下一步, 今后打算, 2025年工作思路, 下一步工作计划和措施. A problems
label is [lead] [主要] head [和 head] [tail]: 存在的主要问题, 不足之处, 短板, 薄弱环节, 问题和不足, 存在问题及原因分析.
An achievements label is [period] [主要] [工作] head: 主要成绩, 2024年工作情况, 一年来的工作回顾. A chat may add a
listing tail to any of them: 问题也有, 成绩主要有以下几点, 计划如下. The words are
text/data/cue_words.txt's classes. A heading's numeral ("四、"), Markdown marks ("## ") and a closing colon do
not count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from assistant.schema import Role
from assistant.text.bullets import strip_symbol
from assistant.text.cues import cue_words
from assistant.text.headings import parse_numbered
from assistant.text.numbers import YEAR, fold_width
from assistant.text.wordlists import alternation

_MARKS = re.compile(r"^\s*(?:[#＃]+\s*|\*\*)?|(?:\*\*)?\s*[：:]?\s*$")
# A label set off as a paste writes it: brackets around it ("【主要成绩】"; a bullet before it: text/bullets.py).
_WRAPPED = re.compile(r"^(?:【(?P<a>[^【】]+)】|〔(?P<b>[^〔〕]+)〕|\[(?P<c>[^\[\]]+)\]|〖(?P<d>[^〖〗]+)〗|「(?P<e>[^「」]+)」)$")


def _alt(*names: str) -> str:
    return alternation(w for n in names for w in cue_words(n))


@cache
def _grammar() -> dict[Role, str]:
    """Each part's label grammar as an unanchored pattern."""
    year = rf"{YEAR}年度?"
    scope = r"(?:的)?(?:主要|重点)?(?:工作)?(?:的)?"
    plan_head = _alt("plan_head")
    timed_head = _alt("plan_head", "plan_head_timed")
    plan = (rf"(?:(?:{_alt('plan_time')}){scope}(?:(?:{timed_head})(?:[和与及、](?:{timed_head}))?)?"
            rf"|(?:{year}){scope}(?:{timed_head})(?:[和与及、](?:{timed_head}))?"
            rf"|(?:年度)?(?:工作|主要工作)?(?:{plan_head})(?:[和与及、](?:{timed_head}))?)")
    lead = rf"(?:(?:{_alt('problem_lead')})(?:的)?)?(?:主要|突出|一些)?"
    head = _alt("problem_head")
    problem = (rf"{lead}(?:{head})(?:之处)?(?:[和与及、]{lead}(?:{head}))?"
               rf"(?:[和与及、](?:(?:{_alt('problem_tail')})|{plan}))?")  # 存在的问题和下一步打算: the problems first
    result = (rf"(?:(?:{year}|{_alt('result_period')})(?:的)?)?(?:主要)?(?:工作)?"
              rf"(?:{_alt('result_head')})(?:[和与及、](?:{_alt('result_head')}))?")
    parts = {"计划": plan, "问题": problem, "成绩": result}
    tail = _label_tail()
    return {**{role: rf"(?:{body})(?:{tail})?" for role, body in parts.items()}, "结尾": _alt("closing_head")}


def _label_tail() -> str:
    """What a conversational label adds before its colon: "也有", "主要有以下几点", "如下", "包括", and a topic
    marker before them ("问题的话：", "问题这块主要有：")."""
    said = (rf"(?:{_alt('label_tail_adverb')})?(?:{_alt('label_tail_verb')})"
            rf"(?:{_alt('label_tail_rest')})?(?:{_alt('label_tail_count')})?")
    return rf"(?:(?:{_alt('label_topic')})(?:{said})?|{said})"


@cache
def _anchored() -> tuple[tuple[Role, re.Pattern[str]], ...]:
    # problems before plans ("存在的问题和下一步打算" names the problems first), plans before results (工作打算)
    order: tuple[Role, ...] = ("问题", "计划", "成绩", "结尾")
    return tuple((role, re.compile(rf"^(?:{_grammar()[role]})$")) for role in order)


def label_text(line: str) -> str:
    """A heading or label line without its numeral, Markdown marks, bullet, brackets and closing colon
    ("四、存在的主要问题：" → "存在的主要问题", "【明年打算】" → "明年打算")."""
    text = _unwrapped(strip_symbol(_MARKS.sub("", fold_width(line or "").strip())))
    parsed = parse_numbered(text)
    if parsed is not None and not parsed.rest:
        text = _unwrapped(parsed.title)  # "二、【存在不足】"
    text = _MARKS.sub("", text).strip()
    # "然后是问题（主任说要写实在点）": a paste's way to a label, and an aside after it, are no part of it; nor is a
    # year in brackets inside it ("明年（2026）准备做的")
    text = _time_aside().sub("", text)
    return _ASIDE_AFTER.sub("", _label_opener().sub("", text)).strip()


_ASIDE_AFTER = re.compile(r"(?<=[\u4e00-\u9fff])[（(][^（）()\d]{2,20}[)）]$")
@cache
def _time_aside() -> re.Pattern[str]:
    """A year or a word of time in brackets inside a label ("明年（2026）准备做的", "2026年（明年）打算")."""
    times = alternation((*cue_words("plan_time"), *cue_words("result_period")))
    return re.compile(rf"(?<=[\u4e00-\u9fff])[（(]\s*(?:{YEAR}\s*年?度?|{times})\s*[)）]")


@cache
def _label_opener() -> re.Pattern[str]:
    return re.compile(rf"^(?:{alternation(cue_words('label_opener'))})(?=[\u4e00-\u9fff]{{2}})")


def wrapped_text(text: str) -> str:
    """What a label set off in brackets says ("【今年做成的事】" → "今年做成的事"); "" for a line not so set off."""
    wrapped = _WRAPPED.match(text.strip())
    return next(g for g in wrapped.groups() if g) if wrapped else ""


def _unwrapped(text: str) -> str:
    wrapped = _WRAPPED.match(text)
    return _MARKS.sub("", next(g for g in wrapped.groups() if g)) if wrapped else text


def label_role(line: str) -> Role | None:
    """The part a label or a heading line names: "明年准备" → 计划, "四、存在的主要问题" → 问题, "主要成绩" → 成绩,
    "结束语" → 结尾; None for a line that is not only a part's name."""
    text = label_text(line)
    if not text or len(text) > 24:
        return None
    for role, pattern in _anchored():
        if pattern.match(text):
            return role
    return None


def part_pattern(role: Role) -> str:
    """One part's label grammar as an unanchored pattern (成绩, 问题, 计划, 结尾)."""
    return _grammar()[role]


@cache
def label_alternation() -> str:
    """Every part label as one unanchored alternation (to find "明年准备：" inside a line of several labels)."""
    return "|".join(f"(?:{_grammar()[r]})" for r in ("问题", "计划", "成绩"))


# --- reading a whole summary ------------------------------------------------------------------------------
# The Markdown our exporter writes at a line start: heading marks, or the backslash that escapes a character
# Markdown would read as a block mark (export/markdown_export.py).
_MD_MARK = re.compile(r"^(?:#{1,6}[ \t]+|\\(?=[#>+*\-=_`~|<\d]))")
_DATE = re.compile(rf"^{YEAR}年[\d一二三四五六七八九十〇零○]{{1,2}}月[\d一二三四五六七八九十〇零○]{{1,3}}日$")
_ENDS_SENTENCE = ("。", "；", "：", ":", ";", "！", "？", "，", "!", "?", ",")
_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十\d]+）|\d+[.．、])|[一二三四]是")
_NUMERAL = r"(?:[一二三四五六七八九十]+[、.．]\s*|[（(][一二三四五六七八九十\d]+[)）]\s*)?"
_OPENING_END = re.compile(r"(?:总结|汇报|报告)如下[：:。]?$|如下[：:]$")


@dataclass(frozen=True)
class Line:
    """One non-empty line of a summary: its words and their span in the text (Markdown marks outside it)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Part:
    """One part of a summary: its role, its lines, and the line that names it ("四、存在的问题"), if any."""

    role: Role
    lines: tuple[Line, ...]
    heading: Line | None = None

    @property
    def body(self) -> tuple[Line, ...]:
        return tuple(ln for ln in self.lines if ln is not self.heading)


@dataclass(frozen=True)
class Summary:
    """A whole summary as a reader sees it: the title, the parts in order, the signature (unit, date)."""

    title: Line | None
    parts: tuple[Part, ...]
    unit: Line | None
    date: Line | None


def summary_lines(text: str) -> list[Line]:
    """The non-empty lines of a summary, plain or our Markdown, without the Markdown marks our export writes."""
    out: list[Line] = []
    pos = 0
    for raw in (text or "").split("\n"):
        start, pos = pos, pos + len(raw) + 1
        stripped = raw.strip()
        if not stripped:
            continue
        lead = start + len(raw) - len(raw.lstrip())
        mark = _MD_MARK.match(stripped)
        cut = mark.end() if mark else 0
        words = stripped[cut:].strip()
        if mark and mark.group(0).startswith("#") and words.endswith("\\#"):
            words = words[:-2] + "#"  # our export escapes a heading's own closing "#"
        if words:
            first = lead + cut + (len(stripped[cut:]) - len(stripped[cut:].lstrip()))
            out.append(Line(first, lead + len(stripped), words))
    return out


@cache
def _openers() -> dict[Role, re.Pattern[str]]:
    """A body line that opens a part without a heading of its own ("存在的问题主要有：……", "在新的一年里，……")."""
    head = _alt("problem_head")
    problems = (rf"^{_NUMERAL}(?:(?:{_alt('problem_lead')})(?:的)?(?:主要|突出)?(?:{head})|(?:{head})之处"
                rf"|(?:{head})[和与及](?:{head}))"
                rf"|还存在(?:一些|以下|着)?(?:{head})|清醒(?:地)?(?:看到|认识到)")
    timed = _alt("plan_head", "plan_head_timed")
    plans = (rf"^{_NUMERAL}(?:{_alt('plan_time')}|{YEAR}年度?)(?:的)?(?:工作)?(?:{timed})"
             rf"|^(?:{_alt('plan_line_opener')})|^{YEAR}年[，,][^。：]{{0,16}}以下[^。：]{{0,6}}工作[：:]"
             rf"|^{YEAR}年，?我们将")
    return {"问题": re.compile(problems), "计划": re.compile(plans)}


@cache
def _closing() -> re.Pattern[str]:
    return re.compile(rf"{_alt('closing_formula')}|开创.{{0,8}}新局面|谱写.{{0,10}}新篇章|^(?:{_alt('closing_opener')})")


def part_heading(line: str) -> Role | None:
    """问题 or 计划 when the line is the heading that starts that part ("四、存在的主要问题", "## 五、下一步工作计划",
    "明年工作打算："); None otherwise. The 成绩 part's own headings are the user's work, not a part's name."""
    role = label_role(line)
    return role if role in ("问题", "计划") else None


def part_opening(line: str) -> Role | None:
    """The part a line starts, as a heading or as a body line that opens it; None for a line inside a part."""
    text = label_text(line) if part_heading(line) else line.strip()
    heading = part_heading(line)
    if heading:
        return heading
    for role, pattern in _openers().items():
        if pattern.search(text):
            return role
    return None


def _is_title(line: str) -> bool:
    return len(line) <= 60 and not line.endswith(_ENDS_SENTENCE) and part_heading(line) is None \
        and parse_numbered(line) is None


def _is_unit(line: str) -> bool:
    """A signature's unit line: short, unpunctuated, no heading, ending like an organisation's name."""
    from assistant.text.names import ends_like_org

    return len(line) <= 30 and not line.endswith(_ENDS_SENTENCE) and parse_numbered(line) is None \
        and label_role(line) is None and ends_like_org(line)


def read_summary(text: str) -> Summary:
    """The one reading of a summary's parts, shared by the check, the exporter's text reader, the revision diff
    and the page.

    The first short unpunctuated line is the title; a closing date line (and the unit line above it), or a
    last line naming an organisation, is the signature. The opening runs to the first numbered heading (or
    to its "……总结如下：" line); without either, it is the first paragraph. Then the results, until a line
    starts the problems (a heading that names them, "四、存在的主要问题", or a line that opens them, "还存在一些
    不足"), then the plans (likewise), and the last paragraph of the problems or plans is the closing when it
    reads as one (a closing formula, or the plans' last plain paragraph after others)."""
    lines = summary_lines(text)
    title = lines.pop(0) if lines and _is_title(lines[0].text) else None
    date = unit = None
    if lines and _DATE.match(lines[-1].text):
        date = lines.pop()
        if lines and _is_unit(lines[-1].text):
            unit = lines.pop()
    elif lines and _is_unit(lines[-1].text) and len(lines) > 1:
        unit = lines.pop()
    roles = _roles(lines)
    parts: list[Part] = []
    for line, (role, heading) in zip(lines, roles, strict=True):
        if not parts or parts[-1].role != role or heading:
            parts.append(Part(role, (line,), line if heading else None))
        else:
            parts[-1] = Part(role, (*parts[-1].lines, line), parts[-1].heading)
    return Summary(title, tuple(parts), unit, date)


def _roles(lines: Sequence[Line]) -> list[tuple[Role, bool]]:
    """(role, whether the line is the heading that starts its part) for each body line."""
    numbered = [parse_numbered(ln.text) is not None for ln in lines]
    opening_end = next((i for i, ln in enumerate(lines) if _OPENING_END.search(ln.text)), None)
    first_numbered = next((i for i, n in enumerate(numbered) if n), None)
    ends = [i for i in (first_numbered, None if opening_end is None else opening_end + 1) if i is not None]
    opening = min(ends) if ends else min(1, len(lines))
    out: list[tuple[Role, bool]] = []
    role: Role = "开头"
    for i, line in enumerate(lines):
        if i == opening:
            role = "成绩"
        started = part_opening(line.text) if i >= opening or role == "开头" else None
        heading = False
        if started == "问题" and role in ("开头", "成绩"):
            role, heading = "问题", part_heading(line.text) == "问题"
        elif started == "计划" and role in ("开头", "成绩", "问题"):
            role, heading = "计划", part_heading(line.text) == "计划"
        out.append((role, heading))
    if len(out) >= 2:
        last = lines[-1].text
        role, heading = out[-1]
        earlier = sum(1 for r, h in out[:-1] if r == role and not h)
        enumerated = bool(_ENUMERATED.search(last)) or numbered[-1]
        if role in ("问题", "计划") and not heading and earlier and not enumerated and len(last) <= 150 \
                and (_closing().search(last) or role == "计划"):
            out[-1] = ("结尾", False)
    return out


def section_roles(text: str) -> list[tuple[int, int, Role]]:
    """(start, end, role) of each part of a whole summary (read_summary), covering the text from its start:
    the title counts with the opening, the signature with the part before it."""
    summary = read_summary(text)
    spans: list[tuple[int, int, Role]] = []
    for part in summary.parts:
        start = part.lines[0].start if spans else 0
        if spans:
            spans[-1] = (spans[-1][0], start, spans[-1][2])
        spans.append((start, len(text or "") + 1, part.role))
    return spans or [(0, len(text or "") + 1, "开头")]


def without_layout(text: str) -> str:
    """The text with what its layout adds blanked out, character for character (spans stay valid): the Markdown
    marks our export writes ("## ", a leading "\\") and the signature's date line. A whole summary's check reads
    this, so the project's own .md and .docx exports are checked on their words alone."""
    text = text or ""
    keep = [False] * len(text)
    summary = read_summary(text)
    for line in summary_lines(text):
        if not (summary.date and line.start == summary.date.start):
            keep[line.start:line.end] = [True] * (line.end - line.start)
    return "".join(ch if k or ch == "\n" else " " for ch, k in zip(text, keep, strict=True))
