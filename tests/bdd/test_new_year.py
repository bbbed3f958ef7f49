"""跨年积分: an activity counts to the year of its local date in Shanghai."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("跨年积分.feature")
