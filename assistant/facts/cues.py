"""Cue words of a free paste that are not facts themselves: lead-in lines, "我们是……工会", the year stated.

A paste often opens with a line that only announces what follows ("今年我们中心工会主要做了这些事：",
"现将有关情况汇报如下："). Taken as a fact it ends up in a draft as "一是……做了这些事：；". These helpers
recognise such lines and the few plain-sentence forms that name the unit or the year; they never change a
fact's words, they only say which part of the user's text is what.
"""

from __future__ import annotations

import re
from functools import cache

from assistant.text.cues import cue_words
from assistant.text.names import org_ending
from assistant.text.numbers import YEAR, find_quantities, fold_width, parse_year, states_count
from assistant.text.sections import part_pattern
from assistant.text.sentences import split_clauses
from assistant.text.verbs import action_alternation
from assistant.text.wordlists import alternation

_COLON_END = re.compile(r"(?:[：:]|——|—|--)\s*$")  # "今年做了什么——": a dash typed for the colon
# Words that announce what follows rather than state something.
_ANNOUNCE = re.compile(
    r"如下|以下|下列|下面|这些|这几|几个方面|几方面|几点|几项|几件|汇报|报告|介绍|概括|归纳|梳理|总结|什么|啥|"
    r"主要有|主要包括|包括|具体是|具体为|分别是|分别为|有关情况|基本情况|具体情况|主要情况|开展情况|完成情况|"
    r"[一二三四五六七八九十两]+(?:个方面|方面的?工作|件事|项工作|项重点工作)")
# A count of the parts that follow ("以下三个方面") and the year of the report are not a fact's numbers.
_PART_COUNT = re.compile(r"[一二三四五六七八九十两几\d]+(?:个方面|个部分|方面|部分|点|项|件事|件|条)")
_REPORT_YEAR = re.compile(rf"{YEAR}年度?")
_NAME_MARK = re.compile(r"[“”\"「」『』《》]")
_MAX_LEAD_IN = 60


@cache
def polite_pattern() -> re.Pattern[str]:
    """What opens a user's request ("请帮忙……", "麻烦……", "能否……"; text/data/cue_words.txt [asking])."""
    return re.compile(alternation(cue_words("asking")))


@cache
def announcement_pattern() -> re.Pattern[str]:
    """What opens a paste's announcement of itself ("以下是……的主要工作情况"; [announcement])."""
    return re.compile(rf"^(?:{alternation(cue_words('announcement'))})")


@cache
def _asked_genre() -> re.Pattern[str]:
    """Someone asks for this genre by name, whatever the polite words: "想请你帮我们写一份2025年度的工作总结",
    "领导让我把……的工作整理成年度总结" (the names: text/data/cue_words.txt)."""
    return re.compile(rf"[你您我].{{0,30}}?(?:{alternation(cue_words('asked_genre'))})")


def asked_clauses(line: str) -> list[str]:
    """The clauses of a pasted line that ask the assistant to write ("请帮忙写一份年度工作总结"): a polite opener,
    a verb of writing, no number but a year. "请示上级追加经费30万元" and "撰写调研报告3篇" are facts."""
    write = re.compile(alternation(cue_words("asking_write")))
    out = []
    for clause in re.split(r"[，,。；;！!？?]", line):
        body = clause.strip()
        asks = polite_pattern().match(body) or _asked_genre().search(body)  # "想请你帮我们写一份……工作总结"
        if asks and not body.startswith(cue_words("asking_not")) and write.search(body) \
                and not states_count(body):
            out.append(body)
    return out


def lead_in_core(line: str) -> str | None:
    """For a lead-in line, the words before its announcing cue ("存在的问题主要有以下几个方面：" → "存在的问题",
    "今年我们主要做了这些事：" → "今年我们主要做了"); None when the line is not a lead-in.

    A lead-in ends with a colon, announces what follows, and carries no number and no name.
    """
    text = line.strip()
    if not _COLON_END.search(text) or len(text) > _MAX_LEAD_IN:
        return None
    body = _COLON_END.sub("", text).strip()
    cue = _ANNOUNCE.search(body)
    if not body or cue is None or _NAME_MARK.search(body):
        return None
    rest = _PART_COUNT.sub("", _REPORT_YEAR.sub("", fold_width(body)))
    if re.search(r"\d", rest) or find_quantities(rest, include_protected=True):
        return None
    return re.sub(r"(?:的|主要|具体|重点|有|是|为|将)+$", "", body[: cue.start()]).strip()


