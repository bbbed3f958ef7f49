"""志愿时长申报: a member claims hours; an organiser approves or rejects, once."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("志愿时长申报.feature")
