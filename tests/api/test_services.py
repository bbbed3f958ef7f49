"""The use cases called without HTTP, as the command line and the demo call
them: they answer with domain results and refuse with domain errors."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

import pytest

from api.auth import BOOTSTRAP_ADMIN
from api.services import certificates, members, redemption, reports, rosters, tokens
from api.settings import Settings
from api.sheets import InvalidCells, read_sheet
from api.system import System
from domain.errors import InsufficientPoints
from tests.api.support import ADMIN_TOKEN, Scene

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite", "postgres"], indirect=True
)

ROSTER = "姓名,手机号,网格,政治面貌,单位,登记日期\n"


def test_a_roster_registers_its_new_members_and_checks_only_on_a_dry_run(
    scene: Scene, system: System
) -> None:
    community = UUID(scene.community)
    content = (ROSTER + "张三,13700137001,,中共党员,,\n").encode()
    sheet = read_sheet(content, rosters.ROSTER)
    checked = rosters.import_members(system, community, sheet, BOOTSTRAP_ADMIN, True)
    assert (checked.rows, checked.created) == (1, 1)
    before = system.app.position()
    assert checked.position == before
    imported = rosters.import_members(system, community, sheet, BOOTSTRAP_ADMIN)
    assert (imported.created, imported.unchanged) == (1, 0)
    assert system.app.position() > before
    again = rosters.import_members(system, community, sheet, BOOTSTRAP_ADMIN)
    assert (again.created, again.unchanged) == (0, 1)


def test_a_roster_with_wrong_rows_names_every_wrong_cell_and_records_nothing(
    scene: Scene, system: System
) -> None:
    content = (ROSTER + "甲,13000130002,无网格,,,\n乙,,,群众,,\n").encode()
    sheet = read_sheet(content, rosters.ROSTER)
    before = system.app.position()
    with pytest.raises(InvalidCells) as refused:
        rosters.import_members(system, UUID(scene.community), sheet, BOOTSTRAP_ADMIN)
    cells = [(c.row, c.column, c.code) for c in refused.value.cells]
    assert cells == [(2, "网格", "unknown_grid"), (3, "手机号", "validation_error")]
    assert refused.value.extensions()["errors"][0]["column"] == "网格"
    assert system.app.position() == before


def test_a_number_not_issued_here_is_not_genuine(system: System) -> None:
    with pytest.raises(certificates.NotGenuine) as refused:
        certificates.issued_certificate(system, "VPC-2026-NOTREAL1")
    assert refused.value.code == "not_found"
    assert refused.value.extensions() == {"genuine": False}


def test_a_certificate_is_issued_from_the_read_models_caught_up(
    scene: Scene, system: System
) -> None:
    member = UUID(scene.member)
    issued = certificates.issue_certificate(system, member, None, None, BOOTSTRAP_ADMIN)
    assert (issued.hours, issued.activities) == ("2", 1)
    assert issued.issuer == "东风街道 幸福里社区"
    found = certificates.issued_certificate(system, issued.number.lower())
    assert found.number == issued.number


def test_a_report_is_published_and_verified_by_replaying_the_log(
    scene: Scene, system: System
) -> None:
    published = reports.publish_report(
        system, "community", UUID(scene.community), 2026, None, BOOTSTRAP_ADMIN
    )
    report = system.app.report(published.id)
    assert reports.verify_report(system, report)["matches"] is True
    assert reports.with_current_figures(system, report)["revised"] is False


def test_a_redemption_is_decided_on_every_point_earned(
    scene: Scene, system: System
) -> None:
    app = system.app
    reward = app.offer_reward(
        UUID(scene.community), "洗衣液一瓶", Decimal(500), 5, BOOTSTRAP_ADMIN
    ).id
    with pytest.raises(InsufficientPoints):
        redemption.redeem_points(system, UUID(scene.member), reward, 1, BOOTSTRAP_ADMIN)


def test_a_merge_moves_what_the_read_models_know_of_the_duplicate(
    scene: Scene, system: System
) -> None:
    merged = members.merge_members(
        system,
        UUID(scene.other_member),
        UUID(scene.member),
        "同一人重复登记",
        BOOTSTRAP_ADMIN,
    )
    assert (merged.attendances_moved, merged.teams) == (1, 1)


def test_the_admin_token_shown_beside_the_demo_is_the_configured_one_or_a_new_one(
    system: System, database_url: str
) -> None:
    assert tokens.admin_token(system, "vpoints demo") == ADMIN_TOKEN
    unset = System(Settings(database_url=database_url), run_projector=False)
    try:
        secret = tokens.admin_token(unset, "vpoints demo")
        token = unset.app.token_for(secret)
        assert token is not None
        assert (token.role, token.label) == ("admin", "vpoints demo")
    finally:
        unset.close()


def test_the_demo_names_a_registered_member_with_a_phone_to_try_signing_in(
    system: System,
) -> None:
    app, actor = system.app, BOOTSTRAP_ADMIN
    assert tokens.a_member_to_try(system) is None
    district = app.register_district("北戴河新区", actor).id
    street = app.register_street("戴河镇", district, actor).id
    community = app.register_community("海滨社区", None, actor, street_id=street).id
    gone = app.register_member("赵强", community, True, actor, phone="13600136000").id
    app.deregister_member(gone, "搬离本市", actor)
    app.register_member("钱芳", community, True, actor)
    app.register_member("孙丽", community, False, actor, phone="13500135000")
    system.wait_for(app.position())
    assert tokens.a_member_to_try(system) == ("孙丽", "13500135000")
