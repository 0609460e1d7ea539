"""An example's opening and closing, adapted to this unit: its formula kept, the other unit's specifics out.

The opening and the closing are where a house sounds like itself ("2024年，我局坚持……，现将全年工作总结如下：",
"新的一年，……为……作出新的更大贡献。"). This keeps an example's paragraph clause by clause: its year becomes
this year (its next year, the next), its unit and its self-reference ("我局") this unit's, and a clause that says
something only the other unit could say — a number, a name, a word neither the genre nor this unit's facts use —
is left out. An enumeration of the other unit's work ("统筹推进经济发展、城市更新和平安建设") takes this unit's
themes instead. What remains must pass `judge` (the sentence ledger) sentence by sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from assistant.house.layout import Layout
from assistant.text.names import unit_field
from assistant.text.numbers import YEAR, find_quantities, squash
from assistant.text.sentences import split_sentences

Judge = Callable[[str], bool]  # True when a sentence may be delivered
Copies = Callable[[str], list[str]]  # the runs of a text copied from one example (docs/GENRE.md §C.13b)
_CLAUSES = re.compile(r"[^，,；;：:]+[，,；;：:]?")
_SELF = re.compile(r"我(局|院|校|所|队|站|行|会|司|馆|中心|委|部|办|厂|园|处|科|社)")
_SELF_CHARS = "(局|院|校|所|队|站|行|司|馆|中心|委|厂|园)"
_ENUMERATION = re.compile(r"^(?P<lead>[\u4e00-\u9fff]{0,6}?(?:推进|抓好|做好|聚焦|突出|统筹|抓实|加强)(?:推进|抓好|抓实)?)"
                          r"(?P<items>[^，。]+?(?:、[^，。]+?)+)(?P<tail>等(?:各项)?工作)?[，。；]?$")
_PLACEHOLDER_YEAR = re.compile(r"(?:xx|XX|××|20xx|20XX|\*\*)年")
_CLOSING_PURPOSE = re.compile(r"为(?P<what>[^，。]{2,24}?)(?=(?:作出|做出|贡献|而努力|而奋斗|再立新功|续写|谱写))")


def _listed(items: Sequence[str]) -> str:
    """"A、B和C": this unit's works as the house lists its own."""
    return "、".join(items[:-1]) + "和" + items[-1]


def _year_shift(text: str, old: str, new: str) -> str:
    """The example's year and the one after it → this unit's; placeholder years → this year."""
    text = _PLACEHOLDER_YEAR.sub(f"{new}年" if new else "今年", text)
    if not (old.isdigit() and new.isdigit()):
        return text
    nxt_old, nxt_new = str(int(old) + 1), str(int(new) + 1)
    text = text.replace(f"{nxt_old}年", "\x00NEXT\x00")
    text = text.replace(f"{old}年", f"{new}年").replace(old, new)
    return text.replace("\x00NEXT\x00", f"{nxt_new}年")


def _unit_names(layout: Layout) -> list[str]:
    names = [layout.unit] if layout.unit else []
    title = re.sub(rf"(?:{YEAR}|xx|XX)?年?(?:度)?(?:工作)?总结.*$", "", layout.title or "")
    title = re.sub(rf"{YEAR}年?$", "", title)
    if title and title not in names:
        names.append(title)
    return sorted({n for n in names if len(n) >= 2}, key=len, reverse=True)


def _self_reference(unit: str) -> str:
    """How this unit calls itself: 我局 when it is a 局, else 我们."""
    m = re.search(_SELF_CHARS + "$", unit or "")
    return f"我{m.group(1)}" if m else "我们"


_REGION = re.compile(r"全(区|市|县|省|镇|乡)(?:的)?")
_WHOLE_UNIT = re.compile(r"全(局|院|校|所|队|站|行|会|司|馆|委|部|办|厂|园|处|科|社)上下")
_COUNTED = re.compile(r"[\d.]+[万亿]?(?:名|个|家|户|人|所|项|支|位)(?=[\u4e00-\u9fff])")


