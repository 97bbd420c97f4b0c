"""Issue 12, item 9: a big electorate upload held SQLite's one write lock while it was read
(267 s for 300,000 rows) and a vote meanwhile failed. The sheet is now read and checked with no
transaction open, cadres are looked up in batches, a sheet beyond the row cap is refused with a
clear message before it is read to the end, and only the insert is a (short) transaction."""

import io

import pytest
from django.db import connection
from openpyxl import Workbook

from gongxin.core.errors import DomainError
from gongxin.meetings import actions
from gongxin.people.models import Cadre


def _sheet(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


@pytest.mark.django_db(transaction=True)
def test_the_sheet_is_read_with_no_transaction_holding_the_write_lock(cast, draft_meeting, make_cadre, monkeypatch):
    people = [make_cadre(cast["lizhuang"], name=f"导入{i}") for i in range(5)]
    seen = []
    real = actions.read_elector_sheet

    def watching(file, cadres_qs):
        seen.append(connection.in_atomic_block)
        return real(file, cadres_qs)

    monkeypatch.setattr(actions, "read_elector_sheet", watching)
    added = actions.import_electors(acting_user=cast["users"]["clerk"], meeting=draft_meeting,
                                    file=_sheet([[p.name, p.id_number] for p in people]), cadres_qs=Cadre.objects.all())
    assert added == 5 and seen == [False]


def test_lookups_are_batched_not_one_query_per_row(cast, draft_meeting, make_cadre, django_assert_max_num_queries):
    people = [make_cadre(cast["lizhuang"], name=f"批量{i}") for i in range(40)]
    with django_assert_max_num_queries(4):
        found, errors = actions.read_elector_sheet(_sheet([[p.name, p.id_number] for p in people]),
                                                   Cadre.objects.all())
    assert errors == [] and len(found) == 40


def test_a_sheet_over_the_row_cap_is_refused_with_a_clear_message(cast, draft_meeting, monkeypatch):
    monkeypatch.setattr(actions, "MAX_ELECTOR_ROWS", 3)
    with pytest.raises(DomainError) as err:
        actions.import_electors(acting_user=cast["users"]["clerk"], meeting=draft_meeting,
                                file=_sheet([[f"某{i}", None] for i in range(4)]), cadres_qs=Cadre.objects.all())
    assert err.value.code == "meeting.import_too_large" and "一次最多导入 3 名" in err.value.message
    assert draft_meeting.electors.count() == 6  # nothing added
