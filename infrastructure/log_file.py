"""The log file: the whole event log to a portable file and back, or
straight into another database (moving house).

The file is UTF-8 JSON Lines (gzip-compressed when its name ends in ``.gz``):

    {"format": "vpoints-log", "version": 1, "last_position": P}
    {"position": 1, "originator_id": "…", "originator_version": 1,
     "topic": "domain.member:Member.Registered", "state": "<base64>",
     "digest": "<hex>"}
    …
    {"end": true, "events": N, "head_digest": "<hex>"}

One line per stored event, in position order, with the state exactly as it is
stored (compressed or encrypted, base64-encoded) and the event's link of the
hash chain (``infrastructure.chain``). The last line closes the file: without
it the file is truncated. A file is checked whole (format, version, order,
every digest recomputed, the closing line) before anything is imported, and
it is imported only into a database whose log is empty, at the same
positions, so the chain and every figure come out the same."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from infrastructure.chain import EMPTY, PAGE, ChainedRecorder, chained

FORMAT = "vpoints-log"
VERSION = 1
Progress = Callable[[int], object] | None


class LogFileError(Exception):
    """Raised when a log file or a log cannot be moved: it names why."""


@dataclass(frozen=True)
class Entry:
    """One stored event with its position and its link of the chain."""

    position: int
    event: StoredEvent
    digest: bytes


@runtime_checkable
class ImportingRecorder(ChainedRecorder, Protocol):
    def import_entries(self, entries: list[Entry]) -> None:
        """Stores events at the positions given, with their links."""

    def max_notification_id(self) -> int | None: ...


def importing(recorder: object) -> ImportingRecorder:
    if not isinstance(recorder, ImportingRecorder):
        raise LogFileError("this database cannot take an imported log (memory://)")
    return recorder


def entries_of(recorder: ChainedRecorder, progress: Progress = None) -> Iterator[Entry]:
    """Every stored event up to the chain's head now, each with its digest
    recomputed from the event and checked against the chain."""
    last, head = recorder.chain_head()
    digest, after = EMPTY, 0
    while after < last:
        page = recorder.select_notifications(
            after, PAGE, stop=last, inclusive_of_start=False
        )
        if not page:
            break
        links = dict(recorder.chain_links(after, len(page)))
        for n in page:
            digest = chained(
                digest, n.id, n.originator_id, n.originator_version, n.topic, n.state
            )
            if links.get(n.id) != digest:
                raise LogFileError(
                    f"the log's hash chain does not verify at position {n.id}: "
                    "run `vpoints audit verify`"
                )
            event = StoredEvent(n.originator_id, n.originator_version, n.topic, n.state)
            yield Entry(n.id, event, digest)
        after = page[-1].id
        if progress is not None:
            progress(len(page))
    if digest != head:
        raise LogFileError("the log's hash chain does not end at its head")


@contextmanager
def _open(path: Path, mode: str) -> Iterator[IO[str]]:
    if path.name.endswith(".gz"):
        with gzip.open(path, mode + "t", encoding="utf-8") as zipped:
            yield zipped  # type: ignore[misc]  # opened in text mode: a TextIO
    else:
        with path.open(mode, encoding="utf-8") as f:
            yield f


def export_log(recorder: ChainedRecorder, path: Path, progress: Progress = None) -> int:
    """Writes the log to a file; returns how many events it holds."""
    last, _ = recorder.chain_head()
    count, digest = 0, EMPTY
    try:
        with _open(path, "w") as f:
            header = {"format": FORMAT, "version": VERSION, "last_position": last}
            f.write(json.dumps(header) + "\n")
            for entry in entries_of(recorder, progress):
                f.write(json.dumps(_line(entry)) + "\n")
                count, digest = count + 1, entry.digest
            end = {"end": True, "events": count, "head_digest": digest.hex()}
            f.write(json.dumps(end) + "\n")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return count


def _line(entry: Entry) -> dict[str, Any]:
    e = entry.event
    return {
        "position": entry.position,
        "originator_id": str(e.originator_id),
        "originator_version": e.originator_version,
        "topic": e.topic,
        "state": base64.b64encode(e.state).decode("ascii"),
        "digest": entry.digest.hex(),
    }


def read_log(path: Path, progress: Progress = None) -> Iterator[Entry]:
    """The file's entries, each checked as it is read; raises LogFileError at
    the first thing wrong (the entries before it have been given already)."""
    try:
        with _open(path, "r") as f:
            yield from _entries(f, progress)
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise LogFileError(f"{path} cannot be read: {error}") from None


def _entries(lines: Iterable[str], progress: Progress) -> Iterator[Entry]:
    numbered = enumerate(lines, start=1)
    header = _json(next(numbered, (1, "")), "the header")
    if header.get("format") != FORMAT:
        raise LogFileError("not a vpoints log file (line 1 names no vpoints-log)")
    if header.get("version") != VERSION:
        raise LogFileError(
            f"log file version {header.get('version')!r} is unknown to this "
            f"release (it reads version {VERSION})"
        )
    last, digest, count = 0, EMPTY, 0
    for number, text in numbered:
        line = _json((number, text), f"line {number}")
        if line.get("end") is True:
            if line.get("events") != count or line.get("head_digest") != digest.hex():
                raise LogFileError(
                    f"line {number}: the closing line does not match the events"
                )
            if next(numbered, None) is not None:
                raise LogFileError(f"line {number + 1}: lines after the closing line")
            if progress is not None:
                progress(count % PAGE)
            return
        entry = _entry(line, number)
        if entry.position <= last:
            raise LogFileError(
                f"line {number}: position {entry.position} comes after {last}: "
                "the events are out of order"
            )
        e = entry.event
        digest = chained(
            digest,
            entry.position,
            e.originator_id,
            e.originator_version,
            e.topic,
            e.state,
        )
        if digest != entry.digest:
            raise LogFileError(
                f"line {number}: the hash chain does not verify at position "
                f"{entry.position}"
            )
        last, count = entry.position, count + 1
        if progress is not None and count % PAGE == 0:
            progress(PAGE)
        yield entry
    raise LogFileError(f"the file ends after {count} events without its closing line")


def _json(numbered: tuple[int, str], what: str) -> dict[str, Any]:
    number, text = numbered
    try:
        value = json.loads(text)
    except ValueError:
        raise LogFileError(f"line {number}: {what} is not JSON") from None
    if not isinstance(value, dict):
        raise LogFileError(f"line {number}: {what} is not a JSON object")
    return value


def _entry(line: dict[str, Any], number: int) -> Entry:
    try:
        event = StoredEvent(
            originator_id=UUID(line["originator_id"]),
            originator_version=int(line["originator_version"]),
            topic=str(line["topic"]),
            state=base64.b64decode(line["state"], validate=True),
        )
        return Entry(int(line["position"]), event, bytes.fromhex(line["digest"]))
    except (KeyError, TypeError, ValueError):
        raise LogFileError(f"line {number}: not an event of a vpoints log") from None


def check_log_file(path: Path, progress: Progress = None) -> int:
    """Reads the whole file, checking it; returns how many events it holds."""
    return sum(1 for _ in read_log(path, progress))


def copy_entries(
    entries: Iterable[Entry], target: ImportingRecorder, batch: int = PAGE
) -> int:
    """Stores the entries into an empty log; returns how many."""
    if (target.max_notification_id() or 0) != 0 or target.chain_head()[0] != 0:
        raise LogFileError("the target database already holds events: refused")
    count, pending = 0, []
    for entry in entries:
        pending.append(entry)
        if len(pending) == batch:
            target.import_entries(pending)
            count, pending = count + len(pending), []
    if pending:
        target.import_entries(pending)
        count += len(pending)
    return count
