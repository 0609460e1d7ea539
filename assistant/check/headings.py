"""The heading check: a heading reaches the user only when a reader would not stumble on it.

A heading is the first thing a reader reads (docs/GENRE.md §C.13d–f). Whoever proposed it — a rule filling a
house frame, the embedded model imitating retrieved headings, a stronger model — it ships only when:

- every clause ends on a whole word (never "……第", "……控制在", "查处违法行") and its quotation marks pair up;
- it holds no number, not even a digit inside a name ("5G基站": a reader sees a number);
- its content words come from the facts under it or from the genre's vocabulary (formula words, the unit's
  kind, the house's own words);
- it keeps the facts' direction: a rate or count the unit lowered is never "提升/提高……";
- it names this group's work (no catch-all "扎实做好各项工作"), and what it works on is work, not people or the
  unit's size ("做好全院护理人员");
- its second clause is not used by another heading of the same summary, and it is not an example's heading
  copied whole unless every word of it is generic.

`heading_problems` returns the reasons in Chinese, [] when the heading may ship.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache

from assistant.check.sentences import _tokenizer, grounded, words
from assistant.check.vocabulary import (
    general_words,
    heading_words,
    house_words,
    other_kinds_words,
    unit_vocabulary,
)
from assistant.text.names import ends_like_org
from assistant.text.numbers import SLOT_RE, close_cjk_gaps, squash
from assistant.text.verbs import ACTION_VERBS
from assistant.text.wordlists import alternation

_CLAUSE_SPLIT = re.compile(r"[，,；;、\s　]+")
_PAIRS = (("“", "”"), ("‘", "’"), ("《", "》"), ("（", "）"), ("(", ")"), ("【", "】"), ("「", "」"))
LEVEL1_MAX = 24
LEAD_RANGE = (3, 12)


def _clauses(heading: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT.split(heading.strip().rstrip("。；;")) if c]


@lru_cache(maxsize=8192)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """Words and their parts of speech: one cut per clause, whichever test of the check reads it (a summary's
    heading writer checks up to 60 candidates, and their clauses repeat)."""
    return tuple((p.word, p.flag) for p in _tokenizer().cut(text, HMM=False))


def _tokens(text: str) -> list[str]:
    return [w for w, _ in tagged(text)]


def _ends_on_locative(clause: str) -> bool:
    """The clause ends on a one-character word of place or time ("评比中", "活动后", "汛期前"): it says when or
    where, and the work it introduces is missing."""
    toks = tagged(clause)
    return bool(toks) and len(toks[-1][0]) == 1 and toks[-1][1] == "f" and len(toks) > 1


# Parts of speech a clause never ends on when it is whole: time, numeral, measure, preposition, conjunction,
# particle ("推进车站现在", "减少旅客投诉率从每百万人次"), a word of place ("加强市里"). A quoted name at the end
# is whole whatever it is.
_OPEN_TAGS = frozenset({"t", "m", "q", "p", "c", "u", "uj", "ul", "uv", "uz", "ug", "y", "e", "s"})
_ADVERB_TAGS = frozenset({"d", "vd", "ad"})


def _stops_mid_phrase(clause: str) -> bool:
    """The clause's grammar is left open: it ends on a word that needs more after it (a time word, a numeral, a
    preposition, an abbreviation of two characters such as "一共", a place), or a preposition inside it opens a
    phrase no verb closes."""
    toks = [(w, f) for w, f in tagged(clause) if re.search(r"[\u4e00-\u9fffA-Za-z]", w)]
    if len(toks) < 2 or clause.rstrip().endswith(("”", "》", "’", "\"")):
        return False
    word, flag = toks[-1]  # one character alone is often a word the tokenizer did not know: its tag says little
    if len(word) >= 2 and (flag in _OPEN_TAGS or flag == "ns" or (flag == "j" and len(word) == 2)):
        return True  # "开通华东" (of "开通华东、西南方向客运航线"): a place is where, not what
    for i, (w, f) in enumerate(toks[1:], start=1):
        if f == "p" and w in _kinds("phrase_prepositions") and not any(g.startswith("v") for _, g in toks[i + 1:]):
            return True
    return False


def _kinds(kind: str) -> frozenset[str]:
    return heading_words().get(kind, frozenset())


@lru_cache(maxsize=4096)
def boundaries(text: str) -> frozenset[int]:
    """Offsets in `text` where one word ends and the next begins."""
    out, pos = set(), 0
    for word in _tokens(text):
        pos += len(word)
        out.add(pos)
    return frozenset(out)


def _cut_inside_word(clause: str, facts: Sequence[str]) -> bool:
    """The clause ends inside a word of the fact it was taken from ("查处违法行" of "查处违法行为"): the fact's word
    at that place begins before the clause's last word and goes on after it."""
    toks = _tokens(clause)
    if not toks:
        return False
    last = toks[-1]
    tail = clause[-4:] if len(clause) >= 4 else clause
    seen = False
    for fact in facts:
        at = fact.find(tail)
        while at >= 0:
            seen = True
            end = at + len(tail)
            last_start = end - len(last)
            starts = sorted(boundaries(fact) | {0})
            word_start = max((b for b in starts if b <= last_start), default=0)
            word_end = min((b for b in starts if b > last_start), default=len(fact))
            if end >= len(fact) or word_end <= end or word_start >= last_start:
                return False
            at = fact.find(tail, at + 1)
    return seen


