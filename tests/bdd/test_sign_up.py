"""活动报名: signing up and withdrawing before the start, within capacity."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("活动报名.feature")
