"""The house plan of a request: the examples read into layouts, this year's facts placed in them.

This is where retrieval shapes a draft. Each result retrieves its nearest house passages (the user's own
examples and the same kind of unit first); those decide which examples are preferred, which results go
together, which purposes the headings borrow; the preferred example's frame, depth, opening and closing are
followed (writing/planner.py). Layouts are read once per set of example files; plans are cached per facts,
examples and backend.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from assistant.check.document import check_text
from assistant.check.guard import copied_runs
from assistant.check.sentences import grounded, words
from assistant.check.vocabulary import (
    general_words,
    heading_words,
    house_words,
    other_kinds_words,
    unit_vocabulary,
)
from assistant.facts.ledger import FactLedger, build_ledger
from assistant.facts.unit_type import document_org_types, kindred, unit_type_of
from assistant.house.formulas import institution_words, words_fit
from assistant.house.layout import Layout, bare_heading, layout_of
from assistant.house.profile import build_profile, order_layouts, theme_key
from assistant.lru import BoundedCache
from assistant.schema import Facts
from assistant.services.knowledge import KnowledgeService
from assistant.text.numbers import YEAR, squash
from assistant.writing.headings import Fluency
from assistant.writing.planner import HousePlan, notes_as_results, plan_house

log = logging.getLogger(__name__)
HITS_PER_RESULT = 6


class HousePlanner:
    """Builds the HousePlan of a request from the knowledge base."""

    def __init__(self, knowledge: KnowledgeService) -> None:
        self.knowledge = knowledge
        self._lock = threading.RLock()
        self._layouts: tuple[tuple[Any, ...], list[Layout], str] | None = None
        self._vectors: tuple[tuple[Any, ...], dict[tuple[str, int], np.ndarray]] | None = None
        self._plans: BoundedCache[str, HousePlan] = BoundedCache(max_size=32)

    # --- the examples ---------------------------------------------------------------------------------
    def layouts(self) -> tuple[list[Layout], str]:
        """Every example as a layout and all example text (for collocations)."""
        from assistant.index.sync import example_origin
        from assistant.ingest.splitter import split_document

        signature = self.knowledge.example_signature()
        with self._lock:
            if self._layouts is not None and self._layouts[0] == signature:
                return self._layouts[1], self._layouts[2]
            layouts: list[Layout] = []
            for doc in self.knowledge.example_documents():
                tags = document_org_types(doc.org_type, doc.meta.get("unit"), doc.title)
                unit = doc.meta.get("unit") or re.sub(rf"{YEAR}年?.*$", "", doc.title or "")
                layouts.append(layout_of(split_document(doc), title=doc.title, unit=unit, year=doc.year,
                                         origin=example_origin(doc), org_types=tags))
            _mark_specific(layouts, self.knowledge.example_documents())
            corpus = "\n".join(d.text for d in self.knowledge.example_documents())
            self._layouts = (signature, layouts, corpus)
            return layouts, corpus

    def theme_vectors(self) -> dict[tuple[str, int], np.ndarray]:
        """The vectors of every example theme: only a plan needs them, so a check never embeds."""
        signature = self.knowledge.example_signature()
        with self._lock:
            if self._vectors is not None and self._vectors[0] == signature:
                return self._vectors[1]
            layouts, _ = self.layouts()
            vectors = self._theme_vectors(layouts)
            self._vectors = (signature, vectors)
            return vectors

    def _theme_vectors(self, layouts: list[Layout]) -> dict[tuple[str, int], np.ndarray]:
        """(doc, theme index) → the mean of its passages' stored vectors (embedded afresh when not stored)."""
        stored: dict[str, list[Any]] = defaultdict(list)
        try:  # the store names passages by content hash: find them by document and order
            live = {d: e.doc_hash for d, e in self.knowledge.store.manifest().items()}
            rows = [(cid, m) for cid, _, m in self.knowledge.store.all_chunks()
                    if live.get(str(m.get("doc"))) == m.get("doc_hash")]
            ids = [cid for cid, _ in rows]
            vectors: dict[str, Any] = {}
            for start in range(0, len(ids), 500):
                vectors.update(self.knowledge.store.embeddings(ids[start:start + 500]))
            for cid, meta in rows:
                if cid in vectors:
                    stored[f"{meta.get('doc')}:{meta.get('order')}"].append(vectors[cid])
        except Exception:  # noqa: BLE001 - a store that cannot answer: embed the themes instead
            log.warning("theme vectors: the store did not answer; embedding theme texts", exc_info=True)
        out: dict[tuple[str, int], np.ndarray] = {}
        for lay in layouts:
            for i, theme in enumerate(lay.themes):
                vecs = [np.asarray(v, dtype=np.float32) for c in theme.chunk_ids for v in stored.get(c, [])]
                vec = np.mean(vecs, axis=0) if vecs else np.asarray(
                    self.knowledge.embedder.embed_query(f"{theme.heading}\n{theme.text[:300]}"), dtype=np.float32)
                norm = float(np.linalg.norm(vec))
                out[(lay.doc, i)] = vec / norm if norm else vec
        return out

    def own_text(self, facts: Facts) -> str:
        """The formula parts (opening, closing, headings, leads) of the user's own earlier summaries of this unit:
        a draft in their style may reuse their words and the bodies they name."""
        if not self._has_own():
            return ""
        layouts, _ = self.layouts()
        return "\n".join(_house_text(lay) for lay in layouts if _is_own(lay, facts.unit))

    def own_full_text(self, facts: Facts) -> str:
        """The whole text of the user's own earlier summaries of this unit: its words in a draft are theirs."""
        if not self._has_own():
            return ""
        layouts, _ = self.layouts()
        own = {lay.doc for lay in layouts if _is_own(lay, facts.unit)}
        return "\n".join(d.text for d in self.knowledge.example_documents() if d.doc_id in own)

    def _has_own(self) -> bool:
        """Whether any example is the user's: without one a check needs no layouts at all."""
        from assistant.index.sync import example_origin

        return any(example_origin(d) == "user" for d in self.knowledge.example_documents())

    def own_words(self, facts: Facts) -> frozenset[str]:
        """The words of `own_text`: the check counts them as the house's formulas."""
        return _words_of(self.own_text(facts))

    def ledger(self, facts: Facts) -> FactLedger:
        """The facts' ledger with the user's own earlier summaries of this unit counted as theirs (their words as
        the house's, their text exempt from the copy test): what the check and the plan both read."""
        text = self.own_text(facts)
        return build_ledger(facts, house=_words_of(text), house_text=text,
                            own_text=self.own_full_text(facts))

    def example_headings(self, facts: Facts, limit: int = 6) -> list[str]:
        """Level-1 headings of the examples a request prefers (the user's own first): what a model imitates."""
        layouts, _ = self.layouts()
        kinds = set(unit_type_of(facts.unit))
        ordered = sorted(layouts, key=lambda lay: (lay.origin != "user" or not _is_own(lay, facts.unit),
                                                   -len(kinds & set(lay.org_types))))
        return [h for lay in ordered for h in lay.headings][:limit]

    # --- a request ------------------------------------------------------------------------------------
    def plan(self, facts: Facts, *, fluency: Fluency | None = None, key: str = "") -> HousePlan:
        """The plan for these facts (cached per facts, examples and `key`, the backend)."""
        facts = notes_as_results(facts)
        layouts, corpus = self.layouts()
        theme_vectors = self.theme_vectors()
        digest = hashlib.sha256(json.dumps([facts.to_json(), str(self.knowledge.example_signature()), key],
                                           ensure_ascii=False, sort_keys=True).encode()).hexdigest()
        return self._plans.get_or_create(
            digest, lambda: self._plan(facts, layouts, theme_vectors, corpus, fluency))

    def _plan(self, facts: Facts, layouts: list[Layout], theme_vectors: dict[tuple[str, int], np.ndarray],
              corpus: str, fluency: Fluency | None) -> HousePlan:
        kinds = unit_type_of(facts.unit)
        closeness: dict[str, float] = defaultdict(float)
        hit_themes: list[list[str]] = []
        passages: list[list[str]] = []
        vectors = []
        for fact in facts.achievements:
            vectors.append(np.asarray(self.knowledge.embedder.embed_query(fact), dtype=np.float32))
            try:
                hits = self.knowledge.search(fact, HITS_PER_RESULT, role="成绩", org_type=kinds)
            except Exception:  # noqa: BLE001 - an empty or unreachable store: the plan goes without
                log.warning("house plan: search failed", exc_info=True)
                hits = []
            for rank, hit in enumerate(hits):
                closeness[hit.doc] += hit.score / (1 + rank)
            hit_themes.append([theme_key(h.doc, bare_heading(h.heading.split(" > ")[0])) for h in hits if h.heading])
            passages.append([h.text for h in hits])
        ordered = order_layouts([lay for lay in layouts if lay.origin != "user" or _is_own(lay, facts.unit)],
                                closeness, kinds)
        ledger = self.ledger(facts)
        own_words = ledger.house
        profile = build_profile(ordered, theme_vectors, own_words=own_words, kinds=kinds)
        known = squash("\n".join([facts.unit, *facts.achievements, *facts.problems, *facts.plans, *facts.notes]))
        # Another kind of unit's words: the kind lists, and what only one example of another kind says (its
        # business, "五育并举" of a school): a heading here may use them only when the facts do.
        borrowed = {w for lay in layouts if not _is_own(lay, facts.unit) and not kindred(kinds, lay.org_types)
                    for w in lay.rare}
        borrowed |= {w for lay in layouts if not _is_own(lay, facts.unit)
                     for w in institution_words(lay.unit, facts.unit)}  # "办院" of a hospital, kindred or not
        profile.foreign = frozenset(w for w in other_kinds_words(facts.unit) | borrowed if w not in known) - own_words
        matrix = np.vstack(vectors) if vectors else np.zeros((0, 1), dtype=np.float32)
        judge, fits = judges(facts, own_words, ledger.house_text)
        examples = [d.text for d in self.knowledge.example_documents()]

        def copies(text: str) -> list[str]:
            return copied_runs(text, ledger, examples)

        plan = plan_house(facts, profile, matrix, hit_themes, corpus, judge=judge, fits=fits, fluency=fluency,
                          copies=copies, passages=passages)
        plan.own_words = own_words
        return plan


