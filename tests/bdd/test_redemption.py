"""积分兑换: rewards exchanged for points, the oldest unexpired first; a
cancellation gives points and stock back once."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("积分兑换.feature")
