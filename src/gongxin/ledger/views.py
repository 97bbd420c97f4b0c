"""Staff pages: the ledger browser and an event with its inclusion proof. Adapters only."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import keys, labels, queries, tree
from .checkpoints import latest_checkpoint
from .forms import EventFilterForm
from .models import Checkpoint
from .permissions import require_view


@login_required
def event_list(request):
    from gongxin.core.lists import build_list

    from .lists import event_list_spec

    form = EventFilterForm(request.GET or None)
    filters = form.filters()
    events = queries.events_for_user(request.user, filters)
    size, root = tree.current_root()
    unfiltered = not any(vars(filters).values()) and not queries.visible_q(request.user)
    lst = build_list(request, event_list_spec(), events, form=form, count=size if unfiltered else None)
    if lst.response is not None:
        return lst.response
    return render(request, "ledger/event_list.html", {
        "form": form, "lst": lst, "events": lst.rows, "size": size, "root": queries.b64(root),
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
    from gongxin.core.lists import build_list

    from .lists import CheckpointFilterForm, checkpoint_list_spec

    require_view(request.user)
    form = CheckpointFilterForm(request.GET or None)
    rows = Checkpoint.objects.prefetch_related("cosignatures", "witness_refusals")
    lst = build_list(request, checkpoint_list_spec(), form.apply(rows), form=form)
    if lst.response is not None:
        return lst.response
    return render(request, "ledger/checkpoint_list.html", {
        "lst": lst, "checkpoints": lst.rows, "verifier_key": keys.verifier_key(),
        "breadcrumbs": [(_("账本"), reverse("ledger:event_list")), (_("检查点"), None)],
    })