def _swap_unit(text: str, layout: Layout, unit: str) -> str:
    """The example's unit, its self-reference ("我局"), its region ("全区") and its "全局上下" → this unit's."""
    for name in _unit_names(layout):
        text = text.replace(name, unit or "我们")
    own = _self_reference(unit)
    text = _SELF.sub(lambda m: m.group(0) if m.group(0) == own else own, text)
    level = re.search(r"(省|市|区|县|镇|乡)", unit or "")
    text = _REGION.sub(lambda m: f"全{level.group(1)}" + m.group(0)[2:] if level else "", text)
    whole = f"全{own[1:]}上下" if own != "我们" else "全体干部职工"
    return _WHOLE_UNIT.sub(whole, text)


def _always(_: str) -> bool:
    return True


def _same_unit(layout: Layout, unit: str) -> bool:
    """The example names this unit: its business is this unit's."""
    theirs, ours = squash(layout.unit, punctuation=False), squash(unit, punctuation=False)
    return bool(theirs and ours and (theirs in ours or ours in theirs))


def foreign_words(layout: Layout, unit: str, known: str = "") -> frozenset[str]:
    """What names the example's own unit and business and not this one's: the words only that example uses
    (`layout.specific`) and the two-character pieces of its unit's name that this unit's name and facts lack
    ("街道" of 和平街道办事处 for a library)."""
    name = re.sub(r"^[\u4e00-\u9fff]{0,3}?[省市区县镇乡]", "", layout.unit or "")
    grams = {name[i:i + 2] for i in range(len(name) - 1)}
    ours = {unit[i:i + 2] for i in range(len(unit) - 1)} if unit else set()
    grams = {g for g in grams if re.fullmatch(r"[\u4e00-\u9fff]{2}", g) and g not in ours}
    # a piece the facts name is theirs ("乡镇（街道）"), but the example's own work is still not: "街道工作"
    grams = {g for g in grams if g not in known} | {g + "工作" for g in grams if g in known and g + "工作" not in known}
    mission = {w for w in institution_words(layout.unit, unit) if w not in known}
    return frozenset(grams | {w for w in layout.specific if w not in known} | mission)


def institution_words(theirs: str, unit: str) -> frozenset[str]:
    """The mission words of another institution's kind ("办院", "兴院" of a hospital) when the end of this unit's name
    lacks its last character: "把牢办院方向" is a hospital's, not an emergency centre's."""
    from assistant.check.vocabulary import heading_words

    end = (theirs or "").strip()[-1:]
    if not re.fullmatch(r"[\u4e00-\u9fff]", end) or end in (unit or "").strip()[-4:]:
        return frozenset()  # "……学校" runs a school as "……小学" does; "……医院工会" is at a hospital
    return frozenset(v + end for v in heading_words().get("institution_verbs", frozenset()))


def adapt_paragraph(paragraph: str, layout: Layout, *, unit: str, year: str, fits: Callable[[str], bool],
                    themes: Sequence[str] = (), known: str = "", closing: bool = False) -> str:
    """The paragraph with its clauses that `fits` (words of the genre or this unit) kept, in this unit's year and
    name; an enumeration of the example's work becomes this unit's `themes`. A clause naming the example's own
    unit or business ("市场监管", "街道工作") never fits another unit."""
    own = _own(layout, unit)
    avoid = frozenset() if own else foreign_words(layout, unit, known)
    if own:  # the user's own words are theirs to reuse: only last year's numbers go
        fits = _always
    paragraph = paragraph.replace(",", "，").replace(";", "；").replace(":", "：")
    text = _swap_unit(_year_shift(paragraph, layout.year, year), layout, unit)
    if avoid:
        general = fits

        def fits(clause: str) -> bool:  # noqa: F811 - narrowed for this example
            return general(clause) and not any(w in clause for w in avoid)

    field = unit_field(unit) if closing and not own else ""
    out: list[str] = []
    for sentence in _sentences(text):
        kept: list[str] = []
        parts = _CLAUSES.findall(sentence)
        for clause in parts:
            body = _COUNTED.sub("", clause.rstrip("，,；;：:。！？"))  # "团结带领全院1180名职工" → "全院职工"
            body = own_field(body, field, known)
            end = clause[len(clause.rstrip("，,；;：:。！？")):].replace(",", "，").replace(";", "；")
            if _has_number(body, year):
                continue
            if not _own(layout, unit) and _foreign_patron(body, known):
                continue  # "在局党组的坚强领导下": another unit's superiors
            if fits(body):
                kept.append(body + end)
                continue
            enum = _ENUMERATION.match(body)
            if enum and len(themes) >= 2:
                rebuilt = f"{enum.group('lead')}{_listed(themes)}{enum.group('tail') or '等工作'}"
                if fits(enum.group("lead")):
                    kept.append(rebuilt + end)
                continue
            purpose = _CLOSING_PURPOSE.search(body) if closing else None
            if purpose:  # "为建设宜居宜业的现代化街区作出新的更大贡献" → "作出新的更大贡献"
                rest = body[: purpose.start()] + body[purpose.end("what"):]
                if fits(rest):
                    kept.append(rest + end)
        if kept and (len(kept) * 2 >= len(parts) or (len(kept) >= 2 and len("".join(kept)) >= 20)
                     or "如下" in sentence):
            joined = "".join(kept)
            joined = re.sub(r"[，；：:]$", "", joined.rstrip())
            if not joined.endswith(("。", "！", "？", "：")):
                joined += "：" if sentence.rstrip().endswith("：") else "。"
            out.append(joined)
    return "".join(out)


