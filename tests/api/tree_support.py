"""The tree the tree tests read: a district with a street, a community with
two grids and a member, another district, and organisers scoped by each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.api.support import Scene


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
