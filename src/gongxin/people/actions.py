"""Every write on units, posts and cadres. Each action is atomic, takes the acting user,
validates with ``full_clean`` and records one ledger event per state change."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError, full_clean_or_raise
from gongxin.ledger.recording import record_event

from .models import AnnualGrade, Cadre, OrgUnit, Post, PostHolding, Relation, ResumeEntry
from .names import search_keys

# Fields of a cadre that go into the ledger payload when they change. The ID number and
# photo are personal data: the ledger records that they changed, not their values.
PRIVATE_FIELDS = {"id_number", "photo"}


def _changes(instance, data: dict[str, Any]) -> dict[str, Any]:
    changed = {}
    for field, value in data.items():
        old = getattr(instance, field)
        if getattr(old, "pk", old) != getattr(value, "pk", value):
            changed[field] = value
    return changed


def _payload_value(field: str, value):
    if field in PRIVATE_FIELDS:
        return "(已修改)"
    if hasattr(value, "pk"):
        return value.pk
    return value


# ---- org units ---------------------------------------------------------------------------

def _unit_path(unit: OrgUnit) -> str:
    prefix = unit.parent.path if unit.parent_id else ""
    return f"{prefix}{unit.pk:05d}."


@transaction.atomic
def create_org_unit(*, acting_user, name: str, kind: str, parent: OrgUnit | None = None, **fields) -> OrgUnit:
    unit = OrgUnit(name=name, kind=kind, parent=parent, path="tmp", **fields)
    full_clean_or_raise(unit, exclude=["path"])
    unit.depth = parent.depth + 1 if parent else 0
    unit.save()
    unit.path = _unit_path(unit)
    unit.save(update_fields=["path"])
    record_event(kind="people.org_unit.created", subject=unit, actor=acting_user,
                 payload={"name": name, "kind": kind, "parent": parent.pk if parent else None, **fields})
    return unit


@transaction.atomic
def update_org_unit(*, acting_user, unit: OrgUnit, **data) -> OrgUnit:
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    new_parent = data.pop("parent", unit.parent)
    changes = _changes(unit, data)
    for field, value in data.items():
        setattr(unit, field, value)
    moved = (new_parent.pk if new_parent else None) != unit.parent_id
    if moved:
        if new_parent is not None and new_parent.path.startswith(unit.path):
            raise DomainError("org_unit.cycle", _("不能把单位移到它自己的下级单位之下。"))
        unit.parent = new_parent
        changes["parent"] = new_parent
    full_clean_or_raise(unit)
    if not changes:
        return unit
    unit.save()
    if moved:
        old_path, old_depth = unit.path, unit.depth
        unit.path = _unit_path(unit)
        unit.depth = new_parent.depth + 1 if new_parent else 0
        unit.save(update_fields=["path", "depth"])
        # Re-root the whole subtree in one statement.
        OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
            path=Concat(Value(unit.path), Substr("path", len(old_path) + 1)),
            depth=F("depth") - old_depth + unit.depth,
        )
    record_event(kind="people.org_unit.updated", subject=unit, actor=acting_user,
                 payload={k: _payload_value(k, v) for k, v in changes.items()})
    return unit


# ---- posts -----------------------------------------------------------------------------

@transaction.atomic
def create_post(*, acting_user, org_unit: OrgUnit, title: str, rank, kind: str, headcount: int = 1) -> Post:
    post = Post(org_unit=org_unit, title=title, rank=rank, kind=kind, headcount=headcount)
    full_clean_or_raise(post)
    post.save()
    record_event(kind="people.post.created", subject=post, actor=acting_user,
                 payload={"org_unit": org_unit.pk, "title": title, "rank": rank.code, "kind": kind,
                          "headcount": headcount})
    return post


@transaction.atomic
def update_post(*, acting_user, post: Post, **data) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    changes = _changes(post, data)
    for field, value in data.items():
        setattr(post, field, value)
    full_clean_or_raise(post)
    if changes:
        post.save()
        record_event(kind="people.post.updated", subject=post, actor=acting_user,
                     payload={k: _payload_value(k, v) for k, v in changes.items()})
    return post


# ---- cadres ----------------------------------------------------------------------------

def _set_search_keys(cadre: Cadre) -> None:
    cadre.name_pinyin, cadre.name_initials = search_keys(cadre.name)


def _cadre_created_payload(cadre: Cadre) -> dict[str, Any]:
    return {"name": cadre.name, "org_unit": cadre.org_unit_id, "rank": cadre.rank.code if cadre.rank_id else None}


@transaction.atomic
def create_cadre(*, acting_user, **data) -> Cadre:
    cadre = Cadre(**data)
    _set_search_keys(cadre)
    full_clean_or_raise(cadre, exclude=["name_pinyin", "name_initials"])
    try:
        with transaction.atomic():
            cadre.save()
    except IntegrityError as exc:
        raise DomainError("cadre.duplicate_id_number", _("该身份证号码已登记在另一名干部名下，请核对。"),
                          {"fields": {"id_number": [_("该身份证号码已存在。")]}}) from exc
    record_event(kind="people.cadre.created", subject=cadre, actor=acting_user, payload=_cadre_created_payload(cadre))
    return cadre


# Rank and current post change by appointment (appoint_to_post) or a named correction
# (correct_position, reason required, public), never by editing the record (issue 11 defect 6).
POSITION_FIELDS = ("rank", "rank_since", "current_post_title")


@transaction.atomic
def update_cadre(*, acting_user, cadre: Cadre, **data) -> Cadre:
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    changes = _changes(cadre, data)
    if not changes:
        return cadre
    guarded = [f for f in POSITION_FIELDS if f in changes]
    if guarded:
        labels = "、".join(str(Cadre._meta.get_field(f).verbose_name) for f in guarded)
        raise DomainError("cadre.position_by_appointment", _(
            "%(fields)s 只能通过任职办理，或用“更正职级和职务”（须填写原因，公开记录）修改，不能在档案编辑中修改。") % {
            "fields": labels}, {"fields": {f: [_("请通过任职办理或更正职级和职务修改。")] for f in guarded}})
    for field, value in data.items():
        setattr(cadre, field, value)
    _set_search_keys(cadre)
    full_clean_or_raise(cadre, exclude=["name_pinyin", "name_initials"])
    cadre.updated_at = timezone.now()
    try:
        with transaction.atomic():
            cadre.save()
    except IntegrityError as exc:
        raise DomainError("cadre.duplicate_id_number", _("该身份证号码已登记在另一名干部名下，请核对。"),
                          {"fields": {"id_number": [_("该身份证号码已存在。")]}}) from exc
    record_event(kind="people.cadre.updated", subject=cadre, actor=acting_user,
                 payload={"fields": sorted(changes),
                          "values": {k: _payload_value(k, v) for k, v in changes.items() if k != "photo"}})
    return cadre


@transaction.atomic
def correct_position(*, acting_user, cadre: Cadre, reason: str, **data) -> Cadre:
    """更正: fix a wrongly recorded rank, rank date or current post, with the reason; a public
    ledger event (the public can see that a record was corrected, and why) and listed on the
    cadre's page."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason.required", _("更正职级和职务须填写原因。"))
    unknown = set(data) - set(POSITION_FIELDS)
    if unknown:
        raise DomainError("cadre.correction_fields", _("更正只能修改职级、任现职级时间和现任职务。"))
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    changes = _changes(cadre, data)
    if not changes:
        raise DomainError("cadre.correction_empty", _("更正内容与现有记录相同，没有需要更正的内容。"))
    def shown(value):  # readable on the public ledger and the cadre page: the rank's name
        return getattr(value, "name", value) if value is not None else None

    before = {k: shown(getattr(cadre, k)) for k in changes}
    for field, value in changes.items():
        setattr(cadre, field, value)
    full_clean_or_raise(cadre, exclude=["name_pinyin", "name_initials"])
    cadre.updated_at = timezone.now()
    cadre.save(update_fields=[*changes, "updated_at"])
    record_event(kind="people.cadre.position_corrected", subject=cadre, actor=acting_user, public=True,
                 payload={"reason": reason, "before": before,
                          "after": {k: shown(v) for k, v in changes.items()}})
    return cadre


