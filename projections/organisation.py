"""The organisation: the tree (districts 区/县, streets 街道, communities 社区,
grids 网格), units (单位党组织) and where units double-report (双报到), each
report with the dates it was in effect."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import DomainEvent

from domain.community import Community, Unit
from domain.tree import District, Grid, Street
from projections.batch import Batch, Handler, on
from projections.paging import decode_cursor, page
from projections.sealing import Sealer
from projections.sql import Reader, Row, Sql, Table

TABLES = (
    Table("vp_district", "district_id TEXT PRIMARY KEY, name TEXT NOT NULL"),
    Table(
        "vp_street",
        "street_id TEXT PRIMARY KEY, name TEXT NOT NULL, district_id TEXT NOT NULL",
        {"vp_street_district": "district_id"},
    ),
    Table(
        "vp_community",
        "community_id TEXT PRIMARY KEY, name TEXT NOT NULL, street TEXT, "
        "street_id TEXT, district_id TEXT, party_organisation TEXT",
        {
            "vp_community_street": "street_id",
            "vp_community_district": "district_id",
        },
    ),
    Table(
        "vp_grid",
        "grid_id TEXT PRIMARY KEY, name TEXT NOT NULL, community_id TEXT NOT NULL, "
        "party_organisation INTEGER NOT NULL",
        {"vp_grid_community": "community_id"},
    ),
    Table("vp_unit", "unit_id TEXT PRIMARY KEY, name TEXT NOT NULL"),
    Table(
        "vp_unit_report",
        "unit_id TEXT NOT NULL, version INTEGER NOT NULL, community_id TEXT NOT NULL, "
        "reported_on TEXT NOT NULL, ended_on TEXT, PRIMARY KEY (unit_id, version)",
        {"vp_unit_report_community": "community_id, reported_on"},
    ),
)


def _insert(table: str, columns: int) -> Sql:
    return Sql(f"INSERT INTO {{t}}{table} VALUES ({', '.join('?' * columns)})")


INSERT_DISTRICT = _insert("vp_district", 2)
INSERT_STREET = _insert("vp_street", 3)
INSERT_COMMUNITY = _insert("vp_community", 6)
INSERT_GRID = _insert("vp_grid", 4)
INSERT_UNIT = _insert("vp_unit", 2)
INSERT_UNIT_REPORT = _insert("vp_unit_report", 5)
DISTRICT_OF_STREET = Sql("SELECT district_id FROM {t}vp_street WHERE street_id = ?")
END_UNIT_REPORT = Sql(
    "UPDATE {t}vp_unit_report SET ended_on = ? "
    "WHERE unit_id = ? AND community_id = ? AND ended_on IS NULL"
)
UNITS_REPORTED_TO = Sql(
    "SELECT r.unit_id, u.name, r.reported_on FROM {t}vp_unit_report r "
    "JOIN {t}vp_unit u ON u.unit_id = r.unit_id "
    "WHERE r.community_id = ? AND r.ended_on IS NULL "
    "ORDER BY r.reported_on, r.unit_id"
)
MEMBERS_REPORTED_TO = Sql(
    "SELECT member_id, name, reported_on FROM {t}vp_member "
    "WHERE reported_to = ? ORDER BY reported_on, member_id"
)
UNIT_REPORTS = Sql(
    "SELECT community_id, reported_on FROM {t}vp_unit_report "
    "WHERE unit_id = ? AND ended_on IS NULL ORDER BY reported_on, community_id"
)
UNIT_MEMBERS_REPORTED = Sql(
    "SELECT member_id, name, reported_to, reported_on FROM {t}vp_member "
    "WHERE unit_id = ? AND reported_to IS NOT NULL ORDER BY member_id"
)


def _listing(table: str, key: str, parent: str | None) -> Sql:
    where = f"{parent} = ? AND " if parent else ""
    return Sql(
        f"SELECT * FROM {{t}}{table} WHERE {where}{key} > ? ORDER BY {key} LIMIT ?"
    )


PLACE_NAMES = {
    kind: Sql(f"SELECT name FROM {{t}}vp_{kind} WHERE {kind}_id = ?")
    for kind in ("district", "street", "community", "grid", "team")
}
DISTRICTS = _listing("vp_district", "district_id", None)
STREETS = _listing("vp_street", "street_id", "district_id")
COMMUNITIES = _listing("vp_community", "community_id", "street_id")
GRIDS = _listing("vp_grid", "grid_id", "community_id")
UNITS = _listing("vp_unit", "unit_id", None)
UNIT_NAME = Sql("SELECT name FROM {t}vp_unit WHERE unit_id = ?")


class Organisation:
    """Keeps the tree's tables, vp_unit and vp_unit_report."""

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(District.Registered, self.district_registered),
            on(Street.Registered, self.street_registered),
            on(Community.Registered, self.community_registered),
            on(Grid.Registered, self.grid_registered),
            on(Unit.Registered, self.unit_registered),
            on(Unit.DoubleReported, self.unit_double_reported),
            on(Unit.DoubleReportEnded, self.unit_double_report_ended),
        ]

    def district_registered(self, e: District.Registered, batch: Batch) -> None:
        batch.run(INSERT_DISTRICT, (str(e.originator_id), e.name))

    def street_registered(self, e: Street.Registered, batch: Batch) -> None:
        batch.run(INSERT_STREET, (str(e.originator_id), e.name, str(e.district_id)))

    def community_registered(self, e: Community.Registered, batch: Batch) -> None:
        street_id = district_id = None
        if e.street_id is not None:
            street_id = str(e.street_id)
            row = batch.query(DISTRICT_OF_STREET, (street_id,))
            district_id = None if row is None else row["district_id"]
        batch.run(
            INSERT_COMMUNITY,
            (
                str(e.originator_id),
                e.name,
                e.street,
                street_id,
                district_id,
                e.party_organisation,
            ),
        )

    def grid_registered(self, e: Grid.Registered, batch: Batch) -> None:
        batch.run(
            INSERT_GRID,
            (
                str(e.originator_id),
                e.name,
                str(e.community_id),
                int(e.party_organisation),
            ),
        )

    def unit_registered(self, e: Unit.Registered, batch: Batch) -> None:
        batch.run(INSERT_UNIT, (str(e.originator_id), e.name))

    def unit_double_reported(self, e: Unit.DoubleReported, batch: Batch) -> None:
        batch.run(
            INSERT_UNIT_REPORT,
            (
                str(e.originator_id),
                e.originator_version,
                str(e.community_id),
                e.reported_on.isoformat(),
                None,
            ),
        )

    def unit_double_report_ended(self, e: Unit.DoubleReportEnded, batch: Batch) -> None:
        batch.run(
            END_UNIT_REPORT,
            (e.ended_on.isoformat(), str(e.originator_id), str(e.community_id)),
        )


