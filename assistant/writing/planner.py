"""The plan of a whole summary, learnt from the house: themes, headings, items, opening, closing.

Given the house profile (the examples a request prefers, the user's own first), this year's results grouped the
way those examples group theirs, and each group's heading in the primary example's frame, this fixes what the
summary will look like before any model words a single fact. Every heading passed the heading check; the
opening and closing are the primary example's own, adapted to this unit and passed by the sentence ledger
(`judge`); results that only say how big the unit is go to the opening. Deterministic for the same inputs: the
template backend is this plan with the facts as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import numpy as np

from assistant.check.headings import boundaries, tagged
from assistant.check.sentences import words
from assistant.check.terms import Term, is_background, terms_of, work_phrase
from assistant.check.vocabulary import (
    formula_words,
    general_words,
    heading_words,
    house_words,
    other_kinds_words,
)
from assistant.facts.cues import talks_to_assistant
from assistant.house.formulas import adapt_paragraph, compose_closing, compose_opening
from assistant.house.grouping import group_cap, group_results, target_groups
from assistant.house.layout import Layout
from assistant.house.profile import HouseProfile
from assistant.house.shots import shots_from
from assistant.schema import ROLE_TITLES, Facts
from assistant.text.names import ends_like_org
from assistant.writing.headings import Fluency, choose_heading

TIME_LEADS = ("一年来", "今年以来", "全年", "本年度")
MAX_ITEMS = 6  # a theme with more results than this is written in one level: the house lists at most a few items


@dataclass
class ItemPlan:
    """A level-2 item: its lead phrase and the results it states."""

    lead: str
    facts: list[str]


@dataclass
class ThemePlan:
    """A level-1 theme of the results part."""

    heading: str
    facts: list[str]
    items: list[ItemPlan] = field(default_factory=list)
    fallback: bool = False
    shots: list[tuple[str, str]] = field(default_factory=list)  # house sentences for wording its facts (masked)
    work: str = ""  # the heading's clause that names the work
    term: str = ""  # what it works on ("食品安全抽检"): the theme as the opening lists it


@dataclass
class HousePlan:
    """A whole summary's shape. `sources` names the examples that shaped it, the primary first."""

    themes: list[ThemePlan] = field(default_factory=list)
    background: list[str] = field(default_factory=list)
    opening: str = ""
    closing: str = ""
    problems_heading: str = ROLE_TITLES["问题"]
    problems_lead: str = ""
    plans_heading: str = ROLE_TITLES["计划"]
    plans_lead: str = ""
    time_leads: tuple[str, ...] = ()
    enumerate: bool = True  # one-level paragraphs run 一是……二是…… (when the primary example's do)
    sources: list[str] = field(default_factory=list)
    rejected: list[tuple[str, list[str]]] = field(default_factory=list)
    own: bool = False  # the primary example is the user's own
    own_words: frozenset[str] = frozenset()  # its words: the house's own vocabulary for this unit

    @property
    def two_level(self) -> bool:
        return any(t.items for t in self.themes)

    def headings(self) -> list[str]:
        return [t.heading for t in self.themes]


def split_background(achievements: Sequence[str]) -> tuple[list[int], list[str]]:
    """(positions of the results, background facts): a result that only says how big the unit is goes to the
    opening."""
    results, background = [], []
    for i, fact in enumerate(achievements):
        if is_background(fact):
            background.append(fact)
        else:
            results.append(i)
    if not results:  # nothing else to write about: better under a heading than lost
        return list(range(len(achievements))), []
    return results, background


def notes_as_results(facts: Facts) -> Facts:
    """The facts with what the user filed under 其他/备注 ("所内1名民警被评为全市“优秀人民警察”") among the results:
    it is theirs and the draft states it (before, no part of the draft did). A note on how big the unit is stays a
    note, for the opening's background (plan_house); a word to the assistant is no fact. Every plan is made of these
    facts: the house's (services/planning.py) and the plan of no examples (compose.bare_plan)."""
    moved = [n for n in facts.notes if not is_background(n) and not talks_to_assistant(n)
             and n not in facts.achievements]
    if not moved:
        return facts
    return Facts(**{**facts.to_json(), "achievements": [*facts.achievements, *moved],
                    "notes": [n for n in facts.notes if n not in moved]})


