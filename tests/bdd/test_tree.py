"""组织架构: district → street → community → grid, each with the figures of
the Rules."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("组织架构.feature")
