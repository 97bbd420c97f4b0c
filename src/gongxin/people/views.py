"""Pages for cadres, units and posts. Adapters only: parse, call an action or query, render."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongxin.core.errors import DomainError, NotFound
from gongxin.core.forms_util import apply_domain_error
from gongxin.core.lists import build_list

from . import actions, permissions
from .access import log_access
from .forms import CadreFilterForm, CadreForm, OrgUnitForm, PostForm, RelationForm, ResumeEntryForm
from .models import AccessLog, Relation, ResumeEntry
from .queries import CadreFilters, cadre_detail, cadres_for_user, posts_for_user, unit_tree_for_user

PAGE_SIZE = 50


def _crumbs(*items):
    return [(_("干部名册"), reverse("people:cadre_list")), *items]


def _filters_from(request) -> tuple[CadreFilterForm, CadreFilters]:
    form = CadreFilterForm(request.GET or None, units=permissions.units_for_user(request.user))
    filters = CadreFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = CadreFilters(q=d["q"], unit=d["unit"].pk if d["unit"] else None,
                               rank=d["rank"].code if d["rank"] else "", age_min=d["age_min"],
                               age_max=d["age_max"], sex=d["sex"], sort=d["sort"] or "name")
    return form, filters


@login_required
def cadre_list(request):
    from .lists import cadre_list_spec

    permissions.require(request.user, permissions.can_view_cadres(request.user))
    form, filters = _filters_from(request)
    actions_ = []
    if permissions.can_edit_cadres(request.user):
        actions_.append((_("新增干部"), reverse("people:cadre_create"), ""))
    if permissions.can_export_cadres(request.user):
        query = request.GET.copy()
        for name in ("page", "after", "before", "export"):
            query.pop(name, None)
        actions_.append((_("导出任免审批表格式（后台）"), f"{reverse('people:cadre_export')}?{query.urlencode()}",
                         "secondary"))
    lst = build_list(request, cadre_list_spec(), cadres_for_user(request.user, filters), form=form, actions=actions_)
    if lst.response is not None:
        return lst.response
    return render(request, "people/cadre_list.html", {
        "form": form, "lst": lst, "cadres": lst.rows, "breadcrumbs": [(_("干部名册"), None)],
    })


@login_required
def cadre_export(request):
    """Starts the export as a background job (an export of 50,000 cadres takes a while) and
    shows its progress; the file downloads from there and from 我的后台任务."""
    from dataclasses import asdict

    from gongxin.jobs.actions import start_job

    permissions.require(request.user, permissions.can_export_cadres(request.user))
    _form, filters = _filters_from(request)
    show = permissions.can_view_id_number(request.user)
    log_access(request, what=AccessLog.What.EXPORT, detail=f"cadres {filters.describe()} full_id={show}")
    job = start_job(acting_user=request.user, kind="people.cadre_export", title=_("导出干部名册"),
                    func="gongxin.people.export.export_job",
                    params={"filters": asdict(filters), "show_id_numbers": show})
    return redirect("jobs:job_detail", job_id=job.pk)


@login_required
def cadre_detail_view(request, cadre_id: int):
    cadre = permissions.get_cadre_for_user(request.user, cadre_id)
    cadre = cadre_detail(cadre)
    show_id = permissions.can_view_id_number(request.user, cadre)
    log_access(request, what=AccessLog.What.RECORD, cadre=cadre, detail="full_id" if show_id else "")
    return render(request, "people/cadre_detail.html", {
        "cadre": cadre, "show_id": show_id, "can_edit": permissions.can_edit_cadres(request.user),
        "resume": cadre.resume_entries.all(), "relations": cadre.relations.all(),
        "holdings": cadre.post_holdings.all(), "grades": cadre.annual_grades.all(),
        "sections": cadre_sections(request, cadre), "corrections": actions.position_corrections(cadre),
        "form_lines": cadre_sections(request, cadre, "cadre_form_lines"),
        "breadcrumbs": _crumbs((cadre.name, None)),
    })


def cadre_sections(request, cadre, hook: str = "cadre_sections") -> list:
    """What other apps know about this cadre, below the form: each AppConfig may name a
    ``cadre_sections`` callable (dotted path) taking (request, cadre) and returning rendered
    HTML sections, or none the user may not see. The people app knows nothing of their data.
    ``cadre_form_lines`` likewise returns (label, text) rows printed inside the form (training)."""
    out = []
    for config in apps.get_app_configs():
        path = getattr(config, hook, None)
        if path:
            out.extend(import_string(path)(request, cadre))
    return out


@login_required
@require_http_methods(["GET", "POST"])
def cadre_create(request):
    permissions.require(request.user, permissions.can_edit_cadres(request.user))
    units = permissions.units_for_user(request.user)
    form = CadreForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            cadre = actions.create_cadre(acting_user=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("已新增干部 %(name)s。") % {"name": cadre.name})
            return redirect("people:cadre_detail", cadre_id=cadre.pk)
    return render(request, "people/cadre_form.html", {
        "form": form, "breadcrumbs": _crumbs((_("新增干部"), None)), "title": _("新增干部"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def cadre_edit(request, cadre_id: int):
    cadre = permissions.get_cadre_for_user(request.user, cadre_id, edit=True)
    units = permissions.units_for_user(request.user)
    show_id = permissions.can_view_id_number(request.user, cadre)
    form = CadreForm(request.POST or None, instance=cadre, units=units, show_id_number=show_id)
    if show_id and request.method == "GET":
        log_access(request, what=AccessLog.What.ID_NUMBER, cadre=cadre, detail="edit form")
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_cadre(acting_user=request.user, cadre=cadre, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("people:cadre_detail", cadre_id=cadre.pk)
    cadre = cadre_detail(cadre)
    return render(request, "people/cadre_form.html", {
        "form": form, "cadre": cadre, "title": _("修改干部信息"),
        "resume_form": ResumeEntryForm(prefix="resume"), "relation_form": RelationForm(prefix="relation"),
        "breadcrumbs": _crumbs((cadre.name, reverse("people:cadre_detail", args=[cadre.pk])), (_("修改"), None)),
    })


def _add_to_cadre(request, cadre_id: int, form_class, prefix: str, action, done: str, anchor: str):
    """POST handler shared by the resume and relations sections of the edit page."""
    cadre = permissions.get_cadre_for_user(request.user, cadre_id, edit=True)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            action(acting_user=request.user, cadre=cadre, **form.cleaned_data)
            messages.success(request, done)
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("未添加：") + "；".join(
            f"{form.fields[k].label}：{' '.join(v)}" if k in form.fields else " ".join(v) for k, v in form.errors.items()))
    return redirect(reverse("people:cadre_edit", args=[cadre.pk]) + anchor)


@login_required
@require_POST
def resume_add(request, cadre_id: int):
    return _add_to_cadre(request, cadre_id, ResumeEntryForm, "resume", actions.add_resume_entry,
                         _("已添加简历。"), "#resume")


@login_required
@require_POST
def resume_remove(request, cadre_id: int, entry_id: int):
    cadre = permissions.get_cadre_for_user(request.user, cadre_id, edit=True)
    entry = ResumeEntry.objects.filter(cadre=cadre, pk=entry_id).first()
    if entry is None:
        raise NotFound("resume_entry.not_found", _("没有找到这条简历。"))
    actions.remove_resume_entry(acting_user=request.user, entry=entry)
    messages.success(request, _("已删除简历。"))
    return redirect(reverse("people:cadre_edit", args=[cadre.pk]) + "#resume")


@login_required
@require_POST
def relation_add(request, cadre_id: int):
    return _add_to_cadre(request, cadre_id, RelationForm, "relation", actions.add_relation,
                         _("已添加家庭成员及社会关系。"), "#relations")


@login_required
@require_POST
def relation_remove(request, cadre_id: int, relation_id: int):
    cadre = permissions.get_cadre_for_user(request.user, cadre_id, edit=True)
    relation = Relation.objects.filter(cadre=cadre, pk=relation_id).first()
    if relation is None:
        raise NotFound("relation.not_found", _("没有找到这条记录。"))
    actions.remove_relation(acting_user=request.user, relation=relation)
    messages.success(request, _("已删除。"))
    return redirect(reverse("people:cadre_edit", args=[cadre.pk]) + "#relations")


@login_required
def unit_tree(request):
    from .lists import UnitFilterForm, unit_list_spec

    permissions.require(request.user, permissions.can_edit_cadres(request.user))
    form = UnitFilterForm(request.GET or None)
    units = unit_tree_for_user(request.user)
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        units = [u for u in units if form.cleaned_data["q"].strip() in u.name]
    lst = build_list(request, unit_list_spec(), units, form=form,
                     actions=[(_("新增单位"), reverse("people:unit_create"), "")])
    if lst.response is not None:
        return lst.response
    return render(request, "people/unit_tree.html", {
        "lst": lst, "units": lst.rows, "breadcrumbs": [(_("单位"), None)],
    })


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request):
    permissions.require(request.user, permissions.can_edit_cadres(request.user))
    form = OrgUnitForm(request.POST or None, units=permissions.units_for_user(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            unit = actions.create_org_unit(acting_user=request.user, name=data.pop("name"), kind=data.pop("kind"),
                                           parent=data.pop("parent"), **data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("已新增单位 %(name)s。") % {"name": unit.name})
            return redirect("people:unit_tree")
    return render(request, "simple_form.html", {
        "form": form, "title": _("新增单位"),
        "breadcrumbs": [(_("单位"), reverse("people:unit_tree")), (_("新增单位"), None)],
    })


@login_required
def post_list(request):
    from .lists import PostFilterForm, post_list_spec

    permissions.require(request.user, permissions.can_edit_cadres(request.user))
    form = PostFilterForm(request.GET or None, units=permissions.units_for_user(request.user))
    d = form.cleaned_data if form.is_bound and form.is_valid() else {"q": "", "unit": None, "vacant": False}
    qs = posts_for_user(request.user, unit=d["unit"].pk if d["unit"] else None, vacant_only=d["vacant"])
    if d["q"]:
        qs = qs.filter(title__contains=d["q"].strip())
    actions_ = [(_("新增职位"), reverse("people:post_create"), "")] if permissions.can_edit_cadres(request.user) else []
    lst = build_list(request, post_list_spec(), list(qs), form=form, actions=actions_)
    if lst.response is not None:
        return lst.response
    return render(request, "people/post_list.html", {
        "lst": lst, "posts": lst.rows, "breadcrumbs": [(_("职位"), None)],
    })


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request):
    permissions.require(request.user, permissions.can_edit_cadres(request.user))
    form = PostForm(request.POST or None, units=permissions.units_for_user(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_post(acting_user=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("已新增职位。"))
            return redirect("people:post_list")
    return render(request, "simple_form.html", {
        "form": form, "title": _("新增职位"),
        "breadcrumbs": [(_("职位"), reverse("people:post_list")), (_("新增职位"), None)],
    })
