"""The frame of a house's headings, learnt from the headings themselves.

A heading is one or two clauses ("守牢安全底线，确保运营平稳"). Read across one document, the clauses at the
same position share what the house fixes and differ where each heading names its own work: "聚焦项目建设 /
聚焦运输服务 / 聚焦安全监管" fix the opener 聚焦; "在服务大局上下功夫 / 在改革创新上下功夫" fix 在 … 上下功夫;
"守牢安全底线 / 优化线路网络 / 推进绿色转型" fix nothing but the shape verb + object. A `Frame` keeps, per
clause, the fixed prefix and suffix (whole words shared by most headings), the openers seen (the first word
when the prefix is not fixed) and the typical length, and which clause names the work (its words come from the
text under the heading) and which says the purpose.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median

from assistant.check.terms import ends_in_action, tokens, verb_head
from assistant.check.vocabulary import heading_words

_CLAUSE_SPLIT = re.compile(r"[，,；;、\s　]+")
SHARE = 0.6  # a word is part of the frame when at least this share of the headings has it in that place


def _words(kind: str) -> frozenset[str]:
    return heading_words().get(kind, frozenset())


def clauses(heading: str) -> list[str]:
    """A heading's clauses, punctuation dropped ("开拓市场，订单规模稳步扩大" → two)."""
    text = heading.strip().rstrip("。；;！!")
    parts = [p for p in _CLAUSE_SPLIT.split(text) if p]
    return parts if len(parts) <= 3 else [text]


@dataclass
class ClauseFrame:
    """What one clause position of a house's headings fixes."""

    prefix: str = ""  # fixed words at the start ("聚焦", "在")
    suffix: str = ""  # fixed words at the end ("上下功夫"), or before a last word that varies ("有新")
    tails: list[str] = field(default_factory=list)  # that varying last word ("提升", "活力"), when there is one
    openers: list[str] = field(default_factory=list)  # first words seen, most frequent first (when no prefix)
    length: float = 6.0  # typical characters
    work: bool = True  # the clause names the work (else it says the purpose)
    fill_min: int = 0  # the fewest characters the house puts between its fixed words ("聚焦项目建设": 4)
    fill_acts: bool = False  # what it puts there names a field of work, ending on an action ("……建设", "……监管")


@dataclass
class Frame:
    """The frame of one house's headings (level-1 or lead phrases)."""

    clauses: list[ClauseFrame] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)  # the headings it was learnt from

    @property
    def size(self) -> int:
        return len(self.clauses)

    def describe(self) -> str:
        """"聚焦……，……" for reports and tests."""
        parts = []
        for c in self.clauses:
            tail = "……" if c.tails else ""
            parts.append(f"{c.prefix}……{c.suffix}{tail}" if (c.prefix or c.suffix) else "……")
        return "，".join(parts)

    def fits(self, heading: str) -> bool:
        """Whether a heading is written in this frame: as many clauses, each keeping the frame's fixed words
        (where the frame fixes none, any words do)."""
        parts = clauses(heading)
        if len(parts) != self.size:
            return False
        for part, c in zip(parts, self.clauses, strict=True):
            end = part
            if c.tails:
                end = next((part[: -len(t)] for t in c.tails if part.endswith(t)), part)
            if not (part.startswith(c.prefix) and end.endswith(c.suffix)):
                return False
        return True


def _common_edge(seqs: list[list[str]], *, from_end: bool, skip: int = 0) -> list[str]:
    """The longest run of whole words at one edge that at least SHARE of the sequences share (after `skip`
    words at that edge)."""
    out: list[str] = []
    depth = skip
    while True:
        picks = [s[-1 - depth] if from_end else s[depth] for s in seqs if len(s) > depth + 1]
        if not picks:
            break
        word, count = Counter(picks).most_common(1)[0]
        if count < SHARE * len(seqs) or count < 2:
            break
        out.append(word)
        depth += 1
    return list(reversed(out)) if from_end else out


