"""Publishing as on a past day: the action refuses a start before the day it runs (issue 11
defect 2), so a test that needs a notice from the past runs the action as on that day."""

from unittest import mock

from gongxin.publicity import actions


def publish_as_of(day, **kwargs):
    with mock.patch.object(actions, "_today", return_value=day):
        return actions.publish_notice(start=kwargs.pop("start", day), **kwargs)
