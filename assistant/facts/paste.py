"""A free paste → Facts: header lines (单位：, 年度：, 成绩：, 问题：, 计划：) set fields or sections, section
headings ("二、存在的问题") switch the section, and other lines are cut into sentences sorted by their cues.

The heuristics of reading what office workers paste: a title line names the unit and the year, a lead-in line
("主要做了这些事：") is no fact, a sentence of several results is cut into one fact per result, a sentence that
only says how big the unit is becomes a note. The user's words are never changed, only placed.
"""

from __future__ import annotations

import re
from functools import cache

from assistant.facts.cues import (
    announcement_pattern,
    asked_clauses,
    bare_year,
    only_length,
    report_lead,
    section_prefix,
    split_lead_in,
    stated_years,
    talks_to_assistant,
    unit_intro,
    unit_subject,
    without_asides,
    without_greeting,
)
from assistant.facts.details import attach, detail_line, told_detail
from assistant.facts.fields import LIST_FIELDS, field_named_in, field_of_key, heading_field, label_pattern
from assistant.schema import Facts
from assistant.text.bullets import marker_kind, strip_bullet
from assistant.text.cues import cue_words, future_pattern, problem_pattern
from assistant.text.headings import int_to_cn
from assistant.text.names import ends_like_org, org_at_end, org_ending, short_form_of
from assistant.text.numbers import YEAR, close_cjk_gaps, fold_width, parse_year, states_count, states_quantity
from assistant.text.sections import label_text, wrapped_text
from assistant.text.sentences import split_clauses, split_sentences
from assistant.text.verbs import action_alternation
from assistant.text.wordlists import alternation

# "key: rest"; a key may hold a year ("2025年工作打算：").
_HEADER = re.compile(r"^\s*(?:[#＃]+\s*)?(?P<key>[\u4e00-\u9fff〇○A-Za-z0-9 ]{1,14}?)\s*[：:]\s*(?P<rest>.*)$")


def parse_free_text(text: str) -> Facts:
    """A free paste → Facts: header lines (单位：, 年度：, 成绩：, 问题：, 计划：) set fields or sections,
    other lines are split into sentences and sorted by cues (不足/问题 → problems, 明年/计划 → plans)."""
    facts = Facts()
    section: str | None = None  # set by an explicit header; None → classify each sentence by its cues
    labelled = False  # the unit was named by its label ("单位：……"), which no later guess overrides
    numbered = _lines(text)
    lines = [line for line, _ in numbered]
    for at, (line, item) in enumerate(numbered):
        line = _without_asking(facts, line)
        if not line:
            continue
        detail = detail_line(line)
        if detail is not None and facts.achievements:  # "做法：……" under a result is that result's
            attach(facts.details, facts.achievements[-1], *detail)
            continue
        whole = line
        core, line = split_lead_in(line)
        if core is not None and any(w in whole[: len(whole) - len(line)] for w in cue_words("overview_head")):
            line = _without_unit_named_first(facts, line)  # "先说一下我们社的基本情况：某合作社，现在……"
        if core is not None:  # "主要工作如下：", "现将有关情况汇报如下：" announce, they state nothing
            _unit_and_year_of_lead_in(facts, core)
            section = _section_of_lead_in(core) or section
            line = strip_bullet(line)
            if not line:
                continue
        header = _HEADER.match(line)
        if header:
            key, rest = header.group("key").strip(), header.group("rest").strip()
            field_name = field_of_key(key)
            if field_name is None and key in cue_words("asking_style"):
                continue  # "写法：要有总体概述……四块": how to write the summary, no fact
            if field_name == "unit":
                unit, leftover = _unit_and_rest(rest)
                if unit and not labelled:
                    facts.unit, labelled = unit, True  # the label's name over one a title or a greeting gave
                if not facts.year and (year := bare_year(rest[len(unit):].strip("（）() "))):
                    facts.year = year  # "单位：某公司（2025年）"
                if leftover:
                    _add_sentences(facts, leftover, section)
                continue
            if field_name == "title":
                if rest and not facts.title:
                    facts.title = rest
                continue
            if field_name == "year":
                year = parse_year(rest) or parse_year(_first_year(rest))
                if year and not facts.year:
                    facts.year = year
                continue
            if field_name in LIST_FIELDS:
                section = field_name
                if rest:
                    _add_sentences(facts, rest, section)
                continue
            if field_name is None and rest and key.endswith(cue_words("overview_head")):
                section = "achievements"
                _add_sentences(facts, _without_unit_named_first(facts, rest), section)
                continue
            if field_name is None and rest and _bare_list(split_sentences(rest)[0]):  # "高频诉求前五名：物业管理、供暖……": the label says what
                _add_sentences(facts, line, section)   # the list is, the line is one fact
                continue
            if field_name is None and rest and _unnamed_label(key + "：", rest):  # "不太理想的地方：基层……"
                section = _part_of_unnamed(key, facts, section)
                _add_sentences(facts, rest, section)
                continue
        if label_text(line) in cue_words("overview_head"):  # "一、基本情况": the unit's make-up, read as results
            section = "achievements"
            continue
        bare = heading_field(line)
        if bare:
            section = bare
            continue
        title = _TITLE_LINE.match(line)
        if not facts.title and title and len(line) <= 40 and not _ASKS.match(line):
            facts.title = title.group("title")  # "……工作总结材料": the summary's title, 材料 is the paste's own word
            _guess_from_title(facts, facts.title)
            continue
        named = _ASIDE_AT_END.sub("", line)  # "……2025年工作要点（初稿，待领导审）": the aside is the paste's state
        if _REPORT_NAME.search(named) and len(named) <= 40 and not re.search(r"[，。；,;]", named):
            _guess_from_report_name(facts, named)  # "青石村村民委员会2025年工作情况": the unit and the year
            continue  # the paste's own name, not a fact
        if not facts.unit and facts.is_empty() and _name_line(facts, line):
            continue  # "漪澜县公证处 2025年", "梧岭县医保局2025年的情况我整理了一下……": the paste's name, no fact
        following = lines[at + 1] if at + 1 < len(lines) else ""
        if _topic_label(line, item, numbered[at + 1][1] if at + 1 < len(numbered) else "", following) \
                or _unnamed_label(line, following, bool(item) and section is not None):
            section = _part_of_unnamed(label_text(line), facts, section)
            continue
        _add_sentences(facts, line, section)
    if not facts.year:
        facts.year = _stated_year(facts)
    return facts


