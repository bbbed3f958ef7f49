"""The read models as a use case that decides on them reads them."""

from __future__ import annotations

from api.system import System
from projections.queries import Queries


def caught_up(system: System) -> Queries:
    """The read models once they reflect every event recorded so far, so that
    a command never decides on figures older than the log it is recorded into.
    They are the primary's, also when a standby serves the reads. Raises
    NotCaughtUp if they do not get there in time."""
    system.catch_up_to_now()
    return system.command_queries
