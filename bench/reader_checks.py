"""A reader's check for 工作总结 headings, written apart from the assistant's own checks.

It looks at a delivered summary the way a careful reader does: is each 一、/（一） heading a finished
"动宾，动宾" phrase about a work area of this unit, true to the facts under it?  Standard library only,
plus jieba when it can be imported (word cuts, last words); without jieba, character rules stand in.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

# --- shared character classes -------------------------------------------------------------------------

_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "「": "」", "『": "』", "【": "】", "〔": "〕"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_SYMMETRIC = ('"', "'")
_CLAUSE_SEPS = "，,；;"
_STOPS = "。！？!?；;，,：:、\n"
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_LEVEL1 = re.compile(r"^\s*([一二三四五六七八九十]{1,3})、\s*(.*)$")
_LEVEL2 = re.compile(r"^\s*[（(]([一二三四五六七八九十]{1,3})[）)]\s*(.*)$")

# Set phrases whose numeral is no quantity.
_SET_PHRASES = tuple(
    "两学一做 三重一大 三会一课 一岗双责 一带一路 一老一小 一以贯之 一张蓝图 两个维护 两个确保 "
    "四个意识 四个自信 千方百计 千家万户 万众一心 一网通办 一网统管 一站式 一体化 一张网 "
    "一件事 一把手 一盘棋 一系列 进一步 下一步 双随机 一公开 十四五 十五五 一流 一体 一线 "
    "一批 一些 一起 一致 一切 一律 一道 一贯 一心 一同 统一 唯一 逐一 三农 四风 五四 "
    "三八 六稳 六保 两新 三公 十分 百姓 万家".split()
)
_MEASURES = "个项件起次家人名户所条批元倍年月日天场期座台辆处篇份本支类层级轮周亩吨米位节门套张间栋笔宗例届%％"
_MEASURE_WORDS = ("小时", "公里", "平方", "百分点", "余", "多")

# Words a clause must not end on: the phrase is unfinished.
_DANGLING_TOKENS = frozenset(
    "在 于 同比 环比 第 的 和 及 与 对 把 将 为 较 比 达 至 共 累计 全年 其中 以 从 向 由 被 给 跟 同 或 并 且 "
    "共计 合计 约 超 占 达到 分别 分别为 控制在 保持在 稳定在 降至 降到 增至 升至 提高到 提升到 对于 关于 由于 "
    "属于 位于 高达 近 逾".split()
)
# Without jieba: a final character in the list above is fine when it closes one of these words.
_DANGLING_CHAR_EXCEPTIONS = tuple(
    "存在 所在 现在 实在 自在 潜在 内在 外在 目的 参与 给与 普及 涉及 危及 乃至 甚至 "
    "以至 直至 冬至 夏至 应对 面对 核对 比对 作为 行为 有为 可为 祥和 平和 温和 调和 "
    "缓和 总和 公共 总共 评比 对比 类比 发达 通达 到达 表达 下达 传达 送达 抵达 比较 "
    "计较 所以 可以 难以 予以 加以 足以 共同 协同 认同 合同 如同 不同 会同 赞同 陪同 "
    "大同 连同 并且 而且 尚且 姑且 附近 最近 接近 就近 亲近 贴近".split()
)

# Generic work verbs (and the adverbs that may stand before them) that need a work area as object.
_ADVERBS = tuple("扎实 持续 全面 切实 积极 着力 深入 不断 进一步 大力 认真 全力 稳步 统筹 努力 用心 始终 坚持".split())
_GENERIC_VERBS = tuple(
    "做好 抓好 做实 做优 做细 深化 推进 推动 加强 强化 落实 完善 健全 优化 提升 提高 "
    "狠抓 抓实 夯实 开展 完成 干好 办好 统筹".split()
)
_PEOPLE_OR_SIZE = tuple(
    "人员 会员 职工 员工 干部 党员 群众 学生 教师 老师 护士 医生 医师 患者 病人 居民 "
    "村民 农户 老人 儿童 青年 妇女 学员 队员 工人 人才 人口 人数 人次 户数 教学班 班级 "
    "床位 科室 网点 门店".split()
)

# Catch-all objects: they name no work area.
_CATCH_ALL = re.compile(r"(各项|其他|其它|其余|有关|相关|日常|各方面|全部|所有|一切)的?(工作|任务|事务|事项|业务)")
_BARE_WORK = re.compile(
    r"^(全年|年度|本职|日常|各项|其他|其它|全部|整体|总体|重点|中心|主要|相关|有关|各类)?的?(工作|任务|业务|事务)"
    r"(落实|落地|见效|任务)?$"
)

# Direction of a rate or count.
_UP_VERBS = tuple("提升 提高 增加 扩大 增强".split())
_DOWN_VERBS = tuple("降低 压减 压降 减少 缩短 下降 压缩".split())
_METRIC_ENDS = tuple("率 起数 件数 次数 人数 例数 数量 时间 时长 天数 周期 成本 耗时".split())
_FELL = tuple("下降 降低 减少 压减 压降 缩短 控制在 降至 降到 降为 回落 下滑 减至 缩减 减到 缩至".split())
_ROSE = tuple("上升 提高 提升 增加 增长 增至 升至 扩大 增强 攀升 上涨 增到 升到".split())
_FROM_TO = re.compile(r"[由从]\s*(\d+(?:\.\d+)?)[^\d。；;，,]{0,6}?(?:到|至|为)\s*(\d+(?:\.\d+)?)")

# Straddling words for the character fallback of the cut test.
_FALLBACK_WORDS = frozenset(
    "行为 工作 会议 建设 管理 服务 发展 问题 情况 企业 群众 职工 安全 活动 制度 机制 能力 水平 质量 效率 责任 任务 "
    "项目 资金 经济 社会 教育 培训 宣传 检查 整改 治理 改革 创新 保障 考核 监督 风险 防控 生产 环境 队伍 组织 "
    "党员 干部 学习 执法 案件 事故 隐患 消防 贷款 医疗 护理 教学 科研 人员 会员 代表 大会".split()
)
_CUT_COST = 3.0  # nats: forcing a word boundary here makes jieba's best reading about 20 times less likely


# --- jieba, lazily ----------------------------------------------------------------------------------------


@functools.cache
def _jieba() -> Any | None:
    """The initialised jieba module, or None when it cannot be imported."""
    try:
        import jieba  # lazy on purpose: the module loads without it
    except ImportError:
        return None
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _tokens(text: str) -> list[str] | None:
    """jieba's dictionary-only words of text, or None without jieba."""
    jb = _jieba()
    return None if jb is None else [t for t in jb.cut(text, HMM=False) if t.strip()]


