"""Staff pages of recommendation meetings (meetings.manage). Adapters: parse, call an action
or a query, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongxin.accounts.scope import cadre_q, unit_q
from gongxin.core.errors import DomainError
from gongxin.core.forms_util import apply_domain_error
from gongxin.people.models import Cadre, OrgUnit, Post

from . import actions, codes, present, queries
from .forms import (
    CloseForm,
    CodesForm,
    ImportForm,
    MeetingForm,
    OpenForm,
    PaperForm,
    PostForm,
    RevealForm,
    RulesForm,
    SpoilForm,
)
from .models import Elector, MeetingCandidate, MeetingMode, MeetingPost, MeetingStatus
from .permissions import get_meeting_for_user, meetings_for_user, require_manage
from .tokens import parse_paper_tokens


def _crumbs(meeting=None, *more):
    items = [(_("推荐会议"), reverse("meetings:list"))]
    if meeting is not None:
        items.append((meeting.title, reverse("meetings:detail", args=[meeting.pk])))
    return [*items, *more]


def _unit_scope_q(user):
    """The org units in the user's data scope (``unit_q`` is for models that point at a unit)."""
    from django.db.models import Q

    from gongxin.accounts.roles import DataScope

    if user.is_superuser or user.data_scope == DataScope.ALL:
        return Q()
    units = list(user.org_units.all())
    if user.data_scope == DataScope.SUBTREE and units:
        q = Q(pk__in=[])
        for u in units:
            q |= Q(path__startswith=u.path)
        return q
    return Q(pk__in=[u.pk for u in units])


def _cases(user):
    try:
        from gongxin.cases.models import Case
    except ImportError:
        return None
    return Case.objects.filter(unit_q(user, "org_unit")).order_by("-id")


def _error(request, exc: DomainError):
    messages.error(request, exc.message)
    for item in (exc.details or {}).get("blockers", []) + (exc.details or {}).get("errors", []):
        messages.error(request, item)


def _back(meeting, anchor=""):
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + anchor)


def _rules_rows(rules: dict) -> list[tuple[str, str]]:
    rows = []
    for name, field in RulesForm.base_fields.items():
        value = rules.get(name, "")
        if isinstance(value, bool):
            value = _("是") if value else _("否")
        rows.append((field.label, value))
    return rows


@login_required
def meeting_list(request):
    from gongxin.core.lists import build_list

    from .lists import MeetingFilterForm, filter_meetings, meeting_list_spec

    filters = MeetingFilterForm(request.GET or None)
    meetings = filter_meetings(meetings_for_user(request.user).select_related("org_unit"), filters)
    lst = build_list(request, meeting_list_spec(), meetings, form=filters)
    if lst.response is not None:
        return lst.response
    return render(request, "meetings/meeting_list.html", {"lst": lst, "breadcrumbs": _crumbs()})


@login_required
def meeting_create(request):
    require_manage(request.user)
    units = OrgUnit.objects.filter(_unit_scope_q(request.user)).exclude(kind="village")
    form = MeetingForm(request.POST or None, units=units, cases=_cases(request.user),
                       initial={"meeting_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = actions.create_meeting(acting_user=request.user, title=d["title"], org_unit=d["org_unit"],
                                             scope_unit=d["scope_unit"], mode=d["mode"], meeting_date=d["meeting_date"],
                                             location=d["location"], case=d.get("case"))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("已创建推荐会议，请添加推荐职位和应到人员。"))
            return _back(meeting)
    return render(request, "meetings/meeting_form.html",
                  {"form": form, "breadcrumbs": _crumbs(None, (_("新建会议"), None))})


