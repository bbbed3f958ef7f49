"""Points rules (积分管理办法): a district's, or the deployment's, rule sets.

A rule set is written as a draft (categories with points per hour, and caps)
and published with a version and the date it takes effect from. A rule book
per owner (a district, or the deployment) numbers its versions and knows which
is in effect on a date. How the rules rate attendances is in rating.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate
from domain.errors import AlreadyPublished, InvalidCommand, UnknownCategory
from domain.inputs import check_text
from domain.points import QUARTER, to_decimal

DRAFT, PUBLISHED = "draft", "published"
MAX_CATEGORIES = 50
DEPLOYMENT = "deployment"


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    points_per_hour: Decimal


@dataclass(frozen=True)
class Caps:
    """What an attendance counts at most, applied in this order."""

    hours_per_activity: Decimal | None = None
    points_per_member_day: Decimal | None = None
    points_per_member_year_by_category: tuple[tuple[str, Decimal], ...] = ()

    @cached_property
    def hours100(self) -> int | None:
        """The hours cap in hundredths."""
        hours = self.hours_per_activity
        return None if hours is None else int(hours * 100)

    @cached_property
    def day10(self) -> int | None:
        """The day's cap in tenths."""
        day = self.points_per_member_day
        return None if day is None else int(day * 10)

    @cached_property
    def year10(self) -> dict[str, int]:
        """The year's caps in tenths, by category."""
        return {c: int(p * 10) for c, p in self.points_per_member_year_by_category}


@dataclass(frozen=True)
class RuleVersion:
    """A published rule set as rating reads it."""

    owner: str
    version: int
    effective_from: date
    categories: tuple[Category, ...]
    caps: Caps

    def rate(self, code: str) -> Decimal | None:
        return self.rates.get(code)

    @cached_property
    def rates(self) -> dict[str, Decimal]:
        """Points per hour by category code."""
        return {c.code: c.points_per_hour for c in self.categories}


def _positive(value: object, field: str, limit: int) -> Decimal:
    number = to_decimal(value, field)
    if number <= 0 or number > limit:
        raise InvalidCommand(f"{field} 必须大于 0 且不超过 {limit}", field)
    return number


def check_categories(raw: object) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_CATEGORIES:
        raise InvalidCommand(f"categories 须有 1 到 {MAX_CATEGORIES} 类", "categories")
    categories: list[dict[str, Any]] = []
    for item in raw:
        if not isinstance(item, dict):
            raise InvalidCommand("categories 的每一项须是对象", "categories")
        code = check_text(item.get("code"), "categories.code", max_length=50)
        if any(c["code"] == code for c in categories):
            raise InvalidCommand(f"类别代码 {code} 重复", "categories")
        rate = to_decimal(item.get("points_per_hour"), "categories.points_per_hour")
        if rate < 0 or rate > 1000:
            raise InvalidCommand(
                "points_per_hour 必须在 0 到 1000 之间", "categories.points_per_hour"
            )
        name = check_text(item.get("name"), "categories.name", max_length=100)
        categories.append({"code": code, "name": name, "points_per_hour": rate})
    return categories


def check_caps(raw: object, codes: set[str]) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InvalidCommand("caps 须是对象", "caps")
    caps: dict[str, Any] = {}
    if raw.get("hours_per_activity") is not None:
        hours = _positive(raw["hours_per_activity"], "caps.hours_per_activity", 744)
        if hours % QUARTER != 0:
            raise InvalidCommand(
                "caps.hours_per_activity 须以 0.25 小时为单位",
                "caps.hours_per_activity",
            )
        caps["hours_per_activity"] = hours
    if raw.get("points_per_member_day") is not None:
        caps["points_per_member_day"] = _tenth(
            _positive(
                raw["points_per_member_day"], "caps.points_per_member_day", 10**6
            ),
            "caps.points_per_member_day",
        )
    by_category = raw.get("points_per_member_year_by_category")
    if by_category:
        field = "caps.points_per_member_year_by_category"
        if not isinstance(by_category, dict):
            raise InvalidCommand(f"{field} 须是对象", field)
        year: dict[str, Decimal] = {}
        for code, points in by_category.items():
            if code not in codes:
                raise UnknownCategory(
                    f"{field} 中的类别 {code} 不在 categories 中", field
                )
            year[code] = _tenth(_positive(points, field, 10**7), field)
        caps["points_per_member_year_by_category"] = year
    return caps


