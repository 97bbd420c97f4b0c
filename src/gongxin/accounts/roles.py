"""Roles (DOMAIN §1), data scopes, and what each role may do.

Capabilities are checked by ``User.has_capability``; data scope by the query helpers in
``scope.py``. A role is what a person does in the system; whether they may act on one
particular object is decided where the object is fetched."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("组织部管理员")
    CLERK = "clerk", _("组织部经办人")
    INSPECTOR = "inspector", _("考察人员")
    REVIEWER = "reviewer", _("联审单位经办人")
    VOTER = "voter", _("委员/投票人")
    CADRE = "cadre", _("干部")
    SECTION_HEAD = "section_head", _("科室负责人")


class DataScope(models.TextChoices):
    ALL = "all", _("全部")
    SUBTREE = "subtree", _("本单位及下级")
    UNIT = "unit", _("本单位")
    SELF = "self", _("仅本人")


CAPABILITIES: dict[str, set[str]] = {
    Role.ORG_ADMIN: {
        "people.view", "people.edit", "people.export", "people.view_id_number",
        "config.edit", "accounts.manage", "ledger.view",
        "cases.view", "cases.manage", "meetings.manage", "inspection.manage",
        "review.manage", "publicity.manage", "assessment.manage", "reserve.manage",
        "two_way.manage", "exams.manage", "system.metrics",
    },
    Role.CLERK: {
        "people.view", "people.edit", "people.export", "ledger.view",
        "cases.view", "cases.manage", "meetings.manage", "inspection.manage",
        "review.manage", "publicity.manage", "assessment.manage", "reserve.manage",
        "two_way.manage", "exams.manage",
    },
    Role.INSPECTOR: {"inspection.work"},
    Role.REVIEWER: {"review.answer"},
    Role.VOTER: {"decision.vote", "cases.view_assigned"},
    Role.CADRE: {"people.view", "self.service"},
    Role.SECTION_HEAD: {"self.service", "two_way.rank"},
}

# The scope a new account of each role gets unless the admin chooses otherwise.
DEFAULT_SCOPE = {
    Role.ORG_ADMIN: DataScope.ALL,
    Role.CLERK: DataScope.SUBTREE,
    Role.INSPECTOR: DataScope.SELF,
    Role.REVIEWER: DataScope.SELF,
    Role.VOTER: DataScope.SELF,
    Role.CADRE: DataScope.SELF,
    Role.SECTION_HEAD: DataScope.UNIT,
}
