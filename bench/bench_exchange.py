"""Exchange at county scale, on SQLite: importing 100,000 cadres from .xlsx (the whole apply
job: read, check every row, write in batches with ledger events) against python-calamine
reading the same file alone, with each side's peak memory as a fresh process's; exporting
100,000 cadres to .xlsx against openpyxl's write-only mode writing the same cells; writing
10,000 cadres to a zip of LRMX files (the whole job: query, map, write the files and the zip)
against the standard library's ElementTree serialising the same dicts, ready-made, into the
same zip; and the serialisation alone (lrmx.dumps against ElementTree).
Baseline and product interleaved over ROUNDS rounds in one process; the median ratio.

BENCH_EXCHANGE_N and BENCH_EXCHANGE_LRMX_N override 100,000 and 10,000; BENCH_EXCHANGE_ROUNDS the 3
rounds. BENCH_EXCHANGE_ONLY=import measures the import figures alone (the import against
calamine, the checking, both peaks), without the .xlsx export and LRMX."""

import os
import subprocess
import sys
from pathlib import Path

N = int(os.environ.get("BENCH_EXCHANGE_N", 100_000))
LRMX_N = int(os.environ.get("BENCH_EXCHANGE_LRMX_N", 10_000))
ROUNDS = int(os.environ.get("BENCH_EXCHANGE_ROUNDS", 3))
IMPORT_ONLY = os.environ.get("BENCH_EXCHANGE_ONLY", "") == "import"


def main(report):
    from _child import run_child, scope

    others = "" if IMPORT_ONLY else (f"; {N:,} exported to .xlsx vs openpyxl write-only on the same cells; "
                                     f"{LRMX_N:,} cadres exported as LRMX (the zip job) vs ElementTree on the same dicts")
    scope(f"{N:,} cadres imported from .xlsx (start + apply job: check every row, write in batches with ledger "
          f"events; SQLite) vs python-calamine reading the file alone{others}; {ROUNDS} interleaved rounds, "
          f"median ratio; peaks in fresh processes; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    f = run_child(__file__, prefix="exchange")
    report(f"import {N:,} cadres from .xlsx (apply job), median of {ROUNDS}", f["import_s"], "s",
           "python-calamine reading the file alone", f["calamine_s"],
           note=f"median ratio of rounds {f['import_ratio']:.2f}×")
    report("  the preview's check of the same file afterwards (every row now held; not in the figure above)",
           f["check_s"], "s")
    report(f"import peak memory (fresh process, {N:,} rows)", f["import_peak_mb"], "MB",
           "calamine read alone, fresh process", f["calamine_peak_mb"])
    if IMPORT_ONLY:
        return
    report(f"export {N:,} cadres to .xlsx (query + write), median of {ROUNDS}", f["export_s"], "s",
           "openpyxl write-only, the same cells", f["openpyxl_s"],
           note=f"median ratio of rounds {f['export_ratio']:.2f}×")
    report(f"LRMX: {LRMX_N:,} cadres exported as a zip, the whole job the user waits for (query + map + write "
           f"the files and the zip), median of {ROUNDS}", f["lrmx_job_s"], "s",
           "ElementTree on the same dicts, the same files zipped", f["etree_zip_s"],
           note=f"median ratio of interleaved rounds {f['lrmx_job_ratio']:.2f}× (headline)")
    report(f"  LRMX: the serialisation alone, {LRMX_N:,} files by lrmx.dumps", f["lrmx_s"], "s",
           "xml.etree.ElementTree on the same dicts", f["etree_s"],
           note=f"median ratio of interleaved rounds {f['lrmx_ratio']:.2f}×")


# ---- the child ------------------------------------------------------------------------------

HEADER = None


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _write_roster(path: Path, n: int) -> None:
    import datetime as dt
    import random

    from openpyxl import Workbook

    from gongxin.exchange import excel_rows
    from gongxin.people import idnumber

    rng = random.Random(11)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("干部名册")
    ws.append([h for _f, h, _o in excel_rows.COLUMNS])
    seen = set()
    surnames, given = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张", "文华建国志强秀英桂兰明丽军平海燕"
    for i in range(n):
        sex = "M" if i % 2 else "F"
        while True:
            birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 12500))
            number = idnumber.make(f"3716{rng.randrange(10, 99)}", birth, sex, rng)
            if number not in seen:
                seen.add(number)
                break
        ws.append([rng.choice(surnames) + rng.choice(given) + rng.choice(given), number, "男" if sex == "M" else "女",
                   f"{birth:%Y.%m}", "汉族", "山东惠民", "山东滨州", "中共党员", f"{birth.year + 23}.07",
                   f"{birth.year + 22}.07", "大学本科", "学士", "山东大学", f"第{i % 40}镇", "科员", "一级科员",
                   f"{birth.year + 28}.01", "健康", ""])
    wb.save(path)


