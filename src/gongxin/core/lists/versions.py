"""A version token per model, shared by every server process through the cache: cached list
counts and page keys name the versions of the models they were computed from, so a save or a
delete anywhere makes them unreachable at once.

A save bumps the token twice: when it happens (so a rolled-back transaction, as in tests, still
leaves the old figures behind) and when its transaction commits (so a reader that cached a count
between the save and the commit does not keep it), the latter once per transaction for all its
saves. Writes that bypass signals (``bulk_create``, ``QuerySet.update``) call :func:`bump`
themselves; cached figures also expire after
``COUNT_TTL`` seconds whatever happens."""

import functools
import time
import uuid

from django.apps import apps
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

_PREFIX = "gx:listver:"


def _key(label: str) -> str:
    return f"{_PREFIX}{label.lower()}"


# Tokens read from the shared cache are trusted in this process for FRESH seconds: a save in
# another server process reaches this one's cached counts at most that late (a save in this
# process, at once). It spares a file read per model on every list page.
FRESH = 1.0
_local: dict[str, tuple[str, float]] = {}


def bump(*labels: str) -> None:
    """Make every cached figure computed from these models ("people.Cadre") unreachable."""
    tokens = {_key(label): uuid.uuid4().hex[:12] for label in labels}
    cache.set_many(tokens, timeout=None)
    now = time.monotonic()
    for key, token in tokens.items():
        _local[key] = (token, now)


def versions(labels: tuple[str, ...]) -> str:
    """The current tokens of these models, as one string for a cache key."""
    now = time.monotonic()
    keys = [_key(label) for label in labels]
    stale = [k for k in keys if k not in _local or now - _local[k][1] > FRESH]
    if stale:
        found = cache.get_many(stale)
        for k in stale:
            if k not in found:
                cache.add(k, uuid.uuid4().hex[:12], timeout=None)
                found[k] = cache.get(k)
            _local[k] = (str(found[k]), now)
    return ".".join(_local[k][0] for k in keys)


# The models lists read, watched from startup in every process (core.apps.ready), so that a
# worker that only writes still drops the counts another worker cached. A list naming another
# model adds it (watch); the handlers are connected once, for every sender, and do nothing for
# a model no list reads.
_labels: set[str] = {"people.Cadre", "people.OrgUnit", "people.Post", "accounts.User", "reserve.ReserveCadre",
                     "cases.Case", "ledger.Event"}


def _bump_after_commit(using: str) -> None:
    labels = connections[using].__dict__.pop("_gx_listver_pending", set())
    if labels:
        bump(*labels)


def _pending(conn) -> bool:
    """Whether this transaction's after-commit bump is registered (a rollback drops it)."""
    return any(getattr(entry[1], "_gx_listver", False) for entry in conn.run_on_commit)


def _later(label: str, using: str) -> None:
    """Bump ``label`` again when the transaction commits: one callback per transaction (as the
    workbench's cache does), however many saves it holds, carrying the set of models it touched."""
    conn = connections[using]
    if not conn.in_atomic_block:
        return  # autocommit: the save has committed already, and bumped
    if not _pending(conn):
        conn.__dict__["_gx_listver_pending"] = set()  # what a rolled-back callback carried goes with it
        callback = functools.partial(_bump_after_commit, using)
        callback._gx_listver = True
        transaction.on_commit(callback, using=using, robust=True)
    conn.__dict__["_gx_listver_pending"].add(label)


def _on_change(sender, **kwargs):
    label = sender._meta.label
    if label in _labels:
        bump(label)
        _later(label, kwargs.get("using") or DEFAULT_DB_ALIAS)


def _on_m2m(sender, instance, model, action, **kwargs):
    if action.startswith("post_"):
        for label in {type(instance)._meta.label, model._meta.label} & _labels:
            bump(label)
            _later(label, kwargs.get("using") or DEFAULT_DB_ALIAS)


def connect() -> None:
    post_save.connect(_on_change, dispatch_uid="gx-list-save", weak=False)
    post_delete.connect(_on_change, dispatch_uid="gx-list-delete", weak=False)
    m2m_changed.connect(_on_m2m, dispatch_uid="gx-list-m2m", weak=False)


def watch(*labels: str) -> None:
    """Lists call this with the models they read: a model no list named before is watched."""
    for label in labels:
        if label not in _labels:
            _labels.add(apps.get_model(label)._meta.label)
