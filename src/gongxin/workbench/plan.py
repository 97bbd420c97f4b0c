"""A user's workbench lines, compiled once and run as plain statements.

Building a line's queryset and compiling it costs the ORM about a millisecond; the statement
itself a tenth of that. The providers' querysets depend on nothing but the user (role, data
scope, units, review department, own cadre) and the day, never on the data: so the first
computation for a user and day records what the providers asked for (each statement's SQL and
parameters, and what makes lines of its rows), and the next ones (after any change of the data:
the lines' cache, cache.py, is dropped then) run those statements again as they are, without
calling the providers. The data is read anew each time: only the questions are kept.

What keeps that honest:
- the plan's key holds every field of the user (a new role, scope, unit or department is a new
  plan), the user's units with their place in the tree, the day, the language, the URL
  configuration and the providers themselves;
- a provider that reads the database while its lines are being asked for (its questions then
  depend on the data) makes the plan single-use: it is recomputed on every request;
- any change of settings (tests) forgets every plan; at most ``MAX_PLANS`` are kept (the
  least recently used go first).

On PostgreSQL the statements are sent together (pipeline mode) and prepared on the connection
(``_pipelined``): planning them was most of what the database did for the county clerk's lines
(about 10 ms of 13 for 14 statements with 200,000 cadres; running them, 3), and a plan's statements
are the same text each time, so the server plans each once per connection and runs it again on
the data as it is then (a prepared statement is planned again by the server itself whenever a
table it reads changes shape or its statistics are renewed)."""

import threading
from collections import OrderedDict
from contextlib import ExitStack
from dataclasses import replace

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import DatabaseError, connections, router
from django.db.models.query import ModelIterable, get_related_populators
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation

from .items import Item, Pending

try:
    import psycopg
except ImportError:  # SQLite alone, or psycopg2
    psycopg = None

MAX_PLANS = 1000
SKIPPED_USER_FIELDS = {"password", "last_login"}
_plans: OrderedDict = OrderedDict()
_latest: OrderedDict = OrderedDict()  # a plan's key without the units -> its key (lines(), _guess)
EXTRA = -1  # where fetch() puts the rows of a read sent with the plan's statements
_lock = threading.Lock()


class Statement:
    """One provider's statement, compiled, and the way back from its rows to model objects (what
    Django's ModelIterable does after running a compiled query)."""

    def __init__(self, pending: Pending):
        qs = pending.qs
        if qs._iterable_class is not ModelIterable or qs._prefetch_related_lookups or qs._known_related_objects:
            raise TypeError("A workbench line reads model rows: no values(), prefetch_related() or related manager.")
        self.build = pending.build
        self.alias = qs.db
        self.literal = None  # on PostgreSQL: the SQL with its parameters in it, as prepared (_pipelined)
        compiler = qs.query.get_compiler(using=self.alias)
        try:
            self.sql, self.params = compiler.as_sql()
        except EmptyResultSet:  # e.g. an empty scope: nothing to read
            self.sql, self.params = None, ()
            return
        self.col_count = compiler.col_count if compiler.has_extra_select else None
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.model_slice = slice(start, end)
        self.init_list = [f[0].target.attname for f in select[start:end]]
        self.populators = get_related_populators(klass_info, select, self.alias)
        self.annotations = list(compiler.annotation_col_map.items())
        self.converters = compiler.get_converters([s[0] for s in select[0:compiler.col_count]])
        self.compiler = compiler

    def objects(self, rows: list) -> list:
        if self.col_count is not None:
            rows = [row[:self.col_count] for row in rows]
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        out = []
        for row in rows:
            obj = self.model.from_db(self.alias, self.init_list, row[self.model_slice])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            out.append(obj)
        return out


