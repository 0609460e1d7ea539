"""Headings and lead phrases in the house's frame and this unit's words, proposed, checked and ranked.

For a group of results, candidates are built from the house frame (house/frames.py) and the group's own phrases
(check/terms.py): the work clause puts a house verb (or the frame's fixed words) before what the results
worked on, or keeps a result's own verb phrase; the purpose clause is a house purpose, the one whose example
text is nearest to this group first, in the frame's own fixed words where it has them. Every candidate must
pass the heading check (check/headings.py); those that pass are ranked by how well they fit the frame and the
group, and — when a model is at hand — by how fluent the model finds them (`Fluency`). Only when none passes
does a safe fallback in the results' own words ship.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from assistant.check.headings import heading_problems
from assistant.check.sentences import words
from assistant.check.terms import Term, ends_in_action, name_len, terms_of, verb_head
from assistant.check.vocabulary import collocations, heading_words
from assistant.house.frames import ClauseFrame, Frame
from assistant.house.profile import HouseProfile, Purpose
from assistant.text.headings import with_chinese_quotes

# (context headings, candidates) → one fluency score per candidate (mean log-probability per token).
Fluency = Callable[[Sequence[str], Sequence[str]], list[float]]
FLUENCY_WEIGHT = 1.5
# The model reads the best four that pass: on six tuning units 1 of 17 headings changed against the best eight,
# at half the scoring time (about 0.4 s a candidate on two cores).
MAX_MODEL_CANDIDATES = 4


@dataclass
class Candidate:
    text: str
    score: float
    term: str = ""  # what the work clause works on ("食品安全抽检")
    first: str = ""  # the work clause
    second: str = ""  # the purpose clause ("" for one-clause frames)
    filler: str = ""  # the purpose's own words ("安全底线")
    problems: list[str] = field(default_factory=list)


@dataclass
class HeadingChoice:
    """The heading chosen for a group, and what the check refused on the way (for the report and the bench)."""

    text: str
    rejected: list[tuple[str, list[str]]] = field(default_factory=list)
    fallback: bool = False
    work: str = ""  # the clause that names the work
    term: str = ""  # what it works on


def _kinds(kind: str) -> frozenset[str]:
    return heading_words().get(kind, frozenset())


_TIME_MEASURES = ("时间", "时长", "天数", "周期", "时限", "住院日", "工期")
_RATE_MEASURES = ("率", "度")


def measure_verbs(term: str, direction: int) -> tuple[str, ...]:
    """The verbs that move this kind of measure the way it went: a rate is raised (提高) or lowered (降低), a time
    shortened (缩短), a count reduced (减少). A measure cut from its "A占B的" ("面积的比例") takes none, and only a
    level or an amount is raised ("提高……收缴率", never "提高常年法律顾问单位")."""
    if "的" in term:
        return ()
    if direction < 0:
        if term.endswith(_TIME_MEASURES):
            return ("缩短", "压缩")
        if term.endswith(_RATE_MEASURES):
            return ("降低", "压降")
        return tuple(v for v in ("减少", "压减", "降低") if v in _kinds("lower"))
    if direction > 0 and _is_level(term):
        return tuple(v for v in ("提高", "提升") if v in _kinds("raise"))
    return ()


def _ends_in(kind: str, term: str) -> bool:
    """The term (quotes aside) ends on a word of this kind of check/data/heading_words.txt ("level", "amount")."""
    return term.strip("“”\"").endswith(tuple(_kinds(kind)))


def _is_level(term: str) -> bool:
    return _ends_in("level", term)


def _verb_fits(verb: str, term: Term) -> bool:
    """A verb of rising or falling only on a measure that went that way, and the one that fits the measure
    ("提高……率", never "上升……率" or "减少……率"); a measure whose direction is not said takes no verb of
    changing it."""
    changing = _kinds("up") | _kinds("down")
    if term.kind != "measure":  # a work is raised only where it names a level ("提升服务质量", not "提升……计划")
        if _ends_in("amount", term.text):
            return False  # an amount is no work: "加强客房收入" reads wrong; only the fact's own verb heads it
        return verb not in changing or (verb in _kinds("raise") and _is_level(term.text))
    # a measure is no work: it takes only the verb that moves it the way it went ("推进……合格率", "巩固……回收率"
    # read wrong, and a measure whose change is not said takes none)
    return bool(term.direction) and verb in measure_verbs(term.text, term.direction)


def _collocation(verb: str, term: str, corpus: str = "", *, head_only: bool = False) -> float:
    """How naturally official prose puts this verb before this object, 0–1.5: by the object's head word (its last
    word) and, at a fifth of the weight, any other of its words (check/data/collocations.txt); the house examples'
    own text counts too. `head_only`: the head word's part alone. An object that ends on a one-character noun
    ("……金融服务站") has that noun for its head, which no pairing of its other words speaks for."""
    import math

    if not verb:
        return 0.0
    pairs = collocations().get(verb, {})
    bare = term.strip("“”")
    parts = _segment(bare)
    if not parts:
        return 0.0
    last = parts[-1]
    heads = [last] + [w for w in _search_words(last) if last.endswith(w)]
    whole = bare.endswith(last)
    head = max(pairs.get(w, 0) for w in heads) if whole else 0
    if corpus and head == 0 and whole:
        head = len(re.findall(re.escape(verb) + r"[^，。；、]{0,6}?" + re.escape(last), corpus))
    head_part = min(1.0, math.log1p(head) / math.log(10))
    if head_only:
        return head_part
    other = max((pairs.get(w, 0) for p in parts for w in _search_words(p) if w not in heads), default=0)
    return head_part + 0.2 * min(1.0, math.log1p(other) / math.log(10))


_THING_TAGS = frozenset({"n", "nr", "ns", "nz", "ng", "zg"})


def names_a_thing(term: str) -> bool:
    """What the term ends on is a thing or a group (a noun that is no act: "团课", "观测井", "粉丝", "教学班"), not
    an act ("改造", "防控", "建设"): a house verb before it needs official prose or the house to pair them."""
    from assistant.check.sentences import _tokenizer

    toks = [p for p in _tokenizer().cut(term.strip("“”"), HMM=False) if re.search(r"[\u4e00-\u9fff]", p.word)]
    # a one-character word after a noun ends a name of a thing ("金融服务站", "文化分馆"), whatever its tag
    return bool(toks) and (toks[-1].flag in _THING_TAGS
                           or (len(toks) > 1 and len(toks[-1].word) == 1 and toks[-2].flag in _THING_TAGS))


def house_says(verb: str, term: str, corpus: str) -> bool:
    """The house examples put this verb before this very object (its last two words, at most two characters
    between): "做好……食品安全抽检" only where an example says so, never "做好市场主体" because some example
    says "做好……主体责任"."""
    parts = _segment(term.strip("“”"))
    if not parts or not corpus:
        return False
    tail = "".join(parts[-2:])
    return re.search(re.escape(verb) + r"[^，。；、：\n]{0,2}?" + re.escape(tail), corpus) is not None


def _segment(text: str) -> list[str]:
    import jieba

    return [w for w in jieba.lcut(text) if re.search(r"[\u4e00-\u9fff]{2}", w)]


def _search_words(word: str) -> list[str]:
    import jieba

    return [w for w in jieba.lcut_for_search(word) if len(w) >= 2]


def _opens_with_verb(text: str) -> bool:
    from assistant.text.verbs import ACTION_VERBS

    return any(text.startswith(v) for v in ACTION_VERBS) or bool(verb_head(text)) and text[:2] in collocations()


def work_clauses(terms: Sequence[Term], frame: ClauseFrame, verbs: Sequence[str], corpus: str,
                 coverage: dict[str, float]) -> list[tuple[str, float, str]]:
    """Work clauses for a group: (text, score, the term it works on)."""
    out: dict[str, tuple[float, str]] = {}

    def put(text: str, score: float, term: str) -> None:
        if text not in out or out[text][0] < score:
            out[text] = (score, term)

    frame_verbs = list(frame.openers)
    house_verbs = [v for v in verbs if v not in frame_verbs]
    own_verb = {t.fact for t in terms if t.kind == "verbal"}
    for term in terms:
        if not term.work or name_len(term.text) > (12 if term.kind in ("verbal", "measure") else 10):
            continue
        base = 0.3 * coverage.get(term.text, 0.0) + (0.1 if 3 <= len(term.text) <= 6 else 0.0)
        if frame.prefix or frame.suffix:
            if term.kind in ("verbal", "measure") or _opens_with_verb(term.text):
                continue  # "逾期率有新提升" says a rate rose whichever way it went; "聚焦加固小型水库" is no object
            if name_len(term.text) < frame.fill_min or (frame.fill_acts and not ends_in_action(term.text)) \
                    or (len(frame.prefix.strip("“”")) >= 2 and names_a_thing(term.text)
                        and _collocation(frame.prefix.strip("“”"), term.text, corpus) == 0):
                continue  # the house fills its frame with a field of work ("聚焦项目建设"), not "聚焦政务/车管所"
            text = f"{frame.prefix}{term.text}{frame.suffix}"
            for tail in frame.tails[:3] or [""]:
                put(text + tail, base + 1.0, term.text)
            continue
        if term.kind == "verbal":  # the user's own verb and object: natural by construction
            fit = 0.5 if term.verb in frame_verbs else (0.2 if term.verb in house_verbs else 0.0)
            put(term.text, base + fit + 0.8, term.text[len(term.verb):])
            continue
        if term.kind == "nominal" and _opens_with_verb(term.text):
            continue  # "办理退税减税降费" is a verb phrase: a verb before it reads "推进办理……"
        for rank, verb in enumerate(frame_verbs[:8] + house_verbs[:8]):
            if not _verb_fits(verb, term) or term.text.startswith(verb):
                continue
            if term.fact in own_verb and term.fact >= 0 and not house_says(verb, term.text, corpus):
                continue  # the result says its own verb ("举办……大赛"); a house verb it never pairs reads "深化……大赛"
            collocation = _collocation(verb, term.text, corpus)
            unpaired = collocation == 0 or (names_a_thing(term.text)
                                            and _collocation(verb, term.text, corpus, head_only=True) == 0)
            if unpaired and not house_says(verb, term.text, corpus):
                continue  # "深化主题团课", "开拓客户投诉": no prose pairs the verb with that object; a thing's head must
                # pair ("加强……服务站", "加强……信息平台" read wrong however its other words pair)
            fit = 0.5 if verb in frame_verbs else 0.2
            put(verb + term.text, base + fit + collocation - 0.02 * rank, term.text)
        if term.kind == "measure" and term.direction:
            for verb in measure_verbs(term.text, term.direction):
                put(verb + term.text, base + 0.4 + _collocation(verb, term.text, corpus), term.text)
    target = frame.length
    return [(t, s - 0.08 * abs(len(t) - target), term) for t, (s, term) in out.items()]


@lru_cache(maxsize=2048)
def _content_words(text: str) -> tuple[str, ...]:
    """A purpose's words, cut once: the same house purposes are read for every group of every summary."""
    return tuple(w for w, _ in words(text))


