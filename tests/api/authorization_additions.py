"""The rows of the "who may" table for the endpoints of the additions
(version 1.1 and later)."""

from __future__ import annotations

from tests.api.authorization_rows import (
    ADMIN,
    ANY_TOKEN,
    ANYONE,
    EITHER_COMMUNITY,
    IN_SCOPE,
    ITSELF,
    Row,
    roster,
    sign_in_sheet,
)

RULES = [{"code": "助老", "name": "助老服务", "points_per_hour": "3"}]

ADDITION_ROWS: dict[str, Row] = {
    # The organisation tree (version 1.1).
    "POST /v1/districts": Row(
        ADMIN, lambda s: ("POST", "/v1/districts", {"name": "卢龙县"})
    ),
    "POST /v1/streets": Row(
        ADMIN,
        lambda s: (
            "POST",
            "/v1/streets",
            {"name": "刘台庄镇", "district_id": s.district},
        ),
    ),
    "POST /v1/grids": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            "/v1/grids",
            {
                "name": "第二网格",
                "community_id": s.community,
                "party_organisation": True,
            },
        ),
    ),
    "GET /v1/districts": Row(ANY_TOKEN, lambda s: ("GET", "/v1/districts", None)),
    "GET /v1/districts/{district_id}/streets": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/districts/{s.district}/streets", None)
    ),
    "GET /v1/streets/{street_id}/communities": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/streets/{s.street}/communities", None)
    ),
    "GET /v1/communities/{community_id}/grids": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/communities/{s.community}/grids", None)
    ),
    # Finding a place (each token finds what it covers).
    "GET /v1/communities": Row(
        ANY_TOKEN, lambda s: ("GET", "/v1/communities?q=社区", None)
    ),
    "GET /v1/communities/{community_id}": Row(
        IN_SCOPE, lambda s: ("GET", f"/v1/communities/{s.community}", None)
    ),
    "GET /v1/districts/{district_id}/stats": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/districts/{s.district}/stats", None)
    ),
    "GET /v1/streets/{street_id}/stats": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/streets/{s.street}/stats", None)
    ),
    "GET /v1/grids/{grid_id}/stats": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/grids/{s.grid}/stats", None)
    ),
    # Dates and lifecycle (version 1.1).
    "PATCH /v1/members/{member_id}": Row(
        IN_SCOPE,
        lambda s: ("PATCH", f"/v1/members/{s.member}", {"phone": "13700137000"}),
    ),
    "POST /v1/members/{member_id}/move": Row(
        EITHER_COMMUNITY,
        lambda s: (
            "POST",
            f"/v1/members/{s.member}/move",
            {"community_id": s.other_community},
        ),
    ),
    "POST /v1/members/{member_id}/deregister": Row(
        IN_SCOPE,
        lambda s: ("POST", f"/v1/members/{s.member}/deregister", {"reason": "迁出"}),
    ),
    "POST /v1/members/{member_id}/double-report/end": Row(
        IN_SCOPE,
        lambda s: ("POST", f"/v1/members/{s.member}/double-report/end", {}),
    ),
    "POST /v1/units/{unit_id}/double-report/{community_id}/end": Row(
        ADMIN,
        lambda s: (
            "POST",
            f"/v1/units/{s.unit}/double-report/{s.other_community}/end",
            {},
        ),
    ),
    # History and published reports (version 1.1).
    "GET /v1/members/{member_id}/history": Row(
        ITSELF, lambda s: ("GET", f"/v1/members/{s.member}/history", None)
    ),
    "GET /v1/activities/{activity_id}/history": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/activities/{s.started}/history", None)
    ),
    "GET /v1/activities/{activity_id}/attendances": Row(
        IN_SCOPE, lambda s: ("GET", f"/v1/activities/{s.started}/attendances", None)
    ),
    "GET /v1/activities/{activity_id}/signups": Row(
        IN_SCOPE, lambda s: ("GET", f"/v1/activities/{s.signed_up}/signups", None)
    ),
    "POST /v1/reports": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            "/v1/reports",
            {"scope": "community", "scope_id": s.community, "year": 2026},
        ),
    ),
    "GET /v1/teams/{team_id}/members": Row(
        IN_SCOPE, lambda s: ("GET", f"/v1/teams/{s.team}/members", None)
    ),
    "GET /v1/reports": Row(EITHER_COMMUNITY, lambda s: ("GET", "/v1/reports", None)),
    "GET /v1/reports/{report_id}": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/reports/{s.published}", None)
    ),
    "GET /v1/reports/{report_id}/verify": Row(
        IN_SCOPE, lambda s: ("GET", f"/v1/reports/{s.published}/verify", None)
    ),
    "POST /v1/members/{member_id}/certificates": Row(
        ITSELF, lambda s: ("POST", f"/v1/members/{s.member}/certificates", {})
    ),
    "GET /v1/certificates/{number}": Row(
        ANYONE, lambda s: ("GET", f"/v1/certificates/{s.certificate}", None)
    ),
    "GET /v1/certificates/{number}/pdf": Row(
        ITSELF, lambda s: ("GET", f"/v1/certificates/{s.certificate}/pdf", None)
    ),
    # The organiser's desk: hours claims, imports and the 台账.
    "POST /v1/members/{member_id}/hours-claims": Row(
        ITSELF,
        lambda s: (
            "POST",
            f"/v1/members/{s.member}/hours-claims",
            {"activity_id": s.started, "hours": "1"},
        ),
    ),
    "GET /v1/communities/{community_id}/hours-claims": Row(
        IN_SCOPE,
        lambda s: ("GET", f"/v1/communities/{s.community}/hours-claims", None),
    ),
    "POST /v1/hours-claims/{claim_id}/approve": Row(
        IN_SCOPE, lambda s: ("POST", f"/v1/hours-claims/{s.claim}/approve", None)
    ),
    "POST /v1/hours-claims/{claim_id}/reject": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            f"/v1/hours-claims/{s.claim}/reject",
            {"reason": "签到表上没有"},
        ),
    ),
    "POST /v1/communities/{community_id}/members/import": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            f"/v1/communities/{s.community}/members/import",
            roster(s),
        ),
    ),
    "POST /v1/activities/{activity_id}/attendance/import": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            f"/v1/activities/{s.started}/attendance/import",
            sign_in_sheet(s),
        ),
    ),
    "POST /v1/communities/{community_id}/rewards": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            f"/v1/communities/{s.community}/rewards",
            {"name": "大米", "points": "5", "stock": 3},
        ),
    ),
    "GET /v1/communities/{community_id}/rewards": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/communities/{s.community}/rewards", None)
    ),
    "POST /v1/rewards/{reward_id}/restock": Row(
        IN_SCOPE,
        lambda s: ("POST", f"/v1/rewards/{s.reward}/restock", {"quantity": 1}),
    ),
    "POST /v1/members/{member_id}/redemptions": Row(
        ITSELF,
        lambda s: (
            "POST",
            f"/v1/members/{s.member}/redemptions",
            {"reward_id": s.reward},
        ),
    ),
    "GET /v1/communities/{community_id}/redemptions": Row(
        IN_SCOPE,
        lambda s: ("GET", f"/v1/communities/{s.community}/redemptions", None),
    ),
    "POST /v1/redemptions/{redemption_id}/cancel": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            f"/v1/redemptions/{s.redemption}/cancel",
            {"reason": "退货"},
        ),
    ),
    "GET /v1/members/{member_id}/account": Row(
        ITSELF, lambda s: ("GET", f"/v1/members/{s.member}/account", None)
    ),
    "GET /v1/audit/head": Row(ADMIN, lambda s: ("GET", "/v1/audit/head", None)),
    "GET /v1/audit/verify": Row(ADMIN, lambda s: ("GET", "/v1/audit/verify", None)),
    "POST /v1/members/{member_id}/merge": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            f"/v1/members/{s.member}/merge",
            {"duplicate_id": s.other_member, "reason": "同一人重复登记"},
        ),
    ),
    "GET /v1/communities/{community_id}/ledger": Row(
        IN_SCOPE, lambda s: ("GET", f"/v1/communities/{s.community}/ledger", None)
    ),
    # The scene's street and district hold none of organizer_in's community.
    "GET /v1/streets/{street_id}/ledger": Row(
        ADMIN, lambda s: ("GET", f"/v1/streets/{s.street}/ledger", None)
    ),
    "GET /v1/districts/{district_id}/ledger": Row(
        ADMIN, lambda s: ("GET", f"/v1/districts/{s.district}/ledger", None)
    ),
    # Signing in and organiser accounts (1.2). Signing in takes no token:
    # every caller gets the same answer, which, without a code sent or a
    # session begun in the scene, is a refusal of the code or refresh token.
    "POST /v1/auth/sms-code": Row(
        ANYONE, lambda s: ("POST", "/v1/auth/sms-code", {"phone": "13800138000"})
    ),
    "POST /v1/auth/sms-sign-in": Row(
        frozenset(),
        lambda s: (
            "POST",
            "/v1/auth/sms-sign-in",
            {"phone": "13800138000", "code": "123456"},
        ),
        refused=dict.fromkeys(ANYONE, (401, "invalid_code")),
    ),
    # No WeChat mini-program or identity provider is set up in the scene.
    "POST /v1/auth/wechat": Row(
        frozenset(),
        lambda s: ("POST", "/v1/auth/wechat", {"code": "a-login-code"}),
        refused=dict.fromkeys(ANYONE, (503, "wechat_unavailable")),
    ),
    "POST /v1/auth/wechat/bind": Row(
        frozenset(),
        lambda s: (
            "POST",
            "/v1/auth/wechat/bind",
            {"binding_token": "x", "phone": "13800138000", "code": "123456"},
        ),
        refused=dict.fromkeys(ANYONE, (401, "invalid_binding_token")),
    ),
    "POST /v1/auth/oidc": Row(
        frozenset(),
        lambda s: ("POST", "/v1/auth/oidc", {"id_token": "a.b.c"}),
        refused=dict.fromkeys(ANYONE, (503, "identity_provider_unavailable")),
    ),
    "POST /v1/auth/refresh": Row(
        frozenset(),
        lambda s: ("POST", "/v1/auth/refresh", {"refresh_token": f"{s.member}.x"}),
        refused=dict.fromkeys(ANYONE, (401, "invalid_refresh_token")),
    ),
    "POST /v1/auth/sign-out": Row(
        frozenset(),
        lambda s: ("POST", "/v1/auth/sign-out", {"refresh_token": "x.y"}),
        refused=dict.fromkeys(ANY_TOKEN, (401, "invalid_refresh_token")),
    ),
    "POST /v1/organisers": Row(
        ADMIN,
        lambda s: (
            "POST",
            "/v1/organisers",
            {"name": "张主任", "phone": "13500135000", "community_ids": [s.community]},
        ),
    ),
    "GET /v1/organisers": Row(ADMIN, lambda s: ("GET", "/v1/organisers", None)),
    "GET /v1/units": Row(ADMIN, lambda s: ("GET", "/v1/units", None)),
    "GET /v1/tokens": Row(ADMIN, lambda s: ("GET", "/v1/tokens", None)),
    "DELETE /v1/organisers/{organiser_id}": Row(
        ADMIN, lambda s: ("DELETE", f"/v1/organisers/{s.organiser}", None)
    ),
    # Points rules (1.2): the scene's district's draft; organizers of the
    # scene name communities, not the district.
    "POST /v1/rule-sets": Row(
        ADMIN,
        lambda s: (
            "POST",
            "/v1/rule-sets",
            {"name": "积分管理办法", "district_id": s.district, "categories": RULES},
        ),
    ),
    "POST /v1/rule-sets/{rule_set_id}/publish": Row(
        ADMIN, lambda s: ("POST", f"/v1/rule-sets/{s.rule_set}/publish", {})
    ),
    "GET /v1/rule-sets": Row(
        EITHER_COMMUNITY, lambda s: ("GET", "/v1/rule-sets", None)
    ),
    "GET /v1/rule-sets/{rule_set_id}/what-if": Row(
        ADMIN, lambda s: ("GET", f"/v1/rule-sets/{s.rule_set}/what-if", None)
    ),
    # Check-in at the door (1.2). A member's scan passes the check of who
    # may scan and is then refused for its made-up code.
    "GET /v1/activities/{activity_id}/checkin-code": Row(
        IN_SCOPE, lambda s: ("GET", f"/v1/activities/{s.started}/checkin-code", None)
    ),
    "GET /v1/activities/{activity_id}/checkin-code.svg": Row(
        IN_SCOPE,
        lambda s: ("GET", f"/v1/activities/{s.started}/checkin-code.svg", None),
    ),
    "POST /v1/activities/{activity_id}/checkins": Row(
        frozenset(),
        lambda s: ("POST", f"/v1/activities/{s.started}/checkins", {"code": "x"}),
        refused=dict.fromkeys(
            ("member_self", "member_other"), (422, "invalid_checkin_code")
        ),
    ),
    "GET /v1/activities/{activity_id}/checkins": Row(
        IN_SCOPE, lambda s: ("GET", f"/v1/activities/{s.started}/checkins", None)
    ),
    "POST /v1/activities/{activity_id}/checkins/confirm": Row(
        IN_SCOPE,
        lambda s: ("POST", f"/v1/activities/{s.started}/checkins/confirm", {}),
    ),
}
