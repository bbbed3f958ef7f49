"""Figures true to time: business dates on every dated fact, and every figure
of a year as of a date, told to the application and read through the queries."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios(
    "按日期统计.feature",
    "业务日期.feature",
    "按日期计人.feature",
    "志愿者的年度数字.feature",
)
