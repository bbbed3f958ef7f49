"""What a history item's ``details`` holds for each ``type``: the fields of
that event which concern the member or the activity whose history it is.

The details are answered as the read model keeps them; these schemas only
document them, so that a client reads each field knowingly."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler, TypeAdapter
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from api.schemas.common import HoursText, PointsText


class Details(BaseModel):
    model_config = ConfigDict(extra="forbid")


# In an activity's history.


class ScheduledDetails(Details):
    title: str
    team_id: UUID
    community_id: UUID
    category: str
    starts_at: datetime
    ends_at: datetime
    location: str | None
    capacity: int | None
    points_per_hour: PointsText | None = Field(description="活动自己的积分规则")
    fixed_points: PointsText | None = Field(description="活动自己的积分规则")


class ActivityMemberDetails(Details):
    member_id: UUID = Field(description="报名、取消报名或被撤销参加记录的志愿者")


class RecordedEntry(Details):
    member_id: UUID
    hours: HoursText
    points: PointsText


class CorrectedEntry(RecordedEntry):
    previous_hours: HoursText
    previous_points: PointsText


class AttendanceRecordedDetails(Details):
    entries: list[RecordedEntry]


class AttendanceCorrectedDetails(Details):
    entries: list[CorrectedEntry]


class ReratedEntry(Details):
    member_id: UUID
    previous_points: PointsText
    points: PointsText
    previous_rule_version: int | None = Field(description="此前计分的积分规则版本")
    rule_version: int | None = Field(description="重新计分的积分规则版本")


class AttendanceReratedDetails(Details):
    entries: list[ReratedEntry] = Field(
        description="积分规则施行，或同一志愿者同年在前的记录有变化，重新计分的参加记录"
    )


class CancelledDetails(Details):
    revoked_member_ids: list[UUID] = Field(description="参加记录随取消而撤销的志愿者")


class ClosedDetails(Details):
    pass


# In a member's history.


class RegisteredDetails(Details):
    name: str
    community_id: UUID
    party_member: bool
    unit_id: UUID | None
    grid_id: UUID | None
    grid: str | None
    phone: str | None
    registered_on: date


class DetailsChangedDetails(Details):
    changes: dict[str, Any] = Field(
        description="改后的值，键为 name、phone、grid_id、grid、party_member、unit_id"
    )
    previous: dict[str, Any] = Field(description="同样的键，改前的值")


class MovedDetails(Details):
    community_id: UUID
    previous_community_id: UUID
    moved_on: date


class DeregisteredDetails(Details):
    left_on: date


class DoubleReportedDetails(Details):
    community_id: UUID
    reported_on: date
    previous_community_id: UUID | None


class DoubleReportEndedDetails(Details):
    community_id: UUID
    ended_on: date


class MergedDetails(Details):
    survivor_id: UUID


class AbsorbedDetails(Details):
    duplicate_id: UUID
    reported_to: UUID | None = Field(description="随重复记录转来的个人报到社区")
    reported_on: date | None


class MemberSignupDetails(Details):
    activity_id: UUID


class MemberJoinedDetails(Details):
    team_id: UUID
    joined_on: date


class MemberLeftDetails(Details):
    team_id: UUID
    left_on: date


class MemberMergedDetails(Details):
    team_id: UUID
    duplicate_id: UUID
    survivor_id: UUID


class MemberAttendanceDetails(Details):
    activity_id: UUID
    hours: HoursText
    points: PointsText = Field(
        description="登记或更正后的积分；撤销、取消时为撤销掉的积分"
    )


class MemberCorrectionDetails(MemberAttendanceDetails):
    previous_hours: HoursText
    previous_points: PointsText


class MemberReratedDetails(MemberCorrectionDetails):
    previous_rule_version: int | None = Field(description="此前计分的积分规则版本")
    rule_version: int | None = Field(description="重新计分的积分规则版本")


ACTIVITY_HISTORY: dict[str, type[Details]] = {
    "Scheduled": ScheduledDetails,
    "SignedUp": ActivityMemberDetails,
    "Withdrew": ActivityMemberDetails,
    "AttendanceRecorded": AttendanceRecordedDetails,
    "AttendanceCorrected": AttendanceCorrectedDetails,
    "AttendanceRerated": AttendanceReratedDetails,
    "AttendanceRevoked": ActivityMemberDetails,
    "Cancelled": CancelledDetails,
    "Closed": ClosedDetails,
}
MEMBER_HISTORY: dict[str, type[Details]] = {
    "Registered": RegisteredDetails,
    "DetailsChanged": DetailsChangedDetails,
    "Moved": MovedDetails,
    "Deregistered": DeregisteredDetails,
    "DoubleReported": DoubleReportedDetails,
    "DoubleReportEnded": DoubleReportEndedDetails,
    "Merged": MergedDetails,
    "Absorbed": AbsorbedDetails,
    "SignedUp": MemberSignupDetails,
    "Withdrew": MemberSignupDetails,
    "MemberJoined": MemberJoinedDetails,
    "MemberLeft": MemberLeftDetails,
    "MemberMerged": MemberMergedDetails,
    "AttendanceRecorded": MemberAttendanceDetails,
    "AttendanceCorrected": MemberCorrectionDetails,
    "AttendanceRerated": MemberReratedDetails,
    "AttendanceRevoked": MemberAttendanceDetails,
    "Cancelled": MemberAttendanceDetails,
}
BY_HISTORY = {"activity": ACTIVITY_HISTORY, "member": MEMBER_HISTORY}
SCHEMAS = "#/components/schemas/"


@dataclass(frozen=True)
class DocumentedAs:
    """Documents a field as ``documented`` in the JSON schema, while the field
    is still validated and answered as its own type."""

    documented: Any

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return handler(TypeAdapter(self.documented).core_schema)


def _described() -> str:
    def listed(history: dict[str, type[Details]]) -> str:
        return "；".join(f"{t} → {d.__name__}" for t, d in history.items())

    return (
        "事件中与这段历史相关的字段，随 type 而定（x-details-by-type 列出每个 type "
        f"的 schema）。活动的历史：{listed(ACTIVITY_HISTORY)}。"
        f"志愿者的历史：{listed(MEMBER_HISTORY)}。"
    )


_ALL = tuple(dict.fromkeys([*ACTIVITY_HISTORY.values(), *MEMBER_HISTORY.values()]))

HistoryDetails = Annotated[
    dict[str, Any],
    DocumentedAs(reduce(operator.or_, _ALL)),
    Field(
        description=_described(),
        json_schema_extra={
            "x-details-by-type": {
                history: {t: SCHEMAS + d.__name__ for t, d in types.items()}
                for history, types in BY_HISTORY.items()
            }
        },
    ),
]
