"""The guard: does a draft say only what the facts say, and nothing an example said?

It reports quantities the facts do not hold (after normalisation), specifics copied from the house
examples (names, places, numbers, long verbatim runs that are not stock phrasing), template placeholders,
facts of the section the draft left out, plans written as results, and the 【待补充：…】 slots left for
the user. It never raises on odd input: any text gives a report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from assistant.check.masking import BLANK_DATE, PLACEHOLDER, example_specifics, quoted_specifics
from assistant.facts.ledger import FactLedger, LedgerFact, content_terms, quantities_match
from assistant.schema import CheckReport, Role
from assistant.text.cues import future_pattern
from assistant.text.headings import parse_numbered
from assistant.text.numbers import SLOT_RE, Quantity, find_quantities, fold_width, format_value, squash
from assistant.text.sentences import sentence_spans

RUN_MIN = 15  # verbatim characters from one example that count as copying

# Official formulas that many summaries share; copying them is the genre, not a leak.
STOCK_PHRASES: tuple[str, ...] = (
    "在上级的正确领导下", "在上级工会的正确领导下", "在上级的正确领导和大力支持下", "在党政领导的高度重视和大力支持下",
    "紧紧围绕中心工作", "认真履行各项职责", "团结带领干部职工扎实开展各项工作", "团结带领广大职工扎实开展各项工作",
    "团结带领广大群众扎实开展各项工作", "团结带领全体教职工扎实开展各项工作", "团结带领全体医务人员扎实开展各项工作", "现将工作总结如下",
    "现将一年来的工作总结如下", "现将工作汇报如下", "取得了较好的成绩", "取得了明显成效", "在肯定成绩的同时",
    "我们也清醒地看到", "工作中还存在一些不足", "在新的一年里", "重点抓好以下几方面工作", "发扬成绩，正视不足",
    "为推动本单位高质量发展作出新的更大贡献", "继续在上级的坚强领导下", "充分发挥工会组织的作用",
    "全心全意依靠工人阶级", "维护职工合法权益", "竭诚服务职工群众", "以习近平新时代中国特色社会主义思想为指导",
    "深入学习贯彻党的二十大精神", "扎实做好各项工作", "作出更大的贡献", "针对存在的不足",
)

# The template placeholders an example may hold (masking.PLACEHOLDER, one home), plus the blanks the seed's
# numbers left behind in prose, which only a draft's check looks for.
_PLACEHOLDER = re.compile(
    PLACEHOLDER.pattern
    + rf"|{BLANK_DATE}"  # 月日 with both numbers blanked
    r"|(?<=[达共计])(?:到)?(?=[家人名个次场项户元][，,。；;、])"  # 达家。 共人，
    r"|(?:率|比例|比重)(?:达到|达|为)(?=[。，,；;])"  # 签订率达到。
    r"|(?<=[\u4e00-\u9fff])[ \u3000]+(?=(?:人次|个|家|名|人|场|次|项|户|元)[\u4e00-\u9fff，。,；])"  # 合同 个
    r"|(?<=[\u4e00-\u9fff])(?<![其多剩业空富结盈残有之一二三四五六七八九十百千万两零〇几数])余(?=人次|名|户|家|场)"  # 指导员余人次
)
# A slot must say what is missing; one that echoes the prompt's wording or is blank tells the user nothing.
_GENERIC_SLOT = re.compile(r"【待补充[：:][\s　]*(?:缺少的?(?:内容|信息|数据|事实)|(?:相关|具体|有关)?(?:内容|信息|数据|事实|情况)"
                           r"|[…．.。、xX×＊*?？]*)[\s　]*】")
# Markdown bold (**一、加强学习**) is formatting, not a *** placeholder; the seed's **线 blanks hold punctuation.
_BOLD = re.compile(r"\*\*([^*\n，。；;,]{1,30})\*\*")


def check_draft(text: str, ledger: FactLedger, role: Role | None = None,
                examples: Sequence[str] | None = None) -> CheckReport:
    """The report on one draft; `role` selects the facts it must use, `examples` the texts it must not copy."""
    text = text if isinstance(text, str) else str(text or "")
    examples = [e for e in (examples or []) if isinstance(e, str) and e.strip()]
    report = CheckReport()
    report.missing_slots = _dedupe(m.group(0) for m in SLOT_RE.finditer(text))
    body = SLOT_RE.sub(lambda m: "…" * len(m.group(0)), text)  # slots hold no claims; spans stay aligned
    quantities = find_quantities(body)
    example_qs = _example_quantities(tuple(examples))
    unsupported = [q for q in quantities if not ledger.supports(q) and not self_count(body, q)]
    report.unsupported_numbers = _dedupe(q.raw for q in unsupported)
    leaks: list[str] = []
    for q in unsupported:
        if q.kind != "year" and _is_specific(q) and any(quantities_match(q, e)
                                                        for e in example_qs.get(round(q.value, 4), ())):
            leaks.append(q.raw)
    leaks += _name_leaks(body, ledger, examples)
    leaks += _verbatim_runs(body, ledger, examples)
    report.leaks = _dedupe(leaks)
    report.placeholders = _dedupe([*(m.group(0) or _context(body, m.start()) for m in _placeholders(body)),
                                   *(m.group(0) for m in _GENERIC_SLOT.finditer(text))])
    if role is not None:
        report.unused_facts = [f.text for f in ledger.facts_for(role) if not fact_used(f, body, quantities)]
    if role == "成绩":
        report.plans_as_results = plans_as_results(body, ledger)
    return report


_SELF_COUNTED = re.compile(r"^(?:的|大|个|方面的?)?(?:工作|方面|任务|重点|措施|举措|内容|问题|不足|打算|计划|事情|实事)")


def self_count(text: str, q: Quantity) -> bool:
    """A count of the summary's own parts ("抓好以下两项工作", "三个方面的不足"), not a claim about the year."""
    return (q.kind in ("count", "one") and q.unit in ("项", "个", "方面", "点", "条", "件") and q.value <= 10
            and bool(_SELF_COUNTED.match(text[q.end:q.end + 6])))


