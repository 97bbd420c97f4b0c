"""The 干部任免审批表 as a two-page A4 PDF (WeasyPrint), in the CJK font the package carries
(文泉驿微米黑, Apache-2.0, data/fonts), embedded as a subset: a server without Chinese fonts,
as a minimal Debian install is, prints the form all the same."""

import base64
from pathlib import Path

from django.template.loader import render_to_string

from .form_data import form_data

FONT = Path(__file__).resolve().parent / "data" / "fonts" / "wqy-microhei.ttc"
FAMILY_ROWS = 7  # the printed form's family table has this many rows; more are added if needed


def form_html(cadre) -> str:
    f = form_data(cadre)
    photo_uri = (f"data:{f['photo_type']};base64,{base64.b64encode(f['photo']).decode()}"
                 if f["photo"] and f["photo_type"].startswith("image/") else "")
    family = f["family"] + [{}] * max(0, FAMILY_ROWS - len(f["family"]))
    return render_to_string("exchange/appointment_form.html", {
        "f": f, "photo_uri": photo_uri, "family": family, "family_rows": len(family)})


def form_pdf(cadre, fonts=None) -> bytes:
    """``fonts``: ``package_fonts()`` made once for a batch of forms (else made for this one)."""
    return pdf_of(form_html(cadre), fonts)


def package_fonts():
    """(font configuration, stylesheet) naming the package's font "Gongxin CJK": loading it
    is a third of a short PDF's time, so a batch makes this once."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    face = CSS(string=f'@font-face {{ font-family: "Gongxin CJK"; src: url("{FONT.as_uri()}"); }}', font_config=config)
    return config, face


def pdf_of(html: str, fonts=None) -> bytes:
    """``html`` as a PDF, the family "Gongxin CJK" being the package's font."""
    from weasyprint import HTML

    config, face = fonts or package_fonts()
    return HTML(string=html).write_pdf(stylesheets=[face], font_config=config)
