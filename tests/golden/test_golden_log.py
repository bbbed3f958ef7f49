"""Events are forever (DESIGN, evolution and audit): each golden log, written
by the release it names, replays in this one to the figures it was written
with; together they hold every kind of event the domain records; and an event
given a new field, with an upcaster, still replays them."""

from __future__ import annotations

import gzip
import importlib
import inspect
import json
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.utils import get_topic

import domain
from domain.member import Member
from tests.golden.replay import RELEASES, figures_file, log_file, replayed

BASES = ("Created", "Event")


def domain_event_topics() -> set[str]:
    """Every event class an aggregate of the domain records."""
    found = set()
    for info in pkgutil.iter_modules(domain.__path__):
        module = importlib.import_module(f"domain.{info.name}")
        for value in vars(module).values():
            if not (inspect.isclass(value) and issubclass(value, Aggregate)):
                continue
            if value.__module__ != module.__name__:
                continue
            for name, event in vars(value).items():
                if (
                    inspect.isclass(event)
                    and issubclass(event, DomainEvent)
                    and name not in BASES
                ):
                    found.add(get_topic(event))
    return found


def golden_topics(release: str) -> set[str]:
    with gzip.open(log_file(release), "rt", encoding="utf-8") as lines:
        return {json.loads(line)["topic"] for line in lines if '"topic"' in line}


@pytest.mark.parametrize("release", RELEASES)
def test_a_golden_log_replays_to_the_figures_it_was_written_with(
    release: str, tmp_path: Path
) -> None:
    expected = json.loads(figures_file(release).read_text(encoding="utf-8"))
    app, figures = replayed(release, tmp_path)
    try:
        assert figures | {"today": expected["today"]} == expected
    finally:
        app.close()


def test_the_golden_logs_hold_every_kind_of_event() -> None:
    held = set().union(*(golden_topics(r) for r in RELEASES))
    assert domain_event_topics() - held == set()


def test_an_event_given_a_new_field_by_an_upcaster_replays_the_golden_logs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """As a release adding a member's nickname would: the next class version
    and an upcaster that gives old events the field's default."""
    version = Member.Registered.class_version

    def upcast(state: dict[str, Any]) -> None:
        state["nickname"] = None

    monkeypatch.setattr(Member.Registered, "class_version", version + 1)
    monkeypatch.setattr(
        Member.Registered,
        f"upcast_v{version}_v{version + 1}",
        staticmethod(upcast),
        raising=False,
    )
    for release in RELEASES:
        expected = json.loads(figures_file(release).read_text(encoding="utf-8"))
        app, figures = replayed(release, tmp_path)
        try:
            assert figures | {"today": expected["today"]} == expected
            registered = app.recorder.select_notifications(
                1, 1000, topics=[get_topic(Member.Registered)]
            )
            events = [app.mapper.to_domain_event(n) for n in registered]
            assert events
            assert all(e.nickname is None for e in events)  # type: ignore[attr-defined]
        finally:
            app.close()
