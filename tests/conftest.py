"""The fixed cast (STYLE.md): org_admin, clerk, inspector, reviewer, voter, cadre, public,
in a small county built through real actions.

County 惠民县 ├ 县委组织部 (organ) ├ 李庄镇 (township) ─ 李庄镇党政办 (section)
                                  └ 何坊街道 (township) ├ 县财政局 (department)"""

import datetime as dt
import functools
import os
import random

import pytest
from django.conf import settings as django_settings
from django.db import connection
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from gongxin.accounts.models import User
from gongxin.accounts.roles import DataScope, Role
from gongxin.people import actions as people_actions
from gongxin.people import idnumber
from gongxin.people.models import OrgUnitKind, PostKind, Rank

ON_POSTGRES = "postgres" in os.environ.get("DATABASE_URL", "")

# Timing is not what the property tests check: on a loaded machine (CI shares its cores) input
# generation and single examples can be slow without anything being wrong. Each test's own
# @settings still applies on top of this profile.
hypothesis_settings.register_profile("gongxin", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gongxin"))


def pytest_report_header(config):
    if ON_POSTGRES:
        return "database: PostgreSQL (DATABASE_URL)"
    return "database: SQLite; PostgreSQL skipped (set DATABASE_URL=postgres://... to run on it)"


def pytest_collection_modifyitems(config, items):
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: hand out the slow files first
        _slow_files_first(items)
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="PostgreSQL skipped: this run uses SQLite (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def _slow_files_first(items) -> None:
    """Files with a test marked ``slow`` (tens of seconds: a demo build, servers in subprocesses)
    go first, in their own order, so that with --dist loadfile the workers start on the long
    ones and finish together, instead of one worker starting a minute-long file when the
    others are done. Every worker sorts the same collection the same way; a plain run
    (-n 0) keeps pytest-django's order."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)  # stable: order within a file is kept


def pytest_terminal_summary(terminalreporter):
    if not ON_POSTGRES:
        terminalreporter.write_line("PostgreSQL: skipped in this run (SQLite only); .ci/run runs the suite on PostgreSQL too.")


# Rows that data migrations seed. A transactional test (transaction=True, or a live server)
# empties every table afterwards, and Django restores these from its serialized copy only when
# that copy exists, which it does not after a Playwright session has started: put them back by
# running the data migrations' own functions, in migration order, so no test depends on its
# place in the run. A data migration is one whose RunPython function does not touch the schema
# (DDL such as the ledger's triggers survives a flush); new ones are found without listing them.


@functools.cache
def _seed_functions() -> tuple:
    import dis

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.operations.special import RunPython

    def touches_schema(function) -> bool:
        return any(i.argval == "schema_editor" for i in dis.get_instructions(function)
                   if i.opname.startswith("LOAD_"))

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    return tuple(op.code for migration, _backwards in plan for op in migration.operations
                 if isinstance(op, RunPython) and op.code.__module__.startswith("gongxin.")
                 and not touches_schema(op.code))


def reseed_if_flushed() -> None:
    from django.apps import apps

    if Rank.objects.exists():
        return
    for function in _seed_functions():
        function(apps, None)


@pytest.fixture(autouse=True)
def _reseed_transactional_tests(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        reseed_if_flushed()


def _flushes(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool((marker is not None and marker.kwargs.get("transaction"))
                or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _restores_itself(item) -> bool:
    """A test with ``serialized_rollback`` loads the migrated database's rows itself when it
    starts: seeding before it would add a second copy (on PostgreSQL, whose sequences a flush
    does not reset, the seed rows come back under new ids and collide on their codes)."""
    marker = item.get_closest_marker("django_db")
    return bool(marker is not None and marker.kwargs.get("serialized_rollback"))


_flushed_on_this_worker = False


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that flushed the database, seed it again for whatever test comes next. In a
    plain run pytest-django puts transactional tests last; with pytest-xdist (--dist loadfile)
    a file's tests run together, so an ordinary test, or a module fixture building a demo, can
    follow a flush on the same worker."""
    global _flushed_on_this_worker
    result = yield
    _flushed_on_this_worker = _flushed_on_this_worker or _flushes(item)
    if nextitem is not None and _flushes(item) and not _restores_itself(nextitem):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            reseed_if_flushed()
    return result


def pytest_runtest_setup(item):
    """A test that restores itself loads the migrated rows under their first ids, and expects
    to find those rows or none. After a flush on its worker it finds others: the content types
    and permissions the flush's post_migrate made again, or our seed rows, under new ids (a
    test's flush resets no sequence, PostgreSQL's or SQLite's), and its load collides on their
    unique names. So when its worker has flushed before, it starts from an empty database
    (flushed without post_migrate); on a worker that never flushed the rows are still the
    migrated ones. (Run here, after the skip markers are read and before the fixtures: a
    skipped test loads nothing, and the test after it needs the seeds.) Only when the
    connection holds the serialized copy: where it does not (seen on xdist workers, as after a
    Playwright session, see _seed_functions), the test loads nothing either, and finds the
    database as the last test left it, re-seeded by ``_reseed_transactional_tests``."""
    if _flushed_on_this_worker and _restores_itself(item):
        from django.core.management import call_command
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        if not hasattr(connections["default"], "_test_serialized_contents"):
            return
        with item.config.stash[blocking_manager_key].unblock():
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)


