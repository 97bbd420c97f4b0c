import datetime as dt

import pytest

from gongxin.core.errors import DomainError
from gongxin.ledger.models import Event
from gongxin.people import actions
from gongxin.people.models import OrgUnit, OrgUnitKind, PostHolding, RelationKind

pytestmark = pytest.mark.django_db


def test_creating_a_cadre_sets_pinyin_keys_and_records_one_ledger_event(county, make_cadre):
    before = Event.objects.count()
    cadre = make_cadre(county["lizhuang"], name="张三")
    assert (cadre.name_pinyin, cadre.name_initials) == ("zhangsan", "zs")
    events = list(Event.objects.filter(seq__gte=before))
    assert [e.kind for e in events] == ["people.cadre.created"]
    assert cadre.id_number not in events[0].data.decode()  # personal data stays out of the ledger


def test_polyphonic_surnames_take_their_surname_reading(county, make_cadre):
    assert make_cadre(county["lizhuang"], name="单雄信").name_initials == "sxx"
    assert make_cadre(county["lizhuang"], name="曾国藩").name_pinyin == "zengguofan"


def test_an_id_number_that_disagrees_with_the_birth_date_is_refused_with_the_field_named(county, make_cadre, cast):
    cadre = cast["cadres"]["zhang"]
    from tests.conftest import make_id_number

    other_birthday = make_id_number(dt.date(1970, 1, 1), "M")
    with pytest.raises(DomainError) as exc:
        actions.update_cadre(acting_user=cast["users"]["clerk"], cadre=cadre, id_number=other_birthday)
    assert "birth_date" in exc.value.details["fields"]
    assert "1970-01-01" in exc.value.details["fields"]["birth_date"][0]
    cadre.refresh_from_db()
    assert cadre.id_number != other_birthday  # nothing saved


def test_an_id_number_with_the_wrong_sex_is_refused(county, cast):
    from tests.conftest import make_id_number

    cadre = cast["cadres"]["zhang"]  # male, born 1985-06-15
    with pytest.raises(DomainError) as exc:
        actions.update_cadre(acting_user=None, cadre=cadre, id_number=make_id_number(cadre.birth_date, "F"))
    assert "性别" in exc.value.details["fields"]["sex"][0]


def test_a_duplicate_id_number_is_refused_in_chinese(county, cast):
    zhang, li = cast["cadres"]["zhang"], cast["cadres"]["li"]
    with pytest.raises(DomainError) as exc:
        actions.update_cadre(acting_user=None, cadre=li, id_number=zhang.id_number, birth_date=zhang.birth_date,
                             sex=zhang.sex)
    assert exc.value.code in {"cadre.duplicate_id_number", "validation.failed"}
    assert "身份证" in str(exc.value.details)


def test_an_update_without_changes_writes_no_event(cast):
    cadre = cast["cadres"]["zhang"]
    before = Event.objects.count()
    actions.update_cadre(acting_user=None, cadre=cadre, name=cadre.name)
    assert Event.objects.count() == before


def test_moving_a_unit_re_roots_its_whole_subtree(county):
    office = county["lizhuang_office"]
    actions.update_org_unit(acting_user=None, unit=county["lizhuang"], parent=county["finance"])
    office.refresh_from_db()
    finance = OrgUnit.objects.get(pk=county["finance"].pk)
    assert office.path.startswith(finance.path)
    assert office.depth == finance.depth + 2
    assert set(finance.subtree().values_list("name", flat=True)) == {"县财政局", "李庄镇", "李庄镇党政办"}


def test_a_unit_cannot_move_under_its_own_descendant(county):
    with pytest.raises(DomainError) as exc:
        actions.update_org_unit(acting_user=None, unit=county["lizhuang"], parent=county["lizhuang_office"])
    assert exc.value.code == "org_unit.cycle"


def test_appointing_ends_the_current_holding_and_updates_the_cadre(cast, posts):
    zhang = cast["cadres"]["zhang"]
    first = actions.appoint_to_post(acting_user=None, cadre=zhang, post=posts["lizhuang_head"], start=dt.date(2024, 1, 1))
    actions.appoint_to_post(acting_user=None, cadre=zhang, post=posts["lizhuang_secretary"], start=dt.date(2026, 3, 1),
                            probation_end=dt.date(2027, 3, 1))
    first.refresh_from_db()
    zhang.refresh_from_db()
    assert first.end == dt.date(2026, 2, 28)
    assert zhang.current_post_title == "李庄镇党委书记"
    assert zhang.rank.code == "zhengke"
    assert PostHolding.objects.filter(cadre=zhang, end__isnull=True).count() == 1


