"""The score import's Django side (as exchange's roster import): stage the upload, preview
every row with its problems, fixes and skips, and apply through a background job once no row
that is not skipped has a problem. Applying reads the file again through the fixes and
skips, so what is saved is exactly what the preview showed, and records one ledger event
naming the file and its SHA-256 (``record_scores``)."""

import hashlib
import io
import itertools
import json
from array import array

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from gongxin.core.errors import Conflict, DomainError
from gongxin.core.gcpause import gc_paused

from . import actions, sheet, workflow
from .models import Exam, ScoreImport

BATCH = 5000
TEXTS_VERSION = 1  # of the kept texts' layout: a new layout is read from the file again


def read_staged(staged: ScoreImport, data: bytes | None = None) -> tuple[list, list[list]]:
    """The sheet's header and rows, read from ``data`` (the upload, in hand) or the file kept."""
    if data is None:
        with staged.file.open("rb") as handle:
            data = handle.read()
    try:
        rows = sheet.read_sheet(io.BytesIO(data))
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


def _texts_name(sha256: str) -> str:
    return f"exams/parsed/{sha256}-v{TEXTS_VERSION}.json"


# The kept texts: UTF-8, the three columns apart by RS and the cells of a column by US. Cells
# of an .xlsx are XML text, which cannot hold these control characters, so no cell is split.
_COLUMN, _CELL = "\x1e", "\x1f"


def sheet_texts(staged: ScoreImport, data: bytes | None = None) -> list[tuple[str, str, str]]:
    """The sheet's rows as (ticket, name, score) texts (sheet.text_columns). The file is read
    once, at upload, and these kept beside it keyed by its SHA-256, so the preview, the start
    and the job check the rows without reading the workbook again; read anew only if that
    copy is missing."""
    name = _texts_name(staged.sha256)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            columns = [c.split(_CELL) for c in handle.read().decode().split(_COLUMN)]
        return list(zip(*columns, strict=True)) if columns[0] != [""] else []
    header, rows = read_staged(staged, data)
    columns = sheet.text_lists(rows, _columns(header))
    data = _COLUMN.join(_CELL.join(column) for column in columns) if rows else ""
    default_storage.save(name, ContentFile(data.encode()))
    return list(zip(*columns, strict=True))


def _checked_name(staged: ScoreImport) -> str:
    """Where a check that found no row left to fix keeps its result, for these fixes and skips."""
    state = json.dumps([staged.fixes, sorted(map(int, staged.skipped))], sort_keys=True, ensure_ascii=False)
    return f"exams/parsed/checked-{staged.pk}-{hashlib.sha256(state.encode()).hexdigest()[:32]}"


def _fingerprint(held: list[tuple]) -> str:
    """SHA-256 of the registrations a check read ((id, ticket, name, score held), sorted)."""
    return hashlib.sha256(repr(sorted(held)).encode()).hexdigest()


def check_sheet(staged: ScoreImport, tickets=None, keep: int | None = 200, *, held=None) -> sheet.Checked:
    """``_check_sheet``, with the collector paused (100,000 rows of tuples, no cycles)."""
    with gc_paused():
        return _check_sheet(staged, tickets, keep, held=held)


def _check_sheet(staged: ScoreImport, tickets=None, keep: int | None = 200, *, held=None) -> sheet.Checked:
    """Every row checked against the exam's tickets, the fixes and skips applied. A check
    against the registrations as they are (the preview's) that leaves no row to fix keeps its
    result: the scores, and a fingerprint of the registrations it read. Starting the import
    then does not check every row again, and the job, which reads the registrations again,
    locked, takes that result if they are still the same (the same file, fixes, skips and
    registrations give the same check) and checks every row again if not."""
    keeping = tickets is None
    if tickets is None:
        held = held if held is not None else actions.scorable_held(staged.exam, staged.component)
        tickets = {t: (pk, name, score) for pk, t, name, score in held}
    checked = sheet.check_texts(sheet_texts(staged), tickets, fixes=staged.fixes,
                                skipped={int(n) for n in staged.skipped}, keep=keep)
    if keeping and not checked.unresolved:
        name = _checked_name(staged)
        scores = array("q", itertools.chain.from_iterable(checked.scores.items()))
        kept = f"{_fingerprint(held)}\n{checked.count}\n{checked.skipped}\n".encode() + scores.tobytes()
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, ContentFile(kept))
    return checked