class Plan:
    """What one user's providers ask for on one day: Items they gave as they are, and
    statements to run. ``reusable``: no provider read the database while asking."""

    def __init__(self, steps: list, reusable: bool, units: tuple = ()):
        self.steps, self.reusable, self.units = steps, reusable, units

    def statements(self) -> list[Statement]:
        return [step for step in self.steps if isinstance(step, Statement) and step.sql is not None]

    def fetch(self, extra: "_Read | None" = None) -> dict[int, list]:
        """Each statement's rows, by its place in the plan; ``extra``'s (a read sent with the
        statements of its database) at ``EXTRA``."""
        out: dict[int, list] = {}
        by_alias: dict[str, list[tuple[int, Statement]]] = {}
        if extra is not None:
            by_alias[extra.alias] = [(EXTRA, extra)]
        for place, step in enumerate(self.steps):
            if isinstance(step, Statement) and step.sql is not None:
                by_alias.setdefault(step.alias, []).append((place, step))
        for alias, statements in by_alias.items():
            connection = connections[alias]
            if connection.vendor == "postgresql" and len(statements) > 1 and _can_pipeline(connection):
                out.update(_pipelined(connection, statements))
                continue
            with connection.cursor() as cursor:
                for place, statement in statements:
                    cursor.execute(statement.sql, statement.params)
                    out[place] = cursor.fetchall()
        return out

    def run(self) -> list[Item]:
        return self.build(self.fetch())

    def build(self, fetched: dict[int, list]) -> list[Item]:
        out: list[Item] = []
        for place, step in enumerate(self.steps):
            if isinstance(step, Item):
                out.append(replace(step, details=list(step.details)))  # the plan's own stays as given
                continue
            made = step.build(step.objects(fetched[place]) if place in fetched else [])
            if isinstance(made, Item):
                out.append(made)
            elif made:
                out.extend(made)
        return out


def _pipelined(connection, statements) -> dict[int, list]:
    """On PostgreSQL, the statements sent together (psycopg's pipeline mode): one round trip for
    all of them instead of one each; each is still its own statement, run and counted as such.

    Each is prepared on the connection (a named server-side statement, planned once): Django
    turns psycopg's preparing off (``prepare_threshold=None``) and its cursors bind parameters on
    the client, which never prepares, so the statements go as text with their parameters in it
    (the plan's own, made once) through a cursor of psycopg's that does prepare, with preparing
    allowed for that moment only. psycopg keeps at most ``prepared_max`` (100) per connection,
    deallocating the least recently used, and forgets them all on a rollback. A statement whose
    table changed its columns' types since it was prepared (a migration while the server runs)
    is refused by the server once: outside a transaction the statements then go again after
    psycopg has forgotten what it prepared."""
    try:
        return _run_pipeline(connection, statements)
    except DatabaseError as exc:
        if connection.in_atomic_block or getattr(exc.__cause__, "sqlstate", None) != "0A000":
            raise
        _forget_prepared(connection)
        return _run_pipeline(connection, statements)


class _PreparingCursor(psycopg.Cursor if psycopg else object):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)

    def _send_query_prepared(self, name, pgq, **kwargs):
        # The query's text where Django's query log reads it (psycopg keeps it only for a query
        # sent unprepared): CaptureQueriesContext and the debug toolbar show what ran.
        self._query = pgq
        return super()._send_query_prepared(name, pgq, **kwargs)


def _run_pipeline(connection, statements) -> dict[int, list]:
    connection.ensure_connection()
    raw = connection.connection
    for _place, statement in statements:
        if statement.literal is None:
            statement.literal = connection.ops.compose_sql(statement.sql, statement.params)
    out = {}
    threshold = raw.prepare_threshold
    if threshold is None:
        raw.prepare_threshold = 1 << 30  # never by count: only the statements said to be
    try:
        with connection.wrap_database_errors, raw.pipeline():
            cursors = []
            try:
                for place, statement in statements:
                    cursor = connection._prepare_cursor(_PreparingCursor(raw))
                    cursors.append((place, cursor))
                    cursor.execute(statement.literal)
                for place, cursor in cursors:
                    out[place] = cursor.fetchall()
            finally:
                for _place, cursor in cursors:
                    cursor.close()
    finally:
        raw.prepare_threshold = threshold
    return out


def _forget_prepared(connection) -> None:
    """Deallocate what psycopg prepared on this connection and forget it (psycopg does both when
    it sees a DEALLOCATE ALL go through while preparing is on)."""
    raw = connection.connection
    threshold = raw.prepare_threshold
    raw.prepare_threshold = 1 << 30
    try:
        with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
            cursor.execute("DEALLOCATE ALL")
    finally:
        raw.prepare_threshold = threshold


def user_key(user, units: tuple | None = None) -> tuple:
    return _user_fields(user), (_units(user) if units is None else units)


def _user_fields(user) -> tuple:
    return tuple(getattr(user, f.attname) for f in user._meta.concrete_fields if f.attname not in SKIPPED_USER_FIELDS)


def _units(user) -> tuple:
    """The user's units (id and place in the tree), as the scope reads them: one plain statement
    (what the ORM takes to build it would be a tenth of the workbench's time), or the scope's own
    read when this request has made it already."""
    memo = _units_known(user)
    if memo is not None:
        return memo
    read = _units_read(user)
    with connections[read.alias].cursor() as cursor:
        cursor.execute(read.sql, read.params)
        return tuple(cursor.fetchall())


