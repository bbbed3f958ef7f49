"""更正与撤销: one attendance per member per activity, corrections, revocations."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("更正与撤销.feature")
