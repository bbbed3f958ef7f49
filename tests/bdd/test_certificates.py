"""Service certificates (志愿服务证明), told through the HTTP API: issued for a
period, unchanged by later corrections, verified by anyone with the name
masked."""

from __future__ import annotations

from pytest_bdd import scenarios

from tests.bdd.drivers import THROUGH_THE_API

pytestmark = THROUGH_THE_API

scenarios("志愿服务证明.feature")
