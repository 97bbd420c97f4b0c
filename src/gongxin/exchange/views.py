"""Import and export pages. Adapters: parse, call an action or a query, render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gongxin.accounts.scope import cadre_q
from gongxin.core.errors import DomainError, NotFound
from gongxin.jobs.actions import start_job
from gongxin.people import permissions as people_permissions
from gongxin.people.access import log_access
from gongxin.people.models import AccessLog, Cadre

from . import actions, excel_import, excel_rows, exports
from .lrmx_import import preview as lrmx_preview_people
from .lrmx_import import read_upload
from .models import StagedImport

MAX_UPLOAD = 60 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_edit(user):
    people_permissions.require(user, people_permissions.can_edit_cadres(user))


def _staged(request, staged_id, kind) -> StagedImport:
    _require_edit(request.user)
    try:
        return StagedImport.objects.get(pk=staged_id, owner=request.user, kind=kind)
    except StagedImport.DoesNotExist:
        raise NotFound("staged_import.not_found", _("没有找到这次上传，请重新上传文件。")) from None


def _crumbs(*items):
    return [(_("导入导出"), reverse("exchange:home")), *items]


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("文件"))


def _unit_tree(name: str, units, value=None) -> str:
    """The units in scope as a folding tree of radio buttons (people.pickers), not a select."""
    from gongxin.people.pickers import UnitTreePicker

    field = forms.ModelChoiceField(queryset=units, empty_label=None, widget=UnitTreePicker())
    return field.widget.render(name, value, attrs={"id": f"id_{name}"})


@login_required
def home(request):
    _require_edit(request.user)
    units = people_permissions.units_for_user(request.user)
    from gongxin.cases.queries import cases_for_user

    return render(request, "exchange/home.html", {
        "excel_form": UploadForm(prefix="excel"), "lrmx_form": UploadForm(prefix="lrmx"),
        "unit_tree": _unit_tree("unit", units, getattr(units.order_by("path").first(), "pk", None)),
        "cases": cases_for_user(request.user)[:200], "breadcrumbs": [(_("导入导出"), None)],
    })


@login_required
def excel_template(request):
    _require_edit(request.user)
    response = HttpResponse(excel_import.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E5%B9%B2%E9%83%A8%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.xlsx"
    return response


def _read_upload(request, prefix: str) -> tuple[str, bytes] | None:
    form = UploadForm(request.POST, request.FILES, prefix=prefix)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return None
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD:
        messages.error(request, _("文件太大（%(mb)d MB），最多 60 MB。") % {"mb": upload.size // 1048576})
        return None
    return upload.name, upload.read()


@login_required
@require_POST
def excel_upload(request):
    _require_edit(request.user)
    got = _read_upload(request, "excel")
    if got is None:
        return redirect("exchange:home")
    name, data = got
    staged = actions.stage_upload(acting_user=request.user, kind=StagedImport.Kind.EXCEL, filename=name, data=data)
    try:
        header, _rows = excel_import.read_staged(staged)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("exchange:home")
    guessed = excel_rows.guess_mapping(header)
    if all(guessed.get(f) is not None for f in excel_rows.REQUIRED):
        actions.set_mapping(acting_user=request.user, staged=staged, mapping=guessed)
    return redirect("exchange:excel_mapping", staged_id=staged.pk)


@login_required
@require_http_methods(["GET", "POST"])
def excel_mapping(request, staged_id: int):
    staged = _staged(request, staged_id, StagedImport.Kind.EXCEL)
    header, rows = excel_import.read_staged(staged)
    current = staged.mapping or excel_rows.guess_mapping(header)
    if request.method == "POST":
        mapping = {}
        for name, _label, _o in excel_rows.COLUMNS:
            value = request.POST.get(f"col_{name}", "")
            mapping[name] = int(value) if value.isdigit() and int(value) < len(header) else None
        try:
            actions.set_mapping(acting_user=request.user, staged=staged, mapping=mapping)
        except DomainError as exc:
            messages.error(request, exc.message)
            current = mapping
        else:
            return redirect("exchange:excel_preview", staged_id=staged.pk)
    columns = [(i, str(h or "")) for i, h in enumerate(header)]
    fields = [{"name": name, "label": label, "col": current.get(name), "required": name in excel_rows.REQUIRED}
              for name, label, _o in excel_rows.COLUMNS]
    return render(request, "exchange/excel_mapping.html", {
        "staged": staged, "columns": columns, "fields": fields, "sample": rows[:3], "row_count": len(rows),
        "breadcrumbs": _crumbs((_("对应列"), None)),
    })


@login_required
def excel_preview(request, staged_id: int):
    staged = _staged(request, staged_id, StagedImport.Kind.EXCEL)
    if not staged.mapping:
        return redirect("exchange:excel_mapping", staged_id=staged.pk)
    rows = excel_import.check_staged(request.user, staged)
    skipped = {int(n) for n in staged.skipped}
    bad = [r for r in rows if r.problems]
    labels = [(name, label) for name, label, _o in excel_rows.COLUMNS if staged.mapping.get(name) is not None]
    return render(request, "exchange/excel_preview.html", {
        "staged": staged, "total": len(rows), "bad": bad, "skipped_rows": [r for r in rows if r.number in skipped],
        "ok_count": len(rows) - len(bad) - len(skipped), "labels": labels,
        "new_count": sum(1 for r in rows if not r.problems and r.cadre_id is None and r.number not in skipped),
        "breadcrumbs": _crumbs((_("预览"), None)),
    })


@login_required
@require_POST
def excel_row(request, staged_id: int, number: int):
    staged = _staged(request, staged_id, StagedImport.Kind.EXCEL)
    if request.POST.get("skip") == "1":
        actions.skip_row(acting_user=request.user, staged=staged, number=number)
        messages.success(request, _("第 %(n)d 行将跳过，不会导入。") % {"n": number})
    elif request.POST.get("skip") == "0":
        actions.skip_row(acting_user=request.user, staged=staged, number=number, skip=False)
    else:
        values = {name: request.POST[name] for name, _l, _o in excel_rows.COLUMNS if name in request.POST}
        actions.fix_row(acting_user=request.user, staged=staged, number=number, values=values)
        messages.success(request, _("已修改第 %(n)d 行。") % {"n": number})
    return redirect(reverse("exchange:excel_preview", args=[staged.pk]) + "#problems")


@login_required
@require_POST
def excel_apply(request, staged_id: int):
    staged = _staged(request, staged_id, StagedImport.Kind.EXCEL)
    rows = excel_import.check_staged(request.user, staged)
    if any(r.problems for r in rows):
        messages.error(request, _("还有行有问题：请逐行修改，或选择跳过。"))
        return redirect("exchange:excel_preview", staged_id=staged.pk)
    job = actions.start_excel_import(acting_user=request.user, staged=staged)
    return redirect("jobs:job_detail", job_id=job.pk)


@login_required
@require_POST
def lrmx_upload(request):
    _require_edit(request.user)
    got = _read_upload(request, "lrmx")
    if got is None:
        return redirect("exchange:home")
    name, data = got
    try:
        read_upload(name, data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("exchange:home")
    staged = actions.stage_upload(acting_user=request.user, kind=StagedImport.Kind.LRMX, filename=name, data=data)
    return redirect("exchange:lrmx_preview", staged_id=staged.pk)


@login_required
@require_http_methods(["GET", "POST"])
def lrmx_preview(request, staged_id: int):
    staged = _staged(request, staged_id, StagedImport.Kind.LRMX)
    with staged.file.open("rb") as handle:
        people = lrmx_preview_people(request.user, read_upload(staged.filename, handle.read()))
    units = people_permissions.units_for_user(request.user)
    if request.method == "POST":
        unit = units.filter(pk=request.POST.get("org_unit") or 0).first()
        try:
            counts = actions.import_lrmx(acting_user=request.user, people=people, org_unit=unit,
                                         confirmed=set(request.POST.getlist("confirm")))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("导入完成：新增 %(created)d 人，更新 %(updated)d 人，无变化 %(unchanged)d 人，"
                                        "未导入 %(skipped)d 人。") % counts)
            return redirect("people:cadre_list")
    return render(request, "exchange/lrmx_preview.html", {
        "staged": staged, "people": people, "unit_tree": _unit_tree("org_unit", units, request.POST.get("org_unit")),
        "needs_unit": any(p.status == "new" for p in people), "breadcrumbs": _crumbs((_("LRMX 导入预览"), None)),
    })


def _cadre(request, cadre_id):
    cadre = people_permissions.get_cadre_for_user(request.user, cadre_id)
    return Cadre.objects.prefetch_related("resume_entries", "relations").get(pk=cadre.pk)


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def cadre_form_pdf(request, cadre_id: int):
    cadre = _cadre(request, cadre_id)
    log_access(request, what=AccessLog.What.APPOINTMENT_FORM, cadre=cadre, detail="pdf")
    return _download(exports.form_pdf(cadre), f"{exports.file_stem(cadre)}-任免审批表.pdf", "application/pdf")


@login_required
def cadre_form_docx(request, cadre_id: int):
    cadre = _cadre(request, cadre_id)
    log_access(request, what=AccessLog.What.APPOINTMENT_FORM, cadre=cadre, detail="docx")
    return _download(exports.form_docx(cadre), f"{exports.file_stem(cadre)}-任免审批表.docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@login_required
def cadre_lrmx(request, cadre_id: int):
    cadre = _cadre(request, cadre_id)
    log_access(request, what=AccessLog.What.EXPORT, cadre=cadre, detail="lrmx")
    return _download(exports.cadre_lrmx(cadre), f"{exports.file_stem(cadre)}.lrmx", "application/xml")


@login_required
@require_POST
def lrmx_export_many(request):
    """A unit's cadres (and its subunits') as a zip of LRMX files, as a job."""
    _require_edit(request.user)
    unit = people_permissions.get_unit_for_user(request.user, request.POST.get("unit"))
    ids = list(Cadre.objects.filter(cadre_q(request.user), org_unit__path__startswith=unit.path,
                                    status="active").values_list("pk", flat=True))
    log_access(request, what=AccessLog.What.EXPORT, detail=f"lrmx unit={unit.pk} n={len(ids)}")
    job = start_job(acting_user=request.user, kind="exchange.lrmx_export",
                    title=_("导出 %(unit)s 干部 LRMX") % {"unit": unit.name}, func="gongxin.exchange.exports.lrmx_zip_job",
                    params={"cadre_ids": ids}, total=len(ids))
    return redirect("jobs:job_detail", job_id=job.pk)


@login_required
@require_POST
def case_forms(request):
    """The appointment forms of a case's candidates (PDF and Word), as a job."""
    from gongxin.cases.permissions import get_case_for_user

    case = get_case_for_user(request.user, request.POST.get("case"))
    ids = list(case.candidates.filter(cadre__in=Cadre.objects.filter(cadre_q(request.user)))
               .values_list("cadre_id", flat=True))
    log_access(request, what=AccessLog.What.APPOINTMENT_FORM, detail=f"case={case.pk} n={len(ids)}")
    job = start_job(acting_user=request.user, kind="exchange.case_forms",
                    title=_("%(case)s 人选任免审批表") % {"case": case.title}, func="gongxin.exchange.exports.case_forms_job",
                    params={"cadre_ids": ids, "title": case.title[:60]}, total=len(ids))
    return redirect("jobs:job_detail", job_id=job.pk)
