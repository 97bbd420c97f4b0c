"""Export of what is filtered: every matching row (not only the page), the chosen columns, in
the list's order. CSV streams (any size; UTF-8 with a byte-order mark so Excel opens it in
Chinese); Excel is built in memory, so it stops at ``spec.xlsx_max`` rows with a message saying
to narrow the filters or take the CSV."""

import csv
import io

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .columns import text_of

CHUNK = 2000


class _Echo:
    def write(self, value):
        return value


def _cell(col, row):
    value = col.export(row) if col.export is not None else col.get(row)
    if col.html and col.export is None:
        from django.utils.html import strip_tags

        value = strip_tags(str(value))
    return text_of(value) if not isinstance(value, int | float) or isinstance(value, bool) else value


def export_response(request, spec, queryset, columns, fmt: str):
    stamp = f"{timezone.localtime():%Y%m%d-%H%M}"
    name = f"{spec.export_name}-{stamp}"
    rows = queryset.iterator(chunk_size=CHUNK) if hasattr(queryset, "iterator") else iter(queryset)
    if fmt == "xlsx":
        count = queryset.count() if hasattr(queryset, "count") and hasattr(queryset, "iterator") else len(queryset)
        if count > spec.xlsx_max:
            messages.error(request, _("符合条件的有 %(n)s 行，超过 Excel 导出的上限 %(max)s 行。请缩小筛选范围，或导出 CSV。")
                           % {"n": f"{count:,}", "max": f"{spec.xlsx_max:,}"})
            params = request.GET.copy()
            params.pop("export", None)
            return HttpResponseRedirect(f"{request.path}?{params.urlencode()}")
    if spec.on_export is not None:
        spec.on_export(request, fmt)
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff" + writer.writerow([str(c.label) for c in columns])
            for row in rows:
                yield writer.writerow([_cell(c, row) for c in columns])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(spec.export_name[:31])
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=str(c.label))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([_cell(c, row) for c in columns])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
