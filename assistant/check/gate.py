"""The delivery gate: what a model wrote reaches the user only when the sentence ledger accepts it.

Two sizes of unit, one rule. A small model writes one fact as one clause: `judge_clause` accepts it only when it
states that fact — every quantity exactly as the user wrote it, the fact's names, nothing the ledger flags —
and otherwise the caller delivers the fact's faithful rendering instead. A stronger model writes a paragraph
for several facts: `gate_text` keeps its accepted sentences, puts the faithful rendering of a flagged
sentence's facts in its place (or drops it when it states none), and appends any fact the model left out.
Either way the model's attempt and the reasons travel with the result, so the page can show 模型原稿.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from assistant.check.document import check_text
from assistant.check.guard import fact_used
from assistant.check.terms import MANNER_FLAGS
from assistant.facts.ledger import FactLedger, LedgerFact, content_terms
from assistant.facts.unit_type import unit_type_of
from assistant.schema import Role
from assistant.text.numbers import find_quantities, fold_width
from assistant.text.sentences import split_clauses


def judge_clause(clause: str, fact_id: str, ledger: FactLedger, role: Role,
                 examples: Sequence[str] = ()) -> list[str]:
    """Why a model's clause for one fact may not be delivered; [] when it may."""
    fact = ledger.by_id(fact_id)
    if fact is None:
        return ["找不到对应的事实"]
    if not clause.strip():
        return ["模型没有写出内容"]
    reasons: list[str] = []
    if len(clause) > 2 * len(fact.text) + 40:
        reasons.append("写得太长，超出了这条事实")
    reasons += _quantity_reasons(clause, fact)
    missing = [n for n in fact.names if fold_width(n) not in fold_width(clause)]
    if missing:
        reasons.append("漏掉了事实中的名称：" + "、".join(missing))
    report = check_text(_sentence(clause), ledger, role, examples)  # a sentence, never read as a heading
    for entry in report.sentences:
        if entry.flagged:
            reasons += entry.reasons
    stated = {fid for entry in report.sentences for fid in entry.facts}
    if fact_id not in stated or not fact_used(fact, clause):
        reasons.append("没有完整写出这条事实")
    borrowed = [q.raw for q in find_quantities(clause) if q.kind != "one" and fold_width(q.raw) not in
                {fold_width(k.raw) for k in fact.quantities}]
    if borrowed:
        reasons.append("写进了其他事实的数字：" + "、".join(borrowed))
    for m in _FOR_WHOM.finditer(clause):  # "为教职工提供……" on a playground the fact built for the children
        who = m.group("who")
        members = "工会" in unit_type_of(ledger.unit) and who in _MEMBERS  # a union works for its members
        if who not in fact.text and not members:
            reasons.append(f"说了事实没有说的受益人：{who}")
    for m in _EFFECT.finditer(clause):  # "开展人工增雨作业21次，有效缓解旱情": an outcome nobody reported
        if not content_terms(m.group("what")) & content_terms(fact.text):
            reasons.append(f"说了事实没有说的成效：{m.group(0)}")
    reasons += added_word_reasons(clause, fact, ledger)
    return list(dict.fromkeys(reasons))


@cache
def _denied() -> re.Pattern[str]:
    """A denied occurrence ("未发生", "没有出现"): the negation and occurrence words of check/data."""
    from assistant.check.vocabulary import heading_words
    from assistant.text.wordlists import alternation

    kinds = heading_words()
    return re.compile(rf"(?:{alternation(kinds.get('negation', ()))})(?:{alternation(kinds.get('occur', ()))})")


