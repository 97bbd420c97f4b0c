"""The public portal: no login, no JavaScript needed, printable. Reads are cached briefly;
posts are rate-limited per address."""

from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from gongxin.core import ratelimit
from gongxin.core.errors import DomainError

from . import actions, case_page, integration, queries
from .forms import FeedbackForm, TrackForm
from .models import Feedback, Notice, NoticePhase, NoticeStatus

PUBLIC_TTL = 60
# A feedback post: 5,000 characters of text and at most 3 files of 5 MB, plus the form.
MAX_REQUEST_BYTES = 16 * 1024 * 1024


def refuse_oversize_bodies(view):
    """Refuse a body larger than any valid post before it is read: CSRF middleware would
    otherwise parse (and spool to disk) the whole upload first. The CSRF check still runs,
    inside, once the size is known to be sane."""
    protected = csrf_protect(view)

    def wrapped(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if request.method == "POST" and length > MAX_REQUEST_BYTES:
            return render(request, "publicity/public/too_large.html", {}, status=413)
        return protected(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(wrapped)


def _too_many(request):
    return render(request, "publicity/public/too_many.html", {}, status=429)


def _links():
    return {
        "ledger_url": integration.public_url("ledger_public:index", "ledger_public:home", "ledger_public:checkpoint",
                                             "ledger_public:latest"),
        "receipt_url": integration.public_url("meetings_public:receipt", "meetings_public:receipt_check",
                                              "meetings_public:check"),
        "meetings_url": integration.public_url("meetings_public:list"),
    }


@cache_control(max_age=PUBLIC_TTL, private=True)
def portal(request):
    today = timezone.localdate()
    key = queries.portal_cache_key(get_language(), today)
    notices = cache.get(key)
    if notices is None:
        # a published notice whose period has ended is no longer "正在公示", even before the
        # clerk closes it
        notices = [n for n in queries.public_notices().filter(status=NoticeStatus.PUBLISHED)
                   .filter(Q(period_end__isnull=True) | Q(period_end__gte=today))[:50]
                   if n.phase(today) == NoticePhase.IN_PERIOD][:10]
        cache.set(key, notices, PUBLIC_TTL)
    return render(request, "publicity/public/portal.html", {"notices": notices, "today": today, **_links()})


@cache_control(max_age=PUBLIC_TTL, private=True)
def notice_list(request):
    today = timezone.localdate()
    key = queries.notice_list_cache_key(get_language(), today)
    data = cache.get(key)
    if data is None:
        notices = list(queries.public_notices()[:200])
        by_phase: dict[str, list] = {NoticePhase.IN_PERIOD: [], NoticePhase.UPCOMING: [], NoticePhase.ENDED: []}
        for n in notices:
            phase = n.phase(today)
            n.phase_text = ("" if phase == NoticePhase.IN_PERIOD else
                            _("%(d)s 开始") % {"d": n.period_start} if phase == NoticePhase.UPCOMING else
                            (_("公示期已满") if n.kind == "pre_appointment" else _("已截止")) if n.period_end else "")
            by_phase[phase].append(n)
        data = {"current": by_phase[NoticePhase.IN_PERIOD], "upcoming": by_phase[NoticePhase.UPCOMING],
                "past": by_phase[NoticePhase.ENDED]}
        cache.set(key, data, PUBLIC_TTL)
    return render(request, "publicity/public/notice_list.html", {**data, "today": today})


def _public_notice(pk) -> Notice:
    notice = queries.public_notices().filter(pk=pk).first()
    if notice is None:
        raise Http404(_("找不到该公告。"))
    return notice


@cache_control(max_age=PUBLIC_TTL, private=True)
def notice_detail(request, pk):
    """The notice object is cached for a minute and its rendered text as a template fragment
    (keyed by status and language), so a busy notice costs no query and little rendering."""
    key = queries.notice_cache_key(pk)
    notice = cache.get(key)
    if notice is None:
        notice = _public_notice(pk)
        cache.set(key, notice, PUBLIC_TTL)
    phase = notice.phase(timezone.localdate())
    return render(request, "publicity/public/notice_detail.html", {
        "notice": notice, "entries": notice.entries.order_by("position"), "phase": phase,
        "phase_label": NoticePhase(phase).label,
        "proof_url": integration.inclusion_proof_url(notice.ledger_seq, notice.leaf_hash),
        "case_url": reverse("publicity_public:case", args=[notice.case_id]) if notice.case_id else None})


@cache_control(max_age=PUBLIC_TTL, private=True)
def case_timeline(request, case_id):
    """A case's public timeline (issue 21), once its pre-appointment notice is public."""
    data = case_page.case_timeline(case_id)
    if data is None:
        raise Http404(_("找不到该案件的公开记录。"))
    return render(request, "publicity/public/case.html", data)


@refuse_oversize_bodies
@require_http_methods(["GET", "POST"])
def feedback_form(request, pk, entry_pk=None):
    notice = _public_notice(pk)
    if not notice.takes_feedback:
        return render(request, "publicity/public/feedback_closed.html", {"notice": notice}, status=410)
    if request.method == "POST":
        if not ratelimit.hit("feedback", ratelimit.client_address(request)):
            return _too_many(request)
        form = FeedbackForm(request.POST, request.FILES, notice=notice)
        if form.is_valid():
            entry = notice.entries.filter(pk=form.cleaned_data["entry"]).first() if form.cleaned_data["entry"] else None
            try:
                feedback = actions.submit_feedback(
                    notice=notice, entry=entry, category=form.cleaned_data["category"], text=form.cleaned_data["text"],
                    contact_name=form.cleaned_data["contact_name"], contact=form.cleaned_data["contact"],
                    files=form.cleaned_data["files"], address=ratelimit.client_address(request))
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                request.session["publicity_feedback_code"] = feedback.code
                request.session["publicity_feedback_after_period"] = feedback.after_period
                return HttpResponseRedirect(reverse("publicity_public:feedback_sent"))
    else:
        form = FeedbackForm(notice=notice, initial={"entry": entry_pk})
    return render(request, "publicity/public/feedback_form.html", {
        "notice": notice, "form": form, "after_period": notice.phase(timezone.localdate()) == NoticePhase.ENDED})


def feedback_sent(request):
    code = request.session.get("publicity_feedback_code")
    if not code:
        return HttpResponseRedirect(reverse("publicity_public:track"))
    return render(request, "publicity/public/feedback_sent.html", {
        "code": actions.display_code(code), "after_period": request.session.get("publicity_feedback_after_period")})


@require_http_methods(["GET", "POST"])
def track(request):
    feedback = None
    not_found = False
    if request.method == "POST":
        if not ratelimit.hit("track", ratelimit.client_address(request), limit=30):
            return _too_many(request)
        form = TrackForm(request.POST)
        if form.is_valid():
            code = actions.normalise_code(form.cleaned_data["code"])
            feedback = Feedback.objects.select_related("notice", "entry").filter(code=code).first()
            not_found = feedback is None
    else:
        form = TrackForm()
    return render(request, "publicity/public/track.html", {"form": form, "feedback": feedback, "not_found": not_found})


def public_notice_or_404(pk):
    return get_object_or_404(Notice, pk=pk)
