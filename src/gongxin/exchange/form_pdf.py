"""The 干部任免审批表 as a two-page A4 PDF (WeasyPrint; the CJK font it finds through
fontconfig is embedded as a subset)."""

import base64

from django.template.loader import render_to_string

from .form_data import form_data

FAMILY_ROWS = 7  # the printed form's family table has this many rows; more are added if needed


def form_html(cadre) -> str:
    f = form_data(cadre)
    photo_uri = (f"data:{f['photo_type']};base64,{base64.b64encode(f['photo']).decode()}"
                 if f["photo"] and f["photo_type"].startswith("image/") else "")
    family = f["family"] + [{}] * max(0, FAMILY_ROWS - len(f["family"]))
    return render_to_string("exchange/appointment_form.html", {
        "f": f, "photo_uri": photo_uri, "family": family, "family_rows": len(family)})


def form_pdf(cadre) -> bytes:
    from weasyprint import HTML

    return HTML(string=form_html(cadre)).write_pdf()