def own_field(clause: str, field: str, known: str) -> str:
    """The example's line of work before 事业 or 工作 becomes this unit's: "推动财政事业高质量发展" →
    "推动水利事业高质量发展", "推动市场监管工作再上新台阶" → "推动烟草专卖工作再上新台阶". A line this unit's
    facts name, and a general word ("各项工作"), stay."""
    from assistant.check.terms import tokens

    if not field:
        return clause
    toks = tokens(clause)
    for i, (word, _) in enumerate(toks):
        if not word.endswith(("事业", "工作")):
            continue
        line, start = word[:-2], i  # "工会工作" is one word: its line is in it
        while start > 0 and toks[start - 1][1].startswith(("n", "j", "vn")) \
                and not toks[start - 1][0].startswith(("全", "各")):
            start -= 1
            line = toks[start][0] + line
        if len(line) >= 2 and line != field and line not in known and not line.startswith(("全", "各")):
            before = "".join(w for w, _ in toks[:start])
            return before + field + word[-2:] + "".join(w for w, _ in toks[i + 1:])
    return clause


def _overlap(piece: str, target: str) -> int:
    """The longest stretch of `piece` found in `target`."""
    return max((j - i for i in range(len(piece)) for j in range(i + 2, len(piece) + 1) if piece[i:j] in target),
               default=0)


def without_copies(text: str, copies: Copies | None, year: str = "") -> str:
    """The text with the clauses that make up a run copied from one example left out, one at a time, the one
    overlapping the longest run first; a "现将……如下" sentence becomes the genre's own short formula instead."""
    if copies is None:
        return text
    for _ in range(12):
        runs = copies(text)
        if not runs:
            return text
        target = squash(max(runs, key=len))
        pieces = [(m.start(), m.end()) for m in re.finditer(r"[^，；：。！？]+[，；：。！？]?", text)]
        start, end = max(pieces, key=lambda span: _overlap(squash(text[span[0]:span[1]]), target))
        piece = text[start:end]
        if "如下" in piece:
            replacement = f"现将{year + '年' if year else ''}工作总结如下："
            if replacement == piece:
                return text
            text = text[:start] + replacement + text[end:]
            continue
        tail = piece[-1:] if piece[-1:] in "。！？：" else ""
        text = (text[:start].rstrip("，；") + tail + text[end:]) if tail else text[:start] + text[end:]
        text = re.sub(r"^[，；。]+", "", text)
    return text


_PATRON = re.compile(r"在(?P<who>[^，。]{1,20}?)的?(?:坚强|正确|大力|精心|有力)?(?:领导|支持|指导|关心|监督)")
_GENERIC_PATRONS = ("上级", "上级党委", "党委", "党组", "上级工会", "上级部门", "各级领导")


