"""The whole check of one text: the guard's categories, the sentence ledger, and whole-document rules.

`check_text` is what every face calls (page, API, CLI, MCP): it never raises on odd input. Without a role the
text is read as a whole summary: its sections are found by their headings and lead-ins, every list fact must be
used somewhere, plans may not appear as results in the 成绩 part, and one metric may not carry two values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from assistant.check.guard import check_draft, fact_used, plans_as_results
from assistant.check.sentences import classify, clause_span, split_sentences, words
from assistant.check.vocabulary import formula_words, heading_words
from assistant.facts.ledger import FactLedger
from assistant.schema import CheckReport, FactUse, Role, SentenceEntry
from assistant.text.numbers import SLOT_RE, Quantity, find_quantities, unit_class
from assistant.text.sections import section_roles, without_layout

LIST_FIELDS = ("achievements", "problems", "plans", "details")


def check_text(text: str, ledger: FactLedger, role: Role | None = None,
               examples: Sequence[str] | None = None) -> CheckReport:
    """The report on a section (`role` given) or a whole summary (`role` None)."""
    text = text if isinstance(text, str) else str(text or "")
    if role is None:  # a whole summary, maybe our own .md or .docx export: its layout is no claim
        text = without_layout(text)
    examples = [e for e in (examples or []) if isinstance(e, str) and e.strip()]
    report = check_draft(text, ledger, role=role, examples=examples)
    body = SLOT_RE.sub(lambda m: "…" * len(m.group(0)), text)
    if role is None:
        quantities = find_quantities(body)
        report.unused_facts = [f.text for f in ledger.facts if f.field in LIST_FIELDS
                               and not fact_used(f, body, quantities)]
        results = [(s, e) for s, e, r in section_roles(text) if r == "成绩"]
        if results:
            part = "\n".join(text[s:e] for s, e in results)
            report.plans_as_results = plans_as_results(SLOT_RE.sub(lambda m: "…" * len(m.group(0)), part), ledger)
    entries = classify(split_sentences(text), text, ledger, role=role, leaks=report.leaks,
                       placeholders=report.placeholders, plans_as_results=report.plans_as_results,
                       examples=examples)
    report.conflicts = _conflicts(entries, text, ledger)
    report.sentences = entries
    report.facts = [FactUse(f.id, f.text, [i for i, s in enumerate(entries) if f.id in s.facts])
                    for f in ledger.facts if f.field in (*LIST_FIELDS, "notes")]
    return report


def _metric(text: str, q: Quantity) -> str:
    """What a number counts: the last specific word before it in its clause ("培训", "慰问金"), with the word
    before that when the last only says which kind of measure ("种植面积", "作业面积": two areas, not one)."""
    start, _ = clause_span(text, q.start, q.end)
    vocab = formula_words()
    before = [w for w, _ in words(text[start:q.start]) if w not in vocab]
    if len(before) >= 2 and before[-1] in heading_words().get("metric", frozenset()):
        return before[-2] + before[-1]
    return before[-1] if before else ""


def _conflicts(entries: list[SentenceEntry], text: str, ledger: FactLedger) -> list[str]:
    """One metric with two values in the document, where the facts do not give it both (docs/GENRE.md §B.10b).

    The later sentence becomes a violation.
    """
    known: dict[tuple[str, str], set[float]] = defaultdict(set)
    for fact in ledger.facts:
        for q in fact.quantities:
            if q.kind == "count" and q.unit:
                known[(_metric(fact.text, q), unit_class(q.unit))].add(round(q.value, 6))
    seen: dict[tuple[str, str], tuple[float, str]] = {}
    out: list[str] = []
    for entry in entries:
        for q in find_quantities(SLOT_RE.sub(lambda m: "…" * len(m.group(0)), entry.text)):
            if q.kind != "count" or not q.unit:
                continue
            key = (_metric(entry.text, q), unit_class(q.unit))
            if not key[0]:
                continue
            value = round(q.value, 6)
            first = seen.setdefault(key, (value, q.raw))
            # a fact this sentence states gives this number for this metric, though its own wording put another
            # word nearer the number ("共举办会议和活动436场" for "会议和活动一共办了436场" after "保障重大活动41场")
            stated = any(round(k.value, 6) == value and k.unit and unit_class(k.unit) == key[1]
                         and key[0] in fact.text
                         for fid in entry.facts if (fact := ledger.by_id(fid)) is not None for k in fact.quantities)
            if first[0] != value and not stated and not {first[0], value} <= known.get(key, set()):
                message = f"{key[0]}：{first[1]} / {q.raw}"
                out.append(message)
                entry.status = "violation"
                entry.reasons.append(f"同一指标前后数字不一致（{key[0]}：前文{first[1]}，这里{q.raw}）")
    return list(dict.fromkeys(out))