def _cut_after_quote(clause: str, facts: Sequence[str]) -> bool:
    """The clause ends on a quoted name that every fact goes on from where the name is not the work: a period named
    by numerals ("完成集团“十五五”" of "……“十五五”发展战略规划初稿") or the first of a list ("完成“青川花灯”" of
    "“青川花灯”等5项非遗项目"). A campaign's name stands for it ("开展“便民办税春风行动”" of "……行动”走访企业")."""
    quoted = re.search(r"[“\"]([^“”\"]+)[”\"]$", clause)
    if quoted is None:
        return False
    tail = clause[-5:]
    after = [f[at + len(tail):at + len(tail) + 1] for f in facts for at in _finds(f, tail)]
    numerals = re.fullmatch(r"[一二三四五六七八九十百千两零〇]+", quoted.group(1)) is not None
    return bool(after) and all(a == "等" or (numerals and re.match(r"[\u4e00-\u9fff]", a)) for a in after)


def _starts_inside_word(clause: str, facts: Sequence[str]) -> bool:
    """What the clause's verb works on begins inside a word of the fact ("聚焦型经营主体培育" of "抓新型经营主体培育":
    型 of 新型): wherever the fact holds it, it starts after a word's first character."""
    from assistant.check.terms import verb_head

    verb = verb_head(clause)
    body = clause[len(verb):len(verb) + 4] if verb else ""
    if len(body) < 3 or not re.match(r"[\u4e00-\u9fff]", body):
        return False
    found = [(f, at) for f in facts for at in _finds(f, body)]
    return bool(found) and all(at not in boundaries(f) and at > 0 and re.match(r"[\u4e00-\u9fff]", f[at - 1])
                               for f, at in found)


def _finds(text: str, part: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(part), text)]


def _cut_before_name(clause: str, facts: Sequence[str]) -> bool:
    """The clause stops where its fact goes on with the rest of an institution's name ("加强县公共法律" of "县公共
    法律服务中心全年接待……"): what it names is the first half of a name. Where the clause stands whole in a fact,
    only there is read ("开展法律服务" of "开展法律服务进社区活动" is whole beside "县公共法律服务中心")."""
    places = tuple(w for w in _kinds("people") if len(w) >= 2)
    whole = any(clause in fact for fact in facts)
    tail = clause if whole or len(clause) < 4 else clause[2:]
    for fact in facts:
        cuts = boundaries(fact)
        at = fact.find(tail)
        while at >= 0:
            end = at + len(tail)
            run = re.match(r"[\u4e00-\u9fff]{1,6}", fact[end:])
            after = run.group(0) if run else ""
            if after and end in cuts and tagged(after)[0][1][:1] not in ("v", "p") and any(
                    end + k in cuts and ends_like_org(after[:k], short=False) and not after[:k].endswith(places)
                    for k in range(2, len(after) + 1)):
                return True  # a place ("进社区活动") is where the work went, not the rest of a name
            at = fact.find(tail, at + 1)
    return False


