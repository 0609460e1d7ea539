"""The style report: how a draft matches the house style of the examples it learnt from.

Beside the fact check, a user wants to know whether the draft *reads* like their house's summaries. One
opaque score would not tell them what to change, so the report is a short list of concrete remarks, each
quoting the example pattern it compares with:

* heading form — level-1 results headings: two clauses in 对仗 ("加强组织建设，夯实工作基础"), their length,
  and how deep the numbering goes (一、 only, or 一、 → （一） → 1.);
* enumeration — "一是……二是……" runs where the examples use them, without gaps, and not in every paragraph
  when the examples keep them for a few;
* the opening formula ("现将……总结如下：") and the closing formula ("作出新的更大贡献") of a whole summary;
* sentence length against the examples' distribution;
* the share of formula sentences (padding, docs/GENRE.md §C.11: a stock phrase with no number and no name) in the
  body of the summary (the opening and closing paragraphs are formulas by design).

A house habit counts only when most examples show it (HABIT_SHARE), so a remark never rests on one example.
Nothing here imports a model; examples are measured once per set of texts (cached).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from assistant.text.headings import parse_numbered
from assistant.text.names import find_names
from assistant.text.numbers import squash, states_count
from assistant.text.sentences import split_sentences

HABIT_SHARE = 0.5  # a habit of the house: at least this share of the examples that could show it do
MIN_SENTENCES = 4  # sentence statistics need a few sentences of the draft
MAX_REMARKS_PER_ASPECT = 3
PADDING_MARGIN = 0.10  # the draft's formula share may exceed the examples' usual maximum by this much

# Level-1 headings of the 问题/计划/结尾 parts ("四、存在的问题", "五、2025年工作打算") are section labels, not
# results headings written in the house pattern: they are left out of the heading statistics.
_SECTION_HEADING = re.compile(r"问题|不足|差距|困难|短板|打算|计划|思路|安排|下一步|明年|来年|新的一年|结束语|结语|展望")
_CLAUSE_SPLIT = re.compile(r"[，,；;]")
_ENUM_ITEM = re.compile(r"([一二三四五六七八九十])是")
_CN_DIGITS = "一二三四五六七八九十"
OPENING = re.compile(r"现将[^。！？\n]{0,24}?(?:总结|汇报|报告)如下[：:]?")
CLOSING = re.compile(r"(?:作出|做出)[^。！？\n]{0,12}贡献|再创佳绩|再创辉煌|再上新台阶|新篇章|而(?:努力|不懈)?奋斗|新的成绩|"
                     r"^(?:总之|总而言之|综上所述)")
# Stock phrases (docs/GENRE.md §C.11). A sentence holding one and no number or name says nothing a reader can check.
PADDING_PHRASES: tuple[str, ...] = (
    "高度重视", "扎实推进", "扎实开展", "扎实做好", "稳步推进", "有序推进", "深入推进", "取得明显成效", "取得了明显成效",
    "取得显著成效", "取得了显著成效", "取得积极成效", "取得了积极成效", "取得了较好的成绩", "取得较好成绩", "取得新进展",
    "取得了新进展", "取得了新的进展", "取得新成效", "取得了新成效", "取得了可喜成绩", "各项工作", "中心工作",
    "正确领导", "坚强领导", "大力支持", "紧紧围绕", "充分发挥", "认真履行", "认真贯彻", "切实加强", "不断提高",
    "不断增强", "进一步提高", "进一步增强", "明显提高", "明显提升", "显著提升", "全面提升", "得到提升", "有效推动",
    "良好氛围", "浓厚氛围", "凝心聚力", "真抓实干", "奋发有为", "实干争先", "担当作为", "发扬成绩", "正视不足",
    "新的更大贡献", "更大贡献", "新的贡献", "应有的贡献", "再创佳绩", "高质量发展", "桥梁纽带", "主力军作用",
    "更加饱满", "更加务实", "更加有力", "稳中有进", "有力支撑", "有力保障",
)


@dataclass(frozen=True)
class StyleRemark:
    """One concrete difference from the house style; `example` is the house pattern it compares with."""

    aspect: str  # heading_form | heading_length | numbering_depth | enumeration | opening | closing |
    #              sentence_length | padding
    message: str  # Chinese, quotes the example pattern and the draft's words
    example: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class StyleReport:
    """The remarks, and the measures behind them (house vs draft) for anyone who wants the numbers."""

    remarks: list[StyleRemark] = field(default_factory=list)
    house: dict[str, Any] = field(default_factory=dict)
    draft: dict[str, Any] = field(default_factory=dict)

    @property
    def aspects(self) -> set[str]:
        return {r.aspect for r in self.remarks}

    def messages(self) -> list[str]:
        return [r.message for r in self.remarks]

    def to_json(self) -> dict[str, Any]:
        return {"remarks": [r.to_json() for r in self.remarks], "house": self.house, "draft": self.draft}


# ---- the shape of one text ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Heading:
    level: int
    title: str


@dataclass
class _Shape:
    """What the style statistics read from one text (an example or the draft)."""

    headings: list[_Heading]
    body: list[str]  # paragraphs that are not heading-only lines (a run-in heading's own words removed)
    sentences: list[str]
    first_is_body: bool  # the text starts with a paragraph, not a heading
    first: str
    last: str

    @property
    def results_headings(self) -> list[str]:
        return [h.title for h in self.headings if h.level == 1 and not _SECTION_HEADING.search(h.title)]

    @property
    def depth(self) -> int:
        return max((h.level for h in self.headings), default=0)

    @property
    def has_level_one(self) -> bool:
        return any(h.level == 1 for h in self.headings)

    @property
    def whole(self) -> bool:
        """A whole summary: an opening paragraph before numbered level-1 sections."""
        return self.first_is_body and self.has_level_one and len(self.body) >= 3

    @property
    def core_sentences(self) -> list[str]:
        """Sentences outside the opening paragraph and a closing pledge: their formulas are the genre's own
        (the opening and closing remarks judge them), padding is judged where the work is reported."""
        paras = list(self.body)
        if self.first_is_body and paras:
            paras = paras[1:]
        if paras and CLOSING.search(paras[-1]):
            paras = paras[:-1]
        return [s.strip() for p in paras for s in split_sentences(p, semicolon=False) if len(squash(s, punctuation=False)) >= 4]

    @property
    def run_paragraphs(self) -> list[str]:
        return [p for p in self.body if _has_run(p)]


_TITLE_MAX_CHARS = 40
_SIGNATURE_MAX_CHARS = 25
_END_PUNCT = ("。", "！", "？", "：", ":", "；", "，")


def _paragraphs(text: str) -> list[str]:
    """Non-empty lines without markdown marks, a title line ("……工作总结") or a signature block (unit, date)."""
    lines = (re.sub(r"^#+\s*|\*\*", "", line).strip() for line in (text or "").splitlines())
    paras = [line for line in lines if line]
    if paras and len(paras[0]) <= _TITLE_MAX_CHARS and not paras[0].endswith(_END_PUNCT) \
            and re.search(r"总结|报告", paras[0]) and parse_numbered(paras[0]) is None:
        paras = paras[1:]
    while len(paras) > 1 and len(paras[-1]) <= _SIGNATURE_MAX_CHARS and not paras[-1].endswith(_END_PUNCT) \
            and parse_numbered(paras[-1]) is None:
        paras = paras[:-1]
    return paras


def _shape(text: str) -> _Shape:
    headings: list[_Heading] = []
    body: list[str] = []
    paras = _paragraphs(text)
    first_is_body = False
    for i, p in enumerate(paras):
        n = parse_numbered(p)
        if n is None or not n.title:
            body.append(p)
            first_is_body = first_is_body or i == 0
            continue
        headings.append(_Heading(n.level, n.title))
        if n.rest:
            body.append(n.rest)
        elif p.rstrip().endswith(("。", "！", "？")) and len(n.title) > 30:
            body.append(n.title)  # a numbered sentence, not a title ("1.召开……会议。")
    sentences = [s.strip() for p in body for s in split_sentences(p, semicolon=False) if len(squash(s, punctuation=False)) >= 4]
    return _Shape(headings, body, sentences, first_is_body, body[0] if body else "", body[-1] if body else "")


def _clauses(title: str) -> int:
    return sum(1 for part in _CLAUSE_SPLIT.split(title) if part.strip())


def _has_run(paragraph: str) -> bool:
    return "一是" in paragraph and "二是" in paragraph


def _run_gap(paragraph: str) -> str | None:
    """The first missing item of an 一是/二是 run ("二是" when 一是 is followed by 三是), or None."""
    seen = [_CN_DIGITS.index(m.group(1)) + 1 for m in _ENUM_ITEM.finditer(paragraph)]
    if not seen or seen[0] != 1:
        return None
    expected = 1
    for value in seen:
        if value == expected:
            expected += 1
        elif value > expected:
            return f"{_CN_DIGITS[expected - 1]}是"
    return None


def _is_padding(sentence: str) -> bool:
    if not any(p in sentence for p in PADDING_PHRASES):
        return False
    if states_count(sentence):
        return False
    return not find_names(sentence)


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    pos = (len(ordered) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _closest(items: Sequence[str], target: float, key=len) -> str:  # noqa: ANN001 - a length function
    """The first item whose key is closest to `target` (deterministic quoting)."""
    return min(items, key=lambda s: (abs(key(s) - target), items.index(s))) if items else ""


def _short(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "……"


# ---- the house profile ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _House:
    """The examples' habits, each with a pattern to quote."""

    n: int
    two_clause_share: float
    two_clause_example: str
    heading_len: tuple[float, float, float]  # p10, median, p90 of level-1 results heading lengths
    heading_len_example: str
    structured: int  # examples with numbered level-1 headings
    level_two_share: float  # of those, the share that goes down to （一）
    level_two_example: str
    max_depth: int
    run_share: float  # examples using 一是/二是 runs
    run_example: str
    run_para_share_p90: float  # per example, the share of body paragraphs holding a run (p90 over examples)
    run_para_share_median: float
    opening_share: float
    opening_example: str
    closing_share: float
    closing_example: str
    sentence_len: tuple[float, float, float]  # p25, median, p75
    sentence_example: str
    padding_median: float
    padding_p90: float
    padding_example: str

    def measures(self) -> dict[str, Any]:
        return {
            "examples": self.n,
            "two_clause_heading_share": round(self.two_clause_share, 2),
            "heading_length_p10_median_p90": [round(x, 1) for x in self.heading_len],
            "level_two_share": round(self.level_two_share, 2),
            "max_depth": self.max_depth,
            "enumeration_share": round(self.run_share, 2),
            "enumeration_paragraph_share_median_p90": [round(self.run_para_share_median, 2),
                                                       round(self.run_para_share_p90, 2)],
            "opening_formula_share": round(self.opening_share, 2),
            "closing_formula_share": round(self.closing_share, 2),
            "sentence_length_p25_median_p75": [round(x, 1) for x in self.sentence_len],
            "padding_share_median_p90": [round(self.padding_median, 2), round(self.padding_p90, 2)],
        }


