"""The read models on a PostgreSQL streaming standby. PostgreSQL replicates the
tables and the tracking record that the projector writes on the primary, so
the standby answers reads as of the position its tracking record holds, and a
reader that needs a later position waits until the standby has replayed it."""

from __future__ import annotations

import threading
import time

from eventsourcing.persistence import PersistenceError
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder

from infrastructure.storage import READ_SETTING, StorageError
from projections.view import (
    POSTGRES_TRACKING_TABLE,
    TRACKED_APPLICATION,
    TRACKED_POSITION,
    View,
)

FIRST_POLL_SECONDS = 0.002
LAST_POLL_SECONDS = 0.05
CHECK_PAUSE_SECONDS = 0.1


class Standby:
    """Where a process reads the read models when a standby serves them, and
    how far through the event log they are there. Nothing is written here:
    the tables are created and kept on the primary."""

    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        recorder = PostgresTrackingRecorder(
            datastore, tracking_table_name=POSTGRES_TRACKING_TABLE
        )
        self.view = View(recorder)
        self._replayed = 0
        self._asking = False
        self._answered = threading.Condition()

    def position(self) -> int:
        """The tracking position the standby has replayed, read there once:
        not retried, so that a reader waiting for it is answered in time
        when the standby does not answer."""
        row = self.view.one(TRACKED_POSITION, (TRACKED_APPLICATION,))
        position = 0 if row is None else int(row["notification_id"])
        with self._answered:
            self._replayed = max(self._replayed, position)
            self._answered.notify_all()
        return position

    def close(self) -> None:
        self.datastore.close()

    def check(self, timeout: float) -> None:
        """Returns once the standby answers with the read models' tracking
        record (it replays the tables the primary has just prepared within
        moments); raises a StorageError naming the setting if it does not
        within ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.position()
                return
            except PersistenceError as error:
                if time.monotonic() >= deadline:
                    detail = str(error).strip().splitlines()
                    raise StorageError(
                        f"{READ_SETTING}: cannot read the read models on the "
                        f"standby: {detail[0] if detail else type(error).__name__}"
                    ) from None
            time.sleep(CHECK_PAUSE_SECONDS)

    def wait_for(self, position: int, timeout: float) -> bool:
        """Waits until the standby has replayed the read models to
        ``position``; False on time-out. The tracking record is read again
        after pauses that grow from 2 to 50 ms; while one reader asks the
        standby, the others of this process wait for its answer."""
        deadline = time.monotonic() + timeout
        pause = FIRST_POLL_SECONDS
        while True:
            if self._replayed >= position or self._ask(deadline) >= position:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(pause, remaining))
            pause = min(2 * pause, LAST_POLL_SECONDS)

    def _ask(self, deadline: float) -> int:
        with self._answered:
            if self._asking:
                self._answered.wait(max(0.0, deadline - time.monotonic()))
                return self._replayed
            self._asking = True
        try:
            return self.position()
        finally:
            with self._answered:
                self._asking = False
                self._answered.notify_all()
