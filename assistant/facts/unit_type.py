"""What kind of unit a summary is for: "县人民医院工会" → (医院, 工会).

Retrieval prefers examples of the user's kind of unit (a school's summary learns from schools' summaries), and
the writer fits headings and formulas to it, so the unit name typed in the facts and each example's header map
onto one small vocabulary of tags (ORG_TYPES):

    学校 · 医院 · 机关 · 街道社区 · 企业 · 交通 · 工会 · 疾控 · 应急 · 金融

The first seven have house examples in knowledge/; the last three name sectors whose units must not borrow
another sector's words (a 疾病预防控制中心 is not a hospital, a 消防救援大队 not a school). A unit is read by what
it does, not by its generic suffix (中心, 站, 所, 队 …): the cue words per tag live in data/unit_types.txt with
one loader here. A unit can carry several tags: a sector tag or two (县交通运输局 is 机关 and 交通) and 工会 when
the unit is a trade union of such a unit (县第二中学工会 is 学校 and 工会). An example's header names its tags in
`org_type`, separated by 、 ("医院、工会"); an example without a header (an upload) is typed from its `unit` or its
title. A name no cue fits gets no tag, never a guess: whoever maps tags to words uses neutral wording then
("全体干部职工"), and must treat a tag it does not know the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class _Cues:
    """One tag's cues: words in the name, patterns, and phrases removed before looking (not this sector)."""

    words: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    not_this: tuple[str, ...]

    def fit(self, name: str) -> bool:
        for phrase in self.not_this:
            name = name.replace(phrase, "·")
        return any(w in name for w in self.words) or any(p.search(name) for p in self.patterns)


@cache
def _cues() -> dict[str, _Cues]:
    """data/unit_types.txt (through text/wordlists, the one loader) → tag → cues, in the file's order (the order
    of ORG_TYPES). A token "-x" is a phrase that is not this sector, "re:x" a pattern, any other a cue word."""
    from assistant.text.wordlists import word_classes

    out: dict[str, _Cues] = {}
    for tag, tokens in word_classes("assistant.facts", "unit_types.txt").items():
        words = tuple(t for t in tokens if not t.startswith(("-", "re:", "@")))
        patterns = tuple(re.compile(t[3:]) for t in tokens if t.startswith("re:"))
        not_this = tuple(sorted((t[1:] for t in tokens if t.startswith("-")), key=len, reverse=True))
        out[tag] = _Cues(words, patterns, not_this)
    return out


ORG_TYPES: tuple[str, ...] = tuple(_cues())
UNION = "工会"


@cache
def form_types() -> frozenset[str]:
    """The tags that say a unit's form, not its work (marked "@form" in data/unit_types.txt: 机关, 企业): two
    bureaus share a form, not a business, so a purpose of one ("维护公平竞争") is no kin of the other's."""
    from assistant.text.wordlists import word_classes

    return frozenset(tag for tag, tokens in word_classes("assistant.facts", "unit_types.txt").items()
                     if "@form" in tokens)

# A street office or town government is run like a bureau but writes as a community: one tag, not two, unless
# the name says it is a bureau or an office of it.
_RUN_AS_COMMUNITY = ("办事处", "政府", "党工委")
_STILL_A_BUREAU = ("局", "办公室")


def kindred(kinds: Iterable[str], others: Iterable[str]) -> bool:
    """Two units share a line of work: a tag in common beyond their form ("机关" alone makes no kin)."""
    return bool((set(kinds) & set(others)) - form_types())


def unit_type_of(unit: str | None) -> tuple[str, ...]:
    """The tags of a unit name, in ORG_TYPES order; () when the name says nothing we know.

    "县人民医院工会" → ("医院", "工会"); "和平街道办事处" → ("街道社区",);
    "星河软件科技有限公司工会" → ("企业", "工会"); "县交通运输局" → ("机关", "交通");
    "市疾病预防控制中心" → ("疾控",); "县档案馆" → ().
    """
    name = re.sub(r"\s+", "", unit or "")
    if not name:
        return ()
    found = {tag for tag, cues in _cues().items() if cues.fit(name)}
    if "街道社区" in found and any(w in name for w in _RUN_AS_COMMUNITY) \
            and not any(w in name for w in _STILL_A_BUREAU):
        found.discard("机关")
    # A health bureau (卫健委, 卫生健康局) or an education bureau is a bureau of its sector: both tags stay.
    return tuple(t for t in ORG_TYPES if t in found)


def parse_org_types(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """The known tags in a header's `org_type` ("医院、工会", "医院,工会", a list); unknown words are dropped."""
    if value is None:
        return ()
    parts = re.split(r"[、,，;；/\s]+", value) if isinstance(value, str) else [str(v) for v in value]
    found = {p.strip() for p in parts if p.strip() in ORG_TYPES}
    return tuple(t for t in ORG_TYPES if t in found)


def document_org_types(org_type: str | None, unit: str | None = None, title: str | None = None) -> tuple[str, ...]:
    """An example's tags: its header's `org_type` together with what its unit name (or title) says.

    The seed's examples say only "工会" in the header; their unit ("区交通局工会") adds the sector.
    """
    found = set(parse_org_types(org_type)) | set(unit_type_of(unit or title or ""))
    return tuple(t for t in ORG_TYPES if t in found)


def join_org_types(tags: Iterable[str]) -> str:
    """Tags as one metadata string ("医院、工会"), the form the index and the panel keep."""
    return "、".join(t for t in ORG_TYPES if t in set(tags))
