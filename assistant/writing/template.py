"""The no-model backend: compose sections from the house structure and the user's facts, deterministically.

It writes nothing it was not given: every fact is restated as written (trailing punctuation trimmed),
grouped under parallel headings of the house pattern, and every gap becomes a visible 【待补充：…】 slot.
The connecting phrases are the formulas the house examples use (opening "……现将……总结如下：", problems
opened by "……还存在一些不足", plans by "在新的一年里", "一是……二是……" runs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.schema import Facts, Role
from assistant.text.bullets import strip_bullet
from assistant.text.headings import int_to_cn, numeral
from assistant.text.verbs import action_alternation


@dataclass(frozen=True)
class Theme:
    """A topic the house groups results by: the words that place a fact in it, the verb that opens its heading,
    and the purpose clause that closes it (formula words only, so a heading says nothing the facts do not).

    `kinds` limits a sector theme to units of those kinds (facts.unit_type tags); `staff` marks a theme whose
    purpose speaks of the unit's own staff ("维护职工身心健康"): it fits a union, or facts that name the staff,
    never a bureau's food-safety checks or a clinic's check-ups of elderly residents."""

    keywords: tuple[str, ...]
    verb: str
    purpose: str
    kinds: tuple[str, ...] = ()
    staff: bool = False


# Level-1 headings are "动宾，动宾" (docs/GENRE.md §C.13d): the first clause names the group's own work in the
# facts' words ("抓好专题培训"), the second is the theme's purpose formula ("提升队伍素质").
THEMES: tuple[Theme, ...] = (
    Theme(("学习", "理论", "政治", "党建", "思想", "宣传", "师德", "主题"), "深化", "统一干部职工思想", staff=True),
    Theme(("培训", "技能", "比武", "练兵", "竞赛", "大赛", "创新", "劳模", "工匠", "岗位"), "抓好", "提升队伍素质",
          staff=True),
    Theme(("组建", "会员", "组织建设", "制度", "规范化", "换届", "入会", "之家", "小家"), "推进", "夯实工作基础",
          staff=True),
    Theme(("民主", "职代会", "教代会", "职工代表", "公开", "集体协商", "集体合同", "提案", "监督"), "深化", "保障职工权益",
          staff=True),
    Theme(("帮扶", "慰问", "困难", "送温暖", "救助", "捐款", "救济", "走访", "补助", "清凉"), "做好", "传递组织温暖",
          staff=True),
    Theme(("文体", "文艺", "体育", "运动会", "演出", "联谊", "健身", "读书", "书屋", "文化", "合唱", "图书"), "丰富",
          "增强队伍凝聚力", staff=True),
    Theme(("安全", "健康", "体检", "疗休养", "女职工", "女工", "心理"), "关心", "维护职工身心健康", staff=True),
    # Sector themes: the work a school, a hospital or a bureau does for the public.
    Theme(("教学", "教研", "课堂", "课程", "高考", "中考", "升学", "上线率", "备课", "学业"), "深化",
          "提高教育教学质量", kinds=("学校",)),
    Theme(("学生", "社团", "科技", "德育", "研学", "少年"), "抓好", "促进学生全面发展", kinds=("学校",)),
    Theme(("家长", "家校", "家访"), "办好", "凝聚家校育人合力", kinds=("学校",)),
    Theme(("教室", "实验室", "录播", "校舍", "黑板", "多媒体", "操场", "食堂"), "改善", "优化办学条件",
          kinds=("学校",)),
    Theme(("门诊", "急诊", "诊疗", "住院", "手术", "胃镜", "新技术", "床位", "出院"), "提升", "增强医疗服务能力",
          kinds=("医院",)),
    Theme(("老年人", "签约", "家庭医生", "公共卫生", "接种", "慢病", "健康档案", "体检", "孕产妇", "儿童"), "做好",
          "守护群众健康", kinds=("医院",)),
    Theme(("引进", "人才", "医师", "进修", "规培", "招聘"), "加强", "建强人才队伍", kinds=("医院", "学校")),
    Theme(("登记", "审批", "政务服务", "办件", "营商", "市场主体", "许可", "备案"), "优化", "服务经济社会发展",
          kinds=("机关",)),
    Theme(("抽检", "检验", "安全", "隐患", "监测", "巡查", "检测"), "抓好", "守牢安全底线",
          kinds=("机关", "企业", "交通", "街道社区")),
    Theme(("案件", "执法", "查办", "查处", "罚没", "稽查", "违法"), "强化", "维护良好秩序", kinds=("机关",)),
    Theme(("投诉", "举报", "诉求", "消费者", "热线", "咨询"), "办好", "回应群众关切", kinds=("机关", "街道社区")),
    # Units that are not unions: community offices, bureaus, schools, companies.
    Theme(("老旧小区", "养老", "助餐", "民生", "就业", "电梯", "托管", "托育"), "办好", "增进民生福祉"),
    Theme(("调解", "纠纷", "矛盾", "网格", "平安", "信访", "治安"), "推进", "维护和谐稳定"),
    Theme(("志愿", "公益"), "开展", "弘扬文明新风"),
    Theme(("管网", "道路", "公路", "养护", "农田", "工程", "项目", "设施"), "推进", "夯实发展基础"),
    Theme(("收入", "营收", "利润", "产值", "货运", "效益", "经营"), "做强", "提升发展质量"),
    Theme(("信息化", "数字化", "系统", "平台", "智慧"), "推进", "提升工作效能"),
    Theme(("档案", "公文", "会议", "办文", "督办"), "规范", "提升运转效能"),
)
HEADING_MAX = 19  # characters: a longer own clause takes a shorter purpose
# Purpose clauses for a fact of its own, rotated so parallel headings do not all end alike; true of any unit.
OTHER_PURPOSES = ("推动各项工作落实", "提升服务保障水平", "提升工作质效", "夯实工作基础")
# Who a fact is for: the unit's own people, or the public it serves.
_STAFF = re.compile(r"职工|员工|干部|会员|工会|教师|教工|医护|护士|护理人员|医务人员|党员|女工|一线|劳模|工匠|班组")
_PUBLIC = re.compile(r"群众|居民|村民|老年人|患者|病人|学生|家长|消费者|辖区|市场主体|企业|游客|儿童|孕产妇|旅客")

# Lead-ins rotated over the 成绩 paragraphs so parallel sections do not all open alike (the house varies them).
RESULT_LEADS = ("一年来，", "今年以来，", "全年", "本年度，")
# A fact that opens with its own time ("全年接待读者……", "夏季高温期间……") takes no lead-in before it.
OWN_TIME = re.compile(r"(?:\d{1,2}月|[春夏秋冬]季|春节|元旦|五一|国庆|中秋|端午|年初|年中|年底|上半年|下半年|全年|今年|"
                      r"一年来|本年度|\d{4}年|[^，。]{0,8}期间)")


def with_lead(lead: str, text: str) -> str:
    """A result with its paragraph's lead-in, unless it brings its own time ("全年夏季……" would say it twice)."""
    return text if lead in RESULT_LEADS and OWN_TIME.match(text) else lead + text
