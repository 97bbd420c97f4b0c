"""The workbench (every role's home page), its reminders, and the statistics dashboard."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongxin.accounts.scope import unit_q
from gongxin.core.errors import Forbidden
from gongxin.people.models import OrgUnit

from . import cache, notify, svg
from . import figures as fig
from .items import days_left
from .models import Notification


@login_required
def workbench(request):
    """What waits on this user now, overdue first; each line opens the page where it is done."""
    today = timezone.localdate()
    items, fresh = cache.items_for(request.user, today)
    if fresh:  # lines read from the cache were synced when they were computed
        notify.sync(request.user, items)
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    rows = [{"item": item, "days": days_left(item.deadline, today)} for item in items]
    return render(request, "workbench/home.html", {
        "rows": rows, "today": today, "unread": unread, "breadcrumbs": [],
        "overdue": sum(1 for item in items if item.overdue),
    })


@login_required
def notifications(request):
    qs = Notification.objects.filter(user=request.user)
    show = request.GET.get("show", "unread")
    if show != "all":
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "workbench/notifications.html", {
        "page": page, "show": show, "breadcrumbs": [(_("提醒"), None)],
    })


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one reminder read and go to its page (``open``), or stay on the list."""
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=timezone.now())
    if request.POST.get("open") and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("workbench:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("workbench:notifications")


# ---- the dashboard ----------------------------------------------------------------------------

def _require_dashboard(user):
    if not user.has_capability("cases.view"):
        raise Forbidden("permission.denied", _("您的角色无权查看统计分析。"))


def _scope(request) -> fig.Scope:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if not 1990 <= year <= today.year + 1:
        year = today.year
    unit = None
    raw = request.GET.get("unit")
    if raw:
        try:
            unit = OrgUnit.objects.filter(unit_q(request.user, "self")).get(pk=int(raw))
        except (OrgUnit.DoesNotExist, ValueError):
            raise Http404(_("没有找到该单位，或不在您的数据范围内。")) from None
    return fig.Scope(user=request.user, year=year, unit=unit)


def _unit_choices(user):
    # The top of the tree only (a select never lists hundreds of units): the county and the
    # units right under it; any unit can still be chosen with ?unit= from its own page.
    return list(OrgUnit.objects.filter(unit_q(user, "self"), depth__lte=1).order_by("path")[:100])


@login_required
def dashboard(request):
    _require_dashboard(request.user)
    scope = _scope(request)
    figures = fig.compute(scope)
    charts = [{"figure": f, "svg": svg.bar_chart(f),
               "rows": [{"bar": b, "url": f.link(b.part)} for b in f.bars]} for f in figures]
    this_year = timezone.localdate().year
    return render(request, "workbench/dashboard.html", {
        "charts": charts, "scope": scope, "years": list(range(this_year, this_year - 6, -1)),
        "units": _unit_choices(request.user), "breadcrumbs": [(_("统计分析"), None)],
    })


@login_required
def figure_records(request, key):
    """The records behind one number of the dashboard: a filtered list."""
    _require_dashboard(request.user)
    spec = fig.spec(key)
    if spec is None:
        raise Http404(_("没有这项统计。"))
    scope = _scope(request)
    part = request.GET.get("part", "")
    bars = spec.compute(scope)
    bar = next((b for b in bars if b.part == part), None)
    records = spec.records(scope, part)
    page = Paginator(records.queryset, 100).get_page(request.GET.get("page"))
    rows = [records.row(obj) for obj in page]
    back = fig.reverse("workbench:dashboard") + "?" + scope.query()
    return render(request, "workbench/records.html", {
        "spec": spec, "bar": bar, "bars": bars, "columns": records.columns, "rows": rows, "page": page, "scope": scope,
        "part": part, "back": back, "query": scope.query(part=part),
        "breadcrumbs": [(_("统计分析"), back), (spec.title, None)],
    })