def _foreign_patron(clause: str, known: str) -> bool:
    """A clause naming bodies that lead or support another unit ("在区委、区政府的坚强领导下") — not this unit's,
    unless the facts name them or they are the genre's generic 上级 / 党委."""
    m = _PATRON.search(clause)
    if not m:
        return False
    bodies = [b for b in re.split(r"[、和及与]", m.group("who")) if b]
    return any(b not in _GENERIC_PATRONS and b not in known for b in bodies)


def _has_number(text: str, year: str) -> bool:
    for q in find_quantities(text):
        if q.kind == "year" and year and str(int(q.value)) in (year, str(int(year) + 1) if year.isdigit() else ""):
            continue
        if q.kind == "one":
            continue
        return True
    return False


def _own(layout: Layout, unit: str) -> bool:
    """The user's own earlier summary of this unit: its formulas come back whole."""
    return layout.origin == "user" and _same_unit(layout, unit)


def _sentences(text: str) -> list[str]:
    return split_sentences(text, semicolon=False, quotes=False)


def _clauses_of(text: str) -> list[str]:
    return [c for c in _CLAUSES.findall(text) if c.strip("，；：。！？ ")]


def _opening_from(layout: Layout, *, unit: str, year: str, fits: Callable[[str], bool], judge: Judge,
                  themes: Sequence[str], known: str, copies: Copies | None,
                  leads: Sequence[str] = ()) -> tuple[str, float]:
    """One example's opening adapted to this unit, and how much of it survived (0 when too little)."""
    adapted = adapt_paragraph(layout.opening, layout, unit=unit, year=year, fits=fits, themes=themes, known=known)
    own = _own(layout, unit)
    if not own:
        adapted = without_copies(adapted, copies, year)
    sentences = [s for s in _sentences(adapted) if s.strip() and judge(s)]
    closing = next((s for s in sentences if "如下" in s), f"现将{year + '年' if year else ''}工作总结如下：")
    body = [s for s in sentences if "如下" not in s]
    if not body:
        return "", 0.0
    if not own and not _has_subject("".join(body), unit):
        m = re.match(rf"^({YEAR}年|一年来|今年以来|过去的一年)([，,])", body[0])
        if not m:
            return "", 0.0  # a subject would have to be forced into the middle of another unit's sentence
        body[0] = f"{m.group(1)}，{unit}{body[0][m.end():]}"
    text = "".join(body)
    if not own and len(themes) >= 2 and leads and not any(t in text for t in themes) and text.endswith("。"):
        # the house names its year's works in the opening ("统筹推进……和……等工作"): so does this unit, with its own
        listed = _with_works(text, f"{leads[0]}{_listed(themes)}等工作", unit)
        if judge(listed):
            text = listed
    if len(text) < 20 or not judge(text):
        return "", 0.0
    kept = len(_clauses_of(text))
    return text + closing, kept + min(len(text), 80) / 40 + (10 if own else 0) - (3 if layout.origin == "seed" else 0)


_OUTCOME = re.compile(r"(?:较好|圆满|全面|顺利)?(?:地)?完成|取得|成效|进展")


def _with_works(text: str, works: str, unit: str) -> str:
    """The opening with a clause listing this unit's works: before the clause that states the year's outcome
    ("……统筹推进A和B等工作，较好完成了全年目标任务。"), else at the end of the paragraph."""
    body = text[:-1]
    at = max(body.rfind("，"), body.rfind("；"))
    last = body[at + 1:]
    if _OUTCOME.search(last):
        if unit and last.find(unit) >= 0:
            cut = at + 1 + last.find(unit) + len(unit)
            return f"{body[:cut]}{works}，{body[cut:]}。"
        return f"{body[:at + 1]}{works}，{last}。"
    return f"{body}，{works}。"


def enumeration_leads(layouts: Sequence[Layout]) -> list[str]:
    """How the preferred examples' openings lead into a list of their year's works ("统筹推进", "统筹抓好"), most
    used first, the preferred example's first among equals."""
    from collections import Counter

    found: Counter[str] = Counter()
    order: dict[str, int] = {}
    for rank, layout in enumerate(layouts):
        for clause in _CLAUSES.findall(layout.opening or ""):
            m = _ENUMERATION.match(clause.rstrip("，,；;：:。"))
            if m:
                found[m.group("lead")] += 1
                order.setdefault(m.group("lead"), rank)
    return sorted(found, key=lambda lead: (-found[lead], order[lead]))


