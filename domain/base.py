"""The base of the domain's aggregates."""

from __future__ import annotations

import copy
from typing import Any

from eventsourcing.domain import Aggregate


class CachedAggregate(Aggregate):
    """An aggregate whose state holds immutable values in plain containers, so a
    copy from the aggregate cache copies the containers, not every value."""

    def __deepcopy__(self, memo: dict[int, Any]) -> CachedAggregate:
        clone = copy.copy(self)
        for name, value in vars(self).items():
            if isinstance(value, dict | set | list):
                setattr(clone, name, value.copy())
        return clone