@lru_cache(maxsize=8)
def _house(examples: tuple[str, ...]) -> _House:
    shapes = [_shape(e) for e in examples]
    headings = [t for s in shapes for t in s.results_headings]
    two = [t for t in headings if _clauses(t) == 2]
    quotable = [t for t in two if "，" in t] or two  # full-width commas, as a draft should write them
    lengths = [len(squash(t, punctuation=False)) for t in headings]
    structured = [s for s in shapes if s.has_level_one]
    deep = [s for s in structured if s.depth >= 2]
    level_two = [h.title for s in deep for h in s.headings if h.level == 2 and not _SECTION_HEADING.search(h.title)]
    runs = [s for s in shapes if s.run_paragraphs]
    run_shares = [len(s.run_paragraphs) / len(s.body) for s in shapes if s.body]
    run_starts = [p[p.index("一是"):] for s in runs for p in s.run_paragraphs]
    whole = [s for s in shapes if s.whole]
    openings = [m.group(0) for s in whole for m in [OPENING.search(s.first)] if m]
    closings = [s.last for s in whole if CLOSING.search(s.last)]
    sentence_lengths = [len(squash(x, punctuation=False)) for s in shapes for x in s.sentences]
    sentences = [x for s in shapes for x in s.sentences]
    padding_shares = [sum(map(_is_padding, s.core_sentences)) / len(s.core_sentences)
                      for s in shapes if s.core_sentences]
    padding = [x for s in shapes for x in s.core_sentences if _is_padding(x)]
    median_len = statistics.median(sentence_lengths) if sentence_lengths else 0.0
    median_heading = statistics.median(lengths) if lengths else 0.0
    return _House(
        n=len(examples),
        two_clause_share=len(two) / len(headings) if headings else 0.0,
        two_clause_example=_closest(quotable, statistics.median(map(len, two))) if two else "",
        heading_len=(_quantile(lengths, 0.1), median_heading, _quantile(lengths, 0.9)),
        heading_len_example=_closest(quotable or headings, median_heading) if headings else "",
        structured=len(structured),
        level_two_share=len(deep) / len(structured) if structured else 0.0,
        level_two_example=_closest(level_two, statistics.median(map(len, level_two))) if level_two else "",
        max_depth=max((s.depth for s in structured), default=0),
        run_share=len(runs) / len(shapes) if shapes else 0.0,
        run_example=_closest(run_starts, 40) if run_starts else "",
        run_para_share_p90=_quantile(run_shares, 0.9),
        run_para_share_median=statistics.median(run_shares) if run_shares else 0.0,
        opening_share=len(openings) / len(whole) if whole else 0.0,
        opening_example=_most_common(openings),
        closing_share=len(closings) / len(whole) if whole else 0.0,
        closing_example=_closest(closings, 0) if closings else "",
        sentence_len=(_quantile(sentence_lengths, 0.25), median_len, _quantile(sentence_lengths, 0.75)),
        sentence_example=_closest(sentences, median_len, key=lambda s: len(squash(s, punctuation=False))) if sentences else "",
        padding_median=statistics.median(padding_shares) if padding_shares else 0.0,
        padding_p90=_quantile(padding_shares, 0.9),
        padding_example=_closest(padding, 30) if padding else "",
    )


