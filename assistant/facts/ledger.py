"""The ledger of the user's facts: what the guard compares a draft with.

Every fact with its quantities normalised (11.6万元 → 116000元), the names it contains and its content
terms, grouped by the section that must use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.facts.fields import LIST_FIELDS
from assistant.schema import Facts, Role
from assistant.text.names import find_names
from assistant.text.numbers import Quantity, find_quantities, fold_width, parse_year, squash, unit_class


@dataclass(frozen=True)
class LedgerFact:
    """One fact with what the guard needs: its quantities (normalised), names and content terms."""

    text: str
    field: str  # achievements | problems | plans | notes | unit | title
    quantities: tuple[Quantity, ...]
    names: tuple[str, ...]
    terms: frozenset[str]
    id: str = ""  # stable within one ledger: unit, title, ach1…, prob1…, plan1…, note1…

    @property
    def key_quantities(self) -> tuple[Quantity, ...]:
        """The quantities a draft must carry to have used this fact (years and dates are context)."""
        return tuple(q for q in self.quantities if q.kind in ("count", "percent", "fraction")
                     and not (q.value == 1 and q.unit not in ("%", "元")))


@dataclass
class FactLedger:
    """All facts of one summary, with lookups for the guard."""

    facts: list[LedgerFact] = field(default_factory=list)
    year: int | None = None
    unit: str = ""
    text: str = ""  # every fact, the unit and the title joined; for substring checks
    house: frozenset[str] = frozenset()  # words of the user's own earlier summary: their formulas, not claims
    house_text: str = ""  # its opening, closing and headings: the names there (their superiors) are theirs too
    own_text: str = ""  # all of it: a run of its words in a draft is the user's own, not copied from an example

    @property
    def names(self) -> set[str]:
        return {n for f in self.facts for n in f.names}

    @property
    def quantities(self) -> list[Quantity]:
        return [q for f in self.facts for q in f.quantities]

    def facts_for(self, role: Role | None) -> list[LedgerFact]:
        """The facts a section must use: 成绩 ← achievements, 问题 ← problems, 计划 ← plans."""
        wanted = {"成绩": ("achievements",), "问题": ("problems",), "计划": ("plans",)}.get(role or "", ())
        return [f for f in self.facts if f.field in wanted]

    def allowed_years(self) -> set[int]:
        years = {int(q.value) for q in self.quantities if q.kind == "year"}
        if self.year:
            years |= {self.year, self.year + 1}
        return years

    def supports(self, q: Quantity) -> bool:
        """True when the facts hold this quantity (same value, compatible unit), or it is the year."""
        if q.kind == "year":
            return int(q.value) in self.allowed_years()
        if q.kind == "one":
            return True
        return any(quantities_match(q, known) for known in self.with_value(q.value))

    def with_value(self, value: float) -> list[Quantity]:
        """The facts' quantities of (about) this value: an index, so a long draft is checked in linear time."""
        index = self.__dict__.get("_by_value")
        if index is None:
            index = {}
            for known in self.quantities:
                index.setdefault(round(known.value, 4), []).append(known)
            self.__dict__["_by_value"] = index
        return index.get(round(value, 4), [])

    def by_id(self, fact_id: str) -> LedgerFact | None:
        return next((f for f in self.facts if f.id == fact_id), None)

    def mentions(self, text: str) -> bool:
        """True when a string (a name, a phrase) occurs in the facts, or in the formula parts of the user's own
        earlier summary (the superior bodies it names are the unit's own)."""
        if not text:
            return False
        needle = squash(text, punctuation=False)
        return needle in squash(self.text, punctuation=False) or bool(self.house_text) and needle in squash(
            self.house_text, punctuation=False)


def quantities_match(a: Quantity, b: Quantity) -> bool:
    """Same value, and units that name the same thing; a bare number matches any unit of that value."""
    if abs(a.value - b.value) > 1e-6 * max(1.0, abs(a.value)):
        return False
    if a.kind == "date" or b.kind == "date":
        return a.kind == b.kind
    if a.kind == "year" or b.kind == "year":
        return a.kind == b.kind or not a.unit or not b.unit
    if not a.unit or not b.unit:
        return True
    return unit_class(a.unit) == unit_class(b.unit)


_STOP_TERMS = frozenset({"开展", "组织", "进行", "加强", "全年", "一年", "年来", "工作", "活动", "我们", "本年",
                         "今年", "积极", "认真", "全面", "进一步", "推进", "做好", "完成", "共计", "累计", "其中",
                         "以上", "以及", "各项", "有关", "相关", "不断", "持续", "参加", "举办", "共有"})


def content_terms(text: str) -> frozenset[str]:
    """CJK bigrams of a fact, minus filler: a cheap, order-free fingerprint of what it says."""
    squashed = re.sub(r"[^\u4e00-\u9fffA-Za-z]", " ", fold_width(text or ""))
    grams: set[str] = set()
    for run in squashed.split():
        grams.update(run[i:i + 2] for i in range(len(run) - 1))
    return frozenset(g for g in grams if g not in _STOP_TERMS)


# Fact ids: the field's short name and the fact's position in it (1-based), as the check report names them.
ID_PREFIX = {"achievements": "ach", "problems": "prob", "plans": "plan", "notes": "note", "details": "det"}


def _ledger_fact(text: str, field_name: str, fact_id: str) -> LedgerFact:
    return LedgerFact(text=text, field=field_name, quantities=tuple(find_quantities(text)),
                      names=tuple(dict.fromkeys(n.text for n in find_names(text))), terms=content_terms(text),
                      id=fact_id)


def build_ledger(facts: Facts, house: frozenset[str] = frozenset(), house_text: str = "",
                 own_text: str = "") -> FactLedger:
    """Facts → FactLedger. Never raises on odd content; an empty Facts gives an empty ledger.

    `house`, `house_text` and `own_text`: the words, the formula parts (opening, closing, headings) and the
    whole text of the user's own earlier summary, which a draft in its style may reuse."""
    year = parse_year(facts.year) if facts.year else ""
    items: list[LedgerFact] = []
    for name, value in (("unit", facts.unit), ("title", facts.title)):
        if value and value.strip():
            items.append(_ledger_fact(value, name, name))
    for name in LIST_FIELDS:
        for i, item in enumerate(_as_list(getattr(facts, name)), 1):
            items.append(_ledger_fact(item, name, f"{ID_PREFIX[name]}{i}"))
    for i, (_, _, detail) in enumerate(facts.detail_items(), 1):  # the user's words, exactly as a result's
        items.append(_ledger_fact(detail, "details", f"{ID_PREFIX['details']}{i}"))
    text = "\n".join([facts.unit, facts.title, facts.year] + [f.text for f in items])
    return FactLedger(facts=items, year=int(year) if year else None, unit=facts.unit, text=text, house=house,
                      house_text=house_text, own_text=own_text)


def _as_list(value: Iterable[str] | str | None) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if str(v).strip()]