def split_lead_in(text: str) -> tuple[str | None, str]:
    """A line that opens with a lead-in ("主要做了这些事：组织疗休养2批") → (its core, the rest);
    (None, text) when it does not. A whole-line lead-in gives (core, "")."""
    core = lead_in_core(text)
    if core is not None:
        return core, ""
    m = re.search(r"[：:]", text)
    if m is None:
        return None, text
    core = lead_in_core(text[: m.end()])
    if core is None:
        return None, text
    return core, text[m.end():].strip()


# "我们是县水务局工会，…", "我是市一中工会的干事", "本单位为……工会"
_ORG_END = rf"(?:{org_ending()})"
_GREETING = re.compile(r"^\s*(?:你好|您好|大家好|老师好|领导好|各位好)[，,！!。.～~\s]*")
_UNIT_INTRO = re.compile(
    rf"^\s*(?:我们|我|本单位|我单位|我们单位|单位|单位名称)(?:是|系|为|来自)(?P<unit>[\u4e00-\u9fffA-Za-z0-9（）()]{{2,30}}?{_ORG_END})"
    r"(?:[（(][\u4e00-\u9fff]{1,10}[）)])?(?:的[\u4e00-\u9fff]{0,8})?(?=[，,。；;\s]|$)")  # "……工商业联合会（县总商会）"
# "县水务局工会今年组织……": an organisation as the subject of the first sentence.
_UNIT_SUBJECT = re.compile(
    r"^\s*(?P<unit>[\u4e00-\u9fff]{2,24}?(?:总工会|工会委员会|工会))"
    rf"(?={YEAR}年度?|今年|本年度?|全年|一年来|在|坚持|围绕|共|积极|认真|始终|紧紧)")


def without_greeting(sentence: str) -> str:
    """The sentence without an opening greeting ("你好，我是……" → "我是……"): a greeting states nothing."""
    return _GREETING.sub("", sentence, count=1)


def unit_intro(sentence: str) -> tuple[str, str] | None:
    """(unit, the rest of the sentence) for "我们是X工会，今年……", "单位是X工会，……"; None when the sentence
    does not open so."""
    m = _UNIT_INTRO.match(sentence)
    if m is None:
        return None
    rest = sentence[m.end():].lstrip(" \t，,")
    return m.group("unit"), rest


@cache
def _talk() -> tuple[re.Pattern[str], ...]:
    return (re.compile(alternation(cue_words("asking_style"))), re.compile(alternation(cue_words("asked_genre"))),
            re.compile(rf"^(?:{alternation(cue_words('thanks'))})[了啦啊呀你您！!。.～~\s]*$"),
            re.compile(alternation(cue_words("paste_end"))),
            re.compile(rf"(?:{alternation(cue_words('asking_write'))}).{{0,6}}?(?:{alternation(cue_words('asking_manner'))})"
                       rf"|(?:{alternation(cue_words('asking_manner'))}).{{0,4}}?(?:{alternation(cue_words('asking_write'))})"),
            re.compile(rf"我(?!们|[县市区省州国]|{org_ending(True)})"))


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|《[^》]*》|「[^」]*」|‘[^’]*’")
_ADDRESSED = re.compile(r"[你您]")
# An aside in brackets (one home for both readings of it: said to the assistant, or a remark to whoever writes).
_BRACKETED = re.compile(r"[（(]([^（）()]*)[)）]")


def talks_to_assistant(sentence: str) -> bool:
    """A sentence said to the assistant rather than of the unit's work: it states no number but a year, and it
    addresses the reader (你/您, outside a quoted name: "下面是各股室报上来的材料，……你看着整理"), speaks as one
    person, not as the unit ("我把能想到的都列在这了", never "我们"/"我局"), asks for a style of the writing by name
    ("语气正式点，按机关年度总结的格式来", "语气正式一点，多用具体数字"), says how to write ("写的时候别太夸张"), ends the paste ("大概就这些")
    or only thanks ("谢谢！")."""
    text = _QUOTED.sub("", sentence.strip())
    wrapped = _BRACKETED.fullmatch(text.rstrip("。"))
    if wrapped and about_writing(wrapped.group(1)):
        return True  # "（专项巡察这两条合起来写也可以）": a line of its own said to the writer
    style, genre, thanks, ends, manner, alone = _talk()
    # a count in a clause about the writing ("字数三千字左右吧"), or of characters beside one ("3000字左右，语气正式一点",
    # "麻烦帮我整理成一篇正式的年度总结，4000字以内就行"), is the length asked for, not the unit's
    clauses = split_clauses(text)
    asked = set(asked_clauses(text))
    writing = [c for c in clauses if (about_writing(c) or manner.search(c))
               and (only_length(c) or not states_count(c) or _counts_parts(c))]
    on_writing = [c for c in clauses if style.search(c) or c.strip() in asked or c in writing]
    counted = "，".join(c for c in clauses if c not in on_writing
                       and not (on_writing and only_length(c)))
    if text and only_length(text) and not re.search(action_alternation(), text) \
            and all(q.value <= _SUMMARY_LENGTH for q in find_quantities(text)):
        return True  # "不用太长 1500字左右吧": the length asked for ("撰写宣传稿件20万字" is work)
    if not text or states_count(counted):
        return False
    rest = "，".join(c for c in clauses if c not in on_writing)
    if writing and not re.search(rf"{action_alternation()}|了", rest):
        return True  # "按惯例写，3000字，要有数据支撑", "不用太长 1500字左右吧": how the summary is to be written
    # a sentence that opens on the writing's manner ("语气正式一点，但别太空") is about the writing, genre named or not
    return bool(_ADDRESSED.search(text) or (style.search(text) and genre.search(text))
                or (any(style.match(c.strip()) for c in clauses)
                    and not states_count("，".join(c for c in clauses if not only_length(c))))
                or thanks.match(text)
                or ends.search(text) or manner.search(text) or alone.search(text))