def purpose_clauses(purposes: Sequence[Purpose], frame: ClauseFrame, centroid: np.ndarray | None,
                    used_fillers: Collection[str] = (), retrieved: dict[str, float] | None = None,
                    foreign: Collection[str] = (), primary: str = "", known: str = "") -> list[tuple[str, float, str]]:
    """Purpose clauses for a group: (text, score, filler). First the purposes of the house themes this group's
    results retrieved (`retrieved`: theme key → share of the group's results that found it), then the nearest by
    meaning; the user's own house's come first among equals. Another house's purpose says an effect: it travels
    only where the group's results (`known`) name something it is about ("守牢安全底线" over safety checks, never
    "激发队伍活力" over blood collected, "维护合法权益" over funds spent)."""
    out: dict[str, tuple[float, str]] = {}
    retrieved = retrieved or {}
    for p in purposes:
        if p.filler in used_fillers or (not p.own and any(w in p.clause for w in foreign)):
            continue
        if known and not p.own and not any(w in known for w in _content_words(p.filler)):
            continue
        if not (p.own or p.kin):
            continue  # another kind's purpose states an effect this unit never said ("守牢民生底线" at a library)
        if not p.own and not retrieved.get(p.key):
            continue  # a house purpose travels only to works like the ones it headed: what these results retrieved
        near = float(p.vector @ centroid) if p.vector is not None and centroid is not None else 0.0
        score = near + 1.5 * retrieved.get(p.key, 0.0) + (0.3 if p.own else 0.0)
        if (frame.prefix or frame.suffix or frame.tails) and p.doc != primary:
            score -= 0.6  # another house's words in this house's fixed frame ("队伍活力有新提升") rarely fit
        if frame.prefix or frame.suffix or frame.tails:
            if not p.filler or len(p.filler) < 2:
                continue
            base = f"{frame.prefix}{p.filler}{frame.suffix}"
            for tail in (frame.tails[:3] if frame.tails else [""]):
                text = base + tail
                bonus = 0.5 if text == p.clause else 0.0
                if text not in out or out[text][0] < score + bonus:
                    out[text] = (score + bonus, p.filler)
        elif p.clause not in out or out[p.clause][0] < score:
            out[p.clause] = (score, p.filler)
    return sorted(((t, sc, f) for t, (sc, f) in out.items()), key=lambda kv: -kv[1])[:12]


