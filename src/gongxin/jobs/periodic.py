"""What the worker does every minute: reap jobs whose worker died, then call each dotted
path in ``settings.GONGXIN_PERIODIC`` (a path that cannot be imported is skipped with a log
line; one that raises is logged and does not stop the others)."""

import logging

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.module_loading import import_string

from .actions import reap_stale_jobs

logger = logging.getLogger("gongxin.jobs")

INTERVAL = 60  # seconds


def run_periodic() -> list[str]:
    """One round. Returns the paths that ran without error (for tests and the log)."""
    _close_old_connections()
    ran = []
    try:
        reap_stale_jobs()
        ran.append("gongxin.jobs.actions.reap_stale_jobs")
    except Exception:  # noqa: BLE001
        logger.exception("reaping stale jobs failed")
    for path in getattr(settings, "GONGXIN_PERIODIC", []):
        try:
            fn = import_string(path)
        except ImportError as exc:
            logger.warning("periodic %s skipped: cannot import it (%s)", path, exc)
            continue
        try:
            fn()
        except Exception:  # noqa: BLE001
            logger.exception("periodic %s failed", path)
        else:
            ran.append(path)
    _close_old_connections()
    return ran


def _close_old_connections() -> None:
    """As a request does, so a worker that runs for weeks drops broken connections (never
    inside a transaction: that would end it)."""
    if not connection.in_atomic_block:
        close_old_connections()
