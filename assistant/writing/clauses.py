"""A model's sentence for one fact, tidied into the clause the composer sets into its section.

The composer owns what surrounds the clause: the paragraph's lead-in ("一年来，"), the 一是/二是 marker and the
closing mark. So a model's own list marker, section label ("成绩："), leading time phrase ("全年", "2025年，"),
quotes around the whole and closing punctuation go; only its first line is kept.
"""

from __future__ import annotations

import re

from assistant.text.bullets import strip_bullet
from assistant.writing.postprocess import clean_model_text

_LABEL = re.compile(r"^(?:成绩|问题|计划|事实|正文|答|回答|改写|句子)[：:]\s*")
_TIME_LEAD = re.compile(r"^(?:\d{4}年度?|二〇[〇一二三四五六七八九]{2}年|今年以来|今年|本年度|全年|一年来|年内|过去一年)[，,]?")
_WRAPPING_QUOTES = re.compile(r"^[“\"「『](.*)[”\"」』]$")
_TRAILING = re.compile(r"[。；;，,、：:\s]+$")


def tidy_clause(raw: str, fact: str = "") -> str:
    """The clause a model wrote, ready to be set between a lead-in/marker and a closing mark."""
    text = clean_model_text(raw or "")
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = strip_bullet(_LABEL.sub("", line))
    quoted = _WRAPPING_QUOTES.match(line)
    if quoted:
        line = quoted.group(1)
    lead = _TIME_LEAD.match(line)
    if lead and not fact.startswith(lead.group(0).rstrip("，,")):
        line = line[lead.end():]
    return _TRAILING.sub("", line).strip()