@cache
def _writing_verb() -> re.Pattern[str]:
    compounds = cue_words("writing_compounds")
    return re.compile(rf"(?:{alternation(compounds)})|(?P<write>写)")


def _counts_parts(clause: str) -> bool:
    """Every count of the clause counts the summary's parts ("写的时候分三块"; [writing_parts])."""
    found = [q for q in find_quantities(clause) if q.kind not in ("year", "one")]
    return bool(found) and all(q.unit in cue_words("writing_parts") for q in found)


def about_writing(clause: str) -> bool:
    """A clause about the writing of this summary, said to whoever writes it ("这个要重点写", "这块写得轻一点",
    "标题就写……", "按惯例写", "这个写一句就行"): 写 stands alone, not in a work of the unit's ("撰写调研报告",
    "编写教材": [writing_compounds]), and the clause counts nothing but a length ("3000字", "一句")."""
    text = _QUOTED.sub("", clause)
    if not any(m.group("write") for m in _writing_verb().finditer(text)):
        return False
    # a count that points back at the paste's own items ("这两条合起来写") counts nothing of the unit's
    # nor does a count of the summary's parts ("写的时候分三块", "按……四块写": cue_words [writing_parts])
    return not any(q.kind not in ("year", "one") and q.unit not in _LENGTH_UNITS
                   and q.unit not in cue_words("writing_parts")
                   and not (q.start > 0 and text[q.start - 1] in cue_words("pointing_back"))
                   for q in find_quantities(text))


_LENGTH_UNITS = ("字", "句", "段")
_SUMMARY_LENGTH = 10000  # characters: no yearly summary asked for is longer; a count above it is the unit's work


def only_length(clause: str) -> bool:
    """A clause whose only counts are in characters ("3000字左右"): a length, as the number reader reads it."""
    counts = find_quantities(clause)
    return bool(counts) and all(q.unit in _LENGTH_UNITS for q in counts)


def without_asides(sentence: str) -> str:
    """The sentence without an aside in brackets that speaks to the assistant and states no number
    ("产值增长9.6%（统计局给的数，不知道该不该写进去，你看着用）" → "产值增长9.6%"); the fact's words stay."""
    return _BRACKETED.sub(lambda m: "" if _ADDRESSED.search(m.group(1)) and not states_count(m.group(0))
                          else m.group(0), sentence)


