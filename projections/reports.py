"""Published reports (发布的数字): one row each, with the places of the tree
its scope stands in (the district, street and community above it), so that
an organiser's list holds those within its scope; newest first."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC
from functools import lru_cache
from typing import Any

from eventsourcing.domain import DomainEvent

from domain.report import Report
from projections.batch import Batch, Handler, on
from projections.paging import decode_position, page
from projections.sql import Reader, Row, Sql, Table

TABLES = (
    Table(
        "vp_report",
        "report_id TEXT PRIMARY KEY, scope TEXT NOT NULL, scope_id TEXT, "
        "year INTEGER NOT NULL, as_of TEXT NOT NULL, figures_position BIGINT NOT NULL, "
        "published_at TEXT NOT NULL, head_digest TEXT NOT NULL, "
        "district_id TEXT, street_id TEXT, community_id TEXT, position BIGINT NOT NULL",
        {"vp_report_position": "position"},
    ),
)

INSERT_REPORT = Sql(
    "INSERT INTO {t}vp_report VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
DISTRICT_OF_STREET = Sql("SELECT district_id FROM {t}vp_street WHERE street_id = ?")
PLACES_OF_COMMUNITY = Sql(
    "SELECT street_id, district_id FROM {t}vp_community WHERE community_id = ?"
)
COMMUNITY_OF_GRID = Sql("SELECT community_id FROM {t}vp_grid WHERE grid_id = ?")
# A page: no position is this high, so the first page starts below it.
BEFORE_EVERY_POSITION = 2**62


class Reports:
    """Keeps vp_report."""

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [on(Report.Published, self.published)]

    def published(self, e: Report.Published, batch: Batch) -> None:
        scope_id = None if e.scope_id is None else str(e.scope_id)
        district, street, community = _places(batch, e.scope, scope_id)
        batch.run(
            INSERT_REPORT,
            (
                str(e.originator_id),
                e.scope,
                scope_id,
                e.year,
                e.as_of.isoformat(),
                e.position,
                e.published_at.astimezone(UTC).isoformat(),
                e.head_digest,
                district,
                street,
                community,
                batch.position,
            ),
        )


def _places(
    batch: Batch, scope: str, scope_id: str | None
) -> tuple[str | None, str | None, str | None]:
    """The district, street and community a scope stands in (itself among them)."""
    if scope_id is None or scope == "all":
        return None, None, None
    if scope == "district":
        return scope_id, None, None
    if scope == "street":
        row = batch.query(DISTRICT_OF_STREET, (scope_id,))
        return (None if row is None else row["district_id"]), scope_id, None
    community: str | None = scope_id
    if scope == "grid":
        row = batch.query(COMMUNITY_OF_GRID, (scope_id,))
        community = None if row is None else row["community_id"]
    if community is None:
        return None, None, None
    row = batch.query(PLACES_OF_COMMUNITY, (community,))
    if row is None:
        return None, None, community
    return row["district_id"], row["street_id"], community


@lru_cache(maxsize=64)
def _listing(scope: bool, scope_id: bool, year: bool, places: int | None) -> Sql:
    """The page query for the filters given; ``places`` is the number of places
    an organiser's token names (None: an admin's, every report)."""
    where = ["position < :before"]
    if scope:
        where.append("scope = :scope")
    if scope_id:
        where.append("scope_id = :scope_id")
    if year:
        where.append("year = :year")
    if places is not None:
        named = ", ".join(f":place{i}" for i in range(places)) or "NULL"
        where.append(
            f"(district_id IN ({named}) OR street_id IN ({named}) "
            f"OR community_id IN ({named}))"
        )
    return Sql(
        "SELECT * FROM {t}vp_report WHERE "
        + " AND ".join(where)
        + " ORDER BY position DESC LIMIT :limit"
    )


class ReportQueries:
    """The published reports, newest first, optionally of one scope, place or
    year, and only those within an organiser's places."""

    def __init__(self, view: Reader) -> None:
        self.view = view

    def reports(
        self,
        scope: str | None,
        scope_id: str | None,
        year: int | None,
        places: Collection[str] | None,
        limit: int,
        cursor: str | None,
    ) -> dict[str, Any]:
        """``places``: the district, street and community ids an organiser's
        token names; None for every report (an admin's)."""
        before = decode_position(cursor) if cursor else BEFORE_EVERY_POSITION
        named = None if places is None else sorted(places)
        sql = _listing(
            scope is not None,
            scope_id is not None,
            year is not None,
            None if named is None else len(named),
        )
        params: dict[str, object] = {"before": before, "limit": limit + 1}
        if scope is not None:
            params["scope"] = scope
        if scope_id is not None:
            params["scope_id"] = scope_id
        if year is not None:
            params["year"] = year
        for i, place in enumerate(named or ()):
            params[f"place{i}"] = place
        rows, next_cursor = page(self.view.all(sql, params), limit, ["position"])
        return {"items": [_report(r) for r in rows], "next_cursor": next_cursor}


def _report(row: Row) -> dict[str, Any]:
    return {
        "id": row["report_id"],
        "scope": row["scope"],
        "scope_id": row["scope_id"],
        "year": int(row["year"]),
        "as_of": row["as_of"],
        "position": int(row["figures_position"]),
        "published_at": row["published_at"],
        "head_digest": row["head_digest"],
    }