def _most_common(items: Sequence[str]) -> str:
    return max(items, key=lambda s: (items.count(s), -items.index(s))) if items else ""


# ---- the report -----------------------------------------------------------------------------------

def style_report(text: str, examples: Sequence[str]) -> StyleReport:
    """Remarks on how `text` departs from the house style of `examples` (none when it follows it)."""
    text = text if isinstance(text, str) else str(text or "")
    usable = tuple(e for e in (examples or []) if isinstance(e, str) and e.strip())
    if not usable or not text.strip():
        return StyleReport()
    house = _house(usable)
    draft = _shape(text)
    remarks: list[StyleRemark] = []
    remarks += _heading_remarks(house, draft)
    remarks += _enumeration_remarks(house, draft)
    remarks += _formula_remarks(house, draft)
    remarks += _sentence_remarks(house, draft)
    remarks += _padding_remarks(house, draft)
    return StyleReport(remarks=remarks, house=house.measures(), draft=_draft_measures(draft))


def _draft_measures(d: _Shape) -> dict[str, Any]:
    lengths = [len(squash(s, punctuation=False)) for s in d.sentences]
    return {
        "results_headings": d.results_headings,
        "depth": d.depth,
        "enumeration_paragraphs": len(d.run_paragraphs),
        "paragraphs": len(d.body),
        "sentences": len(d.sentences),
        "sentence_length_median": statistics.median(lengths) if lengths else 0,
        "padding_sentences": sum(map(_is_padding, d.core_sentences)),
        "whole_summary": d.whole,
    }


