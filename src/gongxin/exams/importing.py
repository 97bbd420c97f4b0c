"""The score import's Django side (as exchange's roster import): stage the upload, preview
every row with its problems, fixes and skips, and apply through a background job once no row
that is not skipped has a problem. The file is read once, at upload; its texts are kept
beside it (under its SHA-256, checked), and the preview and the job check those through the
fixes and skips, so what is saved is exactly what the preview showed, with one ledger event
naming the file and its SHA-256 (``record_scores``)."""

import hashlib
import io
import json
from array import array
from dataclasses import dataclass

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
TEXTS_VERSION = 2  # of the kept texts' layout: a new layout is read from the file again


def read_staged(staged: ScoreImport, data: bytes | None = None) -> tuple[list, list[list]]:
    """The sheet's header and rows, read from ``data`` (the upload, in hand) or the file kept,
    which must still be the file uploaded (its SHA-256, which the ledger event names)."""
    if data is None:
        with staged.file.open("rb") as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() != staged.sha256:
            raise DomainError("excel.changed", _("保存的文件已不是上传的那个文件（SHA-256 不符），请重新上传。"))
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
    return f"exams/parsed/{sha256}-v{TEXTS_VERSION}.txt"


# The kept texts: a line with the file's SHA-256 and one with the SHA-256 of the rest, then
# UTF-8 text, the three columns apart by RS and the cells of a column by US. Cells of an
# .xlsx are XML text, which cannot hold these control characters, so no cell is split.
_COLUMN, _CELL = "\x1e", "\x1f"


def _kept_texts(staged: ScoreImport) -> list[list[str]] | None:
    """The columns kept for this file, if they are there whole (a copy cut short, or made from
    another file, is not used)."""
    name = _texts_name(staged.sha256)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        kept = handle.read()
    source, digest, payload = (kept.split(b"\n", 2) + [b"", b""])[:3]
    if source.decode(errors="replace") != staged.sha256 or hashlib.sha256(payload).hexdigest() != digest.decode(errors="replace"):
        return None
    if not payload:  # (a sheet with a header only)
        return [[], [], []]
    columns = [c.split(_CELL) for c in payload.decode().split(_COLUMN)]
    if len(columns) != 3 or len({len(c) for c in columns}) != 1:
        return None
    return columns


def sheet_columns(staged: ScoreImport, data: bytes | None = None) -> list[list[str]]:
    """The sheet's rows as three columns of texts, tickets, names and scores
    (sheet.text_lists). The file is read once, at upload, and these kept beside it keyed by
    its SHA-256, so the preview, the start and the job check the rows without reading the
    workbook again; read anew (the file's SHA-256 checked) if that copy is missing or not whole."""
    columns = _kept_texts(staged)
    if columns is not None:
        return columns
    header, rows = read_staged(staged, data)
    columns = sheet.text_lists(rows, _columns(header))
    payload = (_COLUMN.join(_CELL.join(column) for column in columns) if rows else "").encode()
    name = _texts_name(staged.sha256)
    if default_storage.exists(name):  # (not whole: replaced)
        default_storage.delete(name)
    default_storage.save(name, ContentFile(f"{staged.sha256}\n{hashlib.sha256(payload).hexdigest()}\n".encode() + payload))
    return columns


def _checked_name(staged: ScoreImport) -> str:
    """Where a check that found no row left to fix keeps its result, for these fixes and skips."""
    state = json.dumps([staged.fixes, sorted(map(int, staged.skipped))], sort_keys=True, ensure_ascii=False)
    return f"exams/parsed/checked-v3-{staged.pk}-{hashlib.sha256(state.encode()).hexdigest()[:32]}"


def check_sheet(staged: ScoreImport, held: sheet.Held | None = None, keep: int | None = 200) -> sheet.Checked:
    """``_check_sheet``, with the collector paused (100,000 rows of texts, no cycles)."""
    with gc_paused():
        return _check_sheet(staged, held, keep)


def _check_sheet(staged: ScoreImport, held: sheet.Held | None = None, keep: int | None = 200) -> sheet.Checked:
    """Every row checked against the registrations taking the component (``held``: as the
    job read them, locked; None: as they are now), the fixes and skips applied. A check
    against the registrations as they are (the preview's) that leaves no row to fix keeps its
    result: the scores to write with the ticket and name of each registration as read.
    Starting the import then does not check every row again, and the job writes that result
    with an UPDATE that matches each registration only if it is still as read (the same
    file, fixes, skips and registrations give the same check); if one is not, it checks
    every row again against the registrations read anew, locked."""
    keeping = held is None
    if held is None:
        held = actions.scorable_columns(staged.exam, staged.component)
    columns = sheet_columns(staged)
    checked = sheet.check_columns(columns, held, fixes=staged.fixes, skipped={int(n) for n in staged.skipped},
                                  keep=keep)
    if keeping and not checked.unresolved:
        _keep_check(staged, checked, held, columns[0])
    return checked


