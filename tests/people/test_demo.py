"""The demo county's people and accounts: shape, validity, determinism and speed.

The county is built once for the module (about 5 s on SQLite) inside a transaction that is
rolled back at the end; every test reads it."""

import collections
import datetime as dt
import time

import pytest
from django.db import transaction
from django.test import override_settings

from gongxin.accounts import demo as accounts_demo
from gongxin.accounts.models import User
from gongxin.accounts.roles import DataScope, Role
from gongxin.accounts.scope import cadre_q
from gongxin.core.demo import DEMO_PASSWORD, DemoContext
from gongxin.core.errors import DomainError
from gongxin.ledger.models import Event
from gongxin.people import demo as people_demo
from gongxin.people import idnumber
from gongxin.people.models import (
    AnnualGrade,
    Cadre,
    OrgUnit,
    OrgUnitKind,
    Post,
    PostHolding,
    PostKind,
    Relation,
    ResumeEntry,
)

TODAY = dt.date(2026, 11, 20)

# Each test runs in its own savepoint inside the module's transaction.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    fast_hash = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hash:
        with transaction.atomic():
            ctx = DemoContext(verbose=False)
            started = time.perf_counter()
            people_demo.build(ctx)
            ctx.people_seconds = time.perf_counter() - started
            started = time.perf_counter()
            accounts_demo.build(ctx)
            ctx.accounts_seconds = time.perf_counter() - started
            yield ctx
            transaction.set_rollback(True)


def _main_units():
    return OrgUnit.objects.filter(depth=1).exclude(kind__in=[OrgUnitKind.SECTION, OrgUnitKind.VILLAGE])


# ---- shape ----------------------------------------------------------------------------------

def test_about_forty_units_in_one_tree_with_twelve_townships(demo):
    root = demo.data["root"]
    assert root.parent_id is None and root.name == "惠民县"
    assert 38 <= _main_units().count() <= 45
    townships = OrgUnit.objects.filter(kind=OrgUnitKind.TOWNSHIP)
    assert townships.count() == 12
    assert {"李庄镇", "孙武街道", "何坊街道", "清河镇"} <= set(townships.values_list("name", flat=True))
    assert len(demo.data["townships"]) == 12
    assert OrgUnit.objects.filter(kind=OrgUnitKind.VILLAGE).count() >= 12
    assert OrgUnit.objects.filter(kind=OrgUnitKind.SECTION).count() >= 30
    # every unit's path is its parent's path plus its own id, as create_org_unit sets it
    for unit in OrgUnit.objects.select_related("parent"):
        expected = (unit.parent.path if unit.parent_id else "") + f"{unit.pk:05d}."
        assert unit.path == expected and unit.depth == (unit.parent.depth + 1 if unit.parent_id else 0), unit
    lizhuang = demo.data["units"]["李庄镇"]
    assert set(lizhuang.subtree().values_list("name", flat=True)) >= {"李庄镇", "李庄镇党政办", "李庄镇李庄村"}


def test_posts_ranks_and_vacancies(demo):
    posts = Post.objects.select_related("rank", "org_unit")
    lizhuang = {p.title: p for p in posts if p.org_unit.name == "李庄镇"}
    assert lizhuang["党委书记"].rank.code == "zhengke" and lizhuang["镇长"].rank.code == "zhengke"
    assert lizhuang["副镇长"].rank.code == "fuke" and lizhuang["副镇长"].headcount >= 2
    finance = {p.title: p for p in posts if p.org_unit.name == "县财政局"}
    assert finance["局长"].rank.code == "zhengke" and finance["副局长"].rank.code == "fuke"
    assert posts.filter(kind=PostKind.MIDDLE, org_unit__kind=OrgUnitKind.SECTION).count() >= 30
    # never more current holders than the headcount, and some leadership posts are vacant
    filled = collections.Counter(PostHolding.objects.filter(end__isnull=True).values_list("post_id", flat=True))
    for post in posts:
        assert filled[post.pk] <= post.headcount, post
    vacant = [p for p in posts if p.kind == PostKind.LEADERSHIP and filled[p.pk] < p.headcount]
    assert len(vacant) >= 10
    secretaries = demo.data["township_secretary_posts"]
    assert len(secretaries) == 12
    assert len(demo.data["vacant_township_secretary_posts"]) == 2 and len(demo.data["vacant_township_head_posts"]) == 2
    assert len(demo.data["vacant_county_unit_posts"]) == 8
    for post in (demo.data["vacant_township_secretary_posts"] + demo.data["vacant_township_head_posts"]
                 + demo.data["vacant_county_unit_posts"]):
        assert filled[post.pk] < post.headcount and post.rank.code == "zhengke"


