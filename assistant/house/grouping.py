"""Group this year's results into themes the way the house groups its own.

Two results belong together when they say similar things (their embeddings are close) and when the house
examples they retrieve file them under the same theme (the same level-1 heading of the same example). The
groups are formed bottom-up (average linkage) until there are as many as the house would have: 2–5 themes for
5–15 results, and the preferred example's own count when it fits. Groups keep the user's order: a group
stands where its first result stood, and results keep their order inside it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

THEME_BONUS = 0.15  # two results the house files under the same theme are this much closer
MAX_SHARE = 0.45  # no group takes more than this share of the results (when there are 5 or more)
SPREAD = 1.6  # nor more than this many times the even share of its k groups


def target_groups(n: int, preferred: int = 0) -> int:
    """How many themes n results make: the house's 2–5 for 5–15 results, the preferred example's own count when
    it leaves at least two results a theme."""
    if n <= 2:
        return n
    if n <= 4:
        return 2
    base = int(min(5, max(2, round(n / 2.6))))
    if preferred and 2 <= preferred <= 5 and n / preferred >= 2 and abs(preferred - base) <= 1:
        return preferred
    return base


def group_cap(n: int, k: int = 0) -> int:
    """The most results one group of n may take: MAX_SHARE of them when there are 5 or more, and, when they make
    k groups, at most SPREAD times a group's even share (24 results in 5 themes: 8, not 11; a theme of 12 results
    under a heading that names two of them reads as a catch-all)."""
    if n < 5:
        return n
    cap = max(2, int(np.ceil(MAX_SHARE * n)))
    return min(cap, max(3, int(np.ceil(SPREAD * n / k)))) if k > 0 else cap


def group_results(vectors: np.ndarray, themes: Sequence[Sequence[str]], k: int) -> list[list[int]]:
    """Indexes of the results, grouped into `k` groups. `vectors`: one unit vector per result; `themes`: per
    result, the house themes ("doc/heading") its nearest example passages stand under, best first."""
    n = len(vectors)
    if n == 0:
        return []
    k = max(1, min(k, n))
    sims = np.asarray(vectors @ vectors.T, dtype=np.float64)
    for i in range(n):
        for j in range(n):
            if i != j and themes[i] and themes[j] and (themes[i][0] in themes[j][:2] or themes[j][0] in themes[i][:2]):
                sims[i, j] += THEME_BONUS
    np.fill_diagonal(sims, 0.0)
    cap = group_cap(n, k)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    total = sims.copy()  # sum of similarities between the members of two groups
    alive = np.ones(n, dtype=bool)
    sizes = np.ones(n)
    while len(members) > k:
        avg = total / np.outer(sizes, sizes)
        allowed = np.outer(alive, alive) & (np.add.outer(sizes, sizes) <= cap)
        np.fill_diagonal(allowed, False)
        if not allowed.any():
            break
        avg = np.where(allowed, avg, -np.inf)
        a, b = divmod(int(np.argmax(avg)), n)
        a, b = min(a, b), max(a, b)
        members[a] = sorted(members[a] + members.pop(b))
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        total[a, a] = 0.0
        alive[b] = False
        sizes[a] += sizes[b]
        total[b, :] = 0.0
        total[:, b] = 0.0
    return sorted(members.values(), key=lambda g: g[0])