def _best_logp(text: str) -> float:
    """Log probability of jieba's best dictionary reading of text (0 for empty text)."""
    jb = _jieba()
    if jb is None or not text:
        return 0.0
    dag = jb.dt.get_DAG(text)
    route: dict[int, tuple[float, int]] = {}
    jb.dt.calc(text, dag, route)
    return float(route[0][0])


# --- small helpers ----------------------------------------------------------------------------------------


def _clauses(heading: str) -> list[str]:
    """Split a heading at ，/； outside quotes and brackets."""
    out: list[str] = []
    buf: list[str] = []
    stack: list[str] = []
    open_sym: set[str] = set()
    for ch in heading:
        if ch in _SYMMETRIC:
            open_sym ^= {ch}
        elif ch in _PAIRS:
            stack.append(ch)
        elif ch in _CLOSERS and stack and stack[-1] == _CLOSERS[ch]:
            stack.pop()
        if ch in _CLAUSE_SEPS and not stack and not open_sym:
            out.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
    out.append("".join(buf).strip())
    return [c for c in out if c]


def _balanced(clause: str) -> bool:
    """Each opening quote/bracket closed in order, each straight quote paired."""
    stack: list[str] = []
    for ch in clause:
        if ch in _PAIRS:
            stack.append(ch)
        elif ch in _CLOSERS:
            if not stack or stack[-1] != _CLOSERS[ch]:
                return False
            stack.pop()
    return not stack and all(clause.count(q) % 2 == 0 for q in _SYMMETRIC)