def _placeholders(text: str) -> list[re.Match[str]]:
    unbolded = _BOLD.sub(lambda m: "\u200b\u200b" + m.group(1) + "\u200b\u200b", text)  # same length
    return list(_PLACEHOLDER.finditer(unbolded))


def _dedupe(items: Sequence[str] | object) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))  # type: ignore[union-attr]


def _context(text: str, pos: int) -> str:
    """A blank placeholder (达家, 率达到。) named by the words around it."""
    return text[max(0, pos - 3):pos + 2].strip() or "空白"


def _is_specific(q: Quantity) -> bool:
    """Numbers distinctive enough that sharing one with an example means copying it (not 3个, 11个)."""
    return q.value >= 20 or not float(q.value).is_integer() or q.unit in ("%", "元", "公里", "万元")


@lru_cache(maxsize=64)
def _example_quantities(examples: tuple[str, ...]) -> dict[float, list[Quantity]]:
    """The examples' quantities indexed by value (a draft's number is looked up, not compared with each)."""
    index: dict[float, list[Quantity]] = {}
    for e in examples:
        for q in find_quantities(e):
            if q.kind in ("count", "percent", "fraction"):
                index.setdefault(round(q.value, 4), []).append(q)
    return index


def _name_leaks(text: str, ledger: FactLedger, examples: Sequence[str]) -> list[str]:
    """Names, places, 《titles》 and quoted activity names of an example that the draft has and the facts lack."""
    if not examples:
        return []
    folded = fold_width(text)
    out = []
    for e in examples:
        quoted = quoted_specifics(e)
        for s in example_specifics(e):
            if find_quantities(s) or s not in folded or ledger.mentions(s) or _inside_fact_names(s, ledger):
                continue
            if s in quoted and len(s) < 6 and not re.search(rf"[“\"「『]{re.escape(s)}[”\"」』]", folded):
                continue  # a short generic term (职工书屋) used in passing, not a copied activity
            out.append(s)
    out = list(dict.fromkeys(out))
    # a longer leak covers the shorter ones inside it
    return [s for s in out if not any(s != o and s in o for o in out)]


def _inside_fact_names(s: str, ledger: FactLedger) -> bool:
    return any(s in n for n in ledger.names)


_SQUASHED_OUT = re.compile(r"[\s，,。.；;：:、！!？?“”\"‘’（）()《》…]")


def _words_only(text: str) -> str:
    """Text without blanks and punctuation: copying is judged on the words, however punctuated."""
    return _SQUASHED_OUT.sub("", fold_width(text))


