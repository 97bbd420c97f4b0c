"""Chinese formats with ISO input first: a form's date (and date-time) inputs render their
value in the first input format, and <input type=date> only takes yyyy-MM-dd."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403
from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS as _DATES
from django.conf.locale.zh_Hans.formats import DATETIME_INPUT_FORMATS as _DATETIMES

DATE_INPUT_FORMATS = ["%Y-%m-%d"] + [f for f in _DATES if f != "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] + [
    f for f in _DATETIMES if f not in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")]
