"""The score sheet import: every row's problem in Chinese before anything is saved; nothing
saved until each bad row is fixed or explicitly skipped; applied by a job; one ledger event
naming the file."""

import io

import pytest
from openpyxl import Workbook

from gongxin.core.errors import DomainError
from gongxin.exams import actions, importing, sheet
from gongxin.exams.ranking import ABSENT
from gongxin.jobs.runner import run_job
from gongxin.ledger.models import Event

pytestmark = pytest.mark.django_db


def xlsx(rows, header=("准考证号", "姓名", "成绩")) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def written_exam(announce, cast, qualified):
    admin = cast["users"]["org_admin"]
    exam = announce(with_case=False)
    post = exam.posts.get()
    regs = [actions.register_cadre(acting_user=None, exam=exam, exam_post=post, cadre=qualified(cast["lizhuang"], n))
            for n in ("甲一", "乙二", "丙三", "丁四")]
    actions.close_registration(acting_user=admin, exam=exam)
    actions.issue_admission_tickets(acting_user=admin, exam=exam)
    for r in regs:
        r.refresh_from_db()
    return exam, regs, admin


def test_sheet_lists_every_rows_problem_in_chinese():
    tickets = {"A1": (1, "甲一", None), "A2": (2, "乙二", None), "A3": (3, "丙三", 7000)}
    rows = [["A1", "甲一", 88.5], ["A9", "某某", 70], ["A2", "乙三", "八十"], ["A1", "甲一", 60],
            ["A3", "丙三", 80], ["A2", "乙二", None], [None, None, None]]
    out = sheet.check_rows(rows, {"ticket_number": 0, "name": 1, "score": 2}, tickets)
    assert len(out) == 6  # the blank line is not a row
    assert out[0].problems == [] and out[0].score == 8850 and out[0].registration == 1
    text = {r.number: " / ".join(m % a if a else m for m, a in r.problems) for r in out}
    assert "准考证号 A9 不是本次考试的考生" in text[3]
    assert "姓名“乙三”与准考证号 A2 的考生“乙二”不符" in text[4] and "成绩“八十”不是" in text[4]
    assert "与第 2 行重复" in text[5]
    assert "已录入成绩 70.00" in text[6]
    assert "成绩为空" in text[7] and "空白不当作 0 分" in text[7]


def test_nothing_is_saved_until_the_bad_row_is_fixed(written_exam):
    exam, regs, admin = written_exam
    t = [r.ticket_number for r in regs]
    data = xlsx([(t[0], "甲一", 90), (t[1], "乙二", "9O"), (t[2], "丙三", "缺考"), (t[3], "丁四", 75.25)])
    staged = importing.stage_score_import(acting_user=admin, exam=exam, component="written", filename="笔试.xlsx",
                                          data=data)
    rows = importing.check_staged(staged)
    assert [r.number for r in importing.unresolved(rows)] == [3]
    assert "成绩“9O”不是最多两位小数的数字" in importing.problems_text(rows[1])[0]
    with pytest.raises(DomainError) as exc:
        importing.start_score_import(acting_user=admin, staged=staged)
    assert "第 3 行" in exc.value.message
    assert not exam.registrations.filter(written_score__isnull=False).exists()
    # fixed in the preview: the file itself is not changed, the fix is applied on top
    importing.fix_row(acting_user=admin, staged=staged, number=3, values={"score": "90"})
    job = importing.start_score_import(acting_user=admin, staged=staged)
    assert importing.start_score_import(acting_user=admin, staged=staged) == job  # a double submit
    run_job(job.pk, 1)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    scores = dict(exam.registrations.values_list("ticket_number", "written_score"))
    assert [scores[x] for x in t] == [9000, 9000, ABSENT, 7525]
    ev = Event.objects.get(kind="exams.scores.recorded")
    assert staged.sha256.encode() in bytes(ev.data) and "笔试.xlsx".encode() in bytes(ev.data)


