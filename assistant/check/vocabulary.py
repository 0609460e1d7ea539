"""The genre's own words, kept as data files beside this module so they are reviewed like prompts.

`formula_words()` are the words a 工作总结 uses to connect, evaluate and refer in general ("提升", "凝聚力",
"干部职工"): a sentence whose content words are all formula words or the user's own says nothing specific.
`general_words()` are the wider vocabulary of official prose ("履行", "职能", "民主"): they may elaborate a
sentence that states a fact but do not carry a claim on their own. `dated_formulas()` are the 过时提法 a present-day draft must not carry (docs/GENRE.md §C.13c).
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from assistant.facts.unit_type import unit_type_of


def _lines(name: str) -> list[str]:
    text = (files("assistant.check") / "data" / name).read_text(encoding="utf-8")
    out: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


@cache
def formula_words() -> frozenset[str]:
    """Every formula word (the file holds several per line, separated by blanks)."""
    return frozenset(w for line in _lines("formula_words.txt") for w in line.split())


@cache
def general_words() -> frozenset[str]:
    """Words every official text uses (derived from government work reports; scripts/derive_general_words.py)."""
    return frozenset(w for line in _lines("general_words.txt") for w in line.split()) - formula_words() \
        - activity_words()


@cache
def activity_words() -> frozenset[str]:
    """Words that make a claim whatever their part of speech: activities, events, things given, partners."""
    return frozenset(w for line in _lines("activity_words.txt") for w in line.split())


@cache
def synonyms() -> dict[str, frozenset[str]]:
    """Each activity word's near-synonyms (its group in synonyms.txt, without itself)."""
    out: dict[str, frozenset[str]] = {}
    for line in _lines("synonyms.txt"):
        group = frozenset(line.split())
        for word in group:
            out[word] = out.get(word, frozenset()) | (group - {word})
    return out


@cache
def domain_words() -> dict[str, frozenset[str]]:
    """Everyday words of each kind of unit ("[学校]" → 教育教学, 教职工 …); "通用" holds for every unit."""
    out: dict[str, set[str]] = {}
    kind = "通用"
    for line in _lines("domain_words.txt"):
        m = re.fullmatch(r"\[(.+)\]", line)
        if m:
            kind = m.group(1)
            continue
        out.setdefault(kind, set()).update(line.split())
    return {k: frozenset(v) for k, v in out.items()}


def other_kinds_words(unit: str, everyday: bool = False) -> frozenset[str]:
    """The everyday words of the kinds of unit this one is not ("基层治理" is a community's, not a library's):
    a heading or a borrowed formula may not use them unless the facts do. Words all official prose uses
    (general_words) or the whole genre (house_words) belong to no kind ("民生") — except with `everyday`, for an
    opening or closing borrowed whole from another kind of unit ("办好人民满意的教育")."""
    mine = set(unit_type_of(unit)) | {"通用"}
    words = set()
    for kind, kind_words in domain_words().items():
        if kind not in mine:
            words |= kind_words
    for kind in mine:
        words -= domain_words().get(kind, frozenset())
    return frozenset(words) if everyday else frozenset(words) - general_words() - house_words()


def unit_vocabulary(unit: str) -> frozenset[str]:
    """Formula words, the house's words and the everyday words of this unit's kinds."""
    domains = domain_words()
    words = set(formula_words()) | house_words() | domains.get("通用", frozenset())
    for kind in unit_type_of(unit):
        words |= domains.get(kind, frozenset())
    return frozenset(words)


@cache
def house_words() -> frozenset[str]:
    """The genre's formula vocabulary learnt from the house examples (scripts/derive_house_words.py): words that
    several examples of different kinds of unit use. A heading or a model's addition may use them."""
    return frozenset(w for line in _lines("house_words.txt") for w in line.split())


@cache
def collocations() -> dict[str, dict[str, int]]:
    """verb → {object word: count}: which verbs official prose puts before which objects
    (scripts/derive_collocations.py)."""
    out: dict[str, dict[str, int]] = {}
    for line in _lines("collocations.txt"):
        parts = line.split()
        if len(parts) == 3 and parts[2].isdigit():
            out.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return out


def _sections(name: str) -> dict[str, frozenset[str]]:
    """A word file in "[kind]" sections → kind → words."""
    out: dict[str, set[str]] = {}
    kind = ""
    for line in _lines(name):
        m = re.fullmatch(r"\[(.+)\]", line)
        if m:
            kind = m.group(1)
            continue
        out.setdefault(kind, set()).update(line.split())
    return {k: frozenset(v) for k, v in out.items()}


@cache
def heading_words() -> dict[str, frozenset[str]]:
    """The genre's heading words by kind (check/data/heading_words.txt): resultative, up, down, fell, rose,
    dangling, catch_all, people, metric, background, phrase_prepositions, structure, size_nouns, lead."""
    return _sections("heading_words.txt")


@cache
def detail_words() -> dict[str, frozenset[str]]:
    """How the genre tells 做法, 成效, 对比 and 范围 (check/data/detail_words.txt): what the interview asks for."""
    return _sections("detail_words.txt")


@cache
def dated_formulas() -> tuple[re.Pattern[str], ...]:
    """One pattern per dated formula; plain lines match literally, "re:" lines as regular expressions."""
    return tuple(re.compile(line[3:] if line.startswith("re:") else re.escape(line))
                 for line in _lines("dated_formulas.txt"))
