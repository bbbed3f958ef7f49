"""Check-in at the door and the organiser's confirmation, through the HTTP
API."""

from __future__ import annotations

from pytest_bdd import scenarios

from tests.bdd.drivers import THROUGH_THE_API

pytestmark = THROUGH_THE_API

scenarios("扫码签到.feature")