def added_word_reasons(clause: str, fact: LedgerFact, ledger: FactLedger) -> list[str]:
    """A closed vocabulary for what a model adds beyond its fact (docs/GENRE.md §B.10a): every content word it
    adds comes from the genre's formula vocabulary (check/data, the house's own words) or this unit's own facts;
    a word for people or a place ("教职工", "校园", "社会") only when the facts name them; and a clause stating what
    the work achieved ("确保资金安全", "提升队伍素质") only when what it acts on is in the fact; a verdict on how well
    it went ("成效显著", "广泛好评") only when the user wrote it; a verb of a deed (招聘, 举办) only when the fact
    has it or it is a formula word (开展, 组织)."""
    from assistant.check.sentences import grounded, words
    from assistant.check.vocabulary import formula_words, heading_words, unit_vocabulary
    from assistant.text.numbers import squash
    from assistant.text.verbs import ACTION_VERBS

    kinds = heading_words()
    own = squash(fact.text)
    known = squash(ledger.text)
    people = kinds.get("people", frozenset())
    vocab = (unit_vocabulary(ledger.unit) | ledger.house) - people
    reasons = []
    said = words(clause)
    for word, _ in said:
        if word in own or grounded(word, own, frozenset()) or find_quantities(word):
            continue  # the fact's own word, or a figure (the quantity rules judge those)
        if word in people or any(p in word for p in people if len(p) >= 2):
            if word not in known:
                reasons.append(f"说了事实没有说的人或地方：{word}")
        elif not (word in known or grounded(word, known, vocab)):
            reasons.append(f"用了事实和公文套语以外的词：{word}")
    for (first, t1), (second, t2) in zip(said, said[1:], strict=False):
        # two added nouns side by side name a thing of their own ("结合主题教育，……" before a fact that never
        # named the campaign), whatever each word is alone: the pair must be the facts' or a formula as a whole
        pair = first + second
        if pair in clause and _nominal(t1) and _nominal(t2) and first not in own and second not in own \
                and pair not in known and pair not in vocab and pair not in formula_words():
            reasons.append(f"说了事实没有说的事：{pair}")
    acts = frozenset(ACTION_VERBS) | kinds.get("people_verbs", frozenset())
    for word, tag in said:  # "共招聘工作人员16人" for "站内现有工作人员16人": a deed the fact never did
        if tag.startswith("v") and word in acts and word not in own and word not in formula_words():
            reasons.append(f"说了事实没有说的做法：{word}")
    for verdict in sorted(kinds.get("verdicts", frozenset()), key=len, reverse=True):
        if verdict in clause and verdict not in known:  # "……，成效显著": only the user may judge the work so
            reasons.append(f"说了事实没有说的成效：{verdict}")
            break
    for kind in ("rose", "fell", "new"):  # "新增员工32人" for "现在员工32人": a change only the fact may claim
        claimed = [w for w in sorted(kinds.get(kind, frozenset())) if len(w) >= 2 and w in clause]
        if claimed and not any(len(w) >= 2 and w in fact.text for w in kinds.get(kind, frozenset())):
            reasons.append(f"说了事实没有说的变化：{claimed[0]}")
    effects = kinds.get("effect_verbs", frozenset())
    denied = _denied()
    for part in split_clauses(clause):
        part = part.strip("。 ")
        if part and denied.search(part) and squash(part) not in own \
                and not content_terms(part) <= fact.terms | content_terms(fact.text):
            # "全年未发生较大以上安全事故" after a fact that named other events: what did not happen is a claim
            reasons.append(f"说了事实没有说的情况：{part}")
            continue
        if not part or find_quantities(part) or len(content_terms(part) & fact.terms) * 2 >= max(1, len(
                content_terms(part))):
            continue  # a clause of the fact itself
        at, head = _effect_head(part, effects)
        rest = part[at + len(head):]
        # what an effect acts on is the fact's, whether the clause opens on it ("确保粮食安全" after "粮食烘干仓储
        # 能力补齐短板": one shared word is not the fact's work) or says it worked ("有效提升了……")
        if head and not _acts_on_the_fact(rest, own):
            reasons.append(f"说了事实没有说的成效：{part}")
    return reasons


def _nominal(tag: str) -> bool:
    return tag.startswith("n") or tag == "vn"


