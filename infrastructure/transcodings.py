"""How the domain's values are stored as JSON: dates, and the results of
answered requests. Chosen with the library's ``TRANSCODER_TOPIC``."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Transcoding,
    UUIDAsHex,
)

from domain.results import Result


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ResultAsDict(Transcoding):
    """Stores a result as its fields, under the result class's name: a stored
    contract (see ``domain.results``)."""

    def __init__(self, cls: type[Result]) -> None:
        self.type = cls
        self.name = f"result:{cls.__name__}"

    def encode(self, obj: Result) -> dict[str, Any]:
        return asdict(obj)

    def decode(self, data: dict[str, Any]) -> Result:
        result: Result = self.type(**data)
        return result


def result_transcodings() -> list[ResultAsDict]:
    return [ResultAsDict(cls) for cls in Result.__subclasses__()]


class Transcoder(JSONTranscoder):
    """The library's JSON transcoder with every value the domain stores: the
    library's UUIDs, decimals and moments, and dates and results."""

    def __init__(self) -> None:
        super().__init__()
        for library in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
            self.register(library)
        self.register(DateAsISO())
        for transcoding in result_transcodings():
            self.register(transcoding)
