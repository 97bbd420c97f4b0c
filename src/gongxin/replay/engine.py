"""The dispatcher: picks out the events that carry inputs or results by their kind, read from
the canonical bytes without decoding the rest, and hands them to one replayer per domain."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

EQUAL, DIFFERS, NOT_REPLAYABLE = "equal", "differs", "not_replayable"
_KIND = b'"kind":"'


@dataclass(frozen=True)
class Result:
    what: str        # "meeting tally", "decision", "publicity period", …
    subject: str     # "meeting 3"
    seq: int         # the event that recorded the result
    status: str      # EQUAL | DIFFERS | NOT_REPLAYABLE
    detail: str = ""

    def line(self) -> str:
        if self.status == EQUAL:
            return f"seq {self.seq}: {self.what} of {self.subject}: replayed and equal"
        if self.status == DIFFERS:
            return f"seq {self.seq}: {self.what} of {self.subject}: the recorded result differs from the replay: {self.detail}"
        return f"seq {self.seq}: {self.what} of {self.subject}: not replayable: {self.detail}"


def first_difference(recorded, replayed, path: str = "") -> str | None:
    """Where two JSON values first differ, in words: ``posts[0].votes.12: recorded 5, replayed 4``."""
    if isinstance(recorded, dict) and isinstance(replayed, dict):
        for key in sorted(set(recorded) | set(replayed), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in recorded:
                return f"{where}: missing from the record, replayed {replayed[key]!r}"
            if key not in replayed:
                return f"{where}: recorded {recorded[key]!r}, absent from the replay"
            found = first_difference(recorded[key], replayed[key], where)
            if found:
                return found
        return None
    if isinstance(recorded, list) and isinstance(replayed, list):
        for i, (a, b) in enumerate(zip(recorded, replayed, strict=False)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        if len(recorded) != len(replayed):
            return f"{path}: {len(recorded)} items recorded, {len(replayed)} replayed"
        return None
    if recorded != replayed or isinstance(recorded, bool) != isinstance(replayed, bool):
        return f"{path or 'value'}: recorded {recorded!r}, replayed {replayed!r}"
    return None


class Replayer:
    def __init__(self, *, calendar: dict | None = None):
        from . import assessment, decisions, exams, matching, meetings, publicity

        self.results: list[Result] = []
        self.events = 0
        self._domains = [meetings.Meetings(self), decisions.Decisions(self), publicity.Publicity(self, calendar),
                         matching.Matching(self), assessment.Assessment(self), exams.Exams(self)]
        self._handlers: dict[bytes, Callable[[int, dict], None]] = {}
        for domain in self._domains:
            for kind, handler in domain.handlers().items():
                self._handlers[kind.encode()] = handler

    def add(self, what: str, subject: str, seq: int, status: str, detail: str = "") -> None:
        self.results.append(Result(what, subject, seq, status, detail))

    def compare(self, what: str, subject: str, seq: int, recorded, replayed) -> None:
        found = None if recorded == replayed else first_difference(recorded, replayed) or "the values differ"
        self.add(what, subject, seq, DIFFERS if found else EQUAL, found or "")

    def feed(self, seq: int, data: bytes) -> None:
        """One event's canonical bytes. Events whose kind replay does not use cost one find."""
        at = data.find(_KIND)
        if at < 0:
            return
        start = at + 8
        handler = self._handlers.get(data[start:data.find(b'"', start)])
        if handler is None:
            return
        self.events += 1
        try:
            envelope = json.loads(data)
        except ValueError:
            return  # the tree check reports content that is not the hashed JSON
        try:
            handler(seq, envelope)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            subject = envelope.get("subject") or {}
            self.add(envelope.get("kind", "event"), f"{subject.get('type')} {subject.get('id')}", seq, DIFFERS,
                     f"the event's inputs cannot be read ({type(exc).__name__}: {exc})")

    def finish(self) -> list[Result]:
        for domain in self._domains:
            domain.finish()
        self.results.sort(key=lambda r: r.seq)
        return self.results

    def first_differing(self) -> Result | None:
        return next((r for r in self.results if r.status == DIFFERS), None)


def subject_id(envelope: dict) -> str:
    return str(envelope["subject"]["id"])
