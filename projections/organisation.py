"""The organisation: communities (社区), units (单位党组织) and where units
double-report (双报到); who double-reports to a community or from a unit."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import DomainEvent

from domain.community import Community, Unit
from projections.page import Handler, Page, on
from projections.sealing import Sealer
from projections.sql import Reader, Statement, Table

TABLES = (
    Table(
        "vp_community",
        "community_id TEXT PRIMARY KEY, name TEXT NOT NULL, street TEXT",
    ),
    Table("vp_unit", "unit_id TEXT PRIMARY KEY, name TEXT NOT NULL"),
    Table(
        "vp_unit_report",
        "unit_id TEXT NOT NULL, community_id TEXT NOT NULL, "
        "reported_on TEXT NOT NULL, PRIMARY KEY (unit_id, community_id)",
        {"vp_unit_report_community": "community_id"},
    ),
)

INSERT_COMMUNITY = Statement(
    sqlite="INSERT INTO vp_community VALUES (?, ?, ?)",
    postgres="INSERT INTO {schema}.vp_community VALUES (%s, %s, %s)",
)
INSERT_UNIT = Statement(
    sqlite="INSERT INTO vp_unit VALUES (?, ?)",
    postgres="INSERT INTO {schema}.vp_unit VALUES (%s, %s)",
)
INSERT_UNIT_REPORT = Statement(
    sqlite="INSERT INTO vp_unit_report VALUES (?, ?, ?)",
    postgres="INSERT INTO {schema}.vp_unit_report VALUES (%s, %s, %s)",
)
UNITS_REPORTED_TO = Statement(
    sqlite="SELECT r.unit_id, u.name, r.reported_on FROM vp_unit_report r "
    "JOIN vp_unit u ON u.unit_id = r.unit_id WHERE r.community_id = ? "
    "ORDER BY r.reported_on, r.unit_id",
    postgres="SELECT r.unit_id, u.name, r.reported_on FROM {schema}.vp_unit_report r "
    "JOIN {schema}.vp_unit u ON u.unit_id = r.unit_id WHERE r.community_id = %s "
    "ORDER BY r.reported_on, r.unit_id",
)
MEMBERS_REPORTED_TO = Statement(
    sqlite="SELECT member_id, name, reported_on FROM vp_member "
    "WHERE reported_to = ? ORDER BY reported_on, member_id",
    postgres="SELECT member_id, name, reported_on FROM {schema}.vp_member "
    "WHERE reported_to = %s ORDER BY reported_on, member_id",
)
UNIT_REPORTS = Statement(
    sqlite="SELECT community_id, reported_on FROM vp_unit_report "
    "WHERE unit_id = ? ORDER BY reported_on, community_id",
    postgres="SELECT community_id, reported_on FROM {schema}.vp_unit_report "
    "WHERE unit_id = %s ORDER BY reported_on, community_id",
)
UNIT_MEMBERS_REPORTED = Statement(
    sqlite="SELECT member_id, name, reported_to, reported_on FROM vp_member "
    "WHERE unit_id = ? AND reported_to IS NOT NULL ORDER BY member_id",
    postgres="SELECT member_id, name, reported_to, reported_on "
    "FROM {schema}.vp_member WHERE unit_id = %s AND reported_to IS NOT NULL "
    "ORDER BY member_id",
)


class Organisation:
    """Keeps vp_community, vp_unit and vp_unit_report."""

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(Community.Registered, self.community_registered),
            on(Unit.Registered, self.unit_registered),
            on(Unit.DoubleReported, self.unit_double_reported),
        ]

    def community_registered(self, e: Community.Registered, page: Page) -> None:
        page.run(INSERT_COMMUNITY, (str(e.originator_id), e.name, e.street))

    def unit_registered(self, e: Unit.Registered, page: Page) -> None:
        page.run(INSERT_UNIT, (str(e.originator_id), e.name))

    def unit_double_reported(self, e: Unit.DoubleReported, page: Page) -> None:
        page.run(
            INSERT_UNIT_REPORT,
            (str(e.originator_id), str(e.community_id), e.reported_on.isoformat()),
        )


class OrganisationQueries:
    """Who double-reports to a community, and where a unit and its members do."""

    def __init__(self, view: Reader, sealer: Sealer) -> None:
        self.view = view
        self.sealer = sealer

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
        return {
            "unit_id": unit_id,
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
