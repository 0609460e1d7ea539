"""One home per idea: the one-line regex literals that `duplicates` cannot see are found here instead.

Each idea has one module; a copy of its pattern anywhere else in assistant/ fails this test with the file and
line. Files other engineers own and are folding in themselves are listed in ELSEWHERE, to be emptied.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "assistant"

# idea → (its home, a pattern that finds a copy of it in source text)
IDEAS: dict[str, tuple[str, re.Pattern[str]]] = {
    # a run of non-ends then ends ("[^。！？]+[。！？]"), or a split after ends ("(?<=[。；])")
    "sentence splitter": ("text/sentences.py", re.compile(r"\[\^[。！？；!?;\\n]+\][*+](?:\(\?:)?\[[。！？；!?;]"
                                                         r"|\(\?<=\[[。！？；!?;\\n]+\]\)\"")),
    "【待补充】 slot": ("text/numbers.py", re.compile(r"【待补充\[：:\]\[\^】")),
    "Chinese-numeral year": ("text/numbers.py", re.compile(r"\[一二\]\[〇|二〇\[〇")),
    "digit year": ("text/numbers.py", re.compile(r"\(\?:19\|20\)\\d|\\d\{4\}年")),
    "squash": ("text/numbers.py", re.compile(r"re\.sub\(r\"\\s\+?\", \"\"|re\.sub\(r\"\[\\s，")),
    "future cue": ("text/cues.py", re.compile(r"将继续\||我们将\||明年\|下一步")),
    "organisation-name ending": ("text/names.py", re.compile(r"工会\|委员会|\|局\|院\||\"医院\", \"中心")),
}
# Copies in files owned by others (the lead rewrites writing/; facts/unit_type.py has its own owner): they fold
# into the homes above when those files are next changed.
ELSEWHERE = {"writing/clauses.py", "writing/template.py", "writing/compose.py", "writing/outline.py",
             "facts/unit_type.py"}


def _sources() -> list[tuple[str, str]]:
    return [(p.relative_to(PACKAGE).as_posix(), p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))
            if "__pycache__" not in p.parts]


@pytest.mark.parametrize("idea", sorted(IDEAS))
def test_each_idea_has_one_home(idea: str) -> None:
    home, pattern = IDEAS[idea]
    copies = []
    for name, text in _sources():
        if name == home or name in ELSEWHERE:
            continue
        for i, line in enumerate(text.splitlines(), start=1):
            if pattern.search(line):
                copies.append(f"{name}:{i}: {line.strip()[:90]}")
    assert not copies, f"{idea} lives in {home}; copies elsewhere:\n" + "\n".join(copies)


def test_the_patterns_find_what_they_look_for() -> None:
    """Each pattern finds the kind of copy this test exists to catch (so a passing test means something)."""
    samples = {
        "【待补充】 slot": 'SLOT = re.compile(r"【待补充[：:][^】\\n]{0,60}】")',
        "Chinese-numeral year": 'r"[一二][〇零○九][〇零○一二三四五六七八九]{2}"',
        "digit year": 'r"(?:19|20)\\d{2}年"',
        "squash": 'return re.sub(r"\\s+", "", text)',
        "future cue": 'r"将要|将于|将继续|将进一步|我们将|拟"',
        "organisation-name ending": 'r"(?:工会|委员会|协会|局|院|校)$"',
    }
    for idea, sample in samples.items():
        assert IDEAS[idea][1].search(sample), idea
    # the seven splitters there were before text/sentences.py
    for old in (r'_SENT = re.compile(r"[^。！？；!?;]+(?:[。！？；!?;]+[”’」』]?|$)")',
                r'_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")',
                r'_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]*[”’」』）)]*")',
                r'_SENTENCE = re.compile(r"[^。！？；!?;]*(?:[。！？；!?;]+[”’」』）)]*|$)")',
                r'_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")',
                r'_SENTENCE_SPLIT = re.compile(r"(?<=[。；;！!？?])")',
                r'_SENTENCE_END = re.compile(r"(?<=[。！？；\n])")'):
        assert IDEAS["sentence splitter"][1].search(old), old
