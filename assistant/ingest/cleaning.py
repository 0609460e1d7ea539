"""Normalise raw text before splitting, changing whitespace and scrape debris only.

The examples are later checked character by character (the guard refuses to copy their numbers and
names), so cleaning must never rewrite prose. It only:

* unifies newlines and strips each line (ASCII and full-width spaces, NBSP, zero-width characters, BOM);
* collapses runs of blank lines into one blank line (a blank line separates paragraphs);
* drops lines that hold no prose at all: only punctuation or quotes (a stray ``'``), or a wiki-editor
  placeholder such as ``粗体文字`` that scraped pages leave behind;
* removes a stray ASCII apostrophe glued after a full-width sentence end (``深化。'``);
* re-joins inline markup that a scrape broke onto its own lines (``我国第一部《`` / ``国防法`` /
  ``》开始实施``): a line ending in an opening book-title mark is joined to the next line, a line
  starting with a closing one to the previous line.
"""

from __future__ import annotations

import re
import unicodedata

# Editor placeholders of MediaWiki ("Bold text", "Italic text", ...) as rendered on zh sites.
SCRAPE_PLACEHOLDERS = frozenset({"粗体文字", "斜体文字", "链接标题", "内部链接", "标题文字"})

_STRIP_CHARS = " \t\f\v\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff"
_STRAY_APOSTROPHE = re.compile(r"(?<=[。！？；”])'+$")
_OPENERS = ("《",)
_CLOSERS = ("》",)


def _is_debris(line: str) -> bool:
    """True for lines with no letter, digit or CJK character (only punctuation, quotes, symbols)."""
    if line in SCRAPE_PLACEHOLDERS:
        return True
    return not any(unicodedata.category(ch)[0] in "LN" for ch in line)


def _rejoin_broken_markup(lines: list[str]) -> list[str]:
    """Glue '…《' + 'name' + '》…' fragments back into one line (no separator: Chinese has none)."""
    out: list[str] = []
    for line in lines:
        if out and line and out[-1] and (out[-1].endswith(_OPENERS) or line.startswith(_CLOSERS)):
            out[-1] += line
        else:
            out.append(line)
    return out


def clean_text(text: str) -> str:
    """Return `text` with normalised whitespace and scrape debris removed; prose is kept verbatim."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    lines = _rejoin_broken_markup([raw.strip(_STRIP_CHARS) for raw in text.split("\n")])
    out: list[str] = []
    for line in lines:
        if line and _is_debris(line):
            continue
        line = _STRAY_APOSTROPHE.sub("", line)
        if not line and (not out or not out[-1]):
            continue  # leading blank or a blank-line run
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