def _tenth(value: Decimal, field: str) -> Decimal:
    if value != value.quantize(Decimal("0.1")):
        raise InvalidCommand(f"{field} 最多一位小数", field)
    return value


def rule_version(
    owner: str,
    version: int,
    effective_from: date,
    categories: list[dict[str, Any]],
    caps: dict[str, Any],
) -> RuleVersion:
    by_category = caps.get("points_per_member_year_by_category") or {}
    return RuleVersion(
        owner,
        version,
        effective_from,
        tuple(
            Category(c["code"], c["name"], Decimal(c["points_per_hour"]))
            for c in categories
        ),
        Caps(
            _maybe(caps.get("hours_per_activity")),
            _maybe(caps.get("points_per_member_day")),
            tuple(sorted((k, Decimal(v)) for k, v in by_category.items())),
        ),
    )


def _maybe(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def owner_of(district_id: UUID | str | None) -> str:
    """Whose rules: a district's (by its id), or the deployment's."""
    return DEPLOYMENT if district_id is None else str(district_id)


class RuleSet(CachedAggregate):
    """A points rule set: a draft, then published once with a version."""

    class Drafted(Aggregate.Created):
        name: str
        district_id: UUID | None
        categories: list[dict[str, Any]]
        caps: dict[str, Any]
        actor: str

    class Published(Aggregate.Event):
        version: int
        effective_from: date
        actor: str

    @event(Drafted)
    def __init__(
        self,
        name: str,
        district_id: UUID | None,
        categories: list[dict[str, Any]],
        caps: dict[str, Any],
        actor: str,
    ) -> None:
        self.name = name
        self.district_id = district_id
        self.categories = categories
        self.caps = caps
        self.status = DRAFT
        self.rule_version: int | None = None
        self.effective_from: date | None = None

    def publish(self, version: int, effective_from: date, actor: str) -> None:
        if self.status == PUBLISHED:
            raise AlreadyPublished(
                f"规则“{self.name}”已发布（第 {self.rule_version} 版）"
            )
        self._publish(version, effective_from, actor)

    @event(Published)
    def _publish(self, version: int, effective_from: date, actor: str) -> None:
        self.status = PUBLISHED
        self.rule_version = version
        self.effective_from = effective_from


class RuleBook(CachedAggregate):
    """The published versions of one owner's rules, numbered from 1."""

    @staticmethod
    def create_id(owner: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"vpoints:rule-book:{owner}")

    class Opened(Aggregate.Created):
        owner: str

    class VersionAdded(Aggregate.Event):
        rule_set_id: UUID
        version: int
        effective_from: date
        categories: list[dict[str, Any]]
        caps: dict[str, Any]

    @event(Opened)
    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.versions: list[RuleVersion] = []

    @property
    def next_version(self) -> int:
        return len(self.versions) + 1

    @event(VersionAdded)
    def add(
        self,
        rule_set_id: UUID,
        version: int,
        effective_from: date,
        categories: list[dict[str, Any]],
        caps: dict[str, Any],
    ) -> None:
        self.versions = [
            *self.versions,
            rule_version(self.owner, version, effective_from, categories, caps),
        ]

    def in_effect(self, day: date) -> RuleVersion | None:
        """The version in effect on ``day``: the latest to take effect by then,
        the later version first among those of the same date."""
        return in_effect(self.versions, day)


def in_effect(versions: list[RuleVersion], day: date) -> RuleVersion | None:
    found: RuleVersion | None = None
    for v in versions:
        if v.effective_from <= day and (
            found is None
            or (v.effective_from, v.version) > (found.effective_from, found.version)
        ):
            found = v
    return found
