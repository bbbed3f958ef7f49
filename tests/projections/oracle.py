"""An independent recomputation of every figure, written from DESIGN's text.

It reads the stored events straight from the recorder, folds them into plain
dated state (``oracle_state``) and answers, for any figure date D, what DESIGN
"Rules" and "Part two" ("The organisation tree", "Time") say each figure is:

- a fact dated X holds from X inclusive; an ending dated E (``left_on``,
  ``dissolved_on``, ``ended_on``, a move's ``moved_on`` for the community left)
  holds until the day before E;
- D is 31 December of the year, or today while the year runs, or ``as_of``;
  nothing after today ever counts;
- a year not begun has nothing in it: every dated figure is zero.

It shares no code with ``projections/``: its own decimal arithmetic, points
rule, Asia/Shanghai dates and counting. Its methods answer the questions of
``projections.queries.Queries`` with the same plain data: a scope's in
``oracle_scopes``, a member's and a team's in ``oracle_members``, both counting
on ``oracle_counting``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from domain.application import VolunteerPoints
from tests.projections.oracle_counting import figure_date
from tests.projections.oracle_members import MemberFigures
from tests.projections.oracle_records import Activity
from tests.projections.oracle_scopes import ScopeFigures

__all__ = ["Activity", "Oracle", "figure_date", "stored_events"]


def stored_events(app: VolunteerPoints, page: int = 5000) -> Iterator[Any]:
    """Every event in the log, in order, read straight from the recorder."""
    start = 1
    while notifications := app.recorder.select_notifications(start=start, limit=page):
        yield from (app.mapper.to_domain_event(n) for n in notifications)
        start = notifications[-1].id + 1


class Oracle(ScopeFigures, MemberFigures):
    """What every figure must be, given the events."""
