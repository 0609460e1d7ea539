"""The sentence ledger: every sentence of a draft accounted for against the user's facts.

Each sentence (and heading) gets one status:
- ``supported``: it states facts, named by id, and its quantities, names and content words agree with them;
- ``formula``: a connective or evaluation of the genre with nothing specific in it ("职工素质得到提升");
- ``unverified``: specific content no fact supports — an activity, partner, organisation, event or practice the
  facts do not name, or a real quantity attached to something that is not its fact's;
- ``violation``: an invented number, an example leak, a placeholder, a plan written as a result, an echo of the
  prompt, a repetition or loop, a dated formula, a fact's state upgraded (拟 → 已完成).

How specific content is recognised: the sentence is cut into words (jieba); numbers and 【待补充】 slots are set
aside; every remaining word of two or more Han characters must be found in the facts (as written, or pieced
together from fact text and genre words) or be a formula word of the genre (check/data/formula_words.txt).
Words that are neither are what the sentence claims without support. The rules are docs/GENRE.md §B and §C.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from assistant.check.guard import self_count
from assistant.check.vocabulary import (
    activity_words,
    dated_formulas,
    domain_words,
    formula_words,
    general_words,
    synonyms,
    unit_vocabulary,
)
from assistant.facts.ledger import FactLedger, LedgerFact, content_terms, quantities_match
from assistant.schema import SentenceEntry, SentenceStatus
from assistant.text.cues import future_pattern, intent_span_pattern, pending_pattern
from assistant.text.headings import parse_numbered
from assistant.text.names import find_names, org_ending
from assistant.text.numbers import SLOT_RE, Quantity, find_quantities, fold_width, squash
from assistant.text.sections import part_heading, section_roles
from assistant.text.sentences import sentence_spans, split_clauses

STATUSES: tuple[SentenceStatus, ...] = ("supported", "formula", "unverified", "violation")


# --- segmentation ----------------------------------------------------------------------------------------
_ENUM_AFTER_COLON = re.compile(r"(?<=[：:])(?=\s*(?:[一二三四五六七八九十]+是|其一|首先|[（(][一二三四五六七八九十\d]+[)）]))")
_FINAL_PUNCT = "。！？；：!?;:，,、"


def split_sentences(text: str) -> list[SentenceEntry]:
    """Headings and sentences of a text, with their spans; blank lines and bare punctuation give nothing.

    A numbered line without sentence-final punctuation is a heading; a run-in level-2 heading
    ("（一）学习理论，提高素质。一年来……") is a heading followed by sentences; a short un-numbered line with
    no final punctuation is a heading too (the title, "存在的问题"). An enumeration after a colon
    ("还存在一些不足：一是……；二是……") starts new sentences at 一是, 二是.
    """
    out: list[SentenceEntry] = []
    pos = 0
    for line in (text or "").split("\n"):
        start = pos
        pos += len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        offset = start + (len(line) - len(line.lstrip()))
        numbered = parse_numbered(stripped)
        body_start = 0
        if numbered is not None and numbered.title and numbered.title[-1:] not in _FINAL_PUNCT:
            head_len = len(stripped) - len(numbered.rest) if numbered.rest else len(stripped)
            head = stripped[:head_len].rstrip()
            out.append(SentenceEntry(head, offset, offset + len(head), heading=True))
            body_start = head_len
        elif _looks_like_heading(stripped):
            out.append(SentenceEntry(stripped, offset, offset + len(stripped), heading=True))
            continue
        body = stripped[body_start:]
        base = offset + body_start
        for piece in _pieces(body):
            s, e = piece
            chunk = body[s:e]
            lead = len(chunk) - len(chunk.lstrip())
            chunk = chunk.strip()
            if chunk and re.search(r"[\w\u4e00-\u9fff]", chunk):
                out.append(SentenceEntry(chunk, base + s + lead, base + s + lead + len(chunk)))
    return out


def _pieces(body: str) -> list[tuple[int, int]]:
    cuts = sorted({0, len(body), *(m.start() for m in _ENUM_AFTER_COLON.finditer(body))})
    spans: list[tuple[int, int]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        for s, e in sentence_spans(body[a:b]):
            if body[a + s:a + e].strip():
                spans.append((a + s, a + e))
    return spans


def _looks_like_heading(line: str) -> bool:
    """A short un-numbered line with no closing mark, no figures and at most one comma ("工会大学校有作为")."""
    return (len(line) <= 30 and line[-1] not in _FINAL_PUNCT and "【" not in line and not SLOT_RE.search(line)
            and not re.search(r"\d", line) and line.count("，") + line.count(",") <= 1)


# --- words -----------------------------------------------------------------------------------------------
# Function words and pronouns: never content, whatever jieba makes of them.
_FUNCTION_WORDS = frozenset(
    "我们 他们 大家 自己 这些 那些 这个 那个 这样 那样 这种 此次 本次 其中 之中 以上 以下 之一 之后 之前 以后 以前 "
    "因为 所以 由于 为了 对于 关于 通过 根据 按照 随着 并且 而且 以及 或者 还是 不仅 而是 但是 可是 然而 同时 此外 "
    "另外 并在 都是 就是 也是 还有 已经 正在 曾经 一直 一起 一道 一同 一并 一定 一切 一些 一批 一次 一个 一项 一是 "
    "二是 三是 四是 五是 六是 七是 八是 九是 十是 得到 成为 作为 进行 给予 有关 相关 方面 各种 各项 等等 之际 之时 "
    "以来 期间 当中 其他 其它 没有 不够 不足 不高 不强 较为 比较 相对 十分 非常 特别 尤其 较好 很好 更加 逐步".split())
# Single characters that may glue known pieces together inside one jieba word ("职工之家", "全院性").
_GLUE = set("的之和与及等各全本新老大小多少长短高低好强弱性化者员们类型式点项级部处所站队组班中内外上下前后是为在有了")
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """A jieba part-of-speech tokenizer of our own that keeps the genre's words whole ("下一步", "比学赶超").

    Separate from jieba's global one, which the name finder uses with its default dictionary.
    """
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    genre = set(formula_words()) | activity_words()
    for kind_words in domain_words().values():
        genre |= kind_words
    for word in genre:
        if len(word) >= 2:
            tk.add_word(word, freq=max(tk.FREQ.get(word, 0), 2000))
    return jieba.posseg.POSTokenizer(tk)


def words(text: str) -> list[tuple[str, str]]:
    """Content words of a text (two or more Han characters, not function words) with their part of speech.

    Without jieba's guessing of unknown words (HMM off): an unknown run falls apart into single characters,
    which say nothing on their own, instead of into made-up "words" that straddle two real ones.
    """
    out = []
    for pair in _tokenizer().cut(text, HMM=False):
        word, tag = pair.word, pair.flag
        if _HAN_WORD.fullmatch(word) and word not in _FUNCTION_WORDS:
            out.append((word, tag))
    return out


# Parts of speech that describe manner, attitude or evaluation rather than name something: a verb, adjective,
# adverb or idiom is not a claim unless it is an activity word (捐款, 慰问, 演出 …).
_MANNER_TAGS = ("v", "vd", "vi", "vl", "vg", "a", "ad", "ag", "d", "dg", "i", "l", "p", "c", "u", "r", "m", "q", "t",
                "f", "y", "z", "b")


COMMON_WORD_FREQ = 30  # measured on the labelled sets: bench/draft_quality.py reports the false alarms


def _frequency(word: str) -> int:
    return int(_tokenizer().tokenizer.FREQ.get(word, 0))


def _common_compound(word: str, ctx: _Context) -> bool:
    """"运输网络" = 运输 + 网络: a compound of common words, none of them a claim, claims nothing new."""
    n = len(word)
    if n < 4:
        return False
    reach = [False] * (n + 1)
    reach[0] = True
    for i in range(n):
        if not reach[i]:
            continue
        for j in range(i + 2, n + 1):
            piece = word[i:j]
            if piece not in ctx.activities and (piece in ctx.wide or _frequency(piece) >= COMMON_WORD_FREQ):
                reach[j] = True
    return reach[n]


_WHOLE_UNIT = re.compile(r"[全本我][\u4e00-\u9fff]")  # 全行, 全院, 本所, 我站: the unit itself


def _claims(word: str, tag: str, known: str, ctx: _Context) -> bool:
    """True when a content word says something specific that neither the facts nor the genre give."""
    if word in known or _coverable(word, known, ctx.vocab) or _WHOLE_UNIT.fullmatch(word):
        return False
    if any(other in known for other in synonyms().get(word, ())):
        return False  # the user's 轮训 written as 培训
    if word in ctx.activities:
        return True
    if grounded(word, known, ctx.wide):
        return False
    if tag in _MANNER_TAGS or tag.startswith(("v", "a", "d")):
        return False
    # A common word of the language (jieba's own frequency) that is no activity, event, thing or partner
    # ("网络", "底线", "舞台") is figurative or general; rare and unknown nouns are what a sentence claims.
    return _frequency(word) < COMMON_WORD_FREQ and not _common_compound(word, ctx)


def _coverable(word: str, known: str, vocab: frozenset[str]) -> bool:
    """The word pieced together from fact text and formula words (pieces of ≥ 2 characters, or glue)."""
    n = len(word)
    reach = [False] * (n + 1)
    reach[0] = True
    for i in range(n):
        if not reach[i]:
            continue
        if word[i] in _GLUE:
            reach[i + 1] = True
        for j in range(i + 2, n + 1):
            piece = word[i:j]
            if piece in vocab or piece in known:
                reach[j] = True
    return reach[n]


def grounded(word: str, known: str, vocab: frozenset[str] | None = None) -> bool:
    """True when a content word is the user's (in the facts) or the genre's (a formula word)."""
    vocab = formula_words() if vocab is None else vocab
    return word in vocab or word in known or _coverable(word, known, vocab)


# --- detectors -------------------------------------------------------------------------------------------
_ECHO = re.compile(
    r"这一标题下|这个标题下|(?:标题|部分|正文|事实|范文|提纲|要求|原文|输出|草稿|示例|内容如下)[：:]|以下是|下面是|"
    r"根据(?:您|你|提供|以上|上述)|请注意|注[：:]|【(?!待补充)[^】\n]{0,40}】|[#*`]|<<<|>>>|"
    r"〔(?:数字|年份|日期|人名|地名|单位|活动名称|文件名称|略)〕|"
    r"[”\"](?:这一|这个)?(?:部分|一节|标题)|作为(?:一名|一个)?(?:AI|人工智能|写作助手)|"
    r"(?<![A-Za-z])(?:Note|Here|Sure|OK)(?![A-Za-z])")
_LOOP = re.compile(r"(.{4,}?)\1{2,}")
_STATE_DONE = re.compile(r"已完成|已经完成|全面完成|顺利完成|完成了|已建成|建成|已投入使用|投入使用|已落成|落成|竣工|完工|已实现|实现了|"
                         r"已?正式?上线|上线运行|已运行|投入运行|已启用|正式启用|已开通|正式开通|投用|已交付|交付使用")


@dataclass
class _Context:
    """What every sentence is judged against, computed once per text."""

    ledger: FactLedger
    known: str  # the facts, squashed
    vocab: frozenset[str]  # formula words
    wide: frozenset[str]  # formula and general words
    activities: frozenset[str]  # words that always make a claim (check/data/activity_words.txt)
    leaks: tuple[str, ...]
    placeholders: tuple[str, ...]
    plans_as_results: tuple[str, ...]
    example_headings: frozenset[str]
    role: str | None
    roles: list[tuple[int, int, str]]  # (start, end, role) of the sections of a whole document


def _role_at(ctx: _Context, pos: int) -> str | None:
    if ctx.role is not None:
        return ctx.role
    for start, end, role in ctx.roles:
        if start <= pos < end:
            return role
    return None


def classify(entries: list[SentenceEntry], text: str, ledger: FactLedger, *, role: str | None,
             leaks: Sequence[str] = (), placeholders: Sequence[str] = (), plans_as_results: Sequence[str] = (),
             examples: Sequence[str] = ()) -> list[SentenceEntry]:
    """Give every entry its status, fact ids and reasons (in place; returns the entries)."""
    vocab = unit_vocabulary(ledger.unit) | ledger.house
    ctx = _Context(ledger=ledger, known=squash(ledger.text), vocab=vocab,
                   wide=vocab | general_words(), activities=activity_words(), leaks=tuple(leaks),
                   placeholders=tuple(p for p in placeholders if p), plans_as_results=tuple(plans_as_results),
                   example_headings=_example_headings(tuple(examples)), role=role,
                   roles=section_roles(text) if role is None else [])
    seen: dict[str, int] = {}
    judged: dict[tuple[str, str | None], SentenceEntry] = {}  # a sentence said twice is judged once
    for entry in entries:
        key_j = (entry.text, _role_at(ctx, entry.start) if not entry.heading else "h")
        same = judged.get(key_j)
        if same is not None:  # "h" keys only headings, a role only sentences
            entry.status, entry.facts, entry.reasons = same.status, list(same.facts), list(same.reasons)
        else:
            _judge(entry, ctx)
            judged[key_j] = entry
        key = squash(SLOT_RE.sub("", entry.text))
        if len(key) >= 6 and not entry.heading:
            if key in seen:
                entry.reasons.append("与前面的句子重复")
                entry.status = "violation"
            seen.setdefault(key, 1)
    return entries


def _judge(entry: SentenceEntry, ctx: _Context) -> None:
    s = entry.text
    body = SLOT_RE.sub(lambda m: " " * len(m.group(0)), s)
    violations: list[str] = []
    unverified: list[str] = []
    qs = [q for q in find_quantities(body)]
    qs = [q for q in qs if not self_count(body, q)]
    for q in qs:
        if not ctx.ledger.supports(q):
            violations.append(f"事实中没有这个数字：{q.raw}")
    folded = fold_width(s)
    for leak in ctx.leaks:
        if leak and (leak in s or leak in folded) and not any(leak in v for v in violations):
            violations.append(f"照搬了范文中的内容：{leak}")
    for p in ctx.placeholders:
        if p in s:
            violations.append(f"残留模板占位符：{p}")
    for clause in ctx.plans_as_results:
        if clause and clause in s:
            violations.append(f"把计划写成了成绩：{clause}")
    future = future_pattern().search(body)
    if future and _role_at(ctx, entry.start) == "成绩" and not entry.heading \
            and not any("计划写成" in v for v in violations) and not _cue_in_own_fact(future.group(0), body, ctx):
        violations.append(f"成绩部分写了打算：{future.group(0)}")
    echo = _ECHO.search(s)
    # the user's own words are no echo: '国际贸易"单一窗口"部分功能' quotes a name before 部分
    if echo and s[max(0, echo.start() - 4):echo.end() + 2] not in ctx.ledger.text:
        violations.append(f"混入了提示语或格式符号：{echo.group(0)}")
    loop = _LOOP.search(squash(s))
    if loop and len(loop.group(0)) >= 12:
        violations.append(f"同一内容反复出现：{loop.group(1)}")
    for pattern in dated_formulas():
        m = pattern.search(s)
        if m and not pattern.search(ctx.ledger.text):
            violations.append(f"过时提法：{m.group(0)}")
    if entry.heading and squash(s) in ctx.example_headings and squash(s) not in ctx.known:
        violations.append("照搬了范文的标题")

    facts = _referenced_facts(body, qs, ctx)
    # Names: people, places, organisations, titles the facts do not mention.
    for name in find_names(body):
        if not ctx.ledger.mentions(name.text) and not any(name.text in v for v in violations):
            unverified.append(f"事实中没有这个名称：{name.text}")
    # Organisations named as partners or patrons ("在县人社局的支持下", "联合县妇联") that the facts do not name.
    for org in _partners(_without_own_names(body, ctx)):
        if not ctx.ledger.mentions(org) and not any(org in r for r in unverified):
            unverified.append(f"事实中没有这个单位：{org}")
    # Practices and institutions the facts do not name ("限时办结制度", "首问负责制").
    for m in _PRACTICE.finditer(body):
        stem = _PRACTICE_VERB.sub("", m.group("stem"))
        if stem and not ctx.ledger.mentions(m.group(0)) and not ctx.ledger.mentions(stem) \
                and not (stem in ctx.wide or _frequency(stem) >= COMMON_WORD_FREQ or _coverable(stem, ctx.known, ctx.wide)):
            unverified.append(f"事实中没有这项做法：{m.group(0)}")
    # Content words found neither in the facts nor among the genre's words (formula words, the everyday words
    # of this kind of unit, the general vocabulary of official prose).
    stray = [w for w, tag in words(_mask_quantities(body, qs)) if _claims(w, tag, ctx.known, ctx)]
    if stray:
        unverified.append("事实中没有这些内容：" + "、".join(dict.fromkeys(stray)))
    # A real quantity attached to something that is not its fact's.
    for q in qs:
        owner = _misattributed(q, body, qs, ctx)
        if owner is not None:
            unverified.append(f"数字{q.raw}在事实中属于“{owner.text}”，这里说的是别的事")
    # A fact's state kept: 拟/在建 never becomes 已完成.
    done = _STATE_DONE.search(body)
    candidates = [f.id for f in ctx.ledger.facts if f.field in ("achievements", "plans", "notes")]
    main = _main_fact(body, qs, candidates, ctx, minimum=0.25) if done else None
    own_words = done is not None and body[max(0, done.start() - 4):done.end() + 2] in ctx.ledger.text
    if done and main is not None and not own_words:  # "2台火化炉已运行超过12年" is the user's own problem
        pending = pending_pattern().search(_pending_part(main.text, body))
        if pending and not pending_pattern().search(body):
            violations.append(f"把“{pending.group(0)}”的事写成了已完成：{done.group(0)}")
    entry.facts = facts
    entry.reasons = [*dict.fromkeys(violations), *dict.fromkeys(unverified)]
    if violations:
        entry.status = "violation"
    elif unverified:
        entry.status = "unverified"
    elif any(not fid.startswith(("unit", "title")) for fid in facts):
        entry.status = "supported"
    else:
        entry.status = "formula"


_PRACTICE_VERB = re.compile(r"^(?:健全|建立|完善|落实|推行|实行|执行|严格|规范|坚持|各项|相关|有关)+")
_PRACTICE = re.compile(r"(?P<stem>[\u4e00-\u9fff]{2,8}?)(?:制度|负责制|办结制|公示制|承诺制|包保制|积分制)")
_ORG = rf"[\u4e00-\u9fff]{{1,10}}?(?:{org_ending()})"
_PARTNER = re.compile(rf"(?:在|经|由)(?P<a>{_ORG})的?(?:大力)?(?:支持|指导|帮助|关心|资助|协调)|"
                      rf"(?:与|同|和|联合|会同|协同|携手|联手|邀请|依托|配合)(?P<b>{_ORG})")


def _without_own_names(text: str, ctx: _Context) -> str:
    """The sentence with this unit's own name blanked: "……供销合作社联合社团结带领……" names no partner after 联合."""
    unit = ctx.ledger.unit
    return text.replace(unit, "　" * len(unit)) if len(unit) >= 3 else text


