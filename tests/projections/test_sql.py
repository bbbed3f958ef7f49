"""The read models' SQL is written once; each database reads its own spelling."""

from __future__ import annotations

from projections.sql import Postgres, Sql, SQLite

UPSERT = Sql(
    "INSERT INTO {t}vp_member_year VALUES (?, ?) ON CONFLICT (member_id) "
    "DO UPDATE SET last_date = {greatest}(vp_member_year.last_date, ?)"
)
LISTING = Sql(
    "SELECT * FROM {t}vp_activity WHERE title LIKE '50%' "
    "AND (:starts_to{text} IS NULL OR starts_at < :starts_to)"
)
TRACKED = Sql("SELECT notification_id FROM {tracking} WHERE application_name = ?")


def test_sqlite_reads_plain_names_its_own_parameters_and_max() -> None:
    sqlite = SQLite()
    assert sqlite.text(UPSERT) == (
        "INSERT INTO vp_member_year VALUES (?, ?) ON CONFLICT (member_id) "
        "DO UPDATE SET last_date = MAX(vp_member_year.last_date, ?)"
    )
    assert sqlite.text(LISTING) == (
        "SELECT * FROM vp_activity WHERE title LIKE '50%' "
        "AND (:starts_to IS NULL OR starts_at < :starts_to)"
    )
    assert sqlite.text(TRACKED) == (
        "SELECT notification_id FROM tracking WHERE application_name = ?"
    )


def test_postgres_reads_the_schema_psycopg_parameters_greatest_and_casts() -> None:
    postgres = Postgres("vpoints", "vpoints_tracking")
    assert postgres.text(UPSERT) == (
        'INSERT INTO "vpoints".vp_member_year VALUES (%s, %s) '
        "ON CONFLICT (member_id) "
        "DO UPDATE SET last_date = GREATEST(vp_member_year.last_date, %s)"
    )
    assert postgres.text(LISTING) == (
        "SELECT * FROM \"vpoints\".vp_activity WHERE title LIKE '50%%' "
        "AND (%(starts_to)s::text IS NULL OR starts_at < %(starts_to)s)"
    )
    assert postgres.text(TRACKED) == (
        'SELECT notification_id FROM "vpoints"."vpoints_tracking" '
        "WHERE application_name = %s"
    )
