"""Bearer tokens: their secrets, and the places a token's scope names."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from api.system import System


def new_secret() -> str:
    """A token's secret, shown once to whom it is issued; only its hash is
    stored."""
    return "vp_" + secrets.token_urlsafe(32)


def named_places(
    system: System,
    district_ids: Iterable[UUID],
    street_ids: Iterable[UUID],
    community_ids: Iterable[UUID],
    team_ids: Iterable[UUID],
) -> list[dict[str, Any]]:
    """The places a token's scope names, each kind in id order, with their
    names (None for one the read models do not know)."""
    named = (
        ("district", district_ids),
        ("street", street_ids),
        ("community", community_ids),
        ("team", team_ids),
    )
    return [
        {"kind": kind, "id": place, "name": system.queries.place_name(kind, str(place))}
        for kind, ids in named
        for place in sorted(ids, key=str)
    ]


def scope_places(system: System, scope: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The places an organiser's or a token's scope (its ``*_ids`` lists)
    names, with their names."""
    return named_places(
        system,
        scope["district_ids"],
        scope["street_ids"],
        scope["community_ids"],
        scope["team_ids"],
    )


def admin_token(system: System, label: str) -> str:
    """The admin token of the settings, else a new admin token issued for the
    command line."""
    configured = system.settings.admin_token
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value()
    secret = new_secret()
    system.app.issue_token(secret, "admin", "cli", label=label)
    return secret


def a_member_to_try(system: System) -> tuple[str, str] | None:
    """The name and phone of a registered member of the first community of
    the first district, for trying the phone sign-in on the demo."""
    queries = system.command_queries
    for district in queries.districts(1, None)["items"]:
        for street in queries.streets(district["id"], 1, None)["items"]:
            for community in queries.communities(street["id"], 1, None)["items"]:
                members = queries.community_members(community["id"], 50, None)
                for member in members["items"]:
                    if member.get("phone") and member.get("status") == "registered":
                        return member["name"], member["phone"]
    return None
