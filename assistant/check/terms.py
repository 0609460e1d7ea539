"""What a result is about, in its own words, and the verbs a clause opens with: the work it names, the verb it uses, a measure's direction.

A heading names the work of the results under it in the user's words and the house's frame. From one fact
("开展食品安全抽检1280批次，合格率97.6%") this finds the phrases a heading can be built on:

- a *nominal* term, the thing worked on ("食品安全抽检"), to go after a house verb ("强化食品安全抽检");
- a *verbal* term, the fact's own verb phrase ("开展食品安全抽检"), a clause as it stands;
- a *measure* ("不良贷款率", "火灾起数") with the direction the fact reports (fell: -1, rose: +1), so a heading
  never raises what the unit lowered.

Phrases are cut on whole words (the ledger's tokenizer), before the fact's first number or clause mark, with a
quoted name kept whole. `is_background` tells a fact that only says how big the unit is ("全院护理人员586人").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.check.sentences import _FUNCTION_WORDS
from assistant.check.vocabulary import heading_words
from assistant.text.names import ends_like_org
from assistant.text.numbers import CODE_NAME_RE, Quantity, find_quantities, squash, unit_class
from assistant.text.sentences import split_clauses
from assistant.text.verbs import ACTION_VERBS
from assistant.text.wordlists import alternation

QUOTED = re.compile(r"[“\"《][^”\"》]{1,16}[”\"》]")
_CLAUSE_MARK = re.compile(r"[，,。；;：:、（(！!？?]")
_CLAUSE_MARK_NOT_LIST = re.compile(r"[，,。；;：:（(！!？?]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Term:
    """A phrase a heading may be built on. `kind`: "nominal", "verbal" or "measure"."""

    text: str
    kind: str
    verb: str = ""  # the fact's own verb before a nominal term ("开展")
    direction: int = 0  # a measure: -1 fell, +1 rose, 0 not said
    fact: int = -1  # index of the fact in its group

    @property
    def work(self) -> bool:
        """Whether the phrase names work a heading can be about (not people, not the unit's size, not a partner
        the unit worked with)."""
        if self.verb in _words("partner_verbs"):
            return False
        return work_noun(self.text) or self.kind == "verbal"


def _words(kind: str) -> frozenset[str]:
    return heading_words().get(kind, frozenset())


def tokens(text: str) -> list[tuple[str, str]]:
    """Words and their parts of speech, with the genre's words kept whole (the ledger's tokenizer)."""
    from assistant.check.sentences import _tokenizer

    return [(p.word, p.flag) for p in _tokenizer().cut(text, HMM=False)]


def visible_quantities(text: str) -> list[Quantity]:
    """The numbers of a text a reader sees as numbers: a Chinese numeral inside a word ("红十字会", "一体化") is
    part of the word, not a count."""
    found = [q for q in find_quantities(text) if q.kind != "year"]
    if not found or all(re.search(r"\d", q.raw) for q in found):
        return found
    bounds, pos = [], 0
    for word, _ in tokens(text):
        bounds.append((pos, pos + len(word)))
        pos += len(word)
    return [q for q in found if re.search(r"\d", q.raw)
            or not any(a < q.end and q.start < b and (a < q.start or b > q.end) for a, b in bounds)]


def is_verb(word: str, flag: str) -> bool:
    return flag.startswith("v") and len(word) <= 4




def verb_head(text: str) -> str:
    """The verb a clause opens with, two characters at most ("守牢安全底线" → "守牢", "开展食品安全抽检" → "开展",
    "建强红色阵地" → "建强"); "" when it opens with something else."""
    if len(text) < 2 or not _HAN.match(text[:2]):
        return ""
    head = text[:2]
    first = _first_word(text[:8])
    if len(first) > 2 and first.startswith(head) and _dict_tag(first) in _NOUN_TAGS:
        return ""  # a noun that opens with a verb's characters ("献血者满意度", "服务中心全年接待"): no verb
    if head in _verbs() or head in ACTION_VERBS:
        return head
    tag = _dict_tag(head)
    if tag is not None:
        return head if tag.startswith("v") else ""
    if _dict_tag(text[0]) in ("v", "vg") and text[1] in _words("resultative"):
        return head  # 建强, 兜牢, 做优: a verb and its result
    return ""


@lru_cache(maxsize=1)
def amount_verbs() -> frozenset[str]:
    """Verbs that do something to an amount ("实现营业收入", "组织税费收入", "提高利润总额")."""
    return _words("light_verbs") | _words("up") | _words("down") | _words("reach")


_NOUN_TAGS = frozenset({"n", "nr", "ns", "nt", "nz", "nrt", "ng"})


@lru_cache(maxsize=8192)
def _first_word(text: str) -> str:
    return next(iter(tokens(text)), ("", ""))[0]


@lru_cache(maxsize=1)
def _verbs() -> frozenset[str]:
    """Two-character verbs the genre opens clauses with: the formula verbs that jieba tags as verbs or that end in
    a resultative (守牢, 做实), and the up/down verbs."""
    from assistant.check.vocabulary import formula_words

    out = set(_words("up") | _words("down"))
    for w in formula_words():
        if len(w) == 2 and (str(_dict_tag(w) or "").startswith("v") or w[1] in _words("resultative")):
            out.add(w)
    return frozenset(out)


@lru_cache(maxsize=4096)
def _dict_tag(word: str) -> str | None:
    import jieba.posseg

    tab = jieba.posseg.dt.word_tag_tab
    if not tab:
        jieba.posseg.dt.tokenizer.check_initialized()
    return tab.get(word)




def work_noun(text: str) -> bool:
    """A nominal phrase names work, not people, places or the unit's size: its last word is not one of those
    ("全院护理人员", "教学班", "工会会员" are not work)."""
    words = [w for w, _ in tokens(text)]
    if not words:
        return False
    last = words[-1]
    if text in _words("people") or last in _words("people") or any(text.endswith(p) for p in _words("people")):
        return False
    if any(len(w) >= 2 and w in _words("background") for w in words):
        return False  # "辖区现有登记在册经营主体": what the unit has is its size, not work
    if _names_body(text):
        return False  # "县司法局": a partner, not the work
    if _body_ending(text):
        return False  # "县级矛盾纠纷调处化解中心": a body is built or joined, not "做好"; its own verb may still head
    return len(text) >= 2


def ends_in_action(text: str) -> bool:
    """The phrase ends on a word of action, as a field of work does ("项目建设", "安全监管", "河道清淤疏浚"),
    not on a thing ("中心大厅面积", "水事违法案件") or a place ("车管所")."""
    bare = text.strip("“”\"《》")
    if len(bare) < 2:
        return False
    tag = _dict_tag(bare[-2:]) or (tokens(bare)[-1][1] if tokens(bare) else "")
    return tag.startswith("v") or bare[-2:] in ACTION_VERBS


def _body_ending(text: str) -> bool:
    return ends_like_org(text.strip("“”"), short=False)


def _names_body(text: str) -> bool:
    """The phrase is a body's name: one the name finder finds, or a place-level word and an organisation's
    ending around a few words ("县司法局", "市总工会"): a partner, not the work."""
    from assistant.text.names import find_names, org_ending

    if re.fullmatch(rf"[省市区县镇乡](?!级)[\u4e00-\u9fff]{{1,8}}(?:{org_ending(True)})", text):
        return True
    return any(n.kind in ("org", "place", "person") and len(n.text) >= len(text) - 1 for n in find_names(text))


def _lead_trimmed(text: str) -> str:
    """A fact without the time words and connectives before its work ("全年共开展……" → "开展……", "说句实话，……"
    → "……": the connectives are the ones rendering drops, text/cues.py)."""
    from assistant.text.cues import strip_connective

    text = strip_connective(text)
    changed = True
    while changed:
        changed = False
        for lead in sorted(_words("lead"), key=len, reverse=True):
            if text.startswith(lead) and len(text) > len(lead) + 2:
                text = text[len(lead):].lstrip("，, ")
                changed = True
                break
        toks = tokens(text[:8]) if not changed else []
        if len(toks) > 1 and toks[0][1] == "t" and len(text) > len(toks[0][0]) + 2 \
                and (toks[1][1].startswith("v") or _acts(toks[1][0])):
            text = text[len(toks[0][0]):].lstrip("，, ")  # "汛期转移……", "年初召开……": a time word before the work
            changed = True
    return text


def name_len(text: str) -> int:
    """A phrase's length as a reader reads it: quotation marks around a name are no characters of it."""
    return len(re.sub(r"[“”\"《》]", "", text))