# How the problems and plans parts open (house formulas, docs/GENRE.md §A.4; no 15-character run of an example).
PROBLEMS_LEAD = "在肯定成绩的同时，也要清醒看到工作中的短板和不足："
PLANS_LEAD = "在新的一年里，我们将针对存在的不足，重点抓好以下几方面工作："
_TRAILING = re.compile(r"[。；;，,、\s]+$")
_SLOT = "【待补充：{}】"


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff，。；：、“”（）]) (?=[\u4e00-\u9fff，。；：、“”（）])")


def clean_fact(text: str) -> str:
    """A fact as a clause: whitespace folded, trailing punctuation removed, list markers dropped."""
    text = re.sub(r"\s+", " ", strip_bullet(text)).strip()
    text = _CJK_GAP.sub("", text)  # a blank between two Chinese characters is typing noise; "AI 培训" keeps its own
    return _TRAILING.sub("", text)


def slot(what: str) -> str:
    return _SLOT.format(what)


def enumerate_run(items: list[str]) -> str:
    """'一是A；二是B；三是C。' — the house's in-paragraph enumeration."""
    parts = [f"{int_to_cn(i)}是{clean_fact(t)}" for i, t in enumerate(items, 1)]
    return "；".join(parts) + "。"


@dataclass
class OutlineItem:
    """A level-1 heading of the 成绩 part with the facts it covers."""

    heading: str
    facts: list[str] = field(default_factory=list)