def _words_only_with_map(text: str) -> tuple[str, list[int]]:
    """The squashed text and, for each of its characters, the index in the original."""
    folded = fold_width(text)
    keep = [i for i, ch in enumerate(folded) if not _SQUASHED_OUT.match(ch)]
    return "".join(folded[i] for i in keep), keep


@lru_cache(maxsize=512)
def _grams(text: str) -> frozenset[str]:
    s = _words_only(text)
    return frozenset(s[i:i + RUN_MIN] for i in range(len(s) - RUN_MIN + 1))


def copied_runs(text: str, ledger: FactLedger, examples: Sequence[str]) -> list[str]:
    """Runs of `text` copied from one example (docs/GENRE.md §C.13b): what a borrowed formula must not keep."""
    return _verbatim_runs(text, ledger, examples)


def _verbatim_runs(text: str, ledger: FactLedger, examples: Sequence[str]) -> list[str]:
    """Runs of ≥ RUN_MIN characters (punctuation ignored) that one example holds and no other does.

    A run shared by two distinct examples is house formula, not copying; fact text and stock phrases
    inside a run do not count towards its length. Runs are returned as written in the draft.
    """
    if not examples:
        return []
    ex_grams = [_grams(e) for e in _distinct_examples(tuple(examples))]
    squashed, where = _words_only_with_map(text)
    facts_sq = _words_only(ledger.text)
    own_sq = _words_only(ledger.own_text)  # the user's own earlier summary: their words come back
    stock = [_words_only(p) for p in STOCK_PHRASES]
    hits = [False] * len(squashed)
    for i in range(len(squashed) - RUN_MIN + 1):
        g = squashed[i:i + RUN_MIN]
        if g in facts_sq or (own_sq and g in own_sq):
            continue
        owners = sum(1 for gs in ex_grams if g in gs)
        if owners == 1:
            for k in range(i, i + RUN_MIN):
                hits[k] = True
    runs: list[str] = []
    i = 0
    while i < len(squashed):
        if not hits[i]:
            i += 1
            continue
        j = i
        while j < len(squashed) and hits[j]:
            j += 1
        run = text[where[i]:where[j - 1] + 1]
        if _informative(squashed[i:j], stock):
            runs.append(run)
        i = j
    return runs


def _informative(run: str, stock: list[str]) -> bool:
    """A run still ≥ RUN_MIN characters after the stock phrases in it are taken out."""
    rest = run
    for p in stock:
        rest = rest.replace(p, "|")
    return any(len(part) >= RUN_MIN for part in rest.split("|"))


@lru_cache(maxsize=64)
def _distinct_examples(examples: tuple[str, ...]) -> tuple[str, ...]:
    """Examples without those that are (nearly) part of another: a search hit is a passage of its document,
    and the same example uploaded twice is one example."""
    grams = [_grams(e) for e in examples]
    keep: list[str] = []
    for i, e in enumerate(examples):
        gi = grams[i]
        if not gi:
            continue
        contained = False
        for j, gj in enumerate(grams):
            if j == i or not gj or not (len(gj) > len(gi) or (len(gj) == len(gi) and j < i)):
                continue
            if len(gi & gj) >= 0.8 * len(gi):
                contained = True
                break
        if not contained:
            keep.append(e)
    return tuple(keep)


def fact_used(fact: LedgerFact, text: str, quantities: Sequence[Quantity] | None = None) -> bool:
    """A fact is used when all its key quantities are in the draft; without numbers, when most of its words are."""
    quantities = find_quantities(text) if quantities is None else quantities
    keys = fact.key_quantities
    if keys:
        return all(any(quantities_match(k, q) for q in quantities) for k in keys)
    for name in fact.names:
        if _words_only(name) not in _words_only(text):
            return False
    if not fact.terms:
        return True
    draft_terms = content_terms(text)
    return len(fact.terms & draft_terms) / len(fact.terms) >= 0.4


