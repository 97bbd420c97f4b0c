"""A unit for two-way selection: 县档案局 with three sections (headcounts 2, 1, 1 from their
general posts), five staff, a section head per section, and a clerk of the unit."""

import datetime as dt

import pytest
from django.utils import timezone

from gongxin.accounts.models import User
from gongxin.accounts.roles import DataScope, Role
from gongxin.matching import actions
from gongxin.people import actions as people_actions
from gongxin.people.models import OrgUnitKind, PostKind

NAMES = ["赵一", "钱二", "孙三", "李四", "周五"]


@pytest.fixture
def unit(cast, ranks, make_cadre):
    a = people_actions
    unit = a.create_org_unit(acting_user=None, name="县档案局", kind=OrgUnitKind.DEPARTMENT, parent=cast["root"])
    sections = {}
    for name, n in [("档案管理科", 2), ("编研科", 1), ("办公室", 1)]:
        s = a.create_org_unit(acting_user=None, name=name, kind=OrgUnitKind.SECTION, parent=unit)
        a.create_post(acting_user=None, org_unit=s, title="科员", rank=ranks["yiji_keyuan"],
                      kind=PostKind.STAFF, headcount=n)
        sections[name] = s
    staff = [make_cadre(unit, name=n, birth=dt.date(1990, 1, 1 + i)) for i, n in enumerate(NAMES)]
    clerk = User.objects.create_user(username="unit_clerk", password="x-pass-1234", role=Role.CLERK,
                                     data_scope=DataScope.SUBTREE, full_name="档案局经办人")
    clerk.org_units.set([unit])
    heads = {}
    for name, s in sections.items():
        u = User.objects.create_user(username=f"head_{s.pk}", password="x-pass-1234", role=Role.SECTION_HEAD,
                                     data_scope=DataScope.UNIT, full_name=f"{name}负责人")
        u.org_units.set([s])
        heads[name] = u
    accounts = {}
    for c in staff:
        accounts[c.name] = User.objects.create_user(username=f"staff_{c.pk}", password="x-pass-1234", role=Role.CADRE,
                                                    data_scope=DataScope.SELF, cadre=c, full_name=c.name)
    return {"unit": unit, "sections": sections, "staff": staff, "clerk": clerk, "heads": heads, "accounts": accounts}


@pytest.fixture
def open_round(unit):
    r = actions.create_round(acting_user=unit["clerk"], org_unit=unit["unit"], title="2026年县档案局双向选择",
                             ranking_deadline=timezone.localdate() + dt.timedelta(days=5))
    return r


def entry_of(round_, cadre):
    return round_.staff.get(cadre=cadre)


def section_of(round_, org_unit):
    return round_.sections.get(section=org_unit)
