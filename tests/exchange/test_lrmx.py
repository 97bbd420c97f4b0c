"""LRMX (DOMAIN §6): the national element order and formats, lossless round trips, and bad
files refused naming the element with nothing saved."""

import base64
import datetime as dt
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongxin.exchange import lrmx, people_map
from gongxin.exchange.actions import import_lrmx
from gongxin.exchange.lrmx_import import preview, read_upload
from gongxin.ledger.models import Event
from gongxin.people import idnumber
from gongxin.people.models import Cadre

HERE = Path(__file__).parent

# ---- the pure module ------------------------------------------------------------------------

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)
months = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 1)).map(lambda d: f"{d:%Y%m}")
resume_lines = st.lists(st.tuples(st.dates(dt.date(1950, 1, 1), dt.date(2030, 1, 1)), st.booleans(),
                                  st.text(alphabet="学习工作李庄镇财政局科员副书记ABC0123", min_size=1, max_size=20)),
                        max_size=6)


@st.composite
def records(draw):
    birth = draw(st.dates(dt.date(1950, 1, 1), dt.date(2005, 12, 31)))
    sex = draw(st.sampled_from("MF"))
    number = idnumber.make("371621", birth, sex, __import__("random").Random(draw(st.integers(0, 10**6))))
    record = lrmx.empty_record()
    for name in lrmx.ELEMENTS:
        if name not in (lrmx.FAMILY, "ZhaoPian"):
            record[name] = draw(text).strip()
    record["XingMing"] = draw(st.text(alphabet="赵钱孙李周吴郑王", min_size=2, max_size=4))
    record["XingBie"] = "男" if sex == "M" else "女"
    record["ChuShengNianYue"] = f"{birth:%Y%m}"
    record["CanJiaGongZuoShiJian"] = draw(months)
    record["TianBiaoShiJian"] = draw(months)
    record["JiSuanNianLingShiJian"] = f"{draw(st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))):%Y%m%d}"
    record["ShenFenZheng"] = number
    record["JianLi"] = "\n".join(
        lrmx.resume_line(start.replace(day=1), start.replace(day=1) if closed else None, desc)
        for start, closed, desc in draw(resume_lines))
    record[lrmx.FAMILY] = [
        {"ChengWei": draw(text).strip(), "XingMing": draw(text).strip(), "ChuShengRiQi": draw(months),
         "ZhengZhiMianMao": draw(text).strip(), "GongZuoDanWeiJiZhiWu": draw(text).strip()}
        for _ in range(draw(st.integers(0, 6)))]
    record["ZhaoPian"] = draw(st.binary(max_size=200))
    return record


@settings(max_examples=150, deadline=None)
@given(records())
def test_any_record_survives_a_round_trip(record):
    assert lrmx.loads(lrmx.dumps(record)) == record


def test_elements_are_in_the_national_order_under_person():
    record = lrmx.empty_record() | {"XingMing": "张三", "ShenFenZheng": idnumber.make(
        "371621", dt.date(1985, 6, 15), "M", __import__("random").Random(1)), "XingBie": "男"}
    record[lrmx.FAMILY] = [dict.fromkeys(lrmx.FAMILY_ELEMENTS, "x") | {"ChuShengRiQi": "196001"}] * 2
    root = ET.fromstring(lrmx.dumps(record))
    assert root.tag == "Person"
    assert tuple(child.tag for child in root) == lrmx.ELEMENTS
    items = root.find("JiaTingChengYuan")
    assert [i.tag for i in items] == ["Item", "Item"]
    assert tuple(c.tag for c in items[0]) == lrmx.FAMILY_ELEMENTS


def test_the_hand_written_file_with_every_field_is_read():
    record = lrmx.loads((HERE / "full.lrmx").read_bytes())
    assert record["XingMing"] == "赵文华" and record["XingBie"] == "女"
    assert record["ChuShengNianYue"] == "198401" and record["JiSuanNianLingShiJian"] == "20261120"
    assert lrmx.parse_resume(record["JianLi"])[-1] == (dt.date(2016, 3, 1), None, "李庄镇党委副书记")
    assert len(record[lrmx.FAMILY]) == 5 and record[lrmx.FAMILY][0]["ChengWei"] == "丈夫"
    assert record["ZhaoPian"].startswith(b"\xff\xd8")
    fields = people_map.record_to_fields(record)
    assert fields["political_status"] == "cpc" and fields["party_joined"] == dt.date(2005, 6, 1)
    assert fields["fulltime_education"] == "bachelor" and fields["parttime_degree"] == "master"
    assert all(record[name] != "" for name in lrmx.ELEMENTS if name not in (lrmx.FAMILY, "ZhaoPian"))