def head_of(fact: str) -> str:
    """A fact's words before its first number or clause mark; a quoted name counts as one word."""
    text = _lead_trimmed(squash(fact, punctuation=False))
    text = re.sub(r"[（(][^）)]{1,16}[）)](?=[\u4e00-\u9fff])", "", text)  # "遗体（角膜）捐献": an aside, not a stop
    masked = QUOTED.sub(lambda m: "名" * len(m.group(0)), text)
    masked = CODE_NAME_RE.sub(lambda m: "名" * len(m.group(0)), masked)  # "5G智慧农机示范基地": a name, not a count
    numbers = [q.start for q in visible_quantities(masked)]
    stops = [m.start() for m in (_CLAUSE_MARK.search(masked),) if m]
    if stops and masked[stops[0]] == "、":  # a list: "组建篮球、羽毛球等职工兴趣小组", "完成食品、药品抽检"
        ends = [m.start() for m in (_CLAUSE_MARK_NOT_LIST.search(masked),) if m] + numbers
        seg = text[: min(ends)] if ends else text
        listed = re.search(r"等([\u4e00-\u9fff“”]{2,})$", seg)
        if listed:  # what the list is of, after its verb and whoever does it ("县老年大学新开设课程")
            before, pos = seg[: seg.find("、")], 0
            for word, _ in tokens(before):
                pos += len(word)
                if _acts(word):
                    return seg[:pos] + listed.group(1)
            if len(listed.group(1)) >= 4:
                return verb_head(seg) + listed.group(1)
        if "等" not in seg:
            # a list shares its last word: the whole of a short one; a long one names nothing a heading can
            # carry, never its first member alone ("运用CCTV" of "运用CCTV、QV管道检测设备检测管网")
            return seg if len(seg) <= 12 else ""
    stops += numbers
    return text[: min(stops)] if stops else text