def isolated_settings(folder) -> dict:
    """What every test runs with: fast password hashing, its own cache, uploads and ledger key
    under ``folder``. A module fixture that builds data once (a demo) applies the same with
    override_settings, since it runs before the tests' own settings fixture."""
    return {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(folder)}},
        "MEDIA_ROOT": str(folder / "media"),
        "LEDGER_KEY_FILE": str(folder / "ledger.key"),
        "LANGUAGE_CODE": "zh-hans",
        "REQUIRE_ADMIN_OTP": False,  # tests/accounts/test_otp.py turns it on
    }


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    for name, value in isolated_settings(tmp_path).items():
        setattr(settings, name, value)
    from django.core.cache import cache

    cache.clear()
    yield


_rng = random.Random(20261127)
_issued: set[str] = set()


def make_id_number(birth: dt.date, sex: str = "M", region: str = "371621") -> str:
    """A valid number never handed out before in this run: with only 500 sequence numbers per
    birth date and sex, two dozen cadres born the same day would otherwise collide by chance.
    Once a region's 500 are used up (the cast's 张三 is made for every test) the next county's
    region code is taken, so the search always ends."""
    while True:
        for _ in range(2000):
            number = idnumber.make(region, birth, sex, _rng)
            if number not in _issued:
                _issued.add(number)
                return number
        region = str(int(region) + 1)


@pytest.fixture
def system_user(db):
    return None  # actions accept None as "the system"


@pytest.fixture
def county(db):
    """The unit tree, built through actions."""
    a = people_actions
    root = a.create_org_unit(acting_user=None, name="中共惠民县委", kind=OrgUnitKind.ORGAN)
    org_dept = a.create_org_unit(acting_user=None, name="县委组织部", kind=OrgUnitKind.ORGAN, parent=root)
    lizhuang = a.create_org_unit(acting_user=None, name="李庄镇", kind=OrgUnitKind.TOWNSHIP, parent=root, is_grassroots=True)
    lizhuang_office = a.create_org_unit(acting_user=None, name="李庄镇党政办", kind=OrgUnitKind.SECTION, parent=lizhuang)
    hefang = a.create_org_unit(acting_user=None, name="何坊街道", kind=OrgUnitKind.TOWNSHIP, parent=root, is_grassroots=True)
    finance = a.create_org_unit(acting_user=None, name="县财政局", kind=OrgUnitKind.DEPARTMENT, parent=root)
    return {"root": root, "org_dept": org_dept, "lizhuang": lizhuang, "lizhuang_office": lizhuang_office,
            "hefang": hefang, "finance": finance}


@pytest.fixture
def ranks(db):
    return {r.code: r for r in Rank.objects.all()}


@pytest.fixture
def make_cadre(db, ranks):
    counter = {"n": 0}

    def _make(org_unit, name="张三", sex="M", birth=dt.date(1985, 6, 15), rank="fuke", **fields):
        counter["n"] += 1
        data = dict(
            name=name, sex=sex, birth_date=birth, id_number=make_id_number(birth, sex),
            org_unit=org_unit, rank=ranks[rank] if rank else None, work_started=dt.date(2007, 7, 1),
            fulltime_education="bachelor", political_status="cpc",
        )
        data.update(fields)
        return people_actions.create_cadre(acting_user=None, **data)

    return _make


@pytest.fixture
def posts(county, ranks):
    a = people_actions
    return {
        "lizhuang_secretary": a.create_post(acting_user=None, org_unit=county["lizhuang"], title="党委书记",
                                            rank=ranks["zhengke"], kind=PostKind.LEADERSHIP),
        "lizhuang_head": a.create_post(acting_user=None, org_unit=county["lizhuang"], title="镇长",
                                       rank=ranks["zhengke"], kind=PostKind.LEADERSHIP),
        "hefang_secretary": a.create_post(acting_user=None, org_unit=county["hefang"], title="党工委书记",
                                          rank=ranks["zhengke"], kind=PostKind.LEADERSHIP),
    }


def _user(username, role, scope, units=(), cadre=None, **extra):
    user = User.objects.create_user(username=username, password="pass-1234-word", role=role, data_scope=scope,
                                    full_name=extra.pop("full_name", username), cadre=cadre, **extra)
    if units:
        user.org_units.set(units)
    return user


@pytest.fixture
def cast(db, county, make_cadre):
    """One user per role. The clerk is a 李庄镇 township clerk (unit and below)."""
    zhang = make_cadre(county["lizhuang"], name="张三")
    li = make_cadre(county["hefang"], name="李四", sex="F", birth=dt.date(1988, 3, 2))
    wang = make_cadre(county["lizhuang_office"], name="王五", birth=dt.date(1990, 11, 30))
    users = {
        "org_admin": _user("org_admin", Role.ORG_ADMIN, DataScope.ALL, [county["root"]]),
        "clerk": _user("clerk", Role.CLERK, DataScope.SUBTREE, [county["lizhuang"]]),
        "inspector": _user("inspector", Role.INSPECTOR, DataScope.SELF),
        "reviewer": _user("reviewer", Role.REVIEWER, DataScope.SELF, review_department="audit"),
        "voter": _user("voter", Role.VOTER, DataScope.SELF),
        "cadre": _user("cadre", Role.CADRE, DataScope.SELF, cadre=zhang),
        "section_head": _user("section_head", Role.SECTION_HEAD, DataScope.UNIT, [county["lizhuang_office"]]),
    }
    return {"users": users, "cadres": {"zhang": zhang, "li": li, "wang": wang}, **county}


@pytest.fixture
def client_for(client):
    """client_for("clerk") → a test client logged in as that cast member (None: the public)."""
    from django.test import Client

    def _client(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return _client


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"


def pytest_configure(config):
    # A fixed data folder for the run, away from the developer's demo database.
    os.environ.setdefault("GONGXIN_DATA_DIR", str(django_settings.DATA_DIR))