def test_a_skipped_bad_row_is_left_out_and_said_so(written_exam):
    exam, regs, admin = written_exam
    t = [r.ticket_number for r in regs]
    staged = importing.stage_score_import(acting_user=admin, exam=exam, component="written", filename="s.xlsx",
                                          data=xlsx([(t[0], "甲一", 90), ("X1", "外人", 80)]))
    importing.skip_row(acting_user=admin, staged=staged, number=3)
    job = importing.start_score_import(acting_user=admin, staged=staged)
    run_job(job.pk, 1)
    job.refresh_from_db()
    assert job.status == "succeeded" and "跳过 1 行" in job.result["summary"]
    assert exam.registrations.filter(written_score__isnull=False).count() == 1


def test_a_sheet_without_the_columns_is_refused_at_upload(written_exam):
    exam, _regs, admin = written_exam
    with pytest.raises(DomainError) as exc:
        importing.stage_score_import(acting_user=admin, exam=exam, component="written", filename="x.xlsx",
                                     data=xlsx([("1", "2")], header=("编号", "名字")))
    assert "准考证号" in exc.value.message


def test_interview_scores_cannot_be_imported_in_the_written_stage(written_exam):
    exam, _regs, admin = written_exam
    with pytest.raises(DomainError):
        importing.stage_score_import(acting_user=admin, exam=exam, component="interview", filename="x.xlsx",
                                     data=xlsx([]))


def test_the_ledger_event_lets_a_verifier_check_the_scores_written(written_exam):
    """The event names the file (SHA-256), the fixes typed and a digest of every score
    written: recomputed from the registrations, it matches; one score changed, it does not."""
    import json

    exam, regs, admin = written_exam
    t = [r.ticket_number for r in regs]
    staged = importing.stage_score_import(acting_user=admin, exam=exam, component="written", filename="s.xlsx",
                                          data=xlsx([(t[0], "甲一", 90), (t[1], "乙二", "9O"), (t[2], "丙三", "缺考")]))
    importing.fix_row(acting_user=admin, staged=staged, number=3, values={"score": "66.5"})
    run_job(importing.start_score_import(acting_user=admin, staged=staged).pk, 1)
    payload = json.loads(bytes(Event.objects.get(kind="exams.scores.recorded").data))["payload"]
    assert payload["source"]["sha256"] == staged.sha256 and payload["source"]["fixes"] == {"3": {"score": "66.5"}}
    assert payload["written"] == 3 and "scores" not in payload
    held = list(exam.registrations.exclude(written_score=None).values_list("ticket_number", "written_score"))
    assert sorted(held) == sorted([(t[0], 9000), (t[1], 6650), (t[2], ABSENT)])
    assert actions.scores_digest(held) == payload["scores_sha256"]
    assert actions.scores_digest([(t[0], 9001), *held[1:]]) != payload["scores_sha256"]


def test_the_job_checks_every_row_again_when_a_registration_changed_after_the_preview(written_exam):
    """A clean preview keeps its result; a score entered on the page before the job runs
    changes the registrations, so the job checks again and refuses, saving nothing."""
    exam, regs, admin = written_exam
    t = [r.ticket_number for r in regs]
    staged = importing.stage_score_import(acting_user=admin, exam=exam, component="written", filename="s.xlsx",
                                          data=xlsx([(t[0], "甲一", 90), (t[1], "乙二", 80)]))
    assert not importing.check_sheet(staged).unresolved  # the preview: nothing to fix
    job = importing.start_score_import(acting_user=admin, staged=staged)
    actions.record_scores(acting_user=admin, exam=exam, component="written", scores={regs[0].pk: 5000})
    run_job(job.pk, 1)
    job.refresh_from_db()
    assert job.status == "failed" and "第 2 行" in job.error
    assert dict(exam.registrations.values_list("ticket_number", "written_score"))[t[1]] is None


def test_the_job_takes_the_previews_result_only_for_the_same_fixes(written_exam):
    """A fix typed after a clean preview is a new state: the start checks again."""
    exam, regs, admin = written_exam
    t = [r.ticket_number for r in regs]
    staged = importing.stage_score_import(acting_user=admin, exam=exam, component="written", filename="s.xlsx",
                                          data=xlsx([(t[0], "甲一", 90), (t[1], "乙二", 80)]))
    assert not importing.check_sheet(staged).unresolved
    importing.fix_row(acting_user=admin, staged=staged, number=3, values={"score": "八十"})
    with pytest.raises(DomainError) as exc:
        importing.start_score_import(acting_user=admin, staged=staged)
    assert "第 3 行" in exc.value.message


