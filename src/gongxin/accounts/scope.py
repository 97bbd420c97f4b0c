"""Data scope: which org units' records a user may see, as a Q to apply when fetching.

全部 all; 本单位及下级 the user's units and everything below them; 本单位 the units
themselves; 仅本人 the user's own cadre record only."""

import time

from django.db.models import Q

from .roles import DataScope

NOTHING = Q(pk__in=[])
_generation = [0]  # bumped when any user's units or any unit changes (in this process)


def scope_units(user) -> list:
    """The user's units, read once per user object: a list page asks for the scope twice (the
    rows, and the unit filter's choices), each asking re-read the units. Dropped when any user's
    units or any unit change (signals below), so a test or an action changing them mid-request
    sees the change.

    Also kept in this process across requests (a clerk's every list page re-read them: a query
    and a related manager, 0.5 ms of a 6 ms page), under the list versions of users and units
    (core/lists/versions.py): a change in this process drops them at once, one in another server
    process within ``versions.FRESH`` (1 s); and at most ``SHARED_TTL`` seconds whatever happens
    (writes that bypass signals). The user's role, scope and active flag are read with the user
    on each request as before; only the list of units is kept."""
    memo = user.__dict__.get("_gx_scope_units")
    if memo is not None and memo[0] == _generation[0]:
        return memo[1]
    from gongxin.core.lists.versions import versions

    token = (_generation[0], versions(_SHARED_LABELS), user.date_joined)
    now = time.monotonic()
    kept = _shared.get(user.pk)
    if kept is not None and kept[0] == token and kept[1] > now:
        units = kept[2]
    else:
        units = list(user.org_units.all())
        if len(_shared) > 10_000:
            _shared.clear()
        _shared[user.pk] = (token, now + SHARED_TTL, units)
    user.__dict__["_gx_scope_units"] = (_generation[0], units)
    return units


SHARED_TTL = 60.0
_SHARED_LABELS = ("accounts.User", "people.OrgUnit")
_shared: dict[int, tuple] = {}  # user pk → (token, expiry, units)


def forget_scope_units(*_args, **_kwargs) -> None:
    _generation[0] += 1


def unit_q(user, unit_field: str) -> Q:
    """Q over a model whose ``unit_field`` points at an OrgUnit (e.g. "org_unit"); with
    ``unit_field="self"``, over OrgUnit itself."""
    prefix = "" if unit_field == "self" else f"{unit_field}__"
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser or user.data_scope == DataScope.ALL:
        return Q()
    units = scope_units(user)
    if user.data_scope == DataScope.SUBTREE and units:
        subtree = NOTHING
        for unit in units:
            subtree |= Q(path__startswith=unit.path)
        if unit_field == "self":
            return subtree
        # org_unit_id IN (SELECT id FROM org_unit WHERE path LIKE ...): the planner uses the
        # foreign key's index instead of joining every row to its unit.
        from gongxin.people.models import OrgUnit

        return Q(**{f"{unit_field}__in": OrgUnit.objects.filter(subtree).values("pk")})
    if user.data_scope == DataScope.UNIT and units:
        return Q(**{f"{prefix}pk__in": [u.pk for u in units]})
    return NOTHING


def cadre_q(user, prefix: str = "") -> Q:
    """Q over Cadre (or, with ``prefix="cadre__"``, over rows that point at a cadre)."""
    if user.is_authenticated and user.is_active and user.data_scope == DataScope.SELF and not user.is_superuser:
        return Q(**{f"{prefix}pk": user.cadre_id}) if user.cadre_id else NOTHING
    return unit_q(user, f"{prefix}org_unit")
