"""Revisions that keep what a part is: its headings with their paragraphs, its facts, its numbering.

A chat's request to change a part is a request about the plan, not a free rewrite (docs/ARCHITECTURE.md):
"更简洁" drops what is not the user's (clauses that state no fact: the model's additions and the house's
padding), keeping every heading and every fact; "多写成效" is a question for the user (the interview), since
only the user knows the effect; any other request may go to a model, whose text must keep the part's structure
(`structure_problems`) and pass the gate sentence by sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Literal

from assistant.text.cues import cue_words
from assistant.text.headings import parse_numbered
from assistant.text.numbers import SLOT_RE, find_quantities
from assistant.text.sentences import split_sentences
from assistant.text.wordlists import alternation

Kind = Literal["concise", "details", "free"]


@cache
def _asks(kind: str) -> re.Pattern[str]:
    """The pattern of a kind of revision request, from its words in text/data/cue_words.txt."""
    if kind == "details":
        return re.compile(f"(?:{_alt('revise_more_verb')})[^，。]{{0,6}}(?:{_alt('revise_more_what')})")
    return re.compile(_alt(f"revise_{kind}"))


def _alt(name: str) -> str:
    return alternation(cue_words(name))


def revision_kind(instruction: str) -> Kind:
    """What a revision request asks: to be shorter, to say more of how and what came of it, or something else."""
    if _asks("concise").search(instruction or ""):
        return "concise"
    if _asks("details").search(instruction or ""):
        return "details"
    return "free"


def _heading(line: str) -> bool:
    n = parse_numbered(line)
    return n is not None and not n.rest and not line.rstrip().endswith("。")


def concise(text: str, states_fact: Callable[[str], bool]) -> str:
    """The part with every clause that states no fact left out (the headings, a run-in heading's lead phrase,
    a 【待补充】 slot and the first clause of a sentence — its subject — always stay)."""
    out: list[str] = []
    for line in text.split("\n"):
        if not line.strip() or _heading(line.strip()):
            out.append(line)
            continue
        head, body = "", line
        n = parse_numbered(line.strip())
        if n is not None and n.rest:  # "（一）做实帮扶救助。……": the lead phrase stays
            head = line[: len(line) - len(n.rest)]
            body = n.rest
        sentences = []
        for sentence in split_sentences(body, semicolon=False):
            end = sentence[-1] if sentence[-1:] in "。！？；" else ""
            clauses = [c for c in re.split(r"(?<=[，,；;])", sentence.rstrip("。！？；")) if c]
            kept = [c for i, c in enumerate(clauses)
                    if states_fact(c) or SLOT_RE.search(c) or find_quantities(c) or "如下" in c
                    or re.match(r"^[一二三四五六七八九十]+是", c)]
            if not kept and clauses:
                kept = clauses[:1]
            sentences.append("".join(kept).rstrip("，,；;") + end)
        out.append(head + "".join(sentences))
    return "\n".join(out)


def headings_of(text: str) -> list[tuple[int, int, str]]:
    """(level, ordinal, title) of every numbered heading, run-in ones included."""
    out = []
    for line in (text or "").split("\n"):
        n = parse_numbered(line.strip())
        if n is not None and n.level <= 2:
            out.append((n.level, n.ordinal, n.title))
    return out


def structure_problems(before: str, after: str, instruction: str) -> list[str]:
    """Why a revision breaks the part's structure: a heading gone, renumbered or turned into a sentence, or a
    heading left without its paragraph — unless the request asks to change headings or their order."""
    if _asks("structure").search(instruction or ""):
        return []
    old, new = headings_of(before), headings_of(after)
    problems = []
    if [(lv, o) for lv, o, _ in old] != [(lv, o) for lv, o, _ in new]:
        problems.append("修改稿改变了标题的层次或编号")
    lines = [ln.strip() for ln in after.split("\n") if ln.strip()]
    for i, line in enumerate(lines):
        n = parse_numbered(line)
        if n is not None and n.level == 1 and not n.rest:
            if line.endswith("。"):
                problems.append(f"标题变成了句子：{line[:20]}")
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if not nxt or (parse_numbered(nxt) is not None and parse_numbered(nxt).level == 1):  # type: ignore[union-attr]
                old_titles = [t for lv, _, t in old if lv == 1]
                if n.title in old_titles and _had_body(before, n.title):
                    problems.append(f"标题下的段落不见了：{n.title[:20]}")
    return problems


def _had_body(text: str, title: str) -> bool:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for i, line in enumerate(lines):
        n = parse_numbered(line)
        if n is not None and n.title == title:
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            return bool(nxt) and not (parse_numbered(nxt) is not None and parse_numbered(nxt).level == 1)  # type: ignore[union-attr]
    return False


def shorter_by(before: str, after: str) -> float:
    """How much shorter (0–1) a revision is, in Han characters."""
    han = lambda t: len(re.findall(r"[\u4e00-\u9fff]", t))  # noqa: E731 - local
    return 1 - han(after) / han(before) if han(before) else 0.0


def states_fact_with(terms_of_facts: Sequence[frozenset[str]]) -> Callable[[str], bool]:
    """A test of whether a clause states one of these facts (shares a content term with it)."""
    from assistant.facts.ledger import content_terms

    def states(clause: str) -> bool:
        terms = content_terms(clause)
        return bool(terms) and any(len(terms & t) * 2 >= len(terms) for t in terms_of_facts if t)

    return states
