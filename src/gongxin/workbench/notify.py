"""Reminders fed by the workbench's own lines: each line a user has not yet been told about
becomes a notification (in-app), and an e-mail when mail is configured
(settings.GONGXIN_REMINDER_EMAIL and Django's EMAIL_* settings) and the user has an address.

``sync`` runs whenever a user opens the workbench (two queries); ``sweep_if_due`` is called by
the worker once a minute (settings.GONGXIN_PERIODIC) and tells every active user at most every
settings.GONGXIN_REMINDER_EVERY_MINUTES, so people who do not log in hear about deadlines too."""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .items import Item, collect
from .models import Notification, ReminderSweep

log = logging.getLogger(__name__)
SYNCED_TTL = 300  # seconds: as long as the lines themselves are kept (cache.TTL)


def title_of(item: Item) -> str:
    text = f"{item.title}（{item.count}）"
    if item.overdue:
        text += _("，已逾期 %(n)s 件") % {"n": item.overdue}
    elif item.deadline:
        text += _("，%(date)s 前办理") % {"date": item.deadline.isoformat()}
    return text[:300]


def _synced_key(user) -> str:
    return f"workbench:synced:{user.pk}"


def sync(user, items: list[Item]) -> list[Notification]:
    """Create a notification for each line whose key the user has not had; return the new ones.

    The keys last synced for the user are kept in the cache (``SYNCED_TTL``): lines computed again
    after a change elsewhere mostly have the same keys (a line's key moves only when its own
    records do), and then they all have their notification already: no query. A notification
    deleted meanwhile comes back when that memo expires."""
    if not items:
        return []
    keys = [item.key[:200] for item in items]
    synced = cache.get(_synced_key(user))
    if synced is not None and synced.issuperset(keys):
        return []
    known = set(Notification.objects.filter(user=user, key__in=keys).values_list("key", flat=True))
    new = [Notification(user=user, key=item.key[:200], title=title_of(item), url=item.url[:500],
                        deadline=item.deadline, overdue=item.is_overdue)
           for item in items if item.key[:200] not in known]
    if new:
        # Two tabs opening the workbench at once: the unique (user, key) keeps one of each.
        Notification.objects.bulk_create(new, ignore_conflicts=True)
    # After the commit when in a transaction (a rollback takes the new rows back: no memo then).
    transaction.on_commit(lambda: cache.set(_synced_key(user), frozenset(keys), SYNCED_TTL))
    return new


def mail_enabled() -> bool:
    return bool(getattr(settings, "GONGXIN_REMINDER_EMAIL", False))


def email(user, new: list[Notification]) -> bool:
    """One message listing the new reminders; True when sent."""
    if not new or not mail_enabled() or not user.email:
        return False
    base = getattr(settings, "GONGXIN_SITE_URL", "").rstrip("/")
    lines = [f"- {n.title}\n  {base}{n.url}" for n in new]
    body = _("%(name)s，您好：\n\n以下事项等待您办理：\n\n%(lines)s\n\n——公信 · 干部选拔任用") % {
        "name": user.display_name, "lines": "\n".join(lines)}
    try:
        send_mail(_("【公信】%(n)s 项待办提醒") % {"n": len(new)}, body, None, [user.email])
    except Exception:  # a mail server down must not stop the sweep for everyone else
        log.exception("reminder mail to user %s failed", user.pk)
        return False
    Notification.objects.filter(pk__in=[n.pk for n in new if n.pk]).update(emailed_at=timezone.now())
    return True


def remind(user, today: dt.date | None = None) -> list[Notification]:
    """Tell one user about what is new on their workbench (in-app, and by mail)."""
    today = today or timezone.localdate()
    new = sync(user, collect(user, today))
    if new:
        # bulk_create with ignore_conflicts returns rows without ids on some databases: read back.
        new = list(Notification.objects.filter(user=user, key__in=[n.key for n in new], emailed_at__isnull=True))
        email(user, new)
    return new


def sweep(today: dt.date | None = None) -> int:
    """Remind every active user; returns the number of new notifications."""
    total = 0
    for user in get_user_model().objects.filter(is_active=True).order_by("pk"):
        total += len(remind(user, today))
    return total


def sweep_if_due(now: dt.datetime | None = None) -> int | None:
    """The worker's periodic call: sweep when the last sweep is old enough (one process wins)."""
    now = now or timezone.now()
    every = dt.timedelta(minutes=getattr(settings, "GONGXIN_REMINDER_EVERY_MINUTES", 60))
    with transaction.atomic():
        row = ReminderSweep.objects.select_for_update().filter(pk=1).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = ReminderSweep.objects.create(pk=1, ran_at=now - every)
            except IntegrityError:
                return None
        if now - row.ran_at < every:
            return None
        row.ran_at = now
        row.save(update_fields=["ran_at"])
    return sweep(timezone.localdate(now))