def _groups(results: Sequence[str], vectors: np.ndarray, themes_of: Sequence[Sequence[str]],
            preferred: int, terms: dict[str, list[Term]] | None = None) -> list[list[int]]:
    """The results grouped into themes. Results no heading can be built on (an honour, something that did not
    happen: no work terms) do not make a theme of their own: the others are grouped, and each of them joins the
    group nearest to it. `terms`: each result's terms, where the caller has them already."""
    if not len(results):
        return []
    terms = terms if terms is not None else _terms_by_fact(results)
    workable = [i for i, r in enumerate(results) if terms[r]]
    if not workable or len(workable) == len(results) or len(vectors) != len(results):
        return group_results(vectors, themes_of, target_groups(len(results), preferred))
    k = min(len(workable), target_groups(len(results), preferred))
    inner = group_results(vectors[workable], [themes_of[i] for i in workable], k)
    groups = [[workable[j] for j in g] for g in inner]
    cap = group_cap(len(results), len(groups))
    for i in (i for i in range(len(results)) if i not in workable):
        # the nearest group that still has room, so that no theme swallows the honours and the zeros
        room = [g for g in groups if len(g) < cap] or groups
        best = max(room, key=lambda g: float(np.mean(vectors[g] @ vectors[i])))
        best.append(i)
    return sorted((sorted(g) for g in groups), key=lambda g: g[0])


def _with_parents(groups: list[list[int]], results: Sequence[str], positions: Sequence[int]
                  ) -> tuple[list[list[int]], set[str]]:
    """The groups with each result that breaks down the one before it ("其中亿元以上项目37个……") moved right after
    that result, and those results: a breakdown read under another heading has lost what it breaks down."""
    opens = tuple(heading_words().get("breakdown", frozenset()))
    followers: set[str] = set()
    for i in range(1, len(results)):
        if not results[i].startswith(opens) or positions[i - 1] != positions[i] - 1:
            continue  # a breakdown after a background fact or none stays where it was grouped
        for g in groups:
            if i in g:
                g.remove(i)
        parent = next(g for g in groups if i - 1 in g)
        parent.insert(parent.index(i - 1) + 1, i)
        followers.add(results[i])
    return [g for g in groups if g], followers


def _heading_first(group: Sequence[str], heading: str, followers: set[str]) -> list[str]:
    """A one-level theme's results with the one its heading's first clause was made from first (the one sharing
    the longest run of characters with it; the earliest among equals), with the breakdowns that follow it: a reader
    reads the heading and then its work ("三、巡查山塘水库" stood over 秸秆 and 免疫 before 汛期巡查山塘水库38座).
    The others keep the user's order."""
    first = re.split(r"[，,；;]", heading, maxsplit=1)[0]
    if not first or len(group) < 2:
        return list(group)
    shared = [SequenceMatcher(None, first, fact, autojunk=False).find_longest_match().size for fact in group]
    at = shared.index(max(shared))
    if at == 0 or shared[0] == shared[at]:
        return list(group)
    end = at + 1
    while end < len(group) and group[end] in followers:
        end += 1
    return [*group[at:end], *group[:at], *group[end:]]


def _centroid(vectors: np.ndarray, members: Sequence[int]) -> np.ndarray | None:
    if len(vectors) == 0 or not members:
        return None
    mean = vectors[list(members)].mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else None


def _retrieved(themes: Sequence[Sequence[str]]) -> dict[str, float]:
    """For a group: each house theme its results retrieved (in their top three), by the share of them that did."""
    counts: dict[str, float] = {}
    for found in themes:
        for key in dict.fromkeys(found[:3]):
            counts[key] = counts.get(key, 0.0) + 1.0
    return {k: v / max(1, len(themes)) for k, v in counts.items()}