def _keep_check(staged: ScoreImport, checked: sheet.Checked, held: sheet.Held, sheet_tickets: list[str]) -> None:
    """What the job needs of a clean check: the counts, the ``scores_digest`` of the scores
    to write (as the ledger event records it), and (id, score, ticket, name) of each
    registration the sheet scores, those holding no score yet first, then those holding that
    score already (the check said so), in the order of the ids; the layout is a head of
    lines, the ids and scores as 64-bit integers, then the tickets and the names as text,
    with the SHA-256 of all that so a copy cut short is not used."""
    scores = checked.scores
    rows = actions.CheckedRows(held.ids, list(map(scores.get, held.ids)), held.tickets, held.names).by_id()
    every = not held.scores and len(scores) == len(rows)
    if every:  # (a first import scoring everyone: each registration, as read, a row to write)
        n_new = len(rows)
    else:
        scored = [(i, pk in held.scores) for i, (pk, value) in enumerate(zip(rows.ids, rows.scores, strict=True))
                  if value is not None]
        new = [i for i, holds in scored if not holds]
        n_new, rows = len(new), rows.at(new + [i for i, holds in scored if holds])
    if every and not staged.fixes and len(sheet_tickets) == len(scores):
        # each row of the sheet scores one registration, its ticket as the sheet has it: the
        # digest's lines in the sheet's order, usually the tickets', so sorting them is cheap
        digest = actions.scores_digest_columns(sheet_tickets, list(scores.values()))
    else:
        digest = actions.scores_digest_columns(rows.tickets[:n_new], rows.scores[:n_new])
    numbers = array("q", bytes(16 * len(rows)))
    numbers[::2], numbers[1::2] = array("q", rows.ids), array("q", rows.scores)
    body = numbers.tobytes() + f"{_CELL.join(rows.tickets)}{_COLUMN}{_CELL.join(rows.names)}".encode()
    head = (f"{checked.count}\n{checked.skipped}\n{len(scores)}\n{digest}\n{n_new}\n{len(rows) - n_new}\n"
            f"{hashlib.sha256(body).hexdigest()}\n")
    name = _checked_name(staged)
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(head.encode() + body))


@dataclass(slots=True)
class Kept:
    """A clean check kept for the job (``_keep_check``)."""
    count: int
    skipped: int
    scores: int                              # good rows not skipped
    changed: actions.CheckedRows  # (registration id, score, ticket, name) to write
    same: actions.CheckedRows     # those holding that score already
    digest: str


def _kept_check(staged: ScoreImport) -> Kept | None:
    """The result a clean check kept, if it is there whole."""
    name = _checked_name(staged)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    parts = data.split(b"\n", 7)
    if len(parts) != 8:
        return None
    count, skipped, scores, digest, n_new, n_same, body_sha, body = parts
    if hashlib.sha256(body).hexdigest() != body_sha.decode(errors="replace"):  # (a copy cut short is not used)
        return None
    n_new, n_same = int(n_new), int(n_same)
    n = n_new + n_same
    numbers = array("q", body[:16 * n])
    tickets, names = [c.split(_CELL) for c in body[16 * n:].decode().split(_COLUMN)] if n else ([], [])
    if len(tickets) != n or len(names) != n:  # (a name holding a separator: the job checks again)
        return None
    ids, values = numbers[::2], numbers[1::2]
    return Kept(int(count), int(skipped), int(scores),
                actions.CheckedRows(ids[:n_new], values[:n_new], tickets[:n_new], names[:n_new]),
                actions.CheckedRows(ids[n_new:], values[n_new:], tickets[n_new:], names[n_new:]), digest.decode())


def check_staged(staged: ScoreImport) -> list[sheet.Row]:
    """Every row, checked (``check_sheet`` listing them all)."""
    return check_sheet(staged, keep=None).listed


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
        sheet_columns(staged, data)  # read once: unreadable files and missing columns are refused at once
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
        todo, skipped, written = apply_rows(staged)
    summary = _("导入成绩 %(n)d 条（其中已录入相同成绩 %(same)d 条），跳过 %(skipped)d 行。") % {
        "n": written, "same": todo - written, "skipped": skipped}
    progress.set_total(todo)
    progress.advance(todo)
    # a plain path, as exchange's job does: reverse() would load the whole URLconf (and the
    # API's schemas) into the worker, seconds of work for one link
    return {"written": written, "skipped": skipped, "summary": summary,
            "next_url": f"/exams/{staged.exam_id}/", "next_label": _("返回考试")}


@transaction.atomic
def apply_rows(staged: ScoreImport) -> tuple[int, int, int]:
    """Check and write in one transaction. A clean check kept (``_keep_check``) is written
    by an UPDATE that matches each registration only as the check read it; if one has
    changed, that is rolled back and every row checked again against the registrations read
    anew, locked, refused if a row now has a problem. The scores go in with one ledger event
    naming the file. Returns (good rows, rows skipped, scores written)."""
    staged = ScoreImport.objects.select_for_update().select_related("owner", "exam").get(pk=staged.pk)
    if staged.applied_at:
        raise Conflict("excel.applied", _("这个文件已经导入。"))
    exam = Exam.objects.select_for_update().get(pk=staged.exam_id)  # the exam first, as every exam action locks
    source = {"file": staged.filename, "sha256": staged.sha256,
              "fixes": {n: staged.fixes[n] for n in sorted(staged.fixes, key=int)},
              "skipped_rows": sorted(map(int, staged.skipped))}
    kept = _kept_check(staged)
    if kept is not None:
        try:
            with transaction.atomic():
                written = actions.record_checked_scores(
                    acting_user=staged.owner, exam=exam, component=staged.component, changed=kept.changed,
                    same=kept.same, scores_sha256=kept.digest, source=source)
            todo, skipped = kept.scores, kept.skipped
        except actions.HeldChanged:
            kept = None
    if kept is None:
        held = actions.scorable_held(exam, staged.component, lock=True)
        checked = check_sheet(staged, sheet.Held.of_rows(held), keep=0)
        _refuse_unresolved(checked)
        written = actions.record_scores(
            acting_user=staged.owner, exam=exam, component=staged.component, scores=checked.scores,
            held={pk: (t, score) for pk, t, _name, score in held}, source=source)
        todo, skipped = len(checked.scores), checked.skipped
    from django.utils import timezone

    staged.applied_at = timezone.now()
    staged.save(update_fields=["applied_at"])
    return todo, skipped, written


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