def _without_unit_named_first(facts: Facts, rest: str) -> str:
    """What a part on the unit's make-up says after the unit's name, which it takes where the paste has none
    ("基本情况：岫川县云雾岭茶叶专业合作社，现在入社的……" → the unit, and "现在入社的……")."""
    named = re.match(r"([^，,。；;]{4,30})[，,]", rest)
    if named is None or not ends_like_org(named.group(1)) or facts.unit:
        return rest
    facts.unit = named.group(1)
    return rest[named.end():]


def _without_asking(facts: Facts, line: str) -> str:
    """The line without the words that ask the assistant to write ("以下是……的主要工作情况，请帮忙写一份年度工作
    总结。"): a request states nothing, and what announces the paste only names the unit and the year."""
    spans = asked_clauses(line)
    if not spans:
        return line
    # a length beside a request is the length asked for ("麻烦帮我整理成……，4000字以内就行"), no fact
    spans += [c.strip() for c in split_clauses(line, stop=True) if c.strip() and only_length(c)]
    for span in spans:
        line = line.replace(span, "", 1)
        if not facts.unit and facts.is_empty():
            _unit_in_request(facts, span)  # "领导让我把榴畈县救助管理站2025年的工作整理成年度总结"
        if not facts.year and re.search(rf"{YEAR}年", span):
            facts.year = parse_year(_first_year(span)) or ""  # "想请你帮我们写一份2025年度的工作总结"
    line = re.sub(r"([，,；;])[\s，,；;]+", r"\1", line)  # the marks a removed clause stood between
    rest = re.sub(r"^[\s，,。；;：:！!]+|[\s，,。；;：:！!]+$", "", line)
    if rest and _is_talk(rest):
        if not facts.unit and facts.is_empty():
            _unit_in_request(facts, rest, this_year=True)  # "青禾路营业部今年的情况，帮忙整理一下……"
        return ""  # what is left of a request is talk: "材料大概就这些"
    if not rest or announcement_pattern().match(rest):
        if rest:
            _unit_and_year_of_lead_in(facts, rest)
            named = announcement_pattern().sub("", rest)
            if _REPORT_NAME.search(named):  # "以下是安平县疾控中心2025年的主要工作情况": the unit and the year
                _guess_from_report_name(facts, named)
            if not facts.unit and facts.is_empty():
                _name_line(facts, rest)  # "这是我们雁汀县归国华侨联合会（县侨联）2025年的情况"
        return ""
    if not facts.unit and facts.is_empty() and _unit_in_request(facts, rest):
        return ""  # the rest of a request only named the unit and the year
    return rest


