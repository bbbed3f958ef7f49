"""Figures recomputed from the event log alone: the events up to a position
replayed into fresh, private read models, never the running ones."""

from __future__ import annotations

import gc
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial
from typing import Any

from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from domain.application import VolunteerPoints
from domain.rules import RuleVersion
from projections.decoding import Decoder
from projections.figures import FigureQueries
from projections.projection import Projection
from projections.sealing import Sealer
from projections.view import View

PAGE_SIZE = 5000
# A what-if's replay holds a district's log in one page or a few: a member's
# year is read back from the tables once a page.
DRAFT_PAGE_SIZE = 50_000

_held_off = 0
_held_off_lock = threading.Lock()
_was_enabled = False


@contextmanager
def collector_held_off() -> Iterator[None]:
    """The cyclic garbage collector held off while a replay runs (and while
    any other replay in the process does). A page of a replay holds
    hundreds of thousands of rows, tuples and dictionaries at once, which
    collections would walk again and again (measured: a third of a
    what-if's time); they hold no reference cycles, and what cycles other
    work makes meanwhile are collected once the last replay ends."""
    global _held_off, _was_enabled
    with _held_off_lock:
        if _held_off == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _held_off += 1
    try:
        yield
    finally:
        with _held_off_lock:
            _held_off -= 1
            if _held_off == 0 and _was_enabled:
                gc.enable()


def replayed_view(
    app: VolunteerPoints, position: int, draft: RuleVersion | None = None
) -> View:
    """Private read models in memory holding the events up to ``position``;
    given a draft rule set, those of the figures alone, rated as if the draft
    were in effect (see what_if.py)."""
    name = f"file:vpoints-replay-{uuid.uuid4().hex}?mode=memory&cache=shared"
    recorder = SQLiteTrackingRecorder(SQLiteDatastore(name))
    recorder.create_table()
    view = View(recorder)
    view.create_tables()
    sealer = Sealer(app.mapper.cipher)
    projection = Projection(sealer, draft, figures_only=draft is not None)
    start = 0
    size = PAGE_SIZE if draft is None else DRAFT_PAGE_SIZE
    decode = Decoder(app.mapper)
    with collector_held_off():
        while start < position:
            notifications = app.recorder.select_notifications(
                start=start,
                limit=min(size, position - start),
                stop=position,
                inclusive_of_start=False,
            )
            if not notifications:
                break
            events = [(n.id, decode(n)) for n in notifications]
            last = notifications[-1].id
            view.write(partial(projection.process, events), start, last)
            start = last
    return view


def replayed_stats(
    app: VolunteerPoints,
    position: int,
    scope: str,
    scope_id: str | None,
    year: int,
    on: date,
) -> dict[str, Any]:
    """A scope's figures as the log up to ``position`` gives them."""
    view = replayed_view(app, position)
    try:
        sealer = Sealer(app.mapper.cipher)
        return FigureQueries(view, sealer).stats(scope, scope_id, year, on)
    finally:
        view.recorder.datastore.close()
