"""Facts read from a chat message or a free paste, each one checked against the user's own words.

A message mixes facts and a request: "单位：某街道工会 年度：2025 成绩：组织职工疗休养2批，参加86人 请起草全文",
or plain sentences "我们是县水务局工会，今年组织……。请帮我写总结". `request_spans` finds the request's own words
(never facts); `read_message` parses the rest and keeps only what `verify_fact` finds in the user's text: its
numbers and its key terms. Nothing is added that the user did not write; a fact that fails is dropped and
logged, never delivered.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from assistant.facts.cues import polite_pattern
from assistant.facts.fields import LIST_FIELDS, label_pattern
from assistant.facts.paste import parse_free_text
from assistant.schema import Facts
from assistant.text.bullets import is_list_item
from assistant.text.cues import strip_connective
from assistant.text.numbers import CN_YEAR, find_quantities, fold_width, parse_year, squash, states_quantity
from assistant.text.sentences import end_marks

log = logging.getLogger(__name__)

_LABELS = "其他材料|事实|" + label_pattern()
FACT_LABEL = re.compile(rf"^\s*(?:{_LABELS})\s*[：:]")
_CLAUSE_END = re.compile(f"[{end_marks(newline=True)}]")
# Where a request starts: a polite opener, "把……写/改……", or an instruction verb.
_REQUEST_START = re.compile(
    r"(?:请|烦请|麻烦|劳驾|帮我|帮忙|帮着|能否|能不能|可否|可不可以|可以帮|我想请|我想让|我想要|我需要|希望你|你能|你帮|"
    r"你再|给我|替我|再帮|再给|再来|重新|"
    r"把(?=[^，,。；;]{0,30}(?:写|改|调|压缩|精简|精炼|扩|删|换|加|润色|缩))|"
    r"(?:再|重新)?(?:起草|撰写|草拟|拟写|拟定|生成|写|改写|重写|润色|精简|压缩|扩写|缩写|续写|列出|给出|出一?[份个]))")
# An instruction verb at a clause boundary ("编写" inside a fact does not count).
_VERB = re.compile(r"(?:^|(?<=[\s。；;，,！!？?：:、请我你帮再忙]))"
                   r"(?:起草|撰写|草拟|拟写|拟定|生成|写一?[份个下篇段]?|改一?[下]?|列出|给出|出一?[份个])")
_QUESTION = re.compile(r"(?:[？?]|吗|呢|怎么写|如何写|怎样写)\s*$")
# Numbers a request may carry ("写800字", "第二部分", "分三段") that are not a fact's.
_REQUEST_NUMBER = re.compile(r"第[\d一二三四五六七八九十]+(?:个)?(?:部分|段|节|条|点|句|章|稿|版)?|"
                             r"[\d一二三四五六七八九十百千两]+(?:个)?(?:字|篇|页|段|部分|条|句|点|行|稿|版|遍)")
_SPLIT_BEFORE = re.compile(rf"\s+(?={_REQUEST_START.pattern}|(?:{_LABELS})\s*[：:])")
_ORG_INTRO = re.compile(r"^(?:我们|我|本单位|我单位)(?:是|系|为|来自)")


def has_fact_number(text: str) -> bool:
    """True when the text states a quantity of the kind facts carry (not "800字", "第二部分", "一下")."""
    return states_quantity(_REQUEST_NUMBER.sub("", fold_width(text)))


def _parts(clause: str, offset: int) -> list[tuple[int, int]]:
    """A clause cut at its commas: (start, end) of each part in the message."""
    out, start = [], 0
    for m in re.finditer(r"[，,]", clause):
        out.append((offset + start, offset + m.start()))
        start = m.end()
    out.append((offset + start, offset + len(clause)))
    return out


def _clauses(message: str) -> list[tuple[int, int]]:
    """(start, end) of each clause: cut at sentence ends and line ends, and at a blank that opens a request or a
    label ("……参加86人 请起草全文", "单位：某局 成绩：……")."""
    cuts = sorted({0, len(message), *(m.end() for m in _CLAUSE_END.finditer(message)),
                   *(m.end() for m in _SPLIT_BEFORE.finditer(message))})
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if message[a:b].strip()]


def _is_request_part(text: str) -> bool:
    """A part of a clause that asks rather than states. With a fact number in it, only a polite opener and an
    instruction verb make it a request ("写春联送万家活动3场" is a fact; "请写800字" is not)."""
    text = text.strip()
    if not text or FACT_LABEL.match(text) or is_list_item(text) or _ORG_INTRO.match(text):
        return False
    if has_fact_number(text):
        return bool(polite_pattern().match(text)) and bool(_VERB.search(text))
    return bool(_REQUEST_START.match(text) or _VERB.search(text) or _QUESTION.search(text))


def request_spans(message: str) -> list[str]:
    """The request's own words as they appear in the message ("请起草全文", "帮我写一下主要成绩部分").

    A clause is a request when it opens with a request word, or carries an instruction verb or a question and no
    fact number; a request runs to the clause end, stopping before a later part that states a fact number."""
    spans: list[str] = []
    for a, b in _clauses(message):
        clause = message[a:b]
        body = _CLAUSE_END.sub("", clause)
        lead = len(body) - len(body.lstrip())
        parts = _parts(body.strip(), a + lead)
        start = next((i for i, (s, e) in enumerate(parts) if _is_request_part(message[s:e])), None)
        if start is None:
            continue
        end = start + 1
        while end < len(parts) and not has_fact_number(message[parts[end][0]:parts[end][1]]) \
                and not FACT_LABEL.match(message[parts[end][0]:parts[end][1]].strip()):
            end += 1
        text = message[parts[start][0]:parts[end - 1][1]].strip()
        if text:
            spans.append(text)
    if not spans:
        line = message.strip()
        if line and "\n" not in line and len(line) <= 30 and not has_fact_number(line) \
                and not FACT_LABEL.match(line) and not _ORG_INTRO.match(line) and not is_list_item(line):
            spans.append(line)  # a short remark with no fact in it ("你好", "语气再正式一点")
    return spans


def without_requests(message: str) -> str:
    """The message with its request's words taken out (each becomes a line break)."""
    for span in request_spans(message):
        message = message.replace(span, "\n", 1)
    return message