def _without_short_name(name: str) -> str:
    """A unit's name without the short form after it ("……归国华侨联合会（县侨联）" → "……归国华侨联合会")."""
    return _ASIDE_AT_END.sub("", name)


def _is_talk(text: str) -> bool:
    """What is left around a request or an introduction is talk, no fact: short, no number, no action of the unit
    ("材料大概就这些", "情况我大概列了一下")."""
    return len(text) <= 12 and not re.search(r"\d", text) and not _ACTION_START.match(text)


def _unit_in_request(facts: Facts, sentence: str, this_year: bool = False) -> bool:
    """The unit and year a request names inside its sentence ("领导让我把榴畈县救助管理站2025年的工作整理成年度总结"):
    the words before the year that end like an organisation, back to the first pronoun, preposition or particle.
    With `this_year`, "今年" stands for the year too ("青禾路营业部今年的情况"), and no year is taken."""
    said = alternation(cue_words("this_year_said")) if this_year else ""
    m = re.search(rf"({YEAR})年" + (f"|(?:{said})" if said else ""), sentence)
    if m is None:
        return False
    before = sentence[: m.start()].rstrip("的 ")
    into = [before.rfind(w) + len(w) for w in cue_words("request_into") if w in before]
    before = before[max(into):] if into else before  # "……整理成泓阳宾馆": the unit starts after what it becomes
    full = re.search(r"[（(]([^（）()]{4,30})[)）]$", before)  # "是我们所（澄溪市明衡律师事务所）2025年的"
    unit = full.group(1) if full and ends_like_org(full.group(1)) else org_at_end(_without_short_name(before))
    if not unit:
        return False
    facts.unit = unit
    facts.year = facts.year or (parse_year(m.group(1)) if m.group(1) else "")
    return True


_TITLE_LINE = re.compile(r"^(?P<title>[^，。；,;：:]{2,36}?(?:工作总结|年度总结))(?:材料|素材|初稿|草稿|稿|（初稿）|（草稿）)?$")


_CLAUSE_MARKS = re.compile(r"[，。；,;！？!?、]")
# A line that asks for a summary ("写一份年度总结", "帮忙起草……工作总结") names none.
_ASKS = re.compile(rf"^(?:{alternation(cue_words('asking'))}|{alternation(cue_words('asking_write'))})")


def _unnamed_label(line: str, following: str, listed: bool = False) -> bool:
    """A label in the user's own words that names no part the grammar knows ("【今年做成的事】", "学校概况和年度亮点"
    before a list): set off in brackets, or ending on a colon with nothing after it, or a short line that states no
    number and no action before a line that does — unless it is an item of a list under a part already named
    (`listed`: "明年想做的：\n1. 栖桐分所开起来\n2. ……做到30%"). It announces what follows and states nothing."""
    text = re.sub(rf"^{YEAR}年度?", "", line.strip())  # "2026年想这么做：": the year is the part's, not a number
    if not following:
        return False
    named = re.sub(r"\s*[（(][^（）()]*[)）][：:]?\s*$", "", text)  # "数据（截止12月20日 ……先按这个写）"
    if named != text and 2 <= len(named) <= 8 and not re.search(r"[\d，,。；;]", named) and states_quantity(following):
        return True
    if re.fullmatch(rf"{YEAR}(?:年度?)?\s*[：:]", fold_width(line.strip())):
        return True  # "2026：" over next year's list: the year names the part
    if re.search(r"\d", text):
        return False
    if 2 <= len(wrapped_text(text)) <= 20:
        return True
    body = text.rstrip("：:")
    if _CLAUSE_MARKS.search(body) or len(body) > 16:
        return False
    if body != text:
        return len(body) >= 2 and not _ACTION_START.match(body)  # "开展培训：12期" is a fact cut at its colon
    # a short line that is an item of its own ("活动经费不足") names a problem or a plan by its cues
    return not listed and len(body) >= 4 and not _ACTION_START.match(body) and not re.search(action_alternation(), body) \
        and classify_fact(body) == "achievements" and states_count(following) \
        and not _HEADER.match(following) and heading_field(following) is None


def _bare_list(text: str) -> bool:
    """A list of names and nothing else ("物业管理、供暖、房屋交房和办证、劳动工资拖欠、交通出行"): no number, no action."""
    body = text.strip().rstrip("。.；;")
    return "、" in body and not re.search(r"[，,。；;]", body) and not states_quantity(body) \
        and not re.search(action_alternation(), body)