def _kept_check(staged: ScoreImport, held: list[tuple]) -> sheet.Checked | None:
    """The result a clean check kept (``check_sheet``), if it was made from these registrations."""
    name = _checked_name(staged)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    fingerprint, count, skipped, scores = data.split(b"\n", 3)
    if fingerprint.decode() != _fingerprint(held):
        return None
    pairs = array("q", scores)
    return sheet.Checked(count=int(count), skipped=int(skipped), scores=dict(zip(pairs[::2], pairs[1::2], strict=True)))


def check_staged(staged: ScoreImport, tickets=None) -> list[sheet.Row]:
    """Every row, checked (``check_sheet`` listing them all)."""
    return check_sheet(staged, tickets, keep=None).listed


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
    with gc_paused():
        sheet_texts(staged, data)  # read once: unreadable files and missing columns are refused at once
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
    if not default_storage.exists(_checked_name(staged)):  # (the preview found nothing to fix: the job checks again)
        _refuse_unresolved(check_sheet(staged, keep=0))
    job = start_job(acting_user=acting_user, kind="exams.score_import",
                    title=_("导入成绩 %(file)s") % {"file": staged.filename},
                    func="gongxin.exams.importing.apply_job", params={"staged_id": staged.pk})
    staged.job = job
    staged.save(update_fields=["job"])
    return job


def _refuse_unresolved(checked: sheet.Checked) -> None:
    bad = checked.unresolved
    if bad:
        raise DomainError("excel.unresolved", _("还有 %(n)d 行有问题（第 %(rows)s 行），请修改或跳过后再导入。") % {
            "n": len(bad), "rows": "、".join(str(r.number) for r in bad[:10])})


def apply_job(*, job, progress, staged_id: int) -> dict:
    """The job: check the sheet again (fixes and skips applied) against the tickets as they
    are now, locked; refuse if a row not skipped still has a problem; then write the scores in
    the same transaction (one ledger event)."""
    staged = ScoreImport.objects.select_related("owner", "exam").get(pk=staged_id)
    progress.step(_("检查并写入成绩"))
    with gc_paused():
        checked, written = apply_rows(staged)
    todo = len(checked.scores)
    summary = _("导入成绩 %(n)d 条（其中已录入相同成绩 %(same)d 条），跳过 %(skipped)d 行。") % {
        "n": written, "same": todo - written, "skipped": checked.skipped}
    progress.set_total(todo)
    progress.advance(todo)
    # a plain path, as exchange's job does: reverse() would load the whole URLconf (and the
    # API's schemas) into the worker, seconds of work for one link
    return {"written": written, "skipped": checked.skipped, "summary": summary,
            "next_url": f"/exams/{staged.exam_id}/", "next_label": _("返回考试")}


@transaction.atomic
def apply_rows(staged: ScoreImport) -> tuple[sheet.Checked, int]:
    """Check and write in one transaction: the registrations are read once, locked, for the
    check and for ``record_scores``; the scores go in with one ledger event naming the file."""
    staged = ScoreImport.objects.select_for_update().select_related("owner", "exam").get(pk=staged.pk)
    if staged.applied_at:
        raise Conflict("excel.applied", _("这个文件已经导入。"))
    exam = Exam.objects.select_for_update().get(pk=staged.exam_id)  # the exam first, as every exam action locks
    held = actions.scorable_held(exam, staged.component, lock=True)
    checked = _kept_check(staged, held)
    if checked is None:
        checked = check_sheet(staged, tickets={t: (pk, name, score) for pk, t, name, score in held}, keep=0)
        _refuse_unresolved(checked)
    written = actions.record_scores(
        acting_user=staged.owner, exam=exam, component=staged.component, scores=checked.scores,
        held={pk: (t, score) for pk, t, _name, score in held},
        source={"file": staged.filename, "sha256": staged.sha256,
                "fixes": {n: staged.fixes[n] for n in sorted(staged.fixes, key=int)},
                "skipped_rows": sorted(map(int, staged.skipped))})
    from django.utils import timezone

    staged.applied_at = timezone.now()
    staged.save(update_fields=["applied_at"])
    return checked, written


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