def _cut_before_complement(clause: str, facts: Sequence[str]) -> bool:
    """The clause stops where its fact goes on with the verb's complement ("设备完好率保持" of "……保持在98%以上"):
    the number it was heading to is missing, as it is after a verb of what an amount comes to ("……款物折合人民币" of
    "……折合人民币486万元"); or with an aspect particle ("进站天桥新加" of "……新加了2部电梯"): it took the fact's
    subject and verb for the work's object; or the clause's verb goes on with a list whose head noun it lacks
    ("开设烘焙" of "开设烘焙、洗车……专业"), or it is only the fact's predicate ("改造完工"), or it ends on an
    adverb whose verb the fact goes on with ("提升管理水平持续" of "管理水平持续提升")."""
    tail = clause[-4:]
    toks = tagged(clause)
    verbs_only = len(toks) == 2 and all(f == "v" and len(w) == 2 for w, f in toks)
    reaches = any(w in _kinds("reach") for w, _ in toks)
    for fact in facts:
        at = fact.find(tail)
        while at >= 0:
            after = fact[at + len(tail):]
            if toks and toks[-1][1] == "v" and after.startswith("、"):
                return True  # "开设烘焙" of "开设烘焙、洗车、手工编织3个专业": the list's head noun is missing
            if toks and toks[-1][1] in _ADVERB_TAGS and re.match(r"[\u4e00-\u9fff]", after):
                return True  # "提升管理水平持续" of "管理水平持续提升": the adverb's verb is left behind
            if verbs_only and re.match(r"[，,。；;]|$", after):
                return True  # "改造完工" of "……升级改造完工，": the fact's predicate without what it is about
            if reaches and re.match(r"\s*[\d一二两三四五六七八九十百千万]", after):
                return True  # "捐赠款物折合人民币" of "……折合人民币486万元": an amount without its value
            if re.match(r"[在于为到至]了?\s*[\d一二两三四五六七八九十百千万]", after) or re.match(r"[了着过](?!程|去|渡)", after) \
                    or re.match(r"\s*\d+\s*号", after):  # "承担轨道交通" of "……轨道交通2号线": a numbered name cut
                return True
            at = fact.find(tail, at + 1)
    return False


@lru_cache(maxsize=1)
def _degree_end() -> re.Pattern[str]:
    """"……问题较多": a word of degree and what it grades end the clause ([degree], [graded])."""
    return re.compile(f"(?:{alternation(_kinds('degree'))})(?:{alternation(_kinds('graded'))})$")


def _object_after_preposition(tags: Sequence[tuple[str, str]], facts: Sequence[str]) -> bool:
    """What the clause's verb works on stands in its fact right after a preposition of means ("服务水灭火能力建设" of
    "以水灭火能力建设取得突破"): the clause took the means of a phrase for a thing, and dropped the word that made it
    one ([means_prepositions])."""
    if len(tags) < 2 or not tags[0][1].startswith("v"):
        return False
    obj = "".join(w for w, _ in tags[1:])
    if len(obj) < 2:
        return False
    for fact in facts:
        if obj in fact and not any(f"{w}{obj}" in fact for w, _ in tags[:1]):
            before = tagged(fact[: fact.find(obj)])
            if before and before[-1][1] == "p" and before[-1][0] in _kinds("means_prepositions"):
                return True
    return False


def _after_passive(clause: str, facts: Sequence[str]) -> bool:
    """The clause stands in its fact right after 被 ("巡察党组织……" of "被巡察党组织应整改问题"): what it names was done
    to someone, by another; its first word is no verb of this unit's."""
    return any(f"被{clause}" in fact for fact in facts) and not any(
        clause in fact.replace(f"被{clause}", "") for fact in facts)