def _partners(text: str) -> list[str]:
    """Organisations a sentence names as partners or patrons."""
    out = []
    for m in _PARTNER.finditer(text):
        org = (m.group("a") or m.group("b") or "").lstrip("各")
        if len(org) >= 3 and org not in ("上级工会", "上级党委", "党委", "党组", "工会", "本单位"):
            out.append(org)
    return out


def _cue_in_own_fact(cue: str, body: str, ctx: _Context) -> bool:
    """A results fact or a result's detail that itself says 拟/计划 ("拟于2026年投用", "其余3件已列入明年计划推进")
    may be restated with its cue: the user said it of this result."""
    terms = content_terms(body)
    for fact in ctx.ledger.facts:
        if fact.field in ("achievements", "details") and cue in fact.text and fact.terms \
                and len(fact.terms & terms) / len(fact.terms) >= 0.4:
            return True
    return False


def _main_fact(body: str, qs: Sequence[Quantity], ids: Sequence[str], ctx: _Context,
               minimum: float = 0.0) -> LedgerFact | None:
    """The fact a sentence states most: a shared key quantity first, then the largest share of its words
    (at least `minimum` of them)."""
    terms = content_terms(body)
    best: tuple[float, LedgerFact] | None = None
    for fid in ids:
        fact = ctx.ledger.by_id(fid)
        if fact is None or fact.field in ("unit", "title"):
            continue
        score = len(fact.terms & terms) / len(fact.terms) if fact.terms else 0.0
        if fact.key_quantities and any(quantities_match(k, q) for k in fact.key_quantities for q in qs):
            score += 1.0
        if score >= minimum and (best is None or score > best[0]):
            best = (score, fact)
    return best[1] if best else None


