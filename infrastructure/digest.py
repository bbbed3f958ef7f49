"""The head digest of the event log at a position, as the hash chain
(``infrastructure.chain``) has it, or recomputed by walking the log: a
published report and a certificate name the exact record their figures came
from, and verifying one recomputes it."""

from __future__ import annotations

from domain.application import VolunteerPoints
from infrastructure.chain import EMPTY, PAGE, ChainedRecorder, of_notification


def chained_recorder(app: VolunteerPoints) -> ChainedRecorder:
    recorder = app.recorder
    assert isinstance(recorder, ChainedRecorder), type(recorder)
    return recorder


def head_digest(app: VolunteerPoints, position: int) -> str:
    """The chain's digest of the log up to and including ``position``."""
    return chained_recorder(app).chain_digest_at(position).hex()


def log_digest(app: VolunteerPoints, position: int) -> str:
    """The same digest recomputed from the stored events themselves."""
    digest = EMPTY
    start = 1
    while start <= position:
        page = app.recorder.select_notifications(start, PAGE, stop=position)
        if not page:
            break
        for notification in page:
            digest = of_notification(digest, notification)
        start = page[-1].id + 1
    return digest.hex()
