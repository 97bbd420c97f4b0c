import datetime as dt

import pytest

from gongxin.core.errors import Forbidden, NotFound
from gongxin.publicity import actions, permissions
from tests.publicity.helpers import publish_as_of


def test_capability_by_role(cast):
    users = cast["users"]
    assert permissions.can_manage_publicity(users["org_admin"]) and permissions.can_manage_publicity(users["clerk"])
    for role in ("inspector", "reviewer", "voter", "cadre", "section_head"):
        assert not permissions.can_manage_publicity(users[role])
        with pytest.raises(Forbidden):
            permissions.notices_for_user(users[role])


def test_township_clerk_sees_only_their_subtree(publicity):
    clerk, admin = publicity["clerk"], publicity["users"]["org_admin"]
    other = actions.create_notice(acting_user=admin, kind="pre_appointment", title="财政局公示", org_unit=publicity["finance"])
    actions.add_notice_entry(acting_user=admin, notice=other, cadre=publicity["cadres"]["li"])
    other = publish_as_of(dt.date(2026, 11, 9), acting_user=admin, notice=other)
    fb = actions.submit_feedback(notice=other, category="other", text="财政局的反馈")
    assert set(permissions.notices_for_user(clerk)) == {publicity["notice"]}
    assert set(permissions.notices_for_user(admin)) == {publicity["notice"], other}
    with pytest.raises(NotFound):
        permissions.get_feedback_for_user(clerk, fb.pk)
    assert permissions.get_feedback_for_user(admin, fb.pk) == fb
    actions.resolve_feedback(acting_user=admin, feedback=fb, reply="已核查。")
    appointment = actions.appoint(acting_user=admin, cadre=publicity["cadres"]["li"],
                                  post=publicity["posts"]["hefang_secretary"], start=dt.date(2026, 11, 20),
                                  notice=other, today=dt.date(2026, 11, 20))
    with pytest.raises(NotFound):
        permissions.get_appointment_for_user(clerk, appointment.pk)
    assert permissions.get_appointment_for_user(admin, appointment.pk) == appointment