def _effect_head(part: str, effects: frozenset[str]) -> tuple[int, str]:
    """Where a clause's verb of effect stands and which it is: at its start, or after words of manner only
    ("有效提升了……", "切实保障……", "进一步提升……"); (0, "") when the clause does not state an effect."""
    from assistant.check.terms import tokens
    from assistant.check.vocabulary import heading_words

    manner = heading_words().get("manner", frozenset())
    for at in range(0, min(5, len(part) - 1)):
        for size in (2, 1):
            head = part[at:at + size]
            if head in effects and (at == 0 or all(f in _MANNER_TAGS or w in manner for w, f in tokens(part[:at]))):
                return at, head
    return 0, ""


# Parts of speech of a word of manner or degree before a verb of effect: those of check/terms.py ("有效",
# "进一步"), and the tokenizer's distinguishing and state words ("大大"), a verb used as an adverb ("持续") and the
# adverbial 地, which the gate reads only in a clause's first few characters.
_MANNER_TAGS = frozenset(MANNER_FLAGS) | {"b", "z", "vd", "uv"}


def _acts_on_the_fact(rest: str, own: str) -> bool:
    """What an effect acts on is the fact's: at least half of its words stand in the fact ("通关效率和安全性" after
    a fact of 通关时间 is not)."""
    from assistant.check.sentences import words
    from assistant.check.vocabulary import formula_words

    named = [w for w, _ in words(rest) if len(w) >= 2]
    fact_words = {w for w, _ in words(own)}
    generic = formula_words()  # "工作" inside the fact's "工作日" does not make "工作水平" the fact's
    return bool(named) and 2 * sum(1 for w in named if w in fact_words or (w in own and w not in generic)
                                   ) >= len(named)


# An outcome a model adds to a fact ("有效缓解旱情", "有效预防和控制疾病"). It may stand when what it acts on is
# in the fact ("调解矛盾纠纷……，有效化解了矛盾"); otherwise only the user can say the work had that effect.
_EFFECT_VERBS = "预防|缓解|控制|遏制|减少|降低|解决|化解|防范|避免|维护|保障|促进|推动|改善"
_EFFECT = re.compile(rf"有效(?:地)?(?:{_EFFECT_VERBS})(?:和(?:{_EFFECT_VERBS}))?了?(?P<what>[\u4e00-\u9fff]{{2,10}})")


# Who a sentence says the work was for. A model adds the beneficiary it guesses ("为教职工提供更好的锻炼环境"
# after "完成户外活动场地改造"); only the fact can say who it was for.
_MEMBERS = frozenset({"职工", "教职工", "员工", "干部职工", "会员", "教师", "老师", "医护人员", "医务人员", "护理人员",
                      "一线职工", "女职工", "困难职工"})
_FOR_WHOM = re.compile(r"(?:为|给|向|让|使)(?:广大|全体|全[院校园局所])?(?P<who>(?:教|医|女|一线|困难|离退休)?职工|教职工|员工|干部职工|"
                       r"教师|老师|医护人员|医务人员|护理人员|党员|会员|学生|幼儿|儿童|患者|病人|群众|居民|村民|老年人|"
                       r"家长|企业|纳税人|消费者|读者|游客|旅客)(?:们)?(?:提供|创造|营造|送去|带来|解决)")


def _quantity_reasons(clause: str, fact: LedgerFact) -> list[str]:
    """Every number of the clause is one of the fact's, written as the user wrote it (a quantity leaves as it
    came), and every key number of the fact is there."""
    own = {fold_width(q.raw) for q in fact.quantities}
    reasons = []
    for q in find_quantities(clause):
        if q.kind == "one":
            continue
        if fold_width(q.raw) not in own:
            reasons.append(f"数字与事实的写法不同：{q.raw}")
    folded = fold_width(clause)
    for q in fact.key_quantities:
        if fold_width(q.raw) not in folded:
            reasons.append(f"漏掉或改写了数字：{q.raw}")
    return reasons


@dataclass
class GatedText:
    """A model's text after the gate: what is delivered, and what was replaced or dropped and why."""

    text: str
    replaced: list[tuple[str, list[str], str]] = field(default_factory=list)  # (sentence, reasons, replacement)
    appended: list[str] = field(default_factory=list)  # fact ids the model left out, added as written
    model_sentences: int = 0  # sentences of the model delivered as written