def _random_sheet(rng):
    """Tickets held and a sheet's text columns, mostly clean, with now and then each thing a
    row can get wrong."""
    n = rng.randrange(0, 12)
    tickets = {f"T{i}": (100 + i, f"人{i}", None) for i in range(n + 3)}
    if rng.random() < 0.3:
        tickets["T0"] = (100, "人0", rng.choice([8000, 9050, ABSENT]))
    cols = [[], [], []]
    for i in range(n):
        t, name, score = f"T{i}", f"人{i}", rng.choice(["80", "90.5", "缺考", "取消资格", "100", "0"])
        roll = rng.random()
        if roll < 0.05:
            t = "X9"
        elif roll < 0.10:
            t = f"T{max(0, i - 1)}"
        elif roll < 0.15:
            name = "别人"
        elif roll < 0.20:
            name = ""
        elif roll < 0.25:
            score = rng.choice(["", "9O", "-1", "1000.01", "80.555"])
        elif roll < 0.28:
            t = name = score = ""
        for col, value in zip(cols, (t, name, score), strict=True):
            col.append(value)
    fixes = {}
    if n and rng.random() < 0.3:
        fixes[str(rng.randrange(2, n + 2))] = rng.choice([{"score": "75"}, {"ticket_number": f"T{n}"}, {}])
    skipped = {rng.randrange(2, n + 2)} if n and rng.random() < 0.2 else set()
    return cols, tickets, fixes, skipped


def test_the_column_check_says_what_the_row_check_says():
    """The clean sheet's column passes against the registrations' columns (``sheet.Held``, in
    another order than the ticket lookup's) and the row-by-row check give the same result (scores, counts, every bad
    row with its problems, the rows listed) on sheets with every kind of problem, fixes and
    skips."""
    import random

    rng = random.Random(15)
    clean = 0
    for _ in range(600):
        cols, tickets, fixes, skipped = _random_sheet(rng)
        keep = rng.choice([None, 0, 3])
        slow = sheet.check_texts(list(zip(*cols, strict=True)), tickets, fixes=fixes, skipped=skipped, keep=keep)
        items = list(tickets.items())
        rng.shuffle(items)  # (the columns in another order than the lookup's)
        held = sheet.Held.of_rows([(k[0], t, k[1], k[2]) for t, k in items])
        assert held.lookup() == tickets
        fast = sheet.check_columns(cols, held, fixes=fixes, skipped=skipped, keep=keep)
        assert (fast.count, fast.skipped, fast.scores, fast.bad, fast.listed) == \
               (slow.count, slow.skipped, slow.scores, slow.bad, slow.listed)
        assert list(fast.scores.items()) == list(slow.scores.items())  # (the same order)
        clean += not slow.bad
    assert 50 < clean < 550  # (both kinds of sheet were drawn)


@pytest.mark.parametrize("component", ["written", "interview"])
def test_the_registrations_as_columns_are_those_read_as_rows(written_exam, component):
    """``scorable_columns`` (one joined text a column on SQLite) holds what ``scorable_held``
    reads row by row: the ids, tickets and names in the same order, the scores held; a name
    holding the separator is read as rows instead, whole."""
    exam, regs, admin = written_exam
    actions.record_scores(acting_user=admin, exam=exam, component="written", scores={regs[1].pk: 8150, regs[3].pk: ABSENT})
    if component == "interview":
        actions.Registration.objects.filter(pk=regs[0].pk).update(outcome=actions.Outcome.NOT_INVITED)
        actions.Registration.objects.filter(pk=regs[2].pk).update(interview_score=9000)
    actions.Registration.objects.filter(pk=regs[3].pk).update(name="丁\x1f四")
    for rename in (False, True):
        if rename:
            actions.Registration.objects.filter(pk=regs[3].pk).update(name="丁四")
        rows = actions.scorable_held(exam, component)
        held = actions.scorable_columns(exam, component)
        assert (held.ids, held.tickets, held.names) == tuple(list(column) for column in zip(*rows, strict=True))[:3]
        assert held.scores == {pk: old for pk, _t, _n, old in rows if old is not None}
        assert held == sheet.Held.of_rows(rows)
    assert len(held.ids) == (3 if component == "interview" else 4)
    exam.registrations.update(status=actions.RegistrationStatus.WITHDRAWN)
    assert actions.scorable_columns(exam, component) == sheet.Held([], [], [], {})


