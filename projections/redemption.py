"""Redemption (积分兑换): each community's rewards with their stock, each
redemption with the years its points came from; a member's points account,
reckoned from the points earned each year (the points model's member years)
and spent from each year, with every movement and its position."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.domain import DomainEvent

from domain.accounting import Balance
from domain.member import Member
from domain.redemption import CANCELLED, MADE, Redemption, Reward
from projections.amounts import Stored, points_text, tenths
from projections.attendance_rows import EARNING_SQL, RECORDING
from projections.batch import Batch, Handler, on
from projections.paging import decode_cursor, page
from projections.sql import Reader, Sql, Table

TABLES = (
    Table(
        "vp_reward",
        "reward_id TEXT PRIMARY KEY, community_id TEXT NOT NULL, name TEXT NOT NULL, "
        "points10 BIGINT NOT NULL, stock BIGINT NOT NULL",
        {"vp_reward_community": "community_id, reward_id"},
    ),
    Table(
        "vp_redemption",
        "redemption_id TEXT PRIMARY KEY, member_id TEXT NOT NULL, "
        "reward_id TEXT NOT NULL, community_id TEXT NOT NULL, "
        "quantity BIGINT NOT NULL, points10 BIGINT NOT NULL, allocation TEXT NOT NULL, "
        "made_on TEXT NOT NULL, position BIGINT NOT NULL, status TEXT NOT NULL, "
        "cancelled_on TEXT, cancelled_at BIGINT, reason TEXT",
        {
            "vp_redemption_member": "member_id, position",
            "vp_redemption_community": "community_id, position",
            "vp_redemption_status": "community_id, status, position",
        },
    ),
)

INSERT_REWARD = Sql("INSERT INTO {t}vp_reward VALUES (:id, :community, :name, :p, :s)")
ADD_STOCK = Sql(
    "UPDATE {t}vp_reward SET stock = stock + :quantity WHERE reward_id = :id"
)
INSERT_REDEMPTION = Sql(
    "INSERT INTO {t}vp_redemption VALUES (:id, :member, :reward, :community, "
    f":quantity, :points10, :allocation, :made_on, :position, '{MADE}', "
    "NULL, NULL, NULL)"
)
CANCEL_REDEMPTION = Sql(
    f"UPDATE {{t}}vp_redemption SET status = '{CANCELLED}', "
    "cancelled_on = :on, cancelled_at = :position, reason = :reason "
    "WHERE redemption_id = :id"
)
MOVE_REDEMPTIONS = Sql(
    "UPDATE {t}vp_redemption SET member_id = :survivor WHERE member_id = :duplicate"
)
COMMUNITY_REWARDS = Sql(
    "SELECT * FROM {t}vp_reward WHERE community_id = :community "
    "AND reward_id > :after ORDER BY reward_id LIMIT :limit"
)
EARNED_BY_YEAR = Sql(
    "SELECT year, points10 FROM {t}vp_member_year WHERE member_id = :member"
)
MEMBER_REDEMPTIONS = Sql(
    "SELECT * FROM {t}vp_redemption WHERE member_id = :member ORDER BY position"
)
ATTENDANCE_CHANGES = Sql(
    "SELECT c.position, c.type, c.points, c.previous_points, c.reason, "
    "a.local_date FROM {t}vp_attendance_change c JOIN {t}vp_attendance a "
    "ON a.activity_id = c.activity_id AND a.member_id = c.member_id "
    "WHERE c.member_id = :member UNION ALL "
    "SELECT position, '" + RECORDING + "', recorded_points, NULL, NULL, local_date "
    "FROM {t}vp_attendance WHERE member_id = :member AND status IN "
    + EARNING_SQL
    + " ORDER BY position"
)
EARNED_BY_TYPE = {
    "AttendanceRecorded": "earned",
    "AttendanceCorrected": "corrected",
    "AttendanceRerated": "rerated",
    "AttendanceRevoked": "revoked",
    "Cancelled": "revoked",
}


class Redemptions:
    """Keeps vp_reward and vp_redemption."""

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(Reward.Offered, self.reward_offered),
            on(Reward.Restocked, self.reward_restocked),
            on(Reward.Taken, self.reward_taken),
            on(Reward.Returned, self.reward_returned),
            on(Redemption.Made, self.redemption_made),
            on(Redemption.Cancelled, self.redemption_cancelled),
            on(Member.Merged, self.member_merged),
        ]

    def reward_offered(self, e: Reward.Offered, batch: Batch) -> None:
        batch.run(
            INSERT_REWARD,
            {
                "id": str(e.originator_id),
                "community": str(e.community_id),
                "name": e.name,
                "p": tenths(e.points),
                "s": e.stock,
            },
        )

    def reward_restocked(self, e: Reward.Restocked, batch: Batch) -> None:
        self._stock(batch, e.originator_id, e.quantity)

    def reward_taken(self, e: Reward.Taken, batch: Batch) -> None:
        self._stock(batch, e.originator_id, -e.quantity)

    def reward_returned(self, e: Reward.Returned, batch: Batch) -> None:
        self._stock(batch, e.originator_id, e.quantity)

    def _stock(self, batch: Batch, reward_id: object, quantity: int) -> None:
        batch.run(ADD_STOCK, {"quantity": quantity, "id": str(reward_id)})

    def redemption_made(self, e: Redemption.Made, batch: Batch) -> None:
        allocation = {year: str(points) for year, points in e.allocation.items()}
        batch.run(
            INSERT_REDEMPTION,
            {
                "id": str(e.originator_id),
                "member": str(e.member_id),
                "reward": str(e.reward_id),
                "community": str(e.community_id),
                "quantity": e.quantity,
                "points10": tenths(e.points),
                "allocation": json.dumps(allocation, sort_keys=True),
                "made_on": e.made_on.isoformat(),
                "position": batch.position,
            },
        )

    def redemption_cancelled(self, e: Redemption.Cancelled, batch: Batch) -> None:
        batch.run(
            CANCEL_REDEMPTION,
            {
                "on": e.cancelled_on.isoformat(),
                "position": batch.position,
                "reason": e.reason,
                "id": str(e.originator_id),
            },
        )

    def member_merged(self, e: Member.Merged, batch: Batch) -> None:
        """A merge moves the duplicate's redemptions to the survivor's account."""
        batch.run(
            MOVE_REDEMPTIONS,
            {"survivor": str(e.survivor_id), "duplicate": str(e.originator_id)},
        )


def _points(points10: Stored) -> Decimal:
    return Decimal(int(points10 or 0)) / 10


def _entry(
    kind: str, points: Decimal, day: str, position: int | None, reason: str | None
) -> dict[str, Any]:
    return {
        "type": kind,
        "points": f"{points:.1f}",
        "date": day,
        "position": position,
        "reason": reason,
    }


class RedemptionQueries:
    """A community's rewards, a member's points earned each year, and a
    member's account."""

    def __init__(self, view: Reader) -> None:
        self.view = view

    def rewards(
        self, community_id: str, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        after = decode_cursor(cursor, 1)[0] if cursor else ""
        params = {"community": community_id, "after": after, "limit": limit + 1}
        rows, next_cursor = page(
            self.view.all(COMMUNITY_REWARDS, params), limit, ["reward_id"]
        )
        items = [
            {
                "id": r["reward_id"],
                "community_id": r["community_id"],
                "name": r["name"],
                "points": points_text(r["points10"]),
                "stock": int(r["stock"]),
            }
            for r in rows
        ]
        return {"items": items, "next_cursor": next_cursor}

    def earned_by_year(self, member_id: str) -> dict[int, Decimal]:
        """The points a member earned in each year, revocations taken back."""
        rows = self.view.all(EARNED_BY_YEAR, {"member": member_id})
        return {int(r["year"]): _points(r["points10"]) for r in rows}

    def account(self, member_id: str, today: date, valid_years: int) -> dict[str, Any]:
        """The account as of today: totals, what expires when, and every
        movement (expiries, derived from dates, have no position)."""
        params = {"member": member_id}
        with self.view.read() as c:
            years = c.execute(EARNED_BY_YEAR, params).all()
            redemptions = c.execute(MEMBER_REDEMPTIONS, params).all()
            changes = c.execute(ATTENDANCE_CHANGES, params).all()
        earned = {int(r["year"]): _points(r["points10"]) for r in years}
        spent: dict[int, Decimal] = {}
        entries: list[dict[str, Any]] = []
        for row in changes:
            points = Decimal(row["points"])
            kind = EARNED_BY_TYPE[row["type"]]
            if kind in ("corrected", "rerated"):
                points -= Decimal(row["previous_points"])
            elif kind == "revoked":
                points = -points
            entries.append(
                _entry(kind, points, row["local_date"], row["position"], row["reason"])
            )
        total_spent = total_refunded = Decimal("0.0")
        for row in redemptions:
            points = _points(row["points10"])
            total_spent += points
            entries.append(
                _entry("spent", -points, row["made_on"], row["position"], None)
            )
            if row["status"] == CANCELLED:
                total_refunded += points
                entries.append(
                    _entry(
                        "refunded",
                        points,
                        row["cancelled_on"],
                        row["cancelled_at"],
                        row["reason"],
                    )
                )
                continue
            for year, taken in json.loads(row["allocation"]).items():
                spent[int(year)] = spent.get(int(year), Decimal("0.0")) + Decimal(taken)
        balance = Balance.of(earned, spent, today, valid_years)
        for lot in balance.lots:
            if lot.expired(today) and lot.available > 0 and lot.expires_on:
                day = lot.expires_on.isoformat()
                entries.append(_entry("expired", -lot.available, day, None, None))
        entries.sort(key=lambda e: (e["date"], e["position"] is None, e["position"]))
        return {
            "member_id": member_id,
            "as_of": today.isoformat(),
            "balance": f"{balance.balance:.1f}",
            "earned": f"{sum(earned.values(), Decimal('0.0')):.1f}",
            "spent": f"{total_spent:.1f}",
            "expired": f"{balance.expired:.1f}",
            "refunded": f"{total_refunded:.1f}",
            "expiring": [
                {
                    "year": lot.year,
                    "points": f"{lot.available:.1f}",
                    "expires_on": None
                    if lot.expires_on is None
                    else lot.expires_on.isoformat(),
                }
                for lot in balance.expiring()
            ],
            "entries": entries,
        }
