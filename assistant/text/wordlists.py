"""The one loader of word lists kept as data files (`<package>/data/*.txt`), so words are reviewed as data.

A file holds comment lines ("# …"), and either plain lines or named classes: a line "[name]" opens a class,
the words under it (several per line, separated by blanks) belong to it. Read once per process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib.resources import files


@cache
def lines(package: str, name: str) -> tuple[str, ...]:
    """The file's non-empty lines, comments ("#" to the line end) taken out."""
    text = (files(package) / "data" / name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return tuple(out)


@cache
def word_classes(package: str, name: str) -> dict[str, tuple[str, ...]]:
    """{class name: its words, in file order} of a file of "[name]" classes."""
    classes: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines(package, name):
        head = re.fullmatch(r"\[([\w-]+)\]", line)
        if head:
            current = classes.setdefault(head.group(1), [])
        elif current is None:
            raise ValueError(f"{package}/data/{name}: words before the first [class] line: {line!r}")
        else:
            current.extend(line.split())
    return {k: tuple(v) for k, v in classes.items()}


def alternation(words: Iterable[str]) -> str:
    """The words as one regex alternation, longest first (so 下一年度 wins over 下一年), escaped."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
