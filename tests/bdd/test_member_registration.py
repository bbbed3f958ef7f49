"""志愿者注册: registering members with their community and optional details."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("志愿者注册.feature")