def plans_as_results(text: str, ledger: FactLedger) -> list[str]:
    """Clauses of a results section that restate a plan fact, or announce the future about one.

    A clause is judged by the fact it resembles most: a plan it shares a number or most words with,
    and no achievement it resembles as much. Future cues (将/拟/计划/力争) lower the bar.
    """
    plans = ledger.facts_for("计划")
    if not plans:
        return []
    # a result's 做法 and 成效 are this year's too: "全县普查登录率达到100%" is no plan of "……完成率达到100%"
    results = ledger.facts_for("成绩") + [f for f in ledger.facts if f.field == "details"]
    out: list[str] = []
    future = future_pattern()
    for s, e in sentence_spans(text, newline=True, quotes=False):
        sentence = text[s:e]
        future_sentence = bool(future.search(sentence))
        for clause in re.split(r"[，,]", sentence):
            clause = clause.strip().rstrip("。；;！？!?")
            terms = content_terms(clause)
            if len(clause) < 4 or not terms:
                continue
            qs = find_quantities(clause)
            numbered = parse_numbered(clause)
            bare = numbered.title if numbered else clause
            if any(squash(bare) in squash(r.text) for r in results) or \
                    (not qs and any(_words_in_order(bare, r.text) for r in results)):
                continue  # "新建老干部活动室" of this year's "新建老干部活动室3个", "新建便民生活圈" of this year's
                # "新建“十五分钟便民生活圈”3个", whatever next year plans
            best_plan = max((_overlap(p, terms, qs) for p in plans), default=0.0)
            best_result = max((_overlap(r, terms, qs) for r in results), default=0.0)
            is_future = bool(future.search(clause)) or (future_sentence and best_plan >= 0.5)
            if (is_future and best_plan >= 0.3 and best_plan >= best_result) or \
                    (best_plan >= 0.5 and best_plan > best_result + 0.1):
                out.append(clause)
    return _dedupe(out)


def _words_in_order(clause: str, fact: str) -> bool:
    """Every word of a clause but a verb of change stands in the fact in the same order, with the fact's own words
    between them ("新建便民生活圈" in "新建“十五分钟便民生活圈”3个"): the clause names that fact's work."""
    import jieba

    from assistant.check.vocabulary import heading_words

    change = heading_words().get("up", frozenset()) | heading_words().get("down", frozenset())
    at = 0
    # a verb of change is the direction the fact went, said the heading's way ("提高……面积" of "……较上年增加")
    words = [w for w in jieba.lcut(clause) if re.search(r"[\u4e00-\u9fff]", w) and w not in change]
    for word in words:
        at = fact.find(word, at)
        if at < 0:
            return False
        at += len(word)
    return len(words) >= 2


def _overlap(fact: LedgerFact, terms: frozenset[str], qs: Sequence[Quantity]) -> float:
    """How much of a fact a sentence restates: share of its words, or 1 when it shares a key quantity."""
    if fact.key_quantities and any(quantities_match(k, q) for k in fact.key_quantities for q in qs):
        return 1.0
    if not fact.terms:
        return 0.0
    return len(fact.terms & terms) / len(fact.terms)


# --- UI -------------------------------------------------------------------------------------------------
def highlight_spans(text: str, report: CheckReport) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every flagged item and 【待补充】 slot; kinds: number, leak, placeholder, plan, slot."""
    text = text or ""
    spans: list[tuple[int, int, str]] = []
    flagged = set(report.unsupported_numbers)
    leaked = set(report.leaks)
    body = SLOT_RE.sub(lambda m: "…" * len(m.group(0)), text)
    for q in find_quantities(body):
        if q.raw in leaked:
            spans.append((q.start, q.end, "leak"))
        elif q.raw in flagged:
            spans.append((q.start, q.end, "number"))
    for m in _placeholders(body):
        spans.append((m.start(), max(m.end(), m.start() + 1), "placeholder"))
    folded = fold_width(text)
    for item in report.leaks:
        if find_quantities(item) and item in flagged:
            continue
        spans += [(s, s + len(item), "leak") for s in (_all(text, item) or _all(folded, item))]
    for item in report.plans_as_results:
        spans += [(s, s + len(item), "plan") for s in _all(text, item)]
    generic = {(m.start(), m.end()) for m in _GENERIC_SLOT.finditer(text)}
    for m in SLOT_RE.finditer(text):
        spans.append((m.start(), m.end(), "placeholder" if (m.start(), m.end()) in generic else "slot"))
    return sorted(set(spans))


def _all(text: str, needle: str) -> list[int]:
    out, start = [], text.find(needle) if needle else -1
    while start >= 0:
        out.append(start)
        start = text.find(needle, start + len(needle))
    return out


def describe(q: Quantity) -> str:
    """'116000元' for a quantity: how the guard names it in logs."""
    return f"{format_value(q.value)}{q.unit}"