def _topic_label(line: str, kind: str, next_kind: str, following: str) -> bool:
    """A part of the user's own notes on one line of work ("一、基本医疗", "二、优待和走访慰问", "● 宣传培训"): numbered
    as a part ("一、") over lines that are not parts themselves, or set off by a heavy symbol over bulleted lines;
    short, no number, no clause. It names the topic of
    what follows and states nothing; its results come after it."""
    body = line.strip().rstrip("：:")
    parted = (kind == "cn" and next_kind != "cn") or (kind == "sym" and next_kind == "item")  # "● 门诊" over " - ……"
    return parted and bool(following.strip()) and 2 <= len(body) <= 12 \
        and not re.search(r"\d", re.sub(rf"^{YEAR}年度?", "", body)) and not _CLAUSE_MARKS.search(body)


def _part_of_unnamed(label: str, facts: Facts, section: str | None) -> str | None:
    """The part an unnamed label opens: the one its cue words or a later year name (problems, plans); the results
    when none has been read yet; otherwise each sentence goes by its own cues."""
    named = classify_fact(label)
    if named != "achievements":
        return named
    said = parse_year(_first_year(label)) if re.match(YEAR, label) else ""
    if said and facts.year and said > facts.year:
        return "plans"  # "2026年想这么做" in a summary of 2025
    if said and not facts.year and not (facts.problems or facts.plans):
        facts.year = said  # "2025年主要数据：" before problems and plans: the year the results are of
    return "achievements" if not (facts.achievements or facts.problems or facts.plans) else None


def _lines(text: str) -> list[tuple[str, str]]:
    """The paste's lines, bullets stripped, each with how it was numbered ("cn" for "一、", "item" for any other
    bullet or number, "" for none), with a line of several labels ("单位：… 年度：… 成绩：…") cut into one line per
    label."""
    out = []
    for raw_line in (text or "").splitlines():
        if _SEPARATOR.match(raw_line.strip()):
            inner = re.sub(rf"[{_RULE_MARKS}\s]+", " ", raw_line).strip()
            if inner and (heading_field(inner) or (len(inner) <= 12 and field_named_in(inner))):
                out.append((inner, ""))  # "==== 还存在的短板 ====": a part's label set off by marks
            continue
        line = strip_bullet(raw_line)
        item = marker_kind(raw_line) if line else ""
        if not line:
            continue
        boxed = _BOXED_KEY.match(line)
        if boxed and (field_of_key(boxed.group("key")) is not None or not re.search(r"\d", boxed.group("key"))):
            line = f"{boxed.group('key')}：{boxed.group('rest')}"  # "【单位】某办公室" is "单位：某办公室", and
            # "【站里情况】在职13人……" a label of the user's own before its facts
        spaced = _SPACED_LABEL.match(line)  # "基本情况 管理部7个人……", "问题 人太少……": a label set off by a blank
        if spaced and (heading_field(spaced.group("key")) or field_of_key(spaced.group("key"))
                       or (len(spaced.group("key")) <= 4 and field_named_in(spaced.group("key")))
                       or spaced.group("key") in cue_words("overview_head")):
            line = f"{spaced.group('key')}：{spaced.group('rest')}"
        dashed = _DASH_LABEL.match(line)  # "梯 田——新修梯田1.2万亩": a dash typed for the label's colon
        if dashed and ends_like_org(dashed.group("key").replace(" ", "")):
            line = f"{dashed.group('key')} {dashed.group('rest')}"  # "安平市职业病防治院——2025年工作情况": set apart
        elif dashed and len(dashed.group("key")) <= 9:  # as by a blank; "梯 田——……": a short label
            line = f"{dashed.group('key')}：{dashed.group('rest')}"
        cuts = [m.start() for m in _LABEL_RUN.finditer(line) if m.start() > 0]
        for start, end in zip([0, *cuts], [*cuts, len(line)], strict=True):
            piece = line[start:end].strip(" \t，,；;")
            if piece:
                out.append((piece, item))
    return out


_SPACED_LABEL = re.compile(r"^(?P<key>[\u4e00-\u9fff]{2,8})[ \t\u3000]+(?P<rest>\S.*)$")
_DASH_LABEL = re.compile(r"^(?P<key>[\u4e00-\u9fff][\u4e00-\u9fff \u3000]{0,19}?)\s*(?:——|—|--|－－|─+)\s*(?P<rest>\S.*)$")
# A known key in brackets with its value after it on the same line ("【单位】某某办公室", "[年度] 2025年").
_BOXED_KEY = re.compile(r"^[【\[]\s*(?P<key>[^】\]]{1,10}?)\s*[】\]]\s*(?P<rest>\S.*)$")
# A label that starts a new field inside one line: after a blank or a clause mark, a known key and a colon.
_LABEL_RUN = re.compile(rf"(?<=[\s，,。；;])(?:{label_pattern()})\s*[：:]")
_UNIT_NAME_END = re.compile(rf"(?:{org_ending()})$")