def _strip_numeral(heading: str) -> str:
    """Drop a leading 一、 or （一） if the caller left it on."""
    for pattern in (_LEVEL1, _LEVEL2):
        m = pattern.match(heading)
        if m:
            return m.group(2).strip()
    return heading.strip()


def _plain(text: str) -> str:
    """Text without punctuation and spaces, for character comparisons."""
    return "".join(ch for ch in text if ch.isalnum())


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence of a and b."""
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _phrase(text: str, *, backwards: bool = False, limit: int = 6) -> str:
    """Up to limit characters of text next to a boundary, stopping at punctuation."""
    chars = reversed(text) if backwards else iter(text)
    out: list[str] = []
    for ch in chars:
        if ch in _STOPS or ch in _PAIRS or ch in _CLOSERS or ch in _SYMMETRIC or ch.isspace() or len(out) >= limit:
            break
        out.append(ch)
    return "".join(reversed(out)) if backwards else "".join(out)


def _occurrences(text: str, part: str) -> list[int]:
    """Start indexes of part in text."""
    return [m.start() for m in re.finditer(re.escape(part), text)]


# --- the single checks ------------------------------------------------------------------------------------


def _has_number(heading: str) -> bool:
    """Arabic digits, or Chinese numerals used as a quantity (set phrases and 第-ordinals excepted)."""
    if re.search(r"[0-9０-９%％]", heading):
        return True
    text = heading
    for phrase in _SET_PHRASES:
        text = text.replace(phrase, "□" * len(phrase))
    for m in re.finditer(f"[{_CN_DIGITS}]+", text):
        if m.start() > 0 and text[m.start() - 1] == "第":
            continue
        rest = text[m.end() :]
        if len(m.group()) >= 2 or (rest[:1] and rest[0] in _MEASURES) or rest.startswith(_MEASURE_WORDS):
            return True
    return False


def _boundary_cut(left: str, right: str) -> bool:
    """True when the boundary between left and right falls inside a word of the fact.

    With jieba: the fact's words around the boundary are read twice, once freely and once forced to break at
    the boundary; when the forced reading costs more than _CUT_COST nats, the heading ends (or starts) inside a
    word (违法行|为, 代表大会第|三次).  Comparing probabilities rather than token edges keeps jieba's rare
    junk entries (率控制) from passing for words.  Without jieba: 第 before a numeral, or a common two-character
    word straddling the boundary.
    """
    if not left or not right:
        return False
    if left[-1] == "第" and (right[0].isdigit() or right[0] in _CN_DIGITS):
        return True
    if _jieba() is None:
        return left[-1] + right[0] in _FALLBACK_WORDS
    return _best_logp(left + right) - _best_logp(left) - _best_logp(right) > _CUT_COST


def _cut_word(clause: str, facts: list[str]) -> bool:
    """Does the clause start or end inside a word of the fact it was taken from?

    The clause's last (first) 3-8 characters are looked up in the facts, longest first; where they occur, the
    fact's text beyond the clause's edge is tested with _boundary_cut.  It counts as a cut only when every
    occurrence is one, so a clause that merely reuses a common phrase is not blamed.
    """
    core = clause.strip("".join(_PAIRS) + "".join(_CLOSERS) + "".join(_SYMMETRIC))
    if len(core) < 3:
        return False
    for at_end in (True, False):
        for size in range(min(len(core), 8), 2, -1):
            part = core[-size:] if at_end else core[:size]
            verdicts = []
            for fact in facts:
                for i in _occurrences(fact, part):
                    if at_end:
                        left = _phrase(fact[: i + size], backwards=True)
                        right = _phrase(fact[i + size :], limit=4)
                    else:
                        left = _phrase(fact[:i], backwards=True, limit=4)
                        right = _phrase(fact[i:])
                    verdicts.append(_boundary_cut(left, right))
            if verdicts:
                if all(verdicts):
                    return True
                break
    return False


def _dangling(clause: str) -> bool:
    """Does the clause end on a function word or an unfinished phrase (在, 同比, 控制在 …)?"""
    core = clause.rstrip("…．. ")
    if not core:
        return False
    if core.endswith(tuple(t for t in _DANGLING_TOKENS if len(t) > 1)):
        return True
    tokens = _tokens(core)
    if tokens is not None:
        return tokens[-1] in _DANGLING_TOKENS
    return core[-1] in _DANGLING_TOKENS and not core.endswith(_DANGLING_CHAR_EXCEPTIONS)


def _strip_verb(clause: str, verbs: tuple[str, ...]) -> tuple[str, str] | None:
    """(verb, object) when the clause opens, after adverbs, with one of verbs."""
    rest = clause
    changed = True
    while changed:
        changed = False
        for adverb in _ADVERBS:
            if rest.startswith(adverb) and not rest.startswith(verbs):
                rest = rest[len(adverb) :]
                changed = True
    for verb in sorted(verbs, key=len, reverse=True):
        if rest.startswith(verb):
            return verb, rest[len(verb) :]
    return None


def _no_work_object(clause: str) -> bool:
    """A generic work verb on a noun of people or of the unit's size (做好全院护理人员, 深化教学班)."""
    split = _strip_verb(clause, _GENERIC_VERBS)
    return split is not None and bool(split[1]) and split[1].endswith(_PEOPLE_OR_SIZE)


