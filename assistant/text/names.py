"""Proper names in Chinese prose: people, places, organisations, 《titles》 and quoted activity names.

`find_names` is the one finder: masking hides what it finds in the house examples, the guard looks for
the same names in a draft, and the fact ledger records the names each fact contains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.text.numbers import fold_width
from assistant.text.wordlists import alternation, word_classes

_CJK = "\u4e00-\u9fff"
# Where a name cannot continue backwards: punctuation, function words and common verbs.
_STOP_CHARS = set("的了在和与及对为到由向把被将从于是等并或经报以给让使至同跟按据随把共其这那此该每各全本我"
                  "你他她它们有无不也都还又再就才只更最很较所之而且但若如即乃曾已正将会能可要应该须把")
_STOP_CHARS |= set("，。、；：！？“”‘’《》（）()〔〕【】[]…—,.;:!? \t\n\u3000")
_STOP_CHARS |= set("开展组织举办召开参加参与完成实现推进建设走访慰问深入前往来到赴位驻居住修为获得建设办搞抓促创评选帮送"
                   "去入出进扶护保维推落让请")

_ORG_SUFFIX: tuple[str, ...] = word_classes("assistant.text", "names.txt")["org_suffix_prose"]
# Generic words that look like a place or organisation but name none.
_GENERIC = {
    "全", "本", "我", "各", "该", "辖", "城", "市", "县", "区", "社", "小", "其", "新", "老", "农", "山", "景", "园",
    "街", "乡", "镇", "村", "省", "全市", "全区", "全县", "全省", "全镇", "全乡", "全村", "本区", "本市", "本县", "我区",
    "我市", "我县", "我镇", "各区", "各市", "各县", "辖区", "城区", "市区", "郊区", "社区", "园区", "地区", "片区",
    "小区", "街道", "乡镇", "农村", "山区", "灾区", "景区", "校区", "院区", "病区", "学区", "老区", "新区", "商区",
    "街区", "试点", "示范", "功能", "服务", "生活", "办公", "民族", "贫困", "边远", "偏远", "城乡", "城镇", "乡村",
    "县区", "市县", "省市", "区县", "镇村", "村组", "社区卫生", "高速公", "道路", "公路", "马路", "铁路", "线路",
    "思路", "道", "门", "出", "进", "上", "下", "登", "爬", "江", "河", "湖", "海", "桥", "路", "工", "企业", "学校",
    "医院", "职工", "工会", "中心", "机关", "单位", "部门", "基层", "一线", "高山", "深山", "大山", "青山", "名山",
    "小路", "大街", "步行", "过河", "架桥", "铺路", "店铺", "商铺", "床铺", "网", "分", "总", "联", "统", "城市",
    "省级", "市级", "区级", "县级", "校级", "院级", "国家级", "都市", "超市", "上市", "门市", "股市", "街市", "夜市",
    "集市", "黑市", "开市", "楼市", "菜市", "工业园", "产业园", "科技园", "开发", "示范区", "试验区", "先行区",
    "片", "管", "病", "院", "校", "厂", "矿", "营", "军", "战", "灾", "险", "特", "专", "合作", "农业", "工业",
    "红色", "绿色", "文明", "和谐", "平安", "健康", "美丽", "智慧", "数字", "人民", "群众", "中", "大", "高", "初",
}
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢"
    "安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游"
    "辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应"
    "臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
_PERSON_BEFORE = ("同志", "书记", "主席", "副主席", "院长", "副院长", "局长", "副局长", "主任", "副主任", "科长", "队长",
                  "组长", "副组长", "成员", "会员", "职工", "党员", "教师", "老师", "医生", "护士", "患者", "家属",
                  "学生", "校长", "经理", "站长", "所长", "段长", "班长", "干部", "代表", "委员", "劳模", "女士", "先生",
                  "员工", "师傅", "工人", "村民", "居民", "群众", "军嫂", "老人", "获得者")
_PERSON_AFTER = ("同志", "书记", "主席", "院长", "局长", "主任", "科长", "队长", "组长", "校长", "经理", "老师", "医生",
                 "护士长", "师傅", "家属", "担任", "等同志", "等人", "获得", "荣获", "被评为", "家中", "一家", "的家",
                 "因", "患")
_PERSON_RE = re.compile(
    rf"(?:{'|'.join(sorted(_PERSON_BEFORE, key=len, reverse=True))})(?P<a>[{''.join(sorted(_SURNAMES))}][{_CJK}]{{1,2}}?)"
    rf"(?=[，,。、；;（(]|{'|'.join(sorted(_PERSON_AFTER, key=len, reverse=True))})"
    rf"|(?P<b>[{''.join(sorted(_SURNAMES))}][{_CJK}]{{1,2}}?)(?=同志|书记|主席|院长|局长|主任|校长|老师|医生|护士长|担任)"
)
_NOT_NAMES = {"同志", "全体", "广大", "各级", "有关", "相关", "主要", "工会", "党员", "职工", "干部", "会员", "领导",
              "常务", "专职", "兼职", "分管", "新任", "原任", "现任", "时任", "副", "和", "及", "与", "等", "高度", "管理",
              "应", "由", "向", "于", "从", "为", "各", "党组", "党委", "支部", "班子", "工作", "积极", "主动", "组织",
              "安全", "文明", "技术", "服务", "生产", "业务", "宣传", "方面", "一线", "困难", "优秀", "先进", "困难户",
              "单位", "部门", "社区", "退休", "在职", "离退", "女", "男", "老", "新", "年轻", "青年", "骨干"}
_TITLE_RE = re.compile(r"《[^《》\n]{1,40}》")
_LAW = re.compile(r"(?:法|条例|章程|宪法|党章|准则|纲要)$|^(?:中华人民共和国|中国共产党)")
_QUOTE_RE = re.compile(r"[“\"「『]([^“”\"「」『』\n]{2,40})[”\"」』]")
_EVENT_ABBR = re.compile(r"[世亚全奥冬广进服消](?:博会|园会|运会|交会|洽会|贸会)")
# Quoted words that are holidays or national slogans, not a house's specifics.
_COMMON_QUOTED = {"五一", "七一", "八一", "十一", "三八", "六一", "五四", "春节", "国庆", "元旦", "重阳", "中秋", "端午",
                  "清明", "以人为本", "三个代表", "两学一做", "三严三实", "四个意识", "四个自信", "两个维护",
                  "两个确立", "不忘初心、牢记使命", "放管服", "最多跑一次", "十四五", "十三五", "xxxx", "XXXX",
                  "三会一课", "一岗双责", "双拥", "两新", "四风", "窗口", "日报"}


@dataclass(frozen=True)
class Name:
    """A proper name in a text: what it is and where."""

    text: str
    kind: str  # "person" | "place" | "org" | "title" | "event"
    start: int
    end: int


_PROPER_TAGS = {"ns", "nr", "nz", "nt", "nrt", "nrfg", "j"}
_CLOSED_TAGS = {"v", "vn", "vd", "d", "p", "u", "c", "m", "q", "r", "f", "a", "ad", "an", "t", "uj", "ul", "y", "e",
                "o", "zg", "x", "i", "l"}
_PLACE_TOKENS = ("社区", "街道", "开发区", "新区", "园区", "大道", "广场", "公园", "水库", "村委会", "居委会", "省", "市", "区",
                 "县", "镇", "乡", "村", "路", "街", "湖", "山", "桥", "铺", "河", "江", "岛", "湾", "坪", "坝", "沟", "寨",
                 "屯", "庄", "港", "塘")


@lru_cache(maxsize=1)
def _jieba() -> tuple[object, dict[str, str]]:
    """jieba's tokenizer and its word → part-of-speech table (loaded once, about a second)."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba, jieba.posseg.dt.word_tag_tab