def _unit_and_rest(value: str) -> tuple[str, str]:
    """"某街道工会 今年组织……" → ("某街道工会", "今年组织……"): a unit name stops at a blank when a sentence
    follows it; a name with a blank inside ("某某 工会") is kept whole."""
    value = value.strip().rstrip("。.")
    # "……林场（公益一类，在编职工46人）": the aside is a fact; "（2025年）" the year; what follows it ("市外办（与市友协
    # 合署办公），内设4个科室，在编17人") says more of the unit
    aside = re.fullmatch(r"(?P<name>[^（(，,。；;]{2,40}?)[（(](?P<aside>[^（）()]+)[)）](?:[，,；;](?P<more>.+))?", value)
    if aside and _UNIT_NAME_END.search(aside.group("name")) and _said_of_unit(aside.group("aside"), aside.group("name")):
        said = "" if bare_year(aside.group("aside")) else aside.group("aside")
        return aside.group("name"), "，".join(p for p in (said, (aside.group("more") or "").strip()) if p)
    said = re.match(r"(?P<name>[^（(，,。；;\s]{2,40}?)[，,。；;](?P<rest>.+)", value)
    if said and _UNIT_NAME_END.search(said.group("name")):
        return said.group("name"), said.group("rest").strip()  # "……管理所，县水利局下属，在编21人。"
    head, _, tail = value.partition(" ")
    if tail.strip() and _UNIT_NAME_END.search(head) and not _UNIT_NAME_END.fullmatch(tail.strip()):
        return head, tail.strip()
    return value, ""


def _said_of_unit(aside: str, name: str) -> bool:
    """An aside after a unit's name that says something of the unit ("公益一类，在编职工46人", "省盐业集团控股",
    "2025年"), not another name of it ("县侨联", "120指挥调度中心", "临渚市第三人民医院")."""
    if ends_like_org(aside) or short_form_of(aside, name):
        return False
    return bool(re.search(r"[，,\d]", aside)) or len(aside) >= 4


def _unit_and_year_of_lead_in(facts: Facts, core: str) -> None:
    """A lead-in states nothing, but it may name the unit and the year ("我们是县农业农村局，2025年主要做了这些：")."""
    intro = unit_intro(without_greeting(core))
    if intro is not None:
        facts.unit = facts.unit or intro[0]
    years = stated_years(core)
    if len(years) == 1 and not facts.year:
        facts.year = years.pop()


def _section_of_lead_in(core: str) -> str | None:
    """The section a lead-in announces ("存在的问题主要有：" → problems); None for a general one."""
    core = core.strip()
    if not core:
        return None
    return heading_field(core) or (field_named_in(core) if len(core) <= 12 else None)


def _stated_year(facts: Facts) -> str:
    """The year the paste states for its results ("2025年，我们…"), when exactly one is stated; "今年" is no
    year, and a plan's year is the next one, so plans are not read."""
    years = set()
    for text in (facts.title, *facts.achievements, *facts.notes):
        years |= stated_years(text)
    return years.pop() if len(years) == 1 else ""


def _first_year(text: str) -> str:
    m = re.search(YEAR, fold_width(text))
    return m.group(0) if m else ""


_REPORT_NAME = re.compile(rf"(?:{YEAR}|今|本|全)年度?(?:的)?"
                          r"(?:工作|主要工作)?(?:情况|汇报|报告|总结|情况汇报|完成情况|要点)$")
_ASIDE_AT_END = re.compile(r"\s*[（(][^（）()]{1,20}[)）]$")
# A line that only separates ("-------- 转发的内容 --------", "=====", "***"): a run of marks, a few words at most.
_RULE = "-—–=＝*＊_~～"  # what a rule is drawn with; the marks a separator line may also hold:
_RULE_MARKS = _RULE + "·•"
_SEPARATOR = re.compile(rf"^[{_RULE_MARKS}\s]*(?:[{_RULE}]{{3}})[{_RULE_MARKS}\s]*[^\d，。；,;]{{0,12}}?[{_RULE_MARKS}\s]*$"
                        rf"|^[^\d，。；,;]{{0,12}}?\s*[{_RULE}]{{3,}}\s*$")


