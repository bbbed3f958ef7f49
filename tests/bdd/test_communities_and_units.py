"""社区与单位党组织: registering communities and units' party organisations."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("社区与单位.feature")