@pytest.mark.parametrize("mutate, element, words", [
    (lambda b: b"not xml at all", "Person", "不是有效的 XML"),
    (lambda b: b.replace(b"<Person>", b"<Cadre>").replace(b"</Person>", b"</Cadre>"), "Cadre", "根元素应为 Person"),
    (lambda b: b.replace(b"<CanJiaGongZuoShiJian>200607", b"<CanJiaGongZuoShiJian>200613"), "CanJiaGongZuoShiJian", "不存在"),
    (lambda b: b.replace(b"<JiSuanNianLingShiJian>20261120", b"<JiSuanNianLingShiJian>20260230"), "JiSuanNianLingShiJian", "不存在"),
    (lambda b: _with_id(b, lambda n: n[:17] + ("0" if n[17] != "0" else "1")), "ShenFenZheng", "校验位"),
    (lambda b: _with_photo(b, 20 * 1024 * 1024), "ZhaoPian", "超过 5 MB"),
])
def test_bad_files_are_refused_naming_the_element(mutate, element, words):
    data = mutate((HERE / "full.lrmx").read_bytes())
    with pytest.raises(lrmx.LrmxError) as caught:
        lrmx.loads(data)
    assert caught.value.element == element
    assert words in str(caught.value)


def _with_id(data: bytes, change) -> bytes:
    record = lrmx.loads(data)
    return data.replace(record["ShenFenZheng"].encode(), change(record["ShenFenZheng"]).encode())


def _with_photo(data: bytes, size: int) -> bytes:
    record = lrmx.loads(data)
    old = base64.b64encode(record["ZhaoPian"])
    return data.replace(old, base64.b64encode(b"\xff\xd8" + b"\0" * size))


# ---- through the database -------------------------------------------------------------------

def _export(cadre) -> bytes:
    return lrmx.dumps(people_map.cadre_to_record(cadre, cadre.resume_entries.all(), cadre.relations.all()))


@pytest.mark.django_db
def test_export_then_import_into_an_empty_county_restores_every_field(full_cadre, clerk, cast):
    # given the exported file, and the cadre gone
    data = _export(full_cadre)
    before = {f.name: getattr(full_cadre, f.name) for f in Cadre._meta.fields
              if f.name not in ("id", "created_at", "updated_at", "rank", "rank_since", "org_unit")}
    before["photo"] = bytes(before["photo"])
    resume = [(e.start, e.end, e.description) for e in full_cadre.resume_entries.all()]
    family = [(r.title, r.name, r.birth, r.political_status, r.work_unit_and_post) for r in full_cadre.relations.all()]
    Cadre.objects.filter(pk=full_cadre.pk).delete()
    # when it is imported
    people = preview(clerk, read_upload("zhao.lrmx", data))
    assert [p.status for p in people] == ["new"]
    counts = import_lrmx(acting_user=clerk, people=people, org_unit=cast["lizhuang"])
    assert counts["created"] == 1
    # then every stored field is back
    cadre = Cadre.objects.get(id_number=full_cadre.id_number)
    after = {name: getattr(cadre, name) for name in before}
    after["photo"] = bytes(after["photo"])
    assert after == before
    assert [(e.start, e.end, e.description) for e in cadre.resume_entries.all()] == resume
    assert [(r.title, r.name, r.birth, r.political_status, r.work_unit_and_post) for r in cadre.relations.all()] == family
    assert [r.kind for r in cadre.relations.all()] == ["spouse", "son", "father", "mother", "parent_in_law"]
    assert Event.objects.filter(kind="exchange.lrmx.imported", subject_id=str(cadre.pk)).count() == 1


@pytest.mark.django_db
def test_reimporting_an_exported_file_changes_nothing(full_cadre, clerk, cast):
    data = _export(full_cadre)
    people = preview(clerk, read_upload("zhao.lrmx", data))
    assert [(p.status, p.changes) for p in people] == [("same", [])]
    events = Event.objects.count()
    import_lrmx(acting_user=clerk, people=people, org_unit=None)
    assert Event.objects.count() == events


