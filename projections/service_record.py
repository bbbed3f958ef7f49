"""A member's service record (志愿服务记录) for a period: the hours and the
activities of its attendances (neither revoked nor cancelled) at activities
whose local date lies in the period, read from vp_attendance with the event
log position they reflect; it keeps no read model of its own."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from projections.amounts import hours_text
from projections.figures import EARNING
from projections.sql import Reader, Sql
from projections.view import TRACKED_APPLICATION, TRACKED_POSITION

SERVICE_RECORD = Sql(
    "SELECT COUNT(*) AS activities, SUM(hours100) AS hours100 "
    "FROM {t}vp_attendance WHERE member_id = :member_id "
    f"AND local_date BETWEEN :start AND :end AND status IN {EARNING}"
)


class ServiceRecordQueries:
    """The figures a service certificate states."""

    def __init__(self, view: Reader) -> None:
        self.view = view

    def service_record(
        self, member_id: UUID, period_from: date, period_to: date
    ) -> tuple[int, str, int]:
        """The position, the hours (as text) and the number of activities of a
        member's service in a period, read in one snapshot."""
        params = {
            "member_id": str(member_id),
            "start": period_from.isoformat(),
            "end": period_to.isoformat(),
        }
        with self.view.read() as c:
            tracked = c.execute(TRACKED_POSITION, (TRACKED_APPLICATION,)).one()
            position = 0 if tracked is None else int(tracked["notification_id"])
            row = c.execute(SERVICE_RECORD, params).one()
        assert row is not None  # an aggregate without GROUP BY gives one row
        return position, hours_text(row["hours100"]), int(row["activities"] or 0)