def _setup():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from gongxin.accounts.models import User
    from gongxin.accounts.roles import DataScope, Role
    from gongxin.people import actions
    from gongxin.people.models import OrgUnitKind

    root = actions.create_org_unit(acting_user=None, name="县委", kind=OrgUnitKind.ORGAN)
    for i in range(40):
        actions.create_org_unit(acting_user=None, name=f"第{i}镇", kind=OrgUnitKind.TOWNSHIP, parent=root)
    user = User.objects.create_user(username="bench", password="x" * 12, role=Role.ORG_ADMIN,
                                    data_scope=DataScope.ALL, full_name="bench")
    user.org_units.set([root])
    return user


def _import_once(user, path: Path) -> tuple[float, float]:
    """The whole apply job through the runner; returns (seconds, seconds checking rows)."""
    import time

    from gongxin.exchange import actions, excel_import, excel_rows

    data = path.read_bytes()
    staged = actions.stage_upload(acting_user=user, kind="excel", filename=path.name, data=data)
    header = excel_rows.read_sheet(path)[0]
    actions.set_mapping(acting_user=user, staged=staged, mapping=excel_rows.guess_mapping(header))
    from gongxin.jobs.runner import run_job

    started = time.perf_counter()
    job = actions.start_excel_import(acting_user=user, staged=staged)
    status = run_job(job.pk, 1)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    assert status == "succeeded" and job.result["created"] == N, (status, job.error, job.result)
    t = time.perf_counter()
    excel_import.check_staged(user, staged)  # (the rows exist now: the same work, matched)
    return elapsed, time.perf_counter() - t


def _wipe_cadres() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM people_cadre")


