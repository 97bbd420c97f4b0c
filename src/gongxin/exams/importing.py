"""The score import's Django side (as exchange's roster import): stage the upload, preview
every row with its problems, fixes and skips, and apply through a background job once no row
that is not skipped has a problem. Applying reads the file again through the fixes and
skips, so what is saved is exactly what the preview showed, and records one ledger event
naming the file and its SHA-256 (``record_scores``)."""

import hashlib
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from gongxin.core.errors import Conflict, DomainError

from . import actions, sheet, workflow
from .models import Exam, ScoreImport

BATCH = 5000


def tickets_for(exam: Exam, component: str) -> dict[str, tuple[int, str, int | None]]:
    field = f"{component}_score"
    return {t: (pk, name, score) for pk, t, name, score in
            actions.scorable(exam, component).values_list("pk", "ticket_number", "name", field)}


def read_staged(staged: ScoreImport) -> tuple[list, list[list]]:
    with staged.file.open("rb") as handle:
        try:
            rows = sheet.read_sheet(io.BytesIO(handle.read()))
        except Exception as exc:  # noqa: BLE001 - calamine raises several kinds
            raise DomainError("excel.unreadable", _("无法读取这个文件（%(error)s）。请上传 .xlsx 文件。") % {"error": exc}) from None
    if not rows:
        raise DomainError("excel.empty", _("表格是空的。"))
    return rows[0], rows[1:]


def _columns(header) -> dict:
    columns = sheet.find_columns(header)
    missing = [sheet.LABELS[f] for f in ("ticket_number", "score") if columns[f] is None]
    if missing:
        raise DomainError("excel.columns", _("表头中找不到这些列：%(names)s（第一行应有“准考证号”“姓名”“成绩”）。") % {
            "names": "、".join(_(m) for m in missing)})
    return columns


def check_staged(staged: ScoreImport, tickets=None) -> list[sheet.Row]:
    header, rows = read_staged(staged)
    columns = _columns(header)
    tickets = tickets if tickets is not None else tickets_for(staged.exam, staged.component)
    return sheet.check_rows(rows, columns, tickets, fixes=staged.fixes, skipped={int(n) for n in staged.skipped})


def problems_text(row: sheet.Row) -> list[str]:
    return [_(msg) % args if args else _(msg) for msg, args in row.problems]


@transaction.atomic
def stage_score_import(*, acting_user, exam: Exam, component: str, filename: str, data: bytes) -> ScoreImport:
    exam = Exam.objects.get(pk=exam.pk)
    blockers = workflow.score_blockers(exam, component)
    if blockers:
        raise Conflict("exam.scores_closed", blockers[0])
    staged = ScoreImport(exam=exam, component=component, owner=acting_user, filename=filename[:200],
                         sha256=hashlib.sha256(data).hexdigest())
    staged.file.save(f"{staged.sha256[:16]}-{component}.xlsx", ContentFile(data), save=False)
    staged.save()
    header, _rows = read_staged(staged)  # unreadable files and missing columns are refused at once
    _columns(header)
    return staged


def fix_row(*, acting_user, staged: ScoreImport, number: int, values: dict) -> None:
    fixes = dict(staged.fixes)
    keep = {k: str(v).strip() for k, v in values.items() if k in ("ticket_number", "score")}
    fixes[str(number)] = {**fixes.get(str(number), {}), **keep}
    staged.fixes = fixes
    staged.skipped = [n for n in staged.skipped if int(n) != number]
    staged.save(update_fields=["fixes", "skipped"])


def skip_row(*, acting_user, staged: ScoreImport, number: int, skip: bool = True) -> None:
    skipped = {int(n) for n in staged.skipped}
    skipped.add(number) if skip else skipped.discard(number)
    staged.skipped = sorted(skipped)
    staged.save(update_fields=["skipped"])


def unresolved(rows: list[sheet.Row]) -> list[sheet.Row]:
    return [r for r in rows if r.problems and not r.skipped]