def learn_frame(headings: Sequence[str], bodies: Sequence[str] = ()) -> Frame:
    """The frame shared by a house's headings. `bodies` (the text under each heading, same order) tell which
    clause names the work: the one whose words recur in its body."""
    split = [clauses(h) for h in headings if h.strip()]
    if not split:
        return Frame()
    size = Counter(len(s) for s in split).most_common(1)[0][0]
    same = [(s, bodies[i] if i < len(bodies) else "") for i, s in enumerate(split) if len(s) == size]
    frame = Frame(examples=["，".join(s) for s, _ in same])
    for pos in range(size):
        words = [[w for w, _ in tokens(s[pos])] for s, _ in same]
        prefix = _common_edge(words, from_end=False)
        suffix = _common_edge(words, from_end=True)
        tails: list[str] = []
        if not suffix:  # "基层治理有新提升 / 经济运行有新活力": 有新 fixed before a last word that varies
            suffix = _common_edge(words, from_end=True, skip=1)
            if any(w in _words("people") | _words("staff") for w in suffix):
                suffix = []  # "职工" before 凝聚力 / 综合素质 is what two headings are about, not a frame
            tails = list(dict.fromkeys(w[-1] for w in words if len(w) > len(suffix) + 1)) if suffix else []
        verbs = Counter(v for v in (opener_of(s[pos]) for s, _ in same) if v)
        openers = [] if prefix else [w for w, _ in verbs.most_common()]
        length = float(median(len(s[pos]) for s, _ in same))
        pre, suf = "".join(prefix), "".join(suffix)
        fill_min = min(len(s[pos]) - len(pre) - len(suf) - (len(w[-1]) if tails and w else 0)
                       for (s, _), w in zip(same, words, strict=True)) if pre or suf else 0
        fills = [s[pos][len(pre):] for s, _ in same] if pre else []
        acts = sum(1 for f in fills if ends_in_action(f)) >= SHARE * len(fills) if fills else False
        frame.clauses.append(ClauseFrame(pre, suf, tails, openers, length, fill_min=max(0, fill_min),
                                         fill_acts=acts))
    if size == 2:
        work = _work_position(same, frame)
        frame.clauses[0].work, frame.clauses[1].work = work == 0, work == 1
    return frame


def _predicate(fill: str) -> bool:
    """Free words that end in a predicate of their own: an adjective ("运营平稳") or an adverb and a verb
    ("稳步提升", "就地化解", "持续向好"), not a noun made of a verb ("能力建设", "内涵提升")."""
    toks = tokens(fill)
    if not toks:
        return False
    last, flag = toks[-1]
    if flag.startswith("a") and len(last) >= 2:
        return True
    before = toks[-2][1] if len(toks) >= 2 else ""
    return flag.startswith("v") and before.startswith(("d", "ad"))


def _work_position(same: list[tuple[list[str], str]], frame: Frame) -> int:
    """Which of two clauses names the work: the first, as the genre writes it (docs/GENRE.md §C.13d), unless
    its free words state an outcome more often than the second's do ("以执法办案为抓手，推动审判质效稳步提升":
    the second states the outcome, the first names the work; "维护职工权益" names a purpose without a
    predicate, and the convention decides)."""
    predicate = [0.0, 0.0]
    for s, _ in same:
        for pos in range(2):
            if _predicate(_filler(s[pos], frame.clauses[pos])):
                predicate[pos] += 1 / len(same)
    return 1 if predicate[0] - predicate[1] >= 0.3 else 0


def _filler(clause: str, frame: ClauseFrame) -> str:
    """A clause without its fixed prefix and suffix (or its opener when nothing is fixed)."""
    text = clause
    if frame.prefix and text.startswith(frame.prefix):
        text = text[len(frame.prefix):]
    elif not frame.prefix:
        text = text[len(opener_of(text)):]
    if frame.tails:
        text = next((text[: -len(t)] for t in frame.tails if text.endswith(t)), text)
    if frame.suffix and text.endswith(frame.suffix):
        text = text[: -len(frame.suffix)]
    return text


def filler(clause: str, frame: ClauseFrame) -> str:
    """Public name of `_filler`: the words a heading puts into the frame's slot."""
    return _filler(clause, frame)


def opener_of(clause: str) -> str:
    """A clause's first word when it is a verb ("守牢安全底线" → "守牢"); "" otherwise."""
    return verb_head(clause) if len(clause) > 2 else ""
