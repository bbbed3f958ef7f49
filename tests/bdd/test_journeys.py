"""The organiser's day and the member's points, told through the HTTP API."""

from __future__ import annotations

from pytest_bdd import scenarios

from tests.bdd.drivers import THROUGH_THE_API

pytestmark = THROUGH_THE_API

scenarios("组织者的一天.feature", "志愿者查积分.feature")