def _catch_all(clause: str) -> bool:
    """A clause that names no work area (做好各项工作, 统筹推进其他工作, 推动各项工作落实)."""
    if _CATCH_ALL.search(clause):
        return True
    rest = clause
    while True:
        split = _strip_verb(rest, _GENERIC_VERBS)
        if split is None:
            break
        rest = split[1]
    return rest != clause and bool(_BARE_WORK.match(rest))


def _fact_direction(fact: str, start: int, end: int) -> int:
    """+1 when the fact says the metric at fact[start:end] rose, -1 when it fell, 0 when it does not say."""
    after = re.split(r"[。；;]", fact[end:], maxsplit=1)[0][:20]
    hits = [(after.find(w), -1) for w in _FELL if w in after] + [(after.find(w), 1) for w in _ROSE if w in after]
    if hits:
        return min(hits)[1]
    m = _FROM_TO.search(after)
    if m and float(m.group(1)) != float(m.group(2)):
        return 1 if float(m.group(2)) > float(m.group(1)) else -1
    before = re.split(r"[。；;，,]", fact[:start])[-1][-8:]
    hits = [(before.rfind(w), -1) for w in _FELL if w in before] + [(before.rfind(w), 1) for w in _ROSE if w in before]
    return max(hits)[1] if hits else 0


def _direction_inverted(clause: str, facts: list[str]) -> bool:
    """提升/提高… a rate or count that the facts say fell, or 降低/压减… one they say rose."""
    for verbs, sign in ((_UP_VERBS, 1), (_DOWN_VERBS, -1)):
        split = _strip_verb(clause, verbs)
        if split is None or not split[1].endswith(_METRIC_ENDS):
            continue
        metric = split[1]
        for size in range(len(metric), 1, -1):
            part = metric[-size:]
            found = [(fact, i) for fact in facts for i in _occurrences(fact, part)]
            if found:
                said = {_fact_direction(fact, i, i + size) for fact, i in found} - {0}
                return said == {-sign}
    return False


