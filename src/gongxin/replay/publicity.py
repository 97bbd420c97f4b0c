"""Publicity periods (R17): each pre-appointment notice's last day, recounted from its start and
its number of working days on the State Council calendar shipped with the verifier
(``data/workdays_cn.json``, made from the ``chinesecalendar`` package the product uses; a test
keeps them equal) and the office's own working-day changes, which are public ledger events
(``publicity.workday_override.set`` / ``.removed``), as they stood when the notice was
published. The walk itself is ``gongxin.publicity.workdays``, the product's own."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from gongxin.publicity import workdays

from .engine import NOT_REPLAYABLE, subject_id

CALENDAR_FILE = Path(__file__).with_name("data") / "workdays_cn.json"
PRE_APPOINTMENT = "pre_appointment"
YEARS_AHEAD = 2   # the product reads override rows from the start's year to two years on


def load_calendar(path: Path | str = CALENDAR_FILE) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def calendar_lookup(calendar: dict) -> workdays.Lookup:
    """date → working day? from the shipped calendar; None for a year it does not hold."""
    years = {int(y) for y in calendar["years"]}
    holidays = {dt.date.fromisoformat(d) for d in calendar["weekday_holidays"]}
    makeups = {dt.date.fromisoformat(d) for d in calendar["weekend_workdays"]}

    def _lookup(day: dt.date) -> bool | None:
        if day.year not in years:
            return None
        if day in makeups:
            return True
        if day in holidays:
            return False
        return day.isoweekday() <= 5

    return _lookup


class Publicity:
    def __init__(self, out, calendar: dict | None = None):
        self.out = out
        self._calendar = calendar
        self._shipped = None
        self.overrides: dict[dt.date, bool] = {}

    def handlers(self):
        return {"publicity.workday_override.set": self.override_set,
                "publicity.workday_override.removed": self.override_removed,
                "publicity.notice.published": self.published}

    def override_set(self, seq, env):
        p = env["payload"]
        self.overrides[dt.date.fromisoformat(p["date"])] = bool(p["is_workday"])

    def override_removed(self, seq, env):
        self.overrides.pop(dt.date.fromisoformat(env["payload"]["date"]), None)

    def published(self, seq, env):
        p = env["payload"]
        if p.get("kind") != PRE_APPOINTMENT:
            return
        name = f"notice {subject_id(env)}"
        if not p.get("period_start") or not p.get("working_days"):
            self.out.add("publicity period", name, seq, NOT_REPLAYABLE, "the event names no start or no number of working days")
            return
        if self._shipped is None:
            self._shipped = calendar_lookup(self._calendar if self._calendar is not None else load_calendar())
        start = dt.date.fromisoformat(p["period_start"])
        window = {d: v for d, v in self.overrides.items() if start.year <= d.year <= start.year + YEARS_AHEAD}
        lookup = workdays.chain(workdays.override_lookup(window), self._shipped)
        try:
            period = workdays.period_end(start, int(p["working_days"]), lookup, {d.year for d in window})
            replayed = period.end.isoformat()
        except ValueError as exc:
            replayed = f"no period ({exc})"
        self.out.compare("publicity period", name, seq, {"period_end": p.get("period_end")}, {"period_end": replayed})

    def finish(self):
        pass