def group_terms(facts: Sequence[str]) -> tuple[list[Term], dict[str, float]]:
    """The phrases of a group's results, and for each the share of the group's results that contain it."""
    terms: list[Term] = []
    for i, fact in enumerate(facts):
        terms += terms_of(fact, i)
    coverage = {t.text: sum(1 for f in facts if t.text.strip("“”") in f) / max(1, len(facts)) for t in terms}
    return terms, coverage


def heading_candidates(facts: Sequence[str], profile: HouseProfile, centroid: np.ndarray | None, corpus: str,
                       *, level: int = 1, used_fillers: Collection[str] = (),
                       retrieved: dict[str, float] | None = None) -> list[Candidate]:
    """Every heading this group could have in the house frame, scored, unchecked."""
    terms, coverage = group_terms(facts)
    frame = profile.frame if level == 1 else profile.lead_frame
    if not frame.clauses:
        frame = Frame([ClauseFrame()])
    verbs = profile.verbs if level == 1 else (profile.lead_verbs or profile.verbs)
    learnt = next((i for i, c in enumerate(frame.clauses) if c.work), 0)
    if level == 2 or frame.size == 1:
        works = sorted(work_clauses(terms, frame.clauses[learnt], verbs, corpus, coverage), key=lambda kv: -kv[1])
        return [Candidate(w, s, term=t, first=w) for w, s, t in works[:10]]
    out = []
    # Which clause names this year's work is learnt from the house's own headings, but not always clear
    # ("以……为抓手，推动……"): both readings are proposed, the learnt one first.
    for work_pos in (learnt, 1 - learnt) if frame.size == 2 else (learnt,):
        prior = 0.0 if work_pos == learnt else -0.4
        works = sorted(work_clauses(terms, frame.clauses[work_pos], verbs, corpus, coverage),
                       key=lambda kv: -kv[1])[:10]
        purpose_frame = frame.clauses[1 - work_pos] if frame.size == 2 else ClauseFrame()
        purposes = purpose_clauses(profile.purposes, purpose_frame, centroid, used_fillers, retrieved,
                                   profile.foreign, profile.primary.doc if profile.primary else "", "".join(facts))
        shared = frame.clauses[0].prefix and frame.clauses[0].prefix == frame.clauses[-1].prefix  # 一手抓…，一手抓…
        for w, ws, term in works:
            for p, ps, filler in purposes:
                if (w[:2] == p[:2] and not shared) or p in w or w in p or (filler and filler in w):
                    continue
                text = f"{w}，{p}" if work_pos == 0 else f"{p}，{w}"
                out.append(Candidate(text, ws + ps + prior, term=term, first=w, second=p, filler=filler))
    out += own_work_candidates(terms, frame.clauses[learnt], verbs, corpus, coverage)
    return out