def test_the_text_columns_are_those_of_the_row_by_row_reading():
    rows = [[" A1 ", "甲", 88.5], ["A2", None, 90.0], [12, "乙 ", "缺考"], ["A4", "丙", None], ["A5", "丁", True],
            ["A6", "戊", 1.0]]
    columns = {"ticket_number": 0, "name": 1, "score": 2}
    assert sheet.text_lists(rows, columns) == [[sheet.text(r[i]) for r in rows] for i in range(3)]
    assert sheet.text_lists(rows, columns)[2] == ["88.5", "90", "缺考", "", "True", "1"]


def test_a_reimport_of_the_same_sheet_changes_nothing(written_exam):
    """The same sheet imported again: every row holds that score already, nothing is written
    and no event recorded."""
    exam, regs, admin = written_exam
    t = [r.ticket_number for r in regs]
    data = xlsx([(t[0], "甲一", 90), (t[1], "乙二", "缺考"), (t[2], "丙三", 70.5)])
    for round_ in range(2):
        staged = importing.stage_score_import(acting_user=admin, exam=exam, component="written", filename="s.xlsx",
                                              data=data)
        assert not importing.check_sheet(staged).unresolved
        job = importing.start_score_import(acting_user=admin, staged=staged)
        run_job(job.pk, 1)
        job.refresh_from_db()
        assert job.status == "succeeded", job.error
        assert job.result["written"] == (3 if round_ == 0 else 0)
    assert Event.objects.filter(kind="exams.scores.recorded").count() == 1
    scores = dict(exam.registrations.values_list("ticket_number", "written_score"))
    assert [scores[x] for x in t] == [9000, ABSENT, 7050, None]


def test_the_kept_texts_are_read_again_from_the_file_when_not_whole(written_exam):
    from django.core.files.storage import default_storage

    exam, regs, admin = written_exam
    t = [r.ticket_number for r in regs]
    staged = importing.stage_score_import(acting_user=admin, exam=exam, component="written", filename="s.xlsx",
                                          data=xlsx([(t[0], "甲一", 90), (t[1], "乙二", 80)]))
    name = importing._texts_name(staged.sha256)
    with default_storage.open(name, "rb") as handle:
        whole = handle.read()
    default_storage.delete(name)
    default_storage.save(name, io.BytesIO(whole[:-3]))  # cut short
    assert [r.ticket_number for r in importing.check_staged(staged)] == t[:2]
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == whole  # (made again from the file)


def test_a_kept_file_that_is_not_the_one_uploaded_is_refused(written_exam):
    """The texts gone, the file is read again: if it is not the one uploaded (the SHA-256
    the ledger event would name), nothing is checked or saved."""
    from django.core.files.storage import default_storage

    exam, regs, admin = written_exam
    t = [r.ticket_number for r in regs]
    staged = importing.stage_score_import(acting_user=admin, exam=exam, component="written", filename="s.xlsx",
                                          data=xlsx([(t[0], "甲一", 90)]))
    default_storage.delete(importing._texts_name(staged.sha256))
    with open(staged.file.path, "wb") as handle:
        handle.write(xlsx([(t[0], "甲一", 60)]))
    with pytest.raises(DomainError) as exc:
        importing.check_sheet(staged)
    assert exc.value.code == "excel.changed" and "SHA-256" in exc.value.message


def _clean_preview(exam, admin, rows):
    staged = importing.stage_score_import(acting_user=admin, exam=exam, component="written", filename="s.xlsx",
                                          data=xlsx(rows))
    assert not importing.check_sheet(staged).unresolved  # the preview: nothing to fix
    return staged, importing.start_score_import(acting_user=admin, staged=staged)