def direction_of(fact: str, measure: str) -> int:
    """Whether the fact says `measure` fell (-1) or rose (+1): by its words after the measure, or by a "由 A … 至 B"
    pair of numbers."""
    at = fact.find(measure)
    after = fact[at + len(measure):] if at >= 0 else fact
    # The measure's own clause, and the next one only when it names no other measured thing: "不良贷款率1.2%，较年初
    # 下降……" fell, "接种率达100%，传染病发病率下降……" did not; "处置率100%，到场时间由28分钟缩短至19分钟" did not.
    if after.lstrip().startswith(tuple(_words("steady"))):
        return 0  # "公开率保持100%": it held; what the next clause says fell is another measure's
    own, *rest = split_clauses(after, stop=True, maxsplit=2)
    nxt = rest[0] if rest else ""  # the next clause alone: "较去年减少9件；年度读者满意度……" names no other measure
    if nxt and not any(m in nxt[:10] for m in _words("metric")):
        own = own + "，" + nxt
    # "投诉27件，去年是47件": this year's number against last year's, said without a verb of change
    last = _last_year_pattern().match(after)
    if last and (went := _went(last.group(2), last.group(1))):
        return went
    pair = re.search(r"(?:由|从)\s*([\d.]+)[^\d，。；]{0,6}?(?:下降|降低|减少|缩短|提高|提升|增加|增长|上升)?"
                     r"(?:至|到|为)\s*([\d.]+)", own)
    if pair and (went := _went(pair.group(1), pair.group(2))):
        return went
    window = own[:16]
    fell = min((window.find(w) for w in _words("fell") if w in window), default=-1)
    rose = min((window.find(w) for w in _words("rose") if w in window), default=-1)
    if fell >= 0 and (rose < 0 or fell <= rose):
        return -1
    if rose >= 0:
        return 1
    return 0


@lru_cache(maxsize=1)
def _last_year_pattern() -> re.Pattern[str]:
    """This year's number, then last year's in the next clause ("27件，去年是47件"; check/data [last_year])."""
    return re.compile(rf"\s*([\d.]+)[^\d，,；;。]{{0,4}}[，,]\s*(?:{alternation(_words('last_year'))})(?:同期)?"
                      r"(?:是|为|有|共|只有)?\s*([\d.]+)")


def _went(before: str, now: str) -> int:
    """-1 when the number went down from `before` to `now`, +1 up, 0 when equal or not numbers."""
    try:
        a, b = float(before), float(now)
    except ValueError:
        return 0
    return (b > a) - (b < a)


def _strip_dangling(words: list[str]) -> list[str]:
    """Words without a dangling word at the end, or a one-character function word at the start."""
    while words and words[-1] in _words("dangling"):
        words = words[:-1]
    while words and len(words[0]) == 1 and words[0] in _words("dangling"):
        words = words[1:]
    return words


_ORDINAL = re.compile(r"第[一二三四五六七八九十百\d]+[届次期批轮个]")
_BENEFICIARY = re.compile(r"^(?:为|向|给|帮助|帮|在|对|面向)")


def _without_beneficiary(head: str) -> str:
    """"为夜班医护人员改造值班休息室" → "改造值班休息室", "在辖区设立了" → "设立了": whom or where the work was
    for is not the work."""
    m = _BENEFICIARY.match(head)
    if not m:
        return head
    for k in range(m.end() + 1, min(len(head) - 1, m.end() + 13)):
        if any(head.startswith(v, k) for v in ACTION_VERBS):
            return head[k:]
    return head
_DETERMINERS = ("各类", "各项", "各种", "全部", "所有", "相关", "有关", "一批", "多项", "多个")


def _measure(head: str, fact: str) -> str:
    """The measured thing a head names before a verb of change or a number ("不良贷款率控制在" → "不良贷款率")."""
    stops = _words("fell") | _words("rose") | _words("dangling") | _words("steady") \
        | {"控制", "同比", "环比", "由", "从", "为", "是"}
    best = ""
    for metric in sorted(_words("metric"), key=len, reverse=True):
        for m in re.finditer(re.escape(metric), head):
            rest = head[m.end():]
            # "……比例保持在": a verb whose complement is the number ends the measure, whatever the verb
            if m.end() >= 2 and (not rest or any(rest.startswith(w) for w in stops)
                                 or re.fullmatch(r"[\u4e00-\u9fff]{1,2}[在于为到至]", rest)):
                candidate = head[: m.end()]
                if len(candidate) > len(best):
                    best = candidate
    return best


def _after_count(fact: str, head: str) -> str:
    """The noun a fact counts after its first number when its head ends in a verb ("设立了3个便民服务点" →
    "便民服务点", "完成2个网点的智能化改造" → "网点智能化改造")."""
    at = fact.find(head) + len(head) if head in fact else -1
    if at < 0:
        return ""
    rest = fact[at:]
    # the counter word must be there: after "10千伏", "3公里" the noun's own first characters are the unit
    # the noun must end where the phrase does: "完成186个村集体经济组织2024年度财务审计" counts no 村集体经济组织
    m = re.match(r"[了\s]*[\d.,，万亿余多]+\s*[个项家所处座间台条批场期次名户人件所套辆台部](?P<noun>[^，,。；;、\d（(]{2,14})"
                 r"(?=[，,。；;、（(]|$)", rest)
    if not m:
        return ""
    noun = m.group("noun").replace("的", "")
    return noun if _HAN.match(noun) else ""


def _clean_object(text: str) -> str:
    """An object without determiners and ordinals ("各类违法案件" → "违法案件", "第五届职工代表大会第三次会议" →
    "职工代表大会")."""
    for d in _DETERMINERS:
        if text.startswith(d) and len(text) > len(d) + 1:
            text = text[len(d):]
    text = _ORDINAL.sub("|", text).strip("|")
    return text.split("|", 1)[0]


