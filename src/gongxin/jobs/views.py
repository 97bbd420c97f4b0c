"""My jobs: the list with downloads, one job's page, and its progress partial (htmx polls it
every second while the job runs; without JavaScript the page has a refresh link)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from gongxin.core.errors import NotFound

from .permissions import get_job_for_user, jobs_for_user


@login_required
def job_list(request):
    from gongxin.core.lists import build_list

    from .lists import JobFilterForm, filter_jobs, job_list_spec

    filters = JobFilterForm(request.GET or None)
    lst = build_list(request, job_list_spec(), filter_jobs(jobs_for_user(request.user), filters), form=filters)
    if lst.response is not None:
        return lst.response
    return render(request, "jobs/job_list.html", {"lst": lst, "breadcrumbs": [(_("我的后台任务"), None)]})


@login_required
def job_detail(request, job_id: int):
    job = get_job_for_user(request.user, job_id)
    return render(request, "jobs/job_detail.html", {
        "job": job, "breadcrumbs": [(_("我的后台任务"), reverse("jobs:job_list")), (job.title, None)],
    })


@login_required
def job_progress(request, job_id: int):
    job = get_job_for_user(request.user, job_id)
    return render(request, "jobs/_progress.html", {"job": job})


@login_required
def job_download(request, job_id: int):
    job = get_job_for_user(request.user, job_id)
    if not job.result_file:
        raise NotFound("job.no_file", _("这项任务没有可下载的文件。"))
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name,
                        content_type=job.result_type or "application/octet-stream")
