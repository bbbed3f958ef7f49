"""The aggregate cache, bounded by memory as well as by count
(``AGGREGATE_CACHE_MB`` beside the library's ``AGGREGATE_CACHE_MAXSIZE``)."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import Application, LRUCache

AGGREGATE_BYTES = 2_000
ENTRY_BYTES = 450
CACHE_MB = "AGGREGATE_CACHE_MB"


def approximate_bytes(aggregate: object) -> int:
    """What an aggregate holds in memory, roughly: a fixed part and each entry
    of its containers (an activity's attendances, a team's members), about
    450 bytes each as measured with tracemalloc."""
    entries = sum(
        len(value)
        for value in vars(aggregate).values()
        if isinstance(value, dict | set | list)
    )
    return AGGREGATE_BYTES + ENTRY_BYTES * entries


class BudgetedCache(LRUCache[Any, Any]):
    """The library's LRU cache of aggregates, bounded by their approximate
    size as well as by their number: a few long activities cannot hold a
    process's memory, and what is evicted is loaded again when next used."""

    def __init__(self, maxsize: int, budget_bytes: int) -> None:
        super().__init__(maxsize)
        self.budget = budget_bytes
        self.sizes: dict[Any, int] = {}
        self.total = 0

    def put(self, key: Any, value: Any) -> Any:
        size = approximate_bytes(value) if value is not None else 0
        evicted = super().put(key, value)
        evicted_key = evicted[0] if evicted else None
        with self.lock:
            self.total += size - self.sizes.pop(key, 0)
            self.sizes[key] = size
            if evicted_key is not None and evicted_key != key:
                self.total -= self.sizes.pop(evicted_key, 0)
        while self.total > self.budget:
            with self.lock:
                oldest = self.root[self.NEXT][self.KEY]
            if oldest is None or oldest == key:
                break
            self.forget(oldest)
        return evicted_key, None

    def get(self, key: Any, *, evict: bool = False) -> Any:
        found = super().get(key, evict=evict)
        if evict:
            with self.lock:
                self.total -= self.sizes.pop(key, 0)
        return found

    def forget(self, key: Any) -> None:
        try:
            self.get(key, evict=True)
        except KeyError:
            with self.lock:
                self.total -= self.sizes.pop(key, 0)


def bound_by_memory(app: Application[Any]) -> None:
    """Gives the application's repository a cache bounded by the megabytes its
    ``AGGREGATE_CACHE_MB`` says, if it says so and the repository caches."""
    budget = app.env.get(CACHE_MB)
    cache = app.repository.cache
    if budget and isinstance(cache, LRUCache):
        app.repository.cache = BudgetedCache(cache.maxsize, int(budget) * 1024 * 1024)