def _guess_from_report_name(facts: Facts, line: str) -> None:
    """The unit and year a paste's name gives ("青石村村民委员会2025年工作情况"), where the paste has none yet."""
    m = re.match(rf"^(?P<unit>[\u4e00-\u9fffA-Za-z0-9（）()]{{2,30}}?)\s*(?P<year>{YEAR})年度?", fold_width(line))
    if m is None:
        return
    facts.year = facts.year or parse_year(m.group("year"))
    if not facts.unit and ends_like_org(m.group("unit")):
        facts.unit = m.group("unit")


# What may follow a unit and its year on the line that names a paste: nothing, or what the paste is
# ("的情况", "工作情况汇报材料", "年度数据"), then anything without a number (a request, a remark).
@cache
def _name_line_pattern() -> re.Pattern[str]:
    scope, what = (alternation(cue_words(n)) for n in ("paste_name_scope", "paste_name_what"))
    # the year may stand in brackets after the name ("望山县民兵训练基地（2025年）")
    # … or stand without 年 before what the paste is ("公积金 南溪县管理部 2025总结 素材")
    # … or alone at the line's end ("溪南县皮肤病防治所 2025"), or in two digits ("云江市妇儿活动中心 25年"), or as 今年
    # ("平川汽车站 今年的": the unit, no year)
    said = rf"(?P<year>{YEAR})(?:年度?|(?=\s*(?:{what}))|(?=\s*$))|(?P<short>[1-3]\d)年度?|(?:今年|本年度?)(?:的)?"
    return re.compile(rf"^(?P<unit>[^\d，。；,;：:]{{2,30}}?)\s*(?P<open>[（(])?(?:{said})"
                      r"(?(open)[)）])"
                      rf"(?P<rest>(?:的)?(?:{scope})?(?:工作(?:{what})?|{what})[^\d]*|\s*[：:]?)$")


_YEAR_AND_FIELD = re.compile(rf"^(?P<year>{YEAR})年度?(?P<field>[\u4e00-\u9fff]{{2,8}}?)工作$")
_NAME_LEAD = re.compile(rf"^(?:{alternation(cue_words('paste_name_lead'))})")


def _name_line(facts: Facts, line: str) -> bool:
    """Take the unit and the year from a line that only names the paste (an organisation's name, a year, what
    the paste is, words in text/data/cue_words.txt) or only the unit ("石梁县老年大学"); False, and nothing taken,
    for any other line ("县图书馆2025年获评……" is a fact)."""
    folded = fold_width(line).strip()
    text = folded.rstrip("。.")
    if re.fullmatch(r"[\u4e00-\u9fff（）()]{4,30}", text) and ends_like_org(text):
        facts.unit = _without_short_name(_NAME_LEAD.sub("", text))  # the first line only names the unit
        return True
    field = _YEAR_AND_FIELD.match(text)
    if field and not _ACTION_START.match(field.group("field")):  # "2025年老龄工作": the year and the line of work
        facts.year = facts.year or parse_year(field.group("year"))
        return True
    m = _name_line_pattern().match(re.sub(r"[（(][^（）()\d]{1,8}[)）]$", "", folded))  # "……工作（素材）"
    if m is None:
        return _parts_name_line(facts, folded)
    if states_count(m.group("rest")):  # "……今年总结 帮我写一下 我们站就……两个人": a fact goes on
        return False
    unit = close_cjk_gaps(_NAME_LEAD.sub("", m.group("unit").strip()).strip())
    unit = _without_short_name(unit)
    if not ends_like_org(unit) or len(unit) <= 2:  # "我们基地2025年的情况": a kind of unit, no name
        return False
    facts.unit = unit
    short = f"20{m.group('short')}" if m.group("short") else ""
    facts.year = facts.year or parse_year(m.group("year") or short)
    return True


def _parts_name_line(facts: Facts, line: str) -> bool:
    """A first line set out in parts by blanks or bars, the year anywhere among them ("海陵市外办｜2025全年｜随手记，
    供写总结用", "2025年度 安塬县水土保持工作站 情况汇总（给写材料的同志）"): one part is the unit (a name ending like an
    organisation's), one the year, the rest say what the paste is or whom it is for and count nothing."""
    head, *tail = re.split(r"[，,。；;]", re.sub(r"[（(]([^（）()\d]{1,16})[)）]", "", line), maxsplit=1)
    if tail and tail[0].strip() and not talks_to_assistant(tail[0]):
        return False  # "……｜2025全年，接待外宾46批": a fact goes on
    parts = [p for p in re.split(r"\s*[｜|/·]\s*|\s+", head) if p]
    units = [p for p in parts if re.fullmatch(r"[\u4e00-\u9fff（）()]{4,30}", p) and ends_like_org(p)]
    year_of = {p: re.fullmatch(rf"({YEAR})(?:年度?|全年|年全年)?", p) for p in parts}
    years = [y for y in year_of.values() if y]
    rest = [p for p in parts if p not in units and not year_of[p]]
    what = cue_words("paste_name_what")
    if len(parts) < 2 or len(units) != 1 or len(years) != 1 \
            or any(states_count(p) or not any(w in p for w in what) for p in rest):
        return False  # "县图书馆 2025年 新馆开放": what follows is a fact, not what the paste is
    facts.unit = _without_short_name(_NAME_LEAD.sub("", units[0]))
    facts.year = facts.year or parse_year(years[0].group(1))
    return True


