import datetime as dt

import pytest

from gongxin.people import actions as people_actions


@pytest.fixture
def clerk(cast):
    return cast["users"]["clerk"]


@pytest.fixture
def full_cadre(cast, make_cadre):
    """A 李庄镇 cadre with every field of the form filled, an open-ended resume line and five
    family members."""
    cadre = make_cadre(
        cast["lizhuang"], name="赵文华", sex="F", birth=dt.date(1984, 1, 9), ethnicity="回族",
        native_place="山东惠民", birthplace="山东滨州", political_status="cpc", party_joined=dt.date(2005, 6, 1),
        work_started=dt.date(2006, 7, 1), health="健康", professional_title="经济师", expertise="财政管理",
        fulltime_education="bachelor", fulltime_degree="bachelor", fulltime_education_school="山东大学经济学院财政学专业",
        fulltime_degree_school="山东大学经济学院", parttime_education="master", parttime_degree="master",
        parttime_education_school="中央党校研究生院经济管理专业", parttime_degree_school="中央党校",
        current_post_title="李庄镇党委副书记", proposed_post_title="李庄镇党委书记",
        proposed_removal_title="李庄镇党委副书记", rewards_and_punishments="2019年记三等功一次",
        annual_assessment_text="2023、2024年度考核称职，2025年度考核优秀", appointment_reason="工作需要",
        reporting_unit="中共惠民县委组织部", age_reference_date=dt.date(2026, 11, 20),
        form_filled_date=dt.date(2026, 11, 1), form_filled_by="刘敏", lrmx_version="3.2.1.16",
        photo=b"\xff\xd8\xff\xe0fake-jpeg-bytes", photo_type="image/jpeg",
    )
    a = people_actions
    a.add_resume_entry(acting_user=None, cadre=cadre, start=dt.date(2002, 9, 1), end=dt.date(2006, 7, 1),
                       description="山东大学经济学院财政学专业学习", kind="study")
    a.add_resume_entry(acting_user=None, cadre=cadre, start=dt.date(2006, 7, 1), end=dt.date(2016, 3, 1),
                       description="惠民县财政局科员")
    a.add_resume_entry(acting_user=None, cadre=cadre, start=dt.date(2016, 3, 1), end=None,
                       description="李庄镇党委副书记")
    family = [("spouse", "丈夫", "孙建国", "198203", "中共党员", "惠民县教育局干部"),
              ("son", "儿子", "孙一鸣", "201005", "群众", "惠民县实验小学学生"),
              ("father", "父亲", "赵德山", "195811", "中共党员", "退休"),
              ("mother", "母亲", "王秀英", "196002", "群众", "退休"),
              ("parent_in_law", "岳母", "李桂兰", "195707", "群众", "退休")]
    for i, (kind, title, name, birth, pol, work) in enumerate(family, start=1):
        a.add_relation(acting_user=None, cadre=cadre, kind=kind, title=title, name=name, birth=birth,
                       political_status=pol, work_unit_and_post=work, sort_order=i)
    return cadre
