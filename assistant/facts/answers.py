"""The user's answers to the interview, read into details of the right results.

The interview asked numbered questions, each about one result and one kind (做法, 成效, 对比, 范围). An answer
is the user's own words: it is kept as typed (its list marker and a conversational lead-in dropped), and a
number in it is the user's own fact. Answers go to the question they answer — by their number, by a label
("做法：…", "成效：…"), or, unnumbered, to the question whose result they share the most words with. "跳过",
"没有了" and the like answer nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.facts.details import detail_line
from assistant.facts.ledger import content_terms
from assistant.text.bullets import strip_bullet
from assistant.text.cues import strip_connective

# Replies that decline: nothing to add now.
_SKIP = re.compile(r"^(?:跳过|先跳过|没有了?|没了|都没有|暂无|无|不用了?|不需要|算了|先这样|直接写吧?|直接起草吧?|不清楚|不知道)"
                   r"[。！!.,，\s]*$")
_NUMBERED = re.compile(r"(?:^|(?<=[\s。；;！!]))(?:(?P<a>\d{1,2})[.．、)）]|[（(](?P<b>\d{1,2})[)）]|(?P<c>[①②③④⑤⑥⑦⑧⑨])|"
                       r"第(?P<d>[一二三四五六七八九])(?:个|条|题)?[：:，,]?)")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨"
_CN = "一二三四五六七八九"
_LEAD = re.compile(r"^(?:答[：:]|回答[：:]|关于[^，：:]{1,20}[，：:]|我们是|是这样的[，：:]?)")
# A kind of question → the kind of detail its answer is: comparisons and reach tell what came of the work.
DETAIL_KIND = {"做法": "做法", "成效": "成效", "对比": "成效", "范围": "成效"}


def is_skip(message: str) -> bool:
    """The user declines to answer ("跳过", "没有了")."""
    return bool(_SKIP.match((message or "").strip()))


def _clean(text: str) -> str:
    text = strip_connective(strip_bullet(text.strip()))
    text = _LEAD.sub("", text).strip(" ，,。；;")
    return text


def _numbered(message: str) -> dict[int, str]:
    """Answers written "1. …  2. …" (or （1）, ①, 第一), by their number."""
    marks = list(_NUMBERED.finditer(message))
    out: dict[int, str] = {}
    for i, m in enumerate(marks):
        raw = m.group("a") or m.group("b")
        n = int(raw) if raw else (_CIRCLED.index(m.group("c")) + 1 if m.group("c") else _CN.index(m.group("d")) + 1)
        end = marks[i + 1].start() if i + 1 < len(marks) else len(message)
        text = _clean(message[m.end():end])
        if text:
            out[n] = text
    return out


def read_answers(asked: Sequence[tuple[str, str]], message: str) -> list[tuple[str, str, str]]:
    """(result, detail kind, the user's words) for each answer in `message` to the questions `asked`
    ((result, question kind) each, in the order they were numbered)."""
    if not asked or is_skip(message):
        return []
    message = message.strip()
    out: list[tuple[str, str, str]] = []
    numbered = _numbered(message)
    if numbered and all(1 <= n <= len(asked) for n in numbered):
        for n, text in sorted(numbered.items()):
            if not is_skip(text):
                result, kind = asked[n - 1]
                out.append((result, DETAIL_KIND[kind], text))
        return out
    units = [u for u in (_clean(x) for x in re.split(r"[\n；;]+", message)) if u and not is_skip(u)]
    for unit in units:
        labelled = detail_line(unit)
        text = _clean(labelled[1]) if labelled else unit
        candidates = [a for a in asked if labelled is None or DETAIL_KIND[a[1]] == labelled[0]] or list(asked)
        if len(candidates) == 1 or len(units) == 1 and len({a[0] for a in candidates}) == 1:
            result, kind = candidates[0]
        else:
            terms = content_terms(text)
            result, kind = max(candidates, key=lambda a: (len(content_terms(a[0]) & terms), -asked.index(a)))
        out.append((result, labelled[0] if labelled else DETAIL_KIND[kind], text))
    return out