def _guess_from_title(facts: Facts, title: str) -> None:
    m = re.match(rf"^(?P<unit>.*?)(?P<year>{YEAR})年度?(?P<rest>.*?)工作总结$",
                 fold_width(title))
    if not m:
        m2 = re.match(rf"^(?P<year>{YEAR})年度?(?P<unit>.+?)工作总结$", fold_width(title))
        if m2:
            facts.year = facts.year or parse_year(m2.group("year"))
            facts.unit = facts.unit or m2.group("unit")
        return
    facts.year = facts.year or parse_year(m.group("year"))
    facts.unit = facts.unit or (m.group("unit") or m.group("rest")).strip()


# A list numbered inside one line ("培训3期 2. 慰问10户"): cut before each marker that follows a blank.
_INLINE_ITEM = re.compile(r"(?<=\S)\s+(?=(?:\d{1,2}(?:[.．](?!\d)|[、)）])|[（(]\d{1,2}[)）]|[①-⑳]))")


def _rejoined(pieces: list[str]) -> list[str]:
    """Sentences put back together where one goes on with the one before: a piece that is only a name in a list of
    what the unit held ("承办了全市中小学生艺术展演；“六一”大型游园；科技节；元旦新年音乐会。": a short piece with no
    number and no action, after a semicolon), and one that opens on 其中 ("……诉求186.4万件。其中电话152.7万件"),
    which breaks down the one before."""
    out: list[str] = []
    for piece in pieces:
        body = piece.strip().rstrip("；;。")
        if out and ((out[-1].rstrip().endswith(("；", ";")) and _listed_name(body))
                    or (body.startswith("其中") and classify_fact(body) == classify_fact(out[-1]))
                    or _goes_on_counting(out[-1], body) or _points_back(body, out[-1])):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _goes_on_counting(before: str, body: str) -> bool:
    """"二是……" after a sentence whose reasons are counted from "一是……" ("下降原因主要两个：一是……；二是……"): the
    next reason for the same result, not a result of its own (it had become the heading "改造施工"). A list of the
    user's own items counted so ("今年干了啥：一是……。二是……") stays a list."""
    if re.search(rf"(?:{alternation(cue_words('reason_head'))})[^。！？]{{0,16}}?一是", before) is None:
        return False
    return any(body.startswith(f"{int_to_cn(n)}是") and f"{int_to_cn(n - 1)}是" in before for n in range(2, 11))


def _points_back(body: str, before: str) -> bool:
    """A sentence that opens by pointing at the one before ("这个下降原因主要两个：……", "这主要是……") says more of
    it; it stays with it (it had become a fact of its own, "这个下降原因主要两个：", flagged in the draft)."""
    return re.match(rf"(?:{alternation(cue_words('pointing_back'))})(?:{alternation(cue_words('pointing_on'))})", body) \
        is not None \
        and classify_fact(body) == classify_fact(before)


def _listed_name(body: str) -> bool:
    """A short piece with no number, no clause and no action, of no other part ("科技节"): a member of a list."""
    return 2 <= len(body) <= 12 and not states_quantity(body) and not _CLAUSE_MARKS.search(body) \
        and not re.search(action_alternation(), body) and classify_fact(body) == "achievements"


