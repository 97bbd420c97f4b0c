"""The roster import's Django side: lookups for the user, the preview of a staged file, the
template to download, and the job that applies it in batches (each batch one transaction
and one ledger event listing its rows), so progress shows and a crash loses no batch that
committed. Rows are matched by ID number: a row whose values are already held writes
nothing, so importing the same file again changes nothing."""

import contextlib
import functools
import hashlib
import io
import operator

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from gongxin.accounts.scope import cadre_q
from gongxin.core.errors import DomainError
from gongxin.core.gcpause import gc_paused
from gongxin.ledger.recording import record_event
from gongxin.people.models import Cadre, Rank
from gongxin.people.names import search_keys
from gongxin.people.permissions import units_for_user

from . import excel_rows, people_map
from .excel_rows import COLUMNS, Lookups, Row
from .models import StagedImport

BATCH = 10_000  # rows a transaction and a ledger event: a progress step under a second (about 0.45 s of CPU on
# SQLite at 100,000 rows), and fewer commits: 100,000 rows inserted in 3.1 s of CPU instead of 3.9 s at 2,000
FIELDS = list(excel_rows.VALUE_NAMES)  # the cadre fields a row gives
TEXT_FIELDS = ("native_place", "birthplace", "fulltime_education_school", "current_post_title", "professional_title",
               "fulltime_education", "fulltime_degree")  # blank, not NULL, when the roster leaves them empty
SQLITE_CACHE_KIB = 100 * 1024  # the job's page cache on SQLite: a county's cadre table and its nine indexes


def lookups_for(user, id_numbers=None, *, every: bool = False) -> Lookups:
    """The lookups for checking rows: ``existing`` holds the cadres with these ID numbers, or,
    with ``every``, all cadres (a roster about as large as the table: two scans instead of
    two queries a 900 numbers, each compiled by the ORM, and no numbers to gather)."""
    units = {}
    for pk, name, short in units_for_user(user).values_list("pk", "name", "short_name"):
        units.setdefault(name, pk)
        if short:
            units.setdefault(short, pk)
    existing = {}
    if every:
        visible = set(Cadre.objects.filter(cadre_q(user)).values_list("id_number", flat=True).iterator(5000))
        for pk, number, name in Cadre.objects.values_list("pk", "id_number", "name").iterator(5000):
            existing[number] = (pk, name, number in visible)
    elif id_numbers:
        numbers = list(id_numbers)
        visible = set()
        for i in range(0, len(numbers), 900):
            chunk = numbers[i:i + 900]
            visible.update(Cadre.objects.filter(cadre_q(user), id_number__in=chunk).values_list("id_number", flat=True))
            for pk, number, name in Cadre.objects.filter(id_number__in=chunk).values_list("pk", "id_number", "name"):
                existing[number] = (pk, name, number in visible)
    return Lookups(
        units=units, ranks=dict(Rank.objects.values_list("name", "pk")),
        education=people_map.EDUCATION_WORDS, degree={**{v: k for k, v in people_map.DEGREE_LABEL.items() if k},
                                                      "无": ""},
        political=people_map.POLITICAL_WORDS, existing=existing, today=timezone.localdate())


def read_staged(staged: StagedImport) -> tuple[list, list[list]]:
    with staged.file.open("rb") as handle:
        try:
            rows = excel_rows.read_sheet(io.BytesIO(handle.read()))
        except Exception as exc:  # noqa: BLE001 - calamine raises several kinds
            raise DomainError("excel.unreadable", _("无法读取这个文件（%(error)s）。请上传 .xlsx 文件。") % {"error": exc}) from None
    if not rows:
        raise DomainError("excel.empty", _("表格是空的。"))
    return rows[0], rows[1:]


def check_staged(user, staged: StagedImport) -> list[Row]:
    header, rows = read_staged(staged)
    col = staged.mapping.get("id_number")
    held = Cadre.objects.count() if col is not None else 0
    numbers, every = set(), held and held <= 2 * len(rows)
    if held and not every:
        from gongxin.people import idnumber

        for cells in rows:
            if col < len(cells):
                numbers.add(idnumber.normalise(excel_rows.cell_text(cells[col])))
        for fix in staged.fixes.values():
            if fix.get("id_number"):
                numbers.add(idnumber.normalise(fix["id_number"]))
    return excel_rows.check_rows(rows, staged.mapping, lookups_for(user, numbers, every=every), fixes=staged.fixes,
                                 skipped={int(n) for n in staged.skipped})