def compose_opening(layouts: Sequence[Layout], *, unit: str, year: str, fits: Callable[[str], bool], judge: Judge,
                    themes: Sequence[str] = (), known: str = "", copies: Copies | None = None) -> str:
    """The opening for this unit from the house's: of the preferred examples' openings (the user's own first, whole),
    each adapted (its year, unit and self-reference this unit's; a clause only that unit could say, or one copying
    a long run of its words, left out), the one that keeps the most of itself; "" when none keeps enough."""
    best, score = "", 0.0
    leads = enumeration_leads(layouts)
    for rank, layout in enumerate(lay for lay in layouts if lay.opening):
        text, value = _opening_from(layout, unit=unit, year=year, fits=fits, judge=judge, themes=themes,
                                    known=known, copies=copies, leads=leads)
        value -= 0.5 * rank  # the preferred examples first among near-equals
        if text and value > score:
            best, score = text, value
    return best


def _closing_from(layout: Layout, *, unit: str, year: str, fits: Callable[[str], bool], judge: Judge,
                  known: str, copies: Copies | None) -> tuple[str, float]:
    adapted = adapt_paragraph(layout.closing, layout, unit=unit, year=year, fits=fits, known=known, closing=True)
    own = _own(layout, unit)
    if not own:
        adapted = without_copies(adapted, copies, year)
    text = "".join(s for s in _sentences(adapted) if s.strip() and judge(s))
    if not text:
        return "", 0.0
    if not own and not _has_subject(text, unit):  # "新的一年，凝心聚力……": the pledge needs who pledges it
        m = re.match(rf"^((?:新的一年|在新的一年里|{YEAR}年|展望{YEAR}年|下一步)[，,])", text)
        if not m:
            return "", 0.0
        text = f"{m.group(1)}{_self_reference(unit)}将{text[m.end():].lstrip('将')}"
    if not text.endswith(("。", "！")):
        text = text.rstrip("，；") + "。"
    if re.search(r"(?<![为])[，,]?而(?:努力|不懈)?奋斗", text) and not re.search(r"为[^，。]{2,30}而", text):
        return "", 0.0  # "……，而努力奋斗" with its "为……" left out is no sentence
    if len(text) < 20 or not judge(text):
        return "", 0.0
    field = unit_field(unit)  # a closing that names this unit's line of work is this unit's, not any unit's
    return text, len(_clauses_of(text)) + min(len(text), 80) / 40 + (10 if own else 0) \
        + (3 if field and field in text else 0) - (3 if layout.origin == "seed" else 0)


def compose_closing(layouts: Sequence[Layout], *, unit: str, year: str, fits: Callable[[str], bool],
                    judge: Judge, known: str = "", copies: Copies | None = None) -> str:
    """The closing for this unit from the house's, chosen as `compose_opening` chooses; "" when none fits."""
    best, score = "", 0.0
    for rank, layout in enumerate(lay for lay in layouts if lay.closing):
        text, value = _closing_from(layout, unit=unit, year=year, fits=fits, judge=judge, known=known,
                                    copies=copies)
        value -= 0.5 * rank
        if text and value > score:
            best, score = text, value
    return best


def _has_subject(text: str, unit: str) -> bool:
    return bool((unit and unit in text) or _SELF.search(text) or re.search(r"我们|全体|上下", text))


def words_fit(vocabulary: Collection[str], known: str, words: Callable[[str], list[tuple[str, str]]],
              grounded: Callable[[str, str, frozenset[str]], bool]) -> Callable[[str], bool]:
    """A `fits` test: every content word of a clause is the genre's (vocabulary) or this unit's (known)."""
    vocab = frozenset(vocabulary)

    def fits(clause: str) -> bool:
        return all(w in known or grounded(w, known, vocab) for w, _ in words(clause))

    return fits
