"""The workbench's lines are compiled once per user and day (workbench/plan.py): the next
computations, after any change of the data, run the same statements without calling the providers
or Django's compiler, read the data anew, and give the lines the ORM gives one by one."""

import datetime as dt

import pytest
from django.db import connection

from gongxin.accounts.scope import scope_units
from gongxin.inspection.models import ReviewRequest
from gongxin.publicity.models import Feedback
from gongxin.workbench import items as wb_items
from gongxin.workbench import plan as wb_plan
from gongxin.workbench.items import Item, Pending, collect

pytestmark = [pytest.mark.django_db]


def one_by_one(user, today):
    """The reference: each provider's querysets evaluated by the ORM as they come, no plan."""
    out = []
    for provider in wb_items.providers():
        for entry in provider(user, today):
            made = entry.build(list(entry.qs)) if isinstance(entry, Pending) else entry
            if isinstance(made, Item):
                out.append(made)
            elif made:
                out.extend(made)
    return sorted((item for item in out if item.count > 0), key=Item.sort_key)


def _statements(fn, *args):
    ran = []

    def record(execute, sql, params, many, context):
        ran.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = fn(*args)
    return result, ran


def test_the_plan_gives_the_lines_the_orm_gives_one_by_one_after_every_change(county_clerk, one_of_each):
    wb_plan.forget()
    today = one_of_each["today"]
    first = collect(county_clerk, today)  # records the plan
    assert first == one_by_one(county_clerk, today) and len(first) >= 10
    # Changes of every kind; the plan (kept) reads them all.
    answered = ReviewRequest.objects.filter(candidate=one_of_each["late"]).order_by("pk").first()
    answered.answer = "clear"
    answered.save(update_fields=["answer"])
    Feedback.objects.create(notice=one_of_each["notice"], code="beef01", category="conduct", text="再次反映")
    ReviewRequest.objects.filter(candidate=one_of_each["due"]).update(deadline=today - dt.timedelta(days=3))
    from gongxin.assessment.models import AssessmentYear

    AssessmentYear.objects.all().delete()
    again = collect(county_clerk, today)
    assert again == one_by_one(county_clerk, today)
    assert again != first
    assert not any(item.title == "年度考核待确定等次" for item in again)
    feedback = next(item for item in again if item.title == "公示反馈待答复")
    assert feedback.count == 2


def test_a_computation_after_the_first_runs_only_the_plans_statements(county_clerk, one_of_each, monkeypatch):
    """Neither a provider nor Django's compiler runs again for the same user and day: the second
    computation runs the recorded statements, as recorded, and nothing else."""
    from django.db.models.sql.compiler import SQLCompiler

    wb_plan.forget()
    today = one_of_each["today"]
    calls = []
    real = wb_items.providers()
    counted = [lambda user, on, p=p: calls.append(p) or p(user, on) for p in real]
    monkeypatch.setattr(wb_items, "providers", lambda: counted)
    scope_units(county_clerk)
    collect(county_clerk, today)
    assert len(calls) == len(real)
    plan = wb_plan.plan_for(county_clerk, today, counted)
    recorded = [s.sql for s in plan.statements()]
    compiled = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or as_sql(self, *a, **k))
    lines, ran = _statements(collect, county_clerk, today)
    assert len(calls) == len(real)  # no provider asked again
    assert compiled == []
    # (On PostgreSQL they go with their parameters in their text, made once: plan.py, _pipelined.)
    assert ran == [s.literal or s.sql for s in plan.statements()] and len(ran) == len(plan.statements())
    assert [s.sql for s in plan.statements()] == recorded
    assert lines == one_by_one(county_clerk, today)


