"""Reads of exams shaped for pages, the portal and the API: rankings per post with the
declared tie order, the published list in the rule's name order, the competitive-posting
share of each unit against the EXM/competitive_share rule row."""

from fractions import Fraction

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from gongxin.people import idnumber
from gongxin.people.models import OrgUnit, OrgUnitKind, Post, PostKind

from . import ranking
from .models import Exam, ExamChannel, ExamStatus, Outcome, RegistrationStatus
from .rules import exam_rule

COMPONENT_LABEL = {"written": "笔试成绩", "interview": "面试成绩"}


def tie_order_text(exam: Exam) -> str:
    keys = [_("综合成绩")] + [_(COMPONENT_LABEL[c]) for c in exam.tie_order if c in COMPONENT_LABEL]
    return _("%(keys)s依次从高到低；仍相同的并列") % {"keys": "、".join(keys)}


def weights_text(exam: Exam) -> str:
    return "＋".join(f"{_(COMPONENT_LABEL[c])}×{float(ranking.parse_weight(w)):.0%}" for c, w in exam.weights.items())


def score(value) -> str:
    if value is None:
        return ""
    if value == ranking.ABSENT:
        return _("缺考")
    if value == ranking.DISQUALIFIED:
        return _("取消资格")
    return ranking.show(value)


def rank_note_label(note: str) -> str:
    """The words for a rank note: a code since the notes became codes, the Chinese text itself
    in rows and ledger payloads written before (read as its code, so it is shown in the
    reader's language too)."""
    code = ranking.note_code(note or "")
    if code == "absent":
        return _("缺考")
    if code == "disqualified":
        return _("取消资格")
    if code == "tied":
        return _("并列")
    if code.startswith("decided:"):
        key = code.split(":", 1)[1]
        return _("总分相同，按%(key)s排序") % {"key": _(COMPONENT_LABEL[key]) if key in COMPONENT_LABEL else key}
    return code


def counts(exam: Exam) -> dict:
    row = exam.registrations.aggregate(
        total=Count("pk"), eligible=Count("pk", filter=Q(status=RegistrationStatus.ELIGIBLE)),
        ineligible=Count("pk", filter=Q(status=RegistrationStatus.INELIGIBLE)),
        appeals=Count("pk", filter=Q(appeal="pending")),
        written=Count("pk", filter=Q(written_score__isnull=False)),
        interview=Count("pk", filter=Q(interview_score__isnull=False)),
        for_inspection=Count("pk", filter=Q(outcome=Outcome.FOR_INSPECTION)))
    return row


def ranking_rows(exam: Exam, limit: int = 500) -> list[dict]:
    """Per post: its people in rank order (written rank before the final ranking)."""
    out = []
    final = exam.status in (ExamStatus.RANKED, ExamStatus.PUBLISHED, ExamStatus.CLOSED)
    for post in exam.posts.all():
        qs = exam.registrations.filter(exam_post=post, status=RegistrationStatus.ELIGIBLE).exclude(ticket_number="")
        order = ["final_rank", "written_rank", "pk"] if final else ["written_rank", "pk"]
        from django.db.models import F

        rows = list(qs.order_by(*(F(o).asc(nulls_last=True) for o in order))[:limit])
        out.append({"post": post, "rows": rows, "count": qs.count()})
    return out


def admission_rows(exam: Exam) -> list:
    """Who was admitted (录用), by post and rank, with the cadre record made for them."""
    return list(exam.registrations.filter(admitted_on__isnull=False)
                .select_related("exam_post", "admitted_cadre__org_unit").order_by("exam_post__code", "final_rank", "pk"))


def published_list(exam: Exam, post=None) -> list[dict]:
    """The published results: names in stroke order when the rule says so, else by rank;
    ID numbers masked."""
    from gongxin.publicity.strokes import sort_by_name

    qs = (exam.registrations.filter(status=RegistrationStatus.ELIGIBLE).exclude(ticket_number="")
          .select_related("exam_post"))
    if post is not None:
        qs = qs.filter(exam_post=post)
    from django.db.models import F

    rows = list(qs.order_by("exam_post__code", F("final_rank").asc(nulls_last=True),
                            F("written_rank").asc(nulls_last=True), "pk"))
    if exam.name_order == "strokes":
        rows = sort_by_name(rows, lambda r: r.name)
        rows.sort(key=lambda r: r.exam_post.code)  # stable: strokes within each post
    return [{"post": r.exam_post, "name": r.name, "id_number": idnumber.mask(r.id_number), "ticket": r.ticket_number,
             "written": score(r.written_score), "interview": score(r.interview_score), "total": score(r.total_score),
             "rank": r.final_rank, "note": rank_note_label(r.rank_note), "outcome": r.get_outcome_display() if r.outcome else
             str(Outcome.NOT_INVITED.label), "for_inspection": r.outcome == Outcome.FOR_INSPECTION} for r in rows]


def competitive_share(units=None) -> dict:
    """Each unit with middle-level posts: how many it has, how many were opened to
    competitive posting (a post of a published competitive-posting exam), and the share
    against the county's target."""
    params, name, source = exam_rule("competitive_share")
    target = Fraction(ranking.parse_weight(params["min_share"]))
    middle = Post.objects.filter(kind=PostKind.MIDDLE, is_active=True)
    opened = set(Post.objects.filter(exam_posts__exam__channel=ExamChannel.COMPETITIVE_POSTING,
                                     exam_posts__exam__published_at__isnull=False).values_list("pk", flat=True))
    by_unit: dict[int, list] = {}
    for pk, unit_id, parent_id, kind in middle.values_list("pk", "org_unit_id", "org_unit__parent_id", "org_unit__kind"):
        owner = parent_id if kind == OrgUnitKind.SECTION and parent_id else unit_id
        by_unit.setdefault(owner, []).append(pk)
    qs = OrgUnit.objects.filter(pk__in=by_unit)
    if units is not None:
        qs = qs.filter(pk__in=units)
    rows = []
    for unit in qs.order_by("path"):
        posts = by_unit[unit.pk]
        n_open = sum(1 for p in posts if p in opened)
        share = Fraction(n_open, len(posts))
        rows.append({"unit": unit, "middle_posts": len(posts), "opened": n_open, "share": float(share),
                     "below": share < target})
    total = sum(r["middle_posts"] for r in rows)
    done = sum(r["opened"] for r in rows)
    return {"rows": rows, "target": float(target), "rule": f"{name}：{source}",
            "total": total, "opened": done, "share": (done / total) if total else 0.0,
            "below": sum(1 for r in rows if r["below"])}


def unit_posts(unit: OrgUnit) -> list[dict]:
    """One unit's middle-level posts and which were opened (with the exam)."""
    posts = (Post.objects.filter(Q(org_unit=unit) | Q(org_unit__parent=unit, org_unit__kind=OrgUnitKind.SECTION),
                                 kind=PostKind.MIDDLE, is_active=True).select_related("org_unit").order_by("org_unit__path", "pk"))
    exams = {}
    from .models import ExamPost

    for ep in ExamPost.objects.filter(post__in=posts, exam__channel=ExamChannel.COMPETITIVE_POSTING,
                                      exam__published_at__isnull=False).select_related("exam"):
        exams[ep.post_id] = ep.exam
    return [{"post": p, "exam": exams.get(p.pk)} for p in posts]
