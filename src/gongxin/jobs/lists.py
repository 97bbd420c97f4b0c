"""My background jobs under the list convention (core/lists)."""

from functools import cache

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import label_of
from gongxin.core.lists.filters import choice_field, narrow, search_field

from .models import Job, JobStatus


class JobFilterForm(forms.Form):
    q = search_field(_("任务"))
    status = choice_field(_("状态"), JobStatus.choices)


def filter_jobs(qs, form):
    return narrow(qs, form, {"q": "title__contains", "status": "status"})


def _progress(job):
    if job.total:
        return f"{job.done:,} / {job.total:,}"
    return f"{job.done:,}" if job.done else ""


def _result(job):
    if job.status == JobStatus.SUCCEEDED and job.result_file:
        return format_html('<a href="{}">{} {}</a>', reverse("jobs:job_download", args=[job.pk]), _("下载"), job.result_name)
    if job.status == JobStatus.FAILED:
        return format_html('<span class="error">{}</span>', job.error if len(job.error) <= 80 else job.error[:79] + "…")
    return ""


def _result_text(job):
    if job.status == JobStatus.SUCCEEDED and job.result_file:
        return job.result_name
    return job.error if job.status == JobStatus.FAILED else ""


@cache
def job_list_spec() -> ListSpec:
    return ListSpec(
        name="jobs.mine", default_sort="-created", models=("jobs.Job",), export_name="my-jobs", page_size=20,
        empty=_("还没有后台任务。导出、导入和批量生成文件会在这里列出，并可下载结果。"),
        columns=[
            Column("title", _("任务"), lambda j: j.title, link=link_to("jobs:job_detail"), sort=("title",)),
            Column("status", _("状态"), label_of(Job, "status"), sort=("status",)),
            Column("progress", _("进度"), _progress),
            Column("created", _("发起时间"), lambda j: j.created_at, sort=("created_at",)),
            Column("finished", _("完成时间"), lambda j: j.finished_at, sort=("finished_at",), default=False),
            Column("result", _("结果"), _result, html=True, export=_result_text),
        ])
