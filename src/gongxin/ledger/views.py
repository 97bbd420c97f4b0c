"""Staff pages: the ledger browser and an event with its inclusion proof. Adapters only."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import keys, labels, queries, tree
from .checkpoints import latest_checkpoint
from .forms import EventFilterForm
from .models import Checkpoint
from .permissions import require_view

PAGE_SIZE = 50


@login_required
def event_list(request):
    form = EventFilterForm(request.GET or None)
    page = Paginator(queries.events_for_user(request.user, form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    size, root = tree.current_root()
    label_events(page.object_list)
    return render(request, "ledger/event_list.html", {
        "form": form, "page_obj": page, "events": page.object_list, "size": size, "root": queries.b64(root),
        "checkpoint": latest_checkpoint(), "breadcrumbs": [(_("账本"), None)],
    })


@login_required
def event_detail(request, seq: int):
    event = queries.get_event_for_user(request.user, seq)
    result = queries.inclusion(event)
    label_events([event])
    return render(request, "ledger/event_detail.html", {
        "event": event, "data": queries.pretty_data(event), "result": result,
        "leaf_hex": bytes(event.leaf_hash).hex(), "path": [p.hex() for p in result.path],
        "breadcrumbs": [(_("账本"), reverse("ledger:event_list")), (f"#{event.seq}", None)],
    })


def label_events(events) -> None:
    """Give each event its kind, subject and actor in words (one query per subject type)."""
    events = list(events)
    subjects = labels.describe_subjects((e.subject_type, e.subject_id) for e in events)
    people = labels.people_by_username(e.actor_name for e in events)
    for e in events:
        e.kind_label = labels.kind_label(e.kind)
        e.subject = subjects[(e.subject_type, str(e.subject_id))]
        e.actor_label = people.get(e.actor_name, "") if e.actor_name else ""


@login_required
def checkpoint_list(request):
    require_view(request.user)
    page = Paginator(Checkpoint.objects.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    for cp in page.object_list:
        cp.reason_label = labels.checkpoint_reason(cp.reason)
    return render(request, "ledger/checkpoint_list.html", {
        "page_obj": page, "checkpoints": page.object_list, "verifier_key": keys.verifier_key(),
        "breadcrumbs": [(_("账本"), reverse("ledger:event_list")), (_("检查点"), None)],
    })