def _merge_headless(themes: list[ThemePlan]) -> list[ThemePlan]:
    """Themes whose heading nothing passed join the theme sharing most characters with their results (the one
    before them among equals): an unchecked heading never ships ("2025年清河县融媒体中" was a cut first result).
    When no theme has a heading, the results stand as one theme without one."""
    headed = [t for t in themes if t.heading]
    if not headed:
        return [ThemePlan("", [f for t in themes for f in t.facts])] if themes else []
    cap = group_cap(sum(len(t.facts) for t in themes), len(headed))
    for pos, theme in enumerate(themes):
        if theme.heading:
            continue
        text = "".join(theme.facts)
        before = {id(t) for t in themes[:pos]}
        # a theme with room first: a headless theme joining the largest made one theme of 17 results
        room = [t for t in headed if len(t.facts) + len(theme.facts) <= cap] or headed
        target = max(room, key=lambda t: (len(set(text) & set("".join(t.facts))), id(t) in before))
        target.facts += theme.facts
        target.items = [*target.items, *theme.items] if target.items and theme.items else []
    return headed


def _time_leads(profile: HouseProfile) -> tuple[str, ...]:
    """The time words the primary example opens its result paragraphs with ("一年来，"), if it does."""
    primary = profile.primary
    if primary is None:
        return ()
    found = []
    for theme in primary.themes:
        lead = next((t for t in TIME_LEADS if theme.text.startswith(t)), "")
        if lead and lead not in found:
            found.append(lead)
    return tuple(found)


def _terms_by_fact(facts: Sequence[str]) -> dict[str, list[Term]]:
    """Each result's terms, read once per plan (grouping, second levels and the opening all ask)."""
    return {f: terms_of(f) for f in facts}


def _opening_works(themes: Sequence[ThemePlan], terms_by_fact: dict[str, list[Term]]) -> list[str]:
    """The work each theme does, as a noun phrase an opening can list ("违法案件查办", "食品安全抽检"): its
    heading's term first, else the first of its results' that names a work; at most four."""
    out: list[str] = []
    for theme in themes:
        terms = [t for f in theme.facts for t in (terms_by_fact[f] if f in terms_by_fact else terms_of(f))]
        ranked = sorted(terms, key=lambda t: t.text != theme.term and not t.text.endswith(theme.term or "\x00"))
        phrase = next((p for t in ranked if (p := work_phrase(t)) and _listable(p, theme.facts)), "")
        if phrase and not any(phrase in o or o in phrase for o in out):
            out.append(phrase)
    return out[:4]


def _listable(phrase: str, facts: Sequence[str]) -> bool:
    """A listed work stands in its fact as the user wrote it, from one word's start to another's end: a verb put
    after its object reads as a noun only for some verbs ("违法案件查办" but not "人才培养加强", "国家和省承担"), and a
    phrase cut inside a word ("季季节性用工", or after a lone character the tokenizer split off: "上线下招聘会" of
    "线上线下招聘会"), holding a modifier's 的 ("……因素的矛盾纠纷"), naming an amount ("营业收入") or too short to
    say what was done ("年检") lists no work."""
    kinds = heading_words()
    toks = tagged(phrase)
    tags = [f for _, f in toks]
    not_work = kinds.get("place_level", frozenset()) | kinds.get("people", frozenset()) | kinds.get("staff", frozenset())
    if len(phrase) < 4 or "的" in phrase or "和" in phrase or phrase.endswith(tuple(kinds.get("amount", ()))) \
            or tags[0] in _NO_START_TAGS or tags[-1] in _NO_END_TAGS or toks[-1][0] in not_work \
            or any(w in kinds.get("light_verbs", frozenset()) for w, _ in toks[1:]):
        return False  # "学员参加全国", "学员志愿服务队", "委员开展视察调研": a place, people, a subject and its verb
    for fact in facts:
        at = fact.find(phrase)
        if at < 0:
            continue
        edges = boundaries(fact) | {0}
        while at >= 0:
            before = max((b for b in edges if b < at), default=0)
            lone = at - before == 1 and "\u4e00" <= fact[before] <= "\u9fff" and fact[before] not in _JOINERS
            if at in edges and not lone and (at + len(phrase) == len(fact) or at + len(phrase) in edges):
                return True
            at = fact.find(phrase, at + 1)
    return False


