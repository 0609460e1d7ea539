"""Cue words that say what a sentence is, whoever its subject: the future (本局将…, 中心将…, 拟…, 力争…,
明年…) marks a plan, a shortfall (不足, 短板, 有待…) a problem; and the connectives that open a fact (另外,
此外, 我们还…), which say how the user went on, not what was done.

One home for these words (text/data/cue_words.txt) and their patterns: the paste's sorting (facts/paste.py),
the check's plans written as results (check/guard.py, check/sentences.py) and the writers read them here.
"""

from __future__ import annotations

import re
from functools import cache

from assistant.text.names import ends_like_org, short_form_of
from assistant.text.verbs import action_alternation
from assistant.text.wordlists import alternation, word_classes


def cue_words(name: str) -> tuple[str, ...]:
    """One class of text/data/cue_words.txt ("plan_time", "problem_head", "connective" …)."""
    return word_classes("assistant.text", "cue_words.txt")[name]


def _alt(*names: str) -> str:
    return alternation(w for n in names for w in cue_words(n))


@cache
def future_pattern() -> re.Pattern[str]:
    """A cue that puts a sentence in the future: a time (明年, 下一步), an intent (打算, 力争, 拟), or 将 / 计划
    before what they announce ("本局将加强……", "计划于6月……"); not "模拟", "完成年度计划", "将困难职工纳入……"."""
    verbs = action_alternation()
    # "争取到位资金2310万元", "争取了项目3个": what was secured, not an intent
    words = alternation(w for w in cue_words("future_word") if w != "争取")
    return re.compile(
        rf"{words}|争取(?![到了来])|(?<![模虚比草])拟(?!定(?!于)|稿|写|任)"
        rf"|(?<!做好|充分|前期|各项)准备(?!工作|金|好|了)"
        rf"|将(?:{_alt('future_after_jiang')}|{verbs})"
        rf"|计划(?:{_alt('future_after_plan')}|{verbs})")


@cache
def intent_span_pattern() -> re.Pattern[str]:
    """An intent and the words it governs up to the clause end ("力争年内建成", "拟于6月……"): a plan's own words."""
    return re.compile(rf"(?:{_alt('intent_word')})[^，。；]{{0,14}}")


@cache
def pending_pattern() -> re.Pattern[str]:
    """A word that says a fact is not done yet: an intent (拟, 计划, 力争 …) or a state (在建, 尚未, 正在 …)."""
    return re.compile(_alt("intent_word", "pending_word"))


@cache
def problem_pattern() -> re.Pattern[str]:
    """A cue that states a shortfall: a problem word, "存在……问题", "问题是："."""
    return re.compile(rf"{_alt('problem_word')}|存在.{{0,12}}问题|问题[是：:]")


def future_cue(text: str) -> str:
    """The first future cue in `text` ("将加强", "明年", "拟"), or ""."""
    m = future_pattern().search(text or "")
    return m.group(0) if m else ""


@cache
def _connective() -> re.Pattern[str]:
    return re.compile(
        rf"^(?P<time>(?:{_alt('connective_time')})[，,]?)?"
        rf"(?:(?:(?:{_alt('lead_in')})\s*[：:，,]|(?:{_alt('connective', 'spoken')})(?!期|段|时期)[，,、：:]?)\s*)+")


def strip_connective(text: str) -> str:
    """A fact without the connective or conversational lead-in that opens it ("另外，组织……" → "组织……",
    "我们还做了：为全区……" → "为全区……", "全年我们还在辖区设立了……" → "全年在辖区设立了……").

    Nothing else of the fact changes; a text that is nothing but a connective comes back as it was."""
    text = text or ""
    m = _connective().match(text.strip())
    if m is None:
        return text
    rest = text.strip()[m.end():]
    if not re.search(r"[\w\u4e00-\u9fff]", rest):
        return text
    return (m.group("time") or "").rstrip("，,") + rest


@cache
def _spoken() -> re.Pattern[str]:
    return re.compile(rf"(?:(?<=[。！？；，,])|^)\s*(?:{_alt('spoken')})[，,：:]?\s*(?=[\w\u4e00-\u9fff“])")


def strip_spoken(text: str) -> str:
    """A fact without the spoken markers that open a remark in it ("……下降20%。说实话现在村里……" →
    "……下降20%。现在村里……"): the marker is how the user talks, the words after it are what they said."""
    return _spoken().sub("", text or "")


def without_plan_subject(text: str, unit: str = "") -> str:
    """A plan without who will do it, for a list whose lead already says "我们将……" ("一是本馆将启动……" →
    "一是启动……", "二是公司将推进……", "三是计划2026年改造……" → "三是2026年改造……"): the subject is this unit
    (a pronoun, 本馆/我局, its short form, or a name ending like an organisation's) and 将 the future, or 计划 opens on a year.
    The plan's own words otherwise stay; a text left without words comes back as it was."""
    text = text or ""
    m = re.match(r"^(?P<who>[\u4e00-\u9fff（）()]{1,14}?)(?=将)", text)
    if m is not None:
        who = m.group("who")
        ours = who in cue_words("plan_subject") or re.fullmatch(r"[我本][\u4e00-\u9fff]{1,2}", who) is not None \
            or ends_like_org(who) or (len(who) >= 2 and bool(unit) and short_form_of(who, unit))
        if ours and future_pattern().match(text, m.end()) is not None:
            rest = text[m.end() + 1:]
            return rest if re.search(r"[\u4e00-\u9fff]", rest) else text
    m = re.match(r"^(?:我们)?计划(?=(?:20\d\d|明)年)", text)
    return text[m.end():] if m is not None else text