def _words_of(text: str) -> frozenset[str]:
    return frozenset(w for w, _ in words(text))


def _mark_specific(layouts: list[Layout], docs: list[Any]) -> None:
    """Each example's own words: used at least twice in it and in no other example (its unit's business)."""
    from collections import Counter

    counts = {d.doc_id: Counter(w for w, _ in words(d.text)) for d in docs}
    df: Counter[str] = Counter()
    for c in counts.values():
        df.update(set(c))
    for lay in layouts:
        own = counts.get(lay.doc, Counter())
        lay.specific = frozenset(w for w, n in own.items() if n >= 2 and df[w] == 1 and len(w) >= 2)
        lay.rare = frozenset(w for w in own if df[w] == 1 and len(w) >= 2)


def _bare_unit(name: str) -> str:
    return re.sub(r"[\s（）()]", "", name or "")


def _is_own(layout: Layout, unit: str) -> bool:
    """An example of the user's own (uploaded, or their own file in knowledge/) written for this unit — or for no
    unit it names."""
    if layout.origin != "user":
        return False
    theirs, ours = _bare_unit(layout.unit), _bare_unit(unit)
    return not theirs or not ours or theirs in ours or ours in theirs


def _house_text(layout: Layout | None) -> str:
    """The parts of the user's own example that are the house's voice: opening, closing, headings, leads."""
    if layout is None:
        return ""
    parts = [layout.opening, layout.closing, layout.problems_lead, layout.plans_lead, *layout.headings,
             *layout.leads]
    return "\n".join(p for p in parts if p)


def judges(facts: Facts, own_words: frozenset[str], own_text: str = ""
           ) -> tuple[Callable[[str], bool], Callable[[str], bool]]:
    """(judge, fits) for adapting an example's formulas to these facts: `judge` asks the sentence ledger whether a
    sentence may be delivered; `fits` whether a clause's words are all the genre's or this unit's."""
    ledger = build_ledger(facts, house=own_words, house_text=own_text)
    known = squash(ledger.text)
    people = heading_words().get("people", frozenset())
    vocab = (unit_vocabulary(facts.unit) | general_words() | house_words() | own_words) \
        - ((people | other_kinds_words(facts.unit)) - own_words)
    fits = words_fit(vocab, known, words, grounded)

    def judge(sentence: str) -> bool:
        report = check_text(sentence, ledger, None, [])
        return not any(e.flagged for e in report.sentences) and not report.unsupported_numbers

    return judge, fits
