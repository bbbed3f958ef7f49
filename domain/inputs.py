"""Checks of a command's free input, beyond what the aggregates check: texts,
reasons, phone numbers and capacities."""

from __future__ import annotations

from domain.errors import InvalidCommand


def check_text(value: object, field: str, *, max_length: int = 200) -> str:
    if not isinstance(value, str):
        raise InvalidCommand(f"{field} 必须是文本", field)
    text = value.strip()
    if not text:
        raise InvalidCommand(f"{field} 不能为空", field)
    if len(text) > max_length:
        raise InvalidCommand(f"{field} 不能超过 {max_length} 个字符", field)
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise InvalidCommand(f"{field} 不能包含控制字符", field)
    return text


def optional_text(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    return check_text(value, field)


def check_reason(reason: str) -> str:
    return check_text(reason, "reason", max_length=500)


def check_phone(phone: str | None) -> str | None:
    if phone is None:
        return None
    text = check_text(phone, "phone", max_length=20)
    if not all(c.isdigit() or c in "+- " for c in text):
        raise InvalidCommand("phone 只能包含数字、空格、+ 和 -", "phone")
    return text


def check_capacity(capacity: object) -> int | None:
    if capacity is None:
        return None
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
        raise InvalidCommand("capacity 必须是正整数", "capacity")
    return capacity
