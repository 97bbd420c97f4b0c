"""The written exam's tickets and the scores of each component, entered or imported."""

import contextlib
import hashlib
import itertools
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from operator import add, gt, itemgetter

from django.db import connection, transaction
from django.db.models import Aggregate, Count, TextField, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict, DomainError
from gongxin.ledger.recording import record_event

from .. import ranking, sheet, workflow
from ..models import (
    Exam,
    ExamStatus,
    Outcome,
    Registration,
    RegistrationStatus,
)
from .common import ROOM_SIZE, _locked, _move

# ---- the written exam ---------------------------------------------------------------------------

@transaction.atomic
def issue_admission_tickets(*, acting_user, exam: Exam, room_size: int = ROOM_SIZE) -> Exam:
    """Admission tickets for everyone eligible: seats in a random order (drawn here, recorded
    in the event), ``room_size`` to a room; the ticket number is year + exam + room + seat."""
    exam = _locked(exam)
    _move(exam, ExamStatus.WRITTEN)
    exam.save(update_fields=["status"])
    regs = list(exam.registrations.filter(status=RegistrationStatus.ELIGIBLE).order_by("pk"))
    seed = secrets.token_hex(8)
    random.Random(seed).shuffle(regs)
    year = (exam.written_on or timezone.localdate()).year
    for i, reg in enumerate(regs):
        reg.room, reg.seat = i // room_size + 1, i % room_size + 1
        reg.ticket_number = f"{year}{exam.pk:04d}{reg.room:03d}{reg.seat:02d}"
    Registration.objects.bulk_update(regs, ["room", "seat", "ticket_number"], batch_size=500)
    record_event(kind="exams.tickets.issued", subject=exam, actor=acting_user, payload={
        "seed": seed, "room_size": room_size, "tickets": {r.ticket_number: r.pk for r in regs}})
    return exam


def _score_field(component: str) -> str:
    return f"{component}_score"


def scorable(exam: Exam, component: str):
    """The registrations that take ``component``: the eligible for the written exam, those
    invited for the interview."""
    qs = exam.registrations.filter(status=RegistrationStatus.ELIGIBLE).exclude(ticket_number="")
    if component == "interview":
        qs = qs.exclude(outcome=Outcome.NOT_INVITED)
    return qs


def scorable_held(exam: Exam, component: str, *, lock: bool = False) -> list[tuple[int, str, str, int | None]]:
    """(id, ticket, name, score held) of everyone taking ``component``; locked with ``lock``
    (inside a transaction that has locked the exam first)."""
    qs = scorable(exam, component)
    if lock:
        qs = qs.select_for_update()
    # the ORM's query, unordered (the model's order is a sort of every row), fetched in one go
    # (a score sheet's 100,000 rows: half the time of iterating the queryset; the four columns
    # need no converter)
    sql, params = qs.order_by().values_list("pk", "ticket_number", "name", _score_field(component)).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Joined(Aggregate):
    """SQLite's ``group_concat(expression, separator)``: a column as one text."""
    function = "group_concat"
    output_field = TextField()


def scorable_columns(exam: Exam, component: str) -> sheet.Held:
    """``scorable_held`` as columns (``sheet.Held``), unlocked: what the preview checks a sheet
    against. On SQLite each column comes as one text the database joins, split here, and the
    scores held, few or none, are read only if there are any (100,000 registrations: 0.083 s
    against 0.098 s for the rows as tuples, 0.129 s with the ticket lookup the check built
    from them). A name holding the separator (a control character no
    form lets in) would split wrong: the counts tell, and the rows are read as tuples
    instead. The order is the database's (the ids', as a rule; ``_keep_check`` sorts)."""
    field = _score_field(component)
    if connection.vendor == "sqlite":
        qs = scorable(exam, component)
        sep = Value("\x1f")
        got = qs.aggregate(n=Count("pk"), ids=_Joined("pk", Value(",")), tickets=_Joined("ticket_number", sep),
                           names=_Joined("name", sep), scored=Count(field))
        if not got["n"]:
            return sheet.Held([], [], [], {})
        held = sheet.Held(list(map(int, got["ids"].split(","))), got["tickets"].split("\x1f"),
                          got["names"].split("\x1f"),
                          dict(qs.exclude(**{f"{field}__isnull": True}).values_list("pk", field)) if got["scored"] else {})
        if len(held.ids) == len(held.tickets) == len(held.names) == got["n"]:
            return held
    return sheet.Held.of_rows(scorable_held(exam, component))


