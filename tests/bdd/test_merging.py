"""合并重复的志愿者: a duplicate member record merged into the survivor, by
events; every figure counts the person once."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("合并重复的志愿者.feature")
