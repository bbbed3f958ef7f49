"""积分规则: rule sets, caps in their order, re-rating, and what-if."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("积分规则.feature")