UPDATE_BATCH = 8000  # rows a statement: 16,000 parameters, inside SQLite's (32,766 since 3.32) and PostgreSQL's limits


def _write_scores(field: str, changed: list[tuple[int, int]]) -> None:
    """``UPDATE … FROM (VALUES …)`` in batches (SQLite ≥ 3.33 and PostgreSQL both name the
    columns column1, column2): a statement per 8,000 rows instead of one per row, in the
    order of the ids, so the table's pages are each visited once (a sheet comes in ticket
    order, and tickets are drawn in a random order of the registrations: three times as long
    unsorted on SQLite). On SQLite the driver's own cursor with its ``?`` placeholders
    (Django's wrapper rewrites every ``%s`` of a statement with a regular expression first),
    and a page cache large enough to hold the pages rewritten until the commit (SQLite's 2 MB
    default writes them out and reads them back mid-statement), restored after."""
    changed = sorted(changed)
    ops = connection.ops
    table, column = ops.quote_name(Registration._meta.db_table), ops.quote_name(field)
    sqlite = connection.vendor == "sqlite"
    mark = "?" if sqlite else "%s"
    with _update_cursor(len(changed)) as cursor:
        for start in range(0, len(changed), UPDATE_BATCH):
            batch = changed[start:start + UPDATE_BATCH]
            values = ", ".join([f"(CAST({mark} AS INTEGER), CAST({mark} AS INTEGER))"] * len(batch))
            cursor.execute(f"UPDATE {table} SET {column} = v.column2 FROM (VALUES {values}) AS v "
                           f"WHERE {table}.id = v.column1", list(itertools.chain.from_iterable(batch)))