def _not_work(head: str, fact: str) -> bool:
    """What a result reports is no work a heading can name: an honour ("获评先进集体"), something that did not
    happen ("未发生较大安全事故", "农机事故0起"), what the unit has ("全县还有乡镇调委会14个" → "有乡镇调委会")."""
    words = [w for w, _ in tokens(head)]
    if words and words[0] in _words("background"):
        return True
    first_clause = split_clauses(_lead_trimmed(fact), stop=True, maxsplit=1)[0]
    if any(w in _words("honour_verbs") for w, _ in tokens(first_clause)):
        return True
    if any(w in _words("negation") and i + 1 < len(words) and (words[i + 1] in ACTION_VERBS or verb_head(words[i + 1]))
           for i, w in enumerate(words)):
        return True
    first = next((q for q in find_quantities(fact) if q.kind not in ("year", "date")), None)
    return first is not None and first.value == 0


def _without_metric(measure: str) -> str:
    """A measure without its last word when that is a metric word of its own ("土地托管服务面积" → "土地托管服务");
    "" when what is left is too short to name a work, or the metric is part of a word ("吞吐量")."""
    parts = [w for w, _ in tokens(measure)]
    if len(parts) < 2 or parts[-1] not in _words("metric") or len(parts[-1]) < 2:
        return ""
    own = measure[: -len(parts[-1])]
    return own if len(own) >= 4 and _whole_phrase(own) else ""


def _measure_before_change(head: str) -> str:
    """A measured thing said without a metric word, before a verb of change ("残疾人信访件同比减少",
    "粮食烘干能力达到"): the words before the change, when they hold no verb of work."""
    found = [(head.find(w), w) for w in _words("fell") | _words("rose") if head.find(w) > 0]
    if not found:
        return ""
    at = min(found)[0]
    thing = re.sub(r"(?:同比|环比|比上年|较上年|较去年|比去年|较年初)$", "", head[:at])
    parts = tokens(thing)
    while parts and (parts[-1][1] in MANNER_FLAGS or parts[-1][0] in _words("manner")):  # "调度效率明显提升":
        # 明显 says how much, 持续 how long, not what
        thing = thing[: -len(parts.pop()[0])]
    if len(thing) < 2 or any(w in ACTION_VERBS or flag == "v" for w, flag in tokens(thing)):
        return ""
    return thing


def work_phrase(term: Term) -> str:
    """The work a term names, as a noun phrase an opening can list ("统筹推进违法案件查办、食品安全抽检等工作"):
    a light verb is dropped ("开展食品安全抽检" → "食品安全抽检"), any other verb follows its object ("查办违法案件"
    → "违法案件查办"); "" for a measure, a thing made or added ("新建录播教室"), people, or a bare count."""
    if term.kind == "measure" or not term.work:
        return ""
    verb = term.verb
    obj = term.text[len(verb):] if term.kind == "verbal" and term.text.startswith(verb) else term.text
    if not verb or verb in _words("made_verbs") or not work_noun(obj):
        return ""
    light = verb in _words("light_verbs")
    first = next(iter(tokens(obj)), ("", ""))
    if not light and (first[0] in ACTION_VERBS or obj[:2] in _verbs() or obj[:2] in ACTION_VERBS):
        return ""  # "走访慰问困难职工": the object is itself a verb phrase, no noun to put first
    phrase = obj if light else obj + verb
    return phrase if 2 <= len(phrase) <= 10 and _balanced(phrase) else ""


MANNER_FLAGS = ("a", "ad", "d")  # "成功应对", "积极参与": how the work went, before the verb of the work
_SET_PHRASE_FLAGS = ("l", "i")  # "圆满完成", "深入开展": a set phrase the tokenizer keeps whole


def _without_manner(head: str) -> str:
    """"圆满完成第五次全国经济普查" → "完成第五次全国经济普查", "成功应对" → "应对": a word of manner before the verb
    says how well the work went; the work is the verb and what follows it."""
    toks = tokens(head)
    if len(toks) < 2 and not (toks and toks[0][1] in _SET_PHRASE_FLAGS):
        return head
    word, flag = toks[0]
    if word in _words("negation"):
        return head  # "未发生……" says what did not happen, not how
    # 大力, 全面: tagged as nouns; a verb of work is never manner, whatever its tag ("清理拖欠……": 清理 tagged a)
    manner = (flag in MANNER_FLAGS or word in _words("manner")) and word not in ACTION_VERBS
    if manner and len(toks) > 1 and (toks[1][1].startswith("v") or _acts(toks[1][0])):
        return head[len(word):]
    if flag in _SET_PHRASE_FLAGS and len(word) >= 4 and word[-2:] in ACTION_VERBS and word[:2] not in ACTION_VERBS:
        return head[len(word) - 2:]
    if len(word) >= 4 and word[:2] in _words("manner") and word[2:4] in ACTION_VERBS:
        return head[2:]  # "全面推行……", kept whole as one word by the tokenizer
    return head


# A phrase a heading works on ends on a thing or a work ("档案接收", "安全监管"), not on a modifier or a particle:
# "县电商公共" (of 县电商公共服务中心) is cut before its noun.
_NO_END_FLAGS = ("a", "ad", "b", "c", "d", "f", "m", "p", "q", "r", "u", "uj", "ul", "y", "z")


def _whole_phrase(text: str) -> bool:
    """A term ends on a whole noun or work, not on a modifier or a particle."""
    if QUOTED.search(text):
        return True
    parts = tokens(text)
    return bool(parts) and parts[-1][1] not in _NO_END_FLAGS