def _states_progress(toks: Sequence[str]) -> bool:
    """The clause ends on a word of manner and its verb after what they are about ("服务文化惠民工作持续推进",
    "……整改有序推进"): it says how a work went, a sentence's predicate, not the work a heading names."""
    from assistant.check.terms import verb_head

    if len(toks) < 2:
        return False
    tail = toks[-1] if len(toks[-1]) >= 4 else toks[-2] + toks[-1]
    return any(tail.startswith(m) and len(tail) - len(m) == 2 and verb_head(tail[len(m):]) == tail[len(m):]
               for m in _kinds("manner"))


def _house_words_only(clause: str, facts: Sequence[str], frame_words: Collection[str]) -> bool:
    """What the clause's verb works on is made of the genre's own words alone ("聚焦专项行动", "加强队伍建设"), and
    the clause is not the fact's own phrase: it could head any unit's results. A light verb names the activity
    itself ("开展宣传活动", "组织专项行动"): a reader takes it as the work."""
    from assistant.check.terms import verb_head

    bare = _without_frame(clause, frame_words, "")  # the frame's fixed words ("聚焦") open what the group works on
    verb = verb_head(bare)
    body = bare[len(verb):] if verb else bare
    if not body or verb in _kinds("light_verbs") or any(clause in f for f in facts):
        return False
    found = [w for w, _ in words(body)]
    return bool(found) and len("".join(found)) == len(re.sub(r"[^\u4e00-\u9fff]", "", body)) \
        and all(w in house_words() for w in found)


def _without_frame(text: str, frame_words: Collection[str], mark: str) -> str:
    """The text with the house frame's fixed words ("一手抓", "聚焦") replaced by `mark`, longest first."""
    for fixed in sorted((w for w in frame_words if w), key=len, reverse=True):
        text = text.replace(fixed, mark)
    return text


def _names_unit(clause: str, unit: str) -> bool:
    """The clause names this unit itself ("做好岳川市美术馆", "加强丰源县果树技术" of 丰源县果树技术推广站): the unit
    is who did the work, never the work."""
    core = re.sub(r"[（(][^（）()]*[)）]", "", unit)
    return len(core) >= 4 and any(core[:k] in clause for k in range(4, len(core) + 1))


def _carries_time_or_subject(toks: Sequence[str]) -> bool:
    """A word that opens a fact ("全年", "我们") inside the clause: it took the fact's subject and time along ("做好
    园区全年排查整改安全隐患"). A scope ("举办全县消防救援技能比武") is part of the work, and a time before the
    measure it names is the measure's ("提升数字文化馆平台全年访问量")."""
    for i, w in enumerate(toks[1:], start=1):
        if w in _kinds("now"):
            return True  # "加强辖区市场主体现在有": the fact's present, never a heading's
        if w not in _kinds("lead") or len(w) < 2 or w in _kinds("people"):
            continue
        if i == len(toks) - 2 and toks[-1].endswith(tuple(_kinds("metric"))):
            continue
        return True
    return False


def _is_sentence(clause: str, toks: Sequence[str]) -> bool:
    """The clause's object is a sentence of its own: people followed by what they did ("做好人员全员参加法律知识
    考试", "做好慈善志愿者开展服务活动"), or a thing and the state it reached ("建设责任制落实到位"). A verb of leading
    people ("组织干部参加培训") or one that takes a clause ("确保责任落实到位") makes it a heading again. `toks`: the
    clause's words."""
    if len(toks) < 2 or toks[0] in _kinds("leading_verbs"):
        return False
    whole = _kinds("people") | _kinds("staff")
    for i, word in enumerate(toks[1:-1], start=1):
        if word not in whole:
            continue
        j = i + 1
        while j < len(toks) - 1 and toks[j] in _kinds("whole_group"):
            j += 1
        if toks[j] in _kinds("acts_of_people") and j < len(toks) - 1:
            return True
    return toks[-1] in _kinds("state_endings") and not any(clause.startswith(v) for v in _kinds("effect_verbs"))