def _units_known(user) -> tuple | None:
    """The user's units when this request's scope has read them already (no query), else None."""
    from gongxin.accounts import scope

    memo = user.__dict__.get("_gx_scope_units")
    if memo is not None and memo[0] == scope._generation[0]:
        return tuple(sorted((unit.pk, unit.path) for unit in memo[1]))
    return None


class _Read:
    """A plain statement that is no line's (the user's units), in the shape fetch() sends."""

    def __init__(self, alias: str, sql: str, params: list):
        self.alias, self.sql, self.params, self.literal = alias, sql, params, None


def _units_read(user) -> _Read:
    field = user._meta.get_field("org_units")
    unit = field.related_model._meta
    alias = router.db_for_read(unit.model)
    q = connections[alias].ops.quote_name
    sql = (f"SELECT u.{q(unit.pk.column)}, u.{q(unit.get_field('path').column)} FROM {q(unit.db_table)} u "
           f"INNER JOIN {q(field.m2m_db_table())} m ON m.{q(field.m2m_reverse_name())} = u.{q(unit.pk.column)} "
           f"WHERE m.{q(field.m2m_column_name())} = %s ORDER BY 1")
    return _Read(alias, sql, [user.pk])


def key_for(user, today, providers, units: tuple | None = None) -> tuple:
    return (user_key(user, units), *_rest_of_key(today, providers))


def _rest_of_key(today, providers) -> tuple:
    return today, translation.get_language(), get_urlconf(), get_script_prefix(), tuple(providers)


def record(user, today, providers, units: tuple) -> Plan:
    """Call the providers and compile what they ask for, watching for any statement they run."""
    ran: list[str] = []

    def watch(execute, sql, params, many, context):
        ran.append(sql)
        return execute(sql, params, many, context)

    from gongxin.accounts.scope import scope_units

    # The scope's own read of the units, before watching (the providers read them through it); the
    # plan is kept only if they are the ones its key was made with.
    same_units = tuple(sorted((unit.pk, unit.path) for unit in scope_units(user))) == units
    steps = []
    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(watch))
        for provider in providers:
            for entry in provider(user, today):
                if isinstance(entry, Pending):
                    steps.append(Statement(entry))
                elif entry is not None:
                    steps.append(entry)
    return Plan(steps, reusable=same_units and not ran, units=units)


def plan_for(user, today, providers, units: tuple | None = None) -> Plan:
    """The user's plan for the day (``units``: the user's units when already read)."""
    key = key_for(user, today, providers, units)
    with _lock:
        plan = _plans.get(key)
        if plan is not None:
            _plans.move_to_end(key)
            return plan
    plan = record(user, today, providers, key[0][1])
    if plan.reusable:
        with _lock:
            _plans[key] = plan
            _latest[(key[0][0], *key[1:])] = key
            while len(_plans) > MAX_PLANS:
                _plans.popitem(last=False)
            while len(_latest) > MAX_PLANS:
                _latest.popitem(last=False)
    return plan


def lines(user, today, providers) -> list[Item]:
    """The user's lines, unsorted, empty ones included.

    On PostgreSQL the user's units (part of the plan's key) are read in the same round trip as
    the statements of the plan last used with the user's other fields, day and language: when
    they are the units that plan was made for (a user's units seldom change), its lines are
    made from what came back; otherwise the plan for the units read is found or made and run."""
    guess = _guess(user, today, providers)
    if guess is None:
        return plan_for(user, today, providers).run()
    plan, read = guess
    fetched = plan.fetch(extra=read)
    units = tuple(tuple(row) for row in fetched.pop(EXTRA))
    if units == plan.units:
        return plan.build(fetched)
    return plan_for(user, today, providers, units).run()


def _guess(user, today, providers) -> tuple[Plan, _Read] | None:
    """The plan last used for this user (all but the units the same) and the read of the
    units to send with it; None when the units need no query or cannot go with the plan."""
    if _units_known(user) is not None:
        return None
    base = (_user_fields(user), *_rest_of_key(today, providers))
    with _lock:
        key = _latest.get(base)
        plan = _plans.get(key) if key is not None else None
    if plan is None:
        return None
    read = _units_read(user)
    aliases = {statement.alias for statement in plan.statements()}
    connection = connections[read.alias]
    if aliases != {read.alias} or connection.vendor != "postgresql" or not _can_pipeline(connection):
        return None
    return plan, read


def forget(**_kwargs) -> None:
    with _lock:
        _plans.clear()
        _latest.clear()


setting_changed.connect(forget, dispatch_uid="workbench-plans")


def _can_pipeline(connection) -> bool:
    connection.ensure_connection()
    return hasattr(connection.connection, "pipeline")  # psycopg 3 (psycopg2 has none)