def _tokens(text: str) -> list[tuple[str, int, int, str | None]]:
    jieba, tags = _jieba()
    out = []
    for word, start, end in jieba.tokenize(text, HMM=True):  # type: ignore[attr-defined]
        out.append((word, start, end, tags.get(word)))
    return out


def _can_be_stem(word: str, tag: str | None) -> bool:
    if any(ch in _STOP_CHARS for ch in word) or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
        return False
    if tag is None or tag in _PROPER_TAGS:
        return True
    return len(word) == 1 and tag not in _CLOSED_TAGS


def _after_last_stop(word: str, start: int) -> tuple[str, int, bool]:
    """The part of a stem after its last stop character, and whether one was cut."""
    cut = max((i for i, ch in enumerate(word) if ch in _STOP_CHARS), default=-1)
    return word[cut + 1:], start + cut + 1, cut >= 0


def _suffix_names(text: str) -> list[Name]:
    """Places and organisations: a proper-looking stem (jieba: place/person/unknown word) before a suffix."""
    toks = _tokens(text)
    out: list[Name] = []
    for i, (word, start, end, tag) in enumerate(toks):
        kind = _suffix_kind(word)
        if kind is None:
            continue
        suffix = _suffix_of(word, kind)
        if word != suffix and not (tag is None or tag in _PROPER_TAGS):
            continue  # 修路, 之路, 制造厂: a common word that happens to end like a name
        stem_word, name_start, cut = _after_last_stop(word[: len(word) - len(suffix)], start)
        if not stem_word:
            name_start = end - len(suffix)
        j = i - 1
        if not cut and (not stem_word or tag is None or tag in _PROPER_TAGS):
            while j >= 0 and end - toks[j][1] <= 10 and _can_be_stem(toks[j][0], toks[j][3]):
                name_start = toks[j][1]
                j -= 1
        stem = text[name_start:end - len(suffix)]
        if len(stem) < 2 or stem in _GENERIC or stem[:2] in _GENERIC or stem[-1] in "个家名所条座级":
            continue
        out.append(Name(text[name_start:end], kind, name_start, end))
    return out


