"""The workbench (issue 19): what waits on each user with its deadline, count and a link straight
to the action, overdue first, at a constant number of queries; reminders fed by the same lines."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongxin.accounts.scope import scope_units
from gongxin.cases import actions
from gongxin.cases.models import CaseStage, Channel
from gongxin.inspection import actions as inspection_actions
from gongxin.inspection.models import ReviewRequest
from gongxin.workbench import cache as wb_cache
from gongxin.workbench import items as wb_items
from gongxin.workbench import notify
from gongxin.workbench.items import Item, collect
from gongxin.workbench.models import Notification

pytestmark = [pytest.mark.django_db]


def _titles(items):
    return [i.title for i in items]


def test_lines_sort_overdue_first_then_by_deadline(monkeypatch, cast):
    today = dt.date(2026, 12, 6)
    lines = [Item("a", "无期限", 1, "/a"), Item("b", "五天后", 2, "/b", deadline=today + dt.timedelta(days=5)),
             Item("c", "已逾期", 1, "/c", deadline=today - dt.timedelta(days=3), overdue=1),
             Item("d", "明天", 3, "/d", deadline=today + dt.timedelta(days=1)), Item("e", "空", 0, "/e")]
    monkeypatch.setattr(wb_items, "providers", lambda: [lambda user, on: lines])
    assert _titles(collect(cast["users"]["clerk"], today)) == ["已逾期", "明天", "五天后", "无期限"]


def test_reviewer_sees_requests_due_with_the_overdue_one_opening_its_answer_form(client_for, cast, at_inspection):
    reviewer = cast["users"]["reviewer"]  # the 审计局 (audit) officer
    page = client_for(reviewer).get("/")
    assert page.status_code == 200
    rows = page.context["rows"]
    top = rows[0]["item"]
    late = ReviewRequest.objects.get(candidate=at_inspection["late"], department__code="audit")
    assert top.title == "联审请求待答复" and top.count == 2 and top.overdue == 1
    assert top.deadline == at_inspection["today"] - dt.timedelta(days=1)
    assert top.url == reverse("inspection:review_answer", args=[late.pk])  # one click to the answer form
    assert "钱甲" in top.why and "李庄镇" in top.why  # enough to tell two people of one name apart
    html = page.content.decode()
    assert "已逾期 1 件" in html and f'href="{top.url}"' in html
    # The line's link is the page where the answer is given.
    form = client_for(reviewer).get(top.url)
    assert form.status_code == 200 and "答复" in form.content.decode()
    # Answered, the request leaves the line; what is left is not overdue.
    inspection_actions.answer_review_request(acting_user=reviewer, request=late, answer="clear")
    top = client_for(reviewer).get("/").context["rows"][0]["item"]
    assert top.count == 1 and top.overdue == 0


def test_county_clerk_sees_cases_and_why_and_late_reviews_to_chase(client_for, county_clerk, at_inspection):
    rows = client_for(county_clerk).get("/").context["rows"]
    titles = [r["item"].title for r in rows]
    assert titles[0] == "联审逾期未答复，需催办"  # overdue first
    case_line = next(r["item"] for r in rows if r["item"].title == "李庄镇党委书记选任")
    assert case_line.url == reverse("cases:case_detail", args=[at_inspection["case"].pk])
    assert "考察与联审" in case_line.why and "下一步：提交讨论决定" in case_line.why


@pytest.mark.usefixtures("own_guards_only")
def test_voter_home_shows_the_open_vote(client_for, cast, admin, case, eligible, members):
    from tests.cases.conftest import drive

    voter = cast["users"]["voter"]
    assert client_for(voter).get("/").context["rows"] == []
    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    meeting = actions.create_decision_meeting(acting_user=admin, case=case, title="常委会",
                                              members=[{"name": m.name, "cadre": m} for m in members]
                                              + [{"name": "投票人", "user": voter}])
    actions.record_attendance(acting_user=admin, meeting=meeting, present=[m.pk for m in meeting.members.all()])
    assert client_for(voter).get("/").context["rows"] == []  # voting not open yet
    actions.open_voting(acting_user=admin, meeting=meeting)
    page = client_for(voter).get("/")
    top = page.context["rows"][0]["item"]
    assert top.title == "讨论决定待表态" and top.count == 1
    assert top.url == reverse("cases:meeting_detail", args=[meeting.pk])
    assert "还有 1 名人选待您表态" in top.why
    cand = case.candidates.get(status="active")
    client_for(voter).post(reverse("cases:meeting_stance", args=[meeting.pk]), {"candidate": cand.pk, "choice": "agree"})
    assert client_for(voter).get("/").context["rows"] == []


def _queries(client, url="/"):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _both(client):
    """(queries with the lines in the cache, queries computing them)."""
    warm = _queries(client)
    wb_cache.bump()
    return warm, _queries(client)


def test_the_workbench_costs_the_same_number_of_queries_with_more_data(client_for, county_clerk, at_inspection, admin,
                                                                        eligible, posts, cast):
    client = client_for(county_clerk)
    client.get("/")  # reminders made once
    before = _both(client)
    assert before[0] < before[1]  # the cache spares the lines' queries
    # Ten times more: more cases, candidates, review requests, feedback... the same queries.
    today = at_inspection["today"]
    for n in range(8):
        other = actions.open_case(acting_user=admin, title=f"第{n}件", org_unit=cast["hefang"],
                                  posts=[posts["hefang_secretary"]], channels=[Channel.OPEN_NOMINATION],
                                  motion_reason="空缺", motion_date=dt.date(2026, 1, 5), over_headcount_reason="测试")
        actions.advance_case(acting_user=admin, case=other, to_stage=CaseStage.NOMINATION)
        cand = actions.add_candidate(acting_user=admin, case=other, cadre=eligible(f"候{n}", unit=cast["hefang"]),
                                     channel=Channel.OPEN_NOMINATION)
        actions.advance_case(acting_user=admin, case=other, to_stage=CaseStage.CANDIDATES)
        actions.advance_case(acting_user=admin, case=other, to_stage=CaseStage.INSPECTION)
        inspection_actions.send_review_requests(acting_user=admin, candidate=cand, deadline=today - dt.timedelta(days=n),
                                                sent_on=today - dt.timedelta(days=20))
    client.get("/")  # the new lines' reminders
    assert _both(client) == before


def test_each_line_is_one_statement_and_its_why_reads_no_row_again(county_clerk, one_of_each):
    """A line's count, nearest deadline, overdue count and most urgent row come from one statement;
    the fields its why and its link show are read in it (a field a provider forgot to name in
    ``fields`` would be read again: a statement that is none of the lines')."""
    today = one_of_each["today"]
    scope_units(county_clerk)  # the user's units (read once per request, for the scope), not a line
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        lines = collect(county_clerk, today)
    titles = {item.title for item in lines}
    assert {"公示反馈待答复", "公示期已满，尚有反馈未办结", "试用期将满，待作出期满决定", "问题档案待核查办结",
            "推荐会议待筹备开启", "问责调查中，待作出决定", "中青班已到结业日期，待结业鉴定", "年度考核待确定等次",
            "联审逾期未答复，需催办"} <= titles
    from gongxin.workbench import plan

    # (on PostgreSQL, with their parameters in their text: plan.py, _pipelined)
    asked = [s.literal or s.sql for s in plan.plan_for(county_clerk, today, wb_items.providers()).statements()]
    assert statements == asked, [s for s in statements if s not in asked]  # nothing read row by row
    late = next(item for item in lines if item.title == "联审逾期未答复，需催办")
    assert "钱甲" in late.why and late.overdue > 0


def test_reminders_are_made_once_and_marked_read(client_for, cast, at_inspection):
    reviewer = cast["users"]["reviewer"]
    client = client_for(reviewer)
    client.get("/")
    notes = list(Notification.objects.filter(user=reviewer))
    assert len(notes) == 1 and "联审请求待答复（2）" in notes[0].title and notes[0].overdue
    client.get("/")
    assert Notification.objects.filter(user=reviewer).count() == 1  # the same line: no new reminder
    page = client.get(reverse("workbench:notifications")).content.decode()
    assert "联审请求待答复" in page and "未读" in page
    r = client.post(reverse("workbench:notification_read", args=[notes[0].pk]), {"open": "1"})
    assert r.status_code == 302 and r["Location"] == notes[0].url
    assert Notification.objects.get(pk=notes[0].pk).read_at is not None
    assert "没有未读提醒" in client.get(reverse("workbench:notifications")).content.decode()
    # Someone else's reminder cannot be marked.
    other = client_for(cast["users"]["clerk"])
    assert other.post(reverse("workbench:notification_read", args=[notes[0].pk])).status_code == 404


def test_lines_computed_again_with_the_keys_already_synced_read_no_reminders(
        client_for, county_clerk, one_of_each, django_capture_on_commit_callbacks):
    """The keys last synced are remembered (notify.sync): lines computed again after a change
    that moved none of them ask nothing of the reminders; a line whose key moved is told."""
    from gongxin.publicity.models import Feedback

    client = client_for(county_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/")
    made = Notification.objects.filter(user=county_clerk).count()
    assert made >= 10

    def reads_known_keys():
        wb_cache.bump()
        with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
            assert client.get("/").status_code == 200
        return any('"workbench_notification"."key"' in q["sql"] for q in ctx.captured_queries)

    assert not reads_known_keys()
    assert Notification.objects.filter(user=county_clerk).count() == made
    Feedback.objects.create(notice=one_of_each["notice"], code="beef03", category="conduct", text="再次反映")
    assert reads_known_keys()  # the feedback line's key moved
    assert Notification.objects.filter(user=county_clerk).count() == made + 1
    assert Notification.objects.filter(user=county_clerk, title__startswith="公示反馈待答复（2）").exists()
    assert not reads_known_keys()


def test_the_sweep_mails_new_reminders_where_mail_is_configured(settings, county_clerk, at_inspection, cast):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GONGXIN_REMINDER_EMAIL = False
    assert notify.sweep() > 0
    assert mail.outbox == []  # not configured: in the app only
    Notification.objects.all().delete()
    settings.GONGXIN_REMINDER_EMAIL = True
    settings.GONGXIN_SITE_URL = "https://gx.example.cn"
    notify.sweep()
    to_clerk = [m for m in mail.outbox if m.to == ["zhao@example.cn"]]
    assert len(to_clerk) == 1
    assert "联审逾期未答复，需催办" in to_clerk[0].body and "https://gx.example.cn/" in to_clerk[0].body
    assert all(n.emailed_at for n in Notification.objects.filter(user=county_clerk))
    # Nothing new: no second mail.
    notify.sweep()
    assert len([m for m in mail.outbox if m.to == ["zhao@example.cn"]]) == 1
    # The reviewer has no address: reminded in the app only.
    assert Notification.objects.filter(user=cast["users"]["reviewer"]).exists()


def test_the_worker_sweeps_at_most_every_interval(settings, county_clerk, at_inspection):
    from django.utils import timezone

    settings.GONGXIN_REMINDER_EVERY_MINUTES = 60
    now = timezone.now()
    assert notify.sweep_if_due(now) is not None
    assert notify.sweep_if_due(now + dt.timedelta(minutes=10)) is None
    assert notify.sweep_if_due(now + dt.timedelta(minutes=61)) is not None


def test_every_role_lands_on_its_workbench(client_for, cast):
    for user in cast["users"].values():
        page = client_for(user).get("/")
        assert page.status_code == 200, user.role
        assert "工作台" in page.content.decode()


def test_the_cached_lines_follow_every_change(client_for, cast, at_inspection, django_capture_on_commit_callbacks):
    """An action (its ledger event), a save made without one, and a user's new units each show on
    the next load; a rolled-back save leaves the next one still counted."""
    from django.db import transaction

    reviewer = cast["users"]["reviewer"]
    client = client_for(reviewer)

    def count():
        page = client.get("/").content.decode()
        return page.count('<li class="wb-item'), page

    assert "联审请求待答复" in count()[1]
    warm = _queries(client)
    # Through an action: the ledger grows, the line drops a request.
    request = ReviewRequest.objects.filter(department__code="audit").order_by("deadline").first()
    inspection_actions.answer_review_request(acting_user=reviewer, request=request, answer="clear")
    assert "<span class=\"wb-count\">1</span>" in count()[1]
    # A plain save with no ledger event (an import, the admin): the generation moves.
    other = ReviewRequest.objects.filter(department__code="audit", answer="pending").get()
    try:
        with transaction.atomic():
            other.answer = "clear"
            other.save(update_fields=["answer"])
            raise RuntimeError
    except RuntimeError:
        pass
    assert "联审请求待答复" in count()[1]  # rolled back: still waiting
    other.refresh_from_db()
    other.answer = "clear"
    with django_capture_on_commit_callbacks(execute=True):
        other.save(update_fields=["answer"])
    assert "目前没有等待您办理的事项" in count()[1]
    assert _queries(client) == warm