def _pending_part(fact: str, sentence: str) -> str:
    """The part of a fact a done-state sentence speaks of. A fact may be part done, part pending ("一期投入使用；
    二期在建"): the sentence is held to the clause of the fact it resembles most."""
    if not _STATE_DONE.search(intent_span_pattern().sub("", fact)):
        return fact
    terms = content_terms(sentence)
    clauses = [c for c in split_clauses(fact, stop=True) if c.strip()]
    return max(clauses, key=lambda c: len(content_terms(c) & terms), default=fact)


def _mask_quantities(text: str, qs: Sequence[Quantity]) -> str:
    chars = list(text)
    for q in qs:
        for i in range(q.start, min(q.end, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _referenced_facts(body: str, qs: Sequence[Quantity], ctx: _Context) -> list[str]:
    """Ids of the facts a sentence states: by a shared key quantity, its names, or most of its words."""
    terms = content_terms(body)
    squashed = squash(body)
    ids: list[str] = []
    for fact in ctx.ledger.facts:
        if fact.field in ("unit", "title"):
            if fact.text and squash(fact.text) in squashed:
                ids.append(fact.id)
            continue
        keys = fact.key_quantities
        if keys and any(quantities_match(k, q) for k in keys for q in qs):
            ids.append(fact.id)
        elif fact.names and all(squash(n) in squashed for n in fact.names):
            ids.append(fact.id)
        elif fact.terms and len(fact.terms & terms) / len(fact.terms) >= 0.5:
            ids.append(fact.id)
    return ids


_CLAUSE_MARKS = "，,、；;：:。"


def clause_span(text: str, pos: int, end: int) -> tuple[int, int]:
    """The clause (between commas, semicolons, colons or stops) holding text[pos:end]."""
    start = max(text.rfind(c, 0, pos) for c in _CLAUSE_MARKS) + 1
    ends = [i for i in (text.find(c, end) for c in _CLAUSE_MARKS) if i >= 0]
    return start, (min(ends) if ends else len(text))


def _evidence(text: str, qs: Sequence[Quantity], vocab: frozenset[str]) -> list[str]:
    """The specific words of a stretch of text: content words that are not formula words."""
    return [w for w, _ in words(_mask_quantities(text, qs)) if w not in vocab]


def _misattributed(q: Quantity, body: str, qs: Sequence[Quantity], ctx: _Context) -> LedgerFact | None:
    """The fact a quantity belongs to, when the sentence uses it for something else; None when fine.

    The clause around the number must share a specific word with one of the facts that hold the number;
    a clause with no specific word of its own ("共计7.2万元") is judged by its whole sentence.
    """
    if q.kind not in ("count", "percent", "fraction"):
        return None
    owners = [f for f in ctx.ledger.facts if any(quantities_match(q, k) for k in f.quantities)]
    if not owners:
        return None
    start, end = clause_span(body, q.start, q.end)
    local = [replace(x, start=x.start - start, end=x.end - start) for x in qs if start <= x.start and x.end <= end]
    evidence = _evidence(body[start:end], local, ctx.vocab) or _evidence(body, qs, ctx.vocab)
    if not evidence:
        return None
    for fact in owners:
        own = squash(fact.text)
        if any(w in own or _coverable(w, own, ctx.vocab) for w in evidence):
            return None
    return owners[0]


@lru_cache(maxsize=16)
def _example_headings(examples: tuple[str, ...]) -> frozenset[str]:
    out = set()
    for e in examples:
        for line in e.splitlines():
            h = parse_numbered(line)
            if h is not None and h.level <= 2 and len(h.title) >= 6 and not _is_part_title(h.title):
                out.add(squash(h.title))
    return frozenset(out)


def _is_part_title(title: str) -> bool:
    """The genre's own part titles ("存在的问题", "下一步工作计划"): every summary has them, copying is no leak."""
    return part_heading(title) is not None and len(title) <= 12
