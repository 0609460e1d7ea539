"""The page's facts form → Facts: one fact per line in each list field (a "做法：…"/"成效：…" line under a result
is that result's detail), the free paste box read as a paste and merged in (nothing the user typed in a field is
replaced or repeated)."""

from __future__ import annotations

import re

from assistant.facts.details import attach, split_result_lines
from assistant.facts.fields import LIST_FIELDS, read_year, split_items
from assistant.facts.paste import parse_free_text
from assistant.schema import Facts


def facts_from_form(unit: str, year: str, title: str, achievements: str, problems: str, plans: str,
                    free_text: str = "") -> Facts:
    """The side form's fields → Facts: one fact per line, bullets stripped, the free paste merged in."""
    results, details = split_result_lines(split_items(achievements or ""))
    facts = Facts(
        unit=re.sub(r"\s+", " ", unit or "").strip(),
        year=read_year(year) if (year or "").strip() else "",
        title=(title or "").strip(),
        achievements=results,
        problems=split_items(problems or ""),
        plans=split_items(plans or ""),
        details=details,
    )
    if (free_text or "").strip():
        extra = parse_free_text(free_text)
        facts.unit = facts.unit or extra.unit
        facts.year = facts.year or extra.year
        facts.title = facts.title or extra.title
        for name in LIST_FIELDS:
            bucket: list[str] = getattr(facts, name)
            for item in getattr(extra, name):
                if item not in bucket:
                    bucket.append(item)
        for fact, own in extra.details.items():
            for kind, texts in own.items():
                for text in texts:
                    attach(facts.details, fact, kind, text)
    return facts
