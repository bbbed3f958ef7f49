"""The read models' SQL is written once; each database reads its own spelling."""

from __future__ import annotations

from projections.sql import Postgres, Sql, SQLite

SQLITE = SQLite()
POSTGRES = Postgres("vpoints", "vpoints_tracking")


def test_tables_are_in_the_event_stores_schema_on_postgres_only() -> None:
    sql = Sql("SELECT * FROM {t}vp_member JOIN {tracking} ON 1 = 1")
    assert SQLITE.text(sql) == "SELECT * FROM vp_member JOIN tracking ON 1 = 1"
    assert POSTGRES.text(sql) == (
        'SELECT * FROM "vpoints".vp_member JOIN "vpoints"."vpoints_tracking" ON 1 = 1'
    )


def test_parameters_are_spelled_as_each_driver_reads_them() -> None:
    sql = Sql("UPDATE {t}vp_team SET name = ? WHERE team_id = :id AND 1 = ?")
    assert (
        SQLITE.text(sql) == "UPDATE vp_team SET name = ? WHERE team_id = :id AND 1 = ?"
    )
    assert POSTGRES.text(sql) == (
        'UPDATE "vpoints".vp_team SET name = %s WHERE team_id = %(id)s AND 1 = %s'
    )


def test_the_larger_of_two_values_is_max_on_sqlite_and_greatest_on_postgres() -> None:
    sql = Sql("SELECT {greatest}(a, b) FROM {t}vp_member_year")
    assert SQLITE.text(sql) == "SELECT MAX(a, b) FROM vp_member_year"
    assert POSTGRES.text(sql) == 'SELECT GREATEST(a, b) FROM "vpoints".vp_member_year'


def test_a_parameter_only_tested_for_null_is_cast_on_postgres() -> None:
    sql = Sql("SELECT * FROM {t}vp_activity WHERE :to{text} IS NULL OR ends_at < :to")
    assert SQLITE.text(sql) == (
        "SELECT * FROM vp_activity WHERE :to IS NULL OR ends_at < :to"
    )
    assert POSTGRES.text(sql) == (
        'SELECT * FROM "vpoints".vp_activity '
        "WHERE %(to)s::text IS NULL OR ends_at < %(to)s"
    )


def test_a_percent_sign_is_escaped_for_psycopg() -> None:
    sql = Sql("SELECT * FROM {t}vp_team WHERE name LIKE '%队'")
    assert SQLITE.text(sql) == "SELECT * FROM vp_team WHERE name LIKE '%队'"
    assert POSTGRES.text(sql) == (
        "SELECT * FROM \"vpoints\".vp_team WHERE name LIKE '%%队'"
    )