class OrganisationQueries:
    """The tree's lists, the units, who double-reports to a community now, and
    where a unit and its members do."""

    def __init__(self, view: Reader, sealer: Sealer) -> None:
        self.view = view
        self.sealer = sealer

    def districts(self, limit: int, cursor: str | None) -> dict[str, Any]:
        return self._list(DISTRICTS, (), "district_id", limit, cursor)

    def streets(
        self, district_id: str, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        return self._list(STREETS, (district_id,), "street_id", limit, cursor)

    def communities(
        self, street_id: str, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        return self._list(COMMUNITIES, (street_id,), "community_id", limit, cursor)

    def grids(
        self, community_id: str, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        return self._list(GRIDS, (community_id,), "grid_id", limit, cursor)

    def units(self, limit: int, cursor: str | None) -> dict[str, Any]:
        return self._list(UNITS, (), "unit_id", limit, cursor)

    def _list(
        self,
        sql: Sql,
        parent: tuple[str, ...],
        key: str,
        limit: int,
        cursor: str | None,
    ) -> dict[str, Any]:
        after = decode_cursor(cursor, 1)[0] if cursor else ""
        rows = self.view.all(sql, (*parent, after, limit + 1))
        rows, next_cursor = page(rows, limit, [key])
        return {"items": [_place(r, key) for r in rows], "next_cursor": next_cursor}

    def place_name(self, kind: str, place_id: str) -> str | None:
        """The name of a district, street, community, grid or team, None if
        unknown."""
        row = self.view.one(PLACE_NAMES[kind], (place_id,))
        return None if row is None else str(row["name"])

    def community_double_reports(self, community_id: str) -> dict[str, Any]:
        units = self.view.all(UNITS_REPORTED_TO, (community_id,))
        members = self.view.all(MEMBERS_REPORTED_TO, (community_id,))
        return {
            "community_id": community_id,
            "units": [
                {
                    "unit_id": r["unit_id"],
                    "name": r["name"],
                    "reported_on": r["reported_on"],
                }
                for r in units
            ],
            "members": [
                {
                    "member_id": r["member_id"],
                    "name": self.sealer.open(r["name"]),
                    "reported_on": r["reported_on"],
                }
                for r in members
            ],
        }

    def unit_double_reports(self, unit_id: str) -> dict[str, Any]:
        communities = self.view.all(UNIT_REPORTS, (unit_id,))
        members = self.view.all(UNIT_MEMBERS_REPORTED, (unit_id,))
        named = self.view.one(UNIT_NAME, (unit_id,))
        return {
            "unit_id": unit_id,
            "name": None if named is None else named["name"],
            "communities": [
                {"community_id": r["community_id"], "reported_on": r["reported_on"]}
                for r in communities
            ],
            "members": [
                {
                    "member_id": r["member_id"],
                    "name": self.sealer.open(r["name"]),
                    "community_id": r["reported_to"],
                    "reported_on": r["reported_on"],
                }
                for r in members
            ],
        }


def _place(row: Row, key: str) -> dict[str, Any]:
    """A district, street, community, grid or unit as a list shows it."""
    place: dict[str, Any] = {"id": row[key], "name": row["name"]}
    if key == "street_id":
        place["district_id"] = row["district_id"]
    elif key == "community_id":
        place |= {
            "street": row["street"],
            "street_id": row["street_id"],
            "district_id": row["district_id"],
            "party_organisation": row["party_organisation"],
        }
    elif key == "grid_id":
        place |= {
            "community_id": row["community_id"],
            "party_organisation": bool(row["party_organisation"]),
        }
    return place
