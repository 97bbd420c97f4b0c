from gongxin.core.demo import DemoContext
from gongxin.publicity import demo
from gongxin.publicity.models import Appointment, Feedback, Notice, NoticeStatus


def test_demo_builds_notices_in_and_after_publicity(cast, posts, make_cadre, county, ranks):
    # a few more cadres at 副科 level so the demo has people to publicise
    for i, name in enumerate(["刘一", "陈二", "杨三", "黄四", "周五", "吴六", "郑七", "孙八", "马九", "朱十"]):
        make_cadre(county["hefang"], name=name, birth=__import__("datetime").date(1985, 1, 1 + i))
    from gongxin.people import actions as people_actions

    for i in range(6):
        people_actions.create_post(acting_user=None, org_unit=county["finance"], title=f"副局长{i}",
                                   rank=ranks["zhengke"], kind="leadership")
    ctx = DemoContext(verbose=False)
    ctx.admin = cast["users"]["org_admin"]
    ctx.data = {"clerk": cast["users"]["org_admin"], "county": county["root"]}
    demo.build(ctx)
    live = Notice.objects.get(title="2026年11月县管领导干部任前公示")
    assert live.status == NoticeStatus.PUBLISHED and live.in_period(ctx.today)
    assert live.feedback.filter(status__in=["received", "in_progress", "transferred"]).exists()
    assert live.feedback.filter(status="resolved").exists()
    assert Notice.objects.filter(status=NoticeStatus.CLOSED).count() >= 2
    assert Appointment.objects.filter(probation_status="on_probation").exists()
    assert Feedback.objects.count() >= 5
