"""The deployment's own secrets: made once, and the same for every process
that opens the same database, however many make them at once."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from domain.application import VolunteerPoints
from infrastructure.secrets import SECRET_BYTES, deployment_secret

pytestmark = pytest.mark.parametrize(
    "database_url",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)


def test_every_process_of_a_database_gets_the_same_secret(
    make_app: Callable[[], VolunteerPoints],
) -> None:
    apps = [make_app() for _ in range(4)]
    with ThreadPoolExecutor(8) as pool:
        made = list(
            pool.map(
                lambda n: deployment_secret(apps[n % 4].recorder, "session"), range(8)
            )
        )
    assert len(set(made)) == 1
    assert len(made[0]) == SECRET_BYTES
    assert deployment_secret(apps[0].recorder, "digest") != made[0]
