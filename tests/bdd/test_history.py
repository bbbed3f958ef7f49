"""历史记录: corrections and revocations keep the earlier values; a member's
and an activity's history, and each statement item's, can be read."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("历史记录.feature")