def _suffix_kind(word: str) -> str | None:
    if word.endswith(_ORG_SUFFIX):
        return "org"
    if word.endswith(_PLACE_TOKENS):
        return "place"
    return None


def _suffix_of(word: str, kind: str) -> str:
    for s in sorted(_ORG_SUFFIX if kind == "org" else _PLACE_TOKENS, key=len, reverse=True):
        if word.endswith(s):
            return s
    return ""


def org_ending(short: bool = True) -> str:
    """Every ending of an organisation's name as one regex alternation (text/data/names.txt), longest first:
    the institutions, 工会, 委员会, 中心 …, and with `short` the one-character ones (局, 院, 所, 站 …), which
    end a name only where a text is read as naming a unit (a self-introduction, a title, a signature)."""
    classes = word_classes("assistant.text", "names.txt")
    names = ("org_suffix_prose", "org_ending", "org_ending_short") if short else ("org_suffix_prose", "org_ending")
    return alternation(w for n in names for w in classes[n])


_FUNCTION_TAGS = ("p", "r", "u", "uj", "ul", "d")  # 把, 我们, 的, 也: a name does not run across them (和 does: 发展和改革局)


def org_at_end(text: str) -> str:
    """The organisation a phrase ends with, back to its first pronoun, preposition or particle ("领导让我把榴畈县
    救助管理站" → "榴畈县救助管理站"); "" when the phrase does not end like one."""
    if not ends_like_org(text):
        return ""
    start = 0
    for word, begin, _, tag in _tokens(text):
        if (tag or "") in _FUNCTION_TAGS or (tag == "v" and len(word) == 1) or not re.search(r"[\u4e00-\u9fff]", word):
            start = begin + len(word)
    unit = text[start:]
    return unit if len(unit) >= 4 and ends_like_org(unit) else ""


def ends_like_org(text: str, short: bool = True) -> bool:
    """True when the text ends as an organisation's name does ("县水务局工会", "某银行城东支行")."""
    return re.search(rf"(?:{org_ending(short)})$", (text or "").strip()) is not None


def short_form_of(short: str, name: str) -> bool:
    """Every character of `short` in `name`, in order: a unit's short form ("县侨联" of "……归国华侨联合会")."""
    at = 0
    for ch in short:
        at = name.find(ch, at) + 1
        if at == 0:
            return False
    return True


