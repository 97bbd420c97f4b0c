"""The appointment form as .docx and PDF: open the output and find each field's text."""

import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from gongxin.exchange.form_data import form_data
from gongxin.exchange.form_docx import form_docx
from gongxin.exchange.form_pdf import form_pdf

pytestmark = pytest.mark.django_db

EXPECTED = [
    "赵文华", "女", "1984.01（42岁）", "回族", "山东惠民", "山东滨州", "2005.06", "2006.07", "健康", "经济师",
    "财政管理", "大学本科 学士", "山东大学经济学院财政学专业", "研究生 硕士", "中央党校研究生院经济管理专业",
    "李庄镇党委副书记", "李庄镇党委书记", "2002.09--2006.07  山东大学经济学院财政学专业学习",
    "2016.03--  李庄镇党委副书记", "2019年记三等功一次", "2025年度考核优秀", "工作需要",
    "孙建国", "1982.03", "惠民县教育局干部", "岳母", "1957.07", "中共惠民县委组织部", "刘敏", "2026.11",
    "呈报单位", "审批机关意见", "填表人",
]


def test_family_and_cadre_dates_follow_one_convention(full_cadre):
    f = form_data(full_cadre)
    assert f["birth"].startswith("1984.01") and f["family"][0]["birth"] == "1982.03"
    assert f["filled_on"] == "2026.11" and f["party_joined"] == "2005.06"


def test_docx_has_every_field_on_two_pages(full_cadre):
    document = Document(io.BytesIO(form_docx(full_cadre)))
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    text += "\n".join(p.text for p in document.paragraphs)
    flat = text.replace("\n", "")  # labels break inside their narrow cells (呈报\n单位)
    for expected in EXPECTED:
        assert expected in text or expected in flat, expected
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert len(document.tables) == 2  # front and back, a page break between them
    assert 'w:br w:type="page"' in document.element.xml


def test_pdf_has_two_a4_pages_every_field_and_an_embedded_cjk_font(full_cadre):
    reader = PdfReader(io.BytesIO(form_pdf(full_cadre)))
    assert len(reader.pages) == 2
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]  # A4 in points
    front, back = (page.extract_text() for page in reader.pages)
    text = front + back
    flat = re.sub(r"\s+", "", text)  # PDF text has breaks where lines wrap and labels stack
    for expected in EXPECTED:
        assert re.sub(r"\s+", "", expected) in flat, expected
    assert "简历" in re.sub(r"\s+", "", front) and "奖惩情况" in re.sub(r"\s+", "", back) and "填表人" in back
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [fonts[k].get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                   for k in fonts if "/DescendantFonts" in fonts[k].get_object()]
    assert any("/FontFile2" in d or "/FontFile3" in d for d in descriptors)


def test_the_pdf_is_printed_in_the_packages_font_on_a_server_without_fonts(tmp_path):
    """A minimal server has no Chinese font: with fontconfig given none at all, the PDF is
    printed in the font the package carries, embedded, and its text reads back."""
    import os
    import subprocess
    import sys

    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "none"}</dir>'
                    f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>')
    code = ("import sys, django; django.setup(); from gongxin.exchange.form_pdf import pdf_of; "
            "sys.stdout.buffer.write(pdf_of('<p style=\"font-family: Gongxin CJK\">干部任免审批表 赵文华 填表人</p>'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, env={
        **os.environ, "FONTCONFIG_FILE": str(conf), "GONGXIN_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "gongxin.settings"})
    assert out.returncode == 0, out.stderr.decode()[-2000:]
    reader = PdfReader(io.BytesIO(out.stdout))
    assert re.sub(r"\s+", "", reader.pages[0].extract_text()) == "干部任免审批表赵文华填表人"
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert [str(f["/BaseFont"]).split("+")[-1] for f in fonts] == ["Gongxin-CJK"]
    descriptor = fonts[0]["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    assert "/FontFile2" in descriptor or "/FontFile3" in descriptor  # (embedded)


def test_a_cases_forms_come_as_one_zip_with_each_cadres_pdf_and_docx(full_cadre, clerk, cast):
    """The batch job of a case's candidates (the package's font made once for all of them):
    for each cadre in the starter's scope a two-page PDF and a .docx naming that cadre."""
    import zipfile

    from gongxin.exchange import exports
    from gongxin.jobs.actions import start_job
    from gongxin.jobs.runner import run_job

    zhang, li = cast["cadres"]["zhang"], cast["cadres"]["li"]  # (li: 河坊, not the clerk's)
    ids = [full_cadre.pk, li.pk, zhang.pk]
    job = start_job(acting_user=clerk, kind="exchange.case_forms", title="t", func="gongxin.exchange.exports.case_forms_job",
                    params={"cadre_ids": ids, "title": "案件"}, total=len(ids))
    assert run_job(job.pk, 1) == "succeeded"
    job.refresh_from_db()
    with job.result_file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        for cadre in (full_cadre, zhang):
            stem = exports.file_stem(cadre)
            reader = PdfReader(io.BytesIO(archive.read(f"{stem}.pdf")))
            assert len(reader.pages) == 2 and cadre.name in re.sub(r"\s+", "", reader.pages[0].extract_text())
            document = Document(io.BytesIO(archive.read(f"{stem}.docx")))
            assert any(cadre.name in cell.text for row in document.tables[0].rows for cell in row.cells)
        assert sorted(archive.namelist()) == sorted(f"{exports.file_stem(c)}.{x}" for c in (full_cadre, zhang)
                                                    for x in ("pdf", "docx"))
    assert "2" in job.result["summary"]