def test_ending_a_holding_closes_its_resume_line_and_names_what_is_still_held(cast, posts):
    """免职 (a post left with no new one: competitive posting's stand-down, a probation not
    confirmed): the post's "至今" resume line ends that day, 现任职务 no longer names it."""
    zhang = cast["cadres"]["zhang"]
    holding = actions.appoint_to_post(acting_user=None, cadre=zhang, post=posts["lizhuang_head"],
                                      start=dt.date(2024, 1, 1))
    actions.end_post_holding(acting_user=None, holding=holding, end=dt.date(2026, 6, 11), note="全体起立")
    zhang.refresh_from_db()
    line = zhang.resume_entries.get(description="李庄镇镇长")
    assert line.end == dt.date(2026, 6, 11)
    assert "镇长" not in zhang.current_post_title
    assert zhang.current_post_title == f"{zhang.org_unit.name}{zhang.rank.name}"
    event = Event.objects.filter(kind="people.post_holding.ended").latest("seq")
    assert event.subject_id == str(zhang.pk)


def test_a_full_post_refuses_another_holder(cast, posts):
    actions.appoint_to_post(acting_user=None, cadre=cast["cadres"]["zhang"], post=posts["hefang_secretary"],
                            start=dt.date(2025, 1, 1))
    with pytest.raises(DomainError) as exc:
        actions.appoint_to_post(acting_user=None, cadre=cast["cadres"]["li"], post=posts["hefang_secretary"],
                                start=dt.date(2025, 6, 1))
    assert exc.value.code == "post.full"
    assert "职数已满" in exc.value.message


def test_resume_and_relations_are_actions_with_events(cast):
    zhang, li = cast["cadres"]["zhang"], cast["cadres"]["li"]
    entry = actions.add_resume_entry(acting_user=None, cadre=zhang, start=dt.date(2003, 9, 1), end=dt.date(2007, 7, 1),
                                     description="山东大学经济学院经济学专业学习", kind="study", place="山东大学")
    assert entry.line == "2003.09--2007.07  山东大学经济学院经济学专业学习"
    actions.add_relation(acting_user=None, cadre=zhang, kind=RelationKind.SPOUSE, title="妻子", name="李四",
                         related_cadre=li)
    kinds = list(Event.objects.order_by("-seq").values_list("kind", flat=True)[:2])
    assert kinds == ["people.relation.added", "people.resume_entry.added"]
    with pytest.raises(DomainError):
        actions.add_relation(acting_user=None, cadre=zhang, kind=RelationKind.SPOUSE, title="本人", name="张三",
                             related_cadre=zhang)


def test_a_resume_entry_ending_before_it_starts_is_refused(cast):
    with pytest.raises(DomainError):
        actions.add_resume_entry(acting_user=None, cadre=cast["cadres"]["zhang"], start=dt.date(2010, 1, 1),
                                 end=dt.date(2009, 1, 1), description="x")


def test_creating_a_unit_gives_it_a_path_under_its_parent(county):
    unit = actions.create_org_unit(acting_user=None, name="李庄镇财政所", kind=OrgUnitKind.SECTION,
                                   parent=county["lizhuang"])
    assert unit.path.startswith(county["lizhuang"].path) and unit.depth == 2


def test_extending_a_probation_is_an_action_with_its_event(cast, posts):
    holding = actions.appoint_to_post(acting_user=None, cadre=cast["cadres"]["zhang"], post=posts["lizhuang_head"],
                                      start=dt.date(2025, 3, 1), probation_end=dt.date(2026, 2, 28))
    actions.set_probation_end(acting_user=None, holding=holding, probation_end=dt.date(2026, 8, 31), reason="extended")
    holding.refresh_from_db()
    assert holding.probation_end == dt.date(2026, 8, 31)
    assert Event.objects.order_by("-seq").first().kind == "people.post_holding.probation_changed"
    with pytest.raises(DomainError):
        actions.set_probation_end(acting_user=None, holding=holding, probation_end=dt.date(2024, 1, 1))