def test_about_two_thousand_cadres_with_plausible_names_and_ages(demo):
    cadres = list(Cadre.objects.all())
    assert 1900 <= len(cadres) <= 2100
    assert len(demo.data["cadres"]) == len(cadres)
    surnames = collections.Counter(c.name[0] for c in cadres)
    top3 = {s for s, _ in surnames.most_common(3)}
    assert top3 == {"王", "李", "张"}
    assert surnames["王"] / len(cadres) > 0.06
    assert len(surnames) >= 60
    lengths = collections.Counter(len(c.name) for c in cadres)
    assert lengths[2] > 200 and lengths[3] > 1000
    ages = [c.age_on(TODAY) for c in cadres]
    assert min(ages) >= 25 and max(ages) <= 58
    assert sum(25 <= a <= 40 for a in ages) >= 600  # room for 386 reserve cadres
    ethnicities = collections.Counter(c.ethnicity for c in cadres)
    assert ethnicities["汉族"] > 0.9 * len(cadres) and ethnicities["回族"] > 0
    assert all(c.name_pinyin and c.name_initials for c in cadres)
    zhang = next(c for c in cadres if c.name.startswith("张"))
    assert zhang.name_pinyin.startswith("zhang") and zhang.name_initials.startswith("z")


def test_every_id_number_is_valid_and_matches_birth_date_and_sex(demo):
    rows = Cadre.objects.values_list("id_number", "birth_date", "sex", "work_started", "party_joined")
    regions = collections.Counter()
    for number, birth, sex, work, joined in rows:
        info = idnumber.parse(number)
        assert info.birth_date == birth and info.sex == sex, number
        assert work > birth and (joined is None or joined > birth)
        regions[number[:6]] += 1
    assert regions.most_common(1)[0][0] == "371621"
    assert len(regions) >= 8  # born elsewhere too


def test_every_cadre_has_a_resume_ending_in_the_current_post(demo):
    without = Cadre.objects.exclude(resume_entries__kind="work").count()
    assert without == 0
    assert not Cadre.objects.exclude(resume_entries__kind="study").exists()
    open_entries = collections.Counter(ResumeEntry.objects.filter(end__isnull=True).values_list("cadre_id", flat=True))
    assert set(open_entries.values()) == {1} and len(open_entries) == Cadre.objects.count()
    assert not ResumeEntry.objects.filter(place="").exists()
    grassroots = ResumeEntry.objects.filter(is_grassroots=True)
    assert grassroots.filter(org_unit__kind=OrgUnitKind.TOWNSHIP).exists()
    assert grassroots.filter(org_unit__kind=OrgUnitKind.VILLAGE).exists()
    assert not ResumeEntry.objects.filter(is_grassroots=True, org_unit__kind=OrgUnitKind.DEPARTMENT).exists()
    # current holdings agree with the cadre's unit
    for holding in PostHolding.objects.filter(end__isnull=True, post__kind=PostKind.STAFF).select_related(
            "post", "cadre")[:200]:
        assert holding.cadre.org_unit_id == holding.post.org_unit_id


def test_relations_and_cadre_links_for_recusal(demo):
    assert Relation.objects.filter(kind="spouse").count() > 1200
    assert Relation.objects.filter(kind="father").count() == Cadre.objects.count()
    linked = Relation.objects.filter(related_cadre__isnull=False).select_related("cadre", "related_cadre")
    kinds = collections.Counter(r.kind for r in linked)
    assert kinds["spouse"] >= 20 and kinds["brother"] + kinds["sister"] >= 10 and kinds["father"] >= 3
    for r in linked:
        assert r.name == r.related_cadre.name and r.related_cadre_id != r.cadre_id
        # the link is mutual: the relative lists this cadre back
        assert Relation.objects.filter(cadre=r.related_cadre, related_cadre=r.cadre).exists(), r
    leaders = {c.pk for c in demo.data["county_leaders"]}
    assert any(r.cadre_id in leaders or r.related_cadre_id in leaders for r in linked)
    assert Relation.objects.filter(kind="spouse", emigrated=True).count() == 2
    assert len(demo.data["related_pairs"]) >= 30