def titles(text: str) -> list[str]:
    """The 《titles》 in a text, without their marks ("《工会法》" → "工会法")."""
    return [m.group(0)[1:-1] for m in _TITLE_RE.finditer(text or "")]


def find_names(text: str) -> list[Name]:
    """Proper names in a text: people, places, organisations, 《titles》 and quoted activity names."""
    if not text:
        return []
    return list(_find_names(text))


@lru_cache(maxsize=4096)
def _find_names(text: str) -> tuple[Name, ...]:
    text = fold_width(text)
    names: list[Name] = []
    for m in _TITLE_RE.finditer(text):
        inner = m.group(0)[1:-1]
        if not re.fullmatch(r"[xX×＊*]+", inner) and not _LAW.search(inner):
            names.append(Name(m.group(0), "title", m.start(), m.end()))
    for m in _QUOTE_RE.finditer(text):
        inner = m.group(1).strip()
        if inner in _COMMON_QUOTED or re.fullmatch(r"[xX×＊*]+", inner) or len(inner) < 3:
            continue
        names.append(Name(inner, "event", m.start(1), m.end(1)))
    for m in _EVENT_ABBR.finditer(text):
        names.append(Name(m.group(0), "event", m.start(), m.end()))
    names += _suffix_names(text)
    for m in _PERSON_RE.finditer(text):
        group = "a" if m.group("a") else "b"
        person = m.group(group)
        if person in _NOT_NAMES or person[:2] in _NOT_NAMES or any(ch in _STOP_CHARS for ch in person):
            continue
        names.append(Name(person, "person", m.start(group), m.end(group)))
    return tuple(_dedupe_overlaps(names))


def _dedupe_overlaps(names: list[Name]) -> list[Name]:
    """Keep the longest of overlapping names, in text order."""
    kept: list[Name] = []
    for n in sorted(names, key=lambda n: (-(n.end - n.start), n.start)):
        if all(n.end <= k.start or n.start >= k.end for k in kept):
            kept.append(n)
    return sorted(kept, key=lambda n: n.start)


# Where a unit's name stops naming its place ("平川县", "国家税务总局某县", "青石县委"): a place character that is
# not inside a common word (城乡, 社区, 市场, 园区).
_PLACE_END = re.compile(r"(?:省|自治区|(?<!城)市(?!场)|(?<![社园景小街辖城山林牧库])区|县|(?<!城)镇|(?<!城)乡)"
                        r"(?!直)(?:委(?!员))?")  # "县直机关": 县直 is part of the name


@lru_cache(maxsize=256)
def unit_field(unit: str | None) -> str:
    """The line of work a unit's name says: "县水利局" → 水利, "县残疾人联合会" → 残疾人, "…海事局东港海事处" →
    海事, any union → 工会; "" when the name says none (a school, a hospital, a station named after its place).
    A closing's "推动财政事业高质量发展" takes this unit's line instead of the example's."""
    name = re.sub(r"[（(][^）)]*[）)]", "", unit or "").strip()
    if name.endswith("工会"):
        return "工会"
    name = _PLACE_END.split(name)[-1]
    name = re.split(r"(?<=局)(?=[\u4e00-\u9fff]{3,})", name)[-1]  # "海事局东港海事处": the branch names the unit
    ending = re.search(rf"(?:{alternation(word_classes('assistant.text', 'names.txt')['field_ending'])})$", name)
    if ending is None:
        return ""
    core = [(w, tag) for w, _, _, tag in _tokens(name[:ending.start()])]
    while len(core) > 1 and (core[0][1] in _PROPER_TAGS or core[0][1] is None):  # "东港海事": the place goes
        core = core[1:]
    field = re.sub(r"(?<=..)(?:工作|事业)$", "", "".join(w for w, _ in core))  # the formula says 工作 itself
    verb_only = len(core) == 1 and core[0][1] == "v" and ending.group(0) in ("所", "站")  # "派出所" names no line
    place_only = len(core) == 1 and core[0][1] in (None, "ns", "nr", "nrt", "nrfg")  # "枫泽站": named after a place
    if len(field) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", field) or verb_only or place_only:
        return ""
    return field
