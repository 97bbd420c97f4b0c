"""Write ``data/workdays_cn.json``, the working-day calendar shipped with the verifier, from the
``chinesecalendar`` package the product uses: ``python -m gongxin.replay.make_calendar``.
Run it when that package learns a new year; ``tests/replay`` fails until you do."""

from __future__ import annotations

import datetime as dt
import json
import sys

from .publicity import CALENDAR_FILE


def build() -> dict:
    import chinese_calendar

    years, holidays, makeups = [], [], []
    for year in range(2000, 2100):
        try:
            chinese_calendar.is_workday(dt.date(year, 1, 1))
        except NotImplementedError:
            continue
        years.append(year)
        day = dt.date(year, 1, 1)
        while day.year == year:
            work = bool(chinese_calendar.is_workday(day))
            if work and day.isoweekday() > 5:
                makeups.append(day.isoformat())
            elif not work and day.isoweekday() <= 5:
                holidays.append(day.isoformat())
            day += dt.timedelta(days=1)
    return {"format": "gongxin-workdays/1", "source": f"chinesecalendar {chinese_calendar.__version__}",
            "years": years, "weekday_holidays": holidays, "weekend_workdays": makeups}


def main() -> int:
    CALENDAR_FILE.write_text(json.dumps(build(), indent=0) + "\n", encoding="utf-8")
    print(f"wrote {CALENDAR_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