@dataclass
class Outline:
    """The numbered structure of the 成绩 part."""

    items: list[OutlineItem] = field(default_factory=list)

    def to_text(self) -> str:
        lines = []
        for i, item in enumerate(self.items, 1):
            lines.append(f"{numeral(1, i)}{item.heading}")
            for j, fact in enumerate(item.facts, 1):
                lines.append(f"{numeral(2, j)}{clean_fact(fact)}")
        return "\n".join(lines)

    def headings_text(self) -> str:
        return "\n".join(f"{numeral(1, i)}{item.heading}" for i, item in enumerate(self.items, 1))


def _fits(theme: Theme, fact: str, kinds: tuple[str, ...] | None) -> bool:
    """Whether a theme may hold this fact for this kind of unit (None: kind unknown, every theme fits)."""
    if kinds is None:
        return True
    if theme.kinds and not set(theme.kinds) & set(kinds):
        return False
    if theme.staff and "工会" not in kinds:
        return bool(_STAFF.search(fact))  # a bureau's, school's or clinic's work for its own staff
    if theme.staff:
        return not (_PUBLIC.search(fact) and not _STAFF.search(fact))  # a union's work is for its members
    return True


def theme_of(fact: str, kinds: tuple[str, ...] | None = None) -> Theme | None:
    """The theme whose keywords the fact mentions most (the first of equals); None when none fits.

    `kinds` (the unit's unit_type tags) keeps staff themes to facts about staff and sector themes to their
    sector; without it every theme is a candidate (the union reading, as before)."""
    best, best_hits = None, 0
    for theme in THEMES:
        hits = sum(1 for k in theme.keywords if k in fact)
        if hits > best_hits and _fits(theme, fact, kinds):
            best, best_hits = theme, hits
    return best


_NUMBER = re.compile(r"[\d０-９]+(?:\.\d+)?|[一二三四五六七八九十百千万两]+(?=[余多]?[个名人次场期项户元所家处间批轮件台例座条篇本册吨辆笔起])")
_CUT = re.compile(r"[，,；;。、（(]")
_FOR = re.compile(r"^(?:为|向|给|对|在)[^，,。；]{1,12}?(?=(?:开展|举办|组织|改造|新建|建成|建设|发放|购置|设立|提供|修建|安装))")


_LEAD_VERB = re.compile(r"^(?:新建成|建成|完成|新建|开展|组织|举办|推进|实施|新增|做好|加强)")


_QUOTED = re.compile(r"“[^”]{1,20}”")


def _before_number(text: str) -> str:
    """A text's words up to its first number or clause mark; a quoted name ("“3·23”世界气象日") is read whole."""
    masked = _QUOTED.sub(lambda m: "名" * len(m.group(0)), text)
    stop = min([m.start() for m in (_NUMBER.search(masked), _CUT.search(masked)) if m] or [len(text)])
    return text[:stop]


def _fact_head(fact: str, limit: int = 12) -> str:
    """The fact's own opening words, up to its first number or clause mark: "建成“教工之家”示范点"; a leading
    "为……" ("为夜班医护人员改造值班休息室") is left out."""
    head = _before_number(_FOR.sub("", clean_fact(fact))).rstrip("共计达到约近超过了的")
    return head if 2 <= len(head) <= limit else ""