@lru_cache(maxsize=1)
def _light_verbs_only() -> re.Pattern[str]:
    """A clause made of light verbs alone ("组织开展"); built once, the heading check runs for every candidate."""
    return re.compile(f"(?:{alternation(_kinds('light_verbs'))})+")


def direction_problems(clause: str, facts: Sequence[str]) -> list[str]:
    """A verb of rising on a measure the facts say fell, or of falling on one that rose; and any verb but one of
    falling on what the unit counted and lowered ("强化投诉", "守牢乘客投诉" over "投诉387件，同比下降28.1%")."""
    from assistant.check.terms import direction_of, terms_of

    opener = clause[:2]
    up, down = opener in _kinds("up"), opener in _kinds("down")
    if not (up or down):  # a measure before a verb of change: "逾期率有新提升", "到场时间明显提高"
        up = any(w in clause[2:] for w in _kinds("up"))
        down = not up and any(w in clause[2:] for w in _kinds("down"))
        opener = next((w for w in _kinds("up") | _kinds("down") if w in clause[2:]), opener)
    out = []
    for fact in facts:
        for term in terms_of(fact):
            core = term.text[-3:] if len(term.text) > 3 else term.text
            if core not in clause:
                continue
            counted = term.kind == "measure" or re.search(re.escape(term.text) + r"\s*\d", fact) is not None
            # the fact's own verb ("查处涉林违法案件") claims no rise, unless it only says the thing happened
            # ("发生生产安全事故", "收到群众投诉"): that is no work to head a part with
            own = ((term.kind == "verbal" and term.text in clause) or bool(term.verb and term.verb + term.text in clause)) \
                and term.verb not in _kinds("occur")
            went = direction_of(fact, term.text)
            if not down and counted and not own and went < 0:
                out.append(f"方向反了：事实中“{term.text}”是下降的，标题却说“{opener}”")
                continue
            if term.kind != "measure" or not (up or down):
                continue
            if not went:
                out.append(f"事实没有说“{term.text}”是升是降，标题却说“{opener}”")
            elif (up and went < 0) or (down and went > 0):
                how = "下降" if went < 0 else "上升"
                out.append(f"方向反了：事实中“{term.text}”是{how}的，标题却说“{opener}”")
    harm = next((h for h in _kinds("harm") if clause.endswith(h)), "")
    if clause[:2] in _kinds("effort_verbs") and harm \
            and not any(f.startswith("v") for _, f in tagged(clause[2:-len(harm)])):  # "开展打击电信诈骗" fights it
        out.append(f"分句把要治理的事当成了要加强的工作：{clause}")  # "加强代理人队伍流失"
    # "降低优良天数比例": a good measure that fell is no work ("降低不合格率": its negation is a bad one)
    wanted = re.search(rf"(?<![不未非无])(?:{alternation(_kinds('wanted'))})", clause[2:])
    if clause[:2] in _kinds("down") and wanted:
        out.append(f"分句把该增加的“{wanted.group(0)}”降下来当成了工作：{clause}")
    return list(dict.fromkeys(out))


# Marks of note-taking ("+", "/", "&", "#" …), half and full width: no heading of the genre is set with them.
_NOTE_MARKS = re.compile(r"[+＋/／&＆*＊#＃~～@＠=＝_|｜\\^<>＜＞]")