def own_work_candidates(terms: Sequence[Term], frame: ClauseFrame, verbs: Sequence[str], corpus: str,
                        coverage: dict[str, float]) -> list[Candidate]:
    """Headings in the group's own works alone, for when no purpose of the user's own or a kindred house fits:
    two works of two different results ("开展护理岗位练兵，举办职工趣味运动会"), or one work. They rank below a
    kindred purpose; they say nothing the results do not."""
    works = sorted(work_clauses(terms, frame, verbs, corpus, coverage), key=lambda kv: -kv[1])[:10]
    fact_of = {t.text: t.fact for t in terms}
    fact_of.update({t.text[len(t.verb):]: t.fact for t in terms if t.kind == "verbal"})
    out = [Candidate(w, ws - 1.0, term=term, first=w) for w, ws, term in works]
    for i, (w1, s1, t1) in enumerate(works):
        for w2, s2, t2 in works[i + 1:]:
            f1, f2 = fact_of.get(t1, -1), fact_of.get(t2, -2)
            if f1 == f2 or w1[:2] == w2[:2] or w1 in w2 or w2 in w1:
                continue
            first, second = (w1, w2) if f1 <= f2 else (w2, w1)
            out.append(Candidate(f"{first}，{second}", (s1 + s2) / 2 - 0.5, term=t1, first=first, second=second))
    return out


