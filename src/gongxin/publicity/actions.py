"""Every write of the publicity app: notices and the working-day table here; feedback
(:mod:`.feedback_actions`) and appointments with probation (:mod:`.appointments`) re-exported.
Atomic, keyword-only, the acting user first (None for a member of the public), one ledger event
per state change."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict, DomainError, full_clean_or_raise
from gongxin.ledger.recording import record_event
from gongxin.people.models import Cadre, Degree, Education, PoliticalStatus, Post, Sex

from . import calendar, integration, queries, strokes
from .appointments import (  # noqa: F401 - the appointment sub-domain, re-exported for callers of actions
    appoint,
    candidate_feedback_blockers,
    candidate_feedback_blockers_many,
    candidate_gate_blockers,
    case_appointment_blockers,
    decide_probation,
    notice_blockers,
    on_candidate_appointed,
    period_blockers,
    probation_applies,
)
from .feedback_actions import (  # noqa: F401 - the feedback sub-domain, re-exported for callers of actions
    ALLOWED_EXTENSIONS,
    ALLOWED_TYPES,
    CODE_LENGTH,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    assign_feedback,
    check_attachment,
    display_code,
    hash_address,
    new_code,
    normalise_code,
    reply_feedback,
    resolve_feedback,
    submit_feedback,
    transfer_feedback,
)
from .models import (
    OPEN_FEEDBACK,
    NameOrder,
    Notice,
    NoticeEntry,
    NoticeKind,
    NoticeStatus,
    WorkdayOverride,
)


def _today() -> dt.date:
    return timezone.localdate()


# ---- working-day table ------------------------------------------------------------------

@transaction.atomic
def set_workday_override(*, acting_user, date: dt.date, is_workday: bool, note: str = "") -> WorkdayOverride:
    row, created = WorkdayOverride.objects.select_for_update().get_or_create(
        date=date, defaults={"is_workday": is_workday, "note": note})
    if not created:
        row.is_workday, row.note = is_workday, note
    full_clean_or_raise(row)
    row.save()
    record_event(kind="publicity.workday_override.set", subject=row, actor=acting_user,
                 payload={"date": date, "is_workday": is_workday, "note": note}, public=True)
    return row


@transaction.atomic
def remove_workday_override(*, acting_user, override: WorkdayOverride) -> None:
    date, pk = override.date, override.pk
    override.delete()
    record_event(kind="publicity.workday_override.removed", subject=("publicity.workdayoverride", pk),
                 actor=acting_user, payload={"date": date}, public=True)


# ---- notices ---------------------------------------------------------------------------

def _month(day: dt.date | None) -> str:
    return f"{day:%Y.%m}" if day else ""


def entry_fields_from_cadre(cadre: Cadre, post: Post | None = None) -> dict[str, Any]:
    """The fields of R29 for one person, as the notice prints them."""
    education = Education(cadre.fulltime_education).label if cadre.fulltime_education else ""
    if cadre.fulltime_degree:
        education = f"{education}、{Degree(cadre.fulltime_degree).label}" if education else Degree(cadre.fulltime_degree).label
    if cadre.parttime_education:
        part = Education(cadre.parttime_education).label
        if cadre.parttime_degree:
            part += "、" + Degree(cadre.parttime_degree).label
        education = f"{education}（在职{part}）" if education else f"在职{part}"
    resume = "\n".join(e.line for e in cadre.resume_entries.all())
    return {
        "cadre": cadre,
        "post": post,
        "name": cadre.name,
        "sex": Sex(cadre.sex).label if cadre.sex else "",
        "ethnicity": cadre.ethnicity,
        "birth": _month(cadre.birth_date),
        "political_status": PoliticalStatus(cadre.political_status).label if cadre.political_status else "",
        "education": education,
        "work_started": _month(cadre.work_started),
        "current_post": cadre.current_post_title or str(cadre.org_unit),
        "proposed_post": str(post) if post else cadre.proposed_post_title,
        "resume": resume[:4000],
    }


def _reorder(notice: Notice) -> None:
    entries = list(notice.entries.all())
    variant = strokes.SURNAME if notice.name_order == NameOrder.SURNAME else strokes.FULL_NAME
    for position, entry in enumerate(strokes.sort_by_name(entries, lambda e: e.name, variant), start=1):
        if entry.position != position:
            NoticeEntry.objects.filter(pk=entry.pk).update(position=position)


def _forget_public_pages(notice_pk: int) -> None:
    """After commit, drop the public pages' cached copies that show this notice."""

    def _drop():
        today = timezone.localdate()
        keys = [queries.notice_cache_key(notice_pk)]
        for lang, _name in settings.LANGUAGES:
            keys += [queries.portal_cache_key(lang, today), queries.notice_list_cache_key(lang, today)]
        cache.delete_many(keys)

    transaction.on_commit(_drop)