def _theme_term(theme: Theme, facts: list[str]) -> str:
    """The group's own words for its theme ("专题培训", "健康体检"): the first word of a fact holding a keyword,
    joined to the noun beside it, so the heading speaks of this unit's work."""
    import jieba.posseg

    for fact in facts:
        tokens = [(p.word, p.flag) for p in jieba.posseg.lcut(clean_fact(fact))]
        for i, (word, _) in enumerate(tokens):
            if not any(k in word for k in theme.keywords):
                continue
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ("", "")
            prev = tokens[i - 1] if i else ("", "")
            if nxt[1].startswith("n") or nxt[1] == "vn" or any(k in nxt[0] for k in theme.keywords):
                term = word + nxt[0]
            elif (prev[1].startswith("n") and not prev[1].startswith("nr")) or (len(prev[0]) == 1 and prev[1] == "v"):
                term = prev[0] + word
            else:
                term = word
            return term if len(term) <= 6 else word
    heads = (_LEAD_VERB.sub("", h) for h in (_fact_head(f) for f in facts) if h)
    return next((h for h in heads if len(h) >= 2), theme.keywords[0])


# The verb that fits what the first clause names, before the theme's own: one 办好 a meeting or a contest,
# 建好 a place, 开好 a congress, 做好 a service.
_TERM_VERBS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:职代会|教代会|代表大会)$"), "开好"),
    (re.compile(r"(?:运动会|比赛|大赛|竞赛|活动|讲座|晚会|联欢会)$"), "办好"),
    (re.compile(r"建设$"), "抓好"),
    (re.compile(r"(?:书屋|之家|小家|示范点|阵地|室|站|中心|驿站|菜园|食堂)$"), "建好"),
    (re.compile(r"(?:体检|慰问|帮扶|救助|送清凉|送温暖|疗休养)$"), "做好"),
    (re.compile(r"(?:培训|练兵|比武)$"), "抓好"),
)


def _verb_for(term: str, theme: Theme) -> str:
    return next((verb for pattern, verb in _TERM_VERBS if pattern.search(term)), theme.verb)


_OPEN_VERB = re.compile(r"^新?(?:" + action_alternation() + ")")  # 新开设, 新建 …: "new" is part of the verb
_TIME_LEAD = re.compile(r"^(?:全年|今年以来|今年|本年度|本年|年内|一年来)[，,]?(?:共|累计|共计)?")
_BENEFICIARY = re.compile(r"^(?:为|向|给)[^，,。；]{1,16}?(?:老年人|群众|居民|村民|职工|患者|学生|儿童|家庭|户|人员|人)"
                          r"(?=[\u4e00-\u9fff])")
_JOIN_VERB = re.compile(r"(?:参加|参与|开展|举办|承办|完成)")


def _own_clause(fact: str) -> str:
    """The first clause in the fact's own words, when they make one: its opening verb phrase ("开展食品安全抽检",
    "引进B超医师"), a noun phrase with 做好/提升 before it ("做好家庭医生签约服务", "提升高考本科上线率"), or
    the part of a long opening from its last activity verb ("参加省级科技创新大赛"); "" when none fits."""
    text = _BENEFICIARY.sub("", _TIME_LEAD.sub("", clean_fact(fact)))
    text = _FOR.sub("", text)
    head = _before_number(text).rstrip("共计达到约近超过了的为")
    changed = _CHANGED.match(head)  # "用户报修平均响应时间缩短至" → "缩短用户报修平均响应时间"; "…技术推广至全县"
    what = changed and (changed.group("what") or changed.group("what2"))
    if changed and what and 2 <= len(what) <= 10 and not _OPEN_VERB.match(head):
        return (changed.group("how") or changed.group("how2")) + what
    moved = _FROM_TO.match(text)  # "科室平均住院日由8.5天下降至7.2天" → "降低科室平均住院日"
    if moved and 2 <= len(moved.group("what")) <= 10:
        return _CHANGE_VERB.get(moved.group("how"), moved.group("how")) + moved.group("what")
    award = _AWARD.search(text)  # "护理团队获评市级“优质护理示范病区”" → "争创“优质护理示范病区”"
    if award and not _OPEN_VERB.match(head):
        return "争创" + award.group("name")
    if head.endswith(("率", "量")) and not _OPEN_VERB.match(head):  # "农村人居环境整治村庄覆盖率", "门诊量"
        return "提升" + _trim_words(head, 9)
    quoted = head.find("”")
    opening = head.find("“")
    if len(head) > 12 and 0 < opening < quoted <= 13 and _OPEN_VERB.match(head) \
            and re.search(r"[\u4e00-\u9fff]{2}", head[opening:quoted]):
        return head[:quoted + 1]  # "开展“便民办税春风行动”走访企业" → the named campaign (not a bare "“3·23”")
    if len(head) > 12 or (len(head) > 10 and not _OPEN_VERB.match(head)):
        joins = list(_JOIN_VERB.finditer(head))
        cut = head[joins[-1].start():] if joins and len(head) - joins[-1].start() <= 10 else ""
        # "组织学生参加……大赛": the unit organised the taking part, it did not hold the contest
        head = "组织" + cut if cut.startswith(("参加", "参与")) and head.startswith("组织") else cut or _verb_and_object(head)
    if len(head) < 3:
        return ""
    if _OPEN_VERB.match(head):
        return head
    if re.match(r"^[为向给对在把将被从]", head):
        return ""
    import jieba.posseg

    first = next(iter(jieba.posseg.lcut(head)), None)
    opens_with_verb = first is not None and len(first.word) == 2 and first.flag == "v"
    if _METRIC.search(head):  # "执行到位金额" names a measure, not the work: the work is its first verb
        return f"抓好{first.word}工作" if opens_with_verb and first is not None else ""
    if opens_with_verb and len(head) <= 10:  # "破获刑事案件": a verb phrase of its own
        return head
    return "做好" + head if len(head) <= 8 else ""


