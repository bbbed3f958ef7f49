"""Concurrent redemptions against real server processes: what each client
sends, and what the account and the stock say afterwards."""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

AUTH = {"Authorization": "Bearer reliability-admin-token"}
RETRIES = 50


def post(
    base: str, path: str, body: dict[str, Any], auth: dict[str, str], **headers: str
) -> httpx.Response:
    """A write as a client sends it: again after a 503, as Retry-After says."""
    with httpx.Client(base_url=base, headers=auth, timeout=60) as client:
        for _ in range(RETRIES):
            response = client.post(path, json=body, headers=headers)
            if response.status_code != 503:
                return response
            time.sleep(float(response.headers.get("Retry-After", "1")) / 10)
    return response


def at_once(
    bases: Sequence[str],
    requests: Sequence[tuple[str, dict[str, Any], dict[str, str]]],
    auth: dict[str, str] = AUTH,
) -> list[httpx.Response]:
    """Sends every request at once, spread over the servers."""

    def send(numbered: tuple[int, tuple[str, dict[str, Any], dict[str, str]]]) -> Any:
        number, (path, body, headers) = numbered
        return post(bases[number % len(bases)], path, body, auth, **headers)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, enumerate(requests)))


def read(
    base: str, path: str, position: int, auth: dict[str, str] = AUTH
) -> dict[str, Any]:
    with httpx.Client(base_url=base, headers=auth, timeout=60) as client:
        response = client.get(path, params={"min_position": position})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def codes(responses: Sequence[httpx.Response]) -> list[str]:
    """Each response's status, and for a problem its code."""
    return [
        str(r.status_code)
        if r.is_success
        else f"{r.status_code} {r.json().get('code')}"
        for r in responses
    ]