def without_remarks(text: str) -> str:
    """A fact as the summary writes it: a remark in brackets to whoever writes the summary ("（老人们学会视频通话特别
    高兴）", "（这个数是会计那边给的，应该没问题）") is left out, a reason ("（主要是下调了部分收费标准）") becomes a
    clause of the sentence. A remark is a clause of its own: eight or more Chinese characters, no number, no
    quoted name, no list, and not what a number counts ("（含……）"). The user's facts keep their words; only the
    rendering leaves the remark out."""
    def rendered(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        if about_writing(inner):
            return ""  # "（这个要重点写）", "（这块写得轻一点）": said to the writer, whatever its length
        if len(re.findall(r"[\u4e00-\u9fff]", inner)) < 8 or re.search(r"[\d“”\"《》、]", inner) \
                or inner.startswith(cue_words("aside_defines")):
            return m.group(0)
        return f"，{inner}" if inner.startswith(cue_words("aside_reason")) else ""

    text = _BRACKETED.sub(rendered, text)
    # a clause after the fact that tells how to write it ("……推广鉴定，这个写一句就行。", "……优秀案例”。这个
    # 案例可以多写两句，是……") goes the same way
    clauses = re.split(r"(?<=[，,；;。！？])", text)
    if len(clauses) > 1:
        kept = [clauses[0], *(c for c in clauses[1:] if not about_writing(c.rstrip("，,；;。"))
                              and not _to_the_reader(c))]
        if len(kept) < len(clauses):
            text = "".join(kept).rstrip("，,；;。") + ("。" if text.endswith("。") else "")
    return text


def _to_the_reader(clause: str) -> bool:
    """A clause said to whoever reads the paste, with no count of its own ("……跳河救人那个，你有印象吧。"): the
    colleague it was written for, not the unit's work."""
    text = _QUOTED.sub("", clause)
    return bool(_ADDRESSED.search(text)) and not states_count(text)


def unit_subject(sentence: str) -> str:
    """The unit that opens a first sentence ("县水务局工会今年组织……" → "县水务局工会"), else ""."""
    m = _UNIT_SUBJECT.match(sentence)
    return m.group("unit") if m else ""


# A year stated as this report's year: "2025年，我们……", "今年是2025年", "2025年度我们……" (not "比2024年增长")
_STATED_YEAR = re.compile(
    rf"(?:^|(?<=[，,。；;\s]))(?:今年是|在|本年度即|我们|我单位)?(?P<y>{YEAR})年度?"
    r"(?!以前|之前|前|底前|同期|相比|比较|末前)")
_COMPARED = re.compile(r"(?:比|较|同比|与|和|跟|自|从|截至|截止|至|到)$")


_BARE_YEAR = re.compile(rf"^\s*(?:年度|年份)?(?:是|为)?(?P<y>{YEAR})年度?\s*[。，,；;.]?\s*$")


def bare_year(text: str) -> str:
    """The year of a clause that is nothing but a year ("2024年。", "年度是2024"), else ""."""
    m = _BARE_YEAR.match(fold_width(text))
    return parse_year(m.group("y")) if m else ""


def stated_years(text: str) -> set[str]:
    """The years a text states at a clause start (not in comparisons such as "比2024年增长")."""
    folded = fold_width(text)
    years = set()
    for m in _STATED_YEAR.finditer(folded):
        if _COMPARED.search(folded[: m.start()]):
            continue
        year = parse_year(m.group("y"))
        if year:
            years.add(year)
    return years


# "下面是2025年的情况。", "以下是我们今年的工作情况", "现将2025年工作情况汇报如下。": a sentence that announces the
# report without a colon; it states nothing but (perhaps) the year.
_REPORT_LEAD = re.compile(
    r"^\s*(?:下面|以下|现将|现把|这是|下边)(?:是|就是|把|将|为)?(?:我们|本单位|我单位|我们单位|单位)?(?:的)?"
    rf"(?P<y>{YEAR}年度?|今年|本年度?|全年)?(?:的|度的)?(?:我们|本单位)?(?:的)?(?:主要)?(?:工作)?"
    r"(?:情况|总结|汇报|材料|事实|内容|成绩|工作)(?:汇报|报告|介绍)?(?:如下)?\s*[。.！!；;，,]?\s*$")


def report_lead(sentence: str) -> str | None:
    """For a sentence that only announces the report ("下面是2025年的情况。"), the year it names ("2025", or ""
    when none); None when the sentence says more."""
    m = _REPORT_LEAD.match(fold_width(sentence))
    if m is None:
        return None
    return parse_year(re.sub(r"年度?$", "", m.group("y") or "")) or ""


# "存在的问题是……", "问题主要是……", "短板在于……": a problems label opening a plain sentence. (A plan's "明年计划……"
# stays in the plan: it reads as the user's own words in a plan list.)
@cache
def _problems_prefix() -> re.Pattern[str]:
    return re.compile(rf"^(?:{part_pattern('问题')})(?:主要)?(?:是|有(?!待|所|一定)|在于)[：:，,]?"
                      r"(?=[\u4e00-\u9fff“\"《A-Za-z0-9])")


def section_prefix(sentence: str) -> tuple[str, str] | None:
    """("problems", the rest) for a sentence opened by the problems' label ("存在的问题是馆舍面积不足" →
    ("problems", "馆舍面积不足")); None when it is not so opened. The rest is the user's words, untouched."""
    m = _problems_prefix().match(sentence.strip())
    if m is None:
        return None
    rest = sentence.strip()[m.end():].strip()
    if len(rest) < 2:
        return None
    return "problems", rest