def _require_draft(notice: Notice) -> None:
    if notice.status != NoticeStatus.DRAFT:
        raise Conflict("notice.not_draft", _("公告已发布，不能再修改；如有错误请发布更正公告。"))


@transaction.atomic
def create_notice(*, acting_user, kind: str, title: str, org_unit, body: str = "", case_id: int | None = None,
                  name_order: str = NameOrder.SURNAME, contact: str = "") -> Notice:
    notice = Notice(kind=kind, title=title, org_unit=org_unit, body=body, case_id=case_id, name_order=name_order,
                    contact=contact, created_by=acting_user if getattr(acting_user, "pk", None) else None)
    full_clean_or_raise(notice)
    notice.save()
    record_event(kind="publicity.notice.created", subject=notice, actor=acting_user,
                 payload={"kind": kind, "title": title, "org_unit": org_unit.pk, "case": case_id})
    return notice


@transaction.atomic
def update_notice(*, acting_user, notice: Notice, **data) -> Notice:
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    _require_draft(notice)
    changed = {k: v for k, v in data.items() if getattr(notice, k) != v}
    for k, v in changed.items():
        setattr(notice, k, v)
    full_clean_or_raise(notice)
    if changed:
        notice.save()
        if "name_order" in changed:
            _reorder(notice)
        record_event(kind="publicity.notice.updated", subject=notice, actor=acting_user,
                     payload={"fields": sorted(changed)})
    return notice


@transaction.atomic
def add_notice_entry(*, acting_user, notice: Notice, cadre: Cadre | None = None, post: Post | None = None,
                     candidate_id: int | None = None, **fields) -> NoticeEntry:
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    _require_draft(notice)
    data = entry_fields_from_cadre(cadre, post) if cadre is not None else {"post": post}
    data.update({k: v for k, v in fields.items() if v is not None})
    if cadre is not None and notice.entries.filter(cadre=cadre).exists():
        raise Conflict("notice.duplicate_entry", _("%(name)s 已在本公告中。") % {"name": cadre.name})
    entry = NoticeEntry(notice=notice, candidate_id=candidate_id, **data)
    full_clean_or_raise(entry)
    entry.save()
    _reorder(notice)
    record_event(kind="publicity.notice.entry_added", subject=notice, actor=acting_user,
                 payload={"entry": entry.pk, "name": entry.name, "cadre": cadre.pk if cadre else None})
    return entry


@transaction.atomic
def remove_notice_entry(*, acting_user, entry: NoticeEntry) -> None:
    notice = Notice.objects.select_for_update().get(pk=entry.notice_id)
    _require_draft(notice)
    pk, name = entry.pk, entry.name
    entry.delete()
    _reorder(notice)
    record_event(kind="publicity.notice.entry_removed", subject=notice, actor=acting_user,
                 payload={"entry": pk, "name": name})


def _entry_payload(entry: NoticeEntry) -> dict[str, Any]:
    return {f: getattr(entry, f) for f in ("position", "name", "sex", "ethnicity", "birth", "political_status",
                                           "education", "work_started", "current_post", "proposed_post",
                                           "resume", "extra")}


