"""志愿服务队: founding, joining, leaving and dissolving teams."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("志愿服务队.feature")
