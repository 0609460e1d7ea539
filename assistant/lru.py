"""A small thread-safe LRU mapping, for caches whose keys come from users (a URL, a model name, a key's digest).

Such a cache grows by one entry per value typed into the page; bounded, the oldest-used entry makes room.

    cache: BoundedCache[tuple[str, ...], Backend] = BoundedCache(max_size=16)
    backend = cache.get_or_create(choice.key(), lambda: resolve_backend(...))
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """At most `max_size` entries; a get or a put marks an entry as the most recently used.

    `get_or_create` runs the factory under the cache's lock, so two threads asking for the same missing key
    build it once (the factories cached here are cheap to run but costly to run twice: clients, models).
    `on_evict(key, value)` is called for each entry pushed out (e.g. to close a client).
    """

    def __init__(self, max_size: int, on_evict: Callable[[K, V], None] | None = None) -> None:
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self.max_size = max_size
        self._on_evict = on_evict
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.RLock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._items

    def get(self, key: K, default: V | None = None) -> V | None:
        with self._lock:
            if key not in self._items:
                return default
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            evicted = self._trim()
        self._evicted(evicted)

    def get_or_create(self, key: K, factory: Callable[[], V]) -> V:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            value = factory()
            self._items[key] = value
            evicted = self._trim()
        self._evicted(evicted)
        return value

    def pop(self, key: K, default: V | None = None) -> V | None:
        with self._lock:
            return self._items.pop(key, default)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def keys(self) -> list[K]:
        """Keys from least to most recently used."""
        with self._lock:
            return list(self._items)

    def _trim(self) -> list[tuple[K, V]]:
        out = []
        while len(self._items) > self.max_size:
            out.append(self._items.popitem(last=False))
        return out

    def _evicted(self, entries: list[tuple[K, V]]) -> None:
        if self._on_evict is not None:
            for key, value in entries:
                self._on_evict(key, value)
