"""活动与积分: points rules, when attendance may be recorded, hours, rounding."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("活动与积分.feature")