def _add_sentences(facts: Facts, text: str, section: str | None) -> None:
    pieces = [p for s in split_sentences(text) for p in _INLINE_ITEM.split(s)]
    if (section or "achievements") == "achievements":
        pieces = _rejoined(pieces)
    for sentence in pieces:
        sentence = without_asides(strip_bullet(without_greeting(strip_bullet(sentence))))
        core, sentence = split_lead_in(sentence)
        if core is not None:
            _unit_and_year_of_lead_in(facts, core)
            section = _section_of_lead_in(core) or section
            sentence = strip_bullet(sentence)
        intro = unit_intro(sentence)  # "我们是县水务局工会，今年……": the unit, then the rest is a fact
        if intro is not None:
            facts.unit = facts.unit or intro[0]
            sentence = strip_bullet(intro[1])
            if _is_talk(sentence) and re.search(r"[我你您]", sentence):
                continue  # "我是……的，情况我大概列了一下": the writer introduced, then talk about the paste
        elif not facts.unit and facts.is_empty():
            facts.unit = unit_subject(sentence)  # "县水务局工会今年组织……": the fact stays whole
        if talks_to_assistant(sentence):
            if not facts.year and (said := re.search(rf"({YEAR})年", sentence)):
                facts.year = parse_year(said.group(1))  # "2025年工作总结要用的材料，……语气朴实一点": the year stays
            if not facts.unit and facts.is_empty():
                _unit_in_request(facts, sentence, this_year=True)  # "会展中心今年的材料，……你帮着理理："
            continue  # "……有点乱，你看着整理", "语气正式点，按机关年度总结的格式来", "谢谢！": no fact
        if year := bare_year(sentence):  # "2024年。" alone says which year, it is no fact
            facts.year = facts.year or year
            continue
        announced = report_lead(sentence)  # "下面是2025年的情况。" announces the report: no fact, maybe the year
        if announced is not None:
            facts.year = facts.year or announced
            continue
        if not sentence or not re.search(r"[\w\u4e00-\u9fff]", sentence):
            continue
        told = told_detail(sentence)  # "具体是这么做的，先做……": how the result before was done
        if told is not None and facts.achievements and (section or "achievements") == "achievements":
            attach(facts.details, facts.achievements[-1], *told)
            continue
        labelled = section_prefix(sentence)  # "存在的问题是……": the label goes, the user's words stay
        target = section or classify_fact(sentence)
        if target == "achievements" and _BACKGROUND.search(sentence) and not _ACTION_START.search(sentence):
            target = "notes"  # "全园在园幼儿426名，教职工58人": how big the unit is, not what it achieved
        if labelled is not None:
            target, sentence = labelled
        bucket: list[str] = getattr(facts, target)
        for item in result_clauses(sentence) if target == "achievements" else [sentence]:
            if item not in bucket:
                bucket.append(item)


# A sentence that only says how big the unit is ("全园在园幼儿426名，教职工58人", "现有会员870人").
_BACKGROUND = re.compile(r"^(?:全[园校院局所站队司厂]|现有|共有|目前有|在园|在校|在职|在编|下辖|辖区(?:内)?有|截至[^，。]{0,12}有)")
# A clause that opens with the unit's own action: "举办阅读推广活动180场".
# (发放, 参加 and 参与 are left out: "发放慰问金6.3万元" after "慰问困难职工42户" is what the visits paid, and
# "参加家庭380个" who came, not results of their own.)
_ACTION_START = re.compile(r"^(?:全年|今年|年内|共|累计|新)?(?:" + action_alternation(exclude=("发放", "参加", "参与")) + ")")


def result_clauses(sentence: str) -> list[str]:
    """A narrative sentence of several results ("全年接待读者52万人次，举办阅读推广活动180场，新增馆藏图书3.2万册")
    → one fact per result, each clause's words as typed; a clause that does not open with an action of its own
    ("合格率97.6%", "发放慰问金6.3万元" after the visits it paid for) stays with the one before. A sentence of
    one result, or whose clauses carry no numbers of their own, stays whole."""
    body = sentence.rstrip("。；;！!")
    clauses = re.split(r"[，,]", body)
    if len(clauses) < 3 or any(not c.strip() for c in clauses):
        return [sentence]
    groups: list[str] = []
    for clause in clauses:
        own = _ACTION_START.match(clause.strip()) and states_quantity(clause)
        if groups and not own:
            groups[-1] += "，" + clause
        else:
            groups.append(clause)
    if len(groups) < 3 or not all(states_quantity(g) for g in groups):
        return [sentence]
    return [g.strip() for g in groups]


_SOLVED = re.compile(r"(?<![尚未没有])(?:解决了|帮助解决|协调解决|已解决|得到解决|解决的问题|解决[^，。；]{0,12}问题)")


def classify_fact(sentence: str) -> str:
    """'achievements', 'problems' or 'plans' for a sentence outside any section, by its cue words."""
    if future_pattern().search(sentence):
        return "plans"
    if problem_pattern().search(sentence) and not _SOLVED.search(sentence):
        return "problems"
    return "achievements"