def _measure_after_verb(measure: str) -> str:
    """"全系统实现销售总额" → "销售总额": a light verb inside a measure starts the measured thing (a verb of content
    is part of it: "家庭医生签约服务覆盖率")."""
    pos = 0
    for word, flag in tokens(measure):
        if pos > 0 and flag == "v" and word in _words("light_verbs") and len(measure) - pos - len(word) >= 3:
            return measure[pos + len(word):]
        pos += len(word)
    return measure


@lru_cache(maxsize=1)
def _topic_pattern() -> re.Pattern[str]:
    markers = alternation(_words("topic_marker")) or r"(?!)"  # no markers: no topic
    return re.compile(rf"(?:在|关于|对于)?(?P<t>[\u4e00-\u9fff“”]{{2,12}}?)(?:{markers})")


def _topic(head: str) -> str:
    """The topic a fact names before it is told ("理想信念教育这块" → "理想信念教育", "在安全生产方面" → "安全生产");
    "" when its head names none. Built once: terms_of runs for every result of every draft."""
    m = _topic_pattern().fullmatch(head)
    return m.group("t") if m else ""


def _without_verdict(head: str) -> str:
    """"松材线虫病疫情防控成效明显" → "松材线虫病疫情防控": how well the work went is the user's verdict, not the work."""
    # a verdict that says which way the work's measure went ("管理水平持续提升") is the fact's direction: it stays
    changes = _words("up") | _words("down")
    cuts = [head.find(v) for v in _words("verdicts") if head.find(v) >= 2 and v[-2:] not in changes]
    return head[: min(cuts)] if cuts else head


def _without_preamble(fact: str) -> str:
    """The fact from the verb of its work on, when a partner, a means or whom the work was for opens it and a verb
    of work follows within the clause: "配合公安、城管部门开展街面联合巡查146次" → "开展街面联合巡查146次",
    "对全县68家企业开展统计执法检查" → "开展统计执法检查", "通过村务公开栏、移民微信群宣传后扶政策" → "宣传后扶政策".
    The partner is not the work (a heading had "协助总部投行", "全县"); the fact itself is unchanged."""
    text = _lead_trimmed(squash(fact, punctuation=False))
    m = _preamble().match(text)
    if m is None:
        return fact
    for k in range(m.end() + 2, min(len(text) - 2, m.end() + 26)):
        if text[k] in "，,。；;：:":
            break
        if any(text.startswith(v, k) for v in ACTION_VERBS):
            return text[k:]
    return fact


@lru_cache(maxsize=1)
def _preamble() -> re.Pattern[str]:
    not_for = alternation(w[1:] for w in _words("dui_words"))  # 对接, 对口 …: no preposition
    return re.compile(rf"(?:{alternation(_words('partner_verbs'))}|对(?!{not_for})|面向)")


