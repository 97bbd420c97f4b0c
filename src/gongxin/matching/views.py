"""Pages for two-way selection. Adapters: parse, call one action or query, render. Objects come
through ``permissions`` (403 without the capability, 404 out of scope).

The ranking pages work without JavaScript: the order travels in hidden inputs, and the up,
down, add and remove buttons post the draft back to be redrawn; only "保存排序" saves.
rank.js adds drag-to-order on top (pointer events, so it works with a finger)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongxin.accounts.scope import unit_q
from gongxin.core.errors import DomainError, NotFound
from gongxin.people.models import OrgUnit, OrgUnitKind

from . import actions, permissions, queries, workflow
from .models import MatchingRule, Outcome, RoundSection, RoundStatus


def _crumbs(*items):
    return [(_("双向选择"), reverse("matching:round_list")), *items]


@login_required
def round_list(request):
    user = request.user
    managed = permissions.rounds_managed_by(user).select_related("org_unit")
    staff_entries, sections = queries.my_rounds(user)
    if not (permissions.can_manage_matching(user) or staff_entries or sections
            or permissions.can_rank_as_staff(user) or permissions.can_rank_as_section(user)):
        permissions.require(user, False)
    units = []
    if permissions.can_manage_matching(user):
        units = (OrgUnit.objects.filter(unit_q(user, "self"), children__kind=OrgUnitKind.SECTION)
                 .exclude(kind=OrgUnitKind.SECTION).distinct().order_by("path")[:200])
    return render(request, "matching/round_list.html", {
        "breadcrumbs": _crumbs(), "managed": managed, "staff_entries": staff_entries, "sections": sections,
        "units": units, "default_deadline": timezone.localdate() + dt.timedelta(days=7),
    })


@login_required
@require_POST
def round_new(request):
    permissions.require(request.user, permissions.can_manage_matching(request.user))
    try:
        unit = OrgUnit.objects.filter(unit_q(request.user, "self")).get(pk=request.POST.get("org_unit") or 0)
        deadline = dt.date.fromisoformat(request.POST.get("ranking_deadline", ""))
    except (OrgUnit.DoesNotExist, ValueError):
        messages.error(request, _("请选择单位并填写排序截止日期（年-月-日）。"))
        return redirect("matching:round_list")
    try:
        round_ = actions.create_round(acting_user=request.user, org_unit=unit, title=request.POST.get("title", ""),
                                      ranking_deadline=deadline)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("matching:round_list")
    messages.success(request, _("双向选择已开始，参与人员和科室负责人可以排序了。"))
    return redirect("matching:round_detail", pk=round_.pk)


@login_required
def round_detail(request, pk):
    round_ = permissions.get_round_for_manager(request.user, pk)
    closed = round_.status != RoundStatus.RANKING
    rows = queries.staff_rows(round_)
    names = queries.section_names(round_)
    spare = queries.sections_with_spare(round_) if closed else []
    for row in rows:
        row.why_not = queries.why_not_lines(round_, row, names) if closed else []
    return render(request, "matching/round_detail.html", {
        "breadcrumbs": _crumbs((round_.title, None)), "round": round_, "closed": closed,
        "progress": queries.progress(round_), "rows": rows,
        "queue": [r for r in rows if r.outcome in (Outcome.UNMATCHED, Outcome.STANDBY)],
        "spare": spare, "has_spare": any(n > 0 for _s, n in spare),
        "differences": queries.differences(round_), "certificate": (round_.outputs or {}).get("certificate"),
        "rules": MatchingRule.choices, "today": timezone.localdate(),
    })


def _manager_post(request, pk, call, success):
    round_ = permissions.get_round_for_manager(request.user, pk)
    try:
        call(round_)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("matching:round_detail", pk=round_.pk)


@login_required
@require_POST
def round_close(request, pk):
    return _manager_post(request, pk, lambda r: actions.close_round(acting_user=request.user, round_=r),
                         _("排序已截止，匹配完成。"))


@login_required
@require_POST
def round_publish(request, pk):
    return _manager_post(request, pk, lambda r: actions.publish_round(acting_user=request.user, round_=r),
                         _("结果已在本单位公布。"))


@login_required
@require_POST
def round_rule(request, pk):
    return _manager_post(request, pk, lambda r: actions.set_round_rule(
        acting_user=request.user, round_=r, rule=request.POST.get("rule", ""), reason=request.POST.get("reason", "")),
        _("匹配方案已更改。"))


def _entry_and_section(round_, request):
    try:
        entry = round_.staff.select_related("cadre").get(pk=request.POST.get("entry") or 0)
    except (ValueError, round_.staff.model.DoesNotExist):
        raise NotFound("matching.staff.not_found", _("找不到该人员。")) from None
    section = RoundSection.objects.filter(round=round_, pk=request.POST.get("section") or 0).first() \
        if str(request.POST.get("section", "")).isdigit() else None
    return entry, section


@login_required
@require_POST
def assign(request, pk):
    def call(round_):
        entry, section = _entry_and_section(round_, request)
        if section is None:
            raise DomainError("matching.assignment.section", _("请选择分配去的科室。"))
        actions.assign_unmatched(acting_user=request.user, entry=entry, section=section,
                                 reason=request.POST.get("reason", ""))
    return _manager_post(request, pk, call, _("党委分配已记录。"))


@login_required
@require_POST
def standby(request, pk):
    def call(round_):
        entry, _section = _entry_and_section(round_, request)
        try:
            review_on = dt.date.fromisoformat(request.POST.get("review_on", ""))
        except ValueError:
            review_on = None
        actions.put_on_standby(acting_user=request.user, entry=entry, reason=request.POST.get("reason", ""),
                               review_on=review_on)
    return _manager_post(request, pk, call, _("待岗决定已记录。"))


# ---- ranking ------------------------------------------------------------------------------

def _draft(request, saved: list[int], known: dict[int, tuple[str, str]]) -> list[int]:
    """The order being edited: the posted draft (with one move applied) or the saved one."""
    if request.method != "POST":
        return [x for x in saved if x in known]
    order = [int(x) for x in request.POST.getlist("ranked") if x.isdigit() and int(x) in known]
    order = list(dict.fromkeys(order))
    op, _sep, arg = request.POST.get("op", "").partition(":")
    item = int(arg) if arg.isdigit() else None
    if op == "add" and item in known and item not in order:
        order.append(item)
    elif op == "remove" and item in order:
        order.remove(item)
    elif op in ("up", "down") and item in order:
        i = order.index(item)
        j = i - 1 if op == "up" else i + 1
        if 0 <= j < len(order):
            order[i], order[j] = order[j], order[i]
    return order


def _rank_page(request, *, round_, saved, known, save, back_title, heading, intro, item_word):
    order = _draft(request, saved, known)
    if request.method == "POST" and request.POST.get("op") == "save":
        try:
            save(request.POST.getlist("ranked"))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("排序已保存（共 %(n)d 项）。截止前可以随时修改。") % {"n": len(order)})
            return redirect(request.path)
    blockers = workflow.ranking_blockers(round_, timezone.localdate())
    return render(request, "matching/rank.html", {
        "breadcrumbs": _crumbs((round_.title, None), (back_title, None)), "round": round_, "heading": heading,
        "intro": intro, "item_word": item_word, "blockers": blockers,
        "ranked": [(pk, *known[pk]) for pk in order],
        "unranked": [(pk, *known[pk]) for pk in known if pk not in order],
        "dirty": request.method == "POST", "saved_count": len(saved),
    })


@login_required
def rank_staff(request, pk):
    entry = permissions.get_staff_entry_for_user(request.user, pk)
    round_ = entry.round
    known = {s.pk: (s.section.name, _("职数 %(n)d") % {"n": s.headcount})
             for s in round_.sections.select_related("section")}
    if round_.status != RoundStatus.RANKING:
        return redirect("matching:my_result", pk=round_.pk)
    return _rank_page(request, round_=round_, saved=entry.ranking, known=known,
                      save=lambda r: actions.submit_staff_ranking(acting_user=request.user, entry=entry, ranking=r),
                      back_title=_("我的志愿"), heading=_("我的科室志愿"),
                      intro=_("把愿意去的科室按意愿从高到低排好；不愿去的科室不要列入。排序不能并列。"
                              "截止前科室看不到你的志愿，你也看不到科室的排序。"),
                      item_word=_("科室"))


@login_required
def rank_section(request, pk, section_pk):
    section = permissions.get_section_for_user(request.user, pk, section_pk)
    round_ = section.round
    known = {e.pk: (e.cadre.name, e.cadre.current_post_title or "")
             for e in round_.staff.select_related("cadre").order_by("cadre__name_pinyin")}
    if round_.status != RoundStatus.RANKING:
        return redirect("matching:unit_list", pk=round_.pk)
    return _rank_page(request, round_=round_, saved=section.ranking, known=known,
                      save=lambda r: actions.submit_section_ranking(acting_user=request.user, section=section,
                                                                    ranking=r),
                      back_title=section.section.name, heading=_("%(section)s 的人员排序") % {"section": section.section.name},
                      intro=_("把本科室愿意接收的人员按优先顺序排好；不愿接收的不要列入。排序不能并列。"
                              "截止前人员看不到本科室的排序。"),
                      item_word=_("人员"))


@login_required
def my_result(request, pk):
    entry = permissions.get_staff_entry_for_user(request.user, pk)
    round_ = entry.round
    published = round_.status == RoundStatus.PUBLISHED
    names = queries.section_names(round_)
    return render(request, "matching/my_result.html", {
        "breadcrumbs": _crumbs((round_.title, None), (_("我的结果"), None)), "round": round_, "entry": entry,
        "published": published, "why_not": queries.why_not_lines(round_, entry, names) if published else [],
        "my_ranking": [names.get(str(s), "") for s in entry.ranking],
    })


@login_required
def unit_list(request, pk):
    """The published list, for the unit: managers and everyone taking part."""
    from .models import MatchingRound

    round_ = MatchingRound.objects.select_related("org_unit").filter(pk=pk).first()
    if round_ is None or not permissions.can_see_round_list(request.user, round_):
        raise NotFound("matching.round.not_found", _("找不到该双向选择轮次，或您不是本轮参与人员。"))
    published = round_.status == RoundStatus.PUBLISHED
    return render(request, "matching/unit_list.html", {
        "breadcrumbs": _crumbs((round_.title, None), (_("结果名单"), None)), "round": round_,
        "published": published, "rows": queries.staff_rows(round_) if published else [],
    })
