"""The projection: every read model kept by one projection, so that a page of
events is one transaction with one tracking position."""

from __future__ import annotations

from collections.abc import Iterable

from projections.activities import Activities, KnownActivities
from projections.members import Members
from projections.organisation import Organisation
from projections.page import Handler, Page
from projections.points import Points
from projections.sealing import Sealer
from projections.sql import Cursor
from projections.teams import Teams


class Projection:
    """Dispatches each event, on its class, to the handlers of the read models
    that consume it, in the order of the read models."""

    def __init__(self, sealer: Sealer | None = None) -> None:
        known = KnownActivities()
        models = (
            Organisation(),
            Members(sealer or Sealer()),
            Activities(known),
            Points(known),
            Teams(known),
        )
        handlers: dict[type[object], list[Handler]] = {}
        for model in models:
            for event_class, handler in model.handlers():
                handlers.setdefault(event_class, []).append(handler)
        self.handlers = {cls: tuple(found) for cls, found in handlers.items()}

    def process(self, events: Iterable[object], c: Cursor) -> None:
        """Folds a page of events into the read models' tables."""
        page = Page(c)
        handlers = self.handlers
        for event in events:
            for handle in handlers.get(type(event), ()):
                handle(event, page)
        page.flush()
