"""The to-do items of the workbench. Each app's AppConfig may name ``workbench_items``: a
callable ``items(user, today)`` returning, for what waits on this user in that app, ``Item``s
and ``Pending`` statements (``line()``, ``rows()``: a queryset and what makes lines of its rows).

A provider runs no query itself: the workbench runs the statements of all of a user's lines
together, keeps them compiled per user and day (plan.py), and reads each line with one statement
whatever the data (aggregates in the database, never one query per row): the county clerk's home
page is read on every login, and computed again after every change."""

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass
class Item:
    """One line of the workbench: ``count`` things of one kind wait on the user, the nearest
    due on ``deadline`` (None: no deadline); ``url`` opens the page where they are done.

    ``key`` names the line for reminders: a new key is a new reminder, so a provider puts in it
    what makes the line news (the newest record's id, "overdue" once it is)."""

    key: str
    title: str
    count: int
    url: str
    deadline: dt.date | None = None
    overdue: int = 0
    why: str = ""
    action: str = ""
    group: str = ""
    details: list[str] = field(default_factory=list)
    list_url: str = ""  # all of them, when the line opens only the most urgent

    @property
    def is_overdue(self) -> bool:
        return self.overdue > 0

    def sort_key(self):
        # Overdue first, then by the nearest deadline, then lines without a deadline (in the
        # order their app gave them: the sort is stable).
        return (0 if self.overdue else 1, self.deadline or dt.date.max)


def providers():
    out = []
    for config in apps.get_app_configs():
        path = getattr(config, "workbench_items", None)
        if path:
            out.append(import_string(path))
    return out


def collect(user, today: dt.date) -> list[Item]:
    """Everything waiting on ``user`` on ``today``, overdue first."""
    if not user.is_authenticated or not user.is_active:
        return []
    from .plan import lines

    return sorted((item for item in lines(user, today, providers()) if item.count > 0), key=Item.sort_key)


class Pending:
    """Rows a provider asks for and what it makes of them (``build(rows)``: an Item, a list of
    them, or None). A provider returns these beside plain Items; the workbench runs the statements
    of all of a user's lines together, compiled once per user and day (plan.py), so a provider
    never runs a query itself."""

    __slots__ = ("qs", "build")

    def __init__(self, qs, build):
        self.qs, self.build = qs, build


def rows(qs, build) -> Pending:
    """The rows of ``qs`` (a model queryset; slice it: a line reads a few rows, never a table),
    turned into lines by ``build(list_of_rows)``."""
    return Pending(qs, build)


def days_left(deadline: dt.date | None, today: dt.date) -> int | None:
    return None if deadline is None else (deadline - today).days


def line(qs, *, today: dt.date, key: str, title: str, list_url: str, deadline: str | None = None,
         object_url=None, why=None, action: str = "", group: str = "", fields: tuple[str, ...] | None = None
         ) -> Pending | None:
    """One workbench line from a queryset of things waiting: one statement whatever its size.

    The statement reads the most urgent row (nearest deadline, then oldest) and, beside it, the
    line's totals, aggregated in one pass over the same rows: the count, the newest id, the nearest
    deadline and the overdue count. ``fields`` names what ``why`` and ``object_url`` read from
    that row ("cadre__name", "deadline"...): only those columns are read, with the to-one
    relations they go through joined; the provider's own select_related is dropped, so a line
    never carries a cadre's hundred columns (the ORM's work per column, not the database, was
    most of the workbench's time). ``fields=None`` keeps the provider's query as it is. The line
    opens that row's own page (``object_url(obj)``) when there is one, else ``list_url``;
    ``why(obj)`` says why it waits. An empty queryset (``.none()``: the user may not do this)
    costs no statement. The line is made when the workbench runs its statements (a ``Pending``)."""
    from django.db.models import Case, Count, F, IntegerField, Max, Min, Subquery, Sum, Value, When
    from django.db.models.functions import JSONObject

    if qs.query.is_empty():
        return None
    if fields is not None:
        relations = {path.rsplit("__", 1)[0] for path in fields if "__" in path}
        qs = qs.select_related(None)
        if relations:  # (select_related() with no names would follow every foreign key)
            qs = qs.select_related(*sorted(relations))
        qs = qs.only(*fields)
    # The rows waiting, read by the filters alone (no column of a related row): the totals are
    # aggregates over them and the most urgent is picked among them; only that one row is then
    # read with the related rows its why and link show (joining every waiting row to its cadre,
    # unit and case before picking one cost more than all the rest).
    base = qs.select_related(None).order_by()
    totals = {"_wb_n": Count("pk"), "_wb_newest": Max("pk")}
    if deadline:
        totals["_wb_due"] = Min(deadline)
        totals["_wb_late"] = Sum(Case(When(**{f"{deadline}__lt": today}, then=Value(1)), default=Value(0),
                                      output_field=IntegerField()))
    order = [F(deadline).asc(nulls_last=True), "pk"] if deadline else ["pk"]
    first = base.order_by(*order).values("pk")[:1]
    # The totals in one pass over the rows waiting (one subquery, its aggregates gathered in a
    # JSON object), not one pass each.
    found = qs.filter(pk=Subquery(first)).order_by().annotate(_wb_totals=Subquery(
        base.annotate(_wb_all=Value(1)).values("_wb_all").annotate(_wb_totals=JSONObject(**totals))
        .values("_wb_totals")))[:1]

    def build(found) -> Item | None:
        if not found:
            return None
        first = found[0]
        totals = first._wb_totals
        count, late, due = totals["_wb_n"], (totals.get("_wb_late") or 0), totals.get("_wb_due")
        url = object_url(first) if object_url else list_url
        return Item(
            key=f"{key}:{totals['_wb_newest']}:{count}{':overdue' if late else ''}", title=title,
            count=count, url=url, deadline=dt.date.fromisoformat(due) if due else None, overdue=late,
            why=why(first) if why else "", action=action, group=group,
            list_url="" if url == list_url else list_url,
        )

    return Pending(found, build)