@pytest.mark.django_db
def test_preview_lists_each_changed_field_and_a_name_mismatch_is_a_conflict(full_cadre, clerk, cast):
    record = people_map.cadre_to_record(full_cadre, full_cadre.resume_entries.all(), full_cadre.relations.all())
    record["XianRenZhiWu"] = "李庄镇党委书记"
    record["JianLi"] += "\n2026.11--  李庄镇党委书记"
    [person] = preview(clerk, read_upload("a.lrmx", lrmx.dumps(record)))
    assert person.status == "update"
    assert [label for label, _o, _n in person.changes] == ["现任职务", "简历"]
    assert ("现任职务", "李庄镇党委副书记", "李庄镇党委书记") in person.changes
    record["XingMing"] = "赵文"
    [person] = preview(clerk, read_upload("a.lrmx", lrmx.dumps(record)))
    assert person.status == "conflict" and "姓名不同" in person.reason
    import_lrmx(acting_user=clerk, people=[person], org_unit=None)  # not confirmed: left alone
    full_cadre.refresh_from_db()
    assert full_cadre.name == "赵文华"
    import_lrmx(acting_user=clerk, people=[person], org_unit=None, confirmed={person.id_number})
    full_cadre.refresh_from_db()
    assert full_cadre.name == "赵文" and full_cadre.current_post_title == "李庄镇党委书记"
    assert full_cadre.resume_entries.filter(end__isnull=True).count() == 2


@pytest.mark.django_db
def test_a_zip_with_one_bad_file_saves_nothing(full_cadre, clerk, cast):
    good = _export(full_cadre)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.lrmx", good.replace(full_cadre.id_number.encode(), _other_number().encode()))
        archive.writestr("b.lrmx", good.replace(b"<TianBiaoShiJian>202611", b"<TianBiaoShiJian>202699"))
    from gongxin.core.errors import DomainError

    count = Cadre.objects.count()
    with pytest.raises(DomainError) as caught:
        read_upload("batch.zip", buffer.getvalue())
    assert "b.lrmx" in caught.value.message and "TianBiaoShiJian" in caught.value.message
    assert Cadre.objects.count() == count


@pytest.mark.django_db
def test_a_cadre_outside_the_users_scope_is_a_blocked_conflict(cast, make_cadre, clerk):
    other = make_cadre(cast["hefang"], name="钱七")  # 何坊街道: outside the 李庄镇 clerk's scope
    [person] = preview(clerk, read_upload("q.lrmx", _export(other)))
    assert person.status == "conflict" and person.blocked and "数据范围" in person.reason


def _other_number():
    import random

    return idnumber.make("371621", dt.date(1984, 1, 9), "F", random.Random(99))


def test_the_zip_export_holds_each_cadres_own_file_in_the_order_given(full_cadre, clerk, cast):
    """The export of many (read as plain rows a chunk at a time) writes for each cadre the very
    file the single export writes from the model, photo, resume and family included, in the
    order the page listed them; a cadre outside the starter's data scope is left out."""
    from gongxin.exchange import exports
    from gongxin.jobs.actions import start_job
    from gongxin.jobs.runner import run_job

    zhang, li, wang = cast["cadres"]["zhang"], cast["cadres"]["li"], cast["cadres"]["wang"]  # (li: 河坊, not the clerk's)
    ids = [wang.pk, full_cadre.pk, li.pk, zhang.pk]
    job = start_job(acting_user=clerk, kind="exchange.lrmx_export", title="t", func="gongxin.exchange.exports.lrmx_zip_job",
                    params={"cadre_ids": ids}, total=len(ids))
    assert run_job(job.pk, 1) == "succeeded"
    job.refresh_from_db()
    with job.result_file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = archive.namelist()
        assert names == [f"{exports.file_stem(c)}.lrmx" for c in (wang, full_cadre, zhang)]
        for cadre, name in zip((wang, full_cadre, zhang), names, strict=True):
            assert archive.read(name) == exports.cadre_lrmx(Cadre.objects.get(pk=cadre.pk))
    assert (job.done, job.total) == (3, 3)
    assert "3" in job.result["summary"]