def position_corrections(cadre: Cadre) -> list[dict]:
    """The corrections recorded for ``cadre`` (newest first), read back from the ledger."""
    import json

    from gongxin.ledger.models import Event

    out = []
    for ev in (Event.objects.filter(kind="people.cadre.position_corrected", subject_type="people.cadre",
                                    subject_id=str(cadre.pk)).order_by("-seq")):
        payload = json.loads(bytes(ev.data)).get("payload", {})
        out.append({"at": ev.recorded_at, "actor": ev.actor_name, "reason": payload.get("reason", ""),
                    "before": payload.get("before", {}), "after": payload.get("after", {})})
    return out


@transaction.atomic
def add_resume_entry(*, acting_user, cadre: Cadre, start: dt.date, description: str, end: dt.date | None = None,
                     **fields) -> ResumeEntry:
    entry = ResumeEntry(cadre=cadre, start=start, end=end, description=description, **fields)
    full_clean_or_raise(entry)
    if end is not None and end < start:
        raise DomainError("resume_entry.end_before_start", _("截止年月不能早于起始年月。"))
    entry.save()
    record_event(kind="people.resume_entry.added", subject=cadre, actor=acting_user,
                 payload={"entry": entry.pk, "line": entry.line})
    return entry


@transaction.atomic
def remove_resume_entry(*, acting_user, entry: ResumeEntry) -> None:
    cadre, line, pk = entry.cadre, entry.line, entry.pk
    entry.delete()
    record_event(kind="people.resume_entry.removed", subject=cadre, actor=acting_user, payload={"entry": pk, "line": line})