def terms_of(fact: str, index: int = -1) -> list[Term]:
    """The phrases of one fact a heading may be built on, best first."""
    head = _without_verdict(head_of(_without_preamble(fact)))
    topic = _topic(head)
    if topic:  # the user named the work; what is told of it after is talk ("今年做得不错——跟县里……搞了")
        return [Term(topic, "nominal", fact=index)] if name_len(topic) >= 4 and ends_in_action(topic) else []
    head = _without_beneficiary(head)
    if _not_work(head, fact):
        return []
    head = _without_manner(head)
    if head.startswith("新") and verb_head(head[1:]) and head[:2] not in ACTION_VERBS and head[:2] not in _verbs():
        head = head[1:]  # 新登记, 新开设: "new" belongs to the result, not to the work
    if len(head) < 2:
        return []
    out: list[Term] = []
    measure = _measure(head, fact) or _measure_before_change(head)
    if measure and re.search(re.escape(measure) + r"以[上下][\u4e00-\u9fff]", fact):
        measure = ""  # "规模以上工业企业": 以上 makes the measure a qualifier of what follows, no measure of its own
    if measure:
        measure = _clean_object(measure)
        lead = tokens(measure)[:1]
        if lead and lead[0][0] in ACTION_VERBS and lead[0][1].startswith("v") and len(measure) - len(lead[0][0]) >= 3:
            measure = measure[len(lead[0][0]):]  # "完成旅客吞吐量": the measure is 旅客吞吐量, 完成 is the fact's verb
            own = _without_metric(measure)
            if lead[0][0] in _words("light_verbs") and own:  # "开展土地托管服务面积": the work is 开展土地托管服务
                out.append(Term(lead[0][0] + own, "verbal", verb=lead[0][0], fact=index))
        else:
            measure = _measure_after_verb(measure)
        went = direction_of(fact, measure)
        out.append(Term(measure, "measure", direction=went, fact=index))
        parts = _words_of(measure)
        # a long measure also by its last words: "主要农作物耕种收综合机械化率" → "综合机械化率"
        for i in range(1, len(parts) - 1) if name_len(measure) > 12 else ():  # only when too long to head
            tail = "".join(parts[i:])
            if 5 <= len(tail) <= 10 and len(parts[i]) >= 2 and parts[i] not in _FUNCTION_WORDS:
                out.append(Term(tail, "measure", direction=went, fact=index))  # never "投入强度" alone
    raw = _words_of(head)
    words = _strip_dangling(raw)
    text = "".join(words)
    verb = verb_head(text) or verb_head("".join(raw))
    if verb and text.endswith(tuple(_words("amount"))) and verb not in amount_verbs():
        verb = ""  # "演出总收入", "出口销售额": the verb names the amount's kind; it did nothing to the amount
    if verb and len(text) > len(verb) + 1 and not measure:
        obj_words: list[str] = []
        rest = _strip_dangling(_words_of(text[len(verb):]))
        second = ""
        for i, w in enumerate(rest):
            after = "".join(rest[i + 1:])
            if obj_words and w in ACTION_VERBS and after and (QUOTED.fullmatch(obj_words[-1]) or
                                                             "".join(obj_words) in _words("people") or
                                                             after in _words("people")):
                # "“便民办税春风行动”走访企业", "组织全县中小学教师参加师德师风专题培训": a second verb phrase
                second = w + after
                break
            obj_words.append(w)
        obj = _clean_object("".join(_strip_dangling(obj_words)))
        if second and "".join(obj_words) in _words("people") or (second and _people_tail("".join(obj_words))):
            lead = verb if verb in ("组织", "带领", "指导", "动员", "引导") else ""
            own = _clean_object(second)
            if 3 <= len(lead + own) <= 12:
                out.append(Term(lead + own, "verbal", verb=lead or own[:2], fact=index))
            obj = ""
        if obj and len(obj) >= 2:
            if name_len(verb + obj) <= 12:
                out.append(Term(verb + obj, "verbal", verb=verb, fact=index))
            out.append(Term(obj, "nominal", verb=verb, fact=index))
            parts = _words_of(obj)
            # shorter objects on whole words: "食品安全抽检" → "安全抽检", never the last word alone ("活动")
            for i in range(1, len(parts) - 1) if len(obj) > 12 else ():
                tail = "".join(parts[i:])
                if len(tail) >= 2 and len(parts[i]) >= 2 and parts[i] not in _words("dangling") \
                        and parts[i] not in _FUNCTION_WORDS:
                    if name_len(verb + tail) <= 12 and len(tail) >= 4:  # "建成矛盾纠纷调处化解中心"
                        out.append(Term(verb + tail, "verbal", verb=verb, fact=index))
                    out.append(Term(tail, "nominal", verb=verb, fact=index))
    elif verb and not measure and len(text) <= len(verb) + 1:
        counted = _clean_object(_after_count(fact, head))
        if counted:
            if name_len(verb + counted) <= 12:
                out.append(Term(verb + counted, "verbal", verb=verb, fact=index))
            out.append(Term(counted, "nominal", verb=verb, fact=index))
    elif not measure:
        # a work word that ends the phrase names the work ("困难群众医疗救助"), it does not start a clause
        last = len(words) - 1
        names_work = bool(words) and (work_noun_tail(words[-1]) or [f for _, f in tokens(words[-1])][-1:] == ["vn"])
        cut = next((i for i, w in enumerate(words) if 0 < i and _acts(w) and not (i == last and names_work)),
                   len(words))
        subject = _clean_object("".join(words[:cut]))
        whole = _clean_object(text)
        if cut < len(words) and 4 <= len(whole) <= 10 and work_noun_tail(words[-1]):
            out.append(Term(whole, "nominal", fact=index))  # "家庭医生签约服务": the whole work, not its people
        if len(subject) >= 2 and not subject.endswith(tuple(_words("time_of_work"))):  # never "春节期间"
            out.append(Term(subject, "nominal", fact=index))
        own = "".join(_strip_dangling(words[cut:]))
        own = _new_dropped(own)  # "新开设课程": the work is 开设
        rest = words[cut + 1:cut + 2]
        if rest and rest[0][-2:] in ACTION_VERBS and len(rest[0]) > 2 and work_noun_tail(words[cut]):
            # "社会信用体系建设扎实推进": the work word ends the subject and a predicate follows ("扎实推进")
            whole = _clean_object("".join(words[:cut + 1]))
            if 4 <= len(whole) <= 10:
                out.append(Term(whole, "nominal", fact=index))
        elif 3 <= name_len(own) <= 12 and verb_head(own):  # quotation marks are no length
            out.append(Term(own, "verbal", verb=verb_head(own), fact=index))
    quoted = QUOTED.search(head)
    if quoted and 4 <= len(quoted.group(0)) <= 14 and not _HAN.match(head[quoted.end():quoted.end() + 1]):
        # a quoted name is the work only when nothing follows it: "“教工之家”示范点" names 示范点
        out.append(Term(quoted.group(0), "nominal", verb=verb, fact=index))
    out += [u for t in out for u in _uncounted(t)]
    seen: set[tuple[str, str]] = set()
    unique = []
    from assistant.text.names import titles

    named = titles(fact)
    for t in out:
        own = t.text[len(t.verb):] if t.kind == "verbal" and t.text.startswith(t.verb) else t.text
        if any(own.strip("《》") in title and own.strip("《》") != title for title in named):
            continue  # "国民经济和社会发展" of 《……国民经济和社会发展第十五个五年规划纲要》: a title is whole or nothing
        changed = any(t.text.find(w) > 0 for w in _words("fell") | _words("rose") if len(w) >= 2)
        # an adverb or a preposition inside makes a clause, not an object: "空气质量持续改善", "严格环境执法"
        parts = tokens(QUOTED.sub("名", t.text))  # a quoted name is one thing, whatever its words
        changed = changed or (t.kind != "measure" and (any(f in ("d", "vd", "ad", "p") for _, f in parts)
                                                     or (bool(parts) and parts[0][1] == "i")))  # "积极参与……"
        # a manner word before the verb is no object: "成功举办……" works on no "成功"
        changed = changed or (t.kind == "nominal" and bool(parts) and all(f.startswith("a") for _, f in parts))
        # a pronoun that points elsewhere ("是这么做", "该项目", "每家企业") names nothing of its own; a copula
        # or a word of aspect makes a clause ("合规部是今年的亮点", "建设项目正在实施")
        changed = changed or any((f == "r" and w[:1] in _words("pointing")) or w == "是" or w in _words("aspect")
                                 for w, f in parts)
        # what the fact counts in persons is people, not work ("毕业生2640人" heads no "加强毕业生"); a dash or an
        # ellipsis is no part of a work
        changed = changed or (t.kind == "nominal" and _counted_in_persons(t.text, fact)) \
            or re.search(r"[—…]", t.text) is not None
        ends_whole = t.kind == "measure" or _whole_phrase(t.text[len(t.verb):] if t.kind == "verbal" else t.text)
        if (t.text, t.kind) not in seen and 2 <= len(t.text) <= 14 and _balanced(t.text) and not changed and ends_whole \
                and not t.text.startswith("、") and not t.text.endswith("、"):
            seen.add((t.text, t.kind))
            unique.append(t)
    return unique