def test_grades_and_rewards(demo):
    years = sorted(set(AnnualGrade.objects.values_list("year", flat=True)))
    assert years == [2022, 2023, 2024, 2025]
    grades = collections.Counter(AnnualGrade.objects.values_list("grade", flat=True))
    total = sum(grades.values())
    assert 0.1 < grades["excellent"] / total <= 0.25
    assert grades["competent"] > 0.7 * total and 0 < grades["basically_competent"] < 0.03 * total
    cadre = Cadre.objects.filter(annual_grades__year=2025).first()
    mine = dict(cadre.annual_grades.values_list("year", "grade"))
    assert all(f"{y}年度{people_demo.GRADE_LABEL[g]}" in cadre.annual_assessment_text for y, g in mine.items())
    assert Cadre.objects.filter(rewards_and_punishments__contains="三等功").exists()


def test_key_project_people_and_context(demo):
    data = demo.data
    for project, unit in [("开发区建设", "惠民经济开发区管委会"), ("古城开发", "县古城保护开发服务中心"),
                          ("孙子文化旅游节", "县文化和旅游局")]:
        assert len(data["cadres_by_unit"][unit]) >= 20
        assert set(data["cadres_by_unit"][unit]) <= set(data["key_project_cadres"][project])
    assert len(data["county_leaders"]) == 15
    # serving village cadres, every village committee's posts filled (the exams demo selects the
    # source's 11 into township offices through an exam and a case)
    village = data["village_cadres"]
    villages = {u.pk for u in data["villages"]}
    assert village and {c.org_unit_id for c in village} == villages
    for cadre in village:
        holding = cadre.post_holdings.get(end__isnull=True)
        assert holding.post.org_unit_id == cadre.org_unit_id and holding.post.rank.code == "village_cadre"
        lines = list(cadre.resume_entries.filter(kind="work").order_by("start"))
        assert lines[-1].org_unit.kind == OrgUnitKind.VILLAGE and lines[-1].end is None and lines[-1].is_grassroots
        assert lines[-1].start == holding.start
    assert {"units", "townships", "departments", "cadres", "posts", "township_secretary_posts",
            "users", "clerk"} <= set(data)


def test_one_ledger_event_records_the_import_with_a_digest_of_the_rows(demo):
    import json

    events = Event.objects.filter(kind="people.demo.imported")
    assert events.count() == 1
    payload = json.loads(bytes(events.get().data))["payload"]
    assert payload["counts"]["cadres"] == Cadre.objects.count()
    assert payload["counts"]["resume_entries"] == ResumeEntry.objects.count()
    assert payload["sha256"] == people_demo.database_rows_digest()
    # the ID numbers themselves are not in the ledger
    assert Cadre.objects.first().id_number not in bytes(events.get().data).decode()
    # only the main units went through the action, one event each
    assert Event.objects.filter(kind="people.org_unit.created").count() == _main_units().count() + 1
    assert not Event.objects.filter(kind="people.cadre.created").exists()


def test_build_is_deterministic_and_fast(demo):
    assert demo.people_seconds < 30  # about 5 s on an idle 2-core machine; generous for a loaded CI
    first = people_demo.plan(demo.seed, demo.today)
    second = people_demo.plan(demo.seed, demo.today)
    assert people_demo.rows_digest(first) == people_demo.rows_digest(second) == people_demo.database_rows_digest()
    names_and_ids = [(c["name"], c["id_number"]) for c in first["cadres"]]
    assert names_and_ids == [(c.name, c.id_number) for c in demo.data["cadres"]]
    other = people_demo.plan(demo.seed + 1, demo.today)
    assert people_demo.rows_digest(other) != people_demo.rows_digest(first)


@pytest.mark.parametrize("seed, today", [(7, dt.date(2025, 1, 3)), ("abc", dt.date(2027, 6, 30))])
def test_other_seeds_and_dates_plan_valid_counties(seed, today):
    rows = people_demo.plan(seed, today)
    assert len(rows["cadres"]) == people_demo.TARGET_CADRES
    assert len({c["id_number"] for c in rows["cadres"]}) == len(rows["cadres"])
    for c in rows["cadres"]:
        info = idnumber.parse(c["id_number"])
        assert (info.birth_date, info.sex) == (c["birth_date"], c["sex"])
        age = today.year - c["birth_date"].year - ((today.month, today.day) < (c["birth_date"].month, c["birth_date"].day))
        assert 25 <= age <= 58 and c["birth_date"] < c["work_started"] <= today
    by_cadre = collections.defaultdict(list)
    for r in rows["resume"]:
        by_cadre[r["cadre"]].append(r)
    assert len(by_cadre) == len(rows["cadres"])
    for lines in by_cadre.values():
        work = sorted((r for r in lines if r["kind"] == "work"), key=lambda r: r["start"])
        assert work[-1]["end"] is None and all(r["end"] is not None for r in work[:-1])
        assert all(a["end"] <= b["start"] for a, b in zip(work, work[1:], strict=False))
    filled = collections.Counter((h["unit"], h["title"]) for h in rows["holdings"] if h["end"] is None)
    assert all(filled[(p["unit"], p["title"])] <= p["headcount"] for p in rows["posts"])