@login_required
def meeting_detail(request, meeting_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    posts = actions.posts_of(meeting)
    candidates = {}
    for c in MeetingCandidate.objects.filter(meeting_post__meeting=meeting).select_related("cadre", "cadre__org_unit"):
        candidates.setdefault(c.meeting_post_id, []).append(c)
    for p in posts:
        p.list_candidates = candidates.get(p.pk, [])
    counts = queries.meeting_counts(meeting)
    result = getattr(meeting, "result", None) if meeting.status in (MeetingStatus.CLOSED, MeetingStatus.PUBLISHED) else None
    ctx = {
        "meeting": meeting, "posts": posts, "counts": counts, "result": result,
        "rows": (present.rating_rows(meeting, result.tally, posts) if meeting.is_rating else
                 present.result_rows(result.tally)) if result else [],
        "rules_form": RulesForm(initial=meeting.rules),
        "rules_rows": _rules_rows(meeting.rules),
        "post_form": PostForm(posts=Post.objects.filter(org_unit__in=OrgUnit.objects.filter(
            _unit_scope_q(request.user))).select_related("org_unit")),
        "codes_form": CodesForm(initial={"count": max(counts["expected"] - counts["codes"], 1)}),
        "open_form": OpenForm(), "reveal_form": RevealForm(), "spoil_form": SpoilForm(),
        "close_form": CloseForm(initial={"slips_issued": counts["present"], "paper_spoiled": 0},
                                shares=meeting.seal_k or 0),
        "blockers": actions.open_blockers_for(meeting) if meeting.is_draft else [],
        "paper": actions.paper_comparison(meeting) if meeting.is_open else None,
        "candidate_q": request.GET.get("cq", ""), "candidate_post": request.GET.get("cp", ""),
        "breadcrumbs": _crumbs(meeting),
    }
    if meeting.is_draft and meeting.mode == MeetingMode.LIST and ctx["candidate_q"]:
        ctx["candidate_results"] = queries.search_cadres_for_user(request.user, ctx["candidate_q"])
    if meeting.status == MeetingStatus.OPEN and meeting.seed_hash:
        ctx["accounting"] = actions.accounting_for(meeting, slips_issued=None,
                                                   paper_ballots=ctx["paper"]["paired"]).as_dict()
    return render(request, "meetings/meeting_detail.html", ctx)


@login_required
@require_POST
def meeting_rules(request, meeting_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    form = RulesForm(request.POST)
    if form.is_valid():
        try:
            actions.update_meeting(acting_user=request.user, meeting=meeting, rules=form.cleaned_data)
            messages.success(request, _("规则已保存。"))
        except DomainError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("规则填写有误，请检查。"))
    return _back(meeting, "#rules")


@login_required
@require_POST
def post_add(request, meeting_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    form = PostForm(request.POST, posts=Post.objects.filter(org_unit__in=OrgUnit.objects.filter(
        _unit_scope_q(request.user))))
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.add_post(acting_user=request.user, meeting=meeting, title=d["title"], post=d["post"], k=d["k"],
                             options=form.option_list() if meeting.is_rating else None)
        except DomainError as exc:
            _error(request, exc)
    else:
        for err in form.errors.values():
            messages.error(request, err[0])
    return _back(meeting, "#posts")


@login_required
@require_POST
def post_remove(request, meeting_id: int, post_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    mp = MeetingPost.objects.filter(meeting=meeting, pk=post_id).first()
    if mp is not None:
        try:
            actions.remove_post(acting_user=request.user, meeting_post=mp)
        except DomainError as exc:
            _error(request, exc)
    return _back(meeting, "#posts")


@login_required
@require_POST
def candidate_add(request, meeting_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    mp = MeetingPost.objects.filter(meeting=meeting, pk=request.POST.get("post")).first()
    cadre = Cadre.objects.filter(cadre_q(request.user), pk=request.POST.get("cadre")).first()
    if mp is None or cadre is None:
        messages.error(request, _("请选择职位和干部。"))
    else:
        try:
            actions.add_list_candidate(acting_user=request.user, meeting_post=mp, cadre=cadre)
            messages.success(request, _("已将 %(name)s 加入“%(post)s”候选人名单。") % {"name": cadre.name, "post": mp.title})
        except DomainError as exc:
            _error(request, exc)
    return _back(meeting, "#posts")


@login_required
@require_POST
def candidate_remove(request, meeting_id: int, candidate_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    cand = MeetingCandidate.objects.filter(meeting_post__meeting=meeting, pk=candidate_id).first()
    if cand is not None:
        try:
            actions.remove_list_candidate(acting_user=request.user, candidate=cand)
        except DomainError as exc:
            _error(request, exc)
    return _back(meeting, "#posts")


@login_required
def electorate(request, meeting_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    q = request.GET.get("q", "")
    if request.method == "POST":
        try:
            if "file" in request.FILES:
                form = ImportForm(request.POST, request.FILES)
                if form.is_valid():
                    n = actions.import_electors(acting_user=request.user, meeting=meeting, file=form.cleaned_data["file"],
                                                cadres_qs=Cadre.objects.filter(cadre_q(request.user)))
                    messages.success(request, _("已导入 %(n)d 名应到人员。") % {"n": n})
            elif request.POST.get("remove"):
                elector = Elector.objects.filter(meeting=meeting, pk=request.POST["remove"]).first()
                if elector:
                    actions.remove_elector(acting_user=request.user, elector=elector)
            else:
                cadres = list(Cadre.objects.filter(cadre_q(request.user), pk__in=request.POST.getlist("cadre")))
                n = actions.add_electors(acting_user=request.user, meeting=meeting, cadres=cadres)
                messages.success(request, _("已添加 %(n)d 名应到人员。") % {"n": n})
        except DomainError as exc:
            _error(request, exc)
        return redirect(reverse("meetings:electorate", args=[meeting.pk]) + (f"?q={q}" if q else ""))
    electors = meeting.electors.select_related("cadre", "cadre__org_unit")
    present = set(meeting.electors.filter(check_in__isnull=False).values_list("pk", flat=True))
    return render(request, "meetings/electorate.html", {
        "meeting": meeting, "electors": electors, "present": present, "q": q,
        "results": queries.search_cadres_for_user(request.user, q) if q else [],
        "import_form": ImportForm(),
        "breadcrumbs": _crumbs(meeting, (_("应到人员"), None)),
    })


@login_required
def check_in_page(request, meeting_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    if request.method == "POST":
        try:
            if request.POST.get("undo"):
                elector = Elector.objects.filter(meeting=meeting, pk=request.POST["undo"]).first()
                if elector:
                    actions.undo_check_in(acting_user=request.user, elector=elector)
            else:
                electors = list(Elector.objects.filter(meeting=meeting, pk__in=request.POST.getlist("elector")))
                n = actions.check_in(acting_user=request.user, meeting=meeting, electors=electors)
                messages.success(request, _("已签到 %(n)d 人。") % {"n": n})
        except DomainError as exc:
            _error(request, exc)
        return redirect("meetings:check_in", meeting.pk)
    electors = meeting.electors.select_related("cadre", "cadre__org_unit")
    present = set(meeting.electors.filter(check_in__isnull=False).values_list("pk", flat=True))
    return render(request, "meetings/check_in.html", {
        "meeting": meeting, "electors": electors, "present": present, "counts": queries.meeting_counts(meeting),
        "breadcrumbs": _crumbs(meeting, (_("签到"), None)),
    })


@never_cache
@login_required
@require_POST
def meeting_open(request, meeting_id: int):
    """Opens voting and answers with the printable sheet of the seed and the key shares,
    shown this once: they go into no session, no log and no table."""
    meeting = get_meeting_for_user(request.user, meeting_id)
    form = OpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("密钥份额数应在 1 至 9 之间。"))
        return _back(meeting)
    d = form.cleaned_data
    try:
        opened = actions.open_meeting(acting_user=request.user, meeting=meeting, seed=d.get("seed", ""),
                                      shares_needed=d.get("shares_needed") or 2, shares_total=d.get("shares_total") or 3)
    except DomainError as exc:
        _error(request, exc)
        return _back(meeting)
    return render(request, "meetings/key_sheet.html", {
        "meeting": opened.meeting, "seed": opened.seed,
        "shares": [{"text": text, "no": text.split("-", 1)[0], "qr": _qr_svg(text)} for text in opened.key_shares],
        "breadcrumbs": _crumbs(meeting, (_("密钥份额单"), None)),
    })


def _qr_svg(text: str) -> str:
    import segno
    from django.utils.safestring import mark_safe

    return mark_safe(segno.make(text, error="m").svg_inline(scale=3, omitsize=False))


@login_required
@require_POST
def codes_generate(request, meeting_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    form = CodesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("生成数量应在 1 至 5000 之间。"))
        return _back(meeting)
    try:
        new = actions.generate_codes(acting_user=request.user, meeting=meeting, count=form.cleaned_data["count"])
    except DomainError as exc:
        _error(request, exc)
        return _back(meeting)
    return _slips_page(request, meeting, new)


@login_required
def slips(request, meeting_id: int):
    """The slips are shown once, in the answer to generating them (only the codes' hashes are
    stored, and the codes go into no session): here only the notice that they were shown."""
    return _slips_page(request, get_meeting_for_user(request.user, meeting_id), [])


def _slips_page(request, meeting, new: list[str]):
    vote_url = request.build_absolute_uri(reverse("meetings_public:vote"))
    response = render(request, "meetings/slips.html", {
        "meeting": meeting, "slips": [codes.display(c) for c in new], "vote_url": vote_url,
        "breadcrumbs": _crumbs(meeting, (_("投票码"), None)),
    })
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def code_spoil(request, meeting_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    form = SpoilForm(request.POST)
    if form.is_valid():
        try:
            actions.spoil_code(acting_user=request.user, meeting=meeting, code=form.cleaned_data["code"])
            messages.success(request, _("该投票码已作废。"))
        except DomainError as exc:
            _error(request, exc)
    return _back(meeting, "#codes")


@login_required
def paper(request, meeting_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    posts = actions.posts_of(meeting)
    form = PaperForm(request.POST or None, initial={"teller": request.GET.get("teller", 1)})
    texts = {p.key: request.POST.get(f"post-{p.key}", "") for p in posts}
    if request.method == "POST" and form.is_valid():
        try:
            selections = [parse_paper_tokens(meeting, p, texts[p.key]) for p in posts]
            actions.enter_paper_ballot(acting_user=request.user, meeting=meeting, teller=form.cleaned_data["teller"],
                                       pile_no=form.cleaned_data["pile_no"], selections=selections)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("第 %(n)d 张已录入。") % {"n": form.cleaned_data["pile_no"]})
            return redirect(reverse("meetings:paper", args=[meeting.pk]) + f"?teller={form.cleaned_data['teller']}")
    comparison = actions.paper_comparison(meeting) if meeting.is_open else None
    if comparison:
        names = ({o["key"]: o["label"] for p in posts for o in p.options} if meeting.is_rating else
                 _names_in([m[t] for m in comparison["mismatches"] for t in ("teller1", "teller2") if m[t]]))
        for m in comparison["mismatches"]:
            for t in ("teller1", "teller2"):
                m[t] = _readable(m[t], names) if m[t] is not None else None
    for p in posts:
        p.typed = texts[p.key]
        p.list_candidates = list(p.candidates.select_related("cadre")) if meeting.mode == MeetingMode.LIST else []
    return render(request, "meetings/paper.html", {
        "meeting": meeting, "form": form, "posts": posts, "comparison": comparison,
        "breadcrumbs": _crumbs(meeting, (_("纸质选票录入"), None)),
    })


def _names_in(contents: list[str]) -> dict[str, str]:
    ids = {int(x) for c in contents for part in c.split("|") for x in part.split(",") if x.isdigit()}
    return {str(pk): name for pk, name in Cadre.objects.filter(pk__in=ids).values_list("pk", "name")}


def _readable(contents: str, names: dict[str, str]) -> str:
    """ "12,5|" → "张三、李四 ｜ （空白）" for the tellers' comparison."""
    parts = []
    for part in contents.split("|"):
        marks = [names.get(x, x) for x in part.split(",") if x]
        parts.append("、".join(marks) if marks else _("（空白）"))
    return " ｜ ".join(parts)


@login_required
@require_POST
def meeting_close(request, meeting_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    form = CloseForm(request.POST, shares=meeting.seal_k or 0)
    if not form.is_valid():
        messages.error(request, _("请填写发出选票数和作废选票数。"))
        return _back(meeting)
    try:
        actions.close_meeting(acting_user=request.user, meeting=meeting, **form.action_kwargs())
        messages.success(request, _("投票已结束，计票结果和选票清单的哈希值已记入账本。请公开随机种子以确定提名人选。"))
    except DomainError as exc:
        _error(request, exc)
    return _back(meeting)


@login_required
@require_POST
def meeting_reveal(request, meeting_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            actions.reveal_seed(acting_user=request.user, meeting=meeting, seed=form.cleaned_data["seed"])
            messages.success(request, _("随机种子核验一致，已按规则确定提名人选。"))
        except DomainError as exc:
            _error(request, exc)
    return _back(meeting)


@login_required
@require_POST
def meeting_publish(request, meeting_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    try:
        actions.publish_results(acting_user=request.user, meeting=meeting)
        messages.success(request, _("结果已公布：结果公告、回执码清单和选票清单可在公开页面查看和下载。"))
    except DomainError as exc:
        _error(request, exc)
    return _back(meeting)