def _counted_in_persons(term: str, fact: str) -> bool:
    """A figure in persons (人, 名, 位: the number reader's one class of them) stands right after the term
    ("毕业生2640人"); "救助1.2万人次" counts services, not people."""
    ends = {m.end() for m in re.finditer(re.escape(term), fact)}
    return any(q.start in ends and q.raw[:1].isdigit() and unit_class(q.unit) == "人" for q in find_quantities(fact))


def _uncounted(term: Term) -> list[Term]:
    """The term without the count inside a quoted name, which no heading may carry: "“十五分钟便民生活圈”" →
    "便民生活圈" (the name's words after its count), "组织“百村千队”农民篮球联赛" → "组织农民篮球联赛"."""
    out = []
    for m in QUOTED.finditer(term.text):
        inner = m.group(0)[1:-1]
        counts = find_quantities(inner)
        if not counts:
            continue
        rest = inner[counts[-1].end:]
        text = term.text[: m.start()] + (rest if len(rest) >= 3 else "") + term.text[m.end():]
        own = text[len(term.verb):] if term.kind == "verbal" and text.startswith(term.verb) else text
        if len(own) >= 4 and not find_quantities(text):
            out.append(Term(text, term.kind, verb=term.verb, direction=term.direction, fact=term.fact))
    return out


def _new_dropped(text: str) -> str:
    """The words after a "new" that opens a verb ("新开设课程" → "开设课程"); the text as it is otherwise."""
    return text[1:] if text.startswith("新") and verb_head(text[1:] + "  ") else text


def _acts(word: str) -> bool:
    """A word of action, "新开设" too: what "new" opens is still a verb."""
    w = word[1:] if word.startswith("新") and len(word) >= 3 else word
    return w in ACTION_VERBS or w[:2] in ACTION_VERBS


def work_noun_tail(word: str) -> bool:
    """A word that ends a work noun ("改造", "服务", "活动" after a noun) rather than starting a new clause."""
    return word in ("改造", "建设", "管理", "服务", "治理", "监管", "整治", "改革", "培训", "检查", "抽检", "登记",
                    "活动", "工作", "行动", "工程", "项目", "比赛", "大赛", "竞赛", "讲座", "体检", "签约", "推广")


def _people_tail(text: str) -> bool:
    return any(text.endswith(p) for p in _words("people") | _words("staff") if len(p) >= 2)


def _words_of(text: str) -> list[str]:
    return [w for w, _ in _merge_quoted(tokens(text), text)]


def _merge_quoted(toks: list[tuple[str, str]], text: str) -> list[tuple[str, str]]:
    """Tokens with every quoted name as one token."""
    spans = [(m.start(), m.end()) for m in QUOTED.finditer(text)]
    if not spans:
        return toks
    out: list[tuple[str, str]] = []
    pos = 0
    for word, flag in toks:
        start, end = pos, pos + len(word)
        pos = end
        span = next(((a, b) for a, b in spans if a <= start < b), None)
        if span is None:
            out.append((word, flag))
        elif start == span[0]:
            out.append((text[span[0]:span[1]], "nz"))
    return out


def _balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in (("“", "”"), ("《", "》"), ("（", "）"), ("(", ")"))) \
        and text.count('"') % 2 == 0