def _heading_remarks(h: _House, d: _Shape) -> list[StyleRemark]:
    out: list[StyleRemark] = []
    titles = d.results_headings
    if h.two_clause_share >= HABIT_SHARE and h.two_clause_example:
        for t in [t for t in titles if _clauses(t) != 2][:MAX_REMARKS_PER_ASPECT]:
            n = _clauses(t)
            count = "只有一个分句" if n == 1 else f"有{n}个分句"
            out.append(StyleRemark(
                "heading_form",
                f"范文的一级标题多为两个分句的对仗式（如“{h.two_clause_example}”），本稿的“{t}”{count}。",
                h.two_clause_example))
    lo, _, hi = h.heading_len
    if h.heading_len_example and hi > 0:
        for t in titles[:]:
            size = len(squash(t, punctuation=False))
            if size > hi + 2 or size < lo - 2:
                way = "偏长" if size > hi else "偏短"
                out.append(StyleRemark(
                    "heading_length",
                    f"范文的一级标题一般{lo:.0f}–{hi:.0f}字（如“{h.heading_len_example}”），本稿的“{t}”有{size}字，{way}。",
                    h.heading_len_example))
                if sum(r.aspect == "heading_length" for r in out) >= MAX_REMARKS_PER_ASPECT:
                    break
    level_one = sum(1 for x in d.headings if x.level == 1)
    if h.structured and h.level_two_share >= HABIT_SHARE and h.level_two_example and level_one >= 2 and d.depth == 1:
        example = f"（一）{h.level_two_example}"
        out.append(StyleRemark(
            "numbering_depth",
            f"范文多在一级标题下再分“（一）（二）”二级标题（如“{example}”），本稿只有一级标题。",
            example))
    if h.max_depth and d.depth > h.max_depth:
        marker = {2: "（一）", 3: "1.", 4: "（1）"}.get(h.max_depth, "一、")
        out.append(StyleRemark(
            "numbering_depth",
            f"范文的编号最多到第{h.max_depth}级（“{marker}”），本稿用到了第{d.depth}级。",
            marker))
    return out


