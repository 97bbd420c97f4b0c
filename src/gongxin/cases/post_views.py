"""The post's "who is eligible" search: the cadres in the user's scope who meet every rule in
force for one post, a page at a time (keyset on the cadre id, screened in batches by
``screening.eligible_page``); the engine's reasons for one cadre on demand."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.accounts.scope import cadre_q, unit_q
from gongxin.people.models import Cadre, CadreStatus, Post, PostHolding

from . import permissions
from .checks import translated_reason
from .facts import evaluate_cadre
from .rules import rule_set_in_force
from .screening import could_step_to, eligible_page

PAGE_SIZE = 20


def _int(value) -> int:
    return int(value) if value and str(value).isdigit() else 0


def post_eligible(request, post_id: int):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not permissions.can_manage_cases(request.user):
        raise PermissionDenied(_("您没有此项操作的权限。"))
    post = Post.objects.filter(unit_q(request.user, "org_unit")).select_related("rank", "org_unit").filter(
        pk=post_id).first()
    if post is None:
        raise Http404(_("没有这个职位。"))
    on = timezone.localdate()
    rule_set = rule_set_in_force(on=on)
    holders = PostHolding.objects.filter(post=post, end__isnull=True).values("cadre_id")
    cadres = (Cadre.objects.filter(cadre_q(request.user), status=CadreStatus.ACTIVE).filter(could_step_to(post))
              .exclude(pk__in=holders))
    after = _int(request.GET.get("after"))
    page, next_after = eligible_page(cadres, post, rule_set=rule_set, on=on, after=after, size=PAGE_SIZE)
    shown = Cadre.objects.select_related("org_unit", "rank").in_bulk([d.cadre_id for d in page])
    rows = [shown[d.cadre_id] for d in page if d.cadre_id in shown]
    explain_id = _int(request.GET.get("explain"))
    explained = None
    if explain_id:
        cadre = cadres.select_related("rank").filter(pk=explain_id).first()
        if cadre is not None:
            results = evaluate_cadre(cadre, post, rule_set=rule_set, on=on)
            explained = {"cadre": cadre, "checks": [{**r.as_dict(), "text": translated_reason(r)} for r in results]}
    return render(request, "cases/post_eligible.html", {
        "post": post, "rows": rows, "after": after, "next_after": next_after, "explained": explained,
        "rule_set": rule_set, "on": on,
        "breadcrumbs": [(_("职位"), reverse("people:post_list")), (str(post), None)]})