def _whole_fact(heading: str, facts: list[str]) -> bool:
    """The heading is a fact copied: ≥ 80% of its characters in order in one fact, and long or numbered."""
    plain = _plain(heading)
    if not plain or not (len(heading) > 20 or _has_number(heading)):
        return False
    return any(_lcs(plain, _plain(fact)) >= 0.8 * len(plain) for fact in facts)


# --- public API -------------------------------------------------------------------------------------------


def heading_problems(heading: str, facts: list[str], *, level: int = 1) -> list[str]:
    """Problems a careful reader sees in one level-1 or level-2 heading (without its numeral 一、/（一）),
    given the user's fact sentences the heading stands over. Each problem is a short English tag, e.g.
    'number', 'unbalanced-quote', 'cut-word', 'dangling', 'direction-inverted', 'catch-all', 'no-work-object',
    'whole-fact', 'too-long'. 'too-long' (over 24 characters) applies to level 1 only."""
    text = _strip_numeral(heading)
    problems: list[str] = []

    def add(tag: str) -> None:
        if tag not in problems:
            problems.append(tag)

    if _has_number(text):
        add("number")
    for clause in _clauses(text):
        if not _balanced(clause):
            add("unbalanced-quote")
        if _cut_word(clause, facts):
            add("cut-word")
        if _dangling(clause):
            add("dangling")
        if _direction_inverted(clause, facts):
            add("direction-inverted")
        if _catch_all(clause):
            add("catch-all")
        if _no_work_object(clause):
            add("no-work-object")
    if _whole_fact(text, facts):
        add("whole-fact")
    if level == 1 and len(re.sub(r"\s", "", text)) > 24:
        add("too-long")
    return problems


def headings_of(summary: str) -> list[tuple[int, str]]:
    """(level, heading text without numeral) for each 一、 level-1 heading and each （一） level-2 heading or run-in
    lead phrase (the text up to the first 。 after （一）)."""
    out: list[tuple[int, str]] = []
    for line in summary.splitlines():
        for level, pattern in ((1, _LEVEL1), (2, _LEVEL2)):
            m = pattern.match(line)
            if m:
                text = re.split(r"[。！？]", m.group(2), maxsplit=1)[0].strip().rstrip("：:")
                if text:
                    out.append((level, text))
                break
    return out


def summary_problems(summary: str, facts: list[str]) -> list[str]:
    """Problems across one whole delivered summary (plain text with 一、/（一） headings): every heading's problems
    prefixed with the heading, plus 'repeated-second-clause: X' when a heading's second clause (after ，) occurs
    twice in one summary, plus 'slot-in-heading'."""
    problems: list[str] = []
    seconds: dict[str, int] = {}
    for level, heading in headings_of(summary):
        if re.search(r"【|】|待补充|待填|＿|_{2,}|×{2,}|X{2,}", heading):
            problems.append(f"slot-in-heading: {heading}")
        problems.extend(f"{heading}: {p}" for p in heading_problems(heading, facts, level=level))
        clauses = _clauses(heading)
        if len(clauses) > 1:
            seconds[clauses[1]] = seconds.get(clauses[1], 0) + 1
    problems.extend(f"repeated-second-clause: {x}" for x, n in seconds.items() if n > 1)
    return problems


# --- self-check -------------------------------------------------------------------------------------------

_FIRE = ["全年火灾起数同比下降18%，火灾发生率同比下降15%。", "组织“消防宣传进企业”活动12场，覆盖职工3000人次。"]
_UNION = ["3月召开第五届职工代表大会第三次会议，审议通过《集体合同》。", "工会会员新增320人，会员总数达4500人。"]
_LAW = ["查处违法行为56起，罚没款120万元。", "案件平均办理时长由45天缩短至30天。"]
_BANK = ["不良贷款率由1.8%降至1.2%，全年不良贷款率控制在1.2%以内。"]
_HOSPITAL = ["全院护理人员参加培训420人次。", "群众满意率由92%提升至97%。", "开设教学班18个。"]
_SAFETY = ["开展安全生产专项整治行动，覆盖辖区所有重点企业，全年未发生重大事故。", "强化安全监管，运营平稳有序。"]
_AID = ["做实帮扶救助，走访慰问困难职工210户，发放救助金36万元。"]

