import datetime as dt

from gongxin.cases.models import Case
from gongxin.core.demo import DemoContext
from gongxin.people import actions as people_actions
from gongxin.publicity import demo
from gongxin.publicity.models import Appointment, Feedback, Notice, NoticeKind, NoticeStatus


def test_demo_builds_notices_in_and_after_publicity(cast, posts, make_cadre, county, ranks):
    # 副科 cadres who qualify for a 正科 post (R1), so the demo's cases have people to publicise
    for i, name in enumerate(["刘一", "陈二", "杨三", "黄四", "周五", "吴六", "郑七", "孙八", "马九", "朱十"]):
        cadre = make_cadre(county["hefang"], name=name, birth=dt.date(1985, 1, 1 + i), rank_since=dt.date(2018, 1, 1),
                           party_joined=dt.date(2008, 7, 1))
        people_actions.add_resume_entry(acting_user=None, cadre=cadre, start=dt.date(2010, 1, 1),
                                        end=dt.date(2016, 1, 1), description="何坊街道党政办科员", is_grassroots=True)
    for i in range(6):
        people_actions.create_post(acting_user=None, org_unit=county["finance"], title=f"副局长{i}",
                                   rank=ranks["zhengke"], kind="leadership")
    members = [make_cadre(county["org_dept"], name=f"常委{i}", rank="fuchu", birth=dt.date(1968, 1, 1 + i))
               for i in range(7)]
    ctx = DemoContext(verbose=False)
    ctx.admin = cast["users"]["org_admin"]
    ctx.data = {"clerk": cast["users"]["org_admin"], "county": county["root"], "county_leaders": members}
    demo.build(ctx)
    assert ctx.stopped == []
    live = Notice.objects.get(title__startswith=f"{ctx.on(11, 17).year}年县管领导干部选任（第三批）")
    assert live.status == NoticeStatus.PUBLISHED and live.in_period(ctx.today)
    assert live.feedback.filter(status__in=["received", "in_progress", "transferred"]).exists()
    assert live.feedback.filter(status="resolved").exists()
    assert Notice.objects.filter(status=NoticeStatus.CLOSED).count() >= 2
    assert Appointment.objects.filter(probation_status="on_probation").exists()
    assert Feedback.objects.count() >= 5
    # every notice is a selection case's, and every appointment came through one
    assert set(Notice.objects.values_list("kind", flat=True)) == {NoticeKind.PRE_APPOINTMENT}
    assert all(Case.objects.filter(pk=n.case_id).exists() for n in Notice.objects.all())
    assert all(a.case_id and a.notice_id for a in Appointment.objects.all())