def heading_problems(heading: str, facts: Sequence[str], *, unit: str = "", level: int = 1,
                     extra_words: Collection[str] = (), example_headings: Collection[str] = (),
                     used_second: Collection[str] = (), frame_words: Collection[str] = (),
                     own_headings: Collection[str] = ()) -> list[str]:
    """Why a heading (without its numeral) may not ship over these facts; [] when it may.

    `extra_words`: words the house may use beyond the genre's (the user's own earlier summary); `used_second`:
    second clauses other headings of the summary already use; `frame_words`: the house frame's fixed words
    ("一手抓", "为抓手"), the house's own and never a number; `own_headings`: the user's own earlier headings,
    which may come back whole."""
    text = heading.strip()
    facts = [close_cjk_gaps(f) for f in facts]  # as the writer read them: "组合贷 办了" is "组合贷办了"
    problems: list[str] = []
    if not text:
        return ["标题是空的"]
    if SLOT_RE.search(text) or "【" in text:
        problems.append("标题里有待补充的空位")
    bare = _without_frame(text, frame_words, "，")
    from assistant.check.terms import amount_verbs, visible_quantities

    # a count inside a quoted name is a number too ("“十五分钟便民生活圈”", "“百日攻坚”"): terms drop it instead
    if re.search(r"[\d０-９]", bare) or visible_quantities(bare) or re.search(r"[万亿]元|[%‰％]", bare):
        problems.append("标题里有数字")
    from assistant.check.terms import QUOTED

    if _NOTE_MARKS.search(QUOTED.sub("", text)):  # "表彰+讲座": the notes' shorthand ("“互联网+执法”": a name)
        problems.append("标题里有记笔记用的符号")
    parts = _clauses(text)
    if level == 1 and len(squash(text, punctuation=False)) > LEVEL1_MAX:  # every mark a reader sees counts
        problems.append(f"标题太长（超过{LEVEL1_MAX}字）")
    if level == 2 and not LEAD_RANGE[0] <= len(text) <= LEAD_RANGE[1]:
        problems.append("小标题的长度不合适")
    for clause in parts:
        if any(clause.count(a) != clause.count(b) for a, b in _PAIRS) or clause.count('"') % 2:
            problems.append(f"引号或括号不成对：{clause}")
        tags = tagged(clause)
        toks = [w for w, _ in tags]
        last = toks[-1] if toks else ""
        # "加强村集体经济收入搞" (of "……收入搞到了48.6万元"): a one-character verb after what it is about; "……率" is a
        # measure the tokenizer reads as a verb
        one_char_verb = len(tags) >= 3 and len(last) == 1 and tags[-1][1] == "v" and tags[-2][1].startswith(("n", "v")) \
            and not clause.endswith(tuple(_kinds("metric")))
        if last in _kinds("dangling") or len(clause) < 2 or (len(last) <= 2 and last[-1:] in "至到于在") or one_char_verb \
                or last in _kinds("place_level") \
                or _ends_on_locative(clause) or _cut_before_complement(clause, facts) or _stops_mid_phrase(clause):
            problems.append(f"分句没有说完：{clause}")
        elif _cut_inside_word(clause, facts) or _cut_before_name(clause, facts) or _object_after_preposition(tags, facts) \
                or _cut_after_quote(clause, facts) or _starts_inside_word(clause, facts):
            problems.append(f"分句断在词的中间：{clause}")
        doubled = [w for w in set(toks) if len(w) >= 2 and clause.count(w) >= 2]
        if doubled:
            problems.append(f"一个分句里同一个词用了两次：{doubled[0]}")
        # an amount opened by no plain verb ("自营出口额": 自营 only says which kind of export)
        # … or by a verb that does nothing to an amount ("聚焦营业收入"; "实现营业收入", the fact's own "征收……费")
        if clause.endswith(tuple(_kinds("amount"))) and tags and (len(tags) == 1 or tags[0][1] != "v" or (
                tags[0][0] not in amount_verbs() and not any(clause in f for f in facts))):
            problems.append(f"分句只有金额，没有说做了什么：{clause}")  # "销售收入": an amount is no work
        # "演出安全零事故", "……管理没出问题"; "……安全生产无事故" (the tokenizer keeps 无事故 one word)
        if any(w in _kinds("not_happened") for w in toks[:-1]) or (
                len(last) >= 2 and last[0] in _kinds("not_happened") and last[1:] in _kinds("harm")):
            problems.append(f"分句说的是没有发生的事，不是工作：{clause}")
        if _states_progress(toks):  # "服务文化惠民工作持续推进", "创建扎实推进"
            problems.append(f"分句说的是工作进展如何，不是标题：{clause}")
        if _carries_time_or_subject(toks):
            problems.append(f"分句带着事实的时间或主语，不是标题：{clause}")
        if any(w in _kinds("modal") and f.startswith("v") for w, f in tags) or _after_passive(clause, facts) \
                or _degree_end().search(clause):  # "围绕问题较多": a thing and how much of it there is
            problems.append(f"分句是一句叙述，不是标题能做的工作：{clause}")  # "巡察党组织应整改问题" of "被巡察……"
        if _names_unit(clause, unit):
            problems.append(f"标题做的不是工作而是本单位：{clause}")
        if _is_sentence(clause, toks):  # "做好人员全员参加法律知识考试", "建设责任制落实到位"
            problems.append(f"分句是一句叙述，不是标题能做的工作：{clause}")
        if any(f in ("ul", "uguo") for _, f in tags):  # "加强抓了科技工作者服务": 了 narrates, no house heading has it
            problems.append(f"分句是叙述，不是标题：{clause}")
        if _light_verbs_only().fullmatch(clause) or (len(tags) == 2 and all(f == "v" for _, f in tags)
                                                      and tags[0][0] not in ACTION_VERBS
                                                      and not any(clause in f for f in facts)):
            # "组织开展", "退役参加" (of "新退役的276人全部参加"): verbs, and no work they are done on ("接警出动"
            # stands whole in its fact: one work)
            problems.append(f"分句只有动词，没有说做了什么：{clause}")
        if clause in _kinds("catch_all") or any(clause.endswith(c) for c in _kinds("catch_all")):
            problems.append(f"笼统的套话，没有说出具体工作：{clause}")
        problems += direction_problems(clause, facts)
    if len(parts) >= 2:
        fixed = [w for w in frame_words if w]
        for a, b in ((parts[0], parts[-1]), (parts[-1], parts[0])):
            verbs = [w for w, f in tagged(a) if f.startswith("v") and len(w) >= 2 and not any(w in x for x in fixed)]
            same = next((v for v in verbs if v in b), "")
            if same:  # "走访慰问离退休干部，慰问生活困难的老党员": the second clause says the first one's work again
                problems.append(f"两个分句用了同一个动词：{same}")
                break
    known = squash("".join(facts))
    vocab = (unit_vocabulary(unit) | general_words() | house_words() | frozenset(extra_words)) \
        - (other_kinds_words(unit) - frozenset(extra_words))
    people = _kinds("people")
    vocab |= frozenset(w for f in frame_words for w, _ in words(f))
    stray = [w for w, _ in words(text) if (w in people and w not in known)
             or not (w in known or grounded(w, known, vocab))]
    if stray:
        problems.append("标题里有事实和范文套语以外的词：" + "、".join(dict.fromkeys(stray)))
    own = [w for w, _ in words(text) if w in known and w not in _kinds("people")]
    if not own or (parts and _house_words_only(parts[0], facts, frame_words)):
        problems.append("标题没有说出这一组的具体工作")  # "聚焦专项行动": any unit's words, not this group's
    not_work = people | _kinds("staff")
    for clause in parts:
        last = (_tokens(clause) or [""])[-1]
        on_people = last in not_work or any(clause.endswith(p) for p in not_work if len(p) >= 2)
        if on_people and not any(clause.startswith(v) for v in _kinds("people_verbs")):
            problems.append(f"标题做的不是工作而是人或单位规模：{clause}")
    if len(parts) >= 2 and parts[-1] in set(used_second):
        problems.append(f"第二个分句与前面的标题重复：{parts[-1]}")
    if squash(text) in {squash(h) for h in example_headings} and squash(text) not in {
            squash(h) for h in own_headings}:
        problems.append("照搬了范文的标题")
    return list(dict.fromkeys(problems))
