"""Files for one cadre (the form as PDF or .docx, the LRMX file) and the background jobs that
make many at once: a zip of LRMX files, and the forms of a case's candidates."""

import io
import zipfile

from django.utils.translation import gettext as _

from gongxin.accounts.scope import cadre_q
from gongxin.people.models import Cadre

from . import lrmx, people_map
from .form_docx import form_docx
from .form_pdf import form_pdf


def cadre_lrmx(cadre) -> bytes:
    return lrmx.dumps(people_map.cadre_to_record(cadre, cadre.resume_entries.all(), cadre.relations.all()))


def file_stem(cadre) -> str:
    return f"{cadre.name}-{cadre.id_number[-4:]}"


def _cadres(user, ids):
    # the starter's data scope again, at run time: a cadre moved out of it is left out
    return (Cadre.objects.filter(cadre_q(user), pk__in=ids).order_by("name_pinyin", "pk")
            .prefetch_related("resume_entries", "relations"))


def lrmx_zip_job(*, job, progress, cadre_ids: list[int]) -> dict:
    cadres = list(_cadres(job.started_by, cadre_ids))
    progress.set_total(len(cadres), _("正在导出任免审批表文件"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for cadre in cadres:
            archive.writestr(f"{file_stem(cadre)}.lrmx", cadre_lrmx(cadre))
            progress.advance()
    progress.save_file("lrmx.zip", buffer.getvalue(), "application/zip")
    return {"summary": _("已导出 %(n)d 人的 LRMX 文件。") % {"n": len(cadres)}}


def case_forms_job(*, job, progress, cadre_ids: list[int], title: str) -> dict:
    cadres = list(_cadres(job.started_by, cadre_ids))
    progress.set_total(len(cadres), _("正在生成任免审批表"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for cadre in cadres:
            archive.writestr(f"{file_stem(cadre)}.pdf", form_pdf(cadre))
            archive.writestr(f"{file_stem(cadre)}.docx", form_docx(cadre))
            progress.advance()
    progress.save_file(f"{title}-任免审批表.zip", buffer.getvalue(), "application/zip")
    return {"summary": _("已生成 %(n)d 人的任免审批表（PDF 与 Word）。") % {"n": len(cadres)}}
