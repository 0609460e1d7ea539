"""The house a draft follows: the examples it prefers, in order, and what they teach together.

Order of preference (docs/GENRE.md §C.13g): the user's own earlier summaries first (uploads, or their own
files in knowledge/ — origin "user"), then examples of the same kind of unit, then the rest, each group by how
close its passages came to this year's facts. The first is the *primary* example: its heading frame, its
numbering depth, its opening and closing are what the reader expects. The others lend verbs and purposes
where the primary has none that fit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.check.terms import tokens
from assistant.facts.unit_type import kindred
from assistant.house.frames import Frame, clauses, filler, learn_frame, opener_of
from assistant.house.layout import Layout


@dataclass
class Purpose:
    """A second clause of a house heading ("确保运营平稳"), with the words its frame leaves free ("运营平稳") and
    the vector of the text it headed (to match it to this year's groups)."""

    clause: str
    filler: str
    doc: str
    own: bool = False  # from the user's own example
    kin: bool = False  # from an example of the same kind of unit (or the user's own)
    vector: np.ndarray | None = None
    key: str = ""  # "doc/heading": the theme it heads, as retrieval names it


@dataclass
class HouseProfile:
    """What the preferred examples teach a draft."""

    layouts: list[Layout] = field(default_factory=list)  # preferred order
    frame: Frame = field(default_factory=Frame)  # the primary's level-1 frame
    lead_frame: Frame = field(default_factory=Frame)  # its level-2 lead phrases' frame
    purposes: list[Purpose] = field(default_factory=list)
    verbs: list[str] = field(default_factory=list)  # first-clause verbs of the preferred houses, most used first
    lead_verbs: list[str] = field(default_factory=list)
    own_words: frozenset[str] = frozenset()  # the user's own example's words: theirs to reuse
    foreign: frozenset[str] = frozenset()  # words of other kinds of unit, which this unit's facts do not use
    example_headings: list[str] = field(default_factory=list)
    own_headings: list[str] = field(default_factory=list)  # the user's own example's: they may come back

    @property
    def primary(self) -> Layout | None:
        return self.layouts[0] if self.layouts else None

    @property
    def two_level(self) -> bool:
        return bool(self.primary and self.primary.two_level)

    @property
    def own(self) -> bool:
        """The primary example is the user's own."""
        return bool(self.primary and self.primary.origin == "user")


def theme_key(doc: str, heading: str) -> str:
    """How a theme is named across retrieval and layouts: its document and its bare heading."""
    return f"{doc}/{heading}"


def _plain_purpose(clause: str) -> bool:
    """A verb and a noun object of at most eight characters ("守牢安全底线"), no second verb ("服务发展抓项目")."""
    from assistant.check.vocabulary import collocations

    verb = opener_of(clause)
    if not verb or len(clause) > 8:
        return False
    rest = [w for w, flag in tokens(clause[len(verb):])]
    verbs = collocations()
    return bool(rest) and not any(w in verbs or (len(w) == 1 and w in "抓促保强建创争") for w in rest)


def order_layouts(layouts: Sequence[Layout], closeness: dict[str, float], kinds: Sequence[str]) -> list[Layout]:
    """Layouts in the order a draft prefers them: the user's own, then the same kind of unit, then the rest; each
    by `closeness` (how near its passages came to this year's facts)."""
    wanted = set(kinds)

    def key(layout: Layout) -> tuple[int, int, float]:
        shared = len(wanted & set(layout.org_types))
        return (0 if layout.origin == "user" else 1, -shared, -closeness.get(layout.doc, 0.0))

    return sorted((lay for lay in layouts if lay.themes or lay.opening), key=key)


def build_profile(layouts: Sequence[Layout], theme_vectors: dict[tuple[str, int], np.ndarray] | None = None,
                  own_words: frozenset[str] = frozenset(), kinds: Sequence[str] = ()) -> HouseProfile:
    """The profile of layouts already in preferred order. `theme_vectors`: (doc, theme index) → the vector of the
    text under that heading; `kinds`: this unit's kinds, to tell which examples are its kin."""
    profile = HouseProfile(layouts=list(layouts), own_words=own_words)
    if not layouts:
        return profile
    primary = layouts[0]
    profile.frame = learn_frame(primary.headings, [t.text for t in primary.themes])
    profile.lead_frame = learn_frame(primary.leads) if primary.leads else Frame()
    verbs: Counter[str] = Counter()
    lead_verbs: Counter[str] = Counter()
    for rank, layout in enumerate(layouts):
        weight = 3 if rank == 0 else 1
        frame = profile.frame if rank == 0 else learn_frame(layout.headings, [t.text for t in layout.themes])
        work = next((i for i, c in enumerate(frame.clauses) if c.work), 0)
        for t_index, theme in enumerate(layout.themes):
            parts = clauses(theme.heading)
            profile.example_headings.append(theme.heading)
            if layout.origin == "user" and rank == 0:
                profile.own_headings += [theme.heading, *(i.lead for i in theme.items)]
            purpose = parts[1 - work] if len(parts) == frame.size == 2 else ""
            # another house's purpose travels only as a plain verb and object ("守牢安全底线")
            if purpose and (rank == 0 or _plain_purpose(purpose)):
                vector = (theme_vectors or {}).get((layout.doc, t_index))
                profile.purposes.append(Purpose(purpose, filler(purpose, frame.clauses[1 - work]), layout.doc,
                                                own=layout.origin == "user" and rank == 0, vector=vector,
                                                kin=layout.origin == "user" or kindred(kinds, layout.org_types),
                                                key=theme_key(layout.doc, theme.heading)))
            if parts:
                verb = opener_of(parts[min(work, len(parts) - 1)])
                if verb:
                    verbs[verb] += weight
            for item in theme.items:
                profile.example_headings.append(item.lead)
                verb = opener_of(item.lead)
                if verb:
                    lead_verbs[verb] += weight
    profile.verbs = [v for v, _ in verbs.most_common()]
    profile.lead_verbs = [v for v, _ in lead_verbs.most_common()]
    return profile