def template_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "干部名册"
    ws.append([header for _f, header, _o in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(["张三", "371621198506150018", "男", "1985.06", "汉族", "山东惠民", "山东惠民", "中共党员", "2006.07",
               "2007.07", "大学本科", "学士", "山东大学法学院法学专业", "李庄镇", "李庄镇副镇长", "副科", "2020.03",
               "健康", ""])
    for i, _col in enumerate(COLUMNS, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = 16
    ws.column_dimensions["B"].width = 22
    for row in ws.iter_rows(min_row=2, max_row=2000, min_col=2, max_col=2):
        for cell in row:
            cell.number_format = "@"  # ID numbers as text: Excel would round them as numbers
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _values_for_model(row: Row) -> dict:
    out = dict(zip(FIELDS, row.value_tuple(), strict=True))
    for text_field in TEXT_FIELDS:
        out[text_field] = out[text_field] or ""
    if out["health"] == "":
        out["health"] = "健康"
    if out["political_status"] is None:
        out.pop("political_status")
    return out


def apply_job(*, job, progress, staged_id: int) -> dict:
    """The job: check the file again (fixes and skips applied); refuse if a row not skipped
    still has a problem; then create or update in batches. The collector is paused: 100,000
    rows of dicts and tuples, no cycles."""
    with gc_paused(), _page_cache():
        return _apply(progress=progress, staged_id=staged_id)


@contextlib.contextmanager
def _page_cache():
    """On SQLite, a page cache that holds the cadre table and its indexes while the job
    writes (the default 2 MB spills pages a batch's inserts come back to: a quarter of the
    insert time at 100,000 rows); the connection's own size back afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _apply(*, progress, staged_id: int) -> dict:
    staged = StagedImport.objects.select_related("owner").get(pk=staged_id)
    user = staged.owner
    progress.step(_("检查表格"))
    rows = check_staged(user, staged)
    bad = [r for r in rows if r.problems]
    if bad:
        raise DomainError("excel.unresolved", _("还有 %(n)d 行有问题（第 %(rows)s 行），请修改或跳过后再导入。") % {
            "n": len(bad), "rows": "、".join(str(r.number) for r in bad[:10])})
    skipped = {int(n) for n in staged.skipped}
    todo = [r for r in rows if r.number not in skipped]
    progress.step(_("导入干部"), total=len(todo))
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": len(rows) - len(todo)}
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]
        _apply_batch(user=user, staged=staged, batch=batch, counts=counts)
        progress.advance(len(batch))
    summary = _("新增 %(created)d 人，更新 %(updated)d 人，无变化 %(unchanged)d 人，跳过 %(skipped)d 行。") % counts
    return {**counts, "summary": summary, "next_url": "/people/cadres/", "next_label": _("查看干部名册")}


@transaction.atomic
def _apply_batch(*, user, staged, batch: list[Row], counts: dict) -> None:
    existing = {c.id_number: c for c in _held(r.id_number for r in batch)}
    new, changed, log = [], {}, []
    now = timezone.now()
    for row in batch:
        cadre = existing.get(row.id_number) if existing else None
        if cadre is None:
            new.append(row)
            continue
        data = _values_for_model(row)
        diff = [k for k, value in data.items() if getattr(cadre, k) != value]
        if not diff:
            counts["unchanged"] += 1
            continue
        for k in diff:
            setattr(cadre, k, data[k])
        if "name" in diff:
            cadre.name_pinyin, cadre.name_initials = _search_keys(cadre.name)
            diff += ["name_pinyin", "name_initials"]
        cadre.updated_at = now
        changed[cadre.pk] = (row, cadre, diff)
    if new:
        ids = _insert_new([row.value_tuple() for row in new], now)
        for row in new:
            log.append([row.number, ids[row.id_number], "created"])
        counts["created"] += len(new)
    if changed:
        fields = sorted({f for _r, _c, diff in changed.values() for f in diff} | {"updated_at"})
        Cadre.objects.bulk_update([c for _r, c, _d in changed.values()], fields, batch_size=200)
        for row, cadre, diff in changed.values():
            log.append([row.number, cadre.pk, "updated", sorted(d for d in diff if d not in ("name_pinyin", "name_initials"))])
        counts["updated"] += len(changed)
    if log:
        record_event(kind="exchange.excel.imported", subject=staged, actor=user,
                     payload={"file": staged.filename, "sha256": staged.sha256, "rows": log})


def _held(numbers) -> list[Cadre]:
    """The cadres already holding these ID numbers, locked. Found by one plain query first: the
    ORM spends more time preparing an IN of 10,000 numbers than the database does answering
    it, and in a first import none is there."""
    numbers = list(numbers)
    ops = connection.ops
    sql = (f"SELECT {ops.quote_name('id')} FROM {ops.quote_name(Cadre._meta.db_table)} "
           f"WHERE {ops.quote_name('id_number')} IN ({', '.join(['%s'] * len(numbers))})")
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, numbers)
        ids = [pk for (pk,) in cursor.fetchall()]
    return list(Cadre.objects.filter(pk__in=ids)) if ids else []


@functools.lru_cache(maxsize=20000)
def _search_keys(name: str) -> tuple[str, str]:
    return search_keys(name)  # a county's names repeat: pinyin once per name


class _Columns:
    """The INSERT of new cadres, made once: the row's own columns (``FIELDS``, then the search
    keys and the two stamps) as parameters, and every other column's model default written
    into the statement as a literal, so SQLite binds 23 values a row instead of 42 (the
    defaults are the same for every row; a default that is not text or NULL stays a
    parameter, in ``tail``)."""

    def __init__(self):
        ops = connection.ops
        given = [*FIELDS, "name_pinyin", "name_initials", "created_at", "updated_at"]
        rest = [f for f in Cadre._meta.concrete_fields if not f.primary_key and f.attname not in given]
        tail, placeholders = [], ["%s"] * len(given)
        for f in rest:
            default = f.get_default()
            if f.get_internal_type() == "DateField" and default is not None:
                default = ops.adapt_datefield_value(default)
            literal = _literal(default)
            if literal is None:
                placeholders.append("%s")
                tail.append(default)
            else:
                placeholders.append(literal)
        self.columns = given + [f.attname for f in rest]
        self.tail = tuple(tail)
        fields = {f.attname: f for f in Cadre._meta.concrete_fields}
        self.political_default = fields["political_status"].get_default()
        table = ops.quote_name(Cadre._meta.db_table)
        self.sql = (f"INSERT INTO {table} ({', '.join(ops.quote_name(c) for c in self.columns)}) "
                    f"VALUES ({', '.join(placeholders)})")
        self.after = f"SELECT {ops.quote_name('id')}, {ops.quote_name('id_number')} FROM {table} WHERE {ops.quote_name('id')} > %s"
        self.last = f"SELECT MAX({ops.quote_name('id')}) FROM {table}"


def _literal(value) -> str | None:
    """``value`` as an SQL literal in a statement that also takes parameters (so ``%`` doubled),
    or None when it is not NULL or text."""
    if value is None:
        return "NULL"
    if isinstance(value, str) and "\0" not in value:
        return "'" + value.replace("'", "''").replace("%", "%%") + "'"
    return None


class _Adapted(dict):
    """Dates as the database takes them, each adapted once (a roster's months repeat)."""

    def __init__(self, adapt):
        super().__init__({None: None})
        self.adapt = adapt

    def __missing__(self, day):
        value = self[day] = self.adapt(day)
        return value


def _insert_new(rows: list[tuple], now) -> dict[str, int]:
    """INSERT the new cadres (their checked values, ``Row.value_tuple()``) with one executemany:
    Django's bulk_create spends most of its time compiling each value (REFERENCES: 7–13×
    slower for large loads). A row's parameters are made as one tuple, with what
    ``_values_for_model`` does to the values (text fields "" for None, health 健康 for "",
    political status the default for None); model defaults fill the columns the roster lacks.
    Returns id number → new id: the rows above the largest id before the insert (ids only
    grow, and an ID number is unique, so those holding these numbers are these rows)."""
    c = _Columns()
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    day = _Adapted(ops.adapt_datefield_value)
    political_default, tail = c.political_default, c.tail
    params = []
    append = params.append
    for data in rows:
        # (in FIELDS' order)
        (name, id_number, sex, birth_date, ethnicity, native_place, birthplace, political_status, party_joined,
         work_started, fulltime_education, fulltime_degree, fulltime_education_school, org_unit_id,
         current_post_title, rank_id, rank_since, health, professional_title) = data
        pinyin, initials = _search_keys(name)
        append((name, id_number, sex, day[birth_date], ethnicity, native_place or "", birthplace or "",
                political_default if political_status is None else political_status, day[party_joined],
                day[work_started], fulltime_education or "", fulltime_degree or "", fulltime_education_school or "",
                org_unit_id, current_post_title or "", rank_id, day[rank_since], health or "健康",
                professional_title or "", pinyin, initials, stamp, stamp, *tail))
    # in the cadre list's order: four of the nine indexes begin with the name's pinyin, and
    # keys that come in order are put in faster (a sixth less insert time at 100,000 rows)
    params.sort(key=operator.itemgetter(len(FIELDS)))
    numbers = {data[1] for data in rows}
    with connection.cursor() as cursor:
        cursor.execute(c.last)
        last = cursor.fetchone()[0] or 0
        cursor.executemany(c.sql, params)
        cursor.execute(c.after, [last])
        return {number: pk for pk, number in cursor.fetchall() if number in numbers}


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