def test_a_second_build_into_an_empty_database_writes_the_same_rows(demo):
    """Two real builds: roll the first one back inside a savepoint, build again, compare."""
    digest = people_demo.database_rows_digest()
    with transaction.atomic():
        sid = transaction.savepoint()
        for model in (User.org_units.through, User, AnnualGrade, PostHolding, Relation, ResumeEntry, Cadre, Post):
            model.objects.all().delete()
        for unit in OrgUnit.objects.order_by("-depth"):
            unit.delete()
        assert not Cadre.objects.exists()
        people_demo.build(DemoContext(verbose=False))
        assert people_demo.database_rows_digest() == digest
        transaction.savepoint_rollback(sid)


def test_building_twice_without_reset_is_refused(demo):
    with pytest.raises(DomainError) as exc:
        people_demo.build(DemoContext(verbose=False))
    assert exc.value.code == "demo.already_built" and "--reset" in str(exc.value)
    assert Cadre.objects.count() == len(demo.data["cadres"])


# ---- accounts ------------------------------------------------------------------------------

def test_demo_accounts_one_per_role_with_the_demo_password(demo):
    users = demo.data["users"]
    assert demo.admin == users["admin"] and demo.admin.role == Role.ORG_ADMIN
    assert demo.admin.data_scope == DataScope.ALL
    assert users["admin"].check_password(DEMO_PASSWORD)
    assert User.objects.get(username="inspector17").check_password(DEMO_PASSWORD)
    assert {u.role for u in users.values()} == set(Role.values)
    assert [f"inspector{i}" in users for i in range(1, 31)] == [True] * 30
    assert [f"voter{i}" in users for i in range(1, 16)] == [True] * 15
    assert {users[f"reviewer_{c}"].review_department for c in
            ("discipline", "political_legal", "audit", "health", "petitions")} == \
        {"discipline", "political_legal", "audit", "health", "petitions"}
    assert demo.data["clerk"] == users["clerk"]
    linked = [u.cadre_id for u in users.values() if u.cadre_id]
    assert len(linked) == len(set(linked)) == len(users) - 1  # everyone but admin is a cadre
    # inspectors are organization / personnel cadres; voters are the county leaders
    for i in range(1, 31):
        unit = User.objects.get(username=f"inspector{i}").cadre.org_unit
        while unit.depth > 1:
            unit = unit.parent
        assert unit.name in ("县委组织部", "县人力资源和社会保障局", "县纪委监委")
    assert {users[f"voter{i}"].cadre_id for i in range(1, 16)} == {c.pk for c in demo.data["county_leaders"]}
    assert users["section_head"].cadre.current_post_title.startswith(users["section_head"].org_units.get().name)
    assert [a[0] for a in accounts_demo.DEMO_ACCOUNTS][:3] == ["admin", "clerk", "lizhuang_clerk"]
    assert demo.accounts_seconds < 10


def test_township_clerk_sees_only_lizhuang(demo):
    clerk = demo.data["users"]["lizhuang_clerk"]
    visible = Cadre.objects.filter(cadre_q(clerk))
    lizhuang = demo.data["units"]["李庄镇"]
    assert visible.count() == Cadre.objects.filter(org_unit__path__startswith=lizhuang.path).count() > 50
    assert not visible.exclude(org_unit__path__startswith=lizhuang.path).exists()
    county_clerk = demo.data["clerk"]
    assert Cadre.objects.filter(cadre_q(county_clerk)).count() == Cadre.objects.count()
    me = demo.data["users"]["cadre"]
    assert list(Cadre.objects.filter(cadre_q(me))) == [me.cadre]
    assert me.cadre.org_unit.path.startswith(lizhuang.path) and me.cadre.age_on(TODAY) <= 40
