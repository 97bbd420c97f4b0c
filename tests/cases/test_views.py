"""Pages: scope (404), capability (403), the case page's blockers, POST transitions, rules,
decision meeting, dossier and its PDF."""

import datetime as dt

import pytest
from django.urls import reverse

from gongxin.cases import actions
from gongxin.cases.models import Case, CaseStage, RuleSet
from gongxin.ledger.models import Event

from .conftest import drive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_guards_only")]


@pytest.fixture
def hefang_case(cast, posts, admin):
    return actions.open_case(acting_user=admin, title="何坊街道党工委书记选任", org_unit=cast["hefang"],
                             posts=[posts["hefang_secretary"]], channels=["performance"], motion_reason="x")


def test_clerk_sees_cases_in_scope_only(client_for, clerk, case, hefang_case):
    c = client_for(clerk)
    page = c.get(reverse("cases:case_list"))
    assert page.status_code == 200
    assert "李庄镇党委书记选任" in page.content.decode() and "何坊街道" not in page.content.decode()
    assert c.get(reverse("cases:case_detail", args=[hefang_case.pk])).status_code == 404
    assert c.post(reverse("cases:case_advance", args=[hefang_case.pk]), {"to_stage": "nomination"}).status_code == 404
    assert c.get(reverse("cases:dossier", args=[hefang_case.pk])).status_code == 404


@pytest.mark.parametrize("role", ["inspector", "reviewer", "cadre", "section_head"])
def test_roles_without_the_capability_get_403(client_for, cast, case, role):
    c = client_for(cast["users"][role])
    assert c.get(reverse("cases:case_list")).status_code == 403
    assert c.get(reverse("cases:case_detail", args=[case.pk])).status_code == 403
    assert c.get(reverse("cases:rule_set_list")).status_code == 403


def test_voter_sees_only_cases_whose_meeting_they_sit_on(client_for, cast, case, admin, eligible, members):
    voter = cast["users"]["voter"]
    c = client_for(voter)
    assert c.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    actions.create_decision_meeting(acting_user=admin, case=case, title="常委会",
                                    members=[{"name": "投票人", "user": voter}] + [{"name": m.name} for m in members])
    assert c.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    assert c.post(reverse("cases:case_advance", args=[case.pk]), {"to_stage": "publicity"}).status_code == 403


def test_anonymous_is_sent_to_login(client_for, case):
    r = client_for(None).get(reverse("cases:case_detail", args=[case.pk]))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_case_page_shows_blockers_next_to_the_button(client_for, clerk, case):
    page = client_for(clerk).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "开始提名" in page and "条件已满足" in page
    actions.advance_case(acting_user=clerk, case=case, to_stage="nomination")
    page = client_for(clerk).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "确定考察对象" in page and "李庄镇党委书记 还没有提名人选。" in page


def test_advancing_by_post_and_a_refused_move_shows_the_blocker(client_for, clerk, case):
    c = client_for(clerk)
    r = c.post(reverse("cases:case_advance", args=[case.pk]), {"to_stage": "nomination"}, follow=True)
    assert "案件已进入“提名”阶段" in r.content.decode()
    r = c.post(reverse("cases:case_advance", args=[case.pk]), {"to_stage": "inspection"}, follow=True)
    assert "不能直接进入“考察与联审”" in r.content.decode()
    assert Case.objects.get(pk=case.pk).stage == "nomination"


def test_csrf_is_enforced_on_transitions(clerk, case):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(clerk)
    assert c.post(reverse("cases:case_advance", args=[case.pk]), {"to_stage": "nomination"}).status_code == 403


