"""Keyset pagination: a page's cursor is the sort key of its last row, opaque
to clients."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence

from projections.sql import Reader, Row, Sql


class BadCursor(ValueError):
    """Raised when a pagination cursor was not made by this server."""


def encode_cursor(key: Sequence[str]) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeError):
        raise BadCursor("cursor 无效") from None
    if not isinstance(key, list) or len(key) != size:
        raise BadCursor("cursor 无效")
    # Text a database cannot hold (a NUL) was never a key of ours.
    if not all(isinstance(k, str) and "\x00" not in k for k in key):
        raise BadCursor("cursor 无效")
    return key


def page(
    rows: list[Row], limit: int, key: Sequence[str]
) -> tuple[list[Row], str | None]:
    """The first ``limit`` of ``limit + 1`` rows read, and the cursor of the
    next page if there is one."""
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        return rows, encode_cursor([str(last[k]) for k in key])
    return rows, None


def read_page(
    view: Reader,
    sql: Sql,
    params: dict[str, object],
    key: Sequence[str],
    limit: int,
    cursor: str | None,
) -> tuple[list[Row], str | None]:
    """The page of rows after the cursor's key, in ``key`` order, and the
    cursor of the next page. The query reads that key as ``:after_{column}``
    (the empty text without a cursor, before every row) and ``:limit``."""
    after = decode_cursor(cursor, len(key)) if cursor else [""] * len(key)
    bounds = {f"after_{k}": value for k, value in zip(key, after, strict=True)}
    rows = view.all(sql, {**params, **bounds, "limit": limit + 1})
    return page(rows, limit, key)


def decode_position(cursor: str | None) -> int:
    """The event log position a page of history continues after."""
    if not cursor:
        return 0
    text = decode_cursor(cursor, 1)[0]
    if not (text.isascii() and text.isdigit()):
        raise BadCursor("cursor 无效")
    return int(text)