_BROKEN: list[tuple[str, list[str]]] = [
    ("召开第五届职工代表大会第", _UNION),
    ('组织消防宣传"进企业', _FIRE),
    ("查处违法行", _LAW),
    ("组织“", _FIRE),
    ("做好不良贷款率控制在", _BANK),
    ("下降火灾起数同比", _FIRE),
    ("做好全院护理人员", _HOSPITAL),
    ("深化教学班", _HOSPITAL),
    ("推进工会会员", _UNION),
    ("提升火灾发生率，守牢安全底线", _FIRE),
    ("提高案件办理时长", _LAW),
    ("降低群众满意率", _HOSPITAL),
    ("扎实做好各项工作", _SAFETY),
    ("统筹推进其他工作", _SAFETY),
    ("做好其他工作", _SAFETY),
    ("推动各项工作落实", _SAFETY),
    ("强化安全监管，推动营商环境持续优化和", _SAFETY),
    ("查处违法行为56起罚没款120万元", _LAW),
    ("开展安全生产专项整治行动覆盖辖区所有重点企业", _SAFETY),
    ("完成三项重点改革", _SAFETY),
    ("持续深化全面从严治党主体责任落实，推动党建与业务深度融合发展", _SAFETY),
]
_GOOD: list[tuple[str, list[str]]] = [
    ("强化安全监管，确保运营平稳", _SAFETY),
    ("做实帮扶救助", _AID),
    ("降低火灾发生率，守牢安全底线", _FIRE),
    ("召开第五届职工代表大会", _UNION),
    ("开展“消防宣传进企业”活动", _FIRE),
    ("压降不良贷款率，守住风险底线", _BANK),
    ("缩短案件办理时长，提升办案效率", _LAW),
    ("提升群众满意率，改善就医体验", _HOSPITAL),
    ("加强护理队伍建设，提升护理服务水平", _HOSPITAL),
    ("关爱困难职工，凝聚职工力量", _AID),
    ("推行“双随机、一公开”监管，规范市场秩序", _LAW),
    ("服务“三农”发展，助力乡村振兴", []),
    ("建设一流学科，推进产教一体化", _HOSPITAL),
    ("压实安全生产责任，守住不发生重大事故底线", _SAFETY),
    ("依法查处违法行为，维护市场秩序", _LAW),
    ("深化职代会制度建设，维护职工合法权益", _UNION),
]
_SUMMARY = """一、强化安全监管，确保运营平稳
（一）组织“消防宣传进企业”活动。全年组织活动12场。
（二）提升火灾发生率，守牢安全底线。全年火灾起数同比下降18%。
二、做实帮扶救助，确保运营平稳
（一）走访慰问【待补充：慰问对象】。全年走访慰问困难职工210户。
三、扎实做好各项工作"""


def _main() -> int:
    """Print every example with its problems; return the number of wrong verdicts."""
    mode = "jieba" if _jieba() is not None else "character fallback"
    print(f"reader_checks self-check ({mode})")
    wrong = 0
    for kind, cases in (("broken", _BROKEN), ("good", _GOOD)):
        for heading, facts in cases:
            problems = heading_problems(heading, facts)
            ok = bool(problems) == (kind == "broken")
            wrong += not ok
            print(f"{'ok ' if ok else 'BAD'} {kind:6} {heading} -> {', '.join(problems) or '-'}")
    print("summary:")
    for level, heading in headings_of(_SUMMARY):
        print(f"  L{level} {heading}")
    for problem in summary_problems(_SUMMARY, _FIRE + _AID + _SAFETY):
        print(f"  ! {problem}")
    print(f"wrong verdicts: {wrong}")
    return wrong


if __name__ == "__main__":
    raise SystemExit(1 if _main() else 0)
