"""The year's figures for the report, read from the apps that hold them, and the draft text.

Each source is read only if its app is installed; a figure the data does not hold is left out
of the draft (never printed as zero). Reads only; every count is scoped to the jurisdiction's
unit subtree and to the calendar year (1 January to 31 December, both included)."""

import datetime as dt
from collections import Counter

from django.apps import apps as django_apps
from django.utils.translation import gettext as _

from gongxin.people.models import PostKind


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _installed(label: str) -> bool:
    return django_apps.is_installed(f"gongxin.{label}")


def channel_label(code: str) -> str:
    try:
        from gongxin.cases.models import Channel
    except ImportError:  # pragma: no cover - the cases app is part of every install
        return code
    return str(dict(Channel.choices).get(code, code)) if code else _("未记录渠道")


def appointments_in_year(org_unit, year: int) -> list[dict]:
    """Every appointment starting in ``year`` in the unit's subtree, oldest first, with the
    channel of the case that made it (from the case's candidate row)."""
    if not _installed("publicity"):
        return []
    from gongxin.publicity.models import Appointment

    first, last = year_bounds(year)
    rows = list(Appointment.objects.filter(start__gte=first, start__lte=last, org_unit__path__startswith=org_unit.path)
                .select_related("cadre", "post").order_by("start", "id"))
    channels = {}
    if rows and _installed("cases"):
        from gongxin.cases.models import Candidate

        for case_id, cadre_id, channel in Candidate.objects.filter(
                case_id__in={a.case_id for a in rows if a.case_id}).values_list("case_id", "cadre_id", "channel"):
            channels[(case_id, cadre_id)] = channel
    return [{"appointment": a.pk, "cadre": a.cadre, "post_title": a.post.title if a.post_id else "",
             "leading": a.post.kind == PostKind.LEADERSHIP if a.post_id else False,
             "start": a.start, "channel": channels.get((a.case_id, a.cadre_id), ""),
             "probation_status": a.probation_status, "decision": a.decision} for a in rows]


def collect(org_unit, year: int) -> dict:
    """{section: {figure: number or {channel: number}}}: only sections whose app is installed."""
    first, last = year_bounds(year)
    out: dict = {"year": year, "unit": org_unit.name}
    if _installed("cases"):
        from gongxin.cases.models import Case, CaseStage

        cases = Case.objects.filter(org_unit__path__startswith=org_unit.path)
        opened = Counter()
        for channels in cases.filter(motion_date__gte=first, motion_date__lte=last).values_list("channels", flat=True):
            for ch in channels or [""]:
                opened[ch] += 1
        closed = cases.filter(stage=CaseStage.CLOSED, stage_entered_at__date__gte=first,
                              stage_entered_at__date__lte=last)
        out["cases"] = {"opened": cases.filter(motion_date__gte=first, motion_date__lte=last).count(),
                        "opened_by_channel": dict(sorted(opened.items())), "closed": closed.count()}
    appointments = appointments_in_year(org_unit, year)
    if _installed("publicity"):
        from gongxin.publicity.models import Feedback, Notice, ProbationDecision

        by_channel = Counter(a["channel"] for a in appointments)
        notices = Notice.objects.filter(org_unit__path__startswith=org_unit.path, published_at__date__gte=first,
                                        published_at__date__lte=last)
        out["appointments"] = {"count": len(appointments), "cadres": len({a["cadre"].pk for a in appointments}),
                               "by_channel": dict(sorted(by_channel.items()))}
        out["notices"] = {"published": notices.count(),
                          "feedback": Feedback.objects.filter(notice__in=notices).count()}
        from gongxin.publicity.models import Appointment

        decided = Appointment.objects.filter(org_unit__path__startswith=org_unit.path, decided_at__date__gte=first,
                                             decided_at__date__lte=last)
        out["probations"] = {"confirmed": decided.filter(decision=ProbationDecision.CONFIRM).count(),
                             "extended": decided.filter(decision=ProbationDecision.EXTEND).count(),
                             "not_confirmed": decided.filter(decision=ProbationDecision.NOT_CONFIRM).count()}
    if _installed("meetings"):
        from gongxin.meetings.models import Meeting, MeetingMode, MeetingStatus

        held = Meeting.objects.filter(org_unit__path__startswith=org_unit.path, meeting_date__gte=first,
                                      meeting_date__lte=last, status__in=[MeetingStatus.CLOSED, MeetingStatus.PUBLISHED])
        out["meetings"] = {"open_nomination": held.filter(mode=MeetingMode.OPEN).count(),
                           "list": held.filter(mode=MeetingMode.LIST).count()}
    if _installed("inspection"):
        from gongxin.inspection.models import (
            Finding,
            Inspection,
            ProblemFile,
            ReviewAnswer,
            ReviewRequest,
        )

        inspections = Inspection.objects.filter(cadre__org_unit__path__startswith=org_unit.path,
                                                opened_on__gte=first, opened_on__lte=last)
        failed = ReviewRequest.objects.filter(candidate__case__org_unit__path__startswith=org_unit.path,
                                              answer=ReviewAnswer.PROBLEM, answered_at__date__gte=first,
                                              answered_at__date__lte=last)
        problems = ProblemFile.objects.filter(cadre__org_unit__path__startswith=org_unit.path,
                                              received_at__date__gte=first, received_at__date__lte=last)
        out["inspection"] = {
            "inspections": inspections.count(),
            "by_kind": dict(sorted(Counter(inspections.values_list("kind", flat=True)).items())),
            "joint_review_failed": failed.values("candidate_id").distinct().count(),
            "problem_files": problems.count(),
            "substantiated": problems.filter(finding=Finding.SUBSTANTIATED).count(),
            "unsubstantiated": problems.filter(finding=Finding.UNSUBSTANTIATED).count(),
        }
    return out