# --- verification -----------------------------------------------------------------------------------------
def verify_fact(fact: str, source: str) -> list[str]:
    """Why a fact read from `source` cannot be delivered ([] when it can): each of its numbers and key terms
    (runs of two or more Chinese characters, Latin words) must be found in the user's text."""
    return _reasons(fact, squash(source, punctuation=False))


def _reasons(fact: str, src: str) -> list[str]:
    """verify_fact against an already folded source (a long paste is folded once, not once per fact)."""
    folded = squash(fact, punctuation=False)
    if not folded:
        return ["空的条目"]
    if folded in src:
        return []
    reasons = []
    for q in find_quantities(folded, include_protected=True):
        if q.raw not in src:
            reasons.append(f"数字“{q.raw}”不在原文中")
    for number in re.findall(r"\d+(?:[.,]\d+)*", folded):
        if not re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", src):
            reasons.append(f"数字“{number}”不在原文中")
    for term in re.findall(r"[\u4e00-\u9fff]{2,}|[A-Za-z]{2,}", folded):
        if term not in src:
            reasons.append(f"词语“{term}”不在原文中")
    return list(dict.fromkeys(reasons))


def _year_stated(year: str, source: str) -> bool:
    src = fold_width(source or "")
    if year in src:
        return True
    return any(parse_year(m) == year for m in re.findall(CN_YEAR, src))


def verified(facts: Facts, source: str) -> Facts:
    """Only the facts found in the user's text; the others are dropped and logged."""
    out = Facts()
    src = squash(source, punctuation=False)
    for name in ("unit", "title"):
        value = getattr(facts, name)
        if value and not _reasons(value, src):
            setattr(out, name, value)
        elif value:
            log.warning("intake: dropped %s %r: not in the user's text", name, value[:60])
    if facts.year and _year_stated(facts.year, source):
        out.year = facts.year
    elif facts.year:
        log.warning("intake: dropped year %r: not in the user's text", facts.year)
    for name in LIST_FIELDS:
        kept: list[str] = getattr(out, name)
        seen: set[str] = set()
        for item in getattr(facts, name):
            reasons = _reasons(item, src)
            if reasons:
                log.warning("intake: dropped fact %r: %s", item[:60], "; ".join(reasons))
            elif item not in seen:
                kept.append(item)
                seen.add(item)
    return out


def without_lead_ins(facts: Facts) -> Facts:
    """The facts without the conversational lead-ins a chat message puts before them ("我们还做了：", "另外还有",
    "此外，"): they say how the user went on, not what was done (text/cues.py strip_connective)."""
    out = Facts(unit=facts.unit, year=facts.year, title=facts.title)
    for name in LIST_FIELDS:
        setattr(out, name, [strip_connective(item) for item in getattr(facts, name)])
    return out


def read_message(message: str, source: str | None = None) -> Facts:
    """The facts of one message or paste, without its request and lead-ins, each verified against `source`
    (the message)."""
    read = without_lead_ins(parse_free_text(without_requests(message)))
    return verified(read, message if source is None else source)


def read_conversation(user_texts: Sequence[str]) -> Facts:
    """The facts of every user message of a conversation, verified against all of them."""
    kept = "\n".join(without_requests(t) for t in user_texts)
    return verified(without_lead_ins(parse_free_text(kept)), "\n".join(user_texts))


# --- the form ---------------------------------------------------------------------------------------------
def fact_key(item: str) -> str:
    """What makes two items the same fact: the words, without blanks or a closing clause mark."""
    return squash(item, punctuation=False).rstrip("。；;，,、")


def merge_into(base: Facts, extra: Facts) -> Facts:
    """`base` with what `extra` adds: empty fields filled, new items appended, nothing duplicated or replaced."""
    out = Facts(unit=base.unit or extra.unit, year=base.year or extra.year, title=base.title or extra.title)
    for name in LIST_FIELDS:
        items = list(getattr(base, name))
        seen = {fact_key(i) for i in items}
        for item in getattr(extra, name):
            key = fact_key(item)
            if key not in seen:
                items.append(item)
                seen.add(key)
        setattr(out, name, items)
    return out


_LIST_LABELS = {"achievements": "成绩", "problems": "问题", "plans": "计划", "notes": "其他"}


def describe(read: Facts) -> str:
    """What was read, for the user to check: "单位、年度、成绩 2 条"; "" when nothing was."""
    parts = [label for name, label in (("unit", "单位"), ("year", "年度"), ("title", "标题")) if getattr(read, name)]
    parts += [f"{label} {len(getattr(read, name))} 条" for name, label in _LIST_LABELS.items()
              if getattr(read, name)]
    return "、".join(parts)
