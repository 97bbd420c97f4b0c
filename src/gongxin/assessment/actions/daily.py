"""The daily assessment file (日常考核档案)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError
from gongxin.ledger.recording import record_event
from gongxin.people.models import Cadre

from ..models import (
    DailyCategory,
    DailyRecord,
)


@transaction.atomic
def add_daily_record(*, acting_user, cadre: Cadre, recorded_on: dt.date, category: str, text: str) -> DailyRecord:
    if category not in DailyCategory.values:
        raise DomainError("daily_record.category", _("请选择记录类别。"))
    text = (text or "").strip()
    if not text:
        raise DomainError("daily_record.text_required", _("请填写记录内容。"))
    if len(text) > 2000:
        raise DomainError("daily_record.too_long", _("记录内容不能超过 2000 字。"))
    if recorded_on > timezone.localdate():
        raise DomainError("daily_record.future", _("记录日期不能晚于今天。"))
    record = DailyRecord.objects.create(cadre=cadre, recorded_on=recorded_on, category=category, text=text,
                                        recorded_by=acting_user)
    record_event(kind="assessment.daily_record.added", subject=cadre, actor=acting_user,
                 payload={"recorded_on": recorded_on, "category": category, "text": text})
    return record
