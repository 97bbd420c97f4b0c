import io

import pytest
from pypdf import PdfReader

from gongxin.people.models import AccessLog, Cadre

pytestmark = pytest.mark.django_db


def test_cadre_page_links_the_form_downloads_and_they_download(full_cadre, clerk, client):
    client.force_login(clerk)
    page = client.get(f"/people/cadres/{full_cadre.pk}/").content.decode()
    for url in ("form.pdf", "form.docx", "person.lrmx"):
        assert f"/exchange/cadres/{full_cadre.pk}/{url}" in page
    pdf = client.get(f"/exchange/cadres/{full_cadre.pk}/form.pdf")
    assert pdf["Content-Type"] == "application/pdf" and len(PdfReader(io.BytesIO(pdf.content)).pages) == 2
    lrmx = client.get(f"/exchange/cadres/{full_cadre.pk}/person.lrmx")
    assert b"<Person>" in lrmx.content and full_cadre.id_number.encode() in lrmx.content
    assert AccessLog.objects.filter(cadre=full_cadre, what="appointment_form").count() == 1


def test_out_of_scope_cadre_is_404(cast, clerk, client):
    client.force_login(clerk)
    other = cast["cadres"]["li"]  # 何坊街道
    for url in ("form.pdf", "form.docx", "person.lrmx"):
        assert client.get(f"/exchange/cadres/{other.pk}/{url}").status_code == 404


def test_lrmx_upload_preview_and_apply(full_cadre, clerk, client):
    client.force_login(clerk)
    data = client.get(f"/exchange/cadres/{full_cadre.pk}/person.lrmx").content
    changed = data.replace("李庄镇党委副书记</XianRenZhiWu>".encode(), "李庄镇党委书记</XianRenZhiWu>".encode())
    response = client.post("/exchange/lrmx/upload/", {"lrmx-file": _named(changed, "zhao.lrmx")})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "更新" in page and "现任职务" in page and "李庄镇党委书记" in page
    client.post(response["Location"], {})
    full_cadre.refresh_from_db()
    assert full_cadre.current_post_title == "李庄镇党委书记"


def test_a_bad_lrmx_upload_names_the_element_and_saves_nothing(full_cadre, clerk, client):
    client.force_login(clerk)
    data = client.get(f"/exchange/cadres/{full_cadre.pk}/person.lrmx").content.replace(b"<Person>", b"<Persons>")
    data = data.replace(b"</Person>", b"</Persons>")
    count = Cadre.objects.count()
    response = client.post("/exchange/lrmx/upload/", {"lrmx-file": _named(data, "bad.lrmx")}, follow=True)
    assert "根元素应为 Person" in response.content.decode()
    assert Cadre.objects.count() == count


def _named(data, name):
    f = io.BytesIO(data)
    f.name = name
    return f