_JOINERS = frozenset("的和与及并在对把为将向从等、")  # one character that stands alone before a phrase as a word
# A work opens on a thing or a deed, not on a conjunction, preposition, pronoun or particle ("及其危险因素……"), and
# ends on one, not on a place, a time or a figure ("华东", "春秋"); the list's own 和 joins works, none inside one.
_NO_START_TAGS = frozenset({"c", "p", "r", "u", "uj", "ul", "uv", "ud", "ug", "uz", "y"})
_NO_END_TAGS = frozenset({"ns", "nr", "t", "tg", "m", "mq", "q", "f", "s"})


def plan_house(facts: Facts, profile: HouseProfile, vectors: np.ndarray, hit_themes: Sequence[Sequence[str]],
               corpus: str, *, judge: Callable[[str], bool], fits: Callable[[str], bool],
               fluency: Fluency | None = None, copies: Callable[[str], list[str]] | None = None,
               passages: Sequence[Sequence[str]] = ()) -> HousePlan:
    """The plan for these facts in this house. `vectors`, `hit_themes` and `passages` (the texts of the house
    passages each result retrieved, best first) are per achievement, in order."""
    positions, background = split_background(facts.achievements)
    # what the paste already read as the unit's make-up ("全园在园幼儿426名，教职工58人" → notes) is its background
    # too: no other part of the draft states it
    background += [n for n in facts.notes if is_background(n) and n not in background]
    results = [facts.achievements[p] for p in positions]
    vecs = vectors[positions] if len(vectors) and positions else np.zeros((0, 1))
    themes_of = [list(hit_themes[p]) if p < len(hit_themes) else [] for p in positions]
    primary = profile.primary
    terms_by_fact = _terms_by_fact(results)
    groups = _groups(results, vecs, themes_of, len(primary.themes) if primary else 0, terms_by_fact)
    groups, followers = _with_parents(groups, results, positions)
    plan = HousePlan(background=background, time_leads=_time_leads(profile), own=profile.own,
                     sources=[lay.doc for lay in profile.layouts[:3]],
                     enumerate=primary is None or sum(t.enumerates for t in primary.themes) * 2 >= len(primary.themes))
    used: set[str] = set()
    used_first: set[str] = set()
    used_fillers: set[str] = set()
    two_level = profile.two_level
    unit = facts.unit
    for members in groups:
        group = [results[i] for i in members]
        retrieved = _retrieved([themes_of[i] for i in members])
        heads = [f for f in group if f not in followers] or group  # a breakdown names no theme of its own
        choice = choose_heading(heads, profile, _centroid(vecs, members), corpus, unit=unit, level=1, used=used,
                                used_first=used_first, used_fillers=used_fillers, fluency=fluency,
                                retrieved=retrieved)
        heading = choice.text
        if heading:
            used.add(heading)
            used_first.add(heading[:2])
        plan.rejected += choice.rejected
        theme = ThemePlan(heading, group, fallback=choice.fallback, work=choice.work, term=choice.term)
        found = [passages[positions[i]] for i in members if positions[i] < len(passages)]
        ranked = [texts[r] for r in range(max((len(t) for t in found), default=0)) for texts in found if r < len(texts)]
        theme.shots = shots_from(ranked)
        if two_level and (len(group) > 1 or len(groups) > 1) and len(group) <= MAX_ITEMS:
            leads_used: set[str] = set()
            items: list[ItemPlan] = []
            # a result that is no work (an honour, what did not happen) has no lead of its own: it is stated in
            # the item before it (or, first, the one after it), as that work's effect
            loose = [fact for fact in group if not terms_by_fact[fact] or fact in followers]
            for fact in group:
                if fact in loose and len(loose) < len(group):
                    continue
                told = [fact, *facts.details_of(fact).get("做法", [])]  # a lead may name the work by its 做法
                # a lead repeats its heading's own words only when the result has no other lead that passes
                lead = choose_heading(told, profile, None, corpus, unit=unit, level=2,
                                      used=leads_used | used | {choice.work}, fluency=None)
                if not lead.text:
                    lead = choose_heading(told, profile, None, corpus, unit=unit, level=2, used=leads_used | used,
                                          fluency=None)
                plan.rejected += lead.rejected
                if not lead.text:
                    break  # a result with no lead phrase that passes: this theme is written in one level
                leads_used.add(lead.text)
                items.append(ItemPlan(lead.text, [fact]))
            else:
                for fact in loose if len(loose) < len(group) else []:
                    at = group.index(fact)
                    before = [it for it in items if group.index(it.facts[0]) < at]
                    (before[-1] if before else items[0]).facts.append(fact)
                theme.items = items if len(items) >= 2 else []  # one item alone is no second level
        if not theme.items:
            theme.facts = _heading_first(group, heading, followers)
        plan.themes.append(theme)
    plan.themes = _merge_headless(plan.themes)
    year = facts.year or ""
    themes = _opening_works(plan.themes, terms_by_fact)
    known = "\n".join([facts.unit, *facts.achievements, *facts.problems, *facts.plans, *facts.notes])
    # The seed's old examples are full of dated formulas and typos: their openings and closings serve last.
    formula_sources = sorted(profile.layouts[:6], key=lambda lay: lay.origin == "seed")
    # Another kind's words stay home: what only one example of another kind says ("以预防为主" of a health centre),
    # unless the genre's formulas have it ("作出新的更大贡献"), and the everyday words of the kinds this unit is not
    # ("办好人民满意的教育" is a school's, "为全县群众的健康" a health centre's), unless its facts use them.
    genre = general_words() | house_words() | frozenset(formula_words())
    foreign = frozenset(w for w in profile.foreign if w not in genre) | frozenset(
        w for w in other_kinds_words(unit, everyday=True) if w not in known)

    def formula_fits(clause: str) -> bool:
        return fits(clause) and not any(w in foreign for w, _ in words(clause))

    plan.opening = compose_opening(formula_sources, unit=unit, year=year, fits=formula_fits, judge=judge,
                                   themes=themes, known=known, copies=copies)
    plan.closing = compose_closing(formula_sources, unit=unit, year=year, fits=formula_fits, judge=judge,
                                   known=known, copies=copies)
    if primary is not None:
        if primary.problems_heading and not re.search(r"\d", primary.problems_heading):
            plan.problems_heading = primary.problems_heading
        if primary.plans_heading:
            heading = adapt_paragraph(primary.plans_heading, primary, unit=unit, year=year, fits=lambda _: True,
                                      known=known)
            plan.plans_heading = heading.rstrip("。") or plan.plans_heading
    # The lead-ins of the problems and the plans: the nearest example's that fits this unit, the user's own first
    # (profile.layouts is in that order); the genre's own lead (template.py) only when none does.
    leads_from = ([primary] if primary is not None else []) + [lay for lay in formula_sources if lay is not primary]
    for attr in ("problems_lead", "plans_lead"):
        for layout in leads_from:
            own = profile.own and layout is primary  # the user's own summary comes back whole
            adapted = _lead_from(layout, attr, unit=unit, year=year, fits=formula_fits, judge=judge, known=known,
                                 copies=None if own else copies)
            if adapted:
                setattr(plan, attr, adapted)
                break
    return plan


