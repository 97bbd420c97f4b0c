"""Keyset paging: the rows after (or before) a key, and keys carried in links."""

import base64
import datetime as dt
import json

from django.db import connections
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL


def _ordered(spec, qs, terms, request):
    order = tuple(f"-{p}" if d else p for p, d in terms)
    return spec.order(qs, order, request) if spec.order else qs.order_by(*order)


def _after(spec, qs, terms, values, limit: int, request) -> QuerySet:
    """``qs`` narrowed to the first ``limit`` rows strictly after ``values`` in the order of
    ``terms``, in a form each database walks in its index from that key on, whatever the first
    sort key's spread (a pool sorted by tier has 70,000 rows of tier 2; "tier >= 2 AND (tier > 2
    OR tier = 2 AND id > n)" made both databases read every tier-2 row before the key):
    - PostgreSQL, every key in one direction: a row comparison, ``(tier, id) > (2, n)``, which its
      b-tree starts from directly;
    - otherwise (SQLite does not seek on a row value beyond its first column; mixed directions):
      the rows after the key are the union of one range per key, most specific first:
      ``tier = 2 AND id > n``, then ``tier > 2``; each range is an index seek limited to
      ``limit`` rows, and the page is read by primary key from their union (one statement)."""
    if len(terms) == 1:
        return qs.filter(_after_q(terms, values))
    vendor = connections[qs.db].vendor
    if vendor == "postgresql" and len({d for _p, d in terms}) == 1:
        from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

        lookup = TupleLessThan if terms[0][1] else TupleGreaterThan
        return qs.filter(lookup(Tuple(*(F(p) for p, _d in terms)), list(values)))
    if vendor not in ("sqlite", "postgresql"):
        return qs.filter(_after_q(terms, values))
    parts, params = [], []
    for k in range(len(terms) - 1, -1, -1):
        equal = {path: value for (path, _d), value in zip(terms[:k], values[:k], strict=True)}
        path, desc = terms[k]
        branch = qs.filter(**equal, **{f"{path}__{'lt' if desc else 'gt'}": values[k]})
        branch = _ordered(spec, branch, terms, request).values("pk")[:limit]
        sql, branch_params = branch.query.get_compiler(using=qs.db).as_sql()
        parts.append(f"SELECT * FROM ({sql}) AS gx_after_{k}")
        params.extend(branch_params)
    return qs.filter(pk__in=RawSQL(" UNION ALL ".join(parts), params))


def _after_q(terms, values) -> Q:
    """Rows strictly after ``values`` in the order of ``terms`` (lexicographic). The range on the
    first term lets the database start its index walk there."""
    if any(v is None for v in values):
        return Q(pk__in=[])  # unreachable for keys with NULLs: handled by the caller's offset
    alternatives = Q(pk__in=[])
    equal: dict = {}
    for (path, desc), value in zip(terms, values, strict=True):
        alternatives |= Q(**equal, **{f"{path}__{'lt' if desc else 'gt'}": value})
        equal[path] = value
    first, desc = terms[0]
    return Q(**{f"{first}__{'lte' if desc else 'gte'}": values[0]}) & alternatives


def _values(row, terms) -> list:
    if isinstance(row, tuple):  # a named tuple: the paths are its fields
        return [getattr(row, path) for path, _desc in terms]
    out = []
    for path, _desc in terms:
        value = row
        for name in path.split("__"):
            value = getattr(value, name) if value is not None else None
        out.append(value)
    return out


def _encode(values) -> str:
    def one(v):
        if isinstance(v, dt.datetime):
            return {"t": v.isoformat()}
        if isinstance(v, dt.date):
            return {"d": v.isoformat()}
        return v

    raw = json.dumps([one(v) for v in values], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str | None):
    if not token:
        return None
    if token.startswith("@") and token[1:].isdigit():
        return int(token[1:])
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw)
    except (ValueError, TypeError):
        return None
    if not isinstance(values, list):
        return None
    out = []
    for v in values:
        if isinstance(v, dict):
            try:
                v = dt.datetime.fromisoformat(v["t"]) if "t" in v else dt.date.fromisoformat(v["d"])
            except (KeyError, ValueError, TypeError):
                return None
        elif v is not None and not isinstance(v, str | int | float | bool):
            return None
        out.append(v)
    return out


def _by_keys(qs: QuerySet, keys) -> QuerySet:
    """The rows whose keys ``keys`` (a subquery carrying every filter) found, read by primary
    key. Not ``qs.filter(pk__in=keys)``: that repeats the filters outside, and PostgreSQL, which
    cannot estimate a unit subtree (``path LIKE '…%'``: one unit expected, eleven found), read a
    county clerk's whole scope again to join it with the 51 keys (7,143 rows, about 20 ms, at a
    province's 1,000,000 cadres) instead of fetching 51 rows by key. With annotations (which the
    values read may name) the filters stay."""
    if qs.query.annotations:
        return qs.filter(pk__in=keys)
    by_keys = qs.model._base_manager.filter(pk__in=keys)
    by_keys.query.select_related = qs.query.select_related
    by_keys.query.deferred_loading = qs.query.deferred_loading
    return by_keys
