"""Examples are shown to a model for their style only: their specifics are masked into neutral slots.

A house example is full of bait (泰山区, 卢皓, 9630元, 《陕西日报》, “争创工人先锋号、当好世园东道主”). Before an
example reaches a prompt its numbers, people, places, organisations and activity titles become 〔数字〕
〔人名〕〔地名〕〔单位〕〔活动名称〕, and the guard uses the same finder (`example_specifics`) to see whether a
draft copied any of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.text.names import find_names
from assistant.text.numbers import find_quantities, fold_width

NUMBER_SLOT = "〔数字〕"
YEAR_SLOT = "〔年份〕"
DATE_SLOT = "〔日期〕"
PERSON_SLOT = "〔人名〕"
PLACE_SLOT = "〔地名〕"
ORG_SLOT = "〔单位〕"
TITLE_SLOT = "〔活动名称〕"
DOC_SLOT = "〔文件名称〕"


@dataclass
class Masked:
    """An example with its specifics replaced; `replaced` maps each slot back to what it hid."""

    original: str
    masked: str
    replaced: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return self.masked


_SLOTS = {"person": PERSON_SLOT, "place": PLACE_SLOT, "org": ORG_SLOT, "title": DOC_SLOT, "event": TITLE_SLOT}


def mask_example(text: str) -> Masked:
    """The example with numbers, people, places, organisations and titles replaced by neutral slots.

    Measure words stay (〔数字〕人次) so the model still sees how the house states a figure.
    """
    text = text or ""
    spans: list[tuple[int, int, str]] = []
    for q in find_quantities(text):
        if q.kind == "one":
            continue
        if q.kind == "year":
            spans.append((q.start, q.end, YEAR_SLOT + "年"))
        elif q.kind == "date":
            spans.append((q.start, q.end, DATE_SLOT))
        else:
            spans.append((q.start, q.end, NUMBER_SLOT + _unit_tail(q.raw)))
    for n in find_names(text):
        if n.kind == "event" and text[n.start - 1:n.start] in "“\"「『":
            spans.append((n.start, n.end, TITLE_SLOT))
        else:
            spans.append((n.start, n.end, _SLOTS[n.kind]))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[str] = []
    replaced: list[tuple[str, str]] = []
    pos = 0
    for start, end, slot in spans:
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(slot)
        replaced.append((text[start:end], slot))
        pos = end
    out.append(text[pos:])
    return Masked(original=text, masked="".join(out), replaced=replaced)


def _unit_tail(raw: str) -> str:
    """The measure word at the end of a raw quantity: '1,200余人次' → '人次', '11.6万元' → '元'."""
    m = re.search(r"(?:[\d,.\u3007零一二两三四五六七八九十百千万亿点]+)(?:余|多)?(.*)$", fold_width(raw))
    tail = m.group(1) if m else ""
    return tail.lstrip("万亿千")


@lru_cache(maxsize=256)
def quoted_specifics(text: str) -> frozenset[str]:
    """The example's quoted activity names: they count as copied only when a draft quotes them too."""
    return frozenset(n.text for n in find_names(text or "") if n.kind == "event" and _quoted_at(text, n.start))


def _quoted_at(text: str, pos: int) -> bool:
    return pos > 0 and text[pos - 1] in "“\"「『"


@lru_cache(maxsize=256)
def _specifics_cached(text: str) -> frozenset[str]:
    found: set[str] = set()
    for q in find_quantities(text):
        if q.kind in ("count", "percent", "fraction") and (q.value >= 10 or "." in q.raw or q.unit in ("%", "元")) \
                and (q.unit or not 1900 <= q.value <= 2100):
            found.add(q.raw)
    for n in find_names(text):
        found.add(n.text)
    return frozenset(found)


def example_specifics(text: str) -> set[str]:
    """The specific strings of an example a draft must not copy: numbers with units, names, 《titles》.

    Small counts (< 10) are left out: 三个, 两次 occur everywhere and say nothing about the example.
    """
    return set(_specifics_cached(text or ""))