@transaction.atomic
def add_relation(*, acting_user, cadre: Cadre, kind: str, title: str, name: str, **fields) -> Relation:
    relation = Relation(cadre=cadre, kind=kind, title=title, name=name, **fields)
    full_clean_or_raise(relation)
    if relation.related_cadre_id == cadre.pk:
        raise DomainError("relation.self", _("不能把干部本人登记为自己的亲属。"))
    relation.save()
    record_event(kind="people.relation.added", subject=cadre, actor=acting_user,
                 payload={"relation": relation.pk, "kind": kind, "related_cadre": relation.related_cadre_id})
    return relation


@transaction.atomic
def remove_relation(*, acting_user, relation: Relation) -> None:
    cadre, pk = relation.cadre, relation.pk
    relation.delete()
    record_event(kind="people.relation.removed", subject=cadre, actor=acting_user, payload={"relation": pk})


@transaction.atomic
def appoint_to_post(*, acting_user, cadre: Cadre, post: Post, start: dt.date, probation_end: dt.date | None = None,
                    end_current: bool = True, note: str = "") -> PostHolding:
    """Start a post holding; by default the cadre's current holdings end the day before."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    filled = PostHolding.objects.filter(post=post, end__isnull=True).exclude(cadre=cadre).count()
    if filled >= post.headcount:
        raise DomainError("post.full", _("%(post)s 职数已满（%(n)d/%(n)d），请先免去现任人员或调整职数。") % {
            "post": post, "n": post.headcount})
    ended = []
    if end_current:
        for holding in PostHolding.objects.select_for_update().filter(cadre=cadre, end__isnull=True):
            holding.end = max(holding.start, start - dt.timedelta(days=1))
            holding.save(update_fields=["end"])
            ended.append(holding.pk)
        # The resume follows: its open ("至今") work lines end when the new post starts.
        for entry in ResumeEntry.objects.filter(cadre=cadre, end__isnull=True, start__lte=start).exclude(kind="study"):
            entry.end = max(entry.start, start)
            entry.save(update_fields=["end"])
    holding = PostHolding(cadre=cadre, post=post, start=start, probation_end=probation_end, note=note)
    full_clean_or_raise(holding)
    holding.save()
    resume_line = ResumeEntry(cadre=cadre, start=start, description=f"{post.org_unit.name}{post.title}",
                              org_unit=post.org_unit, place=post.org_unit.name[:100],
                              is_grassroots=post.org_unit.kind in ("township", "village"))
    full_clean_or_raise(resume_line)
    resume_line.save()
    Cadre.objects.filter(pk=cadre.pk).update(
        current_post_title=str(post), org_unit=post.org_unit, rank=post.rank, rank_since=start, updated_at=timezone.now())
    record_event(kind="people.post_holding.started", subject=cadre, actor=acting_user,
                 payload={"holding": holding.pk, "post": post.pk, "start": start, "probation_end": probation_end,
                          "ended": ended})
    return holding


@transaction.atomic
def end_post_holding(*, acting_user, holding: PostHolding, end: dt.date, note: str = "") -> PostHolding:
    holding = PostHolding.objects.select_for_update().get(pk=holding.pk)
    if holding.end is not None:
        raise DomainError("post_holding.already_ended", _("该任职已于 %(date)s 结束。") % {"date": holding.end})
    if end < holding.start:
        raise DomainError("post_holding.end_before_start", _("免职时间不能早于任职时间。"))
    holding.end = end
    holding.note = note or holding.note
    holding.save(update_fields=["end", "note"])
    # The record follows, as when a new post starts: the post's open ("至今") resume line ends,
    # and 现任职务 names the posts still held, else the cadre's unit and rank (一般干部).
    post = Post.objects.select_related("org_unit").get(pk=holding.post_id)
    ResumeEntry.objects.filter(cadre_id=holding.cadre_id, end__isnull=True, start__lte=end,
                               description=f"{post.org_unit.name}{post.title}").update(end=end)
    cadre = Cadre.objects.select_related("org_unit", "rank").get(pk=holding.cadre_id)
    held = [str(h.post) for h in PostHolding.objects.filter(cadre=cadre, end__isnull=True)
            .select_related("post__org_unit").order_by("start", "pk")]
    title = "，".join(held) if held else f"{cadre.org_unit.name}{cadre.rank.name if cadre.rank_id else ''}"
    Cadre.objects.filter(pk=cadre.pk).update(current_post_title=title[:200], updated_at=timezone.now())
    record_event(kind="people.post_holding.ended", subject=holding.cadre, actor=acting_user,
                 payload={"holding": holding.pk, "end": end, "current_post": title[:200]})
    return holding


@transaction.atomic
def set_annual_grade(*, acting_user, cadre: Cadre, year: int, grade: str) -> AnnualGrade:
    row, created = AnnualGrade.objects.update_or_create(cadre=cadre, year=year, defaults={"grade": grade})
    record_event(kind="people.annual_grade.set", subject=cadre, actor=acting_user, payload={"year": year, "grade": grade})
    return row


@transaction.atomic
def set_probation_end(*, acting_user, holding: PostHolding, probation_end: dt.date, reason: str = "") -> PostHolding:
    """Move the end of a holding's probation (an extension decided at its end, R18)."""
    holding = PostHolding.objects.select_for_update().get(pk=holding.pk)
    if probation_end < holding.start:
        raise DomainError("post_holding.probation_before_start", _("试用期满日期不能早于任职时间。"))
    previous = holding.probation_end
    holding.probation_end = probation_end
    holding.save(update_fields=["probation_end"])
    record_event(kind="people.post_holding.probation_changed", subject=holding.cadre, actor=acting_user,
                 payload={"holding": holding.pk, "from": previous, "to": probation_end, "reason": reason})
    return holding
