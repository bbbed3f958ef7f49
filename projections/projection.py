"""The projection: every read model kept by one projection, so that a page of
events is one transaction with one tracking position."""

from __future__ import annotations

from collections.abc import Iterable

from domain.rules import RuleVersion
from projections.activities import Activities, KnownActivities
from projections.batch import Batch, Handler
from projections.claims import Claims
from projections.history import History
from projections.members import Members
from projections.organisation import Organisation
from projections.organisers import Organisers
from projections.phones import Phones
from projections.points import Points
from projections.rating import Rater
from projections.rating_later import PageEndRater
from projections.redemption import Redemptions
from projections.reports import Reports
from projections.rules import KnownRules, RuleSets
from projections.scope_days import ScopeDays
from projections.sealing import Sealer
from projections.signups import Signups
from projections.sql import Cursor
from projections.stalls import EventNotApplied, is_database_problem
from projections.teams import Teams
from projections.tokens import Tokens


class Projection:
    """Dispatches each event, on its class, to the handlers of the read models
    that consume it, in the order of the read models."""

    def __init__(
        self,
        sealer: Sealer | None = None,
        draft: RuleVersion | None = None,
        *,
        figures_only: bool = False,
    ) -> None:
        """All the read models, or (``figures_only``) those the figures are
        read from, for private read models that answer only them."""
        known = KnownActivities()
        sealer = sealer or Sealer()
        scope_days = ScopeDays(known)
        rules = KnownRules(draft)
        rater = (PageEndRater if figures_only else Rater)(rules, sealer)
        points = Points(known, scope_days, rater)
        figures = (
            scope_days,
            Organisation(),
            Members(sealer),
            Activities(known),
            RuleSets(rules),
            points,
            Teams(),
        )
        others = (
            History(sealer),
            Phones(sealer),
            Claims(),
            Redemptions(),
            Reports(),
            Signups(),
            Organisers(sealer),
            Tokens(),
        )
        models = figures if figures_only else (*figures, *others)
        handlers: dict[type[object], list[Handler]] = {}
        for model in models:
            for event_class, handler in model.handlers():
                handlers.setdefault(event_class, []).append(handler)
        self.handlers = {cls: tuple(found) for cls, found in handlers.items()}
        self.finish = points.finish

    def process(self, events: Iterable[tuple[int, object]], c: Cursor) -> None:
        """Folds a page of events, each with its position, into the read
        models' tables. Raises EventNotApplied, naming the event, when a
        handler fails for any reason but the database."""
        batch = Batch(c)
        handlers = self.handlers
        try:
            with c.pipelined():
                for position, event in events:
                    found = handlers.get(type(event))
                    if found:
                        batch.position = position
                        for handle in found:
                            handle(event, batch)
                self.finish(batch)
        except Exception as error:
            if is_database_problem(error):
                raise
            raise EventNotApplied(batch.position, error) from error
        batch.flush()
