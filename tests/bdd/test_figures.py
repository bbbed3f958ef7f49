"""The published figures: 人次, annual points, 人均年积分, revocations and
cancellations, double-report counts, told to the application and read through
the queries once the projector has caught up."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios(
    "人次与年度积分.feature",
    "人均年积分.feature",
    "撤销与取消的积分.feature",
    "双报到统计.feature",
)