def _enumeration_remarks(h: _House, d: _Shape) -> list[StyleRemark]:
    out: list[StyleRemark] = []
    for p in d.body:
        gap = _run_gap(p)
        if gap:
            out.append(StyleRemark(
                "enumeration",
                f"“一是、二是”要依次列举，不能跳号（如范文“{_short(h.run_example or '一是……二是……')}”），"
                f"本稿“{_short(p, 24)}”缺了“{gap}”。",
                h.run_example))
    if not h.run_example:
        return out
    runs = d.run_paragraphs
    share = len(runs) / len(d.body) if d.body else 0.0
    if h.run_share >= HABIT_SHARE and not runs and d.whole:
        out.append(StyleRemark(
            "enumeration",
            f"范文常在段内用“一是……二是……”列举（如“{_short(h.run_example)}”），本稿没有这样的列举。",
            h.run_example))
    elif len(runs) >= 3 and share > max(h.run_para_share_p90, HABIT_SHARE):
        out.append(StyleRemark(
            "enumeration",
            f"范文只在少数段落用“一是……二是……”列举（一般不超过{h.run_para_share_p90:.0%}的段落，"
            f"如“{_short(h.run_example)}”），本稿{share:.0%}的段落（{len(runs)}段）都这样写。",
            h.run_example))
    return out


def _formula_remarks(h: _House, d: _Shape) -> list[StyleRemark]:
    out: list[StyleRemark] = []
    if not d.whole:
        return out
    if h.opening_share >= HABIT_SHARE and h.opening_example and not OPENING.search(d.first):
        out.append(StyleRemark(
            "opening",
            f"范文的开头段以“{h.opening_example}”收束，本稿的开头段没有这句过渡语。",
            h.opening_example))
    if h.closing_share >= HABIT_SHARE and h.closing_example and not CLOSING.search(d.last):
        out.append(StyleRemark(
            "closing",
            f"范文以表态句结尾（如“{_short(h.closing_example, 60)}”），本稿最后一段“{_short(d.last, 24)}”不是结束语。",
            h.closing_example))
    return out


def _sentence_remarks(h: _House, d: _Shape) -> list[StyleRemark]:
    if len(d.sentences) < MIN_SENTENCES or not h.sentence_example:
        return []
    lengths = [len(squash(s, punctuation=False)) for s in d.sentences]
    median = statistics.median(lengths)
    p25, house_median, p75 = h.sentence_len
    if p25 <= median <= p75:
        return []
    way = "偏短" if median < p25 else "偏长"
    quoted = _closest(d.sentences, median, key=lambda s: len(squash(s, punctuation=False)))
    return [StyleRemark(
        "sentence_length",
        f"范文句子的中位长度约{house_median:.0f}字（一半在{p25:.0f}–{p75:.0f}字之间，如“{_short(h.sentence_example, 60)}”），"
        f"本稿中位{median:.0f}字，{way}（如“{_short(quoted, 40)}”）。",
        h.sentence_example)]


def _padding_remarks(h: _House, d: _Shape) -> list[StyleRemark]:
    core = d.core_sentences
    if len(core) < MIN_SENTENCES or not h.padding_example:
        return []
    padding = [s for s in core if _is_padding(s)]
    share = len(padding) / len(core)
    if len(padding) < 2 or share <= h.padding_p90 + PADDING_MARGIN:
        return []
    return [StyleRemark(
        "padding",
        f"本稿{share:.0%}的句子是不含数字和名称的套话（如“{_short(padding[0], 40)}”），"
        f"范文一般约{h.padding_median:.0%}、最多约{h.padding_p90:.0%}（如“{_short(h.padding_example, 40)}”）。",
        h.padding_example)]
