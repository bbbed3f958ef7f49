"""The tree the tree tests read: a district with a street, a community with
two grids and a member, another district, and organisers scoped by each."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from api.auth import BOOTSTRAP_ADMIN
from tests.api.support import Running, Scene


@dataclass
class Tree:
    """The scene, and beside it a district with one street, a community in that
    street with two grids (one with a party organisation) and a member in the
    first grid who attended the scene's started activity; another district;
    and in the scene's tokens, organizers scoped by district and by street."""

    scene: Scene
    district: str = ""
    other_district: str = ""
    street: str = ""
    community: str = ""
    grid: str = ""
    other_grid: str = ""
    member: str = ""

    def headers(self, role: str) -> dict[str, str]:
        return self.scene.headers(role)

    def read(self, url: str, role: str = "admin", **params: Any) -> Any:
        """The body of a successful read reflecting every write so far."""
        response = self.scene.read(url, role, **params)
        assert response.status_code == 200, response.text
        return response.json()


def build_tree(scene: Scene, running: Running) -> Tree:
    app = running.system.app
    actor = BOOTSTRAP_ADMIN
    district = app.register_district("秦皇岛经济技术开发区", actor).id
    other_district = app.register_district("北戴河新区", actor).id
    street = app.register_street("东风街道", district, actor).id
    app.register_street("戴河镇", other_district, actor)
    community = app.register_community(
        "海滨社区", None, actor, street_id=street, party_organisation="党委"
    ).id
    grid = app.register_grid("第一网格", community, True, actor).id
    other_grid = app.register_grid("第二网格", community, False, actor).id
    member = app.register_member(
        "赵强", community, party_member=True, actor=actor, grid_id=grid
    ).id
    app.join_team(UUID(scene.team), member, actor)
    app.record_attendance(UUID(scene.started), [(member, Decimal("1.5"))], actor)
    scopes = {
        "district_organizer": {"district_ids": [district]},
        "street_organizer": {"street_ids": [street]},
        "elsewhere_organizer": {"district_ids": [other_district]},
    }
    for role, scope in scopes.items():
        scene.tokens[role] = f"vp_test_{role}"
        app.issue_token(scene.tokens[role], "organizer", actor, **scope)
    scene.position = app.position()
    return Tree(
        scene,
        district=str(district),
        other_district=str(other_district),
        street=str(street),
        community=str(community),
        grid=str(grid),
        other_grid=str(other_grid),
        member=str(member),
    )
