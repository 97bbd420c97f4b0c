"""A version token per model, shared by every server process through the cache: cached list
counts and page keys name the versions of the models they were computed from, so a save or a
delete anywhere makes them unreachable at once.

A save bumps the token twice: when it happens (so a rolled-back transaction, as in tests, still
leaves the old figures behind) and when its transaction commits (so a reader that cached a count
between the save and the commit does not keep it). Writes that bypass signals (``bulk_create``,
``QuerySet.update``) call :func:`bump` themselves; cached figures also expire after
``COUNT_TTL`` seconds whatever happens."""

import uuid

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

_PREFIX = "gx:listver:"
_watched: set[str] = set()


def _key(label: str) -> str:
    return f"{_PREFIX}{label.lower()}"


def bump(*labels: str) -> None:
    """Make every cached figure computed from these models ("people.Cadre") unreachable."""
    cache.set_many({_key(label): uuid.uuid4().hex[:12] for label in labels}, timeout=None)


def versions(labels: tuple[str, ...]) -> str:
    """The current tokens of these models, as one string for a cache key."""
    keys = [_key(label) for label in labels]
    found = cache.get_many(keys)
    missing = {k: uuid.uuid4().hex[:12] for k in keys if k not in found}
    if missing:
        for k, v in missing.items():
            cache.add(k, v, timeout=None)
        found = cache.get_many(keys)
    return ".".join(str(found.get(k, "")) for k in keys)


def _on_change(sender, **kwargs):
    label = sender._meta.label
    bump(label)
    transaction.on_commit(lambda: bump(label), robust=True)


def watch(*labels: str) -> None:
    """Bump the version of these models on every save and delete (once per model)."""
    for label in labels:
        if label.lower() in _watched:
            continue
        model = apps.get_model(label)
        post_save.connect(_on_change, sender=model, dispatch_uid=f"gx-list-{label}", weak=False)
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"gx-list-del-{label}", weak=False)
        _watched.add(label.lower())