def _etree(records) -> list[bytes]:
    import base64
    from xml.etree import ElementTree as ET

    from gongxin.exchange import lrmx

    out = []
    for record in records:
        root = ET.Element("Person")
        for name in lrmx.ELEMENTS:
            el = ET.SubElement(root, name)
            if name == lrmx.FAMILY:
                for item in record[name]:
                    it = ET.SubElement(el, "Item")
                    for field in lrmx.FAMILY_ELEMENTS:
                        ET.SubElement(it, field).text = item[field]
            elif name == "ZhaoPian":
                el.text = base64.b64encode(record[name]).decode()
            else:
                el.text = record[name]
        out.append(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    return out


def child() -> None:
    import statistics
    import tempfile
    import time

    from _child import emit

    user = _setup()
    from gongxin.core.gcpause import gc_paused
    from gongxin.exchange import excel_import, excel_rows, lrmx, people_map
    from gongxin.exchange.excel_rows import read_sheet
    from gongxin.people.export import cadres_to_xlsx
    from gongxin.people.models import Cadre

    tmp = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    path = tmp / "roster.xlsx"
    _write_roster(path, N)

    imports, checks, reads, exports, writes = [], [], [], [], []
    qs = Cadre.objects.select_related("org_unit", "rank").order_by("pk")

    def read():
        # the collector paused, as in a process doing nothing else: here it would walk this
        # process's few hundred thousand objects (Django, the set-up) each time the read's
        # allocations trigger it, half as long again as calamine alone takes (the import
        # pauses it itself, so it is not slowed so)
        t = time.perf_counter()
        with gc_paused():
            rows = read_sheet(path)
        reads.append(time.perf_counter() - t)
        assert len(rows) == N + 1

    def product():
        _wipe_cadres()
        # each round a first import, as in a fresh worker: the import's memos of pinyin and
        # months would otherwise carry the first round's work into the next
        excel_import._search_keys.cache_clear()
        excel_rows._month.cache_clear()
        seconds, check = _import_once(user, path)
        imports.append(seconds)
        checks.append(check)

    def export():
        t = time.perf_counter()
        cadres_to_xlsx(qs, show_id_numbers=True)
        exports.append(time.perf_counter() - t)

    def openpyxl_write():
        cells = [[c.name, c.get_sex_display(), f"{c.birth_date:%Y.%m}", c.age, c.ethnicity,
                  c.get_political_status_display(), c.get_fulltime_education_display(), c.org_unit.name,
                  c.current_post_title, c.rank.name if c.rank_id else "",
                  f"{c.work_started:%Y.%m}" if c.work_started else "", c.id_number] for c in qs.iterator(2000)]
        t = time.perf_counter()
        _openpyxl_write(cells)
        writes.append(time.perf_counter() - t)

    for round_ in range(ROUNDS):  # interleaved: which of each pair goes first alternates
        first = round_ % 2 == 0
        for fn in ((read, product) if first else (product, read)):
            fn()
        if not IMPORT_ONLY:
            for fn in ((openpyxl_write, export) if first else (export, openpyxl_write)):
                fn()
        print(f"round {round_}: import {imports[-1]:.1f} s, calamine {reads[-1]:.2f} s"
              + ("" if IMPORT_ONLY else f", export {exports[-1]:.1f} s, openpyxl {writes[-1]:.1f} s"),
              file=sys.stderr, flush=True)
    emit("import_ratio", statistics.median(i / r for i, r in zip(imports, reads, strict=True)))
    emit("import_s", statistics.median(imports))
    emit("check_s", statistics.median(checks))
    emit("calamine_s", statistics.median(reads))
    if IMPORT_ONLY:
        _peaks(tmp, path)
        return
    emit("export_ratio", statistics.median(e / w for e, w in zip(exports, writes, strict=True)))
    emit("export_s", statistics.median(exports))
    emit("openpyxl_s", statistics.median(writes))

    # LRMX: 10,000 cadres with resume lines and family, dumps vs ElementTree on the same dicts
    sample = list(Cadre.objects.order_by("pk").values_list("pk", flat=True)[:LRMX_N])
    _add_resume_and_family(sample)
    qs = Cadre.objects.filter(pk__in=sample).prefetch_related("resume_entries", "relations")
    cadres = list(qs)  # (in the cadre list's order, name_pinyin then pk)
    records = [people_map.cadre_to_record(c, c.resume_entries.all(), c.relations.all()) for c in cadres]
    from _child import interleaved

    out = {}

    def dumps():
        out["a"] = [lrmx.dumps(r) for r in records]

    def etree():
        out["b"] = _etree(records)

    theirs, mine, lrmx_ratio = interleaved(etree, dumps, rounds=ROUNDS)
    a, b = out["a"], out["b"]
    assert len(a) == len(b) == LRMX_N
    assert lrmx.loads(a[0]) == lrmx.loads(b[0]) == records[0]

    # the whole export: the job as the page starts it (the ids in the cadre list's order)
    # against ElementTree given the same dicts ready-made, writing the same files into the
    # same kind of zip and the zip to a file
    from gongxin.exchange.exports import file_stem
    from gongxin.jobs.actions import start_job
    from gongxin.jobs.runner import run_job

    ordered = [c.pk for c in cadres]
    given = [(f"{file_stem(c)}.lrmx", record) for c, record in zip(cadres, records, strict=True)]

    def job():
        started = start_job(acting_user=user, kind="exchange.lrmx_export", title="bench",
                            func="gongxin.exchange.exports.lrmx_zip_job", params={"cadre_ids": ordered}, total=LRMX_N)
        t = time.perf_counter()
        assert run_job(started.pk, 1) == "succeeded"
        return time.perf_counter() - t

    def etree_zip():
        import io
        import zipfile

        t = time.perf_counter()
        files = _etree([record for _name, record in given])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for (name, _record), data in zip(given, files, strict=True):
                archive.writestr(name, data)
        (tmp / "etree-lrmx.zip").write_bytes(buffer.getvalue())
        return time.perf_counter() - t

    etree_zips, jobs, job_ratio = interleaved(etree_zip, job, rounds=ROUNDS)
    emit("lrmx_s", statistics.median(mine))
    emit("etree_s", statistics.median(theirs))
    emit("lrmx_ratio", lrmx_ratio)
    emit("lrmx_job_s", statistics.median(jobs))
    emit("etree_zip_s", statistics.median(etree_zips))
    emit("lrmx_job_ratio", job_ratio)

    _peaks(tmp, path)


def _peaks(tmp: Path, path: Path) -> None:
    """Peak memory, each side alone in a fresh process; then the child's files removed."""
    from _child import emit

    emit("import_peak_mb", _fresh_peak("import", path))
    emit("calamine_peak_mb", _fresh_peak("calamine", path))
    import shutil

    from django.db import connections

    shutil.rmtree(tmp, ignore_errors=True)
    connections.close_all()
    shutil.rmtree(os.environ["GONGXIN_DATA_DIR"], ignore_errors=True)  # this child's throwaway database


def _openpyxl_write(cells) -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("干部名册")
    ws.append(["姓名", "性别", "出生年月", "年龄", "民族", "政治面貌", "全日制学历", "工作单位", "现任职务", "职级",
               "参加工作时间", "公民身份号码"])
    for row in cells:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _add_resume_and_family(pks) -> None:
    import datetime as dt

    from gongxin.people.models import Relation, ResumeEntry

    entries, relations = [], []
    for pk in pks:
        entries += [ResumeEntry(cadre_id=pk, start=dt.date(2000, 9, 1), end=dt.date(2004, 7, 1), description="山东大学法学院法学专业学习"),
                    ResumeEntry(cadre_id=pk, start=dt.date(2004, 7, 1), end=dt.date(2015, 1, 1), description="惠民县财政局科员"),
                    ResumeEntry(cadre_id=pk, start=dt.date(2015, 1, 1), end=None, description="第一镇副镇长")]
        relations += [Relation(cadre_id=pk, kind="spouse", title="妻子", name="王秀英", birth="198203",
                               political_status="中共党员", work_unit_and_post="惠民县教育局干部"),
                      Relation(cadre_id=pk, kind="son", title="儿子", name="张一鸣", birth="201005",
                               political_status="群众", work_unit_and_post="学生"),
                      Relation(cadre_id=pk, kind="father", title="父亲", name="张德山", birth="195811",
                               political_status="中共党员", work_unit_and_post="退休")]
    ResumeEntry.objects.bulk_create(entries, batch_size=500)
    Relation.objects.bulk_create(relations, batch_size=500)


def _fresh_peak(what: str, path: Path) -> float:
    folder = Path(os.environ["GONGXIN_DATA_DIR"]) / f"peak-{what}"
    folder.mkdir(parents=True, exist_ok=True)  # (its own database, inside this child's throwaway folder)
    env = dict(os.environ, GONGXIN_DATA_DIR=str(folder))
    out = subprocess.run([sys.executable, __file__, "--peak", what, str(path)], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return float(out.stdout.strip().splitlines()[-1])


def peak(what: str, path: str) -> None:
    if what == "calamine":
        from gongxin.exchange.excel_rows import read_sheet

        read_sheet(path)
    else:
        user = _setup()
        _import_once(user, Path(path))
    print(_peak_mb())


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if "--child" in sys.argv:
        child()
    elif "--peak" in sys.argv:
        peak(sys.argv[2], sys.argv[3])
