"""取消活动: a cancelled activity awards nothing and revokes what it had."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("取消活动.feature")
