"""Members and organisers signing in with a phone and a code, through the
HTTP API."""

from __future__ import annotations

from pytest_bdd import scenarios

from tests.bdd.drivers import THROUGH_THE_API

pytestmark = THROUGH_THE_API

scenarios("登录.feature")
