"""The interview: what the house writes about a result that the user's fact does not tell, asked for.

A result in the house says how it was done (做法), what came of it (成效), how it compares with last year (对比)
and how far it reached (范围) (docs/GENRE.md §C.13h). For each of the user's results this compares the result
with its nearest house passages: a kind the passage tells and the result (with its details) does not is a
question, quoting the passage's own words so the user sees what is meant. Nothing here writes a draft: only the
user's answers become details, and only details reach the summary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from assistant.check.vocabulary import detail_words
from assistant.text.numbers import find_quantities
from assistant.text.sentences import split_sentences

KINDS = ("做法", "成效", "对比", "范围")
PRIORITY = {"做法": 1.0, "成效": 0.9, "对比": 0.6, "范围": 0.5}
MAX_QUESTIONS = 3
_ASK = {
    "做法": "{theme}还写了做法（如“{example}”）：{short}是怎么做的？和谁一起、用了什么办法？",
    "成效": "{theme}还写了成效（如“{example}”）：{short}带来了什么效果？有具体数字吗？",
    "对比": "{theme}还和上年作了比较（如“{example}”）：{short}比上年有什么变化？",
    "范围": "{theme}还写明了覆盖面（如“{example}”）：{short}覆盖了哪些地方、多少人？",
}
_CLAUSE = re.compile(r"[^，。；：]+")


@dataclass
class Passage:
    """A house passage a result retrieved: its text, the example it is from, its heading, the search score."""

    text: str
    doc: str
    heading: str = ""
    score: float = 0.0


@dataclass
class Question:
    """One question about one result. `fact` is the ledger id (ach2), `result` the result's own words."""

    fact: str
    result: str
    kind: str
    ask: str
    example: str
    source: str
    value: float = 0.0

    def to_json(self) -> dict[str, object]:
        out = asdict(self)
        out.pop("value")
        return out


def _markers(kind: str) -> frozenset[str]:
    return detail_words().get(kind, frozenset())


def tells(text: str, kind: str) -> bool:
    """Whether a text already tells this kind: a 做法 word, an effect word, a comparison, a reach."""
    if kind == "对比":
        return bool(re.search(r"同比|比上年|较上年|比去年|较去年|环比|与上年相比|由[\d.]+[^，。]{0,8}(?:至|到)", text))
    if kind == "成效":
        return any(w in text for w in _markers("成效") if len(w) >= 2) or bool(re.search(r"率[^，。]{0,4}[\d.]+%", text))
    if kind == "范围":
        return any(w in text for w in _markers("范围") if len(w) >= 2)
    return any(w in text for w in _markers("做法") if len(w) >= 2)


def fragment(passage: str, kind: str) -> str:
    """The clause of a house passage that tells this kind, as the question quotes it (a number preferred for
    成效 and 对比); "" when the passage does not tell it."""
    best, best_score = "", 0.0
    for sentence in split_sentences(passage):
        for clause in _CLAUSE.findall(sentence):
            clause = clause.strip()
            if not 6 <= len(clause) <= 36 or not tells(clause, kind) or re.match(r"^[（(]?[一二三四五六七八九十]+[）)、]", clause):
                continue
            if kind == "做法" and (not any(w in clause[:4] for w in _markers("做法") if len(w) >= 2)
                                 or "%" in clause or tells(clause, "成效")):
                continue  # a way of working opens with how ("联合……", "推行……"), it reports no result
            score = 1.0 + (0.5 if kind in ("成效", "对比", "范围") and find_quantities(clause) else 0.0)
            score -= abs(len(clause) - 18) / 60
            if score > best_score:
                best, best_score = clause, score
    return best


def short_result(result: str, limit: int = 20) -> str:
    """A result named in a question: its first clause, cut on a clause mark when it is long."""
    first = re.split(r"[，。；]", result.strip())[0]
    return first if len(first) <= limit else first[:limit] + "……"


def questions(results: Sequence[tuple[str, str]], passages: dict[str, Sequence[Passage]],
              details: dict[str, dict[str, list[str]]], *, limit: int = MAX_QUESTIONS,
              asked: Sequence[tuple[str, str]] = ()) -> list[Question]:
    """The most useful questions about these results ((ledger id, text) each), at most `limit`, at most one per
    result while other results still have one. Never a kind the result or its details already tell, never a
    (result, kind) in `asked`."""
    found: list[Question] = []
    done = set(asked)
    for position, (fact_id, result) in enumerate(results):
        own = details.get(result, {})
        told = " ".join([result, *own.get("做法", []), *own.get("成效", [])])
        for kind in KINDS:
            if (result, kind) in done or tells(told, kind) or (kind in ("做法", "成效") and own.get(kind)):
                continue
            for passage in passages.get(result, ()):
                example = fragment(passage.text, kind)
                if not example:
                    continue
                theme = f"范文写“{passage.heading}”时" if passage.heading else "范文写这类工作时"
                value = PRIORITY[kind] * (0.5 + max(0.0, passage.score)) * (1.1 if find_quantities(result) else 1.0)
                value -= 0.01 * position
                found.append(Question(fact_id, result, kind, _ASK[kind].format(theme=theme, example=example,
                                                                                 short=short_result(result)),
                                      example, passage.doc, value))
                break
    found.sort(key=lambda q: -q.value)
    chosen: list[Question] = []
    for q in found:  # one per result first, then the rest
        if len(chosen) < limit and all(c.result != q.result for c in chosen):
            chosen.append(q)
    for q in found:
        if len(chosen) < limit and q not in chosen:
            chosen.append(q)
    return chosen
