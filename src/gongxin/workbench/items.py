"""The to-do items of the workbench. Each app's AppConfig may name ``workbench_items``: a
callable ``items(user, today)`` returning ``Item``s for what waits on this user in that app.

A provider must run a fixed number of queries whatever the data (aggregate in the database,
never one query per row): the county clerk's home page is read on every login."""

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
    out: list[Item] = []
    for provider in providers():
        out.extend(item for item in provider(user, today) if item.count > 0)
    return sorted(out, key=Item.sort_key)


def days_left(deadline: dt.date | None, today: dt.date) -> int | None:
    return None if deadline is None else (deadline - today).days


def line(qs, *, today: dt.date, key: str, title: str, list_url: str, deadline: str | None = None,
         object_url=None, why=None, action: str = "", group: str = "") -> Item | None:
    """One workbench line from a queryset of things waiting: two queries whatever its size.

    The count, the newest id, the nearest deadline and the overdue count are one aggregate over
    the bare rows (no joins the filter does not need: the provider's select_related is dropped,
    so a line never walks 200,000 cadres to count 200 requests). The most urgent row is then
    read with the provider's joins by its id, found by a subquery on the same bare rows, so the
    joins touch one row. The line opens that row's own page (``object_url(obj)``) when there is
    one, else ``list_url``; ``why(obj)`` says why it waits."""
    from django.db.models import Count, F, Max, Min, Q, Subquery

    bare = qs.select_related(None).order_by()
    totals = {"n": Count("pk"), "newest": Max("pk")}
    if deadline:
        totals["due"] = Min(deadline)
        totals["late"] = Count("pk", filter=Q(**{f"{deadline}__lt": today}))
    agg = bare.aggregate(**totals)
    if not agg["n"]:
        return None
    order = [F(deadline).asc(nulls_last=True), "pk"] if deadline else ["pk"]
    first = qs.order_by().filter(pk=Subquery(bare.order_by(*order).values("pk")[:1])).first()
    if first is None:  # gone between the two reads
        return None
    late = agg.get("late") or 0
    url = object_url(first) if object_url else list_url
    return Item(
        key=f"{key}:{agg['newest']}:{agg['n']}{':overdue' if late else ''}", title=title,
        count=agg["n"], url=url, deadline=agg.get("due"), overdue=late,
        why=why(first) if why else "", action=action, group=group,
        list_url="" if url == list_url else list_url,
    )
