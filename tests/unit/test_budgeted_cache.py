"""The aggregate cache is bounded by the approximate size of what it holds."""

from __future__ import annotations

from types import SimpleNamespace

from infrastructure.caching import (
    AGGREGATE_BYTES,
    ENTRY_BYTES,
    BudgetedCache,
    approximate_bytes,
)


def holding(entries: int) -> SimpleNamespace:
    return SimpleNamespace(name="活动", attendances={i: i for i in range(entries)})


def test_an_aggregate_weighs_a_fixed_part_and_each_entry_of_its_containers() -> None:
    assert approximate_bytes(holding(10)) == AGGREGATE_BYTES + 10 * ENTRY_BYTES


def test_the_least_recently_used_go_first_when_the_budget_is_exceeded() -> None:
    one = approximate_bytes(holding(100))
    cache = BudgetedCache(maxsize=1000, budget_bytes=3 * one)
    for key in "abc":
        cache.put(key, holding(100))
    cache.get("a")  # a is used again: b is now the oldest
    cache.put("d", holding(100))
    assert set(cache.cache) == {"a", "c", "d"}
    assert cache.total == 3 * one


def test_an_aggregate_that_grows_is_weighed_again_when_put_back() -> None:
    cache = BudgetedCache(maxsize=1000, budget_bytes=10**9)
    cache.put("a", holding(1))
    cache.put("a", holding(50))
    assert cache.total == approximate_bytes(holding(50))
    cache.get("a", evict=True)
    assert cache.total == 0


def test_the_count_still_bounds_the_cache_and_the_sizes_follow() -> None:
    cache = BudgetedCache(maxsize=2, budget_bytes=10**9)
    for key in "abc":
        cache.put(key, holding(1))
    assert set(cache.cache) == {"b", "c"}
    assert cache.total == 2 * approximate_bytes(holding(1))
