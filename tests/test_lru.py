"""BoundedCache: least recently used entries make room; a missing key is built once under concurrency."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.lru import BoundedCache


def test_holds_at_most_max_size_and_drops_the_least_recently_used() -> None:
    cache: BoundedCache[str, int] = BoundedCache(max_size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert len(cache) == 2 and "b" not in cache and cache.keys() == ["a", "c"]
    assert cache.get("b") is None and cache.get("b", -1) == -1


def test_get_or_create_builds_only_what_is_missing() -> None:
    cache: BoundedCache[str, str] = BoundedCache(max_size=3)
    built: list[str] = []

    def make(key: str) -> str:
        built.append(key)
        return key.upper()

    for key in ["x", "y", "x", "z", "y", "w", "x"]:
        assert cache.get_or_create(key, lambda k=key: make(k)) == key.upper()
    # x, y, z fill it; w pushes out x (least recent: y and z were used after it); x comes back, pushing out z
    assert built == ["x", "y", "z", "w", "x"]
    assert cache.keys() == ["y", "w", "x"]


def test_a_failing_factory_stores_nothing() -> None:
    cache: BoundedCache[str, int] = BoundedCache(max_size=2)
    with pytest.raises(ValueError):
        cache.get_or_create("k", lambda: int("not a number"))
    assert "k" not in cache and len(cache) == 0


def test_on_evict_sees_each_entry_pushed_out() -> None:
    evicted: list[tuple[str, int]] = []
    cache: BoundedCache[str, int] = BoundedCache(max_size=1, on_evict=lambda k, v: evicted.append((k, v)))
    cache.put("a", 1)
    cache.get_or_create("b", lambda: 2)
    cache.put("c", 3)
    assert evicted == [("a", 1), ("b", 2)]
    assert cache.pop("c") == 3 and len(cache) == 0 and evicted == [("a", 1), ("b", 2)]


def test_many_threads_build_a_missing_key_once() -> None:
    cache: BoundedCache[str, object] = BoundedCache(max_size=4)
    calls: list[int] = []

    def slow() -> object:
        calls.append(1)
        time.sleep(0.05)
        return object()

    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(cache.get_or_create("k", slow))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len({id(g) for g in got}) == 1


def test_many_keys_never_grow_it_past_its_bound() -> None:
    cache: BoundedCache[int, int] = BoundedCache(max_size=16)
    for i in range(10_000):
        cache.get_or_create(i, lambda i=i: i)
    assert len(cache) == 16 and cache.keys() == list(range(10_000 - 16, 10_000))


def test_max_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        BoundedCache(max_size=0)