def _lead_from(layout: Layout, attr: str, *, unit: str, year: str, fits: Callable[[str], bool],
               judge: Callable[[str], bool], known: str, copies: Callable[[str], list[str]] | None) -> str:
    """One example's lead-in of its problems or plans for this unit ("在新的一年里，医院工会将重点做好以下几项
    工作：" → "在新的一年里，我们将重点做好以下几项工作："), or "". It never names a kind of unit this one is not
    (学校, 医院), and never another unit's lead word for word (the copy check's own test)."""
    raw = getattr(layout, attr)
    if not raw:
        return ""
    adapted = adapt_paragraph(raw, layout, unit=unit, year=year, fits=fits, known=known)
    if not (adapted.endswith("：") and len(adapted) >= 10 and judge(adapted)):
        return ""
    if any(ends_like_org(w, short=False) and w not in unit for w, _ in words(adapted)):
        return ""  # "学校工作还存在一些不足" at a bookstore: the example's unit, not this one
    parts = re.findall(r"[^，]+，?", adapted)
    # one example's own clause in the middle ("坚持问题导向") is a copy; the genre's opening and colon clause are not
    shorter = [parts[0] + parts[-1]] if len(parts) >= 3 else []
    for text in [adapted, *shorter]:
        if len(text) >= 10 and not (copies is not None and copies(text)):  # the check would call it a copy
            return text
    return ""