NUMERALS = "一二三四五六七八九十"


def _by_channel(counts: dict) -> str:
    """Known channels only: an appointment made outside a case has none to report."""
    counts = {ch: n for ch, n in counts.items() if ch}
    return "、".join(_("%(channel)s %(n)d 人") % {"channel": channel_label(ch), "n": n} for ch, n in counts.items())


def draft_text(figures: dict) -> str:
    """The draft the clerk edits: one paragraph per source that holds data."""
    year, unit = figures["year"], figures["unit"]
    paras = [_("%(year)d年，%(unit)s认真贯彻《党政领导干部选拔任用工作条例》，现将本年度干部选拔任用工作情况报告如下。")
             % {"year": year, "unit": unit}]
    cases = figures.get("cases")
    if cases and (cases["opened"] or cases["closed"]):
        text = _("全年启动选任案件 %(opened)d 件，办结 %(closed)d 件。") % cases
        if cases["opened_by_channel"]:
            text += _("按提名渠道：%(list)s（一件案件可有多个渠道）。") % {
                "list": "、".join(_("%(channel)s %(n)d 件") % {"channel": channel_label(ch), "n": n}
                                 for ch, n in cases["opened_by_channel"].items())}
        paras.append(text)
    meetings = figures.get("meetings")
    if meetings and (meetings["open_nomination"] or meetings["list"]):
        paras.append(_("召开海选推荐会 %(open_nomination)d 次、按名单推荐会 %(list)d 次，推荐结果均已公开，可用复核工具重新计票。")
                     % meetings)
    insp = figures.get("inspection")
    if insp and any(insp[k] for k in ("inspections", "joint_review_failed", "problem_files")):
        paras.append(_("开展考察 %(inspections)d 人次；联审未通过 %(joint_review_failed)d 人；受理问题档案 %(problem_files)d 件，"
                       "经核查属实 %(substantiated)d 件、不属实 %(unsubstantiated)d 件。") % insp)
    notices = figures.get("notices")
    if notices and notices["published"]:
        paras.append(_("发布公告 %(published)d 份，收到群众反映意见 %(feedback)d 件，均已逐件核查答复。") % notices)
    appts = figures.get("appointments")
    if appts and appts["count"]:
        text = _("全年任用干部 %(count)d 人次（%(cadres)d 人）") % appts
        if _by_channel(appts["by_channel"]):
            text += _("，其中%(list)s") % {"list": _by_channel(appts["by_channel"])}
        paras.append(text + "。")
    prob = figures.get("probations")
    if prob and any(prob.values()):
        paras.append(_("试用期满考核：正式任职 %(confirmed)d 人，延长试用期 %(extended)d 人，不予正式任职 %(not_confirmed)d 人。")
                     % prob)
    numbered = [f"{NUMERALS[i]}、{text}" for i, text in enumerate(paras[1:])]
    closing = _("请全委会成员对本年度干部选拔任用工作和新提拔任用的干部进行民主评议。")
    return "\n\n".join([paras[0], *numbered, closing])