def test_create_case_and_add_candidate_through_forms(client_for, clerk, cast, posts, eligible):
    c = client_for(clerk)
    assert c.get(reverse("cases:case_create")).status_code == 200
    r = c.post(reverse("cases:case_create"), {
        "title": "李庄镇镇长选任", "org_unit": cast["lizhuang"].pk, "posts": [posts["lizhuang_head"].pk],
        "channels": ["open_nomination", "self_nomination"], "motion_reason": "镇长调任", "motion_date": "2026-02-01"})
    case = Case.objects.get(title="李庄镇镇长选任")
    assert r.status_code == 302 and r["Location"] == reverse("cases:case_detail", args=[case.pk])
    actions.advance_case(acting_user=clerk, case=case, to_stage="nomination")
    cadre = eligible("甲")
    assert c.get(reverse("cases:candidate_add", args=[case.pk])).status_code == 200
    r = c.post(reverse("cases:candidate_add", args=[case.pk]), {"cadre": cadre.pk, "channel": "open_nomination",
                                                               "recommended_on": "2026-01-20"})
    cand = case.candidates.get()
    assert r.status_code == 302
    page = c.get(reverse("cases:candidate_detail", args=[cand.pk])).content.decode()
    assert "推荐日期 2026-01-20" in page and "符合" in page


def test_clerk_cannot_nominate_a_cadre_outside_scope(client_for, clerk, case, cast):
    actions.advance_case(acting_user=clerk, case=case, to_stage="nomination")
    r = client_for(clerk).post(reverse("cases:candidate_add", args=[case.pk]),
                               {"cadre": cast["cadres"]["li"].pk, "channel": "performance"})
    assert r.status_code == 200 and not case.candidates.exists()


def test_case_list_query_count_is_bounded(client_for, clerk, cast, posts, admin, django_assert_max_num_queries):
    for i in range(15):
        actions.open_case(acting_user=admin, title=f"案件{i}", org_unit=cast["lizhuang"],
                          posts=[posts["lizhuang_head"]], channels=["performance"], motion_reason="x",
                          over_headcount_reason="测试：同一职位多个案件")
    c = client_for(clerk)
    with django_assert_max_num_queries(14):
        assert c.get(reverse("cases:case_list")).status_code == 200


def test_rules_pages_and_edit_make_a_new_version(client_for, admin, clerk):
    c = client_for(admin)
    assert "DOMAIN §5 默认规则" in c.get(reverse("cases:rule_set_list")).content.decode()
    rs = RuleSet.objects.get(version=1)
    page = c.get(reverse("cases:rule_set_detail", args=[rs.pk])).content.decode()
    assert "第八条" in page and "科级领导职务任职资格" in page
    r17 = rs.rules.get(code="R17")
    assert c.get(reverse("cases:rule_edit", args=[r17.pk])).status_code == 200
    bad = c.post(reverse("cases:rule_edit", args=[r17.pk]), {"name": "任前公示期", "p_working_days": "abc",
                                                              "effective_from": "2026-12-01", "note": "x"})
    assert "R17 的参数“公示期（工作日）”必须是整数，应在 5 至 30 之间。" in bad.content.decode()
    r = c.post(reverse("cases:rule_edit", args=[r17.pk]), {
        "name": "任前公示期", "p_working_days": "7", "regulation": r17.regulation, "article": r17.article,
        "source_text": r17.source_text, "effective_from": "2026-12-01", "note": "本县从严"})
    v2 = RuleSet.objects.get(version=2)
    assert r.status_code == 302 and v2.rules.get(code="R17").parameters == {"working_days": 7}
    assert Event.objects.filter(kind="cases.rule_set.versioned").count() == 1
    assert client_for(clerk).get(reverse("cases:rule_edit", args=[r17.pk])).status_code == 403