@transaction.atomic
def start_score_import(*, acting_user, staged: ScoreImport):
    """Hand the checked sheet to the job engine (a double submit returns the job already running)."""
    from gongxin.jobs.actions import start_job

    staged = ScoreImport.objects.select_for_update().select_related("exam").get(pk=staged.pk)
    if staged.applied_at:
        raise Conflict("excel.applied", _("这个文件已经导入。"))
    if staged.job_id and staged.job.status in ("queued", "running"):
        return staged.job
    bad = unresolved(check_staged(staged))
    if bad:
        raise DomainError("excel.unresolved", _("还有 %(n)d 行有问题（第 %(rows)s 行），请修改或跳过后再导入。") % {
            "n": len(bad), "rows": "、".join(str(r.number) for r in bad[:10])})
    job = start_job(acting_user=acting_user, kind="exams.score_import",
                    title=_("导入成绩 %(file)s") % {"file": staged.filename},
                    func="gongxin.exams.importing.apply_job", params={"staged_id": staged.pk})
    staged.job = job
    staged.save(update_fields=["job"])
    return job


def apply_job(*, job, progress, staged_id: int) -> dict:
    """The job: check the sheet again (fixes and skips applied); refuse if a row not skipped
    still has a problem; then write the scores in one transaction (one ledger event)."""
    staged = ScoreImport.objects.select_related("owner", "exam").get(pk=staged_id)
    progress.step(_("检查表格"))
    rows = check_staged(staged)
    bad = unresolved(rows)
    if bad:
        raise DomainError("excel.unresolved", _("还有 %(n)d 行有问题（第 %(rows)s 行），请修改或跳过后再导入。") % {
            "n": len(bad), "rows": "、".join(str(r.number) for r in bad[:10])})
    todo = [r for r in rows if not r.skipped]
    progress.step(_("写入成绩"), total=len(todo))
    written = apply_rows(staged, todo, progress)
    summary = _("导入成绩 %(n)d 条（其中已录入相同成绩 %(same)d 条），跳过 %(skipped)d 行。") % {
        "n": written, "same": len(todo) - written, "skipped": len(rows) - len(todo)}
    # a plain path, as exchange's job does: reverse() would load the whole URLconf (and the
    # API's schemas) into the worker, seconds of work for one link
    return {"written": written, "skipped": len(rows) - len(todo), "summary": summary,
            "next_url": f"/exams/{staged.exam_id}/", "next_label": _("返回考试")}


@transaction.atomic
def apply_rows(staged: ScoreImport, rows: list[sheet.Row], progress=None) -> int:
    staged = ScoreImport.objects.select_for_update().get(pk=staged.pk)
    if staged.applied_at:
        raise Conflict("excel.applied", _("这个文件已经导入。"))
    scores = {r.registration: r.score for r in rows}
    written = actions.record_scores(acting_user=staged.owner, exam=staged.exam, component=staged.component,
                                    scores=scores, source={"file": staged.filename, "sha256": staged.sha256,
                                                           "fixed_rows": sorted(map(int, staged.fixes)),
                                                           "skipped_rows": sorted(map(int, staged.skipped))})
    if progress is not None:
        progress.advance(len(rows))
    from django.utils import timezone

    staged.applied_at = timezone.now()
    staged.save(update_fields=["applied_at"])
    return written


def template_xlsx(exam: Exam, component: str) -> bytes:
    """The sheet to fill: one row per person taking ``component``, ticket numbers as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("成绩")
    ws.append([_("准考证号"), _("姓名"), _("成绩")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for ticket, name in actions.scorable(exam, component).order_by("ticket_number").values_list("ticket_number", "name"):
        ws.append([ticket, name, None])
    for row in ws.iter_rows(min_row=2, min_col=1, max_col=1):
        for cell in row:
            cell.number_format = "@"
    ws.column_dimensions["A"].width = 16
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
