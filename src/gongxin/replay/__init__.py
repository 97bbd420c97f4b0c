"""Replay: re-derive every published result from the events' own inputs and compare it with
what the ledger recorded. Pure: the standard library and Gongxin's pure cores (meetings.tally,
cases.decision_core, publicity.workdays, matching.core, assessment.scoring), no Django, so
``python -m gongxin.verify`` runs it offline on an exported bundle.

``Replayer.feed(seq, data)`` takes each event's canonical bytes in order; ``finish()`` returns
one ``Result`` per recorded result: replayed and equal, different (naming the event), or not
replayable (what is missing)."""

from .engine import DIFFERS, EQUAL, NOT_REPLAYABLE, Replayer, Result

__all__ = ["DIFFERS", "EQUAL", "NOT_REPLAYABLE", "Replayer", "Result"]