def test_a_users_new_scope_or_role_is_a_new_plan(client_for, cast, at_inspection, county):
    """The plan's questions hold the user's scope: a clerk given other units sees their lines."""
    clerk = cast["users"]["clerk"]  # 李庄镇 and below
    today = at_inspection["today"]
    before = collect(clerk, today)
    assert any(item.title == "李庄镇党委书记选任" for item in before)
    assert wb_plan.plan_for(clerk, today, wb_items.providers()).reusable  # kept for the next computations
    clerk.org_units.set([county["hefang"]])
    clerk = type(clerk).objects.get(pk=clerk.pk)
    after = collect(clerk, today)
    assert not any(item.title == "李庄镇党委书记选任" for item in after)
    assert after == one_by_one(clerk, today)
    clerk.role = "voter"
    clerk.save(update_fields=["role"])
    assert collect(clerk, today) == one_by_one(clerk, today) == []


def test_a_provider_that_reads_the_database_while_asking_is_asked_every_time(cast, monkeypatch):
    """Its questions may depend on the data: its plan is not kept."""
    from gongxin.cases.models import Case

    calls = []

    def reads(user, today):
        calls.append(1)
        titles = list(Case.objects.values_list("title", flat=True))
        return [Item("x", f"{len(titles)} 件", 1, "/x")]

    monkeypatch.setattr(wb_items, "providers", lambda: [reads])
    clerk = cast["users"]["clerk"]
    today = dt.date(2026, 12, 6)
    assert [i.title for i in collect(clerk, today)] == ["0 件"]
    assert [i.title for i in collect(clerk, today)] == ["0 件"]
    assert len(calls) == 2


@pytest.mark.postgres
def test_on_postgresql_the_plans_statements_are_prepared_on_the_connection(county_clerk, one_of_each):
    """Planned once by the server, run again on the data as it is then (plan.py, _pipelined)."""
    wb_plan.forget()
    today = one_of_each["today"]
    first = collect(county_clerk, today)
    plan = wb_plan.plan_for(county_clerk, today, wb_items.providers())
    sent = {s.literal for s in plan.statements()}
    assert len(sent) == len(plan.statements()) > 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        assert sent <= {row[0] for row in cursor.fetchall()}
    Feedback.objects.create(notice=one_of_each["notice"], code="beef02", category="conduct", text="再次反映")
    again = collect(county_clerk, today)
    assert again == one_by_one(county_clerk, today) != first
    assert next(item for item in again if item.title == "公示反馈待答复").count == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_prepared_statement_whose_table_changed_a_columns_type_runs_again(county_clerk, one_of_each):
    """A migration while the server runs: the server refuses a prepared statement whose result
    would change type; outside a transaction the plan's statements are prepared anew, once."""
    wb_plan.forget()
    today = one_of_each["today"]
    first = collect(county_clerk, today)
    assert any(item.title == "年度考核待确定等次" for item in first)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE assessment_assessmentyear ALTER COLUMN status TYPE varchar(11)")
    try:
        assert collect(county_clerk, today) == first == one_by_one(county_clerk, today)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE assessment_assessmentyear ALTER COLUMN status TYPE varchar(10)")


@pytest.mark.postgres
def test_on_postgresql_the_users_units_go_with_the_plans_statements(cast, at_inspection, county, monkeypatch):
    """A request's user whose units are not read yet: they are read in the same round trip as the
    statements of the plan last used for the user (plan.lines); a plan made for other units is
    not used for them."""
    wb_plan.forget()
    clerk = cast["users"]["clerk"]  # 李庄镇 and below
    today = at_inspection["today"]
    first = collect(clerk, today)
    assert any(item.title == "李庄镇党委书记选任" for item in first)
    statements = wb_plan.plan_for(clerk, today, wb_items.providers()).statements()
    alone = wb_plan._units
    monkeypatch.setattr(wb_plan, "_units", lambda user: pytest.fail("the units read on their own"))
    again, ran = _statements(collect, type(clerk).objects.get(pk=clerk.pk), today)
    assert again == first
    assert '"accounts_user_org_units"' in ran[0] and ran[1:] == [s.literal for s in statements]
    clerk.org_units.set([county["hefang"]])
    moved = collect(type(clerk).objects.get(pk=clerk.pk), today)
    assert not any(item.title == "李庄镇党委书记选任" for item in moved)
    monkeypatch.setattr(wb_plan, "_units", alone)
    assert moved == one_by_one(type(clerk).objects.get(pk=clerk.pk), today)
