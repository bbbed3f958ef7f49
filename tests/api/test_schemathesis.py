"""Generated requests against the OpenAPI document: no 5xx, nothing undocumented."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import schemathesis
from hypothesis import settings
from schemathesis import Case

from api.main import create_app
from api.settings import Settings
from api.system import System
from tests.api.identity_support import AUDIENCE, Answers, Provider, serving
from tests.api.support import ADMIN_TOKEN, bearer

# Built at import, because the operations become tests at collection; the
# lazy `schemathesis.pytest.from_fixture` needs a pytest older than ours.
# WeChat and the identity provider are stand-ins that refuse every code and
# token, as the real ones would refuse made-up ones.
SERVICES = ExitStack()
WECHAT = SERVICES.enter_context(serving(Answers()))
PROVIDER_ANSWERS = Answers()
PROVIDER = Provider(PROVIDER_ANSWERS, SERVICES.enter_context(serving(PROVIDER_ANSWERS)))
CONFIG = Settings(
    database_url="memory://",
    admin_token=ADMIN_TOKEN,
    wechat_app_id="wx-schemathesis",
    wechat_app_secret="secret",
    wechat_api_base=WECHAT,
    oidc_issuer=PROVIDER.issuer,
    oidc_audience=AUDIENCE,
)
SYSTEM = System(CONFIG)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(CONFIG, SYSTEM))
# Deterministic, so that the suite passes or fails the same way every run. No
# unexpected query parameters: the API ignores those, as HTTP APIs do, and
# schemathesis misjudges some (an empty name) as schema violations accepted.
schema.config.generation.update(deterministic=True, allow_extra_parameters=False)


@pytest.fixture(scope="module", autouse=True)
def close_the_system() -> Iterator[None]:
    yield
    SYSTEM.close()
    SERVICES.close()


# A schema-valid request may still be refused with 422 by design (API.md): an
# unknown id in a body (unknown_reference), a min_position beyond the log
# (unknown_position), hours off the quarter hour (invalid_hours), a reused
# Idempotency-Key. So "positive data acceptance" does not hold for this API.
BY_DESIGN = [schemathesis.checks.positive_data_acceptance]


@schema.parametrize()
@settings(max_examples=8, deadline=None)
def test_generated_requests_get_documented_answers_and_never_a_server_error(
    case: Case,
) -> None:
    case.call_and_validate(headers=bearer(ADMIN_TOKEN), excluded_checks=BY_DESIGN)