def test_decision_meeting_pages(client_for, clerk, case, eligible, members):
    c = client_for(clerk)
    case = drive(case, clerk, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    assert c.get(reverse("cases:meeting_create", args=[case.pk])).status_code == 200
    r = c.post(reverse("cases:meeting_create", args=[case.pk]), {
        "title": "县委常委会第 12 次会议", "held_on": "2026-03-01", "mode": "open", "place": "县委第一会议室",
        "other_members": "\n".join(m.name for m in members)})
    meeting = case.decision_meetings.get()
    assert r.status_code == 302
    ms = list(meeting.members.all())
    c.post(reverse("cases:meeting_action", args=[meeting.pk, "attendance"]), {"present": [m.pk for m in ms[:6]]})
    cand = case.candidates.get()
    c.post(reverse("cases:meeting_action", args=[meeting.pk, "votes"]),
           {"candidate": cand.pk, **{f"choice_{m.pk}": "agree" for m in ms[:6]}})
    page = c.get(reverse("cases:meeting_detail", args=[meeting.pk])).content.decode()
    assert "应到 9 人，实到 6 人" in page and "达到法定人数" in page and "同意 6" in page
    c.post(reverse("cases:meeting_action", args=[meeting.pk, "close"]))
    minutes = c.get(reverse("cases:meeting_minutes", args=[meeting.pk])).content.decode()
    assert "记录人" in minutes and "通过" in minutes


def test_dossier_page_and_pdf(client_for, clerk, case, eligible, members):
    case = drive(case, clerk, CaseStage.CLOSED, candidates=[eligible("甲")], members=members)
    c = client_for(clerk)
    page = c.get(reverse("cases:dossier", args=[case.pk])).content.decode()
    assert "干部选拔任用全程纪实" in page and "形成决定" in page and "R1" in page
    pdf = c.get(reverse("cases:dossier_pdf", args=[case.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_self_nomination_pages(client_for, cast, clerk, case):
    notice = actions.publish_vacancy_notice(acting_user=clerk, case=case, post=case.case_posts.get().post,
                                            qualifications="大学本科以上学历",
                                            deadline=dt.date.today() + dt.timedelta(days=5))
    cadre = client_for(cast["users"]["cadre"])
    assert "李庄镇党委书记" in cadre.get(reverse("cases:notice_list")).content.decode()
    page = cadre.get(reverse("cases:notice_detail", args=[notice.pk])).content.decode()
    assert "您的资格审查结果如下" in page and "党龄" in page
    r = cadre.post(reverse("cases:notice_detail", args=[notice.pk]), {"statement": "熟悉乡镇工作"}, follow=True)
    assert "资格审查：不符合" in r.content.decode()
    app = notice.applications.get()
    staff = client_for(clerk)
    assert "熟悉乡镇工作" in staff.get(reverse("cases:notice_detail", args=[notice.pk])).content.decode()
    staff.post(reverse("cases:application_decide", args=[app.pk, "reject"]), {"reason": "党龄不满三年"})
    app.refresh_from_db()
    assert app.status == "rejected"
    assert "党龄不满三年" in cadre.get(reverse("cases:notice_detail", args=[notice.pk])).content.decode()


# ---- attachments ------------------------------------------------------------------------------

@pytest.fixture
def uploaded(case, clerk, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    pdf = b"%PDF-1.4\n% a scanned motion\n%%EOF\n"
    return actions.add_attachment(acting_user=clerk, case=case, title="动议材料",
                                  file=SimpleUploadedFile("scan.pdf", pdf, content_type="application/pdf")), pdf


def test_an_attachment_downloads_as_uploaded_and_is_linked_from_the_case(client_for, clerk, case, uploaded):
    att, pdf = uploaded
    c = client_for(clerk)
    url = reverse("cases:attachment_download", args=[case.pk, att.pk])
    assert url in c.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    r = c.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == pdf
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == "attachment; filename*=utf-8''%E5%8A%A8%E8%AE%AE%E6%9D%90%E6%96%99.pdf"  # 动议材料.pdf


def test_an_attachment_out_of_scope_or_of_another_case_is_404(client_for, clerk, case, hefang_case, uploaded, admin):
    att, _pdf = uploaded
    assert client_for(clerk).get(reverse("cases:attachment_download", args=[hefang_case.pk, att.pk])).status_code == 404
    # the admin sees both cases, but the attachment belongs to the other one
    assert client_for(admin).get(reverse("cases:attachment_download", args=[hefang_case.pk, att.pk])).status_code == 404


def test_a_file_changed_on_disk_is_refused_and_a_missing_one_explained(client_for, clerk, case, uploaded):
    """Back on the case page with the reason, never the altered bytes."""
    att, _pdf = uploaded
    c = client_for(clerk)
    url = reverse("cases:attachment_download", args=[case.pk, att.pk])
    with open(att.file.path, "ab") as f:
        f.write(b"tampered")
    r = c.get(url, follow=True)
    assert r.redirect_chain[-1][0] == reverse("cases:case_detail", args=[case.pk])
    assert "SHA-256 不一致" in r.content.decode() and "tampered" not in r.content.decode()
    import os

    os.remove(att.file.path)
    r = c.get(url, follow=True)
    assert r.redirect_chain and "备份恢复" in r.content.decode()