_FROM_TO = re.compile(r"^(?P<what>[^，,；;]{2,12}?)(?:由|从)[^，,；;]{1,12}?(?P<how>下降|降低|缩短|减少|压缩|提高|提升|增加|增长|上升)")
_CHANGE_VERB = {"下降": "降低", "上升": "提高", "增长": "提高"}
_AWARD = re.compile(r"(?:获评|荣获|被评为|获得|获)(?:了)?(?:国家级|省级|市级|县级|区级)?(?P<name>“[^”]{2,10}”)")


_CHANGED = re.compile(r"^(?P<what>.+?)(?P<how>缩短|提高|提升|降低|减少|增加|增长|下降|压缩)(?:至|到|为)?$"
                      r"|^(?P<what2>.+?)(?P<how2>推广|延伸|拓展|覆盖)(?:至|到)")
_METRIC = re.compile(r"(?:金额|总额|数额|人数|次数|数量|总量|时长|时间|均值)$")


def _verb_and_object(head: str) -> str:
    """A long verb phrase as its verb and the last words of its object ("发布灾害性天气预警信号" → "发布预警信号",
    "组织“3·23”世界气象日科普开放活动" → "组织科普开放活动"); "" when it does not open with a verb."""
    import jieba.posseg

    words = [(w.word, w.flag) for w in jieba.posseg.lcut(head)]
    if len(words) < 3 or not (words[0][1] == "v" or _OPEN_VERB.fullmatch(words[0][0])) or len(words[0][0]) > 3:
        return ""
    tail: list[str] = []
    for word, _ in reversed(words[1:]):
        if len("".join(tail)) + len(word) > 6 or not re.fullmatch(r"[\u4e00-\u9fff]+", word):
            break
        tail.insert(0, word)
    return words[0][0] + "".join(tail) if tail and len("".join(tail)) >= 2 else ""


def _trim_words(head: str, limit: int) -> str:
    """A noun phrase cut to `limit` characters by dropping whole words from its left ("供水水质综合合格率" →
    "水质综合合格率"): the right end is the head noun."""
    if len(head) <= limit:
        return head
    import jieba

    words = jieba.lcut(head)
    while len("".join(words)) > limit and len(words) > 1:
        words.pop(0)
    return "".join(words)


def _two_clauses(own: str, purpose: str) -> str:
    """"own，purpose", without the same verb opening both ("提升网上办税率，提升工作质效")."""
    if own[:2] == purpose[:2] and own[:2] in ("提升", "提高"):
        own = ("提高" if own[:2] == "提升" else "提升") + own[2:]
    if len(own) + 1 + len(purpose) > HEADING_MAX:  # "组织参加省级科技创新大赛" → "组织参加科技创新大赛"
        own = re.sub(r"(?<=参加|参与)(?:省级|市级|县级|区级|全国|全省|全市|全县)", "", own)
    return f"{own}，{purpose}"