def test_the_job_writes_a_clean_previews_result_without_reading_every_registration_again(written_exam, monkeypatch):
    exam, regs, admin = written_exam
    t = [r.ticket_number for r in regs]
    _staged, job = _clean_preview(exam, admin, [(t[0], "甲一", 90), (t[1], "", 80)])
    monkeypatch.setattr(actions, "scorable_held", lambda *a, **k: pytest.fail("read every registration again"))
    run_job(job.pk, 1)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["written"] == 2, job.error
    scores = dict(exam.registrations.values_list("ticket_number", "written_score"))
    assert [scores[x] for x in t] == [9000, 8000, None, None]


@pytest.mark.parametrize("change", ["name", "withdrawn", "score"])
def test_the_job_refuses_when_a_registration_the_preview_read_changed(written_exam, change):
    """After a clean preview: a name changed (the sheet names the person), a registration
    withdrawn, or a score held already (the same as the sheet's at the preview) corrected:
    the job's write matches fewer rows than the check kept, so nothing is written and every
    row is checked again, which refuses, naming the row."""
    exam, regs, admin = written_exam
    t = [r.ticket_number for r in regs]
    actions.record_scores(acting_user=admin, exam=exam, component="written", scores={regs[2].pk: 7000})
    _staged, job = _clean_preview(exam, admin, [(t[0], "甲一", 90), (t[1], "乙二", 80), (t[2], "丙三", 70)])
    if change == "name":
        actions.Registration.objects.filter(pk=regs[1].pk).update(name="乙三")
    elif change == "withdrawn":
        actions.Registration.objects.filter(pk=regs[1].pk).update(status=actions.RegistrationStatus.WITHDRAWN)
    else:
        actions.Registration.objects.filter(pk=regs[2].pk).update(written_score=6000)
    run_job(job.pk, 1)
    job.refresh_from_db()
    assert job.status == "failed" and ("第 4 行" if change == "score" else "第 3 行") in job.error
    scores = dict(exam.registrations.values_list("ticket_number", "written_score"))
    assert scores[t[0]] is None and scores[t[1]] is None  # (the rows matched before the change found: rolled back)
    assert Event.objects.filter(kind="exams.scores.recorded").count() == 1  # (the score entered on the page)


def test_the_job_writes_after_a_change_the_sheet_does_not_care_about(written_exam):
    """A name changed after the preview of a row whose name the sheet leaves blank: the
    write matches fewer rows, every row is checked again, and it is still clean: written."""
    exam, regs, admin = written_exam
    t = [r.ticket_number for r in regs]
    _staged, job = _clean_preview(exam, admin, [(t[0], "甲一", 90), (t[1], "", 80)])
    actions.Registration.objects.filter(pk=regs[1].pk).update(name="乙三")
    run_job(job.pk, 1)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["written"] == 2, job.error
    assert Event.objects.filter(kind="exams.scores.recorded").count() == 1


def test_a_kept_check_cut_short_is_not_used(written_exam):
    """The job writes what the clean preview kept only if it is whole; cut short, the job
    checks every row again and writes them all."""
    from django.core.files.storage import default_storage

    exam, regs, admin = written_exam
    t = [r.ticket_number for r in regs]
    staged = importing.stage_score_import(acting_user=admin, exam=exam, component="written", filename="s.xlsx",
                                          data=xlsx([(t[0], "甲一", 90), (t[1], "乙二", 80)]))
    assert not importing.check_sheet(staged).unresolved
    name = importing._checked_name(staged)
    with default_storage.open(name, "rb") as handle:
        whole = handle.read()
    assert len(importing._kept_check(staged).changed) == 2
    default_storage.delete(name)
    default_storage.save(name, io.BytesIO(whole[:-16]))
    assert importing._kept_check(staged) is None
    job = importing.start_score_import(acting_user=admin, staged=staged)
    run_job(job.pk, 1)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["written"] == 2


def test_a_sheet_with_only_its_header_is_read_from_the_kept_texts(written_exam):
    exam, _regs, admin = written_exam
    staged = importing.stage_score_import(acting_user=admin, exam=exam, component="written", filename="s.xlsx",
                                          data=xlsx([]))
    assert importing._kept_texts(staged) == [[], [], []]
    checked = importing.check_sheet(staged)
    assert checked.count == 0 and not checked.bad
