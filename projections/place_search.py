"""Finding a community by its name, its street's or its district's, among
those a token covers: how the console's place picker searches a province's
1,500 communities without walking the tree."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from projections.paging import decode_cursor, page
from projections.sql import Reader, Row, Sql

SELECT = (
    "SELECT c.*, d.name AS district FROM {t}vp_community c "
    "LEFT JOIN {t}vp_district d ON d.district_id = c.district_id "
)
ONE = Sql(SELECT + "WHERE c.community_id = ?")
MATCHING = (
    "(LOWER(c.name) LIKE ? ESCAPE '!' OR LOWER(COALESCE(c.street, '')) LIKE ? "
    "ESCAPE '!' OR LOWER(COALESCE(d.name, '')) LIKE ? ESCAPE '!')"
)
AFTER = "(c.name > ? OR (c.name = ? AND c.community_id > ?))"

_sized: dict[tuple[int, int, int, bool], Sql] = {}


def _search(districts: int, streets: int, communities: int, everywhere: bool) -> Sql:
    """The search's statement for a scope naming that many places of each
    kind (or the whole deployment)."""
    key = (districts, streets, communities, everywhere)
    found = _sized.get(key)
    if found is not None:
        return found
    where = [MATCHING, AFTER]
    if not everywhere:
        named = [
            f"c.{column} IN ({', '.join('?' * count)})"
            for column, count in (
                ("district_id", districts),
                ("street_id", streets),
                ("community_id", communities),
            )
            if count
        ]
        where.append(f"({' OR '.join(named) or 'FALSE'})")
    sql = _sized[key] = Sql(
        SELECT + "WHERE " + " AND ".join(where) + " ORDER BY c.name, c.community_id "
        "LIMIT ?"
    )
    return sql


def _pattern(q: str) -> str:
    escaped = q.lower().replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


class PlaceSearch:
    """Communities by name, with their street and district."""

    def __init__(self, view: Reader) -> None:
        self.view = view

    def community(self, community_id: str) -> dict[str, Any] | None:
        row = self.view.one(ONE, (community_id,))
        return None if row is None else community_place(row)

    def communities_matching(
        self,
        q: str,
        within: tuple[Collection[str], Collection[str], Collection[str]] | None,
        limit: int,
        cursor: str | None,
    ) -> dict[str, Any]:
        """The communities whose name, street or district holds ``q``, by
        name; ``within``: the districts, streets and communities a scope
        names (None: the whole deployment)."""
        name, community_id = decode_cursor(cursor, 2) if cursor else ("", "")
        pattern = _pattern(q)
        places = within or ((), (), ())
        districts, streets, communities = (len(p) for p in places)
        sql = _search(districts, streets, communities, within is None)
        params = (
            pattern,
            pattern,
            pattern,
            name,
            name,
            community_id,
            *(p for kind in places for p in sorted(kind)),
            limit + 1,
        )
        rows = self.view.all(sql, params)
        rows, next_cursor = page(rows, limit, ["name", "community_id"])
        return {"items": [community_place(r) for r in rows], "next_cursor": next_cursor}


def community_place(row: Row) -> dict[str, Any]:
    """A community as the picker shows it: its name, street and district."""
    return {
        "id": row["community_id"],
        "name": row["name"],
        "street": row["street"],
        "street_id": row["street_id"],
        "district": row["district"],
        "district_id": row["district_id"],
        "party_organisation": row["party_organisation"],
    }