def heading_for(facts: list[str], index: int, kinds: tuple[str, ...],
                avoid: frozenset[str] = frozenset()) -> str:
    """A two-clause heading for a group of facts, in the facts' own words plus a purpose formula.

    Staff themes keep the house's "verb + theme term"; a sector theme or a fact of its own opens with the fact's
    own verb phrase where it makes one. `kinds` is the unit's unit_type; `avoid` the purposes already used."""
    theme = theme_of(" ".join(facts), kinds)
    own = next((c for c in (_own_clause(f) for f in facts) if c), "")
    if theme is not None and theme.staff:
        term = _theme_term(theme, facts)
        if own and not any(pattern.search(term) for pattern, _ in _TERM_VERBS) \
                and len(own) + 1 + len(theme.purpose) <= HEADING_MAX:
            return _two_clauses(own, theme.purpose)  # "推进工会会员" says nothing; "新发展工会会员" does
        return f"{_verb_for(term, theme)}{term}，{theme.purpose}"
    if theme is not None:
        if not own:
            term = _theme_term(theme, facts)
            own = f"{_verb_for(term, theme)}{term}"
        return _two_clauses(own, theme.purpose)
    # The purposes in turn, the first that keeps the heading within the house's length (13–17 characters,
    # HEADING_MAX at most) and that no earlier heading ends with.
    rotated = OTHER_PURPOSES[index % len(OTHER_PURPOSES):] + OTHER_PURPOSES[:index % len(OTHER_PURPOSES)]
    purpose = min(rotated, key=lambda p: (len(own) + 1 + len(p) > HEADING_MAX, p in avoid, rotated.index(p)))
    return _two_clauses(own, purpose) if own else f"扎实做好各项工作，{purpose}"


def build_outline(facts: Facts) -> Outline:
    """Group achievements by theme, in the order the themes first appear in the user's list; a fact that fits
    no theme gets a heading of its own, in its own words — never a catch-all. Headings are distinct.

    The unit's kind (facts.unit_type) decides which themes fit: a bureau's food-safety checks are not a
    union's care for its members' health."""
    from assistant.facts.unit_type import unit_type_of

    kinds = unit_type_of(facts.unit)
    groups: dict[object, list[str]] = {}
    for i, fact in enumerate(facts.achievements):
        theme = theme_of(fact, kinds)
        groups.setdefault(theme if theme is not None else ("own", i), []).append(fact)
    if not groups:
        return Outline([OutlineItem("主要工作和成绩", [slot("主要工作和成绩，请在“主要工作与成绩”中填写")])])
    items: list[OutlineItem] = []
    seen: set[str] = set()
    for index, group in enumerate(groups.values()):
        heading = heading_for(group, index, kinds, frozenset(h.rpartition("，")[2] for h in seen))
        while heading in seen:
            heading = heading.replace("，", "，进一步", 1) if "进一步" not in heading else heading + "（续）"
        seen.add(heading)
        items.append(OutlineItem(heading, group))
    return Outline(items)


def _unit(facts: Facts) -> str:
    return facts.unit or slot("单位名称")


def _year(facts: Facts) -> str:
    return facts.year or slot("年度")


def next_year(facts: Facts) -> str:
    return str(int(facts.year) + 1) if facts.year.isdigit() else slot("下一年度")


def document_title(facts: Facts) -> str:
    """The summary's title: the user's own, else "<unit><year>年工作总结" with slots for what is missing."""
    if facts.title:
        return facts.title
    return f"{facts.unit or slot('单位名称')}{facts.year or slot('年度')}年工作总结"


_HEADING_VERBS = re.compile(r"^(?:组织参加|组织|深化|抓好|推进|做好|丰富|关心|办好|建好|开好|开展|做强|规范|加强|提升|"
                            r"举办|承办|完成|新建|建成|新增|新发展|参加|改善|优化|强化)")
