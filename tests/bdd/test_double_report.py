"""双报到: units report to several communities, members to exactly one."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("双报到.feature")
