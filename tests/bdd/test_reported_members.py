"""The double-reported members' own figures (党员双报到): their participations
and average annual points, wherever they served, following their reports."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("双报到党员的数字.feature")
