"""Points rules (积分管理办法) as the read side has them: every rule set, draft
or published, and the published versions that rate attendances (rating.py).

Points are derived here, not recorded: an attendance event holds hours (and
the points of the activity's own rule); the rule set in effect on the
activity's date, a published event of the same log, rates them. So the
figures at any position are those of the attendances and rule sets before
it, whether read from these tables or replayed."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.domain import DomainEvent

from domain.rules import DEPLOYMENT, RuleSet, RuleVersion, in_effect, owner_of
from domain.rules import rule_version as version_of
from projections.batch import Batch, Handler, on
from projections.paging import decode_position, page
from projections.sql import Cursor, Reader, Row, Sql, Table

TABLES = (
    Table(
        "vp_rule_set",
        "rule_set_id TEXT PRIMARY KEY, owner TEXT NOT NULL, district_id TEXT, "
        "name TEXT NOT NULL, status TEXT NOT NULL, version INTEGER, "
        "effective_from TEXT, categories TEXT NOT NULL, caps TEXT NOT NULL, "
        "drafted_by TEXT NOT NULL, drafted_at TEXT NOT NULL, published_by TEXT, "
        "published_at TEXT, rerated INTEGER, position BIGINT NOT NULL",
        {"vp_rule_set_owner": "owner, position"},
    ),
)

INSERT_RULE_SET = Sql(
    "INSERT INTO {t}vp_rule_set VALUES "
    "(?, ?, ?, ?, 'draft', NULL, NULL, ?, ?, ?, ?, NULL, NULL, NULL, ?)"
)
PUBLISH = Sql(
    "UPDATE {t}vp_rule_set SET status = 'published', version = ?, "
    "effective_from = ?, published_by = ?, published_at = ? WHERE rule_set_id = ?"
)
PUBLISHED = Sql(
    "SELECT owner, version, effective_from, categories, caps FROM {t}vp_rule_set "
    "WHERE status = 'published'"
)
RULE_SET = Sql("SELECT * FROM {t}vp_rule_set WHERE rule_set_id = ?")
RULE_SETS = Sql(
    "SELECT * FROM {t}vp_rule_set WHERE (:owner{text} IS NULL OR owner = :owner) "
    "AND position > :after ORDER BY position LIMIT :limit"
)


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value))


def dumps(value: object) -> str:
    return json.dumps(value, default=_plain, ensure_ascii=False, sort_keys=True)


class KnownRules:
    """The published rule versions by owner, read from vp_rule_set once and
    kept as rule sets are published. A what-if adds a draft, in effect for
    its owner from 1 January of the year asked, before any published one."""

    def __init__(self, draft: RuleVersion | None = None) -> None:
        self.draft = draft
        self._versions: dict[str, list[RuleVersion]] | None = None
        self._on: dict[tuple[str | None, str], RuleVersion | None] = {}

    def loaded(self, c: Cursor) -> dict[str, list[RuleVersion]]:
        if self._versions is None:
            versions: dict[str, list[RuleVersion]] = {}
            for row in c.execute(PUBLISHED, ()).all():
                versions.setdefault(row["owner"], []).append(_version(row))
            self._versions = versions
        return self._versions

    def add(self, c: Cursor, version: RuleVersion) -> None:
        versions = self.loaded(c).setdefault(version.owner, [])
        if all(v.version != version.version for v in versions):
            versions.append(version)
            self._on.clear()

    def shadows(self, owner: str, effective_from: date) -> bool:
        """Whether a what-if's draft stands before every version of ``owner``
        from that date on, so that one published then rates nothing again."""
        draft = self.draft
        return (
            draft is not None
            and draft.owner == owner
            and draft.effective_from <= effective_from
        )

    def any(self, c: Cursor) -> bool:
        return self.draft is not None or bool(self.loaded(c))

    def on(self, c: Cursor, district_id: str | None, day: str) -> RuleVersion | None:
        """The version in effect for a district on a local date (ISO text):
        the district's own where one is, else the deployment's."""
        key = (district_id, day)
        if key in self._on:
            return self._on[key]
        found = self._on[key] = self._in_effect(c, district_id, day)
        return found

    def _in_effect(
        self, c: Cursor, district_id: str | None, day: str
    ) -> RuleVersion | None:
        versions = self.loaded(c)
        when = date.fromisoformat(day)
        for owner in dict.fromkeys((owner_of(district_id), DEPLOYMENT)):
            draft = self.draft
            if draft and draft.owner == owner and draft.effective_from <= when:
                return draft
            found = in_effect(versions.get(owner, []), when)
            if found is not None:
                return found
        return None


def _version(row: Row) -> RuleVersion:
    return version_of(
        row["owner"],
        int(row["version"]),
        date.fromisoformat(row["effective_from"]),
        json.loads(row["categories"]),
        json.loads(row["caps"]),
    )


class RuleSets:
    """Keeps vp_rule_set and the published versions rating reads."""

    def __init__(self, rules: KnownRules) -> None:
        self.rules = rules

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(RuleSet.Drafted, self.drafted),
            on(RuleSet.Published, self.published),
        ]

    def drafted(self, e: RuleSet.Drafted, batch: Batch) -> None:
        district = None if e.district_id is None else str(e.district_id)
        batch.run(
            INSERT_RULE_SET,
            (
                str(e.originator_id),
                owner_of(e.district_id),
                district,
                e.name,
                dumps(e.categories),
                dumps(e.caps),
                e.actor,
                e.timestamp.isoformat(),
                batch.position,
            ),
        )

    def published(self, e: RuleSet.Published, batch: Batch) -> None:
        at = e.timestamp.isoformat()
        rule_set_id = str(e.originator_id)
        effective = e.effective_from.isoformat()
        batch.run(PUBLISH, (e.version, effective, e.actor, at, rule_set_id))
        row = batch.query(RULE_SET, (rule_set_id,))
        assert row is not None, rule_set_id
        version = version_of(
            row["owner"],
            e.version,
            e.effective_from,
            json.loads(row["categories"]),
            json.loads(row["caps"]),
        )
        self.rules.add(batch.c, version)


class RuleSetQueries:
    def __init__(self, view: Reader) -> None:
        self.view = view

    def rule_set(self, rule_set_id: str) -> dict[str, Any] | None:
        row = self.view.one(RULE_SET, (rule_set_id,))
        return None if row is None else item(row)

    def rule_sets(
        self, owner: str | None, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        after = decode_position(cursor)
        params = {"owner": owner, "after": after, "limit": limit + 1}
        rows, next_cursor = page(self.view.all(RULE_SETS, params), limit, ["position"])
        return {"items": [item(r) for r in rows], "next_cursor": next_cursor}


def item(row: Row) -> dict[str, Any]:
    return {
        "id": row["rule_set_id"],
        "name": row["name"],
        "district_id": row["district_id"],
        "status": row["status"],
        "version": row["version"],
        "effective_from": row["effective_from"],
        "categories": json.loads(row["categories"]),
        "caps": json.loads(row["caps"]),
        "drafted_by": row["drafted_by"],
        "drafted_at": row["drafted_at"],
        "published_at": row["published_at"],
        "rerated": row["rerated"],
    }