def choose_heading(facts: Sequence[str], profile: HouseProfile, centroid: np.ndarray | None, corpus: str, *,
                   unit: str, level: int = 1, used: set[str] | None = None, used_first: set[str] | None = None,
                   used_fillers: set[str] | None = None, fluency: Fluency | None = None,
                   retrieved: dict[str, float] | None = None) -> HeadingChoice:
    """The best heading that passes the check; a fallback in the results' own words when none does."""
    used = used if used is not None else set()
    used_first = used_first if used_first is not None else set()
    used_fillers = used_fillers if used_fillers is not None else set()
    candidates = heading_candidates(facts, profile, centroid, corpus, level=level, used_fillers=used_fillers,
                                    retrieved=retrieved)
    candidates.sort(key=lambda c: -c.score)
    rejected: list[tuple[str, list[str]]] = []
    passing: list[Candidate] = []
    seconds = {q for c in used if "，" in c for q in (c.split("，")[-1], c.split("，")[-1].replace("“", '"').replace("”", '"'))}
    for cand in candidates[:60]:
        if cand.text in used or with_chinese_quotes(cand.text) in used:  # a chosen heading is set in “”
            continue
        problems = heading_problems(cand.text, facts, unit=unit, level=level, extra_words=profile.own_words,
                                    example_headings=profile.example_headings, used_second=seconds,
                                    frame_words=_fixed_words(profile.frame if level == 1 else profile.lead_frame),
                                    own_headings=profile.own_headings)
        if problems:
            rejected.append((cand.text, problems))
            continue
        if cand.first[:2] in used_first:
            cand.score -= 0.3  # parallel headings vary their verbs
        passing.append(cand)
        if len(passing) >= 2 * MAX_MODEL_CANDIDATES:
            break
    if passing and fluency is not None:
        top = sorted(passing, key=lambda c: -c.score)[:MAX_MODEL_CANDIDATES]
        context = profile.example_headings[:3] if level == 1 else [i.lead for i in _leads(profile)][:3]
        scores = fluency(context, [c.text for c in top])
        if scores:
            best, worst = max(scores), min(scores)
            spread = (best - worst) or 1.0
            for cand, value in zip(top, scores, strict=True):
                cand.score += FLUENCY_WEIGHT * (value - worst) / spread
        passing = top
    if passing:
        best = max(passing, key=lambda c: c.score)
        if best.filler:
            used_fillers.add(best.filler)
        return HeadingChoice(with_chinese_quotes(best.text), rejected, work=best.first, term=best.term)
    text = fallback_heading(facts, unit=unit, level=level, used=used)
    return HeadingChoice(with_chinese_quotes(text), rejected, fallback=True, work=text, term=text)


def _fixed_words(frame: Frame) -> list[str]:
    return [w for c in frame.clauses for w in (c.prefix, c.suffix) if w]


def _leads(profile: HouseProfile) -> list:
    primary = profile.primary
    return [i for t in primary.themes for i in t.items] if primary else []


GENERIC_VERBS = ("做好", "抓好", "加强", "推进", "深化", "开展")


def fallback_heading(facts: Sequence[str], *, unit: str, level: int = 1, used: Collection[str] = ()) -> str:
    """A heading in the results' own words that passes the check where any does: a result's own verb phrase, or a
    common verb before what it worked on. "" when nothing passes (the caller then writes no heading of its own)."""
    terms, _ = group_terms(facts)
    options = [t.text for t in sorted(terms, key=lambda t: (t.kind != "verbal", -len(t.text)))
               if t.kind == "verbal" and t.work]  # never "配合县水利局": a partner is not the work
    own_verb = {t.fact for t in terms if t.kind == "verbal"}
    # a common verb only before what a result names without a verb of its own ("做好市场主体" reads wrong where
    # the result says "登记市场主体")
    paired = [(v + t.text, _collocation(v, t.text), names_a_thing(t.text)) for t in terms
              if t.work and t.kind != "verbal" and not _opens_with_verb(t.text) and t.fact not in own_verb
              for v in GENERIC_VERBS if _verb_fits(v, t)]
    # a pairing official prose knows first ("做好安全教育"), only then one it does not ("做好货运发送"), never a
    # thing no prose pairs with the verb ("做好……观测井")
    options += [text for text, known, _ in paired if known > 0] \
        + [text for text, known, thing in paired if known == 0 and not thing]
    for text in options:
        if with_chinese_quotes(text) not in used and not heading_problems(text, facts, unit=unit, level=level):
            return text
    return ""