def gate_text(text: str, fact_renderings: dict[str, str], ledger: FactLedger, role: Role | None,
              examples: Sequence[str] = (), *, keep_headings: bool = False, own_facts_only: bool = True
              ) -> GatedText:
    """A model's text with every flagged sentence replaced by its facts' faithful renderings, or dropped.

    `fact_renderings` maps the ids of the facts the text must state to their faithful renderings; a fact the
    text left out is added at the end. Lines stay lines. Headings the model wrote are dropped unless
    `keep_headings` (a revision of the 成绩 part keeps its headings when the ledger accepts them). With
    `own_facts_only`, a sentence stating a list fact that is not this text's own (another paragraph's, or any
    fact in an opening or closing) is replaced too: there it would be said twice.
    """
    report = check_text(text, ledger, role, examples)
    gated = GatedText("")
    covered: set[str] = set()
    lines: list[list[str]] = []
    line_of: dict[int, int] = {}
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    for entry in report.sentences:
        index = max(i for i, s in enumerate(starts[:-1]) if s <= entry.start)
        if index not in line_of:
            line_of[index] = len(lines)
            lines.append([])
        out = lines[line_of[index]]
        if entry.heading:
            if keep_headings and not entry.flagged:
                out.append(entry.text)
            elif entry.flagged:
                gated.replaced.append((entry.text, list(entry.reasons), ""))
            continue
        elsewhere = [fid for fid in entry.facts if fid.startswith(("ach", "prob", "plan"))
                     and fid not in fact_renderings] if own_facts_only else []
        if elsewhere:  # a fact of another paragraph: stated there, so here it would be said twice
            entry.reasons = [*entry.reasons, "写进了其他部分的事实：" + "、".join(elsewhere)]
        stated = [f for fid in entry.facts if (f := ledger.by_id(fid)) is not None and f.field in _WORDED]
        if stated and not entry.flagged:  # the closed vocabulary: what the model added to the facts it states
            added = added_word_reasons(entry.text, _joined(stated), ledger)
            if added:
                entry.reasons = [*entry.reasons, *added]
                entry.status = "unverified"
        if entry.flagged or elsewhere:
            facts = [fid for fid in entry.facts if fid in fact_renderings and fid not in covered]
            replacement = "".join(_sentence(fact_renderings[fid]) for fid in facts)
            covered.update(facts)
            gated.replaced.append((entry.text, list(entry.reasons), replacement))
            if replacement:
                out.append(replacement)
            continue
        covered.update(entry.facts)
        gated.model_sentences += 1
        out.append(entry.text if entry.text[-1:] in "。！？；：" else entry.text + "。")
    kept = [ln for ln in lines if ln]
    body = "".join("".join(ln) for ln in kept)
    extra = []
    for fid, rendering in fact_renderings.items():
        fact = ledger.by_id(fid)
        if fid not in covered and (fact is None or not fact_used(fact, body)):
            gated.appended.append(fid)
            extra.append(_sentence(rendering))
    if extra:
        if kept and not report.sentences[-1].heading:
            kept[-1].extend(extra)
        else:
            kept.append(extra)
    gated.text = "\n".join("".join(ln) for ln in kept)
    return gated


_WORDED = ("achievements", "problems", "plans", "details")


def _joined(facts: list[LedgerFact]) -> LedgerFact:
    """Several facts one sentence states, as one fact whose words are all theirs."""
    if len(facts) == 1:
        return facts[0]
    first = facts[0]
    return LedgerFact(text="，".join(f.text for f in facts), field=first.field,
                      quantities=tuple(q for f in facts for q in f.quantities),
                      names=tuple(n for f in facts for n in f.names),
                      terms=frozenset().union(*(f.terms for f in facts)), id=first.id)


def _sentence(clause: str) -> str:
    return clause if clause[-1:] in "。！？" else clause.rstrip("；;，,") + "。"
