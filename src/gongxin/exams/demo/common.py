"""What the demo's exam channels share: names, seeded scores, an exam from announcement to
results, registering applicants."""

import datetime as dt

from django.db.models import Q

from gongxin.core.demo import as_on
from gongxin.people.models import (
    Cadre,
    CadreStatus,
    OrgUnitKind,
)

from .. import actions
from ..models import Registration, RegistrationStatus

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦许何吕施张孔曹严华金魏陶姜"
GIVEN = "文华建国志强秀英桂兰明丽军平海燕晓东雪梅宇航子涵思远欣怡浩然"


def score(rng, lo=45.0, hi=95.0, absent=0.03) -> int:
    if rng.random() < absent:
        return actions.ranking.ABSENT
    return int(round(rng.uniform(lo, hi), 1) * 100)


def run_exam(ctx, rng, clerk, exam, on: dt.date, absences: bool = True) -> None:
    """From registration closed to results published, as on ``on``. ``absences``: a few
    applicants miss the written exam or the interview (an open exam); a unit's own competitive
    posting, two or three of its staff to a post, is held without (two absent would leave a post
    of the case without a candidate)."""
    with as_on(on):
        actions.close_registration(acting_user=clerk, exam=exam)
        if not exam.registrations.filter(status=RegistrationStatus.ELIGIBLE).exists():
            return
        actions.issue_admission_tickets(acting_user=clerk, exam=exam)
        regs = actions.scorable(exam, "written").values_list("pk", flat=True)
        actions.record_scores(acting_user=clerk, exam=exam, component="written",
                              scores={pk: score(rng, absent=0.03 if absences else 0) for pk in regs})
        actions.rank_written(acting_user=clerk, exam=exam)
        regs = actions.scorable(exam, "interview").values_list("pk", flat=True)
        actions.record_scores(acting_user=clerk, exam=exam, component="interview",
                              scores={pk: score(rng, 60, 95, 0.02 if absences else 0) for pk in regs})
        actions.rank_final(acting_user=clerk, exam=exam)
        actions.publish_results(acting_user=clerk, exam=exam)


def announce(clerk, on, **kw):
    with as_on(on):
        exam = actions.announce_exam(acting_user=clerk, registration_closes=on + dt.timedelta(days=15),
                                     written_on=on + dt.timedelta(days=30), **kw)
        return actions.publish_exam(acting_user=clerk, exam=exam)


def register(exam, cadres, on):
    posts = list(exam.posts.all())
    n = 0
    with as_on(on):
        for i, cadre in enumerate(cadres):
            actions.register_cadre(acting_user=None, exam=exam, exam_post=posts[i % len(posts)], cadre=cadre)
            n += 1
    return n


def register_matched(exam, cadres, on, per_post=5, fit=3):
    """Five applicants a post, at least three of whom the engine's preliminary check passes for
    that post (an applicant reads the post's conditions, R1's years at the grassroots and the
    Party membership a 书记 post asks for included): the county's draw then never leaves a post
    without anyone to rank. The rest are whoever is left, screened like everyone."""
    posts = list(exam.posts.select_related("post__rank"))
    left = list(cadres)
    pairs = []
    with as_on(on):
        for post in posts:
            chosen = []
            for c in list(left):
                if len(chosen) == fit:
                    break
                if actions._screen(Registration(exam=exam, exam_post=post, cadre=c, name=c.name, id_number=c.id_number,
                                                birth_date=c.birth_date, education=c.fulltime_education)):
                    chosen.append(c)
                    left.remove(c)
            pairs.extend((c, post) for c in chosen)
        for post in posts:
            extra = per_post - sum(1 for _c, p in pairs if p == post)
            pairs.extend((c, post) for c in left[:extra])
            left = left[extra:]
        for c, post in pairs:
            actions.register_cadre(acting_user=None, exam=exam, exam_post=post, cadre=c)
    return len(pairs)


def staff_of(unit) -> list:
    return list(Cadre.objects.filter(Q(org_unit=unit) | Q(org_unit__parent=unit, org_unit__kind=OrgUnitKind.SECTION),
                                     status=CadreStatus.ACTIVE).select_related("rank").order_by("pk"))
