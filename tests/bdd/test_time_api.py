"""The default year, ``as_of``, organisers scoped to a street or a district,
and published reports, told through the HTTP API."""

from __future__ import annotations

from pytest_bdd import scenarios

from tests.bdd.drivers import THROUGH_THE_API

pytestmark = THROUGH_THE_API

scenarios("查询的年份与日期.feature", "街道和区县的组织者.feature", "年度报告.feature")