@contextlib.contextmanager
def _update_cursor(rows: int):
    """The cursor of a batched UPDATE of ``rows`` rows: on SQLite the driver's own (``?``
    placeholders) with a page cache large enough for the pages rewritten, restored after."""
    sqlite = connection.vendor == "sqlite"
    connection.ensure_connection()
    with (contextlib.closing(connection.connection.cursor()) if sqlite else connection.cursor()) as cursor:
        if sqlite:
            cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {-max(2000, rows // 2)}")  # KiB: ~500 bytes a row
        try:
            yield cursor
        finally:
            if sqlite:
                cursor.execute(f"PRAGMA cache_size = {int(cache)}")


class HeldChanged(Exception):
    """A registration a clean check relied on is no longer as the check read it
    (``record_checked_scores``): the caller checks every row again."""


# (the rows ``scorable`` selects, as SQL for the checking UPDATE: keep the two alike)
_SCORABLE_SQL = "{t}.exam_id = {m} AND {t}.status = {m} AND {t}.ticket_number <> ''"
_INVITED_SQL = " AND {t}.outcome <> {m}"


@dataclass(slots=True)
class CheckedRows:
    """The rows a clean check found, as columns: each registration's id, the score to write,
    and its ticket and name as the check read them (``_write_checked`` matches on these)."""
    ids: Sequence[int]
    scores: Sequence[int]
    tickets: Sequence[str]
    names: Sequence[str]

    def __len__(self) -> int:
        return len(self.ids)

    def at(self, places) -> "CheckedRows":
        """The rows at these places, in that order."""
        return CheckedRows(*([column[i] for i in places] for column in (self.ids, self.scores, self.tickets, self.names)))

    def by_id(self) -> "CheckedRows":
        """In the order of the ids (as they usually come already), so the table's pages are
        each written once."""
        ids = self.ids
        if not any(map(gt, ids, itertools.islice(ids, 1, None))):
            return self
        return self.at(sorted(range(len(ids)), key=ids.__getitem__))


def _write_checked(exam: Exam, component: str, rows: CheckedRows, *, held_none: bool) -> int:
    """The checking UPDATE: each (id, score, ticket, name) written only where the
    registration is still taking ``component`` with that ticket and name and, with
    ``held_none``, holds no score yet (else holds that very score). Returns the rows it
    matched; fewer than ``rows`` means something changed since the check."""
    ops = connection.ops
    table, column = ops.quote_name(Registration._meta.db_table), ops.quote_name(_score_field(component))
    sqlite = connection.vendor == "sqlite"
    mark = "?" if sqlite else "%s"
    where = _SCORABLE_SQL.format(t=table, m=mark)
    tail = [exam.pk, RegistrationStatus.ELIGIBLE.value]
    if component == "interview":
        where += _INVITED_SQL.format(t=table, m=mark)
        tail.append(Outcome.NOT_INVITED.value)
    held = f"{table}.{column} IS NULL" if held_none else f"{table}.{column} = v.column2"
    # (PostgreSQL types a VALUES list from its first row, hence the casts; SQLite takes the
    # values as bound, and four casts a row are a sixth of the statement's time)
    one = "(?, ?, ?, ?)" if sqlite else "(CAST(%s AS INTEGER), CAST(%s AS INTEGER), CAST(%s AS TEXT), CAST(%s AS TEXT))"
    matched = 0
    with _update_cursor(len(rows)) as cursor:
        for start in range(0, len(rows), CHECKED_BATCH):
            end = start + CHECKED_BATCH
            params = list(itertools.chain.from_iterable(zip(
                rows.ids[start:end], rows.scores[start:end], rows.tickets[start:end], rows.names[start:end],
                strict=True)))
            values = ", ".join([one] * (len(params) // 4))
            params.extend(tail)
            cursor.execute(f"UPDATE {table} SET {column} = v.column2 FROM (VALUES {values}) AS v "
                           f"WHERE {table}.id = v.column1 AND {table}.ticket_number = v.column3 "
                           f"AND {table}.name = v.column4 AND {held} AND {where}", params)
            matched += cursor.rowcount
    return matched


CHECKED_BATCH = 8000  # rows a checking statement: 32,000 parameters, inside SQLite's 32,766


@transaction.atomic
def record_scores(*, acting_user, exam: Exam, component: str, scores: dict[int, int], source: dict | None = None,
                  event: bool = True, held: dict[int, tuple[str, int | None]] | None = None) -> int:
    """Scores of ``component`` by registration id (hundredths or a mark), entered on the page or
    from an imported sheet (``source`` says which file). A score already recorded is not
    overwritten here: that is a correction, with its reason. Returns how many were written.
    ``held``: id → (ticket, score held) of everyone taking the component, when the caller has
    just read them locked in this transaction (the score import, for its own check)."""
    exam = _locked(exam)
    blockers = workflow.score_blockers(exam, component)
    if blockers:
        raise Conflict("exam.scores_closed", blockers[0])
    field = _score_field(component)
    if held is None:  # (ticket, score held) of everyone taking the component, locked
        held = {pk: (t, old) for pk, t, _name, old in scorable_held(exam, component, lock=True)}
    unknown = [k for k in scores if k not in held]
    if unknown:
        raise DomainError("exam.scores_unknown", _("有 %(n)d 条成绩不属于本次考试的%(c)s人员。") % {
            "n": len(unknown), "c": _("面试") if component == "interview" else _("笔试")})
    changed, already = [], []
    marks = ranking.MARKS
    top = ranking.MAX_SCORE
    for pk, value in scores.items():
        if not (value in marks or 0 <= value <= top):
            raise DomainError("exam.score_range", _("成绩超出范围。"))
        ticket, old = held[pk]
        if old is None:
            changed.append((pk, value))
        elif old != value:
            already.append(ticket)
    if already:
        raise Conflict("exam.score_exists", _("准考证号 %(t)s 的成绩已经录入；如需修改，请使用“更正成绩”并写明原因。") % {
            "t": "、".join(already[:5])}, {"tickets": already})
    if changed:
        _write_scores(field, changed)
    if event and changed:
        show = ranking.show
        payload = {"component": component, "source": source or {"entered": "page"}}
        if source and "sha256" in source:
            payload.update(_sheet_written(changed, scores_digest([(held[pk][0], value) for pk, value in changed])))
        else:
            payload["scores"] = {held[pk][0]: show(value) for pk, value in changed}
        record_event(kind="exams.scores.recorded", subject=exam, actor=acting_user, payload=payload)
    return len(changed)


def _sheet_written(changed: list, digest: str) -> dict:
    """What an imported sheet's event says of the scores written: the file's SHA-256 (in its
    source) names the rows; the scores are a count and a digest (100,000 scores listed would
    be megabytes an event), which anyone can check against the file or the registrations."""
    return {"written": len(changed), "scores_sha256": digest}


@transaction.atomic
def record_checked_scores(*, acting_user, exam: Exam, component: str, changed: CheckedRows,
                          same: CheckedRows | None = None, scores_sha256: str, source: dict) -> int:
    """``record_scores`` of a sheet a clean check found, without reading every registration
    again: ``changed`` the (id, score, ticket, name) of the registrations holding no score,
    as the check read them, and ``scores_digest`` of their (ticket, score); ``same`` those
    that held that score already. The write itself checks each row is still as the check
    read it (``_write_checked``) and raises ``HeldChanged`` if one is not, before any ledger
    event: the caller rolls back and checks every row again. One ledger event as
    ``record_scores`` writes it."""
    exam = _locked(exam)
    blockers = workflow.score_blockers(exam, component)
    if blockers:
        raise Conflict("exam.scores_closed", blockers[0])
    marks, top = ranking.MARKS, ranking.MAX_SCORE
    if any(not (value in marks or 0 <= value <= top) for value in set(changed.scores)):
        raise DomainError("exam.score_range", _("成绩超出范围。"))
    if same and _write_checked(exam, component, same.by_id(), held_none=False) != len(same):
        raise HeldChanged
    if changed:
        if _write_checked(exam, component, changed.by_id(), held_none=True) != len(changed):
            raise HeldChanged
        record_event(kind="exams.scores.recorded", subject=exam, actor=acting_user,
                     payload={"component": component, "source": source, **_sheet_written(changed, scores_sha256)})
    return len(changed)


def scores_digest(scores) -> str:
    """SHA-256 of (ticket, score) pairs as the lines ``ticket<TAB>score<LF>`` (the score as
    ``ranking.show`` writes it: "85.50", "absent"), sorted by ticket: what an imported sheet's
    ledger event records of the scores it wrote."""
    pairs = list(scores)
    return scores_digest_columns(list(map(itemgetter(0), pairs)), list(map(itemgetter(1), pairs)))


def scores_digest_columns(tickets: list[str], values: list[int]) -> str:
    """``scores_digest`` of the tickets and their scores as two lists (a sheet's columns: no
    pair a row; lines that come in the tickets' order are sorted in one pass)."""
    tails = {value: f"\t{ranking.show(value)}\n" for value in set(values)}  # (scores repeat)
    lines = list(map(add, tickets, map(tails.__getitem__, values)))
    lines.sort()
    return hashlib.sha256("".join(lines).encode()).hexdigest()