# A verb-object clause whose verb names the work itself reads as "object + verb" in the overview
# ("查办各类违法案件" → "违法案件查办"), the way the house lists its work.
_INVERTED = re.compile(r"^新?(发展|发布|推广|登记|查办|查处|处理|办理|受理|引进|调解|化解|改造|检验|抽检|发放|走访|慰问|培训|评选|签约|接种)"
                       r"(?:各类|各项|了)?(.+)$")


def _topic(clause: str) -> str:
    """A heading's first clause as a noun for "全年重点抓好……等工作"; "" when it does not make one (taking part
    in someone else's contest, a rate)."""
    if clause.startswith(("组织参加", "参加", "参与", "扎实做好")) or clause.endswith(("率", "量")):
        return ""
    built = re.match(r"^(?:新建成|新建|建成|修建|新开设|开设)(.+)$", clause)
    if built:
        return built.group(1) + "建设"
    inverted = _INVERTED.match(clause)
    if inverted:
        return inverted.group(2) + inverted.group(1)
    topic = _HEADING_VERBS.sub("", clause, count=1)
    return topic[:-2] if topic.endswith("工作") and len(topic) >= 4 else topic  # "执行工作" → "执行"……等工作


def work_topics(outline: Outline, limit: int = 3) -> list[str]:
    """The outline's own topics for the opening's overview ("岗位练兵、走访慰问"): each heading's first clause
    without its verb, so the opening names this unit's work in the facts' words."""
    topics: list[str] = []
    for item in outline.items:
        if not item.facts or item.facts[0].startswith("【待补充"):
            continue
        topic = _topic(item.heading.split("，", 1)[0])
        if 2 <= len(topic) <= 8 and topic not in topics:
            topics.append(topic)
    return topics[:limit]


def _rallies(facts: Facts) -> str:
    """Whom the unit rallies in the opening, by its kind: a union its members, a village or community its
    residents, a school its staff, a hospital its medical staff; else 干部职工."""
    from assistant.facts.unit_type import unit_type_of

    kinds = unit_type_of(facts.unit)
    if "工会" in kinds:
        return "团结带领广大职工"
    for kind, who in (("街道社区", "团结带领广大群众"), ("学校", "团结带领全体教职工"), ("医院", "团结带领全体医务人员")):
        if kind in kinds:
            return who
    return "团结带领干部职工"


def compose(role: Role, facts: Facts, outline: Outline | None = None) -> str:
    """The text of one section in the house pattern."""
    if role == "开头":
        topics = work_topics(outline or build_outline(facts))
        overview = f"全年重点抓好{'、'.join(topics)}等工作，各项工作取得了新的进展。" if topics else ""
        return (f"{_year(facts)}年，{_unit(facts)}在上级的正确领导和大力支持下，紧紧围绕中心工作，"
                f"认真履行各项职责，{_rallies(facts)}扎实开展各项工作。{overview}现将{_year(facts)}年工作总结如下：")
    if role == "成绩":
        outline = outline or build_outline(facts)
        blocks = []
        for i, item in enumerate(outline.items, 1):
            blocks.append(f"{numeral(1, i)}{item.heading}")
            lead = RESULT_LEADS[(i - 1) % len(RESULT_LEADS)]
            if len(item.facts) == 1:
                blocks.append(f"{with_lead(lead, clean_fact(item.facts[0]))}。")
            elif item.facts:
                blocks.append(f"{lead.rstrip('，')}，围绕这项工作，{enumerate_run(item.facts)}")
        return "\n".join(blocks)
    if role == "问题":
        items = list(facts.problems)
        while len(items) < 2:
            items.append(slot("存在的具体问题" if not items else "另一个具体问题"))
        return f"{PROBLEMS_LEAD}{enumerate_run(items)}"
    if role == "计划":
        items = list(facts.plans) or [slot("下一步工作计划")]
        return f"{PLANS_LEAD}{enumerate_run(items)}"
    return (f"新的一年，{_unit(facts)}将继续在上级的坚强领导下，发扬成绩，正视不足，"
            f"扎实做好各项工作，为推动本单位高质量发展作出新的更大贡献。")
