"""Quantities in Chinese official prose, normalised so that differently written equal numbers compare equal.

The guard must accept 11.6万元 = 116000元, 四场 = 4场, 三百四十人次 = 340人次, 1,200 = 1200,
百分之九十五 = 95%, and must not mistake heading ordinals (一、 （二） 1. （3）), 一是/二是, 第N次,
set phrases (四个意识, 两学一做, 十分重视) or the report year for claims. Every quantity keeps its raw
text and span so the UI can highlight it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

# Full-width digits and marks → ASCII, one character to one character so spans stay valid.
_WIDTH = str.maketrans("０１２３４５６７８９．％＋－", "0123456789.%+-")

_CN_DIGIT = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN_CHARS = "零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"

# Measure words, longest first so 人次 wins over 人 and 个百分点 over 个.
UNITS: tuple[str, ...] = tuple(sorted({
    "个百分点", "百分点", "平方公里", "平方米", "立方米", "公里", "千米", "千克", "公斤", "公顷", "小时", "分钟", "人次", "户次", "场次", "台次", "例次",
    "车次", "架次", "班次", "篇次", "件次", "批次", "课时", "学时", "个月", "周年", "星期", "万元", "亿元", "床位", "余人", "人", "名", "位",
    "个", "场", "次", "项", "元", "户", "家", "篇", "期", "天", "年", "岁", "册", "本", "件", "条", "所", "座", "支", "队", "批",
    "届", "份", "套", "台", "辆", "亩", "吨", "米", "门", "节", "张", "幅", "首", "部", "块", "处", "栋", "间", "床", "例", "组",
    "对", "类", "种", "棵", "株", "头", "只", "周", "日", "号", "分", "成", "倍", "卷", "幢", "片", "段", "班", "级", "章", "封",
    "枚", "盒", "箱", "袋", "包", "单", "起", "宗", "轮", "季", "度", "名次", "字", "页", "千瓦", "千瓦时", "美元", "欧元", "港元",
    "平方千米", "度电", "升", "斤", "层", "站",
}, key=len, reverse=True))
_UNIT_RE = "|".join(re.escape(u) for u in UNITS if u not in ("万元", "亿元", "余人"))

# Units that name the same kind of thing; 8人 is supported by 8名 but not by 8个.
_UNIT_CLASS = {"名": "人", "位": "人", "人": "人", "场次": "场", "场": "场", "次": "场", "天": "天", "日": "天",
               "千米": "公里", "千克": "公斤", "百分点": "个百分点"}

# Set phrases whose numerals are not claims. Checked as substrings around a candidate.
SET_PHRASES: tuple[str, ...] = (
    "四个意识", "四个自信", "两个维护", "两个确立", "两个务必", "三会一课", "一岗双责", "两学一做", "三严三实", "四风", "十四五", "十五五", "十三五", "二十大",
    "十九大", "十八大", "二十届", "十九届", "一线", "一流", "一体", "一把手", "一盘棋", "一站式", "一对一", "一帮一", "千方百计", "千家万户", "万家灯火",
    "百年", "千里", "万里", "三番五次", "五湖四海", "四面八方", "一心一意", "十分", "万分", "百分百", "百倍", "千百", "两委", "三公", "一事一议", "一人一档",
    "一户一策", "一企一策", "一校一", "一院一", "一村一", "四好", "六好", "五好", "三个一", "三个代表", "八项规定", "双一流", "一带一路", "一以贯之", "两手抓",
    "两手都要硬", "一票否决", "一次性", "三甲", "二甲", "三乙", "十佳", "百佳", "三好", "五星", "四星", "三星", "五讲四美", "五个一", "一年来", "一年以来",
    "多年来", "一季度", "二季度", "三季度", "四季度", "上半年", "下半年", "半年", "一半", "一致", "一起", "一道", "一同", "一并", "一定", "一直", "一切",
    "一些", "一系列", "一批批", "一次次", "一项项", "一个个", "万众一心", "九牛一毛", "三令五申", "七上八下", "一丝不苟", "一视同仁", "一如既往", "一往无前",
    "独一无二", "百姓", "百花", "十全十美", "千篇一律", "一目了然", "一手抓", "第一时间", "第一责任人", "一线职工", "一把", "十一五", "十二五", "一国两制",
    "两新", "三农", "两个一百年", "四个全面", "五位一体", "四个伟大", "一方面", "两方面", "三方面", "一刀切", "一张网", "一张图", "一件事", "一窗", "一网",
    "一号",
)

# Approximation words that leave the value as written: 300余人 = 300多人 = 近300人 = 300人.
_APPROX_AFTER = "余多"

_ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_NUM = rf"[{_CN_CHARS}]+(?:点[零〇一二三四五六七八九]+[万亿]?)?"
_MULT = r"(?:万亿|[万亿]|千(?![瓦米克]))"
# A year as prose writes it, without its 年: 2024 or 二〇二四. The one pattern of a year; parse_year reads a match.
CN_YEAR = r"[一二][〇零○九][〇零○一二三四五六七八九]{2}"
YEAR = rf"(?:(?:19|20)\d{{2}}|{CN_YEAR})"
_YEAR_CN = CN_YEAR + "年"

_QTY = re.compile(
    rf"(?P<pct_cn>百分之(?P<pct_num>{_ARABIC}|{_CN_NUM}))"
    rf"|(?P<frac>(?P<den>[{_CN_CHARS}]+)分之(?P<nom>[{_CN_CHARS}]+))"
    rf"|(?P<ycn>{_YEAR_CN})"
    rf"|(?P<date>(?P<dm>\d{{1,2}})月(?:份)?(?:(?P<dd>\d{{1,2}})[日号])?)"
    rf"|(?P<num>{_ARABIC})(?P<amult>{_MULT}(?![万亿]|千(?![瓦米克])))?"
    rf"(?:(?P<aapx>[{_APPROX_AFTER}])(?P<amult2>{_MULT}(?![万亿]|千(?![瓦米克])))?)?"
    rf"(?P<aunit>%|‰|{_UNIT_RE})?"
    rf"|(?P<cn>{_CN_NUM})(?P<capx>[{_APPROX_AFTER}])?(?P<cunit>{_UNIT_RE})"
)

# A heading numeral at the start of a line: 一、 （二） 1. 1、 （3） (3)
_HEADING = re.compile(
    r"(?m)^[ \t\u3000#*>\-]*(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?!\d)"
    r"|[（(]\d{1,2}[)）]|第[一二三四五六七八九十]+[、，,部分章节条]|[①②③④⑤⑥⑦⑧⑨⑩])"
)
_ENUM = re.compile(r"[（(]\d{1,2}[)）]|[①-⑳]|(?<=[：:；;。！!？?”’」』])\s*\d{1,2}[.．、](?!\d)"
                   r"|(?:数|几|上|成百上|近|逾)[十百千万]"
                   r"|[一二三四五六七八九十]+(?:是|要|抓|在|把|看)|第[一二三四五六七八九十百\d]+[次届批期轮个名位项条款章节部分]?"
                   r"|其[一二三四五六七八九十]")
# Holidays named by numerals: 五一劳动节, 三八妇女节, 七一前夕; 十一场 stays a count.
_HOLIDAY = re.compile(r"(?:五一|七一|八一|十一|三八|六一|五四|十一)(?=节|劳动节|妇女节|儿童节|青年节|建军节|建党|国庆|期间|"
                      r"前夕|前后|当天|红旗|表彰|座谈|慰问|系列|假期|长假|黄金周|国际)")
# "抓好两项工作：一是……" counts the draft's own enumeration, not a claim from the facts; so does a count before a
# colon that ends the text ("原因主要两个：", a sentence the check cut before its "一是……").
_SELF_COUNT = re.compile(r"[一二两三四五六七八九十\d]+(?:项|个|件|条|点|方面)(?=[^。；\n]{0,10}[：:]\s*"
                         r"(?:[一二三四五六七八九十]是|[（(]?[一1][)）.、．]|第一|首先|\n|$))")
# The whole year or its end (1—12月, 12月底) is the report period, not a date claim.
_PERIOD = re.compile(r"1(?:月份?)?\s*[-—–~～至到]\s*12月份?|12月(?:底|末|份以来)|全年12个月")
# A 【待补充：…】 slot: what the user has still to give. The one slot pattern: the check counts these, the page
# highlights them, the exporters and the revision diff keep them whole.
# A digit inside a name ("5G基站", "4K", "H5页面") counts nothing: a reader sees no number in it.
CODE_NAME_RE = re.compile(r"(?<![A-Za-z\d.])(?:\d+[A-Za-z]+|[A-Za-z]+\d+)(?![A-Za-z\d])")
SLOT_RE = re.compile(r"【待补充[：:][^】\n]{0,80}】")


@dataclass(frozen=True)
class Quantity:
    """One number in a text: as written, its normalised value and unit, its span and its kind.

    kind: "count" (a value with a measure word or a bare number), "percent", "fraction", "year", "date",
    "one" (一个, 一次: Chinese 一 with a measure word, never a claim on its own).
    """

    raw: str
    value: float
    unit: str
    start: int
    end: int
    kind: str = "count"

    @property
    def key(self) -> tuple[float, str]:
        return (round(self.value, 6), unit_class(self.unit))


def unit_class(unit: str) -> str:
    return _UNIT_CLASS.get(unit, unit)


def fold_width(text: str) -> str:
    """Full-width digits and marks to ASCII; the length is unchanged."""
    return text.translate(_WIDTH)


_BLANKS = re.compile(r"\s+")
_BLANKS_AND_MARKS = re.compile(r"[\s，,。.；;：:、！!？?“”\"‘’（）()《》…—·]+")


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff，。；：、“”（）]) (?=[\u4e00-\u9fff，。；：、“”（）])")


@lru_cache(maxsize=8192)
def close_cjk_gaps(text: str) -> str:
    """Whitespace folded, and a blank between two Chinese characters dropped ("贴息/组合贷 办了" → "贴息/组合贷办了"):
    typing noise in notes; "AI 培训" keeps its own. One reading for the writer and for the check of what it wrote
    (cached: the heading check reads a group's facts again for every candidate heading)."""
    return _CJK_GAP.sub("", _BLANKS.sub(" ", text))


def squash(text: str | None, *, punctuation: bool = True) -> str:
    """A text as two texts are compared: full-width folded, without blanks, and (with `punctuation`) without its
    marks, so "培训 12 期。" and "培训12期" are the same. The one squash of the package."""
    folded = fold_width(text or "")
    return (_BLANKS_AND_MARKS if punctuation else _BLANKS).sub("", folded)


def cn_to_number(text: str) -> float | None:
    """Chinese numeral → number: 三百四十 → 340, 十一点六万 → 116000, 两千零五 → 2005, 二〇二四 → 2024."""
    if not text:
        return None
    if "点" in text:
        whole, _, frac = text.partition("点")
        mult = 1
        while frac and frac[-1] in _CN_BIG:
            mult *= _CN_BIG[frac[-1]]
            frac = frac[:-1]
        w = cn_to_number(whole)
        if w is None or not frac or any(c not in _CN_DIGIT for c in frac):
            return None
        return (w + float("0." + "".join(str(_CN_DIGIT[c]) for c in frac))) * mult
    if all(c in _CN_DIGIT for c in text) and len(text) > 1:
        # digit-by-digit form: 二〇二四, 一二〇
        return float("".join(str(_CN_DIGIT[c]) for c in text))
    total, section, current = 0, 0, 0
    for ch in text:
        if ch in _CN_DIGIT:
            current = _CN_DIGIT[ch]
        elif ch in _CN_SMALL:
            section += (current or 1) * _CN_SMALL[ch]
            current = 0
        elif ch in _CN_BIG:
            section += current
            if ch == "亿":
                total = (total + section) * _CN_BIG[ch]
            else:
                total += (section or 1) * _CN_BIG[ch]
            section, current = 0, 0
        else:
            return None
    return float(total + section + current)


def parse_arabic(text: str) -> float:
    return float(fold_width(text).replace(",", ""))


def normalize_value(number: str, multiplier: str = "", unit: str = "") -> tuple[float, str]:
    """(value, unit) for a number as written with its multiplier and measure word.

    normalize_value("11.6", "万", "元") == (116000.0, "元"); normalize_value("三百四十", "", "人次") == (340, "人次").
    """
    number = fold_width(number)
    value = parse_arabic(number) if re.fullmatch(_ARABIC, number) else cn_to_number(number)
    if value is None:
        raise ValueError(f"not a number: {number!r}")
    for m in multiplier:
        value *= {"万": 10_000, "亿": 100_000_000, "千": 1000}.get(m, 1)
    if unit in ("万元", "亿元"):
        value *= _CN_BIG[unit[0]]
        unit = "元"
    if unit == "％":
        unit = "%"
    if unit == "余人":
        unit = "人"
    if unit == "百分点":
        unit = "个百分点"
    return round(value, 6), unit


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans that hold no claims: heading numerals, 一是/第N, set phrases, 【待补充：…】 slots."""
    spans = [(m.start(), m.end()) for m in _HEADING.finditer(text)]
    spans += [(m.start(), m.end()) for m in _ENUM.finditer(text)]
    spans += [(m.start(), m.end()) for m in SLOT_RE.finditer(text)]
    spans += [(m.start(), m.end()) for m in _HOLIDAY.finditer(text)]
    spans += [(m.start(), m.end()) for m in _SELF_COUNT.finditer(text)]
    spans += [(m.start(), m.end()) for m in _PERIOD.finditer(text)]
    spans += _set_phrase_spans(text)
    return spans


def _set_phrase_spans(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _set_phrase_re().finditer(text):
        out.append((m.start(), m.end()))
    return out


@lru_cache(maxsize=1)
def _set_phrase_re() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(p) for p in sorted(set(SET_PHRASES), key=len, reverse=True)))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans, so a position is looked up by bisection (long drafts stay linear)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def find_quantities(text: str, *, include_protected: bool = False) -> list[Quantity]:
    """All quantities in a text, in order. Heading ordinals, 一是, set phrases and slots are left out.

    Years come back with kind "year" and dates with kind "date" so a caller can treat them apart. Results are
    cached by text: the check reads the same sentence and clause several times.
    """
    if not text:
        return []
    return list(_find_quantities(text, include_protected))


@lru_cache(maxsize=8192)
def _find_quantities(text: str, include_protected: bool) -> tuple[Quantity, ...]:
    folded = fold_width(text)
    protected = _merged([] if include_protected else protected_spans(folded))
    starts = [s for s, _ in protected]
    out: list[Quantity] = []
    for m in _QTY.finditer(folded):
        q = _to_quantity(m, folded)
        if q is None:
            continue
        i = bisect.bisect_right(starts, q.start) - 1
        if i >= 0 and q.start < protected[i][1]:
            continue  # inside a heading numeral, 一是/第N, a set phrase or a slot (十一起 stays: 一起 starts later)
        out.append(replace(q, raw=text[q.start:q.end]))  # as the user wrote it, full-width and all
    return tuple(_fix_ranges(out, folded))


def states_quantity(text: str) -> bool:
    """True when a text states a quantity of the kind facts carry: a digit, or a Chinese count (三场), not the
    article-like 一 (一个, 一次)."""
    folded = fold_width(text)
    return bool(re.search(r"\d", folded)) or any(q.kind != "one" for q in find_quantities(folded))


def states_count(text: str) -> bool:
    """True when a text states a quantity other than a year or the article-like 一 (一个, 一次): what makes a
    sentence a claim rather than talk or a formula."""
    return any(q.kind not in ("year", "one") for q in find_quantities(text))


def _to_quantity(m: re.Match[str], text: str) -> Quantity | None:
    s, e = m.start(), m.end()
    raw = text[s:e]
    try:
        if m.group("pct_cn"):
            value, _ = normalize_value(m.group("pct_num"))
            return Quantity(raw, value, "%", s, e, "percent")
        if m.group("frac"):
            den, nom = cn_to_number(m.group("den")), cn_to_number(m.group("nom"))
            if not den or nom is None:
                return None
            return Quantity(raw, round(nom / den, 6), "分之", s, e, "fraction")
        if m.group("ycn"):
            value = cn_to_number(raw[:-1])
            if value is None:
                return None
            return Quantity(raw, value, "年", s, e, "year")
        if m.group("date"):
            month = int(m.group("dm"))
            day = int(m.group("dd")) if m.group("dd") else 0
            if not 1 <= month <= 12 or day > 31 or _digit_before(text, s):
                return None
            return Quantity(raw, float(month * 100 + day), "月日", s, e, "date")
        if m.group("num"):
            return _arabic_quantity(m, text)
        if m.group("cn"):
            return _cn_quantity(m, text)
    except ValueError:
        return None
    return None


def _digit_before(text: str, pos: int) -> bool:
    return pos > 0 and (text[pos - 1].isdigit() or text[pos - 1] == ".")


def _arabic_quantity(m: re.Match[str], text: str) -> Quantity | None:
    s, e = m.start(), m.end()
    num, unit = m.group("num"), m.group("aunit") or ""
    mult = (m.group("amult") or "") + (m.group("amult2") or "")
    if _digit_before(text, s) or (s > 0 and text[s - 1].isascii() and text[s - 1].isalpha()) \
            or text[e:e + 1] in ("x", "X", "×", "ｘ", "Ｘ"):
        return None  # part of a code or a blanked year (20xx)
    value, unit = normalize_value(num, mult, unit)
    raw = text[s:e]
    plain = num.replace(",", "")
    if unit == "年" and not mult and "." not in num and len(plain) == 4 and 1900 <= value <= 2099:
        # 2024年 / 2024年度: a year, not a duration
        return Quantity(raw, value, "年", s, e, "year")
    if not unit and not mult and "." not in num and len(plain) == 4 and 1900 <= value <= 2099 \
            and text[e:e + 1] in ("-", "—", "–", "至", "/"):
        return Quantity(raw, value, "年", s, e, "year")
    if unit in ("%", "‰"):
        return Quantity(raw, value, unit, s, e, "percent")
    if unit == "月" or unit == "日":
        return None
    return Quantity(raw, value, unit, s, e, "count")


def _cn_quantity(m: re.Match[str], text: str) -> Quantity | None:
    s, e = m.start(), m.end()
    num, unit = m.group("cn"), m.group("cunit") or ""
    mult = ""
    if all(ch in "万亿千百" for ch in num) and num not in ("千", "百"):
        return None  # 万, 亿万, 千万: idioms more often than counts
    if len(num) == 1 and num in "壹贰叁肆伍陆柒捌玖拾佰仟" and s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff":
        return None  # 队伍年龄, 入伍: a lone financial numeral inside a word is a character, not a count
    value, unit = normalize_value(num, mult, unit)
    if num == "一":
        # 一个, 一次, 一项: an article more often than a claim; kept so 一期 can match a fact's 1期
        return Quantity(text[s:e], value, unit, s, e, "one") if unit not in ("日", "月", "号", "度", "级") else None
    if unit in ("日", "月", "号", "度", "级") and value < 100:
        return None  # 三日, 五月, 三级: dates and grades, not counts
    return Quantity(text[s:e], value, unit, s, e, "count")


def _fix_ranges(qs: list[Quantity], text: str) -> list[Quantity]:
    """In 3至5天 / 3-5天 the first end takes the unit of the second."""
    out = list(qs)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        between = text[a.end:b.start]
        if not a.unit and b.unit and a.kind == "count" and between in ("至", "到", "-", "~", "～", "—", "－", "–"):
            out[i] = Quantity(a.raw, a.value, b.unit, a.start, a.end, b.kind)
    return out


def is_year(q: Quantity) -> bool:
    return q.kind == "year"


def format_value(value: float) -> str:
    """116000.0 → '116000', 95.5 → '95.5'."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def parse_year(value: object) -> str:
    """2024 / '2024' / '2024年' / '二〇二四年' / '2024年度' → '2024'; '' when it is not a year."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        text = str(int(value)) if float(value).is_integer() else ""
    else:
        text = fold_width(str(value)).strip()
    text = re.sub(r"(年度|年)$", "", text.strip())
    if re.fullmatch(r"\d{4}", text):
        return text if 1900 <= int(text) <= 2099 else ""
    if re.fullmatch(CN_YEAR, text):
        n = cn_to_number(text)
        return str(int(n)) if n and 1900 <= n <= 2099 else ""
    return ""
