"""The application lists its busiest routes first, since routes are matched one
after another: so no route may be reachable only because of where it is listed,
or hidden behind one listed earlier."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from api.main import create_app
from api.settings import Settings

SAMPLE = "00000000-0000-4000-8000-000000000001"


def routes_in_order(routes: list[Any]) -> Iterator[Any]:
    """Every route as the application matches them: the routers it includes
    opened up, in order."""
    for route in routes:
        included = getattr(route, "effective_route_contexts", None)
        if included is None:
            yield route
        else:
            yield from included()


def test_each_route_is_the_first_to_match_its_own_paths() -> None:
    app = create_app(Settings(database_url="memory://"))
    routes = [r for r in routes_in_order(app.routes) if getattr(r, "methods", None)]
    assert len(routes) > 80
    for route in routes:
        path = re.sub(r"\{[^}]+\}", SAMPLE, route.path_format)
        for method in route.methods:
            first = next(
                other
                for other in routes
                if method in other.methods and other.path_regex.match(path)
            )
            assert first is route, (
                f"{method} {path}: {first.path_format} answers "
                f"before {route.path_format}"
            )