def is_background(fact: str) -> bool:
    """A fact that only says how big the unit is (staff, classes, beds, residents): no work verb, and what it
    counts is people or the unit's size ("全院护理人员586人", "全校38个教学班", "全队现有指战员46人")."""
    qs = [q for q in find_quantities(fact) if q.kind in ("count",)]
    if not qs:  # "市政务服务和数据管理局下属，事业单位": whose the unit is and what kind, nothing it did
        return len(fact) <= 40 and any(w in fact for w in _words("structure") if len(w) >= 2) \
            and fact.rstrip("。. ").endswith(tuple(_words("unit_kind")))
    if len(fact) > 160:
        return False
    toks = tokens(fact)
    if any(f.startswith("v") and toks[i + 1][0] == "了" and w not in _words("background")
           for i, (w, f) in enumerate(toks[:-1])) and not any(_sized(c) for c in split_clauses(fact)):
        return False  # "上门服务进企业 跑了 27家": a verb and 了 narrate what was done, where nothing says what
        # the unit has ("现在执业律师41个，……分了四个业务部")
    # "我办为市政府工作部门，……": the unit saying what it is (我办为……, 本馆是……) is no work; what follows says
    # how big it is; "我局现有……": the unit calling itself is no verb of work
    fact = re.sub(r"^[我本][\u4e00-\u9fff](?:(?:为|是|系)[^，,；;。]*[，,；;])?", "", fact)
    parts = split_clauses(fact, maxsplit=1)
    if len(parts) == 2 and re.search(r"[为是系]", parts[0]) and not re.search(r"\d", parts[0]) \
            and parts[0].endswith(tuple(_words("unit_kind"))):  # "县计量检定所是……事业单位，现有……"
        fact = parts[1]
    first_text = split_clauses(fact, maxsplit=1)[0]
    if _sized(first_text):  # what follows says how the unit is made up ("其中……", "下设……", "聘用讲解员14人", "服务用电客户
        # 4.6万户"), whatever verbs its parts' names hold, unless a clause says what changed this year
        return not _changed_this_year(fact)
    if _measures_then_sized(fact):
        return True
    if any(q.unit == "个" and fact[q.end:q.end + 1] == "人" for q in qs) and not _work_verbs(fact) \
            and not _changed_this_year(fact):
        return True  # "基层所，10个人，管城关镇和开发区": how many people, and no work
    head = head_of(fact)  # otherwise: no verb of work anywhere, and what it counts is people or size
    words = [w for w, _ in _tagged_words(fact)]
    if _work_verbs(fact):
        return False
    counted = [w for w in words if w in _words("people")] + [p for p in _words("people") if p in fact]
    # "车间在岗职工210人": the tokenizer splits 在岗 into 在 + 岗, so a background word of two or more characters
    # counts wherever it stands in the text
    sized = any(w in _words("background") or w in _words("size_nouns") for w in words) \
        or any(len(w) >= 2 and w in fact for w in _words("background")) \
        or head.startswith(("辖区", "现有", "共有")) or _whole_unit(head)
    return bool(counted) or sized


def _tagged_words(fact: str) -> list[tuple[str, str]]:
    return [(w, f) for w, f in tokens(re.sub(r"[\d.]+", " ", fact)) if _HAN.search(w)]


def _work_verbs(fact: str) -> list[str]:
    """The verbs of work in a text: not a noun that starts like a verb ("工作人员"), not a word of what the unit has
    ("现有编制35个"), not a verb that names a measure ("经营面积2600平方米")."""
    tagged = _tagged_words(fact)
    words = [w for w, _ in tagged]

    def working(w: str, flag: str) -> bool:  # "新开设" is a verb of work; "工作人员" a noun, whatever it starts with
        w = _new_dropped(w)
        return len(w) >= 2 and verb_head(w + "  ") == w[:2] and not flag.startswith("n") \
            and w not in _words("background") and w[:2] not in _words("background")

    def size_noun(w: str) -> bool:  # "现有编制35个": a staffing count, not the verb 编制 ("编制规划3项")
        return w in _words("size_nouns") and re.search(rf"{w}\s*\d", fact) is not None

    def measured(i: int) -> bool:  # "经营面积2600平方米", "服务大厅面积": a verb before a metric word (one noun
        # between at most) names the measure
        return any(len(w) >= 2 and w in _words("metric") for w in words[i + 1:i + 3])

    def named(i: int) -> bool:  # "巡察办设在……": the verb is the start of a name the next character ends (办, 局 …)
        return i + 1 < len(words) and len(words[i + 1]) == 1 and ends_like_org(words[i] + words[i + 1])

    return [w for i, (w, flag) in enumerate(tagged) if working(w, flag) and w not in _words("people")
            and not size_noun(w) and not measured(i) and not named(i)]


def _measures_then_sized(fact: str) -> bool:
    """A fact that opens on how large the unit is and goes on with what it has ("园区规划面积12.6平方公里，……管委会内设
    6个部门", "风电场总装机容量19.8万千瓦，……现有运维人员38人"): its first clause counts without a verb of work, a
    later one says what the unit has, and nothing says what changed this year."""
    parts = split_clauses(fact)
    return len(parts) >= 2 and bool(find_quantities(parts[0])) and not _work_verbs(parts[0]) \
        and any(_sized(p) for p in parts[1:]) and not _changed_this_year(fact)


def _sized(clause: str) -> bool:
    """The clause says what the unit has ("现有干部职工46人", "下设14个监区", "我们现在员工214人"), not a total of
    its work ("会议和活动一共办了436场": a word of totalling before a verb)."""
    toks = [(w, f) for w, f in tokens(clause) if w.strip()]
    totals, now = _words("totals"), _words("now")
    for i, (word, _) in enumerate(toks):
        after = toks[i + 1][1] if i + 1 < len(toks) else ""
        if word in totals and after.startswith("v"):
            return False
        if word in now:  # "现在员工214人": now, before what is counted; "现在已建成……" is work
            if after.startswith("n") and re.search(r"\d", clause):
                return True
            continue
        if word in _words("background"):
            return True
    return any(len(w) >= 2 and w in clause for w in _words("background") - totals)  # "在岗" split by the tokenizer


def _changed_this_year(fact: str) -> bool:
    """The fact says what happened in the year or how a number moved ("今年从乡镇抽调……", "比上年增长……")."""
    marks = _words("rose") | _words("fell") | _words("last_year") | _words("this_year") | _words("new")
    return any(w in fact for w in marks if len(w) >= 2)


def _whole_unit(head: str) -> bool:
    """The fact opens on the whole unit or place ("全校", "全院", "全县"), not on an adverb ("全面落实")."""
    from assistant.text.names import org_ending

    return re.match(rf"全(?:[县市区镇乡省村]|{org_ending(True)})", head) is not None
