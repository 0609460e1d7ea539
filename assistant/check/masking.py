"""Examples are shown to a model for their style only: their specifics are masked into neutral slots.

A house example is full of bait (泰山区, 卢皓, 9630元, 《陕西日报》, “争创工人先锋号、当好世园东道主”). Before an
example reaches a prompt its numbers, people, places, organisations and activity titles become 〔数字〕
〔人名〕〔地名〕〔单位〕〔活动名称〕, and the guard uses the same finder (`example_specifics`) to see whether a
draft copied any of them.

The seed's examples were blanked out where they were published: "20xx年", "xx区", "“xxxx”重要思想",
"***道班", "达家。" (a number removed), "月日". Such an example is still good for its structure, but a model
shown a placeholder copies it, so masking turns every one into a neutral slot as well: 〔年份〕, 〔地名〕,
〔数字〕 by what follows it, 〔略〕 otherwise; a blank number gets its 〔数字〕 back ("达〔数字〕家。").
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
OMITTED_SLOT = "〔略〕"

# Template placeholders, as docs/GENRE.md §B.8 lists them (the guard reports the same forms in drafts).
PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])(?:20|19)[xX×ｘＸ]{2}(?![A-Za-z])"  # 20xx
    r"|(?<![A-Za-z])[xXｘＸ]{2,}(?![A-Za-z])"  # xx, XX, xxxx
    r"|[×✕]{2,}|[*＊]{2,}|[○◯〇]{2,}(?![一二三四五六七八九〇零○年])|[□■]{2,}|某某|[＿_]{2,}"
    r"|(?<![A-Za-z\d])[xXｘＸ×](?=[年月日号])"  # X月X日
    r"|[（(][ \u3000]*[)）]"  # ( ) blank
)
# A date with both numbers blanked ("于月日召开"), not 月 as a word before 日均/日常 ("开通首月日均客运量", "每月日常巡查").
BLANK_DATE = r"(?<![0-9一二三四五六七八九十〇零首每本当上下次逐按个整])月日(?![均常益夜用程报志])"
# A number blanked out, leaving its frame: 达家。 共余份 签订率达到。 合同 个 指导员余人次 。家单位 月日
BLANK_NUMBER = re.compile(
    r"(?<=[达共计])(?:到)?(?=[家人名个次场项户元][，,。；;、])"
    r"|(?:率|比例|比重)(?:达到|达|为)(?=[。，,；;])"
    r"|(?<=[\u4e00-\u9fff])[ \u3000]+(?=(?:人次|个|家|名|人|场|次|项|户|元)[\u4e00-\u9fff，。,；])"
    r"|(?<=[\u4e00-\u9fff])(?<![其多剩业空富结盈残有之一二三四五六七八九十百千万两零〇几数])(?=余(?:人次|名|户|家|场|份|个|项))"
    r"|(?<=[。；，、\n])(?=家单位)"
    rf"|{BLANK_DATE}"
)
# Markdown bold is formatting, not a *** placeholder; a third star next to it ("***国道、省道**线") is not bold.
_BOLD = re.compile(r"(?<!\*)\*\*([^*\n，。；;,]{1,30})\*\*(?!\*)")
_MEASURE_AFTER = "届大次元人名家个户项条份件场期批年月日号万千百亿%"
_PLACE_AFTER = "区市县省镇乡村州旗"


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
    spans.extend(_placeholder_spans(text))
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


def _placeholder_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for every template placeholder and blanked-out number."""
    unbolded = _BOLD.sub(lambda m: "\u200b\u200b" + m.group(1) + "\u200b\u200b", text)  # same length
    spans: list[tuple[int, int, str]] = []
    for m in PLACEHOLDER.finditer(unbolded):
        spans.append((m.start(), m.end(), _placeholder_slot(m.group(0), text[m.end():m.end() + 2])))
    for m in BLANK_NUMBER.finditer(unbolded):
        found = m.group(0)
        if found == "月日":
            slot = DATE_SLOT
        elif not found.strip():
            slot = NUMBER_SLOT  # a zero-width gap or the spaces left where the number was
        else:
            slot = found + NUMBER_SLOT  # 达到 / 率达到 stay, the number comes back as a slot
        spans.append((m.start(), m.end(), slot))
    return spans


def _placeholder_slot(run: str, after: str) -> str:
    """The neutral slot a placeholder stands for, judged by the character after it."""
    if run[:2] in ("20", "19") or after.startswith("年"):
        return YEAR_SLOT
    if after[:1] and after[0] in _PLACE_AFTER or after.startswith("街道"):
        return PLACE_SLOT
    if after[:1] and after[0] in _MEASURE_AFTER:
        return NUMBER_SLOT
    return OMITTED_SLOT


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
