"""The API's routes: one router per resource, added to the application in
the order they are matched. Routes are tried one after another, so the
busiest come first (a member's points, then attendance); no route may be
reachable only because of where it stands (tests/api/test_routing.py)."""

from fastapi import FastAPI

from api.routes import (
    activities,
    audit,
    auth,
    certificates,
    checkins,
    claims,
    communities,
    districts,
    grids,
    imports,
    ledger,
    me,
    members,
    metrics,
    organisers,
    redemption,
    reports,
    rule_sets,
    stats,
    streets,
    teams,
    tokens,
    units,
)

ROUTERS = tuple(
    resource.router
    for resource in (
        members,
        activities,
        me,
        stats,
        districts,
        streets,
        communities,
        grids,
        units,
        teams,
        reports,
        rule_sets,
        claims,
        redemption,
        audit,
        tokens,
        auth,
        organisers,
        checkins,
        imports,
        ledger,
        certificates,
        metrics,
    )
)


def install(app: FastAPI) -> None:
    """Adds every resource's router to the application, in matching order.
    Each is added to the application itself: a router included in another
    is matched again at each level it is nested in, and the busiest reads
    would pay for it."""
    for router in ROUTERS:
        app.include_router(router)