@transaction.atomic
def publish_notice(*, acting_user, notice: Notice, start: dt.date | None = None,
                   deadline: dt.date | None = None) -> Notice:
    """Draft → published. A pre-appointment notice runs for the working days of R17 from
    ``start``: today by default, a later day if planned, never earlier, since the period runs
    from the day the public can read it (the day of this ledger event). Other notices may
    carry a ``deadline`` (a vacancy notice's closing date). The full text goes into a public
    ledger event."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    _require_draft(notice)
    entries = list(notice.entries.all())
    if notice.kind == NoticeKind.PRE_APPOINTMENT and not entries:
        raise DomainError("notice.no_entries", _("任前公示至少要有一名公示对象。"))
    unknown = strokes.unknown_characters([e.name for e in entries])
    today = _today()
    start = start or today
    if start < today:
        raise DomainError("notice.start_in_past", _(
            "公示开始日期 %(start)s 早于发布当天 %(today)s：公示期从公告向社会公开之日起算，不能倒签。"
            "请把开始日期改为今天或以后。") % {"start": start, "today": today})
    if deadline is not None and deadline < start:
        raise DomainError("notice.deadline_before_start", _("截止日期不能早于开始日期 %(start)s。") % {"start": start})
    notice.period_start = start
    if notice.kind == NoticeKind.PRE_APPOINTMENT:
        case = integration.get_case(notice.case_id)
        n, source = integration.publicity_working_days(case)
        period = calendar.publicity_period(start, n)
        notice.working_days, notice.rule_source = n, source
        notice.period_end = period.end
        notice.calendar_warnings = list(period.warnings)
    else:
        notice.period_end = deadline
        notice.calendar_warnings = []
    if unknown:
        notice.calendar_warnings.append(
            _("以下字不在笔画数据中，已排在最后：%(chars)s") % {"chars": "".join(sorted(unknown))})
    notice.status = NoticeStatus.PUBLISHED
    notice.published_at = timezone.now()
    event = record_event(
        kind="publicity.notice.published", subject=notice, actor=acting_user, public=True,
        payload={"kind": notice.kind, "title": notice.title, "body": notice.body, "org_unit": notice.org_unit.name,
                 "period_start": notice.period_start, "period_end": notice.period_end,
                 "working_days": notice.working_days, "rule": notice.rule_source, "name_order": notice.name_order,
                 "entries": [_entry_payload(e) for e in sorted(entries, key=lambda e: e.position)]})
    notice.ledger_seq = event.seq
    notice.leaf_hash = bytes(event.leaf_hash).hex()
    notice.save()
    integration.checkpoint_after_commit(_("发布%(kind)s：%(title)s") % {"kind": notice.get_kind_display(), "title": notice.title})
    _forget_public_pages(notice.pk)
    return notice


@transaction.atomic
def close_notice(*, acting_user, notice: Notice, today: dt.date | None = None, automatic: bool = False) -> Notice:
    """Published → closed, once its period is over. A clerk may close a notice with feedback
    still open (the event records how many); the system (``automatic``, closing.py) never does."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    today = today or _today()
    if notice.status != NoticeStatus.PUBLISHED:
        raise Conflict("notice.not_published", _("只有已发布的公告才能结束。"))
    if notice.period_end and not notice.period_over(today):
        raise Conflict("notice.period_running", _("公示期至 %(date)s 截止，期满后才能结束。") % {"date": notice.period_end})
    if automatic and notice.period_end is None:
        raise Conflict("notice.no_period", _("该公告没有截止日期，须由经办人结束。"))
    open_count = notice.feedback.filter(status__in=OPEN_FEEDBACK).count()
    if automatic and open_count:
        raise Conflict("notice.feedback_open", _("公示反馈尚有 %(n)d 件未办结，公示期满也不自动结束。") % {"n": open_count})
    notice.status = NoticeStatus.CLOSED
    notice.closed_at = timezone.now()
    notice.save(update_fields=["status", "closed_at"])
    payload = {"feedback": notice.feedback.count(), "open_feedback": open_count}
    if automatic:
        payload.update(automatic=True, period_end=notice.period_end)
    record_event(kind="publicity.notice.closed", subject=notice, actor=acting_user, public=True, payload=payload)
    _forget_public_pages(notice.pk)
    return notice


@transaction.atomic
def create_publicity_notice_for_case(*, acting_user, case, publish: bool = False,
                                     start: dt.date | None = None) -> Notice:
    """The pre-appointment notice of a case: its active candidates with their proposed posts,
    ordered by strokes (R28). Run when the case enters publicity."""
    existing = Notice.objects.filter(case_id=case.pk, kind=NoticeKind.PRE_APPOINTMENT).first()
    if existing is not None:
        return existing
    notice = create_notice(acting_user=acting_user, kind=NoticeKind.PRE_APPOINTMENT, org_unit=case.org_unit,
                           title=_("%(title)s任前公示") % {"title": case.title}, case_id=case.pk,
                           body=_("经研究，拟任用以下同志。现予公示，公示期间如有意见，可通过本平台反馈，"
                                  "也可来信来电反映。反映问题要实事求是，以真实姓名反映的优先核查。"))
    candidates = case.candidates.filter(status="active").select_related("cadre", "post", "cadre__org_unit")
    for candidate in candidates:
        post = candidate.post
        if post is None:
            first = case.case_posts.select_related("post__org_unit").first()
            post = first.post if first else None
        add_notice_entry(acting_user=acting_user, notice=notice, cadre=candidate.cadre, post=post,
                         candidate_id=candidate.pk)
    if publish:
        notice = publish_notice(acting_user=acting_user, notice=notice, start=start)
    return notice


# ---- the case's hooks ------------------------------------------------------------------

def on_case_enters_publicity(case, acting_user) -> None:
    create_publicity_notice_for_case(acting_user=acting_user, case=case)
